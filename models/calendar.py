"""Working days for administrative terms: Italian national holidays plus the patron saint."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

CACHED_YEARS = range(2000, 2061)


class HolidayCalendar:
    """Holidays of one office: the national ones and its city's patron saint.

    ``province`` is the `holidays` subdivision (``LO`` adds San Bassiano, 19 January);
    ``patron_day`` (``MM-DD``) adds a patron the package does not know. ``known`` are the
    package's dates for ``known_years``, saved earlier (see ``holiday_table``): building
    them from the package costs about 90 ms, too much for every command.
    """

    def __init__(
        self,
        province: str | None = "LO",
        patron_day: str | None = None,
        known: Mapping[date, str] | None = None,
        known_years: range = range(0),
    ) -> None:
        self._province = province or None
        self._package: Any = None
        self._known = dict(known or {})
        self._known_years = known_years if known is not None else range(0)
        self._patron: tuple[int, int] | None = None
        if patron_day:
            month, day = patron_day.split("-")
            self._patron = (int(month), int(day))

    def _package_name(self, day: date) -> str | None:
        if day.year in self._known_years:
            return self._known.get(day)
        if self._package is None:
            import holidays  # ~90 ms with the calendar: only when the saved table lacks a year

            self._package = holidays.country_holidays("IT", subdiv=self._province)
        name = self._package.get(day)
        return str(name) if name else None

    def is_holiday(self, day: date) -> bool:
        if self._patron and (day.month, day.day) == self._patron:
            return True
        return self._package_name(day) is not None

    def holiday_name(self, day: date) -> str | None:
        if self._patron and (day.month, day.day) == self._patron:
            return "Santo patrono"
        return self._package_name(day)

    def is_working_day(self, day: date, saturday_working: bool = True) -> bool:
        weekday = day.weekday()
        if weekday == 6 or (weekday == 5 and not saturday_working):
            return False
        return not self.is_holiday(day)

    def roll_forward(self, day: date, saturday_working: bool = True) -> date:
        """The first working day on or after ``day`` (a term ending on a holiday moves on)."""
        while not self.is_working_day(day, saturday_working):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int, saturday_working: bool = True) -> date:
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day, saturday_working):
                count -= 1
        return day


@lru_cache(maxsize=32)
def calendar_for(province: str | None, patron_day: str | None = None) -> HolidayCalendar:
    return HolidayCalendar(province, patron_day)


def holiday_table(province: str | None, years: range = CACHED_YEARS) -> str:
    """The package's holidays of ``province`` for ``years``, as JSON to save."""
    from importlib.metadata import version

    import holidays

    dates = holidays.country_holidays("IT", subdiv=province or None, years=years)
    return json.dumps(
        {
            "years": [years.start, years.stop],
            "version": version("holidays"),
            "dates": {day.isoformat(): str(name) for day, name in sorted(dates.items())},
        },
        ensure_ascii=False,
    )


def calendar_from_table(
    province: str | None, patron_day: str | None, table: str
) -> HolidayCalendar:
    data = json.loads(table)
    known = {date.fromisoformat(day): name for day, name in data["dates"].items()}
    return HolidayCalendar(province, patron_day, known, range(*data["years"]))


def is_italian_province(code: str) -> bool:
    """A province the `holidays` package knows (its patron saint comes with it)."""
    from holidays.countries.italy import Italy

    return len(code) == 2 and code in Italy.subdivisions
