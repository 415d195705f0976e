"""Identifiers of the demo: codici fiscali, partite IVA, time-ordered UUIDs, search
keys, and how values reach the driver.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect, Uuid
from stdnum import luhn
from stdnum.it import codicefiscale

from models.text import fold

# Identifiers.

_MONTH_LETTERS = "ABCDEHLMPRST"
_OMOCODIA = "LMNPQRSTUV"
_OMOCODIA_POSITIONS = (14, 13, 12, 10, 9, 7, 6)  # digits replaced right to left
CF_YEARS = (1920, 2019)  # python-stdnum reads two-digit years in this window
_VOWELS = frozenset("AEIOU")


@lru_cache(maxsize=4096)
def _name_part(text: str, given: bool) -> str:
    letters = [ch for ch in fold(text).upper() if "A" <= ch <= "Z"]
    consonants = [ch for ch in letters if ch not in _VOWELS]
    vowels = [ch for ch in letters if ch in _VOWELS]
    if given and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return ("".join(consonants + vowels) + "XXX")[:3]


def fiscal_code(
    surname: str, given_names: str, sex: str, birth: date, place: str, taken: set[str]
) -> str:
    """The codice fiscale; ``taken`` holds the codes already issued, for *omocodia*."""
    day = birth.day + (40 if sex == "F" else 0)
    base = (
        f"{_name_part(surname, False)}{_name_part(given_names, True)}"
        f"{birth.year % 100:02d}{_MONTH_LETTERS[birth.month - 1]}{day:02d}{place}"
    )
    code = base
    for count in range(len(_OMOCODIA_POSITIONS) + 1):
        code = _omocode(base, count)
        if code not in taken:
            break
    taken.add(code)
    return code + codicefiscale.calc_check_digit(code)


def _omocode(base: str, substitutions: int) -> str:
    chars = list(base)
    for position in _OMOCODIA_POSITIONS[:substitutions]:
        chars[position] = _OMOCODIA[int(chars[position])]
    return "".join(chars)


def partita_iva(serial: int, office: str) -> str:
    body = f"{serial:07d}{office}"
    return body + luhn.calc_check_digit(body)


def uuid7(millis: int, sub: int, tail: int) -> int:
    """A version-7 UUID as an integer: ``millis`` timestamp, ``sub`` in rand_a (0–4095),
    ``tail`` 62 random bits. Ids made in filing order keep every B-tree insert at the end."""
    return (millis << 80) | ((0x7000 | sub) << 64) | (1 << 63) | tail


@lru_cache(maxsize=8192)
def _fold_name(text: str) -> str:
    return fold(text)


def _fold_code(text: str) -> str:
    # Codes made here are ASCII without spaces: folding them is lower-casing.
    return text.lower() if text.isascii() and " " not in text else fold(text)


def search_key_of(
    surname: str,
    given_names: str,
    protocol: str,
    application: str | None,
    fiscal: str | None,
    cui: str | None,
    passport: str | None,
) -> str:
    """``models.services.registration.search_key`` without a Dossier object: folding each
    part apart gives the same text, since the parts have no surrounding spaces."""
    parts = [_fold_name(surname), _fold_name(given_names), _fold_code(protocol)]
    parts.extend(_fold_code(p) for p in (application, fiscal, cui, passport) if p)
    return " ".join(p for p in parts if p)


# How values reach the driver.


@dataclass(frozen=True)
class Codec:
    """Ids and foreign keys in the form the driver receives them.

    SQLAlchemy stores a UUID as 32 hex digits where the database has no UUID type
    (SQLite) and as a UUID object elsewhere; building that form directly from the
    integer saves a UUID object and a conversion per row.
    """

    hex_ids: bool

    @classmethod
    def for_dialect(cls, dialect: Dialect) -> Codec:
        process = Uuid().dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            return cls(hex_ids=False)
        probe = uuid.UUID(int=0x0123456789ABCDEF0123456789ABCDEF)
        if process(probe) != f"{probe.int:032x}":
            raise RuntimeError("rappresentazione degli UUID non prevista dal generatore")
        return cls(hex_ids=True)

    def new_id(self, value: int) -> Any:
        return f"{value:032x}" if self.hex_ids else uuid.UUID(int=value)

    def key(self, value: uuid.UUID) -> Any:
        return value.hex if self.hex_ids else value
