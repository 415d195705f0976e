"""One workstation of a chaos run: random work through the real ``raccordo`` command line,
syncs (some killed with SIGKILL at the sync's test points or at a random moment), and a
ledger of every change the work committed to the replica's outbox.

The ledger is read from the replica after each command (the outbox rows it added): it is
exactly what the workstation committed locally, whatever the command printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT = 60.0  # seconds: a command still running then is killed and counted as hung
PAUSE_WAIT = 30.0  # seconds a sync may take to reach its test point
TEST_POINTS = (
    "push-before-commit",
    "push-after-commit",
    "pull-mid-apply",
    "content-mid-transfer",  # a document's bytes half sent or half received
)
HOT = 4  # the first dossiers get most of the work: two offices on the same files

# The lead office's moves of the common workflow, with how often to pick each.
SUI_MOVES: dict[str, list[tuple[str, float]]] = {
    "presentata": [("in_istruttoria", 6), ("archiviata", 0.2)],
    "in_istruttoria": [
        ("parere_richiesto", 6),
        ("integrazione_richiesta", 1),
        ("preavviso_rigetto", 0.5),
        ("convocata", 1),
        ("definita_positiva", 0.2),
        ("archiviata", 0.1),
    ],
    "integrazione_richiesta": [("in_istruttoria", 3), ("archiviata", 0.1)],
    "preavviso_rigetto": [("in_istruttoria", 3), ("rigettata", 0.2)],
    "convocata": [("in_istruttoria", 2), ("definita_positiva", 0.5), ("rigettata", 0.2)],
}
FINAL = {"definita_positiva", "rigettata", "archiviata"}
SURNAMES = ("Țurcanu", "Popescu", "El Amrani", "Singh", "Hossain", "Kumar", "Bianchi")
NAMES = ("Ștefan", "Ana", "Youssef", "Harpreet", "Rahim", "Priya", "Luca")


@dataclass(frozen=True)
class Mutation:
    """One outbox row the workstation committed: (table, row, insert/update, changes)."""

    station: int
    user: str
    operation: str
    seq: int
    mutation_id: str
    table: str
    row_id: str
    action: str
    changes: dict[str, list[Any]]


@dataclass
class Tally:
    attempted: Counter[str] = field(default_factory=Counter)
    done: Counter[str] = field(default_factory=Counter)
    kills: Counter[str] = field(default_factory=Counter)  # by test point, or "random"
    syncs: int = 0
    hung: list[str] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)  # e.g. a failed command that queued changes
    refusals: Counter[str] = field(default_factory=Counter)  # "operation: message" of refusals
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per kind of action
    actions: Counter[str] = field(default_factory=Counter)
    syncs_ended: Counter[str] = field(default_factory=Counter)  # how the unkilled syncs ended
    tracebacks: list[str] = field(default_factory=list)  # of syncs that failed without a report


def _uuid_text(value: object) -> str:
    """Replica UUIDs are stored as 32 hex digits; everything else prints them with dashes."""
    text = str(value).replace("-", "").lower()
    if len(text) != 32:
        return str(value)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _outcome(process: subprocess.Popen[bytes]) -> str:
    """How a sync that was not killed ended, from its JSON report."""
    assert process.stdout is not None
    try:
        report = json.loads(process.stdout.read() or b"{}")
    except json.JSONDecodeError:
        return "no report"
    if not report:
        return f"exit {process.returncode}"
    if report.get("error"):
        return str(report["error"])[:100]
    moved = ("pushed", "pulled", "uploaded", "downloaded")
    return "ok, " + ", ".join(f"{key} {report.get(key, 0)}" for key in moved)


def _reap(process: subprocess.Popen[bytes], kill: bool = False) -> None:
    if kill:
        process.send_signal(signal.SIGKILL)
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


class Station:
    def __init__(
        self,
        index: int,
        home: Path,
        user: str,
        office: str,
        password: str,
        seed: int,
        run_tag: str,
    ) -> None:
        self.index = index
        self.home = home
        self.user = user
        self.office = office  # "sui" or "questura"
        self._password = password
        self.rnd = random.Random(seed * 1000 + index)
        self.run_tag = run_tag
        self.inbox = home / "arrivo"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.ledger: list[Mutation] = []
        self.tally = Tally()
        self._last_seq = 0
        self._counter = 0
        self._sync_seconds = 2.0  # how long a whole sync process takes here (moving average)
        self.documents: dict[str, str] = {}  # sha256 → file name, of what this station attached

    # --- processes ----------------------------------------------------------------
    def env(self, pause_at: str | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("RACCORDO_") and k != "PYTHON_KEYRING_BACKEND"
        }
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                # No keyring at all: the password travels on standard input, nowhere else.
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                "RACCORDO_HOME": str(self.home),
            }
        )
        if pause_at:
            env["RACCORDO_SYNC_PAUSE_AT"] = pause_at
            env["RACCORDO_SYNC_PAUSE_FILE"] = str(self.home / "paused")
        return env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "desktop", "--home", str(self.home), *args]

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                self.argv(*args),
                env=self.env(),
                cwd=ROOT,
                input=stdin,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            self.tally.hung.append(" ".join(args))
            return subprocess.CompletedProcess(args, -9, "", "hung")

    def connect(self, url: str) -> None:
        done = self.run("connect", url, "--password-stdin", stdin=self._password + "\n")
        if done.returncode != 0:
            raise RuntimeError(f"connect of station {self.index} failed: {done.stderr.strip()}")

    def sync(self) -> dict[str, Any] | None:
        """One whole sync; its JSON report, or None when it did not answer."""
        self.tally.syncs += 1
        began = time.monotonic()
        done = self.run("sync", "--json", "--password-stdin", stdin=self._password + "\n")
        self._sync_seconds = 0.7 * self._sync_seconds + 0.3 * (time.monotonic() - began)
        try:
            report: dict[str, Any] = json.loads(done.stdout)
        except json.JSONDecodeError:
            self.tally.syncs_ended[f"no report: {done.stderr.strip()[-120:]}"] += 1
            self._keep_traceback()
            return None
        if report.get("error"):
            state = "offline" if not report.get("online") else "error"
            self.tally.syncs_ended[f"{state}: {str(report['error'])[:100]}"] += 1
        else:
            self.tally.syncs_ended["ok"] += 1
        return report

    def _keep_traceback(self) -> None:
        """The log's last traceback (the command shows one line; the log keeps the rest)."""
        log = self.home / "logs" / "raccordo.log"
        if len(self.tally.tracebacks) >= 2 or not log.exists():
            return
        text = log.read_text(encoding="utf-8", errors="replace")
        start = text.rfind("Traceback (most recent call last)")
        if start >= 0:
            lines = text[start:].splitlines()[:80]
            frames = [line.strip() for line in lines if line.strip().startswith('File "')]
            ours = [f for f in frames if "/site-packages/" not in f]
            last = next((line for line in reversed(lines) if line and not line[0].isspace()), "")
            self.tally.tracebacks.append(" | ".join([*ours[-6:], last]))

    def _start_sync(self, pause_at: str | None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            self.argv("sync", "--json", "--password-stdin"),
            env=self.env(pause_at),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None
        process.stdin.write((self._password + "\n").encode())
        process.stdin.close()
        return process

    def sync_killed_at(self, point: str) -> bool:
        """A sync killed with SIGKILL when it reaches ``point`` (True), or left to finish
        when it never gets there (nothing to push, nothing to pull, server away)."""
        self.tally.syncs += 1
        marker = self.home / "paused"
        marker.unlink(missing_ok=True)
        process = self._start_sync(point)
        deadline = time.monotonic() + PAUSE_WAIT
        while not marker.exists():
            if process.poll() is not None:
                self.tally.syncs_ended[f"ended before {point}: {_outcome(process)}"] += 1
                _reap(process)
                return False
            if time.monotonic() > deadline:
                self.tally.hung.append(f"sync (waiting for {point})")
                break
            time.sleep(0.02)
        _reap(process, kill=True)
        marker.unlink(missing_ok=True)
        self.tally.kills[point] += 1
        return True

    def sync_killed_randomly(self) -> bool:
        """A sync killed at a random moment of its usual length (start-up included)."""
        self.tally.syncs += 1
        process = self._start_sync(None)
        try:
            process.wait(timeout=self._sync_seconds * self.rnd.uniform(0.3, 1.0))
        except subprocess.TimeoutExpired:
            _reap(process, kill=True)
            self.tally.kills["random"] += 1
            return True
        self.tally.syncs_ended[f"ended before its random kill: {_outcome(process)}"] += 1
        _reap(process)
        return False

    # --- the replica ----------------------------------------------------------------
    def replica(self) -> sqlite3.Connection:
        path = self.home / "replica.sqlite3"
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with contextlib.closing(self.replica()) as connection:
            return list(connection.execute(sql, params))

    def record(self, operation: str, succeeded: bool) -> None:
        """The outbox rows the last command added go into the ledger."""
        rows = self.rows(
            "SELECT seq, mutation_id, table_name, row_id, action, changes FROM sync_outbox "
            "WHERE seq > ? ORDER BY seq",
            self._last_seq,
        )
        for seq, mutation_id, table, row_id, action, changes in rows:
            self.ledger.append(
                Mutation(
                    self.index,
                    self.user,
                    operation,
                    int(seq),
                    str(mutation_id),
                    str(table),
                    _uuid_text(row_id),
                    str(action),
                    json.loads(changes),
                )
            )
            self._last_seq = max(self._last_seq, int(seq))
        if rows and not succeeded:
            self.tally.odd.append(f"station {self.index}: «{operation}» failed but queued changes")

    def note_outbox_start(self) -> None:
        found = self.rows("SELECT max(seq) FROM sync_outbox")
        self._last_seq = int(found[0][0] or 0) if found else 0

    def _dossiers(self) -> list[tuple[str, str]]:
        """(application code, state) of the open dossiers this replica shows, oldest first."""
        return [
            (str(code), str(state))
            for code, state in self.rows(
                "SELECT application_code, state FROM dossiers WHERE deleted_at IS NULL "
                "AND application_code IS NOT NULL ORDER BY application_code"
            )
            if state not in FINAL
        ]

    def _pick(self, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
        if not candidates:
            return None
        if self.rnd.random() < 0.6:
            return self.rnd.choice(candidates[:HOT])
        return self.rnd.choice(candidates)

    # --- work -------------------------------------------------------------------------
    def _unique(self) -> str:
        self._counter += 1
        return f"{self.index}x{self._counter}x{self.rnd.randrange(10**6)}"

    def register(self) -> tuple[str, list[str]]:
        self._counter += 1
        code = f"CHX-{self.run_tag}-{self.index}-{self._counter}".upper()
        kind = self.rnd.choice(("NO_LAVORO", "NO_LAVORO", "CONVERSIONE"))
        filed = date.today() - timedelta(days=self.rnd.randrange(20, 60))
        quota = filed + timedelta(days=self.rnd.randrange(0, 10))
        born = date(self.rnd.randrange(1960, 2000), self.rnd.randrange(1, 13), 1)
        args = [
            "dossier", "add", "--type", kind,
            "--surname", self.rnd.choice(SURNAMES), "--given-names", self.rnd.choice(NAMES),
            "--birth-date", born.isoformat(),
            "--nationality", self.rnd.choice(("ROU", "MAR", "IND", "BGD")),
            "--employer", "Cascina Bassiana srl", "--application-code", code,
            "--filed-on", filed.isoformat(), "--quota-assigned-on", quota.isoformat(), "--json",
        ]  # fmt: skip
        return "register", args

    def _update(self) -> tuple[str, list[str]] | None:
        target = self._pick(self._dossiers())
        if target is None:
            return None
        tag = self._unique()
        if self.office == "questura":
            field_, value = "cui", f"CUI{tag.replace('x', '')}"
        else:
            field_, value = self.rnd.choice(
                (
                    ("birth_place", f"Luogo {tag}"),
                    ("employer_pec", f"p{tag}@pec.it"),
                    ("passport", f"YA{tag.replace('x', '')}"[:20]),
                )
            )
        return f"update {field_}", ["dossier", "update", target[0], "--set", f"{field_}={value}"]

    def _advance(self) -> tuple[str, list[str]] | None:
        target = self._pick([d for d in self._dossiers() if d[1] in SUI_MOVES])
        if target is None:
            return None
        moves = SUI_MOVES[target[1]]
        state = self.rnd.choices([m for m, _ in moves], [w for _, w in moves])[0]
        return f"advance {state}", ["dossier", "advance", target[0], state]

    def _parere(self) -> tuple[str, list[str]] | None:
        target = self._pick([d for d in self._dossiers() if d[1] == "parere_richiesto"])
        if target is None:
            return None
        if self.rnd.random() < 0.8:
            return "parere", ["parere", target[0], "--outcome", "favorevole"]
        reasons = f"Motivi {self._unique()}"
        return "parere", ["parere", target[0], "--outcome", "motivi_ostativi", "--reasons", reasons]

    def _flag_raise(self) -> tuple[str, list[str]] | None:
        target = self._pick(self._dossiers())
        if target is None:
            return None
        category = self.rnd.choice(("documenti_mancanti", "verifica_identita", "altro"))
        text = f"Segnalazione {self._unique()}"
        return "flag raise", ["flag", "raise", target[0], "--category", category, "--text", text]

    def _flag_resolve(self) -> tuple[str, list[str]] | None:
        numbers = [
            int(n)
            for (n,) in self.rows(
                "SELECT number FROM flags WHERE resolved_on IS NULL AND deleted_at IS NULL"
            )
        ]
        if not numbers:
            return None
        number = self.rnd.choice(numbers)
        note = f"Risolta {self._unique()}"
        return "flag resolve", ["flag", "resolve", str(number), "--note", note]

    def _document(self) -> tuple[str, list[str]] | None:
        target = self._pick(self._dossiers())
        if target is None:
            return None
        tag = self._unique()
        body = f"%PDF-1.4\n% chaos {self.run_tag} {tag} {self.rnd.getrandbits(64):x}\n%%EOF\n"
        path = self.inbox / f"{target[0]}__documento-{tag}.pdf"
        path.write_bytes(body.encode())
        return "document", ["import", str(path), "--json"]

    def _resolve_conflict(self) -> tuple[str, list[str]] | None:
        found = self.rows("SELECT id, kind FROM sync_conflicts WHERE resolved_at IS NULL")
        if not found:
            return None
        number, kind = self.rnd.choice(found)
        keep = "local" if kind == "field" and self.rnd.random() < 0.5 else "server"
        return f"conflict keep {keep}", ["conflicts", "resolve", str(number), "--keep", keep]

    def operation(self) -> tuple[str, list[str]] | None:
        if self.office == "sui":
            few = len(self._dossiers()) < 6
            choices = [
                (self.register, 4 if few else 1.0),
                (self._update, 3),
                (self._advance, 4),
                (self._flag_raise, 1),
                (self._flag_resolve, 1),
                (self._document, 2),
                (self._resolve_conflict, 0.7),
            ]
        else:
            choices = [
                (self._parere, 5),
                (self._update, 2),
                (self._flag_raise, 2),
                (self._flag_resolve, 1.5),
                (self._document, 2),
                (self._resolve_conflict, 0.7),
            ]
        for _ in range(5):
            make = self.rnd.choices([c for c, _ in choices], [w for _, w in choices])[0]
            picked = make()
            if picked is not None:
                return picked
        return None

    def do_operation(self) -> None:
        picked = self.operation()
        if picked is None:  # nothing this office can do here yet: fetch the others' work
            self.sync_at_random()
        else:
            self.perform(picked)

    def perform(self, picked: tuple[str, list[str]]) -> None:
        name, args = picked
        self.tally.attempted[name] += 1
        done = self.run(*args)
        if done.returncode == 0:
            self.tally.done[name] += 1
        else:
            message = (done.stderr.strip().splitlines() or ["?"])[-1][:160]
            self.tally.refusals[f"{name}: {message}"] += 1
        self.record(name, done.returncode == 0)

    def queued(self) -> int:
        return int(self.rows("SELECT count(*) FROM sync_outbox")[0][0])

    def sync_at_random(self) -> None:
        roll = self.rnd.random()
        if roll < 0.35:
            self.sync()
        elif roll < 0.8:
            # A push test point is only reached with something to push.
            points = TEST_POINTS if self.queued() else ("pull-mid-apply", "content-mid-transfer")
            self.sync_killed_at(self.rnd.choice(points))
        else:
            self.sync_killed_randomly()

    def work(self, until: float, max_actions: int, stop: threading.Event) -> None:
        for _ in range(max_actions):
            if time.monotonic() >= until or stop.is_set():
                return
            kind = "operation" if self.rnd.random() < 0.62 else "sync"
            began = time.monotonic()
            if kind == "operation":
                self.do_operation()
            else:
                self.sync_at_random()
            self.tally.seconds[kind] = self.tally.seconds.get(kind, 0.0) + time.monotonic() - began
            self.tally.actions[kind] += 1
