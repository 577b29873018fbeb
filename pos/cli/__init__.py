"""The ``orto`` command. Each area registers its commands from its own module (see ``app``).

Modules here import heavy libraries (reportlab, escpos, psycopg, openpyxl) inside the command
functions, never at import time: ``orto`` must open the till fast. Plain ``orto`` does not even
load typer (``launch``).
"""

from __future__ import annotations

import sys


def main() -> None:
    from pos.cli.launch import plain_till_args, run_plain_till

    till = plain_till_args(sys.argv[1:])
    if till is not None:
        sys.exit(run_plain_till(*till))
    from pos.cli.app import main_group

    sys.exit(main_group())


__all__ = ["main"]
