"""``watch`` and ``import``: the inbox folder without the GUI (same code path and rules)."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.failures import one_line
from desktop.cli.output import print_json

if TYPE_CHECKING:
    from desktop.cli.context import Context
    from sync.inbox.processor import Outcome


def register(commands: Any) -> None:
    watch = commands.add_parser(
        "watch", help="watch the inbox folder and import what arrives (Ctrl+C stops)"
    )
    watch.add_argument("dir", nargs="?", help="the inbox folder (default: inbox.dir setting)")
    mode = watch.add_mutually_exclusive_group()
    mode.add_argument("--polling", action="store_true", default=None, help="poll, no events")
    mode.add_argument("--no-polling", dest="polling", action="store_false", help="native events")
    watch.add_argument("--stable", type=float, metavar="S", help="seconds a file must not change")
    watch.add_argument("--rescan", type=float, metavar="S", help="seconds between full rescans")
    watch.add_argument("--once", action="store_true", help="import what is ready, then exit")
    watch.add_argument("--json", action="store_true", help="one JSON object per file")
    watch.set_defaults(handler=cmd_watch)

    one = commands.add_parser(
        "import", help="import one application list (.csv) or scanned document"
    )
    one.add_argument("file")
    one.add_argument("--json", action="store_true")
    one.set_defaults(handler=cmd_import)


def _print(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        print_json(outcome.as_json())
    else:
        print(outcome.summary(), flush=True)
    for problem in outcome.problems:
        print(f"  {problem}", file=sys.stderr)
    for warning in outcome.warnings:
        print(f"attenzione: {warning}", file=sys.stderr)


def _check_user(ctx: Context) -> None:
    with ctx.read():
        pass  # refuses an unknown or disabled user before anything is moved


def cmd_watch(ctx: Context) -> int:
    from desktop.settings import load
    from sync.inbox.config import inbox_dir, watch_options
    from sync.inbox.files import InboxFolders
    from sync.inbox.processor import InboxProcessor
    from sync.inbox.text_worker import TextWorker
    from sync.inbox.texts import TextReader
    from sync.inbox.watcher import InboxWatcher, WatchStatus

    settings = load(ctx.workstation.home)
    root = Path(ctx.args.dir).expanduser() if ctx.args.dir else inbox_dir(settings)
    if root is None:
        print(
            "errore: cartella di arrivo non indicata (raccordo watch DIR o inbox.dir)",
            file=sys.stderr,
        )
        return 2
    if not root.is_dir():
        print(one_line(f"errore: la cartella {root} non esiste"), file=sys.stderr)
        return 1
    options = watch_options(settings)
    if ctx.args.polling is not None:
        options = replace(options, polling=ctx.args.polling)
    if ctx.args.stable is not None:
        options = replace(options, stable_seconds=ctx.args.stable)
    if ctx.args.rescan is not None:
        options = replace(options, rescan_seconds=ctx.args.rescan)
    _check_user(ctx)
    folders = InboxFolders.at(root)
    folders.ensure()
    processor = InboxProcessor(ctx.database, ctx.username, folders)
    for path in processor.recover():
        print(f"ripreso dopo un'interruzione: {path.name}", file=sys.stderr)

    def handle(claimed: Path) -> None:
        try:
            outcome = processor.process_or_give_back(claimed)
        except Exception as error:  # the file is back in the inbox: the next scan retries
            print(one_line(f"errore: {claimed.name}: {error}"), file=sys.stderr, flush=True)
            return
        _print(outcome, ctx.args.json)

    def status(state: WatchStatus) -> None:
        if not state.ok:
            print(f"attenzione: {state.message}", file=sys.stderr, flush=True)

    # The documents' text is read on its own thread; the watcher only wakes it.
    texts = TextWorker(TextReader(ctx.database, ctx.username))
    watcher = InboxWatcher(folders, handle, options, status, idle=texts.wake)
    if ctx.args.once:  # the text waits for the next watch or ``raccordo documents ocr``
        return _drain(watcher, options.stable_seconds)
    mode = "interrogazione periodica" if watcher.polling else "eventi del sistema"
    print(f"sorveglio {root} ({mode}); Ctrl+C per fermare", file=sys.stderr, flush=True)
    stop = threading.Event()
    texts.start()
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        texts.stop()
    return 0


def _drain(watcher: Any, stable: float) -> int:
    """Scan until what is in the folder has been taken (files still changing stay)."""
    deadline = time.monotonic() + stable * 4 + 1
    watcher.scan()
    while watcher.readiness.pending and time.monotonic() < deadline:
        time.sleep(max(stable / 2, 0.05))
        watcher.scan()
    return 0


def cmd_import(ctx: Context) -> int:
    from sync.inbox.files import IMPORTED_DIR, REJECTED_DIR, InboxFolders, is_ignored
    from sync.inbox.processor import InboxProcessor
    from sync.inbox.scanner import claim, is_openable

    path = Path(ctx.args.file).expanduser()
    if not path.is_file():
        print(one_line(f"errore: file {path} non trovato"), file=sys.stderr)
        return 1
    if is_ignored(path.name):
        print(
            one_line(f"errore: {path.name} è un file di sistema o temporaneo: ignorato"),
            file=sys.stderr,
        )
        return 1
    if not is_openable(path):
        print(
            one_line(f"errore: {path.name} è in uso da un altro programma: riprovare"),
            file=sys.stderr,
        )
        return 1
    _check_user(ctx)
    # A file retried from scartati/ (or taken again from importati/) belongs to that inbox.
    root = path.parent.parent if path.parent.name in (IMPORTED_DIR, REJECTED_DIR) else path.parent
    folders = InboxFolders.at(root)
    processor = InboxProcessor(ctx.database, ctx.username, folders)
    claimed = claim(path, folders.working)
    if claimed is None:
        print(one_line(f"errore: {path.name} non può essere spostato: riprovare"), file=sys.stderr)
        return 1
    outcome = processor.process(claimed)
    _print(outcome, ctx.args.json)
    return 0 if outcome.status.value == "importato" else 1
