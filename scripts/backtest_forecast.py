"""Back-test of the breach-risk forecast (``models.forecast``) on the demo history.

    .venv/bin/python scripts/backtest_forecast.py [--dossiers 5000] [--seed 1] [--home DIR]
                                                  [--at YYYY-MM-DD ...]

On a fresh temporary home (or ``--home``, whose demo database is reused when it holds
dossiers) it builds ``raccordo demo --dossiers N``. Then, for each past date (by default
540, 450, 360 and 270 days ago), it forecasts as if it were that day — the history is
the dossiers closed by then, each open dossier is read as its clock read then (events
up to that day, pending items raised by then) — and compares with what happened next:
a dossier breached its term when its clock stopped after its deadline, or is still
running today past it. Dossiers still running today within their term are left out
(their outcome is not known yet), as are those already past their deadline on the day
(their risk is 1 by definition) and those without an estimate (too little history).

Prints predicted against actual breach rate by decile of the prediction, per procedure
type, and the Brier score against a constant forecast at the observed rate.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402
from models import forecast_feed  # noqa: E402
from models.enums import ClockEffect  # noqa: E402
from models.forecast import History  # noqa: E402
from models.forecast_feed import DayNumbers, Facts, read_facts, type_clocks  # noqa: E402

DEFAULT_DAYS_AGO = (540, 450, 360, 270)


@dataclass(frozen=True)
class Outcome:
    risk: float
    breached: bool
    type_code: str


@dataclass
class Counts:
    open_files: int = 0
    not_known_yet: int = 0
    already_late: int = 0
    already_late_breached: int = 0
    no_estimate: int = 0


def build_demo(home: Path, dossiers: int, seed: int) -> Path:
    database = Path(resolve(home=str(home)).db_url.removeprefix("sqlite:///"))
    if not database.exists():
        command = [sys.executable, "-m", "desktop", "--home", str(home), "demo"]
        command += ["--dossiers", str(dossiers), "--seed", str(seed)]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return database


def backtest(database: Path, days: Sequence[date], today: date) -> tuple[list[Outcome], Counts]:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)

    def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        values = [v.isoformat() if isinstance(v, date) else v for v in params]
        return connection.execute(sql, values).fetchall()

    number = DayNumbers()
    codes = dict(rows("SELECT id, code FROM procedure_types", []))
    types = dict(rows("SELECT id, procedure_type_id FROM dossiers WHERE deleted_at IS NULL", []))
    clocks = type_clocks(rows(forecast_feed.STATES_SQL, []))
    entries: dict[Any, list[tuple[int, int, str]]] = defaultdict(list)
    for dossier_id, effective_on, seq, to_state in rows(
        "SELECT dossier_id, effective_on, seq, to_state FROM dossier_events"
        " WHERE to_state IS NOT NULL AND deleted_at IS NULL",
        [],
    ):
        entries[dossier_id].append((number(effective_on) or 0, seq or 0, to_state))
    suspending: dict[Any, list[int]] = defaultdict(list)
    for dossier_id, raised_on in rows(
        "SELECT dossier_id, raised_on FROM flags WHERE suspends AND deleted_at IS NULL", []
    ):
        suspending[dossier_id].append(number(raised_on) or 0)
    keys = list(types)
    final = forecast_feed.clock_as_of(rows, today, keys)
    outcomes: list[Outcome] = []
    counts = Counts()
    for day in days:
        history = History(forecast_feed.history(rows, day, True))
        ordinal = day.toordinal()
        for key, reading in forecast_feed.clock_as_of(rows, day, keys).items():
            if reading.status is ClockEffect.STOPPED:
                continue  # decided by then: not an open file that day
            seen = sorted(e for e in entries[key] if e[0] <= ordinal)
            if not seen:
                continue
            counts.open_files += 1
            flagged = min((d for d in suspending[key] if d <= ordinal), default=None)
            facts = Facts(
                types[key],
                seen[-1][2],
                seen,
                flagged,
                reading.suspended_days,
                reading.deadline.toordinal(),
                False,
            )
            file = read_facts(facts, clocks.get(types[key], {}), ordinal)[1]
            assert file is not None
            now = final[key]
            if now.status is ClockEffect.STOPPED or now.overdue:
                breached = now.overdue
            else:
                counts.not_known_yet += 1
                continue
            if file.days_left < 0:
                counts.already_late += 1
                counts.already_late_breached += breached
                continue
            risk = history.breach_risk(file)
            if risk is None:
                counts.no_estimate += 1
                continue
            outcomes.append(Outcome(risk, breached, codes[types[key]]))
    connection.close()
    return outcomes, counts


def pct(value: float) -> str:
    return f"{value * 100:5.1f} %"


def report(outcomes: list[Outcome], counts: Counts, days: Sequence[date]) -> None:
    print(f"Forecast made on {', '.join(d.isoformat() for d in days)}")
    print(
        f"open files on those days: {counts.open_files}; compared: {len(outcomes)}; "
        f"outcome not known yet: {counts.not_known_yet}; already past the deadline: "
        f"{counts.already_late} ({counts.already_late_breached} breached); "
        f"no estimate (too little history): {counts.no_estimate}"
    )
    if not outcomes:
        return
    ranked = sorted(outcomes, key=lambda o: o.risk)
    print()
    print("| decile | files | predicted (range) | predicted (mean) | actual breach rate |")
    print("|---|---|---|---|---|")
    for decile in range(10):
        chunk = ranked[len(ranked) * decile // 10 : len(ranked) * (decile + 1) // 10]
        if not chunk:
            continue
        mean = sum(o.risk for o in chunk) / len(chunk)
        actual = sum(o.breached for o in chunk) / len(chunk)
        spread = f"{chunk[0].risk * 100:.0f}–{chunk[-1].risk * 100:.0f} %"
        print(f"| {decile + 1} | {len(chunk)} | {spread} | {pct(mean)} | {pct(actual)} |")
    rate = sum(o.breached for o in outcomes) / len(outcomes)
    mean = sum(o.risk for o in outcomes) / len(outcomes)
    brier = sum((o.risk - o.breached) ** 2 for o in outcomes) / len(outcomes)
    constant = sum((rate - o.breached) ** 2 for o in outcomes) / len(outcomes)
    print(f"| all | {len(outcomes)} | | {pct(mean)} | {pct(rate)} |")
    print()
    print(f"Brier score {brier:.3f}; a constant forecast at the observed rate: {constant:.3f}")
    print()
    print("| type | files | predicted (mean) | actual breach rate |")
    print("|---|---|---|---|")
    by_type: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_type[outcome.type_code].append(outcome)
    for code, group in sorted(by_type.items()):
        mean = sum(o.risk for o in group) / len(group)
        actual = sum(o.breached for o in group) / len(group)
        print(f"| {code} | {len(group)} | {pct(mean)} | {pct(actual)} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", help="reuse this home's demo database (or fill it, if empty)")
    parser.add_argument("--at", action="append", type=date.fromisoformat, default=[])
    args = parser.parse_args(argv)
    today = date.today()
    days = args.at or [today - timedelta(days=n) for n in DEFAULT_DAYS_AGO]
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="raccordo-backtest-"))
    home.mkdir(parents=True, exist_ok=True)
    try:
        database = build_demo(home, args.dossiers, args.seed)
        outcomes, counts = backtest(database, days, today)
    finally:
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)
    print(f"demo: {args.dossiers} dossiers, seed {args.seed}")
    report(outcomes, counts, days)
    return 0


if __name__ == "__main__":
    sys.exit(main())
