"""Facts kept once: who may be a user, the parere's target, how moments are stored."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from models.errors import ValidationError
from models.offices import Staff
from models.parere_target import DEFAULT_DAYS, parere_target_days, read_parere_target
from models.registry import Setting
from models.services.admin import add_user
from models.staff_rules import check_username
from models.uow import Database
from reports.stats_query import parere_target as statistics_target
from sync.server.names import check_username as server_check_username

GOOD_NAMES = ["rossi", "m.rossi", "rossi_2", "0rossi", " Rossi ", "a" * 63]
BAD_NAMES = ["", "josé", ".rossi", "_rossi", "ros si", "rossi-m", "a" * 64, "pg_monitor"]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_a_good_user_name_is_good_on_the_workstation_and_on_the_server(name: str) -> None:
    assert check_username(name) == server_check_username(name) == name.strip().lower()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_name_the_server_refuses_is_refused_everywhere(name: str) -> None:
    for check in (check_username, server_check_username):
        with pytest.raises(ValidationError) as refused:
            check(name)
        assert "username" in refused.value.errors


def test_the_embedded_database_refuses_what_the_server_would(db: Database) -> None:
    with db.unit_of_work("admin", write=True) as uow:
        for name in ("josé", "pg_rossi"):
            with pytest.raises(ValidationError, match=r"nome utente|pg_"):
                add_user(uow, name, "LO-SUI", "sui_clerk", False)
        add_user(uow, " Gialli.M ", "LO-SUI", "sui_clerk", False)
        uow.commit()
    with db.sessions() as session:
        assert session.scalar(select(Staff.username).where(Staff.username == "gialli.m"))


@pytest.mark.parametrize(
    ("stored", "days"),
    [
        ("45", 45),
        (" 7 ", 7),
        ("1", 1),
        ("0", DEFAULT_DAYS),
        ("-5", DEFAULT_DAYS),
        ("trenta", DEFAULT_DAYS),
        ("", DEFAULT_DAYS),
        (None, DEFAULT_DAYS),
    ],
)
def test_the_parere_target_is_a_positive_number_of_days(stored: str | None, days: int) -> None:
    assert parere_target_days(stored) == days


def test_letters_and_statistics_read_the_same_target(db: Database) -> None:
    for stored, expected in (("0", DEFAULT_DAYS), ("45", 45)):
        with db.unit_of_work("admin", write=True) as uow:
            uow.session.merge(Setting(key="parere_target_days", value=stored))
            uow.commit()
        with db.sessions() as session:
            assert read_parere_target(session) == statistics_target(session) == expected


def test_moments_come_back_in_utc_with_their_zone(db: Database) -> None:
    rome = datetime(2026, 7, 1, 12, 30, tzinfo=ZoneInfo("Europe/Rome"))
    with db.sessions() as session:
        session.execute(update(Staff).where(Staff.username == "rossi").values(deleted_at=rome))
        session.commit()
    with db.sessions() as session:
        staff = session.scalars(select(Staff).where(Staff.username == "rossi")).one()
        assert staff.deleted_at == rome
        assert staff.deleted_at is not None and staff.deleted_at.tzinfo is UTC
        assert staff.deleted_at.hour == 10  # stored as its UTC time
        created = staff.created_at  # set by the database's clock
        assert created.tzinfo is UTC
        assert abs(datetime.now(UTC) - created) < timedelta(hours=1)
        found = session.scalar(
            select(Staff.username).where(Staff.deleted_at < rome + timedelta(minutes=1))
        )
        assert found == "rossi"


@pytest.fixture
def rome_time() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Rome"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("rome_time")
def test_the_imports_page_shows_local_time() -> None:
    from ui.imports_page import local_time

    # How the import register hands a moment over: UTC, with or without its zone.
    assert local_time("2026-01-15T08:00:00") == "15/01/2026 09:00:00"
    assert local_time(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == "01/07/2026 10:00:00"
