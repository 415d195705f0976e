"""Codice fiscale and partita IVA: reading them, never guessing a century.

A person's codice fiscale holds the last two digits of the birth year, the month as a
letter, the day (plus 40 for women) and a check character. When two people would get
the same code, the Agenzia delle Entrate replaces digits from the right with the
letters ``LMNPQRSTUV`` (*omocodia*): any of the seven digit positions may hold a letter,
and the code is read after putting the digits back. python-stdnum computes the check
character; its birth-date and sex readers guess a century and fail on omocodic day
digits, so they are not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.it import codicefiscale, iva

OMOCODIA_LETTERS = "LMNPQRSTUV"  # stand for 0-9
DIGIT_POSITIONS = (6, 7, 9, 10, 12, 13, 14)
MONTH_LETTERS = "ABCDEHLMPRST"  # January to December
FEMALE_DAY_OFFSET = 40

_DIGIT_OR_LETTER = "[0-9LMNPQRSTUV]"
_PERSON_CODE = re.compile(
    rf"[A-Z]{{6}}{_DIGIT_OR_LETTER}{{2}}[{MONTH_LETTERS}]{_DIGIT_OR_LETTER}{{2}}"
    rf"[A-Z]{_DIGIT_OR_LETTER}{{3}}[A-Z]",
    re.ASCII,
)
_NUMERIC_CODE = re.compile(r"[0-9]{11}", re.ASCII)
_SEPARATORS = re.compile(r"[\s.\-:/]")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_TO_DIGIT = str.maketrans(OMOCODIA_LETTERS, "0123456789")


class InvalidCode(ValueError):
    """A code that is not well formed; the message is Italian."""


@dataclass(frozen=True)
class BirthFacts:
    """What a person's codice fiscale says: the year's last two digits, never a century."""

    year_digits: int
    month: int
    day: int
    sex: str

    def matches(self, birth: date) -> bool:
        return (self.year_digits, self.month, self.day) == (
            birth.year % 100,
            birth.month,
            birth.day,
        )


def compact(value: str) -> str:
    """Without spaces, dots, dashes, colons or slashes, in capitals."""
    return _SEPARATORS.sub("", value).upper()


def decode_omocodia(code: str) -> str:
    """The code with its seven digit positions back to digits (check character unchanged)."""
    chars = list(code)
    for position in DIGIT_POSITIONS:
        chars[position] = chars[position].translate(_TO_DIGIT)
    return "".join(chars)


def birth_facts(code: str) -> BirthFacts:
    """Birth year digits, month, day and sex of a 16-character code; InvalidCode when the
    code does not have a codice fiscale's shape."""
    if not _PERSON_CODE.fullmatch(code):
        raise InvalidCode("lettere e cifre non nelle posizioni di un codice fiscale")
    plain = decode_omocodia(code)
    day_field = int(plain[9:11])
    sex = "F" if day_field > FEMALE_DAY_OFFSET else "M"
    day = day_field - FEMALE_DAY_OFFSET if sex == "F" else day_field
    return BirthFacts(int(plain[6:8]), MONTH_LETTERS.index(plain[8]) + 1, day, sex)


def _plausible_day(facts: BirthFacts) -> bool:
    if not 1 <= facts.day <= _DAYS_IN_MONTH[facts.month - 1]:
        return False
    # 29 February exists in every year whose last two digits divide by 4 (2000 was leap).
    return not (facts.month == 2 and facts.day == 29 and facts.year_digits % 4)


def validate_fiscal_code(value: str) -> str:
    """A person's codice fiscale (16 characters, omocodic or not) or a provisional numeric
    one (11 digits), compact; InvalidCode otherwise."""
    code = compact(value)
    if _NUMERIC_CODE.fullmatch(code):
        if not iva.is_valid(code):
            raise InvalidCode("codice numerico di 11 cifre con la cifra di controllo errata")
        return code
    if len(code) != 16:
        raise InvalidCode("servono 16 caratteri (o 11 cifre per un codice provvisorio)")
    facts = birth_facts(code)
    if codicefiscale.calc_check_digit(code[:15]) != code[15]:
        raise InvalidCode("il carattere di controllo è errato")
    if not _plausible_day(facts):
        raise InvalidCode("la data di nascita nel codice non esiste")
    return code


def compact_vat(value: str) -> str:
    """A partita IVA as written (``IT 00743110157``, ``007.431.101.57``) → 11 digits;
    anything else comes back compacted but otherwise untouched."""
    code = compact(value)
    if code.startswith("IT") and _NUMERIC_CODE.fullmatch(code[2:]):
        return code[2:]
    return code


def validate_vat(value: str) -> str:
    """A partita IVA, compact; InvalidCode otherwise."""
    code = compact_vat(value)
    if not _NUMERIC_CODE.fullmatch(code):
        raise InvalidCode("una partita IVA ha 11 cifre")
    if not iva.is_valid(code):
        raise InvalidCode("partita IVA con la cifra di controllo o l'ufficio errati")
    return code


def validate_employer_code(value: str) -> str:
    """An employer's partita IVA or a person's codice fiscale (a sole trader), compact."""
    code = compact_vat(value)
    if _NUMERIC_CODE.fullmatch(code):
        return validate_vat(code)
    return validate_fiscal_code(code)
