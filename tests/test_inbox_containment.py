"""One file in the inbox that cannot be handled stays that file's problem: the watcher goes
on, the files beside it are imported, and it is filed away with its reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli.main import main
from models.documents import ImportRecord
from models.uow import Database
from sync.inbox.files import MAX_NAME_BYTES, REASON_SUFFIX, InboxFolders, fitting_name
from sync.inbox.watcher import InboxWatcher, WatchOptions
from tests.inbox_helpers import STEFAN, pdf_bytes, write_list

# Sorted before the good list, so a watcher that stops at the first failure never reaches it.
LONG_PDF = "0" * (MAX_NAME_BYTES - len(".pdf")) + ".pdf"
LONG_CSV = "0à" * 83 + "1" * (MAX_NAME_BYTES - 83 * 3 - len(".csv")) + ".csv"


def _watch_once(home: Path, inbox: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = ["--home", str(home), "--user", "rossi", "watch", str(inbox), "--once", "--stable", "0"]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out + err


def test_a_name_of_255_bytes_is_rejected_and_the_list_beside_it_imported(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    assert len(LONG_PDF.encode()) == len(LONG_CSV.encode()) == MAX_NAME_BYTES
    (inbox / LONG_PDF).write_bytes(pdf_bytes("senza pratica"))
    (inbox / LONG_CSV).write_bytes(b"colonna;sbagliata\r\n1;2\r\n")
    write_list(inbox, "elenco.csv", [STEFAN])
    code, printed = _watch_once(tmp_path, inbox, capsys)
    assert code == 0, printed
    assert "Traceback" not in printed
    assert "elenco.csv: importato (1 nuove" in printed
    assert (inbox / "importati" / "elenco.csv").is_file()
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == []
    rejected = inbox / "scartati"
    for original in (LONG_PDF, LONG_CSV):
        stored = rejected / fitting_name(original)
        assert stored.is_file(), original
        reason = stored.with_name(stored.name + REASON_SUFFIX).read_text(encoding="utf-8")
        assert f"File: {original}" in reason
    with database.sessions() as session:
        names = set(session.scalars(select(ImportRecord.file_name)))
    assert {LONG_PDF, LONG_CSV, "elenco.csv"} <= names


def test_a_shortened_name_keeps_its_type_and_fits_with_its_reason_file() -> None:
    for original in (LONG_PDF, LONG_CSV, "x" * 240 + ".tiff"):
        short = fitting_name(original)
        assert short.endswith(Path(original).suffix) and "~" in short
        dated = Path(short).stem + ".20261203-101500-9999" + Path(short).suffix
        assert len((dated + REASON_SUFFIX).encode()) <= MAX_NAME_BYTES
        short.encode().decode("utf-8")  # cut at a character boundary
    assert fitting_name("elenco.csv") == "elenco.csv"


def test_a_file_that_cannot_be_claimed_does_not_stop_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sync.inbox.watcher as watcher_module

    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        (inbox / name).write_bytes(b"x")
    real_claim = watcher_module.claim

    def claim(path: Path, working: Path) -> Path | None:
        if path.name == "a.csv":
            raise OSError(36, "File name too long")
        return real_claim(path, working)

    monkeypatch.setattr(watcher_module, "claim", claim)
    handled: list[str] = []

    def handle(path: Path) -> None:
        if path.name == "b.csv":
            raise RuntimeError("qualcosa non va")
        handled.append(path.name)

    watcher = InboxWatcher(
        InboxFolders.at(inbox, "pc"), handle, WatchOptions(stable_seconds=0, polling=True)
    )
    with caplog.at_level(logging.WARNING):
        watcher.scan()
        watcher.scan()
    assert handled == ["c.csv"]
    assert "a.csv could not be claimed" in caplog.text
