"""Entry point of the bundle: ``raccordo`` is the command line, ``raccordo-gui`` the window.

Both executables are built from this one script (one analysis, one shared folder); the
name it was started as chooses which.
"""

import sys
from pathlib import Path


def main() -> int:
    if Path(sys.executable).stem.lower().startswith("raccordo-gui"):
        from desktop.gui import main as entry
    else:
        from desktop.cli.main import main as entry
    return entry()


if __name__ == "__main__":
    sys.exit(main())
