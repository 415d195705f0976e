"""Times the statistics report (issue #6) on a large demo database against its targets.

    .venv/bin/python scripts/benchmark_stats.py [--dossiers 1000000] [--home DIR] [--db URL]

On a fresh temporary home (or the home given with ``--home``, whose demo database is
reused when it already holds dossiers), it builds ``raccordo demo --dossiers N``, then
runs the whole command ``raccordo --user verdi report timing`` from the first day of the
previous calendar year to today, once with ``--json`` and once with ``-o FILE.pdf``, as
separate processes: one warm-up and ``--runs`` timed runs each. For every run it measures
the wall time and the peak resident memory of the child (``os.wait4``'s rusage, so the
demo build and earlier runs do not mask it). Prints median and slowest run against the
targets (JSON ≤ 10 s, PDF ≤ 15 s, memory ≤ 1 GB); exit status 1 when a target is missed.
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
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

USER = "verdi"  # a head of office, with restricted access: allowed to produce statistics
JSON_TARGET = 10.0
PDF_TARGET = 15.0
MEMORY_TARGET = 1024**3  # bytes
MIB = 1024**2


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    cpu_seconds: float  # user + system: what the wall time would be on an idle machine


@dataclass(frozen=True)
class Measure:
    label: str
    target: float
    runs: tuple[Run, ...]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def worst(self) -> float:
        return max(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak(self) -> int:
        return max(r.peak_bytes for r in self.runs)


def raccordo_command(home: Path, db: str | None) -> list[str]:
    command = [sys.executable, "-m", "desktop", "--home", str(home)]
    if db:
        command += ["--db", db]
    return command


def run_child(command: list[str], stdout_path: Path) -> Run:
    """Runs one command as a child process; its own wall time and peak RSS (ru_maxrss)."""
    with stdout_path.open("wb") as stdout:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
        # wait4 reaps this child only and returns its own rusage (Linux: ru_maxrss in KiB).
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{error}")
    if child.stderr:
        child.stderr.close()
    return Run(seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def has_dossiers(home: Path, db: str | None) -> bool:
    """Whether the database already holds a demo (``dossier list`` prints something)."""
    if db is None and not any(home.glob("*.sqlite*")) and not any(home.glob("*.db")):
        return False
    result = subprocess.run(
        [*raccordo_command(home, db), "--user", USER, "dossier", "list", "--limit", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and bool(result.stdout.strip())


def build_demo(home: Path, db: str | None, dossiers: int) -> float:
    print(f"building the demo: {dossiers:,} dossiers in {home} …", flush=True)
    start = time.perf_counter()
    subprocess.run(
        [*raccordo_command(home, db), "demo", "--dossiers", str(dossiers)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(label: str, target: float, command: list[str], out: Path, runs: int) -> Measure:
    warm_up = run_child(command, out)
    print(
        f"  {label}: warm-up {warm_up.seconds:.2f} s (CPU {warm_up.cpu_seconds:.2f} s), "
        f"{warm_up.peak_bytes / MIB:.0f} MiB"
    )
    timed = []
    for index in range(runs):
        run = run_child(command, out)
        print(
            f"  {label}: run {index + 1} {run.seconds:.2f} s (CPU {run.cpu_seconds:.2f} s), "
            f"{run.peak_bytes / MIB:.0f} MiB"
        )
        timed.append(run)
    return Measure(label, target, tuple(timed))


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def print_table(measures: list[Measure]) -> bool:
    header = (
        f"{'command':<14}{'median s':>10}{'max s':>9}{'CPU s':>8}{'target s':>10}"
        f"{'ratio':>8}{'':>6}{'peak MiB':>10}{'target':>8}{'ratio':>8}{'':>6}"
    )
    print(header)
    print("-" * len(header))
    all_passed = True
    for m in measures:
        time_ok = m.median <= m.target and m.worst <= m.target
        memory_ok = m.peak <= MEMORY_TARGET
        all_passed = all_passed and time_ok and memory_ok
        print(
            f"{m.label:<14}{m.median:>10.2f}{m.worst:>9.2f}{m.cpu:>8.2f}{m.target:>10.0f}"
            f"{m.median / m.target:>8.2f}{verdict(time_ok):>6}"
            f"{m.peak / MIB:>10.0f}{MEMORY_TARGET // MIB:>8}"
            f"{m.peak / MEMORY_TARGET:>8.2f}{verdict(memory_ok):>6}"
        )
    return all_passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--home", type=Path, help="reuse this home (and its demo database)")
    parser.add_argument("--db", help="database URL (SQLite file/URL or postgresql://…)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    args = parser.parse_args()

    temporary = args.home is None
    home = Path(tempfile.mkdtemp(prefix="raccordo-stats-")) if temporary else args.home
    home.mkdir(parents=True, exist_ok=True)
    try:
        if not temporary and has_dossiers(home, args.db):
            print(f"reusing the demo database of {home}")
        else:
            print(f"demo built in {build_demo(home, args.db, args.dossiers):.0f} s")

        today = date.today()
        start = date(today.year - 1, 1, 1)
        report = [
            *raccordo_command(home, args.db),
            "--user",
            USER,
            "report",
            "timing",
            "--from",
            start.strftime("%d/%m/%Y"),
            "--to",
            today.strftime("%d/%m/%Y"),
        ]
        print(f"period {start:%d/%m/%Y} – {today:%d/%m/%Y}, user {USER}")
        json_out, pdf = home / "benchmark-stats.json", home / "benchmark-stats.pdf"
        measures = [
            measure("report --json", JSON_TARGET, [*report, "--json"], json_out, args.runs),
            measure(
                "report -o pdf", PDF_TARGET, [*report, "-o", str(pdf)], home / "pdf.log", args.runs
            ),
        ]
        figures = json.loads(json_out.read_text(encoding="utf-8"))
        print(
            f"report: filed {figures['filed']:,}, closed {figures['closed']:,}, "
            f"open {figures['open']:,}; PDF {pdf.stat().st_size / 1024:.0f} KiB"
        )
        # Other work on the machine stretches wall times; the CPU column does not move.
        print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print()
        passed = print_table(measures)
        return 0 if passed else 1
    finally:
        if temporary:
            shutil.rmtree(home, ignore_errors=True)
        else:
            for name in ("benchmark-stats.json", "benchmark-stats.pdf", "pdf.log"):
                (home / name).unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
