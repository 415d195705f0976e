"""``connect``, ``disconnect``, ``sync``, ``conflicts`` and ``replica``: a workstation
working on its replica of the shared server."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from desktop.cli.output import print_json, print_table
from models.errors import DomainError

if TYPE_CHECKING:
    from desktop.cli.context import Context
    from sync.engine import SyncEngine, SyncResult
    from sync.link import ConnectionInfo

WATCH_INTERVAL = 30.0  # seconds between pulls when no notification arrives


def register(commands: Any) -> None:
    connect = commands.add_parser("connect", help="connect this workstation to the server")
    connect.add_argument("url", nargs="?", help="postgresql://USER@HOST[:PORT]/DB")
    connect.add_argument("--password-stdin", action="store_true", help="read the password")
    connect.add_argument("--refresh", action="store_true", help="download a fresh replica")
    connect.add_argument(
        "--discard-local", action="store_true", help="drop changes not yet sent (listed)"
    )
    connect.set_defaults(handler=cmd_connect)

    disconnect = commands.add_parser("disconnect", help="back to the embedded database")
    disconnect.add_argument("--discard-local", action="store_true")
    disconnect.set_defaults(handler=cmd_disconnect)

    sync = commands.add_parser("sync", help="push queued changes and pull the server's")
    sync.add_argument(
        "what",
        nargs="?",
        choices=["status"],
        help="status: what this workstation still has to send or receive, and the quarantine",
    )
    sync.add_argument("--json", action="store_true")
    sync.add_argument("--watch", action="store_true", help="stay live until Ctrl+C")
    sync.add_argument("--interval", type=float, default=WATCH_INTERVAL, help=argparse_hint())
    sync.add_argument("--password-stdin", action="store_true")
    sync.set_defaults(handler=cmd_sync)

    conflicts = commands.add_parser("conflicts", help="changes the server did not take")
    sub = conflicts.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="open conflicts")
    listing.add_argument("--all", action="store_true", help="resolved ones too")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_conflicts_list)
    resolve = sub.add_parser("resolve", help="keep this workstation's or the server's value")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--keep", required=True, choices=["local", "server"])
    resolve.set_defaults(handler=cmd_conflicts_resolve)

    replica = commands.add_parser("replica", help="this workstation's copy of the server")
    replica_sub = replica.add_subparsers(dest="action", metavar="ACTION", required=True)
    reset = replica_sub.add_parser("reset", help="download a fresh replica")
    reset.add_argument("--discard-local", action="store_true")
    reset.add_argument("--password-stdin", action="store_true")
    reset.set_defaults(handler=cmd_replica_reset, refresh=True, url=None)


def argparse_hint() -> str:
    return f"seconds between pulls with --watch (default {WATCH_INTERVAL:g})"


def _read_password(ctx: Context, info: ConnectionInfo, saved: bool = True) -> str | None:
    from desktop.connection import NO_KEYRING, keyring_available, password_for

    if getattr(ctx.args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    if saved:
        found = password_for(info)
        if found is not None:
            return found
        if not keyring_available():
            print(f"attenzione: {NO_KEYRING}", file=sys.stderr)
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"Password di {info.user} su {info.host}: ")


def _connection(ctx: Context) -> ConnectionInfo:
    from desktop.connection import load_connection

    info = load_connection(ctx.workstation.home)
    if info is None:
        raise DomainError(
            "questa postazione non è collegata a un server: raccordo connect postgresql://…"
        )
    return info


def _site_url(ctx: Context) -> str | None:
    """The site's server for the person named by --user (or the login name)."""
    import getpass

    from desktop.connection import site_server
    from sync.link import with_user

    fixed = site_server(ctx.workstation.home)
    if fixed is None:
        return None
    return with_user(fixed, ctx.args.user or getpass.getuser().lower())


def cmd_connect(ctx: Context) -> int:
    from desktop.connection import (
        NO_KEYRING,
        connect,
        keyring_available,
        queued_changes,
        refresh_replica,
    )
    from sync.link import parse_server_url

    home = ctx.workstation.home
    discard = ctx.args.discard_local
    if discard:
        lost = queued_changes(home)
        for line in lost:
            print(f"scartata: {line}", file=sys.stderr)
    if ctx.args.refresh and not ctx.args.url:
        info = _connection(ctx)
        done = refresh_replica(home, info, _read_password(ctx, info), discard_local=discard)
        print(f"copia locale scaricata di nuovo: {_summary(done.rows)} ({done.seconds:.1f} s)")
        return 0
    url = ctx.args.url or _site_url(ctx)
    if not url:
        raise DomainError("indicare l'indirizzo del server: postgresql://UTENTE@HOST/DB")
    info, in_url = parse_server_url(url)
    if in_url is not None:
        print(
            "attenzione: la password nell'indirizzo resta nella cronologia dei comandi; "
            "meglio --password-stdin",
            file=sys.stderr,
        )
    password = in_url if in_url is not None else _read_password(ctx, info, saved=False)
    info = connect(home, url, password, discard_local=discard)
    if not keyring_available():
        print(f"attenzione: {NO_KEYRING}", file=sys.stderr)
    print(f"collegata a {info.url}; copia locale in {home / 'replica.sqlite3'}")
    return 0


