"""``dossier``, ``parere``, ``deadlines`` and ``types`` commands."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from desktop.cli.output import UNIT_LABELS, days_badge, it_date, print_json, print_table
from models.errors import ValidationError

ADD_OPTIONS = {
    "surname": "--surname",
    "given_names": "--given-names",
    "birth_date": "--birth-date",
    "nationality": "--nationality",
    "sex": "--sex",
    "birth_place": "--birth-place",
    "fiscal_code": "--fiscal-code",
    "passport": "--passport",
    "cui": "--cui",
    "application_code": "--application-code",
    "employer_name": "--employer",
    "employer_fiscal_code": "--employer-fiscal-code",
    "employer_pec": "--employer-pec",
    "filed_on": "--filed-on",
    "quota_assigned_on": "--quota-assigned-on",
}

if TYPE_CHECKING:
    from desktop.cli.context import Context
    from models.read.as_json import Risks
    from models.read.filters import DossierFilter
    from models.read.views import DossierDetail, DossierSummary

# Each command imports its services when it runs: a command line that loaded every
# service for every call would start too slowly for scripts (targets: read < 0.5 s).


def register(commands: Any) -> None:
    dossier = commands.add_parser("dossier", help="register, show, list and move dossiers")
    sub = dossier.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="register a new dossier (assigns the protocol number)")
    add.add_argument("--type", required=True, help="procedure type code (see `raccordo types`)")
    for field, flag in ADD_OPTIONS.items():
        add.add_argument(
            flag,
            dest=field,
            required=field in {"surname", "given_names", "birth_date", "nationality"},
        )
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_add)

    show = sub.add_parser("show", help="one dossier with its deadline, history and items")
    show.add_argument("ref", help="protocol, id or codice domanda")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show, light=True)

    listing = sub.add_parser("list", help="dossiers matching filters")
    listing.add_argument("--state")
    listing.add_argument("--type", dest="type_code")
    listing.add_argument("--office", help="office holding the file (code or sui/questura)")
    listing.add_argument("--overdue", action="store_true")
    listing.add_argument("--due-within", type=int, metavar="N")
    listing.add_argument("--with-open-flags", action="store_true")
    listing.add_argument("--open", dest="open_only", action="store_true", help="not closed")
    listing.add_argument(
        "--search",
        metavar="TEXT",
        help="surname, names, protocol, codice domanda/fiscale, CUI, passport",
    )
    listing.add_argument(
        "--assigned-to", metavar="USER", help="assigned to this person (me: to yourself)"
    )
    listing.add_argument("--limit", type=int, default=50, help="0 for all (default 50)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list, light=True)

    update = sub.add_parser("update", help="change fields: --set FIELD=VALUE")
    update.add_argument("ref")
    update.add_argument(
        "--set", action="append", required=True, metavar="FIELD=VALUE", dest="assignments"
    )
    update.set_defaults(handler=cmd_update)

    move = sub.add_parser("advance", help="move a dossier to another state")
    move.add_argument("ref")
    move.add_argument("state")
    move.add_argument("--on", help="effective date (default today)")
    move.add_argument("--note", default="")
    move.set_defaults(handler=cmd_advance)

    taken = sub.add_parser(
        "assign", help="assign a dossier to a person of its holding office (assegnata a)"
    )
    taken.add_argument("ref")
    taken.add_argument("assignee", nargs="?", metavar="USER", help="username, or me")
    taken.add_argument("--release", action="store_true", help="assigned to nobody")
    taken.set_defaults(handler=cmd_assign)

    undo = sub.add_parser(
        "undo",
        help="undo your last state move on the dossier, within 10 minutes and if nothing followed",
    )
    undo.add_argument("ref")
    undo.set_defaults(handler=cmd_undo)

    observations = sub.add_parser(
        "observations",
        help="the applicant's observations on a preavviso di rigetto arrived (art. 10-bis)",
    )
    observations.add_argument("ref")
    observations.add_argument("--on", help="date they arrived (default today)")
    observations.add_argument("--note", default="")
    observations.set_defaults(handler=cmd_observations)

    parere = commands.add_parser("parere", help="record the other office's opinion")
    parere.add_argument("ref")
    parere.add_argument("--outcome", required=True, choices=["favorevole", "motivi_ostativi"])
    parere.add_argument("--reasons", default="")
    parere.add_argument("--on", help="date the parere was given (default today)")
    parere.set_defaults(handler=cmd_parere)

    due = commands.add_parser("deadlines", help="dossiers overdue or due within N days")
    due.add_argument("--within", type=int, default=7, metavar="N")
    due.add_argument("--office")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=cmd_deadlines, light=True)

    types = commands.add_parser("types", help="procedure types, their terms and workflows")
    types.add_argument("--json", action="store_true")
    types.set_defaults(handler=cmd_types)


def cmd_add(ctx: Context) -> int:
    from models.services.registration import register_dossier

    raw = {f: getattr(ctx.args, f) for f in ADD_OPTIONS if getattr(ctx.args, f) is not None}
    with ctx.write() as uow:
        result = register_dossier(uow, ctx.args.type, raw)
        uow.commit()
    for warning in result.warnings:
        print(f"attenzione: {warning}", file=sys.stderr)
    if ctx.args.json:
        print_json({"id": str(result.dossier_id), "protocol": result.reference})
    else:
        print(result.reference)
    return 0


def _detail(ctx: Context, risk: bool = False) -> tuple[DossierDetail, Risks | None]:
    """``dossier show``'s data; with ``risk``, its breach risk too (``--json``)."""
    with ctx.light_reads() as reads:
        if reads is not None:
            found = reads.detail(ctx.args.ref)
            return found, reads.breach_risks([found.id]) if risk else None
    from models.services import forecast, views

    with ctx.read() as uow:
        detail = views.dossier_detail(uow, ctx.args.ref)
        if not risk:
            return detail, None
        return detail, forecast.breach_risks(uow, [detail.id])


