"""Form helpers shared by every feature."""

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms expects."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
