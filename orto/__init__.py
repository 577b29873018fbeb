"""Orto's shared kernel: configuration, database engine, data model, migrations, money and i18n.

The four domain packages (``receipts``, ``inventory``, ``suppliers``, ``pos``) stand on it;
it imports none of them.
"""

__version__ = "0.1.0"
