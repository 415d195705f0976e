"""``tavolo`` commands: the coordination meetings between the two offices."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import it_date, print_json, print_table
from models.enums import FLAG_CATEGORIES
from models.errors import ValidationError

if TYPE_CHECKING:
    from desktop.cli.context import Context


def _weeks(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"numero di settimane non valido: «{text}»") from None


def register(commands: Any) -> None:
    tavolo = commands.add_parser("tavolo", help="coordination meetings (tavolo di coordinamento)")
    sub = tavolo.add_subparsers(dest="action", metavar="ACTION", required=True)

    new = sub.add_parser("new", help="convene a meeting; prints its number")
    new.add_argument("--on", required=True, help="date of the meeting")
    new.add_argument("--place", default="")
    new.add_argument("--every-weeks", type=_weeks, help="a series: every N weeks")
    new.add_argument("--participant", action="append", default=[], help="username (repeatable)")
    new.set_defaults(handler=cmd_new)

    listing = sub.add_parser("list", help="meetings")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)

    agenda = sub.add_parser("agenda", help="a meeting's agenda and outcomes")
    agenda.add_argument("number")
    agenda.add_argument("--json", action="store_true")
    agenda.set_defaults(handler=cmd_agenda)

    item = sub.add_parser("item", help="propose an item (a dossier or a topic)")
    item.add_argument("number")
    what = item.add_mutually_exclusive_group(required=True)
    what.add_argument("--dossier", help="protocol, code or id of the dossier")
    what.add_argument("--topic", help="the topic, in words")
    item.set_defaults(handler=cmd_item)

    for name, handler, text in (
        ("start", cmd_start, "open the meeting"),
        ("close", cmd_close, "close and seal the meeting"),
    ):
        parser = sub.add_parser(name, help=text)
        parser.add_argument("number")
        parser.set_defaults(handler=handler)

    outcome = sub.add_parser("outcome", help="record an outcome of an item")
    outcome.add_argument("item", help="item id (the first 8 characters are enough)")
    kind = outcome.add_mutually_exclusive_group(required=True)
    kind.add_argument("--info", help="informazione")
    kind.add_argument("--decision", help="decisione")
    kind.add_argument("--action", help="azione: with --owner and --due")
    outcome.add_argument("--owner", help="office (sui, questura, LO-SUI…) or username")
    outcome.add_argument("--due", help="due date of the action")
    outcome.add_argument("--flag", choices=list(FLAG_CATEGORIES), help="raise a pending item")
    outcome.add_argument("--advance", metavar="STATE", help="move the dossier to STATE")
    outcome.set_defaults(handler=cmd_outcome)

    done = sub.add_parser("done", help="mark an action done")
    done.add_argument("action_id", metavar="ACTION", help="action id (first 8 characters)")
    done.add_argument("--on", help="date done (default today)")
    done.set_defaults(handler=cmd_done)

    verbale = sub.add_parser("verbale", help="the minutes as PDF")
    verbale.add_argument("number")
    verbale.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    verbale.set_defaults(handler=cmd_verbale)

    verify = sub.add_parser("verify", help="check the seals of the closed meetings")
    verify.set_defaults(handler=cmd_verify)

    stats = sub.add_parser("stats", help="did the meetings help? (moves, actions, pareri)")
    stats.add_argument("--from", dest="since", help="first day (default 1 January)")
    stats.add_argument("--to", dest="until", help="last day (default today)")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)


def cmd_new(ctx: Context) -> int:
    from models.services.tavolo.meetings import create_meeting

    args = ctx.args
    with ctx.write() as uow:
        meeting, _ = create_meeting(
            uow, ctx.on(args.on), args.place, args.every_weeks, args.participant
        )
        number = meeting.number
        uow.commit()
    print(number)
    return 0


def cmd_list(ctx: Context) -> int:
    from sqlalchemy import func, select

    from models.meetings import AgendaItem
    from models.read.as_json import meeting_json
    from models.services.tavolo.meetings import list_meetings
    from models.services.tavolo.views import meeting_view

    with ctx.read() as uow:
        counts = dict(
            uow.session.execute(
                select(AgendaItem.meeting_id, func.count())
                .where(AgendaItem.deleted_at.is_(None))
                .group_by(AgendaItem.meeting_id)
            ).all()
        )
        meetings = [meeting_view(m, counts.get(m.id, 0)) for m in list_meetings(uow)]
    if ctx.args.json:
        print_json([meeting_json(m) for m in meetings])
        return 0
    print_table(
        ["N.", "Id", "Data", "Luogo", "Stato", "Punti", "Ogni"],
        [
            [
                m.number,
                m.short_id,
                it_date(m.held_on),
                m.place,
                m.state_label,
                m.items,
                f"{m.every_weeks} sett." if m.every_weeks else "",
            ]
            for m in meetings
        ],
    )
    return 0


def cmd_agenda(ctx: Context) -> int:
    from models.read.as_json import agenda_item_json
    from models.services.tavolo.meetings import get_meeting, visible_items
    from models.services.tavolo.views import agenda_view

    with ctx.read() as uow:
        items = agenda_view(visible_items(uow, get_meeting(uow, ctx.args.number)))
    if ctx.args.json:
        print_json([agenda_item_json(i) for i in items])
        return 0
    print_table(
        ["Punto", "Sezione", "Motivo", "Pratica", "Argomento", "Esiti"],
        [
            [
                i.short_id,
                i.section,
                i.reason_label,
                i.dossier or "",
                i.topic or i.detail,
                "; ".join(f"{o.kind_label}: {o.text}" for o in i.outcomes)
                or ("non trattato" if i.not_reached else ""),
            ]
            for i in items
        ],
    )
    return 0


def cmd_item(ctx: Context) -> int:
    from models.services.tavolo.meetings import add_item

    with ctx.write() as uow:
        item, _ = add_item(uow, ctx.args.number, ctx.args.dossier, ctx.args.topic or "")
        short = item.id.hex[:8]
        uow.commit()
    print(short)
    return 0


def cmd_start(ctx: Context) -> int:
    from models.services.tavolo.meetings import start_meeting

    with ctx.write() as uow:
        start_meeting(uow, ctx.args.number)
        uow.commit()
    return 0


def cmd_close(ctx: Context) -> int:
    from models.services.tavolo.meetings import close_meeting

    with ctx.write() as uow:
        following, _ = close_meeting(uow, ctx.args.number)
        number = following.number if following is not None else None
        uow.commit()
    if number is not None:
        print(f"punti non trattati e azioni aperte: riunione n. {number}")
    return 0


def cmd_outcome(ctx: Context) -> int:
    from models.meetings import OutcomeKind
    from models.services.tavolo.outcomes import OutcomeRequest, record_outcome

    args = ctx.args
    if args.info is not None:
        kind, text = OutcomeKind.INFORMAZIONE, args.info
    elif args.decision is not None:
        kind, text = OutcomeKind.DECISIONE, args.decision
    else:
        kind, text = OutcomeKind.AZIONE, args.action
    due = None
    if args.due is not None:
        try:
            from models.text import parse_day_or_today

            due = parse_day_or_today(args.due, ctx.database.today())
        except ValueError as error:
            raise ValidationError({"due": f"scadenza: {error}"}) from None
    request = OutcomeRequest(kind, text, args.owner, due, args.flag, args.advance)
    with ctx.write() as uow:
        outcome, _ = record_outcome(uow, args.item, request)
        short = outcome.id.hex[:8]
        uow.commit()
    print(short)
    return 0


def cmd_done(ctx: Context) -> int:
    from models.services.tavolo.outcomes import mark_done

    with ctx.write() as uow:
        mark_done(uow, ctx.args.action_id, ctx.on(ctx.args.on))
        uow.commit()
    return 0


def cmd_verbale(ctx: Context) -> int:
    from desktop.settings import print_setup
    from models.services.tavolo.minutes import minutes
    from reports.verbale import render_verbale

    with ctx.read() as uow:
        data = render_verbale(minutes(uow, ctx.args.number), print_setup(ctx.workstation.home))
    output = Path(ctx.args.output)
    try:
        output.write_bytes(data)
    except OSError as error:
        raise ValidationError(
            {"output": f"impossibile scrivere {output}: {error.strerror or error}"}
        ) from None
    return 0


def cmd_verify(ctx: Context) -> int:
    from models.services.tavolo.seal import verify

    with ctx.read() as uow:
        check = verify(uow.session)
    for problem in check.problems:
        print(f"errore: {problem}")
    hidden = (
        f", {check.hidden_items} punti riservati verificati dal sigillo"
        if (check.hidden_items)
        else ""
    )
    print(
        f"{check.meetings} riunioni chiuse verificate{hidden}: "
        + ("integre" if check.ok else "ALTERATE")
    )
    return 0 if check.ok else 1


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",").replace(",0", "")


def cmd_stats(ctx: Context) -> int:
    from models.read.as_json import effect_json
    from models.services.tavolo.effect import effect

    today = ctx.database.today()
    since = ctx.on(ctx.args.since) if ctx.args.since else today.replace(month=1, day=1)
    until = ctx.on(ctx.args.until)
    if since > until:
        raise ValidationError({"from": "il periodo finisce prima di cominciare"})
    with ctx.read() as uow:
        found = effect(uow, since, until)
    if ctx.args.json:
        print_json(effect_json(found))
        return 0
    actions = found.actions
    print(
        f"Pratiche discusse: {found.discussed}; ferme da {_days(found.still_before)} "
        f"giorni (mediana) quando discusse; mosse dopo la riunione: {found.moved}, "
        f"in {_days(found.to_next_move)} giorni (mediana); "
        f"non ancora mosse: {found.not_moved}"
    )
    print(
        f"Azioni: {actions.on_time} svolte entro la scadenza, {actions.late} in ritardo, "
        f"{actions.open_overdue} aperte e scadute, {actions.open} aperte nei tempi"
    )
    print_table(
        ["Mese", "Pareri resi", "Attesa mediana (gg)", "Riunioni"],
        [
            [
                f"{m.month:%Y-%m}",
                m.pareri_given,
                _days(m.median_wait),
                ", ".join(it_date(d) for d in m.meetings),
            ]
            for m in found.months
        ],
    )
    return 0
