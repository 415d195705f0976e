"""``init``, ``demo``, ``offices``, ``office``, ``user``, ``rules``, ``audit`` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import it_date, print_json, print_table
from models.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from desktop.cli.context import Context

# Each command imports its services when it runs: a command line that loaded every
# service for every call would start too slowly for scripts (targets: read < 0.5 s).


def register(commands: Any) -> None:
    init = commands.add_parser("init", help="create or upgrade the database (safe to re-run)")
    init.add_argument(
        "--province", default="LO", help="province code of a new database's offices (default LO)"
    )
    init.add_argument("--city", default="Lodi", help="their city (default Lodi)")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", help="fill the database with synthetic dossiers")
    demo.add_argument("--dossiers", type=int, default=1000, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--meetings",
        type=int,
        metavar="N",
        help="fortnightly tavolo meetings up to today (default 26; none above 50,000 dossiers)",
    )
    demo.set_defaults(handler=cmd_demo)

    offices = commands.add_parser("offices", help="the offices of this installation")
    offices.add_argument("--json", action="store_true")
    offices.set_defaults(handler=cmd_offices)

    office = commands.add_parser("office", help="edit an office's letterhead data")
    office_sub = office.add_subparsers(dest="action", metavar="ACTION", required=True)
    office_set = office_sub.add_parser("set", help="--set FIELD=VALUE (admin)")
    office_set.add_argument("code")
    office_set.add_argument(
        "--set", action="append", required=True, dest="assignments", metavar="FIELD=VALUE"
    )
    office_set.set_defaults(handler=cmd_office_set)

    user = commands.add_parser("user", help="staff accounts")
    user_sub = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    user_add = user_sub.add_parser("add", help="add a staff member (admin)")
    user_add.add_argument("name")
    user_add.add_argument("--office", help="office code (default: site.office of the settings)")
    user_add.add_argument(
        "--role", required=True, choices=["sui_clerk", "questura_officer", "head", "admin"]
    )
    user_add.add_argument(
        "--restricted-access", action="store_true", help="may see art. 18 / 18-ter dossiers"
    )
    user_add.add_argument("--full-name", default="")
    user_add.set_defaults(handler=cmd_user_add)
    user_list = user_sub.add_parser("list", help="list staff")
    user_list.add_argument("--json", action="store_true")
    user_list.set_defaults(handler=cmd_user_list)

    rules = commands.add_parser("rules", help="legal terms per procedure type, by filing date")
    rules_sub = rules.add_subparsers(dest="action", metavar="ACTION", required=True)
    rules_list = rules_sub.add_parser("list")
    rules_list.add_argument("--type", dest="type_code")
    rules_list.add_argument("--json", action="store_true")
    rules_list.set_defaults(handler=cmd_rules_list)
    rules_add = rules_sub.add_parser("add", help="a new term from a filing date on (admin)")
    rules_add.add_argument("--type", dest="type_code", required=True)
    rules_add.add_argument("--from", dest="valid_from", required=True, metavar="DATE")
    rules_add.add_argument("--term", type=int, required=True)
    rules_add.add_argument("--unit", default="days", choices=["days", "months", "working_days"])
    rules_add.add_argument("--start", default="filing", choices=["filing", "quota_assignment"])
    rules_add.add_argument("--saturday-not-working", action="store_true")
    rules_add.add_argument("--basis", default="")
    rules_add.add_argument("--note", default="")
    rules_add.set_defaults(handler=cmd_rules_add)

    catalogue = commands.add_parser(
        "catalogue", help="procedure types, workflows and terms as an editable JSON file"
    )
    catalogue_sub = catalogue.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = catalogue_sub.add_parser("export", help="write the catalogue as JSON")
    export.add_argument("-o", "--output", help="file (default: standard output)")
    export.set_defaults(handler=cmd_catalogue_export)
    load = catalogue_sub.add_parser("import", help="apply an edited catalogue (admin)")
    load.add_argument("file")
    load.set_defaults(handler=cmd_catalogue_import)

    recompute = commands.add_parser("recompute", help="recompute every stored deadline")
    recompute.set_defaults(handler=cmd_recompute)

    audit_cmd = commands.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = audit_cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain")
    verify.add_argument(
        "--against",
        metavar="HASH|FILE",
        help="a digest kept outside the database (audit digest): it must still be in the chain",
    )
    verify.set_defaults(handler=cmd_audit_verify)
    digest = audit_sub.add_parser(
        "digest", help="the day's last hash, to keep outside the database"
    )
    digest.add_argument("--day", help="the day (default today)")
    digest.add_argument("-o", "--output", metavar="FILE.pdf", help="also a one-page PDF to sign")
    digest.set_defaults(handler=cmd_audit_digest)


def cmd_init(ctx: Context) -> int:
    from models.calendar import is_italian_province
    from models.db import make_engine, upgrade
    from models.seed import initialise
    from models.uow import Database

    province = ctx.args.province.strip().upper()
    if not is_italian_province(province):
        raise ValidationError(
            {"province": f"«{ctx.args.province}»: sigla di provincia sconosciuta"}
        )
    engine = make_engine(ctx.workstation.db_url)
    if ctx.workstation.is_embedded:
        from desktop.backup import backup_before_upgrade

        backup_before_upgrade(engine, ctx.workstation.home)
    upgrade(engine)
    added = initialise(Database(engine), province, ctx.args.city.strip())
    print(f"database pronto: {engine.url.render_as_string(hide_password=True)}")
    for item in added:
        print(f"  aggiunto {item}")
    return 0


DEMO_MEETINGS = 26  # a year, every two weeks
MAX_DEMO_MEETINGS = 104  # four years
DEMO_MEETINGS_UP_TO = 50_000  # dossiers; above, the meetings only when asked (load tests)


def cmd_demo(ctx: Context) -> int:
    from desktop.demo import generate

    wanted = ctx.args.meetings
    if wanted is not None and not 0 <= wanted <= MAX_DEMO_MEETINGS:
        raise ValidationError({"meetings": f"riunioni dimostrative: da 0 a {MAX_DEMO_MEETINGS}"})
    count = generate(
        ctx.database,
        ctx.args.dossiers,
        ctx.args.seed,
        progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr),
    )
    print(file=sys.stderr)
    print(f"{count} pratiche dimostrative create")
    if wanted is None:
        wanted = DEMO_MEETINGS if count <= DEMO_MEETINGS_UP_TO else 0
    if wanted > 0 and count > 0:
        from desktop.demo.meetings import add_meetings

        held = add_meetings(ctx.database, wanted, ctx.args.seed)
        if held:
            print(f"{held} riunioni del tavolo di coordinamento tenute")
    return 0


def cmd_offices(ctx: Context) -> int:
    from models.read.as_json import office_json
    from models.services.directory import office_list

    with ctx.reference() as uow:
        found = office_list(uow)
    if ctx.args.json:
        print_json([office_json(o) for o in found])
    else:
        print_table(
            ["Codice", "Tipo", "Ufficio", "Amministrazione"],
            [[o.code, o.kind.value, o.name, o.administration] for o in found],
        )
    return 0


def _assignments(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep:
            raise ValidationError({field: f"«{item}»: usare --set CAMPO=VALORE"})
        values[field.strip()] = value
    return values


def cmd_office_set(ctx: Context) -> int:
    from models.services import admin

    with ctx.write() as uow:
        admin.set_office(uow, ctx.args.code, _assignments(ctx.args.assignments))
        uow.commit()
    return 0


def cmd_user_add(ctx: Context) -> int:
    from desktop.settings import load
    from models.services import admin

    office = ctx.args.office or load(ctx.workstation.home).get("site.office")
    if not office:
        raise ValidationError({"office": "indicare --office (o site.office nelle impostazioni)"})
    with ctx.write() as uow:
        admin.add_user(
            uow,
            ctx.args.name,
            office,
            ctx.args.role,
            ctx.args.restricted_access,
            ctx.args.full_name,
        )
        uow.commit()
    return 0


def cmd_user_list(ctx: Context) -> int:
    from models.read.as_json import staff_json
    from models.services.directory import staff_list

    with ctx.reference() as uow:
        found = staff_list(uow)
    if ctx.args.json:
        print_json([staff_json(s) for s in found])
    else:
        print_table(
            ["Utente", "Nome", "Ufficio", "Ruolo", "Riservate"],
            [
                [
                    s.username,
                    s.full_name,
                    s.office,
                    s.role.value,
                    "sì" if s.restricted_access else "",
                ]
                for s in found
            ],
        )
    return 0


def cmd_rules_list(ctx: Context) -> int:
    from models.enums import PreavvisoEffect
    from models.read.as_json import rule_json
    from models.services.catalogue_read import procedure_catalogue

    with ctx.reference() as uow:
        types = procedure_catalogue(uow, ctx.args.type_code)
    rules = [(t.code, r) for t in types for r in t.rules]
    if ctx.args.json:
        print_json([rule_json(code, r) for code, r in rules])
    else:
        print_table(
            ["Tipo", "Dal", "Al", "Termine", "Decorrenza", "Sabato", "Sospensioni", "Base", ""],
            [
                [
                    code,
                    it_date(r.valid_from),
                    it_date(r.valid_to),
                    f"{r.term} {r.unit.value}",
                    r.start.value,
                    "lavorativo" if r.saturday_working else "festivo",
                    f"{r.suspension_max_count}× max {r.suspension_max_days} gg; preavviso "
                    + (
                        "sospende"
                        if r.preavviso_effect is PreavvisoEffect.SUSPENDS
                        else "interrompe"
                    ),
                    r.basis,
                    "DA VERIFICARE" if r.to_verify else "",
                ]
                for code, r in rules
            ],
        )
    return 0


def cmd_rules_add(ctx: Context) -> int:
    from models.dates import parse_date
    from models.services import admin

    try:
        valid_from = parse_date(ctx.args.valid_from)
    except ValueError as error:
        raise ValidationError({"valid_from": str(error)}) from None
    with ctx.write() as uow:
        count, _ = admin.add_rule(
            uow,
            ctx.args.type_code,
            valid_from,
            ctx.args.term,
            ctx.args.unit,
            ctx.args.start,
            ctx.args.basis,
            ctx.args.note,
            not ctx.args.saturday_not_working,
        )
        uow.commit()
    print(f"regola aggiunta; scadenze ricalcolate per {count} pratiche")
    return 0


def cmd_catalogue_export(ctx: Context) -> int:
    from models.services.catalogue import export_catalogue

    with ctx.reference() as uow:
        document = export_catalogue(uow)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if ctx.args.output:
        Path(ctx.args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_catalogue_import(ctx: Context) -> int:
    from models.services.catalogue import import_catalogue

    try:
        document = json.loads(Path(ctx.args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError({"file": f"{ctx.args.file}: file non leggibile ({error})"}) from None
    with ctx.write() as uow:
        count, _ = import_catalogue(uow, document)
        uow.commit()
    print(f"catalogo aggiornato; scadenze ricalcolate per {count} pratiche")
    return 0


def cmd_recompute(ctx: Context) -> int:
    from models.services import admin

    with ctx.write() as uow:
        admin.require_admin(uow, "ricalcolare le scadenze")
        admin.refresh_holidays(uow)
        count = admin.recompute(uow)
        uow.commit()
    print(f"scadenze ricalcolate per {count} pratiche")
    return 0


ON_THE_SERVER = (
    "il registro delle modifiche è sul server, non nella copia locale: "
    "raccordo audit {action} --db postgresql://UTENTE@HOST/DB"
)


def _log_is_here(ctx: Context, action: str) -> None:
    """A replica has no audit log of its own (the server writes it): say where it is."""
    if ctx.workstation.is_replica:
        raise DomainError(ON_THE_SERVER.format(action=action))


def cmd_audit_verify(ctx: Context) -> int:
    from models import audit
    from reports.audit_digest import read_anchor

    _log_is_here(ctx, "verify")
    against = read_anchor(ctx.args.against) if ctx.args.against else None
    with ctx.database.sessions() as session:
        check = audit.verify(session, against)
    if check.ok:
        print(f"registro integro: {check.entries} voci; ultimo hash {check.last_hash}")
        if check.unreadable:
            print(
                f"  di cui {check.unreadable} su pratiche riservate: verificate senza "
                "leggerne il contenuto (serve l'abilitazione)"
            )
        if check.anchor_seq is not None:
            where = f"voce {check.anchor_seq}" if check.anchor_seq else "registro vuoto"
            print(f"  impronta trovata ({where}); voci successive: {check.after_anchor}")
        else:
            print(
                "  per escludere che le ultime voci siano state rimosse: "
                "raccordo audit verify --against <impronta stampata>"
            )
        return 0
    for problem in check.problems:
        print(f"errore: {problem}", file=sys.stderr)
    print(
        f"registro NON integro: {len(check.problems)} problemi su {check.entries} voci",
        file=sys.stderr,
    )
    return 1


def cmd_audit_digest(ctx: Context) -> int:
    from datetime import UTC, datetime

    from models import audit
    from reports.audit_digest import digest_lines, render_pdf

    _log_is_here(ctx, "digest")
    day = ctx.on(ctx.args.day)
    with ctx.database.sessions() as session:
        digest = audit.day_digest(session, day)
    name = ctx.database.engine.url.database or "raccordo"
    for line in digest_lines(digest, name):
        print(line)
    if ctx.args.output:
        pdf = render_pdf(digest, name, ctx.username, datetime.now(UTC))
        Path(ctx.args.output).write_bytes(pdf)
        print(f"scritto {ctx.args.output}")
    return 0
