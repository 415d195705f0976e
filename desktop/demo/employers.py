"""The demo's employers: company names, PEC addresses, partite IVA, one pool per sector."""

from __future__ import annotations

import random
from datetime import date

from desktop.demo.codes import fiscal_code, partita_iva
from desktop.demo.names import (
    CASCINE,
    ITALIAN_BIRTHPLACES,
    ITALIAN_FEMALE,
    ITALIAN_MALE,
    ITALIAN_SURNAMES,
    LODI_TOWNS,
    PEC_DOMAINS,
    ROOTS,
    SAINTS,
    VAT_OFFICES,
    VENUES,
)
from desktop.demo.setup import Employer, TypeInfo
from models.text import fold

# Employers.


def _italian_person(rnd: random.Random) -> tuple[str, str, str, date, str]:
    sex = "F" if rnd.random() < 0.6 else "M"
    given = rnd.choice(ITALIAN_FEMALE if sex == "F" else ITALIAN_MALE)
    surname = rnd.choice(ITALIAN_SURNAMES)
    birth = date(rnd.randint(1940, 1985), rnd.randint(1, 12), rnd.randint(1, 28))
    place = rnd.choice(ITALIAN_BIRTHPLACES)[0]
    return surname, given, sex, birth, place


def _company_name(rnd: random.Random, sector: str) -> str:
    surname, given = rnd.choice(ITALIAN_SURNAMES), rnd.choice(ITALIAN_MALE)
    root, town = rnd.choice(ROOTS), rnd.choice(LODI_TOWNS)
    options: dict[str, tuple[str, ...]] = {
        "agricoltura": (
            f"Azienda Agricola {rnd.choice(CASCINE)} di {surname} {given}",
            f"Società Agricola {surname} e Figli S.S.",
            f"{rnd.choice(CASCINE)} Società Agricola S.S.",
            f"Allevamento {surname} S.S. Agricola",
            f"Latteria Sociale di {town} Soc. Coop. Agricola",
        ),
        "logistica": (
            f"{root} Logistica S.r.l.",
            f"Trasporti {surname} S.r.l.",
            f"Magazzini {root} S.p.A.",
            f"{root} Servizi Logistici Soc. Coop.",
            f"Logistica {town} S.r.l.",
        ),
        "edilizia": (
            f"Edil {surname} S.r.l.",
            f"Costruzioni {surname} & C. S.a.s.",
            f"Impresa Edile {surname} {given}",
            f"{root} Costruzioni S.r.l.",
        ),
        "ristorazione": (
            f"Ristorante {rnd.choice(VENUES)} di {surname} & C. S.n.c.",
            f"Trattoria {rnd.choice(VENUES)} S.n.c.",
            f"Pizzeria {rnd.choice(VENUES)} S.r.l.s.",
            f"Bar {root} S.n.c.",
        ),
        "servizi": (
            f"Cooperativa Sociale {root} Onlus",
            f"{root} Multiservizi Soc. Coop.",
            f"Pulizie {root} S.r.l.",
            f"Global Service {town} S.r.l.",
        ),
        "sanita": (
            f"Fondazione {rnd.choice(SAINTS)} Onlus – RSA",
            f"RSA {rnd.choice(SAINTS)} S.r.l.",
            f"Casa di Cura {rnd.choice(SAINTS)} S.p.A.",
            f"Cooperativa Sanitaria {root} Soc. Coop.",
        ),
        "tecnologia": (
            f"{root} Biotech S.r.l.",
            f"{root} Digital S.r.l.",
            f"{root} Engineering S.p.A.",
            f"{root} Agritech S.r.l.",
            f"{root} Data Lab S.r.l.",
        ),
    }
    return rnd.choice(options.get(sector, options["servizi"]))


_LEGAL_WORDS = frozenset(
    {
        "s.r.l.",
        "s.p.a.",
        "s.n.c.",
        "s.a.s.",
        "s.s.",
        "soc.",
        "coop.",
        "di",
        "e",
        "&",
        "c.",
        "s.r.l.s.",
        "onlus",
        "–",
    }
)


def _pec_for(rnd: random.Random, name: str) -> str:
    words = [w for w in fold(name).replace("'", " ").split() if w not in _LEGAL_WORDS]
    slug = "".join(ch for ch in "".join(words) if ch.isalnum())[:28]
    return f"{slug}@{rnd.choice(PEC_DOMAINS)}"


def _make_employer(rnd: random.Random, sector: str, taken: set[str]) -> Employer:
    if sector == "domestico":  # a family employing a carer: a person, without PEC
        surname, given, sex, birth, place = _italian_person(rnd)
        return Employer(
            f"{given} {surname}", fiscal_code(surname, given, sex, birth, place, taken), ""
        )
    name = _company_name(rnd, sector)
    vat = partita_iva(rnd.randint(1, 3_999_999), rnd.choice(VAT_OFFICES))
    return Employer(name, vat, _pec_for(rnd, name))


def employer_pools(
    rnd: random.Random, types: list[TypeInfo], count: int
) -> dict[str, list[Employer]]:
    sectors = sorted({s for t in types for s, _ in t.profile.sectors} - {"famiglia"})
    size = min(max(count // 250, 12), 2000)
    taken: set[str] = set()
    return {s: [_make_employer(rnd, s, taken) for _ in range(size)] for s in sectors}
