"""``raccordo server init|add-user|set-password|disable-user``: the shared server, run by
its administrator with a PostgreSQL superuser's URL."""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from models.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.cli.context import Context


def register(commands: Any) -> None:
    server = commands.add_parser("server", help="the shared PostgreSQL server (administrator)")
    sub = server.add_subparsers(dest="action", metavar="ACTION", required=True)

    init = sub.add_parser(
        "init", help="create or upgrade the shared schema, roles, policies (safe to re-run)"
    )
    _db_option(init)
    init.add_argument("--prefix", default=None, help="prefix of the server's roles (raccordo)")
    init.add_argument("--province", default="LO", help="province of a new database's offices")
    init.add_argument("--city", default="Lodi", help="their city (default Lodi)")
    init.set_defaults(handler=cmd_init)

    add = sub.add_parser("add-user", help="a login role and staff member for one person")
    _db_option(add)
    add.add_argument("name")
    add.add_argument("--office", required=True)
    add.add_argument(
        "--role", required=True, choices=["sui_clerk", "questura_officer", "head", "admin"]
    )
    add.add_argument(
        "--restricted-access", action="store_true", help="may see art. 18 / 18-ter dossiers"
    )
    add.add_argument("--full-name", default="")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password (otherwise generated)"
    )
    add.set_defaults(handler=cmd_add_user)

    password = sub.add_parser("set-password", help="a new password for a person")
    _db_option(password)
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(handler=cmd_set_password)

    disable = sub.add_parser("disable-user", help="no more logins; staff row inactive")
    _db_option(disable)
    disable.add_argument("name")
    disable.set_defaults(handler=cmd_disable_user)


def _db_option(parser: Any) -> None:
    # Not "db": a sub-command default would overwrite the global --db.
    parser.add_argument(
        "--db", dest="server_db", metavar="URL", help="postgresql://SUPERUSER@HOST/DB"
    )


def _engine(ctx: Context) -> Engine:
    from models.db import make_engine

    url = ctx.args.server_db or ctx.args.db or os.environ.get("RACCORDO_DB")
    if not url or not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValidationError({"db": "serve --db postgresql://SUPERUTENTE@HOST/DB"})
    return make_engine(url)


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_init(ctx: Context) -> int:
    from models.db import upgrade
    from models.seed import initialise
    from models.uow import Database
    from sync.server.install import install, preflight, stored_prefix
    from sync.server.names import DEFAULT_PREFIX, ServerRoles

    engine = _engine(ctx)
    with engine.connect() as connection:
        prefix = ctx.args.prefix or stored_prefix(connection) or DEFAULT_PREFIX
    roles = ServerRoles(prefix)
    preflight(engine, roles)
    upgrade(engine)
    added = initialise(Database(engine), ctx.args.province.strip().upper(), ctx.args.city.strip())
    report = install(engine, roles)
    print(f"server pronto: {engine.url.render_as_string(hide_password=True)}")
    print(f"  prefisso dei ruoli: {report.prefix} (proprietario {roles.owner}, senza accesso)")
    for item in added:
        print(f"  aggiunto {item}")
    for role in report.created_roles:
        print(f"  creato il ruolo {role}")
    if report.numbered:
        print(f"  {report.numbered} righe esistenti numerate nel flusso delle modifiche")
    print(f"  tabelle con sicurezza a livello di riga: {', '.join(report.protected)}")
    engine.dispose()
    return 0


def cmd_add_user(ctx: Context) -> int:
    from sync.server.users import add_user

    password = _read_password() if ctx.args.password_stdin else None
    engine = _engine(ctx)
    created = add_user(
        engine,
        ctx.args.name,
        ctx.args.office,
        ctx.args.role,
        ctx.args.restricted_access,
        ctx.args.full_name,
        password,
    )
    engine.dispose()
    print(f"utente {created.username} creato (gruppi: {', '.join(created.groups)})")
    if created.password is not None:
        print(f"password: {created.password}")
        print("  (mostrata solo ora: consegnarla all'interessato)")
    return 0


def cmd_set_password(ctx: Context) -> int:
    from sync.server.users import set_password

    password = _read_password() if ctx.args.password_stdin else None
    engine = _engine(ctx)
    generated = set_password(engine, ctx.args.name, password)
    engine.dispose()
    print(f"password di {ctx.args.name.strip().lower()} cambiata")
    if generated is not None:
        print(f"password: {generated}")
        print("  (mostrata solo ora: consegnarla all'interessato)")
    return 0


def cmd_disable_user(ctx: Context) -> int:
    from sync.server.users import disable_user

    engine = _engine(ctx)
    ended = disable_user(engine, ctx.args.name)
    engine.dispose()
    print(f"utente {ctx.args.name.strip().lower()} disattivato; sessioni chiuse: {ended}")
    return 0