def cmd_show(ctx: Context) -> int:
    detail, risks = _detail(ctx, risk=ctx.args.json)
    if ctx.args.json:
        from models.read.as_json import detail_json

        print_json(detail_json(detail, risks))
        return 0
    person, employer, rule = detail.person, detail.employer, detail.rule
    lines = [
        f"{detail.reference}  {detail.type_code} – {detail.type_name}",
        f"  Stato:        {detail.state_label} (presso: {detail.holder_office or detail.holder})",
        f"  Persona:      {person.surname} {person.given_names}, nata/o il "
        f"{it_date(person.birth_date)}, {person.nationality}",
        f"  Cod. fiscale: {person.fiscal_code or '—'}   CUI: {person.cui or '—'}   "
        f"Passaporto: {person.passport or '—'}",
        f"  Datore:       {employer.name or '—'} {employer.fiscal_code or ''}",
        f"  Domanda:      {detail.application_code or '—'} presentata il "
        f"{it_date(detail.filed_on)}",
        f"  Termine:      {rule.term} {UNIT_LABELS[rule.unit]} ({rule.basis})",
        f"  Scadenza:     {it_date(detail.deadline)} – {days_badge(detail)}; "
        f"sospensione {detail.suspended_days} gg",
    ]
    held = {party.value: days for party, days in detail.reading.held_days.items()}
    lines.append(
        f"  Giorni presso: SUI {held['sui']}, Questura {held['questura']}, "
        f"richiedente {held['applicant']}"
    )
    for anomaly in detail.reading.anomalies:
        lines.append(f"  ! {anomaly}")
    lines.append("  Storia:")
    for event in detail.history:
        target = f" → {event.to_state_label}" if event.to_state else ""
        lines.append(
            f"    {it_date(event.effective_on)}  {event.office or ''} "
            f"{event.actor or ''}: {event.kind}{target} {event.note}".rstrip()
        )
        for note in event.clock_notes:
            lines.append(f"      ! {note}")
    open_flags = [f for f in detail.flags if f.is_open]
    if open_flags:
        lines.append("  Segnalazioni aperte:")
        for flag in open_flags:
            lines.append(
                f"    #{flag.number} {flag.category_label} ({flag.raised_by_office}"
                f" → {flag.for_office}): {flag.text}"
            )
    moves = ", ".join(m.to_state for m in detail.allowed_moves) or "nessuna"
    lines.append(f"  Azioni possibili: {moves}")
    print("\n".join(lines))
    return 0


def _filter(args: argparse.Namespace, me: str) -> DossierFilter:
    from models.read.filters import DossierFilter

    assigned = args.assigned_to.strip() if args.assigned_to else None
    return DossierFilter(
        assigned_to=me if assigned and assigned.lower() == "me" else assigned,
        state=args.state,
        type_code=args.type_code,
        office=args.office,
        overdue=args.overdue,
        due_within=args.due_within,
        search=args.search,
        with_open_flags=args.with_open_flags,
        open_only=args.open_only,
    )


def _print_summaries(
    summaries: list[DossierSummary], as_json: bool, risks: Risks | None = None
) -> None:
    if as_json:
        from models.read.as_json import summary_json

        print_json([summary_json(s, risks) for s in summaries])
        return
    print_table(
        [
            "Protocollo",
            "Cognome e nomi",
            "Naz.",
            "Tipo",
            "Stato",
            "Presso",
            "Presentata",
            "Scadenza",
            "",
            "Segn.",
        ],
        [
            [
                s.reference,
                s.name,
                s.person.nationality,
                s.type_code,
                s.state,
                s.holder_office or s.holder,
                it_date(s.filed_on),
                it_date(s.deadline),
                days_badge(s),
                s.open_flags or "",
            ]
            for s in summaries
        ],
    )


