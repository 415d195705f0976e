"""The demo's applicants: name, codice fiscale, documents and birth date, by community."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from desktop.demo.codes import CF_YEARS, fiscal_code
from desktop.demo.population import COMMUNITIES, Profile
from desktop.demo.setup import Employer, Setup, TypeInfo, pick_weighted

# People.

_COMMUNITY = {c.nationality: c for c in COMMUNITIES}


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    sex: str
    birth_date: date
    birth_place: str
    nationality: str
    passport: str | None
    fiscal_code: str | None
    cui: str | None


_UPPER = "ABCDEFGHIJKLMNPQRSTUVWXYZ"  # no O: documents avoid it beside zeros
_CUI_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _passport(rnd: random.Random, spec: tuple[str, int, int]) -> str:
    literal, letters, digits = spec
    head = "".join(_UPPER[int(rnd.random() * 25)] for _ in range(letters))
    return f"{literal}{head}{int(rnd.random() * 10**digits):0{digits}d}"


def _cui(setup: Setup) -> str:
    rnd = setup.rnd
    while True:
        code = f"{int(rnd.random() * 100):02d}" + "".join(
            _CUI_CHARS[int(rnd.random() * 34)] for _ in range(5)
        )
        if code not in setup.cuis:
            setup.cuis.add(code)
            return code


def _birth_date(rnd: random.Random, profile: Profile, filed: date) -> date:
    bands = profile.ages
    band = bands[0] if len(bands) == 1 else rnd.choices(bands, [b[0] for b in bands])[0]
    days = int((band[1] + rnd.random() * (band[2] + 1 - band[1])) * 365.25)
    return filed - timedelta(days=max(days, 366))


def make_person(setup: Setup, kind: TypeInfo, filed: date, closed_positive: bool) -> Person:
    rnd, profile = setup.rnd, kind.profile
    community = pick_weighted(rnd, *kind.nationalities)
    sex = "F" if rnd.random() < profile.female_share else "M"
    given = rnd.choice(community.female if sex == "F" else community.male)
    surnames = community.female_surnames if sex == "F" and community.female_surnames else None
    surname = rnd.choice(surnames or community.surnames)
    birth = _birth_date(rnd, profile, filed)
    # Workers who arrived after the nulla osta have since got a codice fiscale and a CUI.
    arrived = 0.5 if closed_positive else 0.0
    code = None
    if CF_YEARS[0] <= birth.year <= CF_YEARS[1] and rnd.random() < max(
        profile.fiscal_code_share, arrived
    ):
        code = fiscal_code(surname, given, sex, birth, community.belfiore, setup.fiscal_codes)
    cui = _cui(setup) if rnd.random() < max(profile.cui_share, arrived * 0.8) else None
    passport = None
    if rnd.random() < profile.passport_share:
        passport = _passport(rnd, community.passport)
    return Person(
        surname,
        given,
        sex,
        birth,
        rnd.choice(community.cities),
        community.nationality,
        passport,
        code,
        cui,
    )


def pick_employer(setup: Setup, kind: TypeInfo, person: Person) -> Employer | None:
    profile, rnd = kind.profile, setup.rnd
    if not profile.sectors or not (kind.requires_employer or rnd.random() < profile.employer_share):
        return None
    sectors = [s for s, _ in profile.sectors]
    sector = pick_weighted(rnd, sectors, list(accumulate(w for _, w in profile.sectors)))
    if sector == "famiglia":
        return _sponsor(setup, person)
    pool = setup.employers[sector]
    # A few employers file most applications (farms hiring every season).
    return pool[int(len(pool) * rnd.random() ** 2.2)]


def _sponsor(setup: Setup, person: Person) -> Employer:
    """The relative living in Italy who applies for family reunification."""
    rnd = setup.rnd
    community = _COMMUNITY[person.nationality]
    sex = "M" if rnd.random() < 0.75 else "F"
    given = rnd.choice(community.male if sex == "M" else community.female)
    surname = person.surname if rnd.random() < 0.7 else rnd.choice(community.surnames)
    birth = date(rnd.randint(1960, 1995), rnd.randint(1, 12), rnd.randint(1, 28))
    code = fiscal_code(surname, given, sex, birth, community.belfiore, setup.fiscal_codes)
    return Employer(f"{given} {surname}", code, "")
