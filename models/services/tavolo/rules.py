"""The agenda's rules in one place: why a dossier is brought to the table, the thresholds
(installation settings) and the sections' order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.meetings import Reason
from models.parere_target import read_parere_target
from models.registry import Setting

FLAG_AGE_SETTING = "tavolo_flag_age_days"
BOUNCE_SETTING = "tavolo_bounce_count"
PER_REASON_SETTING = "tavolo_items_per_reason"
RISK_SETTING = "tavolo_risk_percent"
DEFAULT_FLAG_AGE = 30
DEFAULT_BOUNCES = 3
# A meeting cannot discuss thousands of files: the oldest of each reason come first.
DEFAULT_PER_REASON = 10
DEFAULT_RISK_PERCENT = 50  # at risk: at least this probability of missing the term

# The order of the agenda; the first reason that holds for a dossier is the one shown.
REASON_ORDER: tuple[Reason, ...] = (
    Reason.ACTION_OPEN,
    Reason.PARERE_OVERDUE,
    Reason.FLAG_OLD,
    Reason.BOUNCING,
    Reason.OVERDUE,
    Reason.AT_RISK,
    Reason.TOPIC,
    Reason.PROPOSAL,
)
SECTIONS: dict[Reason, str] = {
    Reason.ACTION_OPEN: "Azioni aperte",
    Reason.PARERE_OVERDUE: "Pareri in attesa oltre l'obiettivo",
    Reason.FLAG_OLD: "Segnalazioni aperte da tempo",
    Reason.BOUNCING: "Pratiche rimbalzate tra gli uffici",
    Reason.OVERDUE: "Pratiche oltre il termine",
    Reason.AT_RISK: "Pratiche a rischio",
    Reason.TOPIC: "Argomenti",
    Reason.PROPOSAL: "Proposte del personale",
}
OFFICE_SECTION = {"sui": "Sportello Unico", "questura": "Questura"}


@dataclass(frozen=True)
class Thresholds:
    parere_days: int  # the installation's parere target (settings.parere_target_days)
    flag_age_days: int
    bounces: int
    per_reason: int
    risk: float  # 0–1


def _positive(session: Session, key: str, default: int) -> int:
    setting = session.get(Setting, key)
    try:
        value = int((setting.value if setting is not None else "").strip())
    except ValueError:
        return default
    return value if value >= 1 else default


def thresholds(session: Session) -> Thresholds:
    return Thresholds(
        parere_days=read_parere_target(session),
        flag_age_days=_positive(session, FLAG_AGE_SETTING, DEFAULT_FLAG_AGE),
        bounces=_positive(session, BOUNCE_SETTING, DEFAULT_BOUNCES),
        per_reason=_positive(session, PER_REASON_SETTING, DEFAULT_PER_REASON),
        risk=min(_positive(session, RISK_SETTING, DEFAULT_RISK_PERCENT), 100) / 100,
    )


def reason_rank(reason: str) -> int:
    try:
        return REASON_ORDER.index(Reason(reason))
    except ValueError:
        return len(REASON_ORDER)
