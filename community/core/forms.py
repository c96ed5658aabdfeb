"""Form helpers shared by every feature."""

from collections.abc import Iterable
from datetime import date

from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms expects."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class DayField(StringField):
    """A date typed as year-month-day (a date picker in most browsers), kept as typed."""

    widget = DateInput()

    def day(self) -> date | None:
        try:
            return date.fromisoformat((self.data or "").strip())
        except ValueError:
            return None
