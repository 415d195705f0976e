"""Whether a letter may be printed for a dossier: checked once, for one letter or many.

A letter that asks the applicant or the other office for something, or announces a step
of the procedure, has no place on a closed dossier; the communication of the parere needs
a parere given (docs/domain-rules.md, *Quali lettere si stampano*). The values a letter
needs that the dossier cannot give are checked by ``models.services.letter_values``.
"""

from __future__ import annotations

from models.dossiers import Dossier
from models.errors import InvalidTransition, ValidationError
from models.uow import UnitOfWork
from models.workflow import load_workflow

# Letters that ask for something or announce a step: never on a closed dossier.
NOT_WHEN_CLOSED = frozenset(
    {
        "richiesta-parere",
        "esito-parere",
        "convocazione",
        "richiesta-integrazione",
        "preavviso-rigetto",
    }
)
TITLES = {
    "richiesta-parere": "la richiesta di parere",
    "esito-parere": "la comunicazione del parere",
    "convocazione": "la convocazione",
    "richiesta-integrazione": "la richiesta di integrazione",
    "preavviso-rigetto": "il preavviso di rigetto",
}


def check_letter(uow: UnitOfWork, dossier: Dossier, form: str) -> None:
    """Refuses, in Italian, a letter ``form`` that may not be printed for ``dossier`` now
    (``InvalidTransition`` for its state, ``ValidationError`` for data it lacks)."""
    what = TITLES.get(form, form)
    if form in NOT_WHEN_CLOSED and dossier.closed_on is not None:
        state = load_workflow(uow.session, dossier.procedure_type).label(dossier.state)
        raise InvalidTransition(
            f"la pratica è chiusa («{state}» dal {dossier.closed_on:%d/%m/%Y}): "
            f"{what} non si stampa su una pratica chiusa"
        )
    if form == "esito-parere" and not any(
        p.given_on is not None and p.deleted_at is None for p in dossier.pareri
    ):
        raise ValidationError(
            {"parere": f"nessun parere espresso sulla pratica {dossier.reference}"}
        )
