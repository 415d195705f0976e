"""``flag`` commands: pending items between the offices."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from desktop.cli.output import it_date, print_json, print_table
from models.enums import FLAG_CATEGORIES

if TYPE_CHECKING:
    from desktop.cli.context import Context

# Each command imports its services when it runs: a command line that loaded every
# service for every call would start too slowly for scripts (targets: read < 0.5 s).


def register(commands: Any) -> None:
    flag = commands.add_parser("flag", help="pending items (segnalazioni) for the other office")
    sub = flag.add_subparsers(dest="action", metavar="ACTION", required=True)

    raise_ = sub.add_parser("raise", help="raise a pending item on a dossier")
    raise_.add_argument("ref")
    raise_.add_argument("--category", required=True, choices=list(FLAG_CATEGORIES))
    raise_.add_argument("--text", required=True)
    raise_.add_argument("--suspends", action="store_true", help="suspends the legal term")
    raise_.add_argument("--on", help="date raised (default today)")
    raise_.set_defaults(handler=cmd_raise)

    resolve = sub.add_parser("resolve", help="mark a pending item resolved")
    resolve.add_argument("id", help="number shown by `flag list` (or its id)")
    resolve.add_argument("--on", help="date resolved (default today)")
    resolve.add_argument("--note", default="")
    resolve.set_defaults(handler=cmd_resolve)

    listing = sub.add_parser("list", help="pending items")
    listing.add_argument("--open", dest="open_only", action="store_true")
    listing.add_argument("--office", help="raised by or for this office")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)


def cmd_raise(ctx: Context) -> int:
    from models.services.flags import raise_flag

    with ctx.write() as uow:
        number, changes = raise_flag(
            uow,
            ctx.args.ref,
            ctx.args.category,
            ctx.args.text,
            ctx.args.suspends,
            ctx.on(ctx.args.on),
        )
        uow.commit()
    for warning in changes.warnings:
        print(f"attenzione: {warning}", file=sys.stderr)
    print(number)
    return 0


def cmd_resolve(ctx: Context) -> int:
    from models.services.flags import resolve_flag

    with ctx.write() as uow:
        resolve_flag(uow, ctx.args.id, ctx.on(ctx.args.on), ctx.args.note)
        uow.commit()
    return 0


def cmd_list(ctx: Context) -> int:
    from models.services import views

    with ctx.read() as uow:
        flags = views.flag_list(uow, ctx.args.open_only, ctx.args.office)
    if ctx.args.json:
        from models.read.as_json import flag_json

        print_json([flag_json(f) for f in flags])
        return 0
    print_table(
        ["N.", "Pratica", "Da", "Per", "Categoria", "Aperta il", "Risolta il", "Sosp.", "Testo"],
        [
            [
                f.number,
                f.dossier,
                f.raised_by_office,
                f.for_office,
                f.category_label,
                it_date(f.raised_on),
                it_date(f.resolved_on),
                "sì" if f.suspends else "",
                f.text,
            ]
            for f in flags
        ],
    )
    return 0
