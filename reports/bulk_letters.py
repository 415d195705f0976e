"""One kind of letter for the dossiers of a selection, in one PDF: each letter built as
it is built alone (``reports.forms.dossier_document``, so the same rule refuses it), in a
unit of work of its own; the refused ones listed with their reason.

The printing is recorded afterwards, by whoever printed the file
(``models.services.bulk_letters.record_letters``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from models.errors import ValidationError
from models.services.bulk_actions import read_each
from models.services.bulk_letters import LetterOutcome, LettersResult, plan_letters
from models.uow import Database, UnitOfWork
from reports.documents import FormDocument, Letterhead
from reports.form_list import form_spec
from reports.site import PrintSetup


@dataclass(frozen=True)
class LetterBatch:
    form: str
    title: str  # the file's title: «Convocazione – 12 lettere»
    pdf: bytes | None  # None when every letter was refused
    result: LettersResult

    @property
    def references(self) -> tuple[str, ...]:
        """The dossiers whose letter is in the PDF, in its order."""
        return tuple(o.reference for o in self.result.printed)


def bulk_letters(
    database: Database,
    user: str,
    form: str,
    refs: Iterable[str],
    values: Mapping[str, str] | None = None,
    interval: int = 0,
    setup: PrintSetup | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LetterBatch:
    """The letter ``form`` for each of ``refs`` (each dossier once, in the order given).

    ``values`` are the ones every letter shares (a summons' date and first time), checked
    before any dossier is read; ``interval`` the minutes between two appointments."""
    from reports.forms import dossier_document
    from reports.pdf import render_letters

    spec = form_spec(form)
    if spec.kind != "letter":
        raise ValidationError({"form": f"il modulo «{form}» non è una lettera per una pratica"})
    plan = plan_letters(form, values or {}, interval)
    letters: list[FormDocument] = []
    letterheads: dict[Letterhead, Letterhead] = {}  # one copy of each office's logo

    def build(uow: UnitOfWork, ref: str) -> FormDocument:
        document = dossier_document(uow, form, ref, setup, plan.values_for(len(letters)))
        head = letterheads.setdefault(document.letterhead, document.letterhead)
        return replace(document, letterhead=head)

    outcomes: list[LetterOutcome] = []
    for each in read_each(database, user, refs, build, progress, cancelled):
        if each.value is not None:
            letters.append(each.value)
        outcomes.append(LetterOutcome(each.reference, each.name, each.done, each.reason))
    if cancelled is not None and cancelled():  # nobody waits for the file any more
        return LetterBatch(form, spec.title, None, LettersResult(spec.title, tuple(outcomes)))
    count = len(letters)
    title = f"{spec.title} – {count} {'lettera' if count == 1 else 'lettere'}"
    subject = f"{title}: " + ", ".join(letter.barcode for letter in letters[:50])
    pdf = render_letters(letters, title, subject) if letters else None
    return LetterBatch(form, title, pdf, LettersResult(spec.title, tuple(outcomes)))
