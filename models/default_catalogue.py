"""Raccordo's default data: offices of Lodi, the ten procedure types, workflows, terms.

This is only the *starting* content of a new database. Everything here is stored in
tables and edited there by an administrator (``raccordo rules``, ``raccordo workflow``,
``raccordo office``); the code never reads these constants after seeding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from models.enums import (
    ARCHIVIATA,
    CONVOCATA,
    DEFINITA_POSITIVA,
    IN_ISTRUTTORIA,
    INTEGRAZIONE_RICHIESTA,
    PARERE_RICHIESTO,
    PREAVVISO_RIGETTO,
    PRESENTATA,
    RIGETTATA,
    ClockEffect,
    OfficeKind,
)


@dataclass(frozen=True)
class OfficeSeed:
    code: str
    kind: OfficeKind
    name: str
    administration: str
    province: str
    city: str


DEFAULT_PROVINCE, DEFAULT_CITY = "LO", "Lodi"


def default_offices(
    province: str = DEFAULT_PROVINCE, city: str = DEFAULT_CITY
) -> tuple[OfficeSeed, ...]:
    """The two offices of a province: ``LO-SUI`` and ``LO-QUESTURA`` for Lodi."""
    return (
        OfficeSeed(
            f"{province}-SUI",
            OfficeKind.SUI,
            "Sportello Unico per l'Immigrazione",
            f"Prefettura – Ufficio Territoriale del Governo di {city}",
            province,
            city,
        ),
        OfficeSeed(
            f"{province}-QUESTURA",
            OfficeKind.QUESTURA,
            "Ufficio Immigrazione",
            f"Questura di {city}",
            province,
            city,
        ),
    )


@dataclass(frozen=True)
class StateSeed:
    code: str
    label: str
    holder: str  # "lead", "counterpart", "applicant" or "none"
    clock: ClockEffect
    final: bool = False


@dataclass(frozen=True)
class RuleSeed:
    valid_from: date
    term: int
    unit: str = "days"
    start: str = "filing"
    silent_assent: bool = False
    exclusions: str = ""
    basis: str = ""
    to_verify: bool = False
    note: str = ""
    # Art. 2 c. 7 and art. 10-bis L. 241/1990 (see ``models.clock.SuspensionRules``).
    suspension_max_days: int = 30
    suspension_max_count: int = 1
    preavviso_effect: str = "suspends"
    preavviso_reply_days: int = 10
    preavviso_restart_days: int = 10


# DL 76/2020 (in force 17 Jul 2020) made the preavviso di rigetto suspend the term; for
# procedures started before, it interrupted it (the term ran again in full).
PREAVVISO_REFORM = date(2020, 7, 17)
PREAVVISO_REFORM_BASIS = "art. 10-bis L. 241/1990 come modificato dal DL 76/2020"


def split_at_preavviso_reform(rules: tuple[RuleSeed, ...]) -> tuple[RuleSeed, ...]:
    """The same terms, with a preavviso that interrupts them before 17 Jul 2020."""
    result: list[RuleSeed] = []
    for index, rule in enumerate(rules):
        following = rules[index + 1].valid_from if index + 1 < len(rules) else date.max
        if rule.valid_from >= PREAVVISO_REFORM:
            result.append(rule)
            continue
        result.append(replace(rule, preavviso_effect="interrupts", preavviso_restart_days=0))
        if following > PREAVVISO_REFORM:
            basis = f"{rule.basis}; {PREAVVISO_REFORM_BASIS}" if rule.basis else ""
            result.append(replace(rule, valid_from=PREAVVISO_REFORM, basis=basis))
    return tuple(result)


@dataclass(frozen=True)
class TypeSeed:
    code: str
    name: str
    legal_basis: str
    lead: OfficeKind
    rules: tuple[RuleSeed, ...]
    restricted: bool = False
    states: tuple[StateSeed, ...] = field(default=())
    # (from, to, actor "lead"/"counterpart", via_parere)
    transitions: tuple[tuple[str, str, str, bool], ...] = field(default=())

    @property
    def clock_rules(self) -> tuple[RuleSeed, ...]:
        """The term rules as seeded: split where the preavviso's effect changed."""
        return split_at_preavviso_reform(self.rules)


