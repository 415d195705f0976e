"""What the *Segnalazioni* page shows of each item: the item, and who the dossier is
about, where it stands and when it is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.read.views import FlagFacts
from models.services.queries import list_flags
from models.services.views import flag_facts, state_label
from models.uow import UnitOfWork


@dataclass(frozen=True)
class FlagLine:
    facts: FlagFacts
    name: str  # the person's surname and names
    state_label: str
    deadline: date | None


def flag_lines(uow: UnitOfWork, open_only: bool, office: str | None) -> list[FlagLine]:
    """Pending items on the dossiers this user may see, raised by or for ``office``."""
    lines = []
    for flag in list_flags(uow, open_only, office):
        dossier = flag.dossier
        lines.append(
            FlagLine(
                facts=flag_facts(flag),
                name=f"{dossier.surname} {dossier.given_names}".strip(),
                state_label=state_label(uow.session, dossier.procedure_type_id, dossier.state),
                deadline=dossier.deadline,
            )
        )
    return lines
