"""``raccordo backup FILE`` and ``raccordo restore FILE``: the embedded database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import print_json

if TYPE_CHECKING:
    from desktop.cli.context import Context


def register(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="copy the embedded database to FILE (online, verified)"
    )
    backup.add_argument("file")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore", help="replace the embedded database with a backup (the current one is kept)"
    )
    restore.add_argument("file")
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=cmd_restore)


def cmd_backup(ctx: Context) -> int:
    # Deliberately not ctx.database: opening it would migrate an older schema first.
    from desktop.backup import backup, database_file

    target = Path(ctx.args.file)
    snapshot = backup(database_file(ctx.workstation.db_url), target)
    if ctx.args.json:
        print_json({"file": str(target), "revision": snapshot.revision, "rows": snapshot.counts})
    else:
        print(
            f"backup verificato: {target} (schema {snapshot.revision}, "
            f"pratiche: {snapshot.dossiers}, righe: {sum(snapshot.counts.values())})"
        )
    return 0


def cmd_restore(ctx: Context) -> int:
    from desktop.backup import BackupError, database_file, restore

    if getattr(ctx.workstation, "is_replica", False):
        raise BackupError(
            "questa postazione è collegata al server condiviso: i dati si ripristinano sul "
            "server (pg_restore, docs/guida-amministratore.md), non sulla copia locale"
        )
    done = restore(database_file(ctx.workstation.db_url), Path(ctx.args.file), ctx.workstation.home)
    if ctx.args.json:
        print_json(
            {
                "revision": done.snapshot.revision,
                "backup_revision": done.from_revision,
                "previous": str(done.previous) if done.previous else None,
                "rows": done.snapshot.counts,
            }
        )
        return 0
    migrated = (
        f", aggiornato dallo schema {done.from_revision}"
        if done.from_revision != done.snapshot.revision
        else ""
    )
    print(
        f"database ripristinato: schema {done.snapshot.revision}{migrated}, "
        f"pratiche: {done.snapshot.dossiers}"
    )
    if done.previous:
        print(f"il database sostituito è conservato in {done.previous}")
    return 0
