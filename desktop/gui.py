"""``raccordo-gui``: the window without a console (Start menu, desktop entry)."""

from __future__ import annotations

import sys

from desktop.cli.main import main as cli_main


def main() -> int:
    return cli_main(["gui", *sys.argv[1:]])
