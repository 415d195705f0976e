"""Dossier field validation; every message is Italian and names the field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from stdnum import exceptions as stdnum_errors
from stdnum.it import codicefiscale, iva

from models.dates import parse_date
from models.errors import ValidationError
from models.text import clean_name

FIELD_LABELS: dict[str, str] = {
    "surname": "cognome",
    "given_names": "nomi",
    "sex": "sesso",
    "birth_date": "data di nascita",
    "birth_place": "luogo di nascita",
    "nationality": "cittadinanza",
    "passport": "passaporto",
    "fiscal_code": "codice fiscale",
    "cui": "CUI",
    "application_code": "codice domanda",
    "employer_name": "datore di lavoro / richiedente",
    "employer_fiscal_code": "codice fiscale o partita IVA del datore",
    "employer_pec": "PEC del datore",
    "filed_on": "data di presentazione",
    "quota_assigned_on": "data di assegnazione quota",
}
ALWAYS_REQUIRED = ("surname", "given_names", "birth_date", "nationality", "filed_on")
_PEC = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")
_EARLIEST = date(1900, 1, 1)


@lru_cache(maxsize=1)
def nationality_codes() -> frozenset[str]:
    import pycountry  # large tables: loaded only when a nationality is checked

    # XXK (Kosovo) is an ICAO code on real passports, not in ISO 3166-1.
    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XXK"}


def _text(value: str) -> str:
    return clean_name(value)


def _sex(value: str) -> str:
    sex = value.strip().upper()
    if sex not in {"M", "F"}:
        raise ValueError("indicare M o F")
    return sex


def _date(value: str) -> date:
    day = parse_date(value)
    if day < _EARLIEST:
        raise ValueError(f"data non plausibile ({day:%d/%m/%Y})")
    return day


def _nationality(value: str) -> str:
    code = value.strip().upper()
    if code not in nationality_codes():
        raise ValueError(f"«{value}» non è un codice ISO 3166 alfa-3 (es. ROU, MAR, IND)")
    return code


def _fiscal_code(value: str) -> str:
    code = codicefiscale.compact(value)
    try:
        return str(codicefiscale.validate(code))
    except stdnum_errors.InvalidChecksum:
        raise ValueError(f"«{value}» ha il carattere di controllo errato") from None
    except stdnum_errors.ValidationError:
        raise ValueError(f"«{value}» non è un codice fiscale valido") from None


def _employer_code(value: str) -> str:
    code = codicefiscale.compact(value)
    try:
        if len(code) == 11 and code.isdigit():
            return str(iva.validate(code))
        return str(codicefiscale.validate(code))
    except stdnum_errors.ValidationError:
        raise ValueError(f"«{value}» non è un codice fiscale né una partita IVA validi") from None


def _document(value: str) -> str:
    code = re.sub(r"[\s-]", "", value).upper()
    if not _ALNUM.match(code) or not 5 <= len(code) <= 20:
        raise ValueError(f"«{value}»: da 5 a 20 lettere o cifre")
    return code


def _cui(value: str) -> str:
    code = re.sub(r"\s", "", value).upper()
    if not _ALNUM.match(code) or len(code) > 32:
        raise ValueError(f"«{value}»: solo lettere e cifre")
    return code


def _pec(value: str) -> str:
    address = value.strip().lower()
    if not _PEC.match(address):
        raise ValueError(f"«{value}» non è un indirizzo PEC valido")
    return address


def _application_code(value: str) -> str:
    return value.strip().upper()


CLEANERS: dict[str, Callable[[str], Any]] = {
    "surname": _text,
    "given_names": _text,
    "sex": _sex,
    "birth_date": _date,
    "birth_place": _text,
    "nationality": _nationality,
    "passport": _document,
    "fiscal_code": _fiscal_code,
    "cui": _cui,
    "application_code": _application_code,
    "employer_name": _text,
    "employer_fiscal_code": _employer_code,
    "employer_pec": _pec,
    "filed_on": _date,
    "quota_assigned_on": _date,
}
OPTIONAL_TEXT = {"birth_place", "employer_name", "employer_pec"}  # stored as "" when empty


def clean_fields(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and per-field errors; empty strings mean "no value"."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in raw.items():
        if field not in CLEANERS:
            errors[field] = f"campo sconosciuto (campi: {', '.join(CLEANERS)})"
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            cleaned[field] = "" if field in OPTIONAL_TEXT else None
            continue
        if isinstance(value, date) and field in {"birth_date", "filed_on", "quota_assigned_on"}:
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
    if isinstance(quota, date) and isinstance(filed, date) and quota < filed:
        errors["quota_assigned_on"] = "data di assegnazione quota: precede la presentazione"
    fiscal = values.get("fiscal_code")
    if fiscal and len(fiscal) == 16 and isinstance(birth, date) and "fiscal_code" not in errors:
        if codicefiscale.get_birth_date(fiscal) != birth:
            errors["fiscal_code"] = (
                f"codice fiscale: non corrisponde alla data di nascita {birth:%d/%m/%Y}"
            )
        elif values.get("sex") and codicefiscale.get_gender(fiscal) != values["sex"]:
            errors["fiscal_code"] = "codice fiscale: non corrisponde al sesso indicato"
    if errors:
        raise ValidationError(errors)


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
