; 科创台账 (TechLedger) — NSIS installer: 64-bit, Unicode, Chinese pages, per-user (no administrator rights).
;
; Compiled by installer/build.py against the PyInstaller folder:
;   makensis /DVERSION=0.1.0 /DDIST_DIR=<dist\TechLedger> /DOUT_FILE=<TechLedger-0.1.0-setup.exe> installer\techledger.nsi
; Optional: /DEXE_SUFFIX= (a Linux CI build, whose executables have no .exe); /DCOMPRESSOR=zlib or none (a quicker
; compile for CI, which checks the script, not the size).
;
; Installs into %LOCALAPPDATA%\Programs\TechLedger, adds a Start-menu folder and (optionally) a desktop shortcut,
; and registers an uninstaller under HKCU. The user's data (%LOCALAPPDATA%\TechLedger\TechLedger: databases,
; backups, logs, attachments, window settings) is never inside the installation folder; the uninstaller keeps it unless
; "同时删除数据" is ticked.

Unicode true
Target amd64-unicode

!ifndef VERSION
  !error "VERSION is not defined: makensis /DVERSION=x.y.z (installer/build.py passes services/version.py's)"
!endif
!ifndef DIST_DIR
  !error "DIST_DIR is not defined: makensis /DDIST_DIR=<the PyInstaller folder>"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "TechLedger-${VERSION}-setup.exe"
!endif
!ifndef EXE_SUFFIX
  !define EXE_SUFFIX ".exe"
!endif
!ifdef COMPRESSOR
  !if "${COMPRESSOR}" == "none"
    SetCompress off
  !else
    SetCompressor /SOLID ${COMPRESSOR}
  !endif
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 64
!endif

!define APP_NAME "TechLedger"
!define APP_NAME_CN "科创台账"
!define GUI_EXE "${APP_NAME}${EXE_SUFFIX}"
!define CLI_EXE "techledger-cli${EXE_SUFFIX}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
; platformdirs.user_data_dir("TechLedger", "TechLedger", roaming=False) on Windows (services/paths.py).
!define DATA_DIR "$LOCALAPPDATA\${APP_NAME}\${APP_NAME}"
!define LICENCE_FILE "${DIST_DIR}\_internal\resources\licenses\NOTICE.txt"
!define ICON_FILE "${DIST_DIR}\_internal\resources\icons\techledger.ico"

; A build that lost its executables, licence notices or icon must not become an installer.
!if ! /FileExists "${DIST_DIR}\${GUI_EXE}"
  !error "missing ${DIST_DIR}\${GUI_EXE}"
!endif
!if ! /FileExists "${DIST_DIR}\${CLI_EXE}"
  !error "missing ${DIST_DIR}\${CLI_EXE}"
!endif
!if ! /FileExists "${LICENCE_FILE}"
  !error "missing ${LICENCE_FILE}"
!endif
!if ! /FileExists "${DIST_DIR}\_internal\LICENSE"
  !error "missing ${DIST_DIR}\_internal\LICENSE"
!endif
!if ! /FileExists "${ICON_FILE}"
  !error "missing ${ICON_FILE}"
!endif

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME_CN} ${VERSION}"
OutFile "${OUT_FILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME_CN} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME_CN}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME_CN} ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_WELCOMEPAGE_TEXT "本向导将在您的电脑上安装 ${APP_NAME_CN} ${VERSION}。$\r$\n$\r$\n程序只为当前用户安装，不需要管理员权限。您的数据库、备份和日志保存在$\r$\n${DATA_DIR}，升级和卸载时都会保留。$\r$\n$\r$\n单击“下一步”继续。"
!define MUI_LICENSEPAGE_TEXT_TOP "本软件及其随附组件的许可说明："
!define MUI_LICENSEPAGE_BUTTON "下一步(&N) >"
!define MUI_LICENSEPAGE_TEXT_BOTTOM "本软件按 MIT 许可证发布，随附的 Qt/PySide6 按 LGPL-3.0 授权。单击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动 ${APP_NAME_CN}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${LICENCE_FILE}"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME_CN} 需要 64 位 Windows。"
    Abort
  ${EndIf}
FunctionEnd

Section "${APP_NAME_CN}（必需）" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program folder whole: libraries of the previous version must not linger.
  RMDir /r "$INSTDIR\_internal"
  File "${DIST_DIR}\${GUI_EXE}"
  File "${DIST_DIR}\${CLI_EXE}"
  File /r "${DIST_DIR}\_internal"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME_CN}"
  CreateShortCut "$SMPROGRAMS\${APP_NAME_CN}\${APP_NAME_CN}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
  CreateShortCut "$SMPROGRAMS\${APP_NAME_CN}\${APP_NAME_CN}（演示数据）.lnk" "$INSTDIR\${GUI_EXE}" "--demo" \
    "$INSTDIR\${GUI_EXE}" 0
  CreateShortCut "$SMPROGRAMS\${APP_NAME_CN}\卸载 ${APP_NAME_CN}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME_CN} ${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortCut "$DESKTOP\${APP_NAME_CN}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
SectionEnd

Section "un.${APP_NAME_CN} 程序文件（必需）" UnSecApp
  SectionIn RO
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: a portable data folder (data\ beside the executable) stays unless the data is to be deleted too.
  RMDir "$INSTDIR"
  Delete "$DESKTOP\${APP_NAME_CN}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME_CN}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

; Off by default: the user's databases, backups and logs are kept unless this is ticked.
Section /o "un.同时删除数据（数据库、备份、日志和设置）" UnSecData
  RMDir /r "${DATA_DIR}"
  RMDir "$LOCALAPPDATA\${APP_NAME}"
  ; Portable mode's data folder, only where the marker says this installation is portable.
  ${If} ${FileExists} "$INSTDIR\portable.txt"
    RMDir /r "$INSTDIR\data"
    Delete "$INSTDIR\portable.txt"
  ${EndIf}
  RMDir "$INSTDIR"
SectionEnd
