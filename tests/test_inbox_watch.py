"""Watching the folder: complete files only, locks, events and polling, share drops, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from models.documents import Document, ImportRecord
from models.dossiers import Dossier
from models.uow import Database
from sync.inbox.files import InboxFolders
from sync.inbox.scanner import Readiness, candidates
from sync.inbox.watcher import InboxWatcher, WatchOptions, WatchStatus
from tests.factories import register
from tests.inbox_helpers import MULLER, STEFAN, csv_text, make_processor, pdf_bytes, write_list

FAST = WatchOptions(stable_seconds=0.3, rescan_seconds=0.1, poll_seconds=0.1, retry_seconds=0.1)


def _wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class Recorder:
    def __init__(self) -> None:
        self.claimed: list[tuple[str, bytes, float]] = []
        self.statuses: list[WatchStatus] = []

    def handle(self, path: Path) -> None:
        self.claimed.append((path.name, path.read_bytes(), time.monotonic()))

    def status(self, status: WatchStatus) -> None:
        self.statuses.append(status)


@pytest.fixture
def running() -> Iterator[Callable[[InboxWatcher], None]]:
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(watcher: InboxWatcher) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
        thread.start()
        stops.append((stop, thread))

    yield start
    for stop, thread in stops:
        stop.set()
        thread.join(timeout=10)


def test_clutter_and_temporary_files_are_never_taken(tmp_path: Path) -> None:
    for name in (
        "Thumbs.db",
        "desktop.ini",
        "._LO-SUI-2026-0000001__a.pdf",
        "~$elenco.csv",
        "elenco.csv.tmp",
        "scan.pdf.part",
        "download.crdownload",
        ".~lock.elenco.csv#",
        "elenco.csv",
    ):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in candidates(tmp_path)] == ["elenco.csv"]


def test_a_file_written_in_pieces_is_taken_only_when_complete(
    tmp_path: Path, running: Callable[[InboxWatcher], None]
) -> None:
    recorder = Recorder()
    watcher = InboxWatcher(InboxFolders.at(tmp_path, "pc"), recorder.handle, FAST)
    running(watcher)
    pieces = [pdf_bytes("inizio")] + [bytes([65 + i]) * 20_000 for i in range(5)]
    path = tmp_path / "LO-SUI-2026-0000001__lento.pdf"
    with path.open("wb") as handle:
        for piece in pieces:  # 1.25 s of writing, longer than the stability window
            handle.write(piece)
            handle.flush()
            time.sleep(0.25)
    finished = time.monotonic()
    _wait_for(lambda: bool(recorder.claimed))
    _name, data, at = recorder.claimed[0]
    assert data == b"".join(pieces) and at >= finished
    assert len(recorder.claimed) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="Windows refuses the claim itself (rename)")
def test_a_file_locked_by_another_process_waits(tmp_path: Path) -> None:
    path = tmp_path / "elenco.csv"
    path.write_text(csv_text([STEFAN]), "utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys; f = open(sys.argv[1], 'ab'); fcntl.flock(f, fcntl.LOCK_EX); "
            "print('locked', flush=True); sys.stdin.readline()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        readiness = Readiness(0.0)
        assert readiness.ready([path]) == []  # first sight
        assert readiness.ready([path]) == []  # stable, but the writer still holds it
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    assert readiness.ready([path]) == [path]


@pytest.mark.parametrize("polling", [True, False], ids=["polling", "events"])
def test_a_dropped_file_wakes_the_watcher(
    tmp_path: Path, running: Callable[[InboxWatcher], None], polling: bool
) -> None:
    recorder = Recorder()
    # A rescan only every minute: what takes the file is the observer's cue.
    options = WatchOptions(polling=polling, stable_seconds=0.2, rescan_seconds=60, poll_seconds=0.1)
    watcher = InboxWatcher(
        InboxFolders.at(tmp_path, "pc"), recorder.handle, options, recorder.status
    )
    running(watcher)
    _wait_for(lambda: bool(recorder.statuses))
    assert recorder.statuses[-1].ok and recorder.statuses[-1].polling is polling
    (tmp_path / "elenco.csv").write_text(csv_text([STEFAN]), "utf-8")
    _wait_for(lambda: bool(recorder.claimed))
    assert recorder.claimed[0][0] == "elenco.csv"
    assert (tmp_path / "in_lavorazione" / "pc" / "elenco.csv").is_file()


def test_the_watcher_starts_again_when_the_share_comes_back(
    tmp_path: Path, running: Callable[[InboxWatcher], None]
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    recorder = Recorder()
    options = WatchOptions(True, 0.1, rescan_seconds=0.1, poll_seconds=0.1, retry_seconds=0.2)
    watcher = InboxWatcher(InboxFolders.at(share, "pc"), recorder.handle, options, recorder.status)
    running(watcher)
    _wait_for(lambda: bool(recorder.statuses) and recorder.statuses[-1].ok)
    first_scan = recorder.statuses[-1].last_scan
    share.rename(tmp_path / "away")  # the share drops
    _wait_for(lambda: not recorder.statuses[-1].ok)
    assert "non raggiungibile" in recorder.statuses[-1].message
    assert recorder.statuses[-1].last_scan == watcher.last_scan
    (tmp_path / "away").rename(share)
    _wait_for(lambda: recorder.statuses[-1].ok)
    (share / "elenco.csv").write_text(csv_text([STEFAN]), "utf-8")
    _wait_for(lambda: bool(recorder.claimed))
    last = recorder.statuses[-1].last_scan
    assert first_scan is not None and last is not None and last > first_scan


def _count(db: Database, table: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_thousand_files_at_once(db: Database, tmp_path: Path) -> None:
    dossier = register(db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    processor = make_processor(db, inbox)
    for n in range(1000):
        name = f"{dossier.reference.replace('/', '-')}__pagina-{n:04d}.pdf"
        (inbox / name).write_bytes(pdf_bytes(f"pagina {n}"))
    outcomes = []
    watcher = InboxWatcher(
        processor.folders, lambda p: outcomes.append(processor.process(p)), WatchOptions(0, 0)
    )
    assert watcher.scan() == []  # first sight of each file
    assert len(watcher.scan()) == 1000
    assert {o.status.value for o in outcomes} == {"importato"}
    assert _count(db, Document) == 1000 and _count(db, ImportRecord) == 1000
    assert len(list((inbox / "importati").iterdir())) == 1000
    assert candidates(inbox) == []


CRASHING_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from models.db import make_engine
    from models.uow import Database
    from sync.inbox.files import InboxFolders
    from sync.inbox.processor import InboxProcessor
    from sync.inbox.scanner import claim

    url, root, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    processor = InboxProcessor(Database(make_engine(url)), "rossi", InboxFolders.at(root, "pc"))

    def stop_here(_path):
        marker.write_text("claimed and imported, not committed")
        time.sleep(120)

    processor.before_commit = stop_here
    processor.process(claim(root / "elenco.csv", processor.folders.working))
    """
)


