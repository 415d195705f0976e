"""Every command, with hostile arguments and hostile surroundings, fails as a person
can read: exit status 1 or 2 and one Italian line per problem, never a traceback.

The commands are the parser's own (a new command is fuzzed without touching this
file); each runs in-process on a workstation of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import build_parser, main

HUGE = "Ç" * 120_000
CONTROL = "a\x1b[2J\x00\nb\x7f"
BIG_NUMBERS = ("1000000000000", "-1000000000000", "1" + "0" * 40)
BAD_FLOATS = ("nan", "inf", "-1e308")
# Lines a person may see on stderr: a refusal, a warning, a note about the log.
LINE = re.compile(r"(errore|attenzione|avviso|scartata): \S")
# Never started with hostile values: it opens a window (its arguments are still parsed).
PARSE_ONLY = {("gui",)}
# Sensible values for the arguments a command requires, so that the hostile one is the
# reason for a refusal; anything else gets "x".
PLAUSIBLE = {
    "--type": "NO_LAVORO",
    "--surname": "Rossi",
    "--given-names": "Mario",
    "--birth-date": "04/03/1990",
    "--nationality": "ROU",
    "--from": "01/01/2026",
    "--to": "31/01/2026",
    "--term": "60",
    "--office": "LO-SUI",
    "--text": "verifica",
    "--set": "surname=Rossi",
    "key": "log.level",
    "value": "INFO",
    "--dossiers": "1",
    "--on": "31/12/2030",
}
FILE_SLOTS = {"output", "file", "csv", "xlsx", "dir", "against", "screenshot"}
EXTRA = {("watch",): ["--once"], ("demo",): ["--dossiers", "1"]}


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    parser: argparse.ArgumentParser

    @property
    def slots(self) -> list[argparse.Action]:
        return [
            a
            for a in self.parser._actions
            if a.nargs != 0 and not isinstance(a, argparse._SubParsersAction)
        ]

    def base(self, skip: argparse.Action | None = None) -> list[str]:
        """The command with a plausible value for everything it requires."""
        argv = [*self.words, *EXTRA.get(self.words, [])]
        for action in self.slots:
            if action is skip or not (action.required or _is_required_positional(action)):
                continue
            argv += self.argv_for(action, self.plausible(action))
        return argv

    @staticmethod
    def plausible(action: argparse.Action) -> str:
        if action.choices:
            return str(next(iter(action.choices)))
        if action.type is int or action.type is float:
            return "1"
        name = action.option_strings[0] if action.option_strings else action.dest
        return PLAUSIBLE.get(name, "x")

    @staticmethod
    def argv_for(action: argparse.Action, value: str) -> list[str]:
        return [action.option_strings[-1], value] if action.option_strings else [value]


def _is_required_positional(action: argparse.Action) -> bool:
    return not action.option_strings and action.nargs not in ("?", "*")


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield Command(words, parser)
        return
    for name, child in subcommands[0].choices.items():
        yield from commands(child, (*words, name))


COMMANDS = list(commands(build_parser()))


def hostile_values(action: argparse.Action, folder: Path) -> tuple[str, ...]:
    if action.type is int:
        return BIG_NUMBERS
    if action.type is float:
        return BAD_FLOATS
    if action.choices:
        return ("zzz",)
    if action.dest in FILE_SLOTS:
        return (str(folder / "manca" / "dentro" / "file.pdf"), HUGE, CONTROL)
    return (HUGE, CONTROL)


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    def check(self, codes: tuple[int, ...] = (0, 1, 2)) -> None:
        shown = " ".join(a[:40] for a in self.argv)
        assert self.code in codes, f"{shown}: exit {self.code}\n{self.err}"
        assert "Traceback" not in self.err, shown
        if self.code == 0:
            return  # progress and warnings of a command that did its work
        lines = [line for line in self.err.splitlines() if line.strip()]
        for line in lines:
            assert LINE.match(line), f"{shown}: {line[:200]!r}"
            assert "usage:" not in line and " error:" not in line, f"{shown}: {line[:200]}"
        assert any(line.startswith("errore: ") for line in lines), f"{shown}: {self.err}"


def run(home: Path, *argv: str, user: str = "admin") -> Run:
    full = ["--home", str(home), "--user", user, *argv]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(full)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Run(full, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fuzz-home")
    assert run(home, "init").code == 0
    return home


@pytest.fixture(autouse=True)
def _quiet_stdin_and_cwd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # --password-stdin reads nothing
    monkeypatch.chdir(tmp_path)  # files named by hostile values land here


def test_the_parser_has_every_command() -> None:
    names = {" ".join(c.words) for c in COMMANDS}
    assert {"dossier add", "deadlines", "print", "sync", "server init", "import"} <= names
    assert {f"tavolo {n}" for n in ("new", "list", "agenda", "item", "outcome")} <= names
    assert {"tavolo start", "tavolo close", "tavolo verbale"} <= names
    assert len(COMMANDS) >= 40


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c.words) for c in COMMANDS])
def test_every_argument_of_every_command_refuses_hostile_values(
    command: Command, station: Path, tmp_path: Path
) -> None:
    run(station, "--frobnicate", *command.words).check((2,))
    run(station, *command.words, "--frobnicate").check((2,))
    for action in command.slots:
        for value in hostile_values(action, tmp_path):
            argv = [*command.base(skip=action), *command.argv_for(action, value)]
            if command.words in PARSE_ONLY:
                if action.choices:
                    with pytest.raises(SystemExit):
                        build_parser().parse_args(argv)
                continue
            outcome = run(station, *argv)
            outcome.check()
            if action.choices:
                assert outcome.code == 2, outcome.argv


@pytest.mark.parametrize(
    "command",
    [c for c in COMMANDS if c.words not in PARSE_ONLY],
    ids=[" ".join(c.words) for c in COMMANDS if c.words not in PARSE_ONLY],
)
def test_every_command_survives_a_hostile_workstation(
    command: Command, station: Path, tmp_path: Path
) -> None:
    a_file = tmp_path / "un-file"
    a_file.write_text("")
    surroundings = (
        ["--db", "mysql://raccordo@localhost/raccordo"],
        ["--db", str(tmp_path)],  # a folder as the database
        ["--db", "postgresql://raccordo@127.0.0.1:1/raccordo"],  # nobody listens there
        ["--home", str(a_file / "sotto")],  # a home that cannot be created
    )
    for options in surroundings:
        home = tmp_path / "casa"
        argv = [*options, *command.base()]
        run(home, *argv).check()
    run(station, *command.base(), user=HUGE).check()


# --- the cases people met, each with what it must say ----------------------------------


def _ready_station(home: Path) -> str:
    """A workstation with a clerk and one dossier; returns its protocol."""
    assert run(home, "init").code == 0
    assert run(home, "user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk").code == 0
    added = run(
        home,
        *("dossier", "add", "--type", "NO_LAVORO", "--surname", "Rossi", "--given-names"),
        *("Mario", "--birth-date", "04/03/1990", "--nationality", "ROU"),
        *("--employer", "Cascina Bassiana srl"),
        user="rossi",
    )
    assert added.code == 0, added.err
    return added.out.strip()


def test_known_hostile_cases_say_what_is_wrong(tmp_path: Path) -> None:
    home = tmp_path / "casa"
    reference = _ready_station(home)
    a_file = tmp_path / "un-file"
    a_file.write_text("")
    cases = [
        (["deadlines", "--within", str(10**12)], "al massimo 3650"),
        (["dossier", "list", "--due-within", str(10**12)], "al massimo 3650"),
        (["print", "scadenzario", "--within", str(10**12), "-o", "s.pdf"], "al massimo 3650"),
        (["--db", "mysql://raccordo@localhost/raccordo", "types"], "non supportato"),
        (["--db", str(tmp_path), "types"], "è una cartella"),
        (["--db", "postgresql://raccordo@127.0.0.1:1/raccordo", "types"], "non raggiungibile"),
        (["--home", str(a_file / "sotto"), "init"], "percorso non valido"),
        (
            ["print", "ricevuta", "--dossier", reference, "-o", str(tmp_path / "no" / "r.pdf")],
            "cartella inesistente",
        ),
        (
            ["rules", "add", "--type", "NO_LAVORO", "--from", "01/01/2027", "--term", "1000000000"],
            "termine non valido",
        ),
        (["demo", "--dossiers", str(10**12)], "al massimo"),
        (["dossier", "update", reference, "--set", "surname=" + HUGE], "troppo lungo"),
        (["dossier", "update", reference, "--set", "surname=Ros\x1bsi"], "carattere di controllo"),
    ]
    for argv, expected in cases:
        outcome = run(home, *argv)
        outcome.check((1,))
        assert expected in outcome.err, (argv[:4], outcome.err[:300])
        refusals = [line for line in outcome.err.splitlines() if line.startswith("errore:")]
        assert len(refusals) == 1, outcome.err[:300]


def test_a_sync_left_half_done_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, station: Path
) -> None:
    from sqlalchemy.exc import PendingRollbackError

    from desktop.cli import sync_commands

    def broken(_ctx: object) -> int:
        raise PendingRollbackError("This Session's transaction has been rolled back")

    monkeypatch.setattr(sync_commands, "cmd_sync", broken)
    outcome = run(station, "sync")
    outcome.check((1,))
    assert "ripetere il comando" in outcome.err
    log = (station / "logs" / "raccordo.log").read_text(encoding="utf-8")
    assert "PendingRollbackError" in log  # the traceback is kept where IT can read it


def test_a_dropped_connection_is_not_taken_for_a_missing_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from models.db import current_revision, make_engine, upgrade
    from sync.link import check_server

    engine = make_engine(str(tmp_path / "r.sqlite3"))
    assert current_revision(engine) is None  # an empty file: no schema yet
    upgrade(engine)

    def drop(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    event.listen(engine, "before_cursor_execute", drop)
    with pytest.raises(OperationalError):
        current_revision(engine)
    # The sync's opening check says the connection failed, not "schema at revision —".
    monkeypatch.setattr("sync.server.compat.check_compatibility", lambda _connection: None)
    with engine.connect() as connection, pytest.raises(OperationalError):
        check_server(connection)
    engine.dispose()


def test_registering_with_db_as_a_login_role_is_refused_in_one_line(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Staff work through their replica (raccordo connect); pointing --db at the shared
    server as a login role is refused by the server, and said so in one line."""
    login = server.people["rossi"]
    outcome = run(
        tmp_path / "casa",
        *("--db", server.url_as(login), "dossier", "add", "--type", "NO_LAVORO"),
        *("--surname", "Rossi", "--given-names", "Mario", "--birth-date", "04/03/1990"),
        *("--nationality", "ROU", "--employer", "Cascina Bassiana srl"),
        user=login,
    )
    outcome.check((1,))
    assert len(outcome.err.splitlines()) == 1, outcome.err
    assert "raccordo connect" in outcome.err
