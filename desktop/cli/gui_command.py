"""``raccordo gui``: the only command that loads Qt."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from desktop.cli.context import Context

STARTED = time.perf_counter()


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="open the workstation window")
    gui.add_argument(
        "--screenshot",
        metavar="FILE",
        help="save a PNG once the table is painted, print the time, exit",
    )
    gui.add_argument("--lang", choices=["it", "en"], help="interface language")
    gui.set_defaults(handler=cmd_gui)


def cmd_gui(ctx: Context) -> int:
    from ui.app import run

    screenshot = Path(ctx.args.screenshot) if ctx.args.screenshot else None
    return run(ctx.workstation, ctx.args.user, screenshot, ctx.args.lang, STARTED)
