"""The interface speaks Italian on an Italian system, English otherwise."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui.i18n import TRANSLATIONS, install_translations, wanted_language

ROOT = Path(__file__).resolve().parent.parent
TS = TRANSLATIONS / "raccordo_it.ts"
BIN = Path(__import__("sys").executable).parent


def sources(ts: Path) -> dict[str, str | None]:
    messages = ET.parse(ts).iter("message")
    result = {}
    for message in messages:
        translation = message.find("translation")
        assert translation is not None
        finished = translation.get("type") not in ("unfinished", "vanished", "obsolete")
        forms = [form.text for form in translation.findall("numerusform")]
        text = translation.text if not forms else (None if None in forms else "|".join(forms))
        result[str(message.findtext("source"))] = text if finished else None
    return result


def test_every_interface_string_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            "-locations",
            "none",
            "-tr-function-alias",
            "tr+=_tr,tr+=_trn",
            *map(str, sorted((ROOT / "ui").rglob("*.py"))),
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    in_code = set(sources(fresh))
    committed = sources(TS)
    assert in_code - set(committed) == set(), "run scripts/translations.sh"
    untranslated = [s for s in in_code if not committed.get(s)]
    assert untranslated == []


def test_compiled_translations_are_current(tmp_path: Path) -> None:
    compiled = tmp_path / "raccordo_it.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == (TRANSLATIONS / "raccordo_it.qm").read_bytes()


@pytest.fixture
def italian(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "it")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_italian_interface_and_qt_dialogs(italian: None) -> None:
    assert QCoreApplication.translate("", "To work on") == "Da lavorare"
    assert QCoreApplication.translate("", "Pending items") == "Segnalazioni"
    assert QCoreApplication.translate("", "%n day(s) left", None, 1) == "1 giorno rimasto"
    assert QCoreApplication.translate("", "%n day(s) left", None, 12) == "12 giorni rimasti"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annulla"


def test_english_is_the_fallback(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RACCORDO_LANG", "en")
    assert wanted_language() == "en"
    assert install_translations(qapp, "en") == []
    assert QCoreApplication.translate("", "To work on") == "To work on"
    monkeypatch.setenv("RACCORDO_LANG", "it_IT.UTF-8")
    assert wanted_language() == "it"
