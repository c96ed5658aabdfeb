"""Money as integer minor units plus an ISO 4217 code; conversion to USD for comparisons only."""

import csv
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel.numbers import get_currency_precision

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def usd_rates() -> dict[str, Decimal]:
    """USD value of one unit of each supported currency (approximate annual averages)."""
    with open(DATA_DIR / "exchange_rates.csv", newline="", encoding="utf-8") as handle:
        return {row["currency"]: Decimal(row["usd_per_unit"]) for row in csv.DictReader(handle)}


def supported_currencies() -> list[str]:
    return sorted(usd_rates())


def minor_exponent(currency: str) -> int:
    return get_currency_precision(currency)


def parse_amount(text: str, currency: str) -> int:
    """'1.50' or '1,50' in `currency` -> minor units (150). Raises ValueError on anything else."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(cleaned) from error
    if not value.is_finite() or value < 0:
        raise ValueError(cleaned)
    scaled = value.scaleb(minor_exponent(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_exponent(currency))


def to_usd_cents(minor: int, currency: str) -> int | None:
    rate = usd_rates().get(currency)
    if rate is None:
        return None
    return int((to_decimal(minor, currency) * rate * 100).quantize(Decimal(1), ROUND_HALF_UP))
