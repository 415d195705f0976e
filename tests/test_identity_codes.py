"""Codici fiscali, partite IVA, CUI, passports and PEC as the registration reads them.

The codice fiscale and partita IVA vectors are python-stdnum's own (tests/data/, with
their source); each valid codice fiscale is also tried in every omocodic form, and
people born in every decade from 1930 to 2026 are registered with their own code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.it import codicefiscale

from models.errors import ValidationError
from models.identity_codes import (
    DIGIT_POSITIONS,
    MONTH_LETTERS,
    OMOCODIA_LETTERS,
    birth_facts,
    decode_omocodia,
)
from models.uow import Database
from models.validation import CLEANERS, check_dossier, clean_fields
from tests.factories import register

DATA = Path(__file__).with_name("data")
TODAY = date(2026, 12, 3)
FILED = date(2026, 11, 2)


@dataclass(frozen=True)
class FiscalVector:
    code: str
    valid: bool
    birth: date | None
    sex: str | None


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _fiscal_vectors() -> list[FiscalVector]:
    return [
        FiscalVector(
            code,
            expected == "valid",
            date.fromisoformat(birth) if birth != "-" else None,
            sex if sex != "-" else None,
        )
        for code, expected, birth, sex in _rows("stdnum_codicefiscale_vectors.tsv")
    ]


FISCAL = _fiscal_vectors()
VAT = _rows("stdnum_iva_vectors.tsv")


def with_check(first15: str) -> str:
    return first15 + codicefiscale.calc_check_digit(first15)


def omocodic_variants(code: str) -> list[str]:
    """The code with its last 1…7 digit positions turned into letters, as the Agenzia
    does for the second, third… person who would get the same code."""
    plain = decode_omocodia(code)
    variants = []
    for count in range(1, len(DIGIT_POSITIONS) + 1):
        chars = list(plain[:15])
        for position in DIGIT_POSITIONS[-count:]:
            chars[position] = OMOCODIA_LETTERS[int(chars[position])]
        variants.append(with_check("".join(chars)))
    return variants


def person_code(birth: date, sex: str, surname: str = "RSS", names: str = "MRA") -> str:
    day = birth.day + (40 if sex == "F" else 0)
    return with_check(
        f"{surname}{names}{birth.year % 100:02d}{MONTH_LETTERS[birth.month - 1]}{day:02d}Z129"
    )


def person(code: str, birth: date, sex: str | None = None, **extra: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "surname": "Rossi",
        "given_names": "Maria",
        "birth_date": birth.isoformat(),
        "nationality": "ROU",
        "filed_on": FILED.isoformat(),
        "fiscal_code": code,
        **extra,
    }
    if sex:
        raw["sex"] = sex
    return raw


def check(raw: dict[str, Any]) -> dict[str, Any]:
    """The registration's checks, without a database: field by field, then the record."""
    values, errors = clean_fields(raw)
    check_dossier(values, (), TODAY, errors)
    return values


