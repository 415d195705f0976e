"""Dossier field validation; every message is Italian and names the field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from models.bounds import column_length, shown, text_problem
from models.dates import parse_date
from models.dossier_fields import BLANK_WHEN_EMPTY, DATE_FIELDS, DOSSIER_FIELDS, FIELD_NAMES
from models.errors import ValidationError
from models.identity_codes import (
    InvalidCode,
    birth_facts,
    validate_employer_code,
    validate_fiscal_code,
)
from models.text import clean_name

FIELD_LABELS: dict[str, str] = {f.name: f.label for f in DOSSIER_FIELDS}
ALWAYS_REQUIRED = ("surname", "given_names", "birth_date", "nationality", "filed_on")
# One @, a local part without spaces, a domain of letters, digits and dashes with a dot.
_DOMAIN_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_PEC = re.compile(rf"[^@\s\x00-\x1f\x7f]+@(?:{_DOMAIN_LABEL}\.)+[a-z]{{2,}}", re.ASCII)
_ALNUM = re.compile(r"[A-Z0-9]+", re.ASCII)
PASSPORT_LENGTH = (5, 20)
_LONGEST_DATE = 24
_EARLIEST = date(1900, 1, 1)


@lru_cache(maxsize=1)
def nationality_codes() -> frozenset[str]:
    import pycountry  # large tables: loaded only when a nationality is checked

    # XXK (Kosovo) is an ICAO code on real passports, not in ISO 3166-1.
    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XXK"}


@lru_cache(maxsize=1)
def field_lengths() -> dict[str, int]:
    """Each field's column length on the dossier table: the one source of every limit."""
    from models.dossiers import Dossier  # SQLAlchemy: loaded only when a dossier is checked

    lengths = {}
    for field in FIELD_NAMES:
        length = column_length(getattr(Dossier, field).property.columns[0])
        if length is not None:
            lengths[field] = length
    return lengths


def _fits(field: str, value: str) -> str:
    problem = text_problem(value, field_lengths().get(field))
    if problem is not None:
        raise ValueError(problem)
    return value


def _text(field: str) -> Callable[[str], str]:
    def clean(value: str) -> str:
        _fits(field, value.strip())  # a control character is refused, not folded to a space
        return _fits(field, clean_name(value))

    return clean


def _sex(value: str) -> str:
    sex = value.strip().upper()
    if sex not in {"M", "F"}:
        raise ValueError("indicare M o F")
    return sex


def _date(value: str) -> date:
    text = value.strip()
    if len(text) > _LONGEST_DATE or not text.isprintable():
        raise ValueError(f"data non valida «{shown(value)}» (usare gg/mm/aaaa)")
    day = parse_date(text)
    if day < _EARLIEST:
        raise ValueError(f"data non plausibile ({day:%d/%m/%Y})")
    return day


def _nationality(value: str) -> str:
    from models.countries import country_code

    code = country_code(value) or value.strip().upper()
    if code not in nationality_codes():
        raise ValueError(f"«{shown(value)}» non è un codice ISO 3166 alfa-3 (es. ROU, MAR, IND)")
    return code


def _fiscal_code(value: str) -> str:
    try:
        return validate_fiscal_code(value)
    except InvalidCode as error:
        raise ValueError(f"«{shown(value)}»: {error}") from None


def _employer_code(value: str) -> str:
    try:
        return validate_employer_code(value)
    except InvalidCode as error:
        raise ValueError(
            f"«{shown(value)}» non è un codice fiscale né una partita IVA validi ({error})"
        ) from None


def _document(value: str) -> str:
    code = re.sub(r"[\s-]", "", value).upper()
    shortest, longest = PASSPORT_LENGTH
    if not _ALNUM.fullmatch(code) or not shortest <= len(code) <= longest:
        raise ValueError(f"«{shown(value)}»: da {shortest} a {longest} lettere o cifre")
    return _fits("passport", code)


def _cui(value: str) -> str:
    code = re.sub(r"\s", "", value).upper()
    longest = field_lengths()["cui"]
    if not _ALNUM.fullmatch(code) or len(code) > longest:
        raise ValueError(f"«{shown(value)}»: solo lettere e cifre, al massimo {longest}")
    return code


