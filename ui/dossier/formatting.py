"""Dossier values as the window writes them: dates, labels, audit values, mnemonics."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from models.dates import italian_date, local_moment
from models.enums import OfficeKind
from models.read.views import DossierDetail, DossierSummary, RuleFacts
from models.services.table import TableRow
from ui.dossier_form import field_titles
from ui.i18n import tr as _tr

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def it_date(day: date | str | None) -> str:
    return italian_date(day)


def local_time(moment: datetime | str | None) -> str:
    return local_moment(moment)


def audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _tr("yes") if value else _tr("no")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return it_date(value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return local_time(value)
    return str(value)


def form_values(detail: DossierDetail) -> dict[str, str]:
    """The dossier's fields as the form shows them (dates dd/mm/yyyy)."""
    person, employer = detail.person, detail.employer
    raw: dict[str, object] = {
        **{f.name: getattr(person, f.name) for f in fields(person)},
        "employer_name": employer.name,
        "employer_fiscal_code": employer.fiscal_code,
        "employer_pec": employer.pec,
        "application_code": detail.application_code,
        "filed_on": detail.filed_on,
        "quota_assigned_on": detail.quota_assigned_on,
    }
    return {
        name: it_date(value) if isinstance(value, date) else str(value or "")
        for name, value in raw.items()
    }


def badge_row(detail: DossierSummary) -> TableRow:
    """The header's deadline in the shape ui/badges.py colours."""
    return TableRow(
        id=detail.id.hex,
        reference=detail.reference,
        name=detail.name,
        nationality=detail.person.nationality,
        type_code=detail.type_code,
        state=detail.state,
        state_label=detail.state_label,
        holder=detail.holder_office or detail.holder,
        filed_on=detail.filed_on,
        deadline=detail.deadline,
        days_left=detail.days_left,
        clock=detail.clock.value,
        closed=detail.closed_on is not None,
        open_flags=detail.open_flags,
        restricted=detail.restricted,
    )


def event_label(kind: str) -> str:
    labels = {
        "registered": _tr("Registered"),
        "transition": _tr("State change"),
        "parere_given": _tr("Parere given"),
        "flag_raised": _tr("Item raised"),
        "flag_resolved": _tr("Item resolved"),
        "updated": _tr("Data changed"),
        "printed": _tr("Printed"),
        "observations": _tr("Observations received"),
        "undone": _tr("Move undone"),
    }
    return labels.get(kind, kind)


def column_titles() -> dict[str, str]:
    """Stored columns as the audit tab names them: the form's fields and the rest."""
    return field_titles() | {
        "id": _tr("Id"),
        "dossier_id": _tr("Dossier"),
        "deleted_at": _tr("Deleted at"),
        "state": _tr("State"),
        "holder": _tr("Holder"),
        "holder_office_id": _tr("Holder office"),
        "deadline": _tr("Deadline"),
        "clock_state": _tr("Clock"),
        "suspended_days": _tr("Suspended days"),
        "held_sui_days": _tr("Days with the Sportello Unico"),
        "held_questura_days": _tr("Days with the Questura"),
        "held_applicant_days": _tr("Days with the applicant"),
        "assigned_to_id": _tr("Assigned to"),
        "search_key": _tr("Search key"),
        "open_flags": _tr("Open items"),
        "closed_on": _tr("Closed on"),
        "restricted": _tr("Restricted"),
        "procedure_type_id": _tr("Type"),
        "protocol_office_id": _tr("Protocol office"),
        "protocol_year": _tr("Protocol year"),
        "protocol_number": _tr("Protocol number"),
        "seq": _tr("Order"),
        "kind": _tr("Event"),
        "from_state": _tr("From state"),
        "to_state": _tr("To state"),
        "actor_id": _tr("User"),
        "office_id": _tr("Office"),
        "entered_at": _tr("Entered"),
        "effective_on": _tr("Effective"),
        "note": _tr("Note"),
        "number": _tr("Number"),
        "category": _tr("Category"),
        "text": _tr("Text"),
        "suspends": _tr("Suspends"),
        "raised_by_office_id": _tr("From office"),
        "for_office_id": _tr("For office"),
        "raised_by_id": _tr("Raised by"),
        "raised_on": _tr("Raised on"),
        "resolved_by_id": _tr("Resolved by"),
        "resolved_on": _tr("Resolved on"),
        "resolution_note": _tr("Resolution note"),
        "requested_on": _tr("Requested on"),
        "requested_by_id": _tr("Requested by"),
        "given_on": _tr("Given on"),
        "outcome": _tr("Outcome"),
        "reasons": _tr("Reasons"),
        "officer_id": _tr("Officer"),
    }


def clock_label(clock: str | None) -> str:
    labels = {"runs": _tr("runs"), "suspended": _tr("suspended"), "stopped": _tr("stopped")}
    return labels.get(clock or "", "")


def outcome_label(outcome: str | None) -> str:
    labels = {"favorevole": _tr("Favourable"), "motivi_ostativi": _tr("Obstacles found")}
    return labels.get(outcome or "", _tr("awaited"))


def term_text(rule: RuleFacts) -> str:
    units = {"days": _tr("days"), "months": _tr("months"), "working_days": _tr("working days")}
    unit = units.get(rule.unit, rule.unit)
    if rule.start == "quota_assignment":
        return _tr("{0} {1} from quota assignment").format(rule.term, unit)
    return _tr("{0} {1} from filing").format(rule.term, unit)


def read_only_reason(code: str) -> str:
    if code == "closed":
        return _tr("The dossier is closed: its data can no longer change.")
    if code == OfficeKind.QUESTURA.value:
        return _tr("Only the Questura can change this field.")
    return _tr("Only the Sportello Unico can change this field.")


def with_mnemonic(text: str, used: set[str]) -> str:
    """``text`` with an ``&`` before the first letter not yet taken (word starts first)."""
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or text[i - 1] == " ")]
    others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
    for i in starts + others:
        if text[i].lower() not in used:
            used.add(text[i].lower())
            return text[:i] + "&" + text[i:]
    return text


def mnemonic_letter(text: str) -> str | None:
    """The letter Alt reaches in a title (after a single ``&``), lower case."""
    plain = text.replace("&&", "")
    position = plain.find("&")
    return plain[position + 1].lower() if 0 <= position < len(plain) - 1 else None
