"""Text and date helpers shared by validation, search and the adapters."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from models.dates import parse_date

# Letters that Unicode does not decompose into base + accent.
_FOLD_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ħ": "h",
        "þ": "th",
        "ð": "d",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents, for searching: ``Ștefan`` → ``stefan``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def clean_name(text: str) -> str:
    """Names as typed, in NFC, with single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def parse_day_or_today(value: str | date | None, today: date) -> date:
    """An effective date as typed, or today when none is given."""
    if value is None or value == "":
        return today
    if isinstance(value, date):
        return value
    return parse_date(value)