def _summary(rows: dict[str, int]) -> str:
    return f"{rows.get('dossiers', 0)} pratiche, {sum(rows.values())} righe"


def cmd_replica_reset(ctx: Context) -> int:
    return cmd_connect(ctx)


def cmd_disconnect(ctx: Context) -> int:
    from desktop.connection import disconnect

    info = disconnect(ctx.workstation.home, discard_local=ctx.args.discard_local)
    if info is None:
        print("la postazione non era collegata a un server")
    else:
        print(f"scollegata da {info.url}: di nuovo sul database locale")
    return 0


def _engine(ctx: Context) -> SyncEngine:
    from sync.engine import SyncEngine

    info = _connection(ctx)
    return SyncEngine(ctx.database, info, _read_password(ctx, info))


def _report(result: SyncResult, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "online": result.online,
                "pushed": result.pushed,
                "refused": result.refused,
                "conflicts": result.conflicts,
                "pulled": result.pulled,
                "queued": result.queued,
                "uploaded": result.uploaded,
                "downloaded": result.downloaded,
                "missing_contents": result.missing,
                "quarantined": result.quarantined,
                "dossiers": sorted(str(i) for i in result.changes.dossier_ids),
                "error": result.error,
            }
        )
        return
    if result.error:
        print(f"{'offline' if not result.online else 'errore'}: {result.error}", file=sys.stderr)
    print(
        f"inviate {result.pushed}, rifiutate {result.refused}, conflitti {result.conflicts}, "
        f"ricevute {result.pulled} righe, in coda {result.queued}"
    )
    if result.uploaded or result.downloaded or result.missing:
        print(
            f"documenti inviati {result.uploaded}, scaricati {result.downloaded}, "
            f"{contents_left(result.missing)}"
        )
    if result.quarantined:
        print(f"in quarantena {result.quarantined}: vedere raccordo sync status")
    if result.refused or result.conflicts:
        print("vedere: raccordo conflicts list")


def contents_left(missing: int) -> str:
    return f"{missing} con contenuto non ancora scaricato" if missing else "nessuno da scaricare"


def cmd_sync_status(ctx: Context) -> int:
    from sync.status import local_status

    _connection(ctx)
    status = local_status(ctx.database)
    if ctx.args.json:
        print_json(status.as_json())
    else:
        print("\n".join(status.lines()))
    return 0


def cmd_sync(ctx: Context) -> int:
    if ctx.args.what == "status":
        return cmd_sync_status(ctx)
    engine = _engine(ctx)
    try:
        if not ctx.args.watch:
            result = engine.sync_once()
            _report(result, ctx.args.json)
            return 0 if result.error is None else 1
        return _watch(engine, ctx.args.interval, ctx.args.json)
    finally:
        engine.close()


def _watch(engine: SyncEngine, interval: float, as_json: bool) -> int:
    """Sync, then wait for a notification or the interval; Ctrl+C stops between steps."""
    try:
        while True:
            result = engine.sync_once()
            if (
                result.error
                or result.pushed
                or result.pulled
                or result.refused
                or result.downloaded
            ):
                _report(result, as_json)
                sys.stdout.flush()
            engine.wait_for_change(interval if result.online else min(interval, 5.0))
    except KeyboardInterrupt:
        print("sincronizzazione interrotta", file=sys.stderr)
        return 0


def cmd_conflicts_list(ctx: Context) -> int:
    from models.read.as_json import conflict_json
    from models.services.conflicts import list_conflicts

    with ctx.read() as uow:
        found = list_conflicts(uow, include_resolved=ctx.args.all)
    if ctx.args.json:
        print_json([conflict_json(c) for c in found])
        return 0
    if not found:
        print("nessun conflitto")
        return 0
    print_table(
        ["N", "Pratica", "Tipo", "Cosa", "Risolto"],
        [
            [
                c.id,
                c.reference or f"{c.table} {c.row_id[:8]}",
                "campo" if c.kind == "field" else "rifiutata",
                c.summary,
                {"local": "postazione", "server": "server"}.get(c.resolution or "", ""),
            ]
            for c in found
        ],
    )
    return 0


def cmd_conflicts_resolve(ctx: Context) -> int:
    from models.services.conflicts import resolve_conflict

    with ctx.write() as uow:
        resolve_conflict(uow, ctx.args.id, ctx.args.keep)
        uow.commit()
    kept = "della postazione (in coda per il server)" if ctx.args.keep == "local" else "del server"
    print(f"conflitto {ctx.args.id} risolto: tenuto il valore {kept}")
    return 0
