"""Days and moments as Italian readers write them: ``gg/mm/aaaa`` and local time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ITALIAN = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


def italian_date(value: date | str | None, missing: str = "") -> str:
    """``dd/mm/yyyy`` of a date or of its ISO text; ``missing`` for none."""
    if value is None or value == "":
        return missing
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def as_utc(moment: datetime) -> datetime:
    """A stored moment with its zone, in UTC. SQLite keeps the UTC time without a zone;
    PostgreSQL gives it in the session's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_moment(value: datetime | str | None, seconds: bool = False) -> str:
    """A stored moment (UTC) in this computer's local time, ``dd/mm/yyyy hh:mm[:ss]``.

    A moment without a zone is taken as UTC: that is how Raccordo stores every one.
    """
    if value is None or value == "":
        return ""
    moment = as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def parse_date(value: str, iso: bool = True) -> date:
    """``dd/mm/yyyy`` (and ``YYYY-MM-DD`` unless ``iso`` is False) to a date.

    As clerks type it too: ``12.5.1990`` (dots) and ``12051990`` (eight digits, ggmmaaaa).

    ValueError with an Italian message: «non valida» for text that is not a date,
    «impossibile» for a date that does not exist (31/02).
    """
    text = value.strip()
    if match := _ITALIAN.match(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _DIGITS_ONLY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif iso and (match := _ISO.match(text)):
        year, month, day = (int(part) for part in match.groups())
    else:
        shape = "AAAA-MM-GG o gg/mm/aaaa" if iso else "formato gg/mm/aaaa"
        usage = f"usare {shape}" if iso else shape
        raise ValueError(f"data non valida «{value}» ({usage})")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"data impossibile «{value}»") from None