def test_a_crash_between_claiming_and_committing_imports_nothing(
    db: Database, engine: Engine, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_list(inbox, "elenco.csv", [STEFAN, MULLER])
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CRASHING_IMPORT,
            engine.url.render_as_string(hide_password=False),
            str(inbox),
            str(marker),
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        _wait_for(marker.exists, timeout=60)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    working = inbox / "in_lavorazione" / "pc"
    assert (working / "elenco.csv").is_file()
    assert _count(db, Dossier) == 0 and _count(db, ImportRecord) == 0
    processor = make_processor(db, inbox)
    processor.folders = InboxFolders.at(inbox, "pc")
    assert processor.recover() == [inbox / "elenco.csv"]  # picked up again
    watcher = InboxWatcher(processor.folders, processor.process, WatchOptions(0, 0))
    watcher.scan()
    watcher.scan()
    assert _count(db, Dossier) == 2
    assert (inbox / "importati" / "elenco.csv").is_file() and not any(working.iterdir())
    assert register(db).reference == "LO-SUI/2026/0000003"  # no number lost to the crash


def test_a_crash_after_the_commit_is_finished_at_start(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    moved: list[Path] = []
    import sync.inbox.processor as module

    real_move = module.move

    def crash_on_first_move(source: Path, target: Path) -> Path:
        if not moved:
            moved.append(target)
            raise KeyboardInterrupt  # the process dies right after the commit
        return real_move(source, target)

    write_list(tmp_path, "elenco.csv", [STEFAN])
    claimed = processor.folders.working / "elenco.csv"
    (tmp_path / "elenco.csv").rename(claimed)
    module.move = crash_on_first_move  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            processor.process(claimed)
        assert processor.recover() == []
    finally:
        module.move = real_move  # type: ignore[assignment]
    assert (tmp_path / "importati" / "elenco.csv").is_file()
    assert _count(db, Dossier) == 1 and _count(db, ImportRecord) == 1


def test_a_second_watcher_on_the_same_workstation_recovers_nothing(
    db: Database, tmp_path: Path
) -> None:
    first, second = make_processor(db, tmp_path), make_processor(db, tmp_path)
    assert first.recover() == []  # takes the working folder's lock
    write_list(tmp_path, "elenco.csv", [STEFAN])
    (tmp_path / "elenco.csv").rename(first.folders.working / "elenco.csv")  # being imported
    assert second.recover() == []
    assert (first.folders.working / "elenco.csv").is_file()
    first.close()
    assert second.recover() == [tmp_path / "elenco.csv"]
    second.close()


def test_a_file_goes_back_to_the_inbox_when_the_database_fails(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = make_processor(db, tmp_path)
    write_list(tmp_path, "elenco.csv", [STEFAN])
    claimed = processor.folders.working / "elenco.csv"
    (tmp_path / "elenco.csv").rename(claimed)

    def unreachable(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("server non raggiungibile")

    monkeypatch.setattr(db, "unit_of_work", unreachable)
    with pytest.raises(ConnectionError):
        processor.process_or_give_back(claimed)
    assert (tmp_path / "elenco.csv").is_file() and not claimed.exists()
