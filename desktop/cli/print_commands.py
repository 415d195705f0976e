"""``print``: the standard forms as PDF (domain brief §6)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import print_table
from models.errors import ValidationError
from reports.form_list import FORMS, form_spec

if TYPE_CHECKING:
    from desktop.cli.context import Context
    from models.uow import UnitOfWork
    from reports.documents import FormDocument


def register(commands: Any) -> None:
    printing = commands.add_parser(
        "print",
        help="print a form as PDF (raccordo print --list)",
        description="Forms: " + ", ".join(FORMS),
    )
    printing.add_argument("form", nargs="?", metavar="FORM", help="see --list")
    printing.add_argument("--list", action="store_true", help="the forms and what they are")
    printing.add_argument(
        "--dossier",
        nargs="+",
        action="extend",
        metavar="REF",
        default=[],
        dest="refs",
        help="the dossier(s); a letter for several prints one letter each in one PDF",
    )
    printing.add_argument(
        "--search",
        metavar="TEXT",
        help="letters: also the dossiers this search finds (as `dossier list --search`)",
    )
    printing.add_argument(
        "--state", metavar="STATE", help="letters: also by state (with --search, both)"
    )
    printing.add_argument(
        "--interval",
        type=int,
        default=0,
        metavar="MIN",
        help="convocazione of several dossiers: minutes between two appointments from the "
        "first (--field appuntamento_ora); 0, the default, gives all the same time",
    )
    printing.add_argument("-o", "--output", metavar="FILE.pdf")
    printing.add_argument("--office", help="scadenzario: the office (default: your own)")
    printing.add_argument("--within", type=int, default=7, metavar="N", help="scadenzario")
    printing.add_argument("--to", dest="to_office", help="distinta: receiving office")
    printing.add_argument(
        "--kind",
        default="",
        metavar="KIND",
        help="separatore: the document kind (passaporto, contratto, certificato, ricevuta, altro)",
    )
    printing.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a placeholder the dossier cannot give, e.g. appuntamento_data=02/12/2026",
    )
    printing.set_defaults(handler=cmd_print)


def _extra_fields(assignments: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ValidationError({"field": f"«{assignment}»: usare --field NOME=VALORE"})
        values[name.strip()] = value
    return values


def _document(ctx: Context, uow: UnitOfWork) -> FormDocument:
    from desktop.settings import print_setup
    from reports import forms

    args = ctx.args
    spec = form_spec(args.form)
    setup = print_setup(ctx.workstation.home)
    if spec.kind == "worklist":
        if args.refs:
            raise ValidationError({"dossier": "lo scadenzario usa --office e --within"})
        return forms.worklist_document(uow, args.office, args.within, setup)
    if spec.kind == "separator":
        return forms.separator_document(uow, args.refs, args.kind, setup)
    if spec.kind == "slip":
        return forms.transmittal_document(uow, args.refs, setup, args.to_office)
    if len(args.refs) != 1:
        raise ValidationError({"dossier": f"il modulo «{spec.name}» vuole una pratica"})
    extra = _extra_fields(args.field)
    return forms.dossier_document(uow, spec.name, args.refs[0], setup, extra)


def cmd_print(ctx: Context) -> int:
    args = ctx.args
    if args.list or not args.form:
        from models.services.letter_rules import who_prints

        print_table(
            ["Modulo", "Titolo", "Contenuto", "Lo stampa"],
            [
                [spec.name, spec.title, spec.description, who_prints(spec.name, spec.kind)]
                for spec in FORMS.values()
            ],
        )
        if args.list:
            return 0
        print("errore: indicare il modulo da stampare (elenco sopra)", file=sys.stderr)
        return 2
    if not args.output:
        raise ValidationError({"output": "indicare il file da scrivere: -o FILE.pdf"})
    spec = form_spec(args.form)
    if spec.kind == "letter" and (len(args.refs) > 1 or args.search or args.state):
        from desktop.cli.print_letters import print_letters

        return print_letters(ctx, _extra_fields(args.field))
    from models.services.printed import record_printed
    from reports.pdf import render_pdf

    with ctx.write() as uow:
        document = _document(ctx, uow)
        Path(args.output).write_bytes(render_pdf(document))
        # Recorded only once the file exists: a failed print leaves no trace in the history.
        if document.dossiers:
            record_printed(uow, list(document.dossiers), document.form)
        uow.commit()
    print(args.output)
    return 0
