"""Interface language to babel locale (Italian conventions by default)."""

_LOCALES = {"it": "it_IT", "en": "en_GB"}


def babel_locale(language: str) -> str:
    return _LOCALES.get(language, "it_IT")
