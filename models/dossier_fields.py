"""The dossier's own fields, declared once: the form, the checks, the demo, the reads use them.

Each field is named by its dossier column; its length limit is that column's
(``models.validation.field_lengths``), so widening a column widens every limit with it.
This module imports nothing: the light read path uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Group = Literal["person", "application", "employer"]
Kind = Literal["text", "date", "sex", "code"]


@dataclass(frozen=True)
class DossierField:
    name: str  # the dossier column
    label: str  # how an Italian message names it
    group: Group
    kind: Kind = "text"
    blank_when_empty: bool = False  # stored as "" rather than NULL when left empty


DOSSIER_FIELDS: tuple[DossierField, ...] = (
    DossierField("surname", "cognome", "person"),
    DossierField("given_names", "nomi", "person"),
    DossierField("sex", "sesso", "person", "sex"),
    DossierField("birth_date", "data di nascita", "person", "date"),
    DossierField("birth_place", "luogo di nascita", "person", blank_when_empty=True),
    DossierField("nationality", "cittadinanza", "person", "code"),
    DossierField("passport", "passaporto", "person", "code"),
    DossierField("fiscal_code", "codice fiscale", "person", "code"),
    DossierField("cui", "CUI", "person", "code"),
    DossierField("application_code", "codice domanda", "application", "code"),
    DossierField(
        "employer_name", "datore di lavoro / richiedente", "employer", blank_when_empty=True
    ),
    DossierField(
        "employer_fiscal_code", "codice fiscale o partita IVA del datore", "employer", "code"
    ),
    DossierField("employer_pec", "PEC del datore", "employer", blank_when_empty=True),
    DossierField("filed_on", "data di presentazione", "application", "date"),
    DossierField("quota_assigned_on", "data di assegnazione quota", "application", "date"),
)


def names_of(*groups: Group) -> tuple[str, ...]:
    """The fields of ``groups``, group by group, each in declaration order."""
    return tuple(f.name for group in groups for f in DOSSIER_FIELDS if f.group == group)


FIELD_NAMES = tuple(f.name for f in DOSSIER_FIELDS)
DATE_FIELDS = frozenset(f.name for f in DOSSIER_FIELDS if f.kind == "date")
BLANK_WHEN_EMPTY = frozenset(f.name for f in DOSSIER_FIELDS if f.blank_when_empty)
