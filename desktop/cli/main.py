"""``raccordo``: register and move dossiers, flags, deadlines and administration."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.cli import (
    admin_commands,
    config_commands,
    dossier_commands,
    flag_commands,
    gui_command,
    inbox_commands,
    ops_commands,
    print_commands,
    report_commands,
    server_commands,
    sync_commands,
)
from desktop.cli.context import Context
from desktop.logging_setup import run_logged
from models.errors import DomainError, ValidationError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="raccordo",
        description="Raccordo: shared immigration dossiers for the SUI and the Questura.",
    )
    parser.add_argument("--version", action="version", version=f"raccordo {__version__}")
    parser.add_argument("--db", help="database: SQLite file/URL or postgresql://… (RACCORDO_DB)")
    parser.add_argument("--home", help="this workstation's folder (RACCORDO_HOME)")
    parser.add_argument("--user", help="acting user in embedded mode (RACCORDO_USER)")
    parser.add_argument("--debug", action="store_true", help="more detail in the log and on stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    admin_commands.register(commands)
    config_commands.register(commands)
    ops_commands.register(commands)
    dossier_commands.register(commands)
    flag_commands.register(commands)
    gui_command.register(commands)
    inbox_commands.register(commands)
    print_commands.register(commands)
    report_commands.register(commands)
    sync_commands.register(commands)
    server_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = Context(args)
    try:
        result = run_logged(context.workstation, args, lambda: args.handler(context))
    except ValidationError as error:
        for message in error.errors.values():
            print(f"errore: {message}", file=sys.stderr)
        return 1
    except DomainError as error:
        print(f"errore: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return int(result or 0)
