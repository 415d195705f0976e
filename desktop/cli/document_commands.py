"""``documents ocr``: read the text of the documents still waiting (or, with ``--all``,
of those that failed or were read without OCR) now, in the foreground — for an
administrator catching up on a backlog, or after installing OCRmyPDF."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from desktop.cli.output import print_json

if TYPE_CHECKING:
    from desktop.cli.context import Context


def register(commands: Any) -> None:
    documents = commands.add_parser("documents", help="attached documents")
    actions = documents.add_subparsers(dest="documents_command", required=True)
    ocr = actions.add_parser(
        "ocr", help="read the text of the documents waiting for it (OCR where installed)"
    )
    ocr.add_argument(
        "--all",
        action="store_true",
        help="also documents that failed, and those read without OCR when it is installed now",
    )
    ocr.add_argument("--json", action="store_true", help="one JSON object per document")
    ocr.set_defaults(handler=cmd_ocr)


def cmd_ocr(ctx: Context) -> int:
    from sync.inbox.texts import TextReader

    with ctx.read():
        pass  # refuses an unknown or disabled user before any work
    reader = TextReader(ctx.database, ctx.username)
    tools = reader.ocr_tools()
    queue = reader.pending(again=ctx.args.all)
    if not ctx.args.json:
        how = "con OCR" if tools.ready else "senza OCR (solo lo strato di testo dei PDF)"
        print(f"documenti da leggere: {len(queue)}, {how}", file=sys.stderr, flush=True)
    read = failed = 0
    for document_id in queue:
        outcome = reader.read_one(document_id)
        if outcome is None:
            continue  # its bytes are not on this workstation yet
        if outcome.problem:
            failed += 1
        else:
            read += 1
        if ctx.args.json:
            print_json(
                {
                    "document": str(outcome.document_id),
                    "file": outcome.file_name,
                    "characters": outcome.characters,
                    "archived_copy": outcome.archived,
                    "problem": outcome.problem,
                }
            )
        elif outcome.problem:
            print(f"non riuscito: {outcome.file_name}: {outcome.problem}", flush=True)
        else:
            copy = ", copia PDF/A allegata" if outcome.archived else ""
            print(f"letto: {outcome.file_name} ({outcome.characters} caratteri{copy})", flush=True)
    if not ctx.args.json:
        print(f"letti {read}, non riusciti {failed}", file=sys.stderr)
    return 1 if failed else 0
