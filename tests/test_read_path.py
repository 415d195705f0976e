"""The light read path (``models.read``) answers exactly as the ORM path does.

``dossier list``, ``deadlines`` and ``dossier show`` read through the database driver
alone; the GUI and every other use case read through the ORM. For each role, on demo
data with restricted, suspended, closed and tombstoned dossiers, both paths must give
the same dossiers in the same order with the same figures, and hide the same ones.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from desktop.cli.main import main
from desktop.demo import generate
from models.dossiers import Dossier
from models.errors import NotFound
from models.read.connection import open_reader
from models.read.dossiers import DossierReads, load_viewer
from models.read.filters import DossierFilter
from models.services import forecast, views
from models.uow import Database
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
USERS = ("admin", "rossi", "bianchi", "verdi", "neri")
COUNT = 1000


@pytest.fixture
def demo(db: Database) -> Database:
    """Demo dossiers; one visible dossier tombstoned, as a deletion synced from afar."""
    generate(db, COUNT, 11)
    with db.sessions() as session:
        victim = session.scalars(
            select(Dossier.id).where(Dossier.restricted.is_(False)).order_by(Dossier.id).limit(1)
        ).one()
        session.execute(
            update(Dossier).where(Dossier.id == victim).values(deleted_at=Dossier.created_at)
        )
        session.commit()
    return db


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def light(demo: Database) -> Iterator[Callable[[str], DossierReads]]:
    readers = []

    def reads_as(username: str) -> DossierReads:
        reader = open_reader(_url(demo))
        assert reader is not None, "the light path refused a database at the schema's head"
        readers.append(reader)
        return DossierReads(reader, load_viewer(reader, username), TODAY)

    yield reads_as
    for reader in readers:
        reader.close()


def _samples(database: Database) -> dict[str, Any]:
    """Texts a clerk would type, and dossiers of every kind to show."""
    with database.sessions() as session:
        rows = session.scalars(select(Dossier).order_by(Dossier.filed_on, Dossier.id)).all()
        restricted = next(d for d in rows if d.restricted)
        suspended = next(d for d in rows if d.clock_state == "suspended" and not d.restricted)
        closed = next(d for d in rows if d.closed_on is not None)
        with_code = next(d for d in rows if d.application_code and d.fiscal_code)
        tombstone = next(d for d in rows if d.deleted_at is not None)
        flagged = next((d for d in rows if d.open_flags), suspended)
        shown = [restricted, suspended, closed, with_code, tombstone, flagged, *rows[::40]]
        return {
            "searches": [
                restricted.surname[:1],
                restricted.surname[:2],
                restricted.surname[:5],
                restricted.protocol,
                restricted.protocol.lower()[:9],
                "lo-qu",
                with_code.fiscal_code,
                with_code.application_code,
                suspended.given_names.split()[0],
                "zzzz",
            ],
            "refs": [
                ref
                for d in shown
                for ref in (d.reference, str(d.id), d.application_code)
                if ref is not None
            ]
            + ["LO-SUI/1999/0000001", "XX-NONE/2026/0000001", "nessuno"],
            "restricted": restricted.reference,
        }


def _filters(samples: dict[str, Any]) -> list[DossierFilter]:
    return [
        DossierFilter(),
        *(DossierFilter(search=text) for text in samples["searches"]),
        DossierFilter(state="IN_ISTRUTTORIA"),
        DossierFilter(type_code="no_lavoro"),
        DossierFilter(office="questura"),
        DossierFilter(office="LO-SUI", open_only=True),
        DossierFilter(overdue=True),
        DossierFilter(due_within=30),
        DossierFilter(with_open_flags=True),
        DossierFilter(open_only=True, search="a"),
    ]


def _orm_list(database: Database, user: str, spec: DossierFilter, limit: int | None) -> Any:
    with database.unit_of_work(user) as uow:
        return views.dossier_summaries(uow, spec, limit=limit)


def _orm_detail(database: Database, user: str, ref: str) -> Any:
    with database.unit_of_work(user) as uow:
        return views.dossier_detail(uow, ref)


def _outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except NotFound as refused:
        return ("NotFound", str(refused))


@pytest.mark.parametrize("user", USERS)
def test_lists_and_deadlines_are_the_same_on_both_paths(
    demo: Database, light: Callable[[str], DossierReads], user: str
) -> None:
    samples = _samples(demo)
    reads = light(user)
    for spec in _filters(samples):
        for limit in (None, 50):
            expected = _orm_list(demo, user, spec, limit)
            assert reads.summaries(reads.list_records(spec, limit)) == expected, (spec, limit)
    for within, office in ((7, None), (60, "LO-QUESTURA"), (-30, "sui")):
        with demo.unit_of_work(user) as uow:
            expected = views.deadline_summaries(uow, within, office)
        assert reads.summaries(reads.deadline_records(within, office)) == expected


@pytest.mark.parametrize("user", USERS)
def test_a_dossier_shows_the_same_on_both_paths(
    demo: Database, light: Callable[[str], DossierReads], user: str
) -> None:
    samples = _samples(demo)
    reads = light(user)
    for ref in samples["refs"]:
        expected = _outcome(lambda ref=ref: _orm_detail(demo, user, ref))
        assert _outcome(lambda ref=ref: reads.detail(ref)) == expected, ref


@pytest.mark.parametrize("user", ["rossi", "verdi"])
def test_breach_risks_are_the_same_on_both_paths(
    demo: Database, light: Callable[[str], DossierReads], user: str
) -> None:
    reads = light(user)
    ids = [r.id for r in reads.list_records(DossierFilter(), None)]
    for wanted in (ids, ids[:50]):  # the whole office, and one page
        with demo.unit_of_work(user) as uow:
            expected = forecast.breach_risks(uow, wanted)
        assert reads.breach_risks(wanted) == expected
        assert set(expected) <= set(wanted)
    assert any(risk is not None and 0 < risk < 1 for risk in expected.values())


def test_restricted_dossiers_stay_hidden_without_clearance(
    demo: Database, light: Callable[[str], DossierReads]
) -> None:
    ref = _samples(demo)["restricted"]
    clerk, head = light("rossi"), light("verdi")
    with pytest.raises(NotFound, match="non trovata"):
        clerk.detail(ref)
    assert head.detail(ref).restricted is True
    everything = DossierFilter()
    assert not any(s.restricted for s in clerk.summaries(clerk.list_records(everything, None)))
    assert any(s.restricted for s in head.summaries(head.list_records(everything, None)))
    assert clerk.list_records(DossierFilter(search=ref), None) == []


def test_an_unknown_or_inactive_user_is_refused_as_on_the_orm_path(
    demo: Database, light: Callable[[str], DossierReads]
) -> None:
    with pytest.raises(NotFound, match="utente «nessuno» sconosciuto; utenti: admin, bianchi"):
        light("nessuno")


# -- the read commands' start-up ----------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    assert main(["--home", str(tmp_path), "init"]) == 0
    registration = ["--surname", "Rossi", "--given-names", "Ana", "--nationality", "ROU"]
    registration += ["--birth-date", "1990-03-04", "--employer", "Cascina Bassiana srl"]
    registration += ["--employer-fiscal-code", "00743110157", "--quota-assigned-on", "2026-11-02"]
    base = ["--home", str(tmp_path), "--user", "admin", "dossier", "add", "--type", "NO_LAVORO"]
    assert main([*base, *registration, "--filed-on", "2026-11-02"]) == 0
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ["dossier", "list", "--search", "rossi"],
        ["dossier", "list", "--search", "LO-SUI/2026/0000001", "--json"],
        ["dossier", "show", "LO-SUI/2026/0000001"],
        ["deadlines", "--within", "30", "--json"],
    ],
)
def test_read_commands_leave_the_orm_and_the_log_file_unloaded(
    home: Path, command: list[str]
) -> None:
    script = (
        "import sys\n"
        "from desktop.cli.main import main\n"
        f"code = main(['--home', {str(home)!r}, '--user', 'admin', *{command!r}])\n"
        "loaded = [m for m in ('sqlalchemy', 'sqlalchemy.orm', 'models.dossiers',"
        " 'models.base', 'logging.handlers') if m in sys.modules]\n"
        "print('LOADED', loaded, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "LOADED [] " in done.stdout, done.stdout + done.stderr


def test_an_older_schema_or_no_database_takes_the_full_path(tmp_path: Path) -> None:
    home = tmp_path / "a folder with spaces"
    assert open_reader(f"sqlite:///{home / 'raccordo.sqlite3'}") is None  # not there yet
    assert not (home / "raccordo.sqlite3").exists()  # and not created by looking
    assert main(["--home", str(home), "--user", "admin", "deadlines"]) == 0  # creates it
    url = f"sqlite:///{home / 'raccordo.sqlite3'}"
    reader = open_reader(url)
    assert reader is not None
    reader.close()
    with sqlite3.connect(home / "raccordo.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0010'")
    assert open_reader(url) is None  # an older schema: the full path upgrades it first
