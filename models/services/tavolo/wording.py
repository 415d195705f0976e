"""How the tavolo's facts read in Italian (CLI, GUI and the verbale say the same)."""

from __future__ import annotations

from models.meetings import AgendaOutcome, MeetingState, OutcomeKind, Reason

STATE_LABELS = {
    MeetingState.IN_PREPARAZIONE.value: "in preparazione",
    MeetingState.IN_CORSO.value: "in corso",
    MeetingState.CHIUSA.value: "chiusa",
}
KIND_LABELS = {
    OutcomeKind.INFORMAZIONE.value: "Informazione",
    OutcomeKind.DECISIONE.value: "Decisione",
    OutcomeKind.AZIONE.value: "Azione",
}
REASON_LABELS = {
    Reason.ACTION_OPEN.value: "azione aperta",
    Reason.PARERE_OVERDUE.value: "parere oltre l'obiettivo",
    Reason.FLAG_OLD: "segnalazione aperta da tempo",
    Reason.BOUNCING.value: "rimbalzi tra uffici",
    Reason.OVERDUE.value: "oltre il termine",
    Reason.AT_RISK.value: "a rischio",
    Reason.TOPIC.value: "argomento",
    Reason.PROPOSAL.value: "proposta",
}
OFFICE_NAMES = {"sui": "Sportello Unico", "questura": "Questura"}


def owner_label(action: AgendaOutcome) -> str:
    if action.owner is not None:
        return action.owner.full_name or action.owner.username
    if action.owner_office is not None:
        return OFFICE_NAMES.get(action.owner_office.kind, action.owner_office.code)
    return "—"