def cmd_list(ctx: Context) -> int:
    risks: Risks | None = None  # the forecast reads the office's history: only for --json
    with ctx.light_reads() as reads:
        if reads is not None:
            spec = _filter(ctx.args, reads.viewer.username)
            found = reads.list_records(spec, limit=ctx.args.limit or None)
            if ctx.args.json:
                risks = reads.breach_risks([r.id for r in found])
            _print_summaries(reads.summaries(found), ctx.args.json, risks)
            return 0
    from models.services import forecast, views

    with ctx.read() as uow:
        spec = _filter(ctx.args, uow.actor.username)
        summaries = views.dossier_summaries(uow, spec, limit=ctx.args.limit or None)
        if ctx.args.json:
            ids = [s.id for s in summaries]
            risks = forecast.breach_risks(uow, ids)
    _print_summaries(summaries, ctx.args.json, risks)
    return 0


def cmd_deadlines(ctx: Context) -> int:
    with ctx.light_reads() as reads:
        if reads is not None:
            found = reads.deadline_records(ctx.args.within, ctx.args.office)
            _print_summaries(reads.summaries(found), ctx.args.json)
            return 0
    from models.services import views

    with ctx.read() as uow:
        summaries = views.deadline_summaries(uow, ctx.args.within, ctx.args.office)
    _print_summaries(summaries, ctx.args.json)
    return 0


def cmd_update(ctx: Context) -> int:
    from models.services.registration import update_dossier

    raw: dict[str, str] = {}
    for assignment in ctx.args.assignments:
        field, sep, value = assignment.partition("=")
        if not sep:
            raise ValidationError({field: f"«{assignment}»: usare --set CAMPO=VALORE"})
        raw[field.strip()] = value
    with ctx.write() as uow:
        _changes, warnings = update_dossier(uow, ctx.args.ref, raw)
        uow.commit()
    for warning in warnings:
        print(f"attenzione: {warning}", file=sys.stderr)
    return 0


def cmd_advance(ctx: Context) -> int:
    from models.services.workflow import advance

    with ctx.write() as uow:
        advance(uow, ctx.args.ref, ctx.args.state, ctx.on(ctx.args.on), ctx.args.note)
        uow.commit()
    return 0


def cmd_assign(ctx: Context) -> int:
    from models.errors import ValidationError
    from models.services.assignment import assign

    if bool(ctx.args.assignee) == ctx.args.release:
        raise ValidationError({"user": "indicare l'utente (o me), oppure --release"})
    with ctx.write() as uow:
        changes = assign(uow, ctx.args.ref, None if ctx.args.release else ctx.args.assignee)
        uow.commit()
    if not changes.kinds:
        print("nessuna modifica: la pratica era già così")
    return 0


def cmd_undo(ctx: Context) -> int:
    from models.services.lookup import get_dossier
    from models.services.undo import undo_last_move
    from models.workflow import load_workflow

    with ctx.write() as uow:
        undo_last_move(uow, ctx.args.ref)
        dossier = get_dossier(uow, ctx.args.ref)
        reference = dossier.reference
        state = load_workflow(uow.session, dossier.procedure_type).label(dossier.state)
        uow.commit()
    print(f"{reference}: passaggio annullato, la pratica è di nuovo in «{state}»")
    return 0


def cmd_observations(ctx: Context) -> int:
    from models.services.observations import record_observations

    with ctx.write() as uow:
        changes = record_observations(uow, ctx.args.ref, ctx.on(ctx.args.on), ctx.args.note)
        uow.commit()
    for warning in changes.warnings:
        print(f"attenzione: {warning}", file=sys.stderr)
    return 0


def cmd_parere(ctx: Context) -> int:
    from models.services.workflow import record_parere

    with ctx.write() as uow:
        record_parere(uow, ctx.args.ref, ctx.args.outcome, ctx.args.reasons, ctx.on(ctx.args.on))
        uow.commit()
    return 0


def cmd_types(ctx: Context) -> int:
    from models.read.as_json import catalogue_type_json
    from models.services.catalogue_read import procedure_catalogue

    with ctx.reference() as uow:
        types = procedure_catalogue(uow)
    if ctx.args.json:
        print_json([catalogue_type_json(t) for t in types])
        return 0
    rows = []
    for item in types:
        current = item.current_rule
        term = f"{current.term} {UNIT_LABELS[current.unit]}" if current else "—"
        rows.append(
            [
                item.code,
                item.name,
                item.lead_office.value,
                term,
                current.basis if current else "",
                "riservata" if item.restricted else "",
            ]
        )
    print_table(["Codice", "Procedimento", "Ufficio", "Termine", "Base", ""], rows)
    return 0
