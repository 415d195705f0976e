"""Reading documents' text runs on its own worker: the inbox's watcher never waits for
OCR, the queue lives in the database (a restart resumes it), a failure is recorded on its
document and does not hold the others up, and ``raccordo documents ocr [--all]`` catches
up on the backlog.

The OCR program here is a stand-in (a shell script named ``ocrmypdf`` that copies the PDF,
sleeps or fails as told), so these tests run where OCRmyPDF is not installed and say
exactly what the worker does with a slow or failing OCR."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli.main import main
from models.documents import Document
from models.read.filters import DossierFilter
from models.services.inbox import ImportStatus
from models.services.queries import list_dossiers
from models.uow import Database
from sync.inbox.files import InboxFolders
from sync.inbox.ocr_tools import OcrTools
from sync.inbox.processor import InboxProcessor
from sync.inbox.text_worker import TextWorker
from sync.inbox.texts import TextReader
from sync.inbox.watcher import InboxWatcher, WatchOptions
from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor
from tests.scan_helpers import document_pdf

CONTRACT = "Contratto di lavoro stagionale Cascina Bassiana"
BROKEN = b"%ROTTO\n"  # the stand-in OCR fails on a PDF ending with this


def _fake_ocr(folder: Path, delay: float = 0.0) -> OcrTools:
    """``ocrmypdf`` that copies its input to its output after ``delay`` seconds (and
    fails, saying why, on a PDF marked BROKEN); ``tesseract`` with Italian."""
    folder.mkdir(exist_ok=True)
    script = folder / "ocrmypdf"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo 14.0.1; exit 0; fi\n'
        "eval src=\\${$(($# - 1))}; eval dst=\\${$#}\n"
        f"/bin/sleep {delay}\n"
        'if /bin/grep -q ROTTO "$src"; then echo "ERROR - pagina illeggibile" >&2; exit 2; fi\n'
        '/bin/cp "$src" "$dst"\n',
        "utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return OcrTools(str(script), "14.0.1", "/bin/true", "5.3.0", ("ita", "osd"))


def _found(db: Database, search: str) -> set[str]:
    with db.unit_of_work("rossi") as uow:
        return {str(r.id) for r in list_dossiers(uow, DossierFilter(search=search), limit=None)}


def _file(db: Database, inbox: Path, name: str, data: bytes) -> None:
    inbox.mkdir(exist_ok=True)
    (inbox / name).write_bytes(data)
    outcome = claim_and_process(make_processor(db, inbox), inbox / name)
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems


def _texts(db: Database) -> dict[str, tuple[str | None, str | None]]:
    with db.sessions() as session:
        rows = session.execute(select(Document.file_name, Document.text, Document.text_problem))
        return {name: (text, problem) for name, text, problem in rows}


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_failure_is_recorded_and_the_others_are_read(db: Database, tmp_path: Path) -> None:
    broken = register(db, application_code="ALI-2026-0001", surname="Popa")
    good = register(db, application_code="ALI-2026-0002", surname="Ionescu")
    inbox = tmp_path / "arrivo"
    _file(db, inbox, "ALI-2026-0001__contratto.pdf", document_pdf("Contratto Rovato") + BROKEN)
    _file(db, inbox, "ALI-2026-0002__contratto.pdf", document_pdf(CONTRACT))
    reader = TextReader(db, "rossi", _fake_ocr(tmp_path / "bin"))

    assert reader.read_texts() == 2
    assert reader.read_texts() == 0  # the failed one does not come back at every pass
    texts = _texts(db)
    text, problem = texts["ALI-2026-0001__contratto.pdf"]
    assert problem == "OCR non riuscito: ERROR - pagina illeggibile"
    assert text is not None and "rovato" in text  # its own text layer is still searchable
    assert texts["ALI-2026-0002__contratto.pdf"][1] is None
    assert "ALI-2026-0002__contratto-pdfa.pdf" in texts  # the other got its copy
    assert "ALI-2026-0001__contratto-pdfa.pdf" not in texts
    assert _found(db, "contratto Rovato") == {str(broken.dossier_id)}
    assert _found(db, "contratto Cascina") == {str(good.dossier_id)}
    assert len(reader.pending(again=True)) == 1  # only the failed one is tried again


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_watcher_never_waits_for_ocr_and_a_restart_resumes(
    db: Database, tmp_path: Path
) -> None:
    contract = register(db, application_code="ALI-2026-0001", surname="Popa")
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    folders = InboxFolders.at(inbox, "test-pc")
    folders.ensure()
    processor = InboxProcessor(db, "rossi", folders)
    slow = TextWorker(TextReader(db, "rossi", _fake_ocr(tmp_path / "lento", delay=30)), 60)
    watcher = InboxWatcher(
        folders, processor.process, WatchOptions(polling=True, stable_seconds=0), idle=slow.wake
    )
    slow.start()
    try:
        (inbox / "ALI-2026-0001__contratto.pdf").write_bytes(document_pdf(CONTRACT))
        watcher.scan()  # seen
        started = time.monotonic()
        assert len(watcher.scan()) == 1  # claimed and filed; the worker is woken
        (inbox / "ALI-2026-0001__permesso.pdf").write_bytes(document_pdf("Permesso Brescia"))
        watcher.scan()
        assert len(watcher.scan()) == 1  # the next file is filed while OCR runs
        assert time.monotonic() - started < 10  # not the 30 s the OCR takes
        time.sleep(1)  # the worker has taken the first document
    finally:
        stopped = time.monotonic()
        slow.stop()
    assert time.monotonic() - stopped < 5  # stopping stops the OCR in progress
    assert all(text is None and problem is None for text, problem in _texts(db).values())

    # After a restart the queue is still there, in the database.
    again = TextWorker(TextReader(db, "rossi", _fake_ocr(tmp_path / "svelto")), 60)
    again.start()
    try:
        deadline = time.monotonic() + 30
        while again.read < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        again.stop()
    assert _found(db, "permesso Brescia") == {str(contract.dossier_id)}
    assert _found(db, "contratto Cascina") == {str(contract.dossier_id)}


def test_documents_ocr_reads_the_backlog_and_all_tries_the_failed_again(
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register(database, application_code="ALI-2026-0001", surname="Popa")
    inbox = tmp_path / "arrivo"
    _file(database, inbox, "ALI-2026-0001__contratto.pdf", document_pdf(CONTRACT))
    _file(database, inbox, "ALI-2026-0001__rotto.pdf", document_pdf("Rovato") + BROKEN)
    tools = _fake_ocr(tmp_path / "bin")
    tesseract = tmp_path / "bin" / "tesseract"
    tesseract.write_text(
        "#!/bin/sh\necho 'tesseract 5.3.0'\necho 'List of available languages (1):'\necho ita\n"
    )
    tesseract.chmod(0o755)
    assert tools.ocrmypdf
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--home", str(tmp_path), "--user", "rossi", "documents", "ocr", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run()
    assert code == 1, err  # one failed
    assert "documenti da leggere: 2, con OCR" in err
    assert "letto: ALI-2026-0001__contratto.pdf (" in out and "copia PDF/A allegata" in out
    assert "non riuscito: ALI-2026-0001__rotto.pdf: OCR non riuscito" in out
    code, out, err = run()
    assert (code, out) == (0, "") and "documenti da leggere: 0" in err  # nothing left

    code, out, _err = run("--all", "--json")  # the failed one again (still broken)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == ["ALI-2026-0001__rotto.pdf"], lines
    assert lines[0]["problem"].startswith("OCR non riuscito") and code == 1
