"""Command-line usage mistakes reported like every other refusal: one Italian line."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

from desktop.cli.failures import one_line

# argparse's own messages (Python 3.11 and later), in Italian.
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (r"the following arguments are required: (.*)", r"mancano argomenti obbligatori: \1"),
        (r"unrecognized arguments: (.*)", r"argomenti non riconosciuti: \1"),
        (
            r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
            r"\1: scelta non valida \2 (ammesse: \3)",
        ),
        (r"argument (.*?): invalid \w+ value: (.*)", r"\1: valore non valido \2"),
        (r"argument (.*?): expected one argument", r"\1: manca il valore"),
        (r"argument (.*?): expected at least one argument", r"\1: serve almeno un valore"),
        (r"argument (.*?): expected at most one argument", r"\1: al massimo un valore"),
        (r"argument (.*?): not allowed with argument (.*)", r"\1: non si usa insieme a \2"),
        (r"ambiguous option: (.*?) could match (.*)", r"opzione ambigua \1 (può essere \2)"),
        (r"one of the arguments (.*) is required", r"serve uno degli argomenti \1"),
        (r"argument (.*?): ignored explicit argument (.*)", r"\1: valore non previsto \2"),
        (r"argument (.*?): (.*)", r"\1: \2"),
    )
)


def italian(message: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        if pattern.fullmatch(message):
            message = pattern.sub(replacement, message, count=1)
            break
    return one_line(message)


class ItalianParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line in Italian, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"errore: {italian(message)} (aiuto: {self.prog} --help)\n")