SKELETON_STATES = (
    StateSeed(PRESENTATA, "Presentata", "lead", ClockEffect.RUNS),
    StateSeed(IN_ISTRUTTORIA, "In istruttoria", "lead", ClockEffect.RUNS),
    StateSeed(PARERE_RICHIESTO, "Parere richiesto", "counterpart", ClockEffect.RUNS),
    StateSeed(INTEGRAZIONE_RICHIESTA, "Integrazione richiesta", "applicant", ClockEffect.SUSPENDED),
    StateSeed(PREAVVISO_RIGETTO, "Preavviso di rigetto", "applicant", ClockEffect.SUSPENDED),
    StateSeed(CONVOCATA, "Convocata", "lead", ClockEffect.RUNS),
    StateSeed(DEFINITA_POSITIVA, "Definita positivamente", "none", ClockEffect.STOPPED, True),
    StateSeed(RIGETTATA, "Rigettata", "none", ClockEffect.STOPPED, True),
    StateSeed(ARCHIVIATA, "Archiviata", "none", ClockEffect.STOPPED, True),
)

SKELETON_TRANSITIONS: tuple[tuple[str, str, str, bool], ...] = (
    (PRESENTATA, IN_ISTRUTTORIA, "lead", False),
    (PRESENTATA, ARCHIVIATA, "lead", False),
    (IN_ISTRUTTORIA, PARERE_RICHIESTO, "lead", False),
    (IN_ISTRUTTORIA, INTEGRAZIONE_RICHIESTA, "lead", False),
    (IN_ISTRUTTORIA, PREAVVISO_RIGETTO, "lead", False),
    (IN_ISTRUTTORIA, CONVOCATA, "lead", False),
    (IN_ISTRUTTORIA, DEFINITA_POSITIVA, "lead", False),
    (IN_ISTRUTTORIA, ARCHIVIATA, "lead", False),
    # Recording the parere returns the file to the office that asked for it.
    (PARERE_RICHIESTO, IN_ISTRUTTORIA, "counterpart", True),
    (INTEGRAZIONE_RICHIESTA, IN_ISTRUTTORIA, "lead", False),
    (INTEGRAZIONE_RICHIESTA, ARCHIVIATA, "lead", False),
    (PREAVVISO_RIGETTO, IN_ISTRUTTORIA, "lead", False),
    (PREAVVISO_RIGETTO, RIGETTATA, "lead", False),
    (CONVOCATA, DEFINITA_POSITIVA, "lead", False),
    (CONVOCATA, RIGETTATA, "lead", False),
    (CONVOCATA, ARCHIVIATA, "lead", False),
    (CONVOCATA, IN_ISTRUTTORIA, "lead", False),
)

# The language test: summons within the term, no parere; the summons stops the clock.
TEST_STATES = (
    StateSeed(PRESENTATA, "Presentata", "lead", ClockEffect.RUNS),
    StateSeed(IN_ISTRUTTORIA, "In istruttoria", "lead", ClockEffect.RUNS),
    StateSeed(INTEGRAZIONE_RICHIESTA, "Integrazione richiesta", "applicant", ClockEffect.SUSPENDED),
    StateSeed(CONVOCATA, "Convocata al test", "lead", ClockEffect.STOPPED),
    StateSeed(DEFINITA_POSITIVA, "Test superato", "none", ClockEffect.STOPPED, True),
    StateSeed(RIGETTATA, "Test non superato", "none", ClockEffect.STOPPED, True),
    StateSeed(ARCHIVIATA, "Archiviata", "none", ClockEffect.STOPPED, True),
)
TEST_TRANSITIONS: tuple[tuple[str, str, str, bool], ...] = (
    (PRESENTATA, IN_ISTRUTTORIA, "lead", False),
    (PRESENTATA, CONVOCATA, "lead", False),
    (PRESENTATA, ARCHIVIATA, "lead", False),
    (IN_ISTRUTTORIA, CONVOCATA, "lead", False),
    (IN_ISTRUTTORIA, INTEGRAZIONE_RICHIESTA, "lead", False),
    (IN_ISTRUTTORIA, ARCHIVIATA, "lead", False),
    (INTEGRAZIONE_RICHIESTA, IN_ISTRUTTORIA, "lead", False),
    (INTEGRAZIONE_RICHIESTA, ARCHIVIATA, "lead", False),
    (CONVOCATA, DEFINITA_POSITIVA, "lead", False),
    (CONVOCATA, RIGETTATA, "lead", False),
    (CONVOCATA, ARCHIVIATA, "lead", False),
)

_RISK_COUNTRIES = "BGD,PAK,LKA"  # DL 145/2024 art. 3: no automatic nulla osta
_RISK_COUNTRIES_2025 = "BGD,PAK,LKA,MAR"  # MAECI circular of 25 Feb 2025 adds Morocco


