"""Italian interface with English as the fallback: Raccordo's .qm and Qt's own qtbase_it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

TRANSLATIONS = Path(__file__).with_name("translations")


def tr(text: str) -> str:
    """Every interface string goes through here; ``scripts/translations.sh`` collects them.

    One shared context: the same English text means the same thing everywhere in Raccordo.
    """
    return QCoreApplication.translate("", text)


def tr_n(text: str, disambiguation: str, n: int) -> str:
    """A string with ``%n`` in singular or plural form: ``tr_n("%n day(s)", "", 1)``.

    Untranslated (English) text picks its form from the ``(s)`` in the source.
    """
    translated = QCoreApplication.translate("", text, disambiguation or None, n)
    if "(s)" in translated:
        translated = translated.replace("(s)", "" if abs(n) == 1 else "s")
    return translated


def wanted_language(explicit: str | None = None) -> str:
    """``--lang``, else RACCORDO_LANG, else the system's: Italian when it is Italian."""
    choice = explicit or os.environ.get("RACCORDO_LANG")
    if choice:
        return choice.lower()[:2]
    return "it" if QLocale.system().language() == QLocale.Language.Italian else "en"


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load the translators for ``language``; keep the returned list alive."""
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Italian, QLocale.Country.Italy))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (
        (f"qtbase_{language}", qt_dir),
        (f"raccordo_{language}", str(TRANSLATIONS)),
    ):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def role_label(role: str) -> str:
    """A user's role in words (the status bar, the preview), never the stored code."""
    labels = {
        "sui_clerk": tr("Sportello Unico clerk"),
        "questura_officer": tr("Questura officer"),
        "head": tr("Head of office"),
        "admin": tr("Administrator"),
    }
    return labels.get(role, role)
