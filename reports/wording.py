"""The editable wording of the forms: template files with ``{field}`` placeholders.

Raccordo's Italian texts ship in ``reports/templates/<form>.txt``; a workstation overrides
one by a file of the same name in the workstation's templates folder (``<home>/templates/``
or ``templates.dir``) (see docs/forms/README.md for the
placeholders). ``{{`` and ``}}`` write literal braces. A passage in ``[[`` … ``]]`` is
optional: it is left out, brackets and all, when a placeholder in it has no value, so a
letter says nothing rather than print a blank («datore di lavoro —»).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from models.errors import DomainError
from reports.site import PrintSetup

DEFAULT_TEMPLATES = Path(__file__).with_name("templates")

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
NO_VALUE = ("", "—")  # what the fields give for a value the dossier lacks


class TemplateError(DomainError):
    """A template that cannot be filled: the message says which file and which field."""


def template_path(form: str, setup: PrintSetup | None) -> Path:
    """The workstation's own text of ``form`` when there is one, else Raccordo's."""
    if setup is not None and setup.templates_dir is not None:
        override = setup.templates_dir / f"{form}.txt"
        if override.is_file():
            return override
    return DEFAULT_TEMPLATES / f"{form}.txt"


def load_template(form: str, setup: PrintSetup | None) -> tuple[str, str]:
    """The template text of ``form`` and where it came from."""
    path = template_path(form, setup)
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        raise TemplateError(f"modello «{form}» non trovato ({path})") from None
    except UnicodeDecodeError:
        raise TemplateError(f"il modello {path} non è un file di testo UTF-8") from None


def fill(template: str, values: Mapping[str, str], source: str = "modello") -> str:
    """``template`` with each ``{field}`` replaced and each ``[[optional passage]]`` kept
    only when all its fields have a value; any other brace is an error.

    The passages are found in the template, never in the values filled in, so a name that
    happens to hold ``[[`` prints as it is."""
    pieces, last = [], 0
    for match in _OPTIONAL.finditer(template):
        pieces.append(_fill(template, last, match.start(), values, source, []))
        used: list[str] = []
        passage = _fill(template, match.start(1), match.end(1), values, source, used)
        if not any(values[key].strip() in NO_VALUE for key in used):
            pieces.append(passage)
        last = match.end()
    pieces.append(_fill(template, last, len(template), values, source, []))
    return "".join(pieces)


def _fill(
    template: str, start: int, end: int, values: Mapping[str, str], source: str, used: list[str]
) -> str:
    """``template[start:end]`` with its placeholders filled; their names go into ``used``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        line = template.count("\n", 0, start + match.start()) + 1
        if name is None:
            raise TemplateError(
                f"{source}, riga {line}: parentesi graffa isolata; "
                "per scriverla usare {{ oppure }}"
            )
        key = name.strip()
        if key not in values:
            known = ", ".join(sorted(values))
            raise TemplateError(
                f"{source}, riga {line}: segnaposto {{{key}}} sconosciuto; "
                f"segnaposto disponibili: {known}"
            )
        used.append(key)
        return values[key]

    return _PLACEHOLDER.sub(replace, template[start:end])


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are kept."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [block.strip() for block in blocks if block.strip()]
