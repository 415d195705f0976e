"""Working days for administrative terms: Italian national holidays plus the patron saint."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


class HolidayCalendar:
    """Holidays of one office: the national ones and its city's patron saint.

    ``province`` is the `holidays` subdivision (``LO`` adds San Bassiano, 19 January);
    ``patron_day`` (``MM-DD``) adds a patron the package does not know.
    """

    def __init__(self, province: str | None = "LO", patron_day: str | None = None) -> None:
        import holidays  # ~90 ms to import: only commands that count days pay for it

        self._holidays = holidays.country_holidays("IT", subdiv=province or None)
        self._patron: tuple[int, int] | None = None
        if patron_day:
            month, day = patron_day.split("-")
            self._patron = (int(month), int(day))

    def is_holiday(self, day: date) -> bool:
        if self._patron and (day.month, day.day) == self._patron:
            return True
        return day in self._holidays

    def holiday_name(self, day: date) -> str | None:
        if self._patron and (day.month, day.day) == self._patron:
            return "Santo patrono"
        name = self._holidays.get(day)
        return str(name) if name else None

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