def refusal(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        check(raw)
    return refused.value.errors


# --- python-stdnum's vectors ----------------------------------------------------------


@pytest.mark.parametrize("vector", FISCAL, ids=[v.code for v in FISCAL])
def test_stdnum_codice_fiscale_vectors(vector: FiscalVector) -> None:
    values, errors = clean_fields({"fiscal_code": vector.code.lower()})
    if not vector.valid:
        assert "fiscal_code" in errors
        return
    assert errors == {} and values["fiscal_code"] == vector.code
    facts = birth_facts(vector.code)
    if vector.sex:
        assert facts.sex == vector.sex
    if vector.birth is None:
        return
    # The code holds two year digits: the same day a century later is the same code.
    for birth in (vector.birth, vector.birth.replace(year=vector.birth.year + 100)):
        if birth < FILED:
            assert check(person(vector.code, birth, vector.sex))["fiscal_code"] == vector.code
    wrong_year = vector.birth.replace(year=vector.birth.year + 1)
    assert "data di nascita" in refusal(person(vector.code, wrong_year))["fiscal_code"]
    if vector.sex:
        other = "F" if vector.sex == "M" else "M"
        assert "sesso" in refusal(person(vector.code, vector.birth, other))["fiscal_code"]


VALID_WITH_BIRTH = [v for v in FISCAL if v.valid and v.birth]


@pytest.mark.parametrize("vector", VALID_WITH_BIRTH, ids=[v.code for v in VALID_WITH_BIRTH])
def test_every_omocodic_form_of_a_vector_is_the_same_person(vector: FiscalVector) -> None:
    assert vector.birth is not None
    sex = vector.sex or birth_facts(vector.code).sex
    variants = omocodic_variants(vector.code)
    assert len(set(variants)) == len(DIGIT_POSITIONS)
    for code in variants:
        assert check(person(code, vector.birth, sex))["fiscal_code"] == code
        wrong_day = vector.birth.replace(day=vector.birth.day % 28 + 1)
        assert "data di nascita" in refusal(person(code, wrong_day, sex))["fiscal_code"]


@pytest.mark.parametrize(("written", "expected", "compact"), VAT, ids=[r[0] for r in VAT])
def test_stdnum_partita_iva_vectors_are_stored_compact(
    written: str, expected: str, compact: str
) -> None:
    values, errors = clean_fields({"employer_fiscal_code": written})
    if expected == "valid":
        assert errors == {} and values["employer_fiscal_code"] == compact
    else:
        assert "employer_fiscal_code" in errors


@pytest.mark.parametrize(
    "written", ["IT00743110157", "it 00743110157", "007.431.101.57", " 00743110157 "]
)
def test_a_partita_iva_with_prefix_spaces_or_dots_is_stored_compact(written: str) -> None:
    assert check(person("", date(1990, 3, 4), employer_fiscal_code=written))[
        "employer_fiscal_code"
    ] == ("00743110157")


def test_a_sole_trader_s_codice_fiscale_is_an_employer_code_too() -> None:
    code = person_code(date(1970, 5, 1), "M")
    values, errors = clean_fields({"employer_fiscal_code": " ".join([code[:8], code[8:]])})
    assert errors == {} and values["employer_fiscal_code"] == code


# --- every decade, both sexes, both centuries -------------------------------------------


BIRTHS = [date(year, 2, 28) for year in range(1930, 2030, 10) if year <= 2026] + [
    date(2000, 2, 29),
    date(2019, 12, 31),
    date(2023, 7, 14),
    date(2024, 2, 29),
    date(2026, 1, 5),
]


@pytest.mark.parametrize("birth", BIRTHS, ids=[b.isoformat() for b in BIRTHS])
@pytest.mark.parametrize("sex", ["M", "F"])
def test_people_born_in_every_decade_register_with_their_code(birth: date, sex: str) -> None:
    code = person_code(birth, sex)
    for variant in (code, *omocodic_variants(code)):
        assert check(person(variant, birth, sex))["fiscal_code"] == variant
    assert "sesso" in refusal(person(code, birth, "F" if sex == "M" else "M"))["fiscal_code"]
    a_year_off = birth.replace(year=birth.year - 1, day=28 if birth.month == 2 else birth.day)
    assert "data di nascita" in refusal(person(code, a_year_off, sex))["fiscal_code"]


def test_a_code_s_29_february_exists_only_in_a_leap_year() -> None:
    _values, errors = clean_fields({"fiscal_code": with_check("RSSMRA23B29Z129")})
    assert "non esiste" in errors["fiscal_code"]
    _values, errors = clean_fields({"fiscal_code": with_check("RSSMRA24B29Z129")})
    assert errors == {}


def test_children_born_in_the_2020s_are_registered_for_family_reunification(
    db: Database,
) -> None:
    """End to end through the service: a child born in 2023, her code omocodic."""
    birth = date(2023, 7, 14)
    code = omocodic_variants(person_code(birth, "F", "BNC", "SFA"))[2]
    done = register(
        db,
        type_code="RICONGIUNGIMENTO",
        surname="Bianchi",
        given_names="Sofia",
        sex="F",
        birth_date=birth.isoformat(),
        fiscal_code=code,
        filed_on=date(2026, 10, 1).isoformat(),
        employer_name="Ion Bianchi",  # the parent in Italy who applies
        employer_fiscal_code="",
        employer_pec="",
    )
    from models.services.registration import update_dossier

    # Editing another field re-checks the stored omocodic code: no crash, no refusal.
    with db.unit_of_work("rossi", write=True) as uow:
        update_dossier(uow, done.reference, {"birth_place": "Bucarest"})
        uow.commit()


# --- dates ---------------------------------------------------------------------------


def test_a_quota_assigned_in_the_future_is_refused_like_a_future_filing() -> None:
    raw = person("", date(1990, 3, 4), quota_assigned_on="2027-01-04")
    assert "nel futuro" in refusal(raw)["quota_assigned_on"]
    assert check(person("", date(1990, 3, 4), quota_assigned_on=TODAY.isoformat()))


# --- CUI, passport, PEC --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("cui", "05 ab cd1", "05ABCD1"),
        ("cui", "A" * 32, "A" * 32),
        ("passport", "ab 123-4567", "AB1234567"),
        ("passport", "12345", "12345"),
        ("passport", "X" * 20, "X" * 20),
        ("employer_pec", " Cascina.Bassiana@PEC.it ", "cascina.bassiana@pec.it"),
        (
            "employer_pec",
            "ufficio+dl@legalmail.example-pec.it",
            "ufficio+dl@legalmail.example-pec.it",
        ),
    ],
)
def test_accepted_codes_are_stored_compact(field: str, typed: str, stored: str) -> None:
    values, errors = clean_fields({field: typed})
    assert errors == {} and values[field] == stored


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("cui", "05-ABCD1"),
        ("cui", "A" * 33),
        ("cui", "ÀBCD"),
        ("passport", "1234"),
        ("passport", "X" * 21),
        ("passport", "AB/123456"),
        ("passport", "ΑΒ123456"),  # Greek capitals look Latin, are not
        ("employer_pec", "cascina@pec"),
        ("employer_pec", "cascina bassiana@pec.it"),
        ("employer_pec", "a@b@pec.it"),
        ("employer_pec", "cascina@pec.it\x00"),
        ("employer_pec", "cascina@" + "p" * 200 + ".it"),
    ],
)
def test_refused_codes_say_what_is_wrong(field: str, typed: str) -> None:
    _values, errors = clean_fields({field: typed})
    assert set(errors) == {field}
    assert "\n" not in errors[field] and len(errors[field]) < 200


