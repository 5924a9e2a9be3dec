# Build the TechLedger installer on Windows from a clean checkout, in one command:
#
#     powershell -ExecutionPolicy Bypass -File installer\build.ps1
#
# Needs Python 3.11 (64-bit; the "py" launcher or python.exe on PATH) and NSIS 3 (makensis on PATH or in its
# default folder). Creates build\venv, installs the pinned dependencies and the build extra (PyInstaller) into it,
# then runs installer\build.py: PyInstaller one-folder build, the frozen self-test, makensis. The installer is
# written to build\TechLedger-<version>-setup.exe. Any failing step stops the script with a non-zero exit status.
param(
    [string]$Out = "",
    [ValidateSet("lzma", "zlib", "none")] [string]$Compressor = "lzma"
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
if (-not $Out) { $Out = Join-Path $Root "build" }
New-Item -ItemType Directory -Force -Path $Out | Out-Null

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit status $LASTEXITCODE" }
}

# Python 3.11, 64-bit.
$Python = $null
if (Get-Command py -ErrorAction SilentlyContinue) { $Python = @("py", "-3.11") }
elseif (Get-Command python -ErrorAction SilentlyContinue) { $Python = @("python") }
else { throw "Python 3.11 not found: install it from python.org (64-bit) and try again." }

# NSIS: on PATH, or where its installer puts it.
if (-not (Get-Command makensis -ErrorAction SilentlyContinue)) {
    foreach ($dir in @("${env:ProgramFiles(x86)}\NSIS", "$env:ProgramFiles\NSIS")) {
        if (Test-Path (Join-Path $dir "makensis.exe")) { $env:Path = "$dir;$env:Path"; break }
    }
}
if (-not (Get-Command makensis -ErrorAction SilentlyContinue)) { throw "makensis not found: install NSIS 3." }

$Venv = Join-Path $Out "venv"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }   # nothing from an earlier build is reused
$Started = Get-Date
$PyArgs = @()
if ($Python.Count -gt 1) { $PyArgs = $Python[1..($Python.Count - 1)] }
Invoke-Checked $Python[0] ($PyArgs + @("-m", "venv", $Venv))
$VenvPython = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $VenvPython @("-c", "import sys, struct; assert sys.version_info[:2] == (3, 11) and struct.calcsize('P') == 8, 'need 64-bit Python 3.11, got ' + sys.version")
Invoke-Checked $VenvPython @("-m", "pip", "install", "--upgrade", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", "-e", "$Root[build]")
Invoke-Checked $VenvPython @((Join-Path $Root "installer\build.py"), "--out", $Out, "--compressor", $Compressor)
$Minutes = [math]::Round(((Get-Date) - $Started).TotalMinutes, 1)
$Setup = Get-ChildItem -Path $Out -Filter "TechLedger-*-setup.exe" | Sort-Object LastWriteTime | Select-Object -Last 1
Write-Host ""
Write-Host "Installer: $($Setup.FullName) ($([math]::Round($Setup.Length / 1MB)) MB), built in $Minutes min."
