"""Times the tavolo's agenda of a large office: convening a meeting builds it (issue 15).

    .venv/bin/python scripts/benchmark_agenda.py [--dossiers 200000] [--home DIR]
                                                 [--runs 5] [--profile]

On a fresh temporary home (or ``--home``, whose demo database is reused when it holds
dossiers) it builds ``raccordo demo --dossiers N``, then, as separate processes (one
warm-up and ``--runs`` timed runs), convenes a meeting for today as a head cleared for
restricted files (``models.services.tavolo.meetings.create_meeting``: open actions,
items not reached, the rules, the breach risk of every open dossier, the items written)
and rolls it back, so the database is left as it was. Each child times the call on the
wall clock and in CPU time, and the breach risks alone (``breach_risks``). Prints the
medians against the target (≤ 2 s); exit status 1 when the median misses it.
``--profile``: one more run under cProfile, its 25 costliest functions (own time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark_forecast import USER, build_demo, measure  # noqa: E402

TARGET = 2.0  # seconds, median

AGENDA = """
import json, sys, time
from desktop.config import resolve
from desktop.wiring import open_database
from models.services.forecast import breach_risks
from models.services.tavolo.meetings import create_meeting, meeting_day
database = open_database(resolve(home=sys.argv[1]))
with database.unit_of_work(sys.argv[2], write=True) as uow:
    start = time.perf_counter()
    risks = breach_risks(uow)
    forecast = time.perf_counter() - start
    uow.session.rollback()
with database.unit_of_work(sys.argv[2], write=True) as uow:
    wall, cpu = time.perf_counter(), time.process_time()
    meeting, _ = create_meeting(uow, meeting_day(uow, uow.today), "Prefettura")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    items = len(meeting.items)
    uow.session.rollback()
print(json.dumps({"wall": wall, "cpu": cpu, "items": items, "forecast": forecast,
                  "open": len(risks)}))
"""

PROFILE = """
import cProfile, pstats, sys
from desktop.config import resolve
from desktop.wiring import open_database
from models.services.tavolo.meetings import create_meeting, meeting_day
database = open_database(resolve(home=sys.argv[1]))
with database.unit_of_work(sys.argv[2], write=True) as uow:
    profile = cProfile.Profile()
    profile.enable()
    create_meeting(uow, meeting_day(uow, uow.today), "Prefettura")
    profile.disable()
    uow.session.rollback()
pstats.Stats(profile).sort_stats("tottime").print_stats(25)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--home", help="reuse this home's demo database (or fill it, if empty)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="raccordo-agenda-"))
    home.mkdir(parents=True, exist_ok=True)
    build_demo(home, args.dossiers)
    before = os.getloadavg()[0]
    runs = measure(AGENDA, home, args.runs)
    after = os.getloadavg()[0]
    median = statistics.median(r["wall"] for r in runs)
    print(
        f"{args.dossiers} demo dossiers, {int(runs[0]['open'])} open; {args.runs} runs; "
        f"load average {before:.1f} → {after:.1f}"
    )
    print("| | median | slowest | CPU (median) |")
    print("|---|---|---|---|")
    worst, cpu = max(r["wall"] for r in runs), statistics.median(r["cpu"] for r in runs)
    print(
        f"| convening (agenda of {int(runs[0]['items'])} items) | {median:.2f} s | "
        f"{worst:.2f} s | {cpu:.2f} s |"
    )
    forecast = statistics.median(r["forecast"] for r in runs)
    print(f"| of which the breach risks (alone) | {forecast:.2f} s | | |")
    print(f"target: median ≤ {TARGET:.0f} s — {'met' if median <= TARGET else 'MISSED'}")
    if args.profile:
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        subprocess.run(
            [sys.executable, "-c", PROFILE, str(home), USER], cwd=ROOT, env=environment, check=True
        )
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
