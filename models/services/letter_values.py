"""What a letter needs that the dossier cannot give, checked once for the CLI and the GUI.

A summons names the day and hour of the appointment, a request for documents lists
them, a *preavviso di rigetto* states its reasons. A letter with a blank where one of
these belongs is never printed: an empty or whitespace value is no value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from models.dates import parse_date
from models.errors import ValidationError

LETTER_VALUES: dict[str, tuple[str, ...]] = {
    "convocazione": ("appuntamento_data", "appuntamento_ora"),
    "richiesta-integrazione": ("documenti",),
    "preavviso-rigetto": ("motivi",),
}
WHAT = {
    "appuntamento_data": "la data dell'appuntamento",
    "appuntamento_ora": "l'ora dell'appuntamento",
    "documenti": "l'elenco dei documenti da integrare",
    "motivi": "i motivi del rigetto",
}
PLURAL = frozenset({"motivi"})
PLACEHOLDER = "—"  # what a letter shows for a value the dossier does not hold
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def letter_values(form: str, values: Mapping[str, str]) -> dict[str, str]:
    """The values ``form`` needs, checked and written as the letter prints them.

    ValidationError names each missing or unreadable one.
    """
    checked: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in LETTER_VALUES.get(form, ()):
        text = (values.get(name) or "").strip()
        if text in ("", PLACEHOLDER):
            verb = "mancano" if name in PLURAL else "manca"
            errors[name] = f"{verb} {WHAT.get(name, name)} (non ricavabile dalla pratica)"
            continue
        try:
            checked[name] = _written(name, text)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise ValidationError(errors)
    return checked


def _written(name: str, text: str) -> str:
    if name == "appuntamento_data":
        try:
            return parse_date(text).strftime("%d/%m/%Y")
        except ValueError as error:
            raise ValueError(f"appuntamento: {error}") from None
    if name == "appuntamento_ora":
        match = _TIME.match(text)
        if match is None:
            raise ValueError(f"appuntamento: ora non valida «{text}» (usare hh:mm)")
        return f"{int(match[1]):02d}:{match[2]}"
    return text
