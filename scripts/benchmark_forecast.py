"""Times the breach-risk forecast for every open dossier of a large office (issue 15).

    .venv/bin/python scripts/benchmark_forecast.py [--dossiers 200000] [--home DIR]
                                                   [--runs 5]

On a fresh temporary home (or ``--home``, whose demo database is reused when it holds
dossiers) it builds ``raccordo demo --dossiers N``, then, as separate processes (one
warm-up and ``--runs`` timed runs), reads the breach risk of every open dossier a head
cleared for restricted files may see, through the service
(``models.services.forecast.breach_risks``: history, open files, suspended files read
again by the clock, risk of each), and through the light read path on the driver alone
(``models.read``: the same SQL). Each child times the call itself (not the interpreter's
start) on the wall clock and in CPU time. Prints the medians against the target
(≤ 5 s); exit status 1 when the median misses it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402

USER = "verdi"  # a head of office, cleared for restricted files: sees every dossier
TARGET = 5.0  # seconds, median

SERVICE = """
import json, sys, time
from sqlalchemy import select
from desktop.config import resolve
from desktop.wiring import open_database
from models.offices import Staff
from models.services.forecast import breach_risks
database = open_database(resolve(home=sys.argv[1]))
with database.unit_of_work(sys.argv[2]) as uow:
    wall, cpu = time.perf_counter(), time.process_time()
    risks = breach_risks(uow)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
known = [r for r in risks.values() if r is not None]
print(json.dumps({"wall": wall, "cpu": cpu, "open": len(risks), "estimated": len(known)}))
"""

LIGHT = """
import json, sys, time
from datetime import date
from desktop.config import resolve
from models import forecast_feed
from models.forecast import History
from models.read.connection import open_reader
from models.read.dossiers import load_viewer
reader = open_reader(resolve(home=sys.argv[1]).db_url)
viewer = load_viewer(reader, sys.argv[2])
wall, cpu = time.perf_counter(), time.process_time()
today = date.today()
files = forecast_feed.open_files(reader.rows, today, viewer.restricted_access)
history = History(forecast_feed.history(reader.rows, today, viewer.restricted_access))
risks = {key: history.breach_risk(file) for key, file in files.items()}
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
known = [r for r in risks.values() if r is not None]
print(json.dumps({"wall": wall, "cpu": cpu, "open": len(risks), "estimated": len(known)}))
"""


def build_demo(home: Path, dossiers: int) -> None:
    database = Path(resolve(home=str(home)).db_url.removeprefix("sqlite:///"))
    if database.exists():
        return
    command = [sys.executable, "-m", "desktop", "--home", str(home), "demo"]
    subprocess.run([*command, "--dossiers", str(dossiers)], cwd=ROOT, check=True)


def measure(script: str, home: Path, runs: int) -> list[dict[str, float]]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    found = []
    for run in range(runs + 1):
        done = subprocess.run(
            [sys.executable, "-c", script, str(home), USER],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        if run:  # the first run warms the page cache
            found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--home", help="reuse this home's demo database (or fill it, if empty)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="raccordo-forecast-"))
    home.mkdir(parents=True, exist_ok=True)
    passed = True
    try:
        build_demo(home, args.dossiers)
        load = os.getloadavg()[0]
        print(f"{args.dossiers} demo dossiers; {args.runs} runs each; load average {load:.1f}")
        print("| path | open dossiers | with an estimate | median | slowest | CPU (median) |")
        print("|---|---|---|---|---|---|")
        for label, script in (("service (ORM session)", SERVICE), ("light read path", LIGHT)):
            runs = measure(script, home, args.runs)
            median = statistics.median(r["wall"] for r in runs)
            worst = max(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            print(
                f"| {label} | {int(runs[0]['open'])} | {int(runs[0]['estimated'])} | "
                f"{median:.2f} s | {worst:.2f} s | {cpu:.2f} s |"
            )
            passed = passed and median <= TARGET
        print(f"target: median ≤ {TARGET:.0f} s — {'met' if passed else 'MISSED'}")
    finally:
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
