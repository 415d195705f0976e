"""One way to write and read a day: ``gg/mm/aaaa`` for people, ISO for scripts."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from models.dates import italian_date, local_moment, parse_date


def test_a_day_is_written_dd_mm_yyyy_from_a_date_or_its_iso_text() -> None:
    assert italian_date(date(2026, 3, 4)) == "04/03/2026"
    assert italian_date("2026-03-04") == "04/03/2026"
    assert italian_date(datetime(2026, 3, 4, 23, 59)) == "04/03/2026"


def test_no_day_is_blank_or_what_the_caller_asks() -> None:
    assert italian_date(None) == ""
    assert italian_date("") == ""
    assert italian_date(None, "—") == "—"


def test_both_spellings_are_read() -> None:
    assert parse_date("2026-03-04") == date(2026, 3, 4)
    assert parse_date(" 4/3/2026 ") == date(2026, 3, 4)
    assert parse_date("04/03/2026") == date(2026, 3, 4)


@pytest.mark.parametrize("text", ["2026/03/04", "4-3-2026", "ieri", "", "04/03/26"])
def test_text_that_is_no_date_is_refused_naming_the_formats(text: str) -> None:
    with pytest.raises(ValueError, match=r"data non valida .*AAAA-MM-GG o gg/mm/aaaa"):
        parse_date(text)


def test_a_date_that_does_not_exist_is_called_impossible() -> None:
    with pytest.raises(ValueError, match="data impossibile «31/02/2026»"):
        parse_date("31/02/2026")
    with pytest.raises(ValueError, match="data impossibile"):
        parse_date("2026-13-01")


def test_lists_from_the_portal_take_the_italian_spelling_only() -> None:
    assert parse_date("31/12/2025", iso=False) == date(2025, 12, 31)
    with pytest.raises(ValueError, match="formato gg/mm/aaaa"):
        parse_date("2025-12-31", iso=False)


@pytest.fixture
def rome() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Rome"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("rome")
def test_a_stored_moment_is_shown_in_local_time() -> None:
    summer = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)
    assert local_moment(summer) == "01/07/2026 12:30"
    assert local_moment(summer.isoformat(), seconds=True) == "01/07/2026 12:30:00"
    # A moment without its zone is UTC: how every moment is stored.
    assert local_moment(datetime(2026, 1, 15, 8, 0)) == "15/01/2026 09:00"
    assert local_moment(None) == ""
