"""Times the printed forms against their targets.

    .venv/bin/python scripts/benchmark_forms.py [--dossiers 1200] [--runs 30]

On a fresh temporary home with ``raccordo demo --dossiers N``, in one process (as the
desktop client would print): one letter, rendering only and gathering + rendering
(median of ``--runs`` after a warm-up; target 50 ms), and a distinta-trasmissione of
1,000 dossiers, gathering + rendering (median of 3; target 10 s). Prints medians and the
ratio measured/target; exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from desktop.config import resolve  # noqa: E402
from desktop.wiring import open_database  # noqa: E402
from models.dossiers import Dossier  # noqa: E402
from models.uow import Database  # noqa: E402
from reports import forms  # noqa: E402
from reports.documents import FormDocument  # noqa: E402
from reports.pdf import render_pdf  # noqa: E402

USER = "rossi"
LETTER_TARGET = 0.050
SLIP_TARGET = 10.0
SLIP_SIZE = 1000


def median_time(action: Callable[[], object], runs: int, warm_up: int = 2) -> float:
    for _ in range(warm_up):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def references(database: Database, count: int) -> list[str]:
    with database.unit_of_work(USER) as uow:
        dossiers = uow.session.scalars(
            select(Dossier)
            .where(Dossier.protocol_number.is_not(None), Dossier.restricted.is_(False))
            .order_by(Dossier.filed_on)
            .limit(count)
        )
        return [d.reference for d in dossiers]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="raccordo-forms-"))
    try:
        raccordo = str(Path(sys.executable).with_name("raccordo"))
        subprocess.run(
            [raccordo, "--home", str(home), "demo", "--dossiers", str(args.dossiers)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        database = open_database(resolve(str(home)))
        refs = references(database, SLIP_SIZE)
        if len(refs) < SLIP_SIZE:
            print(f"only {len(refs)} dossiers visible; use --dossiers larger", file=sys.stderr)
            return 2
        ref = refs[0]

        def gather(form: str) -> FormDocument:
            with database.unit_of_work(USER) as uow:
                return forms.dossier_document(uow, form, ref)

        document = gather("richiesta-parere")
        render_only = median_time(lambda: render_pdf(document), args.runs)
        whole = median_time(lambda: render_pdf(gather("richiesta-parere")), args.runs)

        def slip() -> bytes:
            with database.unit_of_work(USER) as uow:
                return render_pdf(forms.transmittal_document(uow, refs))

        slip_time = median_time(slip, 3, warm_up=1)
        pages = slip().count(b"/Type /Page\n")
    finally:
        shutil.rmtree(home, ignore_errors=True)

    rows = [
        ("one letter, rendering only", LETTER_TARGET, render_only),
        ("one letter, gather + render", LETTER_TARGET, whole),
        (f"distinta of {SLIP_SIZE} dossiers ({pages} pages)", SLIP_TARGET, slip_time),
    ]
    print(f"{'measure':48} {'target':>9} {'median':>9} {'ratio':>6}")
    for label, target, measured in rows:
        print(f"{label:48} {target:>8.3f}s {measured:>8.3f}s {measured / target:>6.2f}")
    return 0 if all(measured <= target for _, target, measured in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
