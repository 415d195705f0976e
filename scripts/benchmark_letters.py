"""*Stampa lettere…* on a large selection, in the window: how long until the preview and
the summary, the longest the window went without handling an event meanwhile, and the
process's peak memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/benchmark_letters.py \
        [--home DIR] [--letters 500] [--form ricevuta]

Uses the database in --home (creating 3,000 demo dossiers if it has none).
"""

from __future__ import annotations

import argparse
import resource
import time

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication
from screenshots import demo_home, settle  # scripts/ is sys.path[0] here
from screenshots_clerk_day import open_window

from desktop.config import resolve
from desktop.wiring import open_database

TICK_MS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="workstation folder with a demo database")
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--form", default="ricevuta")
    args = parser.parse_args()
    home = demo_home(args.home, 3000)
    app = QApplication([])
    database = open_database(resolve(home=str(home)))
    (home / "raccordo-gui.ini").unlink(missing_ok=True)
    window = open_window(database, home, "rossi")
    settle(app, 4)  # every id of the list has arrived
    table, model = window.dossiers.table, window.dossiers.model
    flags = table.selectionModel().SelectionFlag
    top, bottom = model.index(0, 0), model.index(min(args.letters, model.rowCount()) - 1, 0)
    from PySide6.QtCore import QItemSelection

    table.selectionModel().select(QItemSelection(top, bottom), flags.Select | flags.Rows)
    refs = window.dossiers.selected_ids()
    letters = window.bulk_letters
    values = {"appuntamento_data": "15/12/2026", "appuntamento_ora": "08:00"}
    shared = values if args.form == "convocazione" else {}

    longest = 0
    clock = QElapsedTimer()
    ticker = QTimer(interval=TICK_MS)

    def tick() -> None:
        nonlocal longest
        longest = max(longest, clock.restart() - TICK_MS)

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    started = time.perf_counter()
    letters.start(args.form, shared, 1 if shared else 0, refs)
    while letters.summary is None:
        app.processEvents()
        time.sleep(0.005)
    took = time.perf_counter() - started
    ticker.stop()
    batch = letters.batch
    assert batch is not None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = len(batch.pdf or b"") / 1e6
    print(f"{len(refs)} dossiers, {args.form}: {batch.result.headline()}")
    print(f"preview and summary after {took:.1f} s; PDF {size:.1f} MB")
    print(f"longest the window went without an event: {longest} ms; peak memory {peak:.0f} MB")
    preview, summary = letters.preview, letters.summary
    assert preview is not None and summary is not None
    longest = 0
    clock.restart()
    ticker.start()
    started = time.perf_counter()
    preview.on_printed()  # as after the print dialog: each letter recorded on its dossier
    while "stampat" not in summary.headline.text():
        app.processEvents()
        time.sleep(0.005)
    ticker.stop()
    print(
        f"{summary.shown.headline()} recorded in {time.perf_counter() - started:.1f} s; "
        f"longest without an event: {longest} ms"
    )
    for widget in (letters.preview, letters.summary):
        if widget is not None:
            widget.close()
    window.close()
    window.context.tasks.shutdown()


if __name__ == "__main__":
    main()
