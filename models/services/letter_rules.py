"""Whether a letter may be printed for a dossier, and by whom: checked once, for one
letter or many, for the menu that offers it as for the print itself.

A letter bears the letterhead and the signatory of the office that issues it, so only
that office's staff print it (heads of that office included; administrators act for both
offices, as everywhere else). The office that leads the procedure — the dossier's
protocol office — issues every letter about the dossier except the communication of the
parere, which the other office (the Questura) sends; the cover sheet (frontespizio) asks
and announces nothing, is signed by nobody and either office prints it for its own file.
A letter that asks the applicant or the other office for something, or announces a step
of the procedure, has no place on a closed dossier; the communication of the parere needs
a parere given (docs/domain-rules.md, *Quali lettere si stampano*). The values a letter
needs that the dossier cannot give are checked by ``models.services.letter_values``.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.dossiers import Dossier
from models.enums import OfficeKind
from models.errors import DomainError, InvalidTransition, PermissionDenied, ValidationError
from models.permissions import acts_for
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
# Who issues each letter about one dossier (its letterhead, its signatory). The office
# that leads the procedure: the letters to the applicant and the request of a parere.
ISSUED_BY_LEAD = frozenset(
    {"ricevuta", "richiesta-parere", "convocazione", "richiesta-integrazione", "preavviso-rigetto"}
)
# The office that does not lead it: the parere is the Questura's answer to the SUI.
ISSUED_BY_COUNTERPART = frozenset({"esito-parere"})
# Either office, for its own paper file: the cover sheet. Also on the server, which
# refuses a ``printed`` event of a letter not printed by its office (sync/server).
ISSUED_BY_EITHER = frozenset({"frontespizio"})
TITLES = {
    "frontespizio": "il frontespizio",
    "ricevuta": "la ricevuta",
    "richiesta-parere": "la richiesta di parere",
    "esito-parere": "la comunicazione del parere",
    "convocazione": "la convocazione",
    "richiesta-integrazione": "la richiesta di integrazione",
    "preavviso-rigetto": "il preavviso di rigetto",
}
OFFICE_NAME = {OfficeKind.SUI: "dello Sportello Unico", OfficeKind.QUESTURA: "della Questura"}


def other_office(kind: OfficeKind) -> OfficeKind:
    return OfficeKind.QUESTURA if kind is OfficeKind.SUI else OfficeKind.SUI


# Who prints each kind of form, in words (``raccordo print --list``).
WHO_PRINTS = {
    "lead": "chi guida la pratica",
    "counterpart": "l'altro ufficio",
    "either": "entrambi gli uffici",
    "slip": "il proprio ufficio (mittente)",  # the distinta: the printer's office sends it
    "separator": "chiunque",
    "worklist": "l'ufficio dello scadenzario",
}


def who_prints(form: str, kind: str) -> str:
    """``form`` of kind ``kind`` (``reports.form_list``): who may print it, in words."""
    if kind != "letter":
        return WHO_PRINTS.get(kind, "")
    if form in ISSUED_BY_EITHER:
        return WHO_PRINTS["either"]
    return WHO_PRINTS["counterpart" if form in ISSUED_BY_COUNTERPART else "lead"]


def issuer_of(form: str, lead: OfficeKind) -> OfficeKind | None:
    """The kind of office that issues ``form`` on a dossier whose protocol office is of
    kind ``lead``; None when either office prints it. A letter in none of the lists
    above is the lead office's."""
    if form in ISSUED_BY_EITHER:
        return None
    return other_office(lead) if form in ISSUED_BY_COUNTERPART else lead


def issuing_office(dossier: Dossier, form: str) -> OfficeKind | None:
    """Who issues ``form`` for ``dossier`` (the sender in ``reports.forms``)."""
    return issuer_of(form, dossier.protocol_office.office_kind)


def check_issuer(uow: UnitOfWork, dossier: Dossier, form: str) -> None:
    """Refuses ``form`` to a person who does not act for the office that issues it."""
    issuer = issuing_office(dossier, form)
    if issuer is not None and not acts_for(uow.actor, issuer):
        what = TITLES.get(form, f"il modulo «{form}»")
        raise PermissionDenied(f"{what} è {OFFICE_NAME[issuer]}: la stampa un suo operatore")


def check_letter(uow: UnitOfWork, dossier: Dossier, form: str) -> None:
    """Refuses, in Italian, a letter ``form`` that may not be printed for ``dossier`` now
    by this person (``PermissionDenied`` for another office's letter,
    ``InvalidTransition`` for its state, ``ValidationError`` for data it lacks)."""
    check_issuer(uow, dossier, form)
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


def letter_refusals(uow: UnitOfWork, dossier: Dossier, forms: Iterable[str]) -> dict[str, str]:
    """For each of ``forms`` this person may not print for ``dossier`` now, why (the
    message the print itself would give): what a menu greys out."""
    refused: dict[str, str] = {}
    for form in forms:
        try:
            check_letter(uow, dossier, form)
        except ValidationError as error:
            refused[form] = "; ".join(error.errors.values())
        except DomainError as error:
            refused[form] = str(error)
    return refused


def check_worklist(uow: UnitOfWork, office: OfficeKind) -> None:
    """An office's scadenzario (its letterhead, its head's «Visto»): printed by its staff."""
    if not acts_for(uow.actor, office):
        raise PermissionDenied(
            f"lo scadenzario è {OFFICE_NAME[office]}: lo stampa un suo operatore"
        )
