"""Translations: Qt's own (so standard buttons read 确定/取消) and the application's, plus the one ``tr`` helper.

The source strings of the application are Chinese. Widgets use ``self.tr()``; code outside a QObject (module
constants, the crash handler, startup messages) uses :func:`tr` from this module, and marks constants with
:func:`N_` so they are translated when displayed, never at import time.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from services.paths import resources_dir

log = logging.getLogger("app.init")

#: The application's language. The UI is written in Chinese for Chinese-speaking clerks, whatever the system locale.
UI_LOCALE = "zh_CN"
CONTEXT = "TechLedger"

_installed: list[QTranslator] = []


def tr(text: str, context: str = CONTEXT) -> str:
    """Translate ``text`` through Qt's translators (the one helper for code outside a QObject)."""
    return QCoreApplication.translate(context, text)


def N_(text: str) -> str:  # noqa: N802 - the conventional name of the no-op translation marker
    """Mark ``text`` for translation without translating it now (translate with :func:`tr` at display time)."""
    return text


def install_translators(app: QCoreApplication) -> list[str]:
    """Set the default locale to zh_CN and install Qt's and our translations once.

    Returns:
        The names of the catalogues that are installed.
    """
    if _installed:
        return [t.objectName() for t in _installed]
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalogues = ((f"qtbase_{UI_LOCALE}", qt_dir), (f"techledger_{UI_LOCALE}", str(resources_dir() / "i18n")))
    for name, folder in catalogues:
        translator = QTranslator(app)
        translator.setObjectName(name)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
            log.info("translations %s loaded from %s", name, folder)
        else:
            log.info("translations %s not found in %s", name, folder)
    return [t.objectName() for t in _installed]