def _pec(value: str) -> str:
    address = value.strip().lower()
    if not _PEC.fullmatch(address):
        raise ValueError(f"«{shown(value)}» non è un indirizzo PEC valido")
    return _fits("employer_pec", address)


def _application_code(value: str) -> str:
    return _fits("application_code", value.strip().upper())


CLEANERS: dict[str, Callable[[str], Any]] = {
    "surname": _text("surname"),
    "given_names": _text("given_names"),
    "sex": _sex,
    "birth_date": _date,
    "birth_place": _text("birth_place"),
    "nationality": _nationality,
    "passport": _document,
    "fiscal_code": _fiscal_code,
    "cui": _cui,
    "application_code": _application_code,
    "employer_name": _text("employer_name"),
    "employer_fiscal_code": _employer_code,
    "employer_pec": _pec,
    "filed_on": _date,
    "quota_assigned_on": _date,
}


def clean_fields(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and per-field errors; empty strings mean "no value"."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in raw.items():
        if field not in CLEANERS:
            errors[field] = f"campo sconosciuto (campi: {', '.join(CLEANERS)})"
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            cleaned[field] = "" if field in BLANK_WHEN_EMPTY else None
            continue
        if isinstance(value, date) and field in DATE_FIELDS:
            cleaned[field] = value
            continue
        try:
            cleaned[field] = CLEANERS[field](str(value))
        except ValueError as error:
            errors[field] = f"{FIELD_LABELS[field]}: {error}"
    return cleaned, errors


def check_dossier(
    values: Mapping[str, Any],
    required: tuple[str, ...],
    today: date,
    field_errors: Mapping[str, str] | None = None,
) -> None:
    """Whole-record checks on cleaned values; raises ValidationError listing every problem,
    including ``field_errors`` already found while cleaning."""
    errors: dict[str, str] = dict(field_errors or {})
    for field in (*ALWAYS_REQUIRED, *required):
        if field not in errors and values.get(field) in (None, ""):
            errors.setdefault(field, f"{FIELD_LABELS.get(field, field)}: campo obbligatorio")
    birth, filed = values.get("birth_date"), values.get("filed_on")
    if isinstance(birth, date) and birth > today:
        errors["birth_date"] = f"data di nascita nel futuro ({birth:%d/%m/%Y})"
    if isinstance(filed, date) and filed > today:
        errors["filed_on"] = f"data di presentazione nel futuro ({filed:%d/%m/%Y})"
    if isinstance(birth, date) and isinstance(filed, date) and birth >= filed and birth <= today:
        errors["birth_date"] = "data di nascita: deve precedere la data di presentazione"
    quota = values.get("quota_assigned_on")
    if isinstance(quota, date) and quota > today:
        errors["quota_assigned_on"] = f"data di assegnazione quota nel futuro ({quota:%d/%m/%Y})"
    elif isinstance(quota, date) and isinstance(filed, date) and quota < filed:
        errors["quota_assigned_on"] = "data di assegnazione quota: precede la presentazione"
    fiscal = values.get("fiscal_code")
    if fiscal and len(fiscal) == 16 and isinstance(birth, date) and "fiscal_code" not in errors:
        problem = _fiscal_code_disagrees(fiscal, birth, values.get("sex"))
        if problem:
            errors["fiscal_code"] = f"codice fiscale: {problem}"
    if errors:
        raise ValidationError(errors)


def _fiscal_code_disagrees(code: str, birth: date, sex: str | None) -> str | None:
    """Compares the code's two year digits, month and day with the birth date (a child
    born in 2023 has ``23``, whatever century a reader might guess) and its sex."""
    try:
        facts = birth_facts(code)
    except InvalidCode as error:
        return str(error)
    if not facts.matches(birth):
        return f"non corrisponde alla data di nascita {birth:%d/%m/%Y}"
    if sex and facts.sex != sex:
        return "non corrisponde al sesso indicato"
    return None


def validate_effective_date(value: date, today: date, not_before: date | None = None) -> None:
    if value > today:
        raise ValidationError({"on": f"data di efficacia nel futuro ({value:%d/%m/%Y})"})
    if not_before and value < not_before:
        raise ValidationError(
            {
                "on": f"data di efficacia ({value:%d/%m/%Y}) precedente all'ultimo evento "
                f"({not_before:%d/%m/%Y})"
            }
        )