# --- fuzz: no input makes validation fail other than with a message ------------------

CODE_ALPHABET = "0123456789ABCDEHLMNPQRSTUVXYZ Ii.-:/\x00\n"
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=CODE_ALPHABET, min_size=10, max_size=20),
    st.builds(
        lambda body, tail: body + tail,
        st.sampled_from([v.code for v in FISCAL] + ["IT 00743110157"]),
        st.text(max_size=3),
    ),
    st.builds(
        lambda code, positions, letter: "".join(
            letter if i in positions else ch for i, ch in enumerate(code)
        ),
        st.sampled_from([v.code for v in FISCAL]),
        st.sets(st.integers(0, 15), max_size=4),
        st.sampled_from(OMOCODIA_LETTERS + "AZ09"),
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.dictionaries(st.sampled_from(sorted(CLEANERS)), HOSTILE_TEXT, max_size=6),
    sex=st.sampled_from(["M", "F", None]),
    birth=st.dates(date(1900, 1, 1), date(2030, 12, 31)),
)
def test_every_validation_path_survives_fuzzed_input(
    fields: dict[str, str], sex: str | None, birth: date
) -> None:
    raw: dict[str, Any] = {"birth_date": birth, "sex": sex, **fields}
    values, errors = clean_fields(raw)
    for message in errors.values():
        assert message and "\n" not in message and len(message) < 300
    try:
        check_dossier(values, (), TODAY, errors)
    except ValidationError as refused:
        assert refused.errors
    # Whatever a code looks like, reading it never raises anything but a refusal.
    for code in itertools.islice(fields.values(), 3):
        clean_fields({"fiscal_code": code, "employer_fiscal_code": code})
