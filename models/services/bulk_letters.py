"""One kind of letter for many dossiers: the values asked once for all, each letter's own
appointment time, what was printed and what was refused, and the record of the printing.

Each letter is built, and each printing recorded, in a unit of work of its own
(``models.services.bulk_actions``): a letter refused for one dossier never holds back or
undoes the others. Which letter may be printed for which dossier is the rule of a single
letter (``models.services.letter_rules``, ``models.services.letter_values``), applied to
each dossier in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from models.errors import ValidationError
from models.services.bulk_actions import BulkResult, apply_to_each
from models.services.letter_values import LETTER_VALUES, WHAT, letter_values
from models.services.printed import record_printed
from models.uow import Database

# The values a letter needs that are the same for every dossier of a bulk print (asked
# once); a letter's other values (the documents to send, the reasons for rejection) are
# each dossier's own and come from it.
SHARED_VALUES: dict[str, tuple[str, ...]] = {
    "convocazione": ("appuntamento_data", "appuntamento_ora"),
}
MAX_INTERVAL_MINUTES = 240
MINUTES_IN_A_DAY = 24 * 60


@dataclass(frozen=True)
class LetterPlan:
    """The values every letter shares, checked; ``interval`` minutes between two
    appointments (0: all at the same time)."""

    form: str
    shared: Mapping[str, str]
    interval: int = 0

    def values_for(self, number: int) -> dict[str, str]:
        """The values of the ``number``-th letter printed (from 0): the first appointment
        plus ``number`` intervals."""
        values = dict(self.shared)
        first = values.get("appuntamento_ora")
        if first and self.interval:
            hours, minutes = (int(part) for part in first.split(":"))
            at = hours * 60 + minutes + number * self.interval
            if at >= MINUTES_IN_A_DAY:
                raise ValidationError(
                    {
                        "appuntamento_ora": (
                            f"l'appuntamento n. {number + 1} cadrebbe dopo la mezzanotte "
                            f"(dalle {first}, ogni {self.interval} minuti): ridurre "
                            "l'intervallo o dividere la selezione"
                        )
                    }
                )
            values["appuntamento_ora"] = f"{at // 60:02d}:{at % 60:02d}"
        return values


def plan_letters(form: str, values: Mapping[str, str], interval: int = 0) -> LetterPlan:
    """Checks the shared values as a single letter checks them, field by field: a blank
    or unreadable one is refused, and so is a value that belongs to each dossier."""
    shared = SHARED_VALUES.get(form, ())
    errors: dict[str, str] = {}
    for name in values:
        if name not in shared:
            what = WHAT.get(name, f"«{name}»")
            errors[name] = (
                f"{what}: in una stampa di più pratiche viene da ciascuna pratica"
                if name in LETTER_VALUES.get(form, ())
                else f"«{name}» non serve a questa lettera"
            )
    if not 0 <= interval <= MAX_INTERVAL_MINUTES:
        errors["intervallo"] = (
            f"intervallo tra gli appuntamenti da 0 a {MAX_INTERVAL_MINUTES} minuti"
        )
    checked: dict[str, str] = {}
    if shared:
        try:
            checked = letter_values(form, {name: values.get(name, "") for name in shared})
        except ValidationError as error:
            errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    return LetterPlan(form, checked, interval if shared else 0)


@dataclass(frozen=True)
class LetterOutcome:
    reference: str
    name: str  # the applicant, "" when the dossier was not found
    printed: bool
    reason: str = ""  # Italian, for a refusal


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass(frozen=True)
class LettersResult:
    """The letters of one bulk print: ``recorded`` once their printing is on the dossiers."""

    title: str
    outcomes: tuple[LetterOutcome, ...]
    recorded: bool = False

    @property
    def printed(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.outcomes if o.printed)

    @property
    def refused(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.printed)

    def headline(self) -> str:
        """«12 lettere stampate, 3 rifiutate» (before printing: «12 lettere pronte, …»)."""
        done = len(self.printed)
        letters = _count(done, "lettera", "lettere")
        state = (
            ("stampata" if done == 1 else "stampate")
            if self.recorded
            else ("pronta" if done == 1 else "pronte")
        )
        refused = len(self.refused)
        return f"{letters} {state}, {refused} {'rifiutata' if refused == 1 else 'rifiutate'}"

    def refusal_lines(self) -> list[str]:
        return [
            f"{o.reference}{f' ({o.name})' if o.name else ''}: {o.reason}" for o in self.refused
        ]

    def summary(self) -> str:
        """Italian: the headline, then each refused dossier with its reason."""
        lines = [f"{self.title}: {self.headline()}."]
        if self.refused:
            lines.append("Rifiutate:")
            lines += [f"- {line}" for line in self.refusal_lines()]
        return "\n".join(lines)

    def after_recording(self, recorded: BulkResult) -> LettersResult:
        """The result once the printing was recorded: a letter whose record was refused
        (the dossier changed meanwhile) is counted as refused, with the reason."""
        failed = {o.reference: o.reason for o in recorded.refused}
        outcomes = tuple(
            LetterOutcome(
                o.reference,
                o.name,
                False,
                f"stampa non registrata: {failed[o.reference]}",
            )
            if o.printed and o.reference in failed
            else o
            for o in self.outcomes
        )
        return LettersResult(self.title, outcomes, recorded=True)


def record_letters(
    database: Database,
    user: str,
    refs: Iterable[str],
    form: str,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Each letter's *stampata* event, as printing it alone records it, one unit of work
    per dossier."""
    return apply_to_each(
        database, user, refs, lambda uow, ref: record_printed(uow, [ref], form), progress
    )
