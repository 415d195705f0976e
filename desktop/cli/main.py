"""``raccordo``: register and move dossiers, flags, deadlines and administration."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.cli import (
    admin_commands,
    config_commands,
    document_commands,
    dossier_commands,
    flag_commands,
    gui_command,
    inbox_commands,
    ops_commands,
    print_commands,
    report_commands,
    server_commands,
    sync_commands,
    tavolo_commands,
)
from desktop.cli.context import Context
from desktop.cli.failures import describe, one_line
from desktop.cli.usage import ItalianParser
from desktop.logging_setup import run_logged
from models.errors import DomainError, ValidationError


def build_parser() -> argparse.ArgumentParser:
    parser = ItalianParser(
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
    document_commands.register(commands)
    flag_commands.register(commands)
    gui_command.register(commands)
    inbox_commands.register(commands)
    print_commands.register(commands)
    report_commands.register(commands)
    sync_commands.register(commands)
    server_commands.register(commands)
    tavolo_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = Context(args)
    ran: list[bool] = []

    def handler() -> object:
        ran.append(True)
        return args.handler(context)

    try:
        result = run_logged(context.workstation, args, handler)
    except ValidationError as error:
        for message in error.errors.values():
            _say(message)
        return 1
    except DomainError as error:
        _say(str(error))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the boundary: no traceback reaches the person
        if not ran:  # run_logged logs what fails inside the command
            _log_unexpected(error)
        _say(describe(error, _log_file(context)))
        return 1
    return int(result or 0)


def _say(message: str) -> None:
    print(f"errore: {one_line(message)}", file=sys.stderr)


def _log_unexpected(error: BaseException) -> None:
    """The traceback goes to the log file, never to the console (where logging's fallback
    would print it when no log is set up yet)."""
    import logging

    if not logging.getLogger().handlers:
        return
    logging.getLogger("raccordo").error("command failed before it ran", exc_info=error)


def _log_file(context: Context) -> str | None:
    from desktop.logging_setup import LOG_FILE, log_folder

    try:
        from desktop.settings import load

        home = context.workstation.home
        return str(log_folder(home, load(home).get("log.dir")) / LOG_FILE)
    except Exception:  # the workstation itself could not be resolved
        return None
