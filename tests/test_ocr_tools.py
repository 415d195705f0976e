"""``raccordo config check`` says whether OCRmyPDF and Tesseract with Italian are here;
without them it still passes (they are optional)."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from desktop.cli.main import main
from sync.inbox.ocr_tools import find_ocr_tools


def _fake(folder: Path, name: str, *lines: str) -> None:
    """A program that prints ``lines`` whatever it is asked (``printf`` is the shell's own,
    so the fake needs nothing on the PATH)."""
    script = folder / name
    quoted = " ".join("'" + line + "'" for line in lines)
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' {quoted}\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def _only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """A PATH with nothing but ``folder``."""
    monkeypatch.setenv("PATH", str(folder))


def _ocr_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[int, dict[str, object]]:
    code = main(["--home", str(tmp_path / "home"), "config", "check", "--json"])
    rows = json.loads(capsys.readouterr().out)
    return code, next(r for r in rows if "OCR" in r["check"])


def test_without_the_programs_the_check_names_them_and_still_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "vuota"
    empty.mkdir()
    _only(monkeypatch, empty)
    code, line = _ocr_line(capsys, tmp_path)
    assert line["ok"] is False and line["optional"] is True
    assert "manca OCRmyPDF e Tesseract" in str(line["detail"])
    assert code == 0, line  # everything else works


def test_tesseract_without_italian_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    _fake(folder, "ocrmypdf", "14.0.1")
    _fake(
        folder,
        "tesseract",
        "tesseract 5.3.0",
        'List of available languages in "/x" (2):',
        "eng",
        "osd",
    )
    _only(monkeypatch, folder)
    tools = find_ocr_tools()
    assert not tools.ready and tools.languages == ("eng", "osd")
    code, line = _ocr_line(capsys, tmp_path)
    assert "la lingua italiana di Tesseract (installate: eng, osd)" in str(line["detail"])
    assert "OCRmyPDF" not in str(line["detail"]).split("manca")[1].split(",")[0]
    assert code == 0


@pytest.mark.skipif(
    not (shutil.which("ocrmypdf") and shutil.which("tesseract")),
    reason="OCRmyPDF e Tesseract non installati su questa macchina",
)
def test_the_installed_programs_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tools = find_ocr_tools()
    if "ita" not in tools.languages:
        pytest.skip("Tesseract senza la lingua italiana (tesseract-ocr-ita)")
    _code, line = _ocr_line(capsys, tmp_path)
    assert line["ok"] is True, line
    assert str(line["detail"]).startswith("OCRmyPDF ") and "italiano" in str(line["detail"])
