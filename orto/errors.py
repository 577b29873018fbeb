"""Errors that carry a message meant for the person at the terminal."""


class OrtoError(Exception):
    """A problem the user can act on; ``str()`` is the message to show."""


class ConfigError(OrtoError):
    """``orto.toml`` or an environment variable is wrong."""


class DatabaseUnavailable(OrtoError):
    """The database named by the configuration cannot be reached or is not ours."""


class SchemaOutdated(OrtoError):
    """The database schema is older (or newer) than this version of Orto."""


class NotFound(OrtoError):
    """A code, number or name matched nothing."""


class NotAllowed(OrtoError):
    """The user's role or a business rule forbids the action."""


class InvalidInput(OrtoError):
    """A value typed, scanned or imported is malformed."""


class StorageError(DatabaseUnavailable):
    """The database cannot store or read now: disk full, read-only, locked by another program."""
