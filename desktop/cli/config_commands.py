"""``raccordo config show|set|unset``: the workstation settings and where each comes from."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypedDict

from desktop.cli.output import print_json, print_table

if TYPE_CHECKING:
    from desktop import settings
    from desktop.cli.context import Context


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="workstation settings (site file and user file)")
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="every setting: value, origin, locked")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
    set_ = actions.add_parser("set", help="set a key in the user's file")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.set_defaults(handler=cmd_set)
    unset = actions.add_parser("unset", help="remove a key from the user's file")
    unset.add_argument("key")
    unset.set_defaults(handler=cmd_unset)
    check = actions.add_parser("check", help="what this installation can load (for IT)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_check)


class SettingRow(TypedDict):
    """A setting as ``config show --json`` prints it."""

    key: str
    value: str | None  # the value in force
    origin: str  # which file set it, or Raccordo's default
    locked: bool  # the site file forbids changing it
    known: bool


def _rows(current: settings.Settings) -> list[SettingRow]:
    from desktop import settings

    names = [*settings.KEYS, *sorted(k for k in current.values if k not in settings.KEYS)]
    return [
        {
            "key": name,
            "value": current.effective(name),
            "origin": current.origin(name),
            "locked": name in current.locked,
            "known": name in settings.KEYS,
        }
        for name in names
    ]


def cmd_show(ctx: Context) -> int:
    from desktop import settings  # not for the commands that do not need it

    home = ctx.workstation.home
    rows = _rows(settings.load(home))
    site_path, user_path = settings.site_file(), home / settings.USER_FILE
    if ctx.args.json:
        print_json(
            {
                "site_file": {"path": str(site_path), "exists": site_path.is_file()},
                "user_file": {"path": str(user_path), "exists": user_path.is_file()},
                "settings": rows,
            }
        )
        return 0
    print(f"file di sede:   {site_path}{'' if site_path.is_file() else ' (assente)'}")
    print(f"file utente:    {user_path}{'' if user_path.is_file() else ' (assente)'}")
    print_table(
        ["impostazione", "valore", "origine", "bloccata"],
        [
            [
                row["key"] + ("" if row["known"] else " (sconosciuta)"),
                row["value"] if row["value"] is not None else "—",
                row["origin"],
                "sì" if row["locked"] else "",
            ]
            for row in rows
        ],
    )
    return 0


def cmd_set(ctx: Context) -> int:
    from desktop import settings

    key = ctx.args.key
    value = settings.check(key, ctx.args.value)
    settings.set_user_value(ctx.workstation.home, key, value)
    print(f"{key} = {value}", file=sys.stderr)
    return 0


def cmd_unset(ctx: Context) -> int:
    from desktop import settings

    key = ctx.args.key
    settings.set_user_value(ctx.workstation.home, key, None)
    current = settings.load(ctx.workstation.home)
    shown = current.effective(key)
    print(
        f"{key} tolta dal file utente; ora vale: {shown if shown is not None else '—'}",
        file=sys.stderr,
    )
    return 0


def cmd_check(ctx: Context) -> int:
    from desktop.diagnostics import run_checks

    results = run_checks()
    if ctx.args.json:
        print_json(
            [
                {"check": r.name, "ok": r.ok, "detail": r.detail, "optional": r.optional}
                for r in results
            ]
        )
    else:
        for result in results:
            mark = "ok    " if result.ok else ("manca " if result.optional else "ERRORE")
            print(f"{mark}  {result.name}: {result.detail}")
    return 0 if all(result.ok or result.optional for result in results) else 1
