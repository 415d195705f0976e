"""``print LETTER`` for several dossiers: one PDF, one letter each, refusals listed.

Exit status: 0 when every letter was printed; 1 when some were refused — the PDF of the
others is written all the same, and each refused dossier gets a line on standard error
(«rifiutata: REF (NAME): reason») — or when all were (then no file is written).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from models.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from desktop.cli.context import Context


def _selected(ctx: Context) -> list[str]:
    """The dossiers named with --dossier, then those --search/--state find (each once)."""
    args = ctx.args
    refs = list(args.refs)
    if args.search or args.state:
        from models.read.filters import DossierFilter
        from models.services import views

        with ctx.read() as uow:
            spec = DossierFilter(search=args.search, state=args.state)
            found = [s.reference for s in views.dossier_summaries(uow, spec, limit=None)]
        if not found:
            raise ValidationError({"search": "nessuna pratica corrisponde alla ricerca"})
        refs += found
    return list(dict.fromkeys(refs))


def print_letters(ctx: Context, values: Mapping[str, str]) -> int:
    """``values``: those of --field, shared by every letter."""
    from desktop.settings import print_setup
    from models.services.bulk_letters import record_letters
    from reports.bulk_letters import bulk_letters

    args = ctx.args
    batch = bulk_letters(
        ctx.database,
        ctx.username,
        args.form,
        _selected(ctx),
        values,
        args.interval,
        print_setup(ctx.workstation.home),
    )
    if batch.pdf is None:
        for line in batch.result.refusal_lines():
            print(f"rifiutata: {line}", file=sys.stderr)
        refused = len(batch.result.refused)
        raise DomainError(f"nessuna lettera stampata ({refused} rifiutate): nessun file scritto")
    Path(args.output).write_bytes(batch.pdf)
    # Recorded only once the file exists, each dossier on its own, as a single letter is.
    recorded = record_letters(ctx.database, ctx.username, batch.references, batch.form)
    result = batch.result.after_recording(recorded)
    print(args.output)
    print(result.headline())
    for line in result.refusal_lines():
        print(f"rifiutata: {line}", file=sys.stderr)
    return 1 if result.refused else 0