def _flussi_rules(days: int) -> tuple[RuleSeed, ...]:
    return (
        RuleSeed(date(1998, 1, 1), days, basis="art. 22 TUI (regime previgente)", to_verify=True),
        RuleSeed(
            date(2022, 6, 22), 30 if days == 60 else days, silent_assent=True, basis="DL 73/2022"
        ),
        RuleSeed(date(2023, 3, 11), days, silent_assent=True, basis="DL 20/2023"),
        RuleSeed(
            date(2024, 10, 11),
            days,
            silent_assent=True,
            exclusions=_RISK_COUNTRIES,
            basis="DL 145/2024 art. 3",
        ),
        RuleSeed(
            date(2025, 2, 25),
            days,
            silent_assent=True,
            exclusions=_RISK_COUNTRIES_2025,
            basis="DL 145/2024 art. 3; circ. MAECI 25/02/2025",
        ),
        RuleSeed(
            date(2025, 10, 3),
            days,
            start="quota_assignment",
            silent_assent=True,
            exclusions=_RISK_COUNTRIES_2025,
            basis="DL 146/2025 (L. 179/2025)",
        ),
    )


DEFAULT_TYPES = (
    TypeSeed(
        "NO_LAVORO",
        "Nulla osta lavoro subordinato",
        "art. 22 TUI",
        OfficeKind.SUI,
        _flussi_rules(60),
    ),
    TypeSeed(
        "NO_STAGIONALE",
        "Nulla osta lavoro stagionale",
        "art. 24 TUI",
        OfficeKind.SUI,
        _flussi_rules(20),
    ),
    TypeSeed(
        "RICONGIUNGIMENTO",
        "Nulla osta ricongiungimento familiare",
        "art. 29 TUI",
        OfficeKind.SUI,
        (
            RuleSeed(date(1998, 1, 1), 180, basis="art. 29 TUI (regime previgente)"),
            RuleSeed(date(2017, 2, 18), 90, basis="DL 13/2017"),
            RuleSeed(
                date(2025, 10, 3),
                150,
                basis="DL 146/2025",
                to_verify=True,
                note="atto e data di decorrenza da verificare",
            ),
        ),
    ),
    TypeSeed(
        "CONVERSIONE",
        "Conversione del permesso di soggiorno",
        "art. 6 TUI; art. 14 DPR 394/1999",
        OfficeKind.SUI,
        (RuleSeed(date(1998, 1, 1), 60, basis="art. 5 c. 9 TUI"),),
    ),
    TypeSeed(
        "CARTA_BLU",
        "Nulla osta Carta blu UE",
        "art. 27-quater TUI",
        OfficeKind.SUI,
        (
            RuleSeed(
                date(1998, 1, 1),
                90,
                basis="D.Lgs. 152/2023",
                note="DDL semplificazioni 2025: 30 giorni, da verificare",
            ),
        ),
    ),
    TypeSeed(
        "CASI_PARTICOLARI",
        "Nulla osta casi particolari",
        "art. 27 TUI",
        OfficeKind.SUI,
        (RuleSeed(date(1998, 1, 1), 60, basis="art. 27 TUI", to_verify=True),),
    ),
    TypeSeed(
        "TEST_ITALIANO",
        "Test di conoscenza della lingua italiana",
        "DM 4 giugno 2010",
        OfficeKind.SUI,
        (RuleSeed(date(2010, 6, 4), 60, basis="DM 4/6/2010"),),
        states=TEST_STATES,
        transitions=TEST_TRANSITIONS,
    ),
    TypeSeed(
        "CITTADINANZA",
        "Cittadinanza per residenza",
        "art. 9 L. 91/1992",
        OfficeKind.SUI,
        (
            RuleSeed(date(1992, 8, 16), 24, unit="months", basis="DPR 362/1994"),
            RuleSeed(date(2018, 10, 5), 48, unit="months", basis="DL 113/2018"),
            RuleSeed(date(2020, 12, 20), 36, unit="months", basis="DL 130/2020", to_verify=True),
        ),
    ),
    TypeSeed(
        "ART18",
        "Permesso per protezione sociale",
        "art. 18 TUI",
        OfficeKind.QUESTURA,
        (RuleSeed(date(1998, 1, 1), 60, basis="art. 5 c. 9 TUI"),),
        restricted=True,
    ),
    TypeSeed(
        "ART18TER",
        "Permesso per vittime di sfruttamento lavorativo",
        "art. 18-ter TUI",
        OfficeKind.QUESTURA,
        (RuleSeed(date(2024, 10, 11), 60, basis="DL 145/2024"),),
        restricted=True,
    ),
)

DEFAULT_SETTINGS = {
    # Target for the Questura's parere: it has no statutory term
    # (docs/domain-rules.md, "Tipi di procedimento").
    "parere_target_days": "30",
}
