"""``raccordo import FILE`` and ``raccordo watch DIR``: the inbox from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli.main import main
from models.uow import Database
from tests.inbox_helpers import MULLER, STEFAN, write_list


def _run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), "--user", "rossi", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_one_list(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    path = write_list(inbox, "elenco.csv", [STEFAN, MULLER])
    code, out, err = _run(tmp_path, capsys, "import", str(path), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["status"], result["created"]) == ("importato", 2)
    assert (inbox / "importati" / "elenco.csv").is_file()
    code, out, _err = _run(tmp_path, capsys, "dossier", "show", "ALI-2026-0002")
    assert code == 0 and "Müller" in out


def test_import_a_bad_list_exits_1_with_the_reasons(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_list(tmp_path, "elenco.csv", [{**STEFAN, "data_nascita": "30/02/1990"}])
    code, out, err = _run(tmp_path, capsys, "import", str(path))
    assert code == 1
    assert "scartato" in out
    assert "riga 2, colonna 7 (data_nascita): data impossibile «30/02/1990»" in err
    assert (tmp_path / "scartati" / "elenco.csv.motivo.txt").is_file()


def test_import_refuses_clutter_and_missing_files(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    assert _run(tmp_path, capsys, "import", str(tmp_path / "Thumbs.db"))[0] == 1
    code, _out, err = _run(tmp_path, capsys, "import", str(tmp_path / "nessuno.csv"))
    assert code == 1 and "non trovato" in err


def test_watch_once_imports_what_is_ready(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    write_list(inbox, "elenco.csv", [STEFAN])
    (inbox / "desktop.ini").write_text("[.ShellClassInfo]")
    code, out, err = _run(tmp_path, capsys, "watch", str(inbox), "--once", "--stable", "0.1")
    assert code == 0, err
    assert "elenco.csv: importato (1 nuove" in out
    assert (inbox / "importati" / "elenco.csv").is_file() and (inbox / "desktop.ini").is_file()


def test_watch_takes_the_folder_from_the_settings(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    (tmp_path / "raccordo.ini").write_text(f"[inbox]\ndir = {inbox}\npolling = true\n", "utf-8")
    write_list(inbox, "elenco.csv", [STEFAN])
    code, _out, err = _run(tmp_path, capsys, "watch", "--once", "--stable", "0")
    assert code == 0, err
    assert (inbox / "importati" / "elenco.csv").is_file()


def test_watch_without_a_folder_is_bad_usage(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(tmp_path, capsys, "watch")
    assert code == 2 and "cartella di arrivo non indicata" in err
