"""The target for the Questura's parere: the parere has no statutory term
(docs/domain-rules.md, "Tipi di procedimento"), so each installation sets one
(``settings.parere_target_days``). The letters requesting a parere, the statistics and
the demo data all read it here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.registry import Setting

SETTING = "parere_target_days"
DEFAULT_DAYS = 30


def parere_target_days(stored: str | None) -> int:
    """Whole days, at least one; a missing value, or one that is not a positive whole
    number (``0``, ``-5``, ``trenta``), gives the default."""
    try:
        days = int((stored or "").strip())
    except ValueError:
        return DEFAULT_DAYS
    return days if days >= 1 else DEFAULT_DAYS


def read_parere_target(session: Session) -> int:
    setting = session.get(Setting, SETTING)
    return parere_target_days(setting.value if setting is not None else None)
