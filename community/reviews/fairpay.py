"""The fair-pay reference: statutory hourly minimum wages by country, with year and source."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from community.core.money import DATA_DIR, minor_exponent, to_usd_cents


@dataclass(frozen=True)
class MinimumWage:
    country: str
    name_en: str
    name_fr: str
    currency: str
    hourly_minor: int
    year: int
    basis: str
    source: str

    @property
    def hourly_usd_cents(self) -> int | None:
        return to_usd_cents(self.hourly_minor, self.currency)


@cache
def minimum_wages() -> dict[str, MinimumWage]:
    with open(DATA_DIR / "minimum_wages.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["country"]: MinimumWage(
            country=row["country"],
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            currency=row["currency"],
            hourly_minor=int(Decimal(row["hourly"]).scaleb(minor_exponent(row["currency"]))),
            year=int(row["year"]),
            basis=row["basis"],
            source=row["source"],
        )
        for row in rows
    }


def minimum_wage(country: str | None) -> MinimumWage | None:
    return minimum_wages().get(country or "")


def is_below_minimum_wage(hourly_usd_cents: int | None, country: str | None) -> bool | None:
    """True/False against the country's minimum wage; None when either side is unknown."""
    wage = minimum_wage(country)
    if hourly_usd_cents is None or wage is None or wage.hourly_usd_cents is None:
        return None
    return hourly_usd_cents < wage.hourly_usd_cents
