"""The ``orto`` command. Each area registers its commands from its own module below.

Modules here import heavy libraries (reportlab, escpos, psycopg, openpyxl) inside the command
functions, never at import time: ``orto`` must open the till fast.
"""

from __future__ import annotations

import sys

# Registration only: each module adds its commands to ``app`` or its sub-groups.
from pos.cli import base_commands as _base  # noqa: F401
from pos.cli import catalog as _catalog  # noqa: F401
from pos.cli import kitchen as _kitchen  # noqa: F401
from pos.cli import printing as _printing  # noqa: F401
from pos.cli import reports as _reports  # noqa: F401
from pos.cli import supply as _supply  # noqa: F401
from pos.cli import till as _till  # noqa: F401
from pos.cli.app import app, main_group


def main() -> None:
    sys.exit(main_group())


__all__ = ["app", "main"]
