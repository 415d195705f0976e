"""``raccordo-gui``: the window without a console (Start menu, desktop entry)."""

from __future__ import annotations

import sys

from desktop.cli.main import main as cli_main

GLOBAL_OPTIONS = {"--db", "--home", "--user"}
GLOBAL_FLAGS = {"--debug", "--version"}  # they take no value


def gui_argv(args: list[str]) -> list[str]:
    """``--home X --lang it`` → ``--home X gui --lang it``: global options stay first."""
    position = 0
    while position < len(args):
        option = args[position].split("=", 1)[0]
        if option in GLOBAL_FLAGS:
            position += 1
            continue
        if option not in GLOBAL_OPTIONS:
            break
        position += 1 if "=" in args[position] else 2
    return [*args[:position], "gui", *args[position:]]


def main() -> int:
    return cli_main(gui_argv(sys.argv[1:]))
