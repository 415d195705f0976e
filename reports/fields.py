"""The placeholders every letter may use, from a dossier's detail (``views.dossier_detail``).

The list is documented in docs/forms/README.md; keep the two in step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models.countries import country_choice
from models.dates import italian_date
from models.read.views import DossierDetail
from reports.documents import Letterhead

UNIT_WORDS = {"days": "giorni", "months": "mesi", "working_days": "giorni lavorativi"}
OUTCOME_WORDS = {"favorevole": "FAVOREVOLE", "motivi_ostativi": "MOTIVI OSTATIVI"}
MISSING = "—"


def it_date(value: date | str | None) -> str:
    return italian_date(value, MISSING)


def _or_missing(value: Any) -> str:
    return str(value) if value not in (None, "") else MISSING


def office_fields(prefix: str, head: Letterhead) -> dict[str, str]:
    return {
        f"{prefix}": head.office,
        f"amministrazione{prefix.removeprefix('ufficio')}": head.administration,
        f"indirizzo_{prefix}": _or_missing(head.address),
        f"pec_{prefix}": _or_missing(head.pec),
    }


def dossier_fields(
    detail: DossierDetail,
    legal_basis: str,
    sender: Letterhead,
    recipient: Letterhead | None,
    today: date,
) -> dict[str, str]:
    person, employer, rule = detail.person, detail.employer, detail.rule
    fields = {
        "protocollo": detail.reference,
        "codice_domanda": _or_missing(detail.application_code),
        "data": it_date(today),
        "cognome": person.surname,
        "nomi": person.given_names,
        "sesso": _or_missing(person.sex),
        "data_nascita": it_date(person.birth_date),
        "luogo_nascita": _or_missing(person.birth_place),
        "cittadinanza": country_choice(person.nationality),  # «Filippine (PHL)», not a code
        "cittadinanza_codice": person.nationality,
        "codice_fiscale": _or_missing(person.fiscal_code),
        "passaporto": _or_missing(person.passport),
        "cui": _or_missing(person.cui),
        "datore": _or_missing(employer.name),
        "datore_codice_fiscale": _or_missing(employer.fiscal_code),
        "datore_pec": _or_missing(employer.pec),
        "tipo": detail.type_code,
        "procedimento": detail.type_name,
        "base_giuridica": legal_basis,
        "presentata_il": it_date(detail.filed_on),
        "quota_assegnata_il": it_date(detail.quota_assigned_on),
        "termine": f"{rule.term} {UNIT_WORDS.get(rule.unit, rule.unit)}",
        "base_termine": _or_missing(rule.basis),
        "scadenza": it_date(detail.deadline),
        "giorni_sospensione": str(detail.suspended_days),
        "stato": detail.state_label,
        "firmatario": _or_missing(sender.signatory),
        "responsabile": _or_missing(sender.responsabile),
        **office_fields("ufficio", sender),
    }
    if recipient is not None:
        fields.update(office_fields("ufficio_destinatario", recipient))
    return fields


def parere_fields(detail: DossierDetail) -> dict[str, str]:
    """The latest parere given; empty when none is."""
    given = [p for p in detail.pareri if p.given_on]
    if not given:
        return {}
    parere = given[-1]
    outcome = parere.outcome or ""
    return {
        "parere_richiesto_il": it_date(parere.requested_on),
        "parere_del": it_date(parere.given_on),
        "esito": OUTCOME_WORDS.get(outcome, outcome or MISSING),
        "motivi": parere.reasons or MISSING,
    }
