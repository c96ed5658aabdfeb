import pytest

from community.core.money import parse_amount, to_usd_cents
from community.reviews.pay import effective_hourly, pooled_hourly, received


def test_hourly_pay_is_received_money_over_all_minutes():
    assert effective_hourly(100, 10) == 600  # 1.00 in 10 minutes -> 6.00 an hour
    assert effective_hourly(25, 7) == 214  # rounded half up to a minor unit
    assert effective_hourly(0, 30) == 0


@pytest.mark.parametrize("received_minor, minutes", [(None, 10), (100, None), (100, 0)])
def test_hourly_pay_is_unknown_without_both_figures(received_minor, minutes):
    assert effective_hourly(received_minor, minutes) is None


@pytest.mark.parametrize(
    "outcome, expected",
    [
        (None, 150),
        ("approved", 150),
        ("rejected", 0),
        ("never_paid", 0),
        ("returned", 0),
        ("pending", None),
    ],
)
def test_received_money_depends_on_the_outcome(outcome, expected):
    assert received(outcome, 100, 50) == expected


def test_pooled_rate_lets_unpaid_time_drag_the_rate_down():
    # 3.00 earned in 20 minutes, then a 40-minute task rejected: 3.00 over an hour.
    assert pooled_hourly(300 + 0, 20 + 40) == 300


@pytest.mark.parametrize(
    "text, currency, minor",
    [
        ("1.50", "USD", 150),
        ("1,50", "EUR", 150),
        ("0.005", "USD", 1),
        ("120", "JPY", 120),
        ("120.4", "JPY", 120),
        (" 2 ", "GBP", 200),
        ("10", "KES", 1000),
    ],
)
def test_amounts_are_parsed_into_minor_units_of_their_currency(text, currency, minor):
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize("text", ["abc", "-1", "1.2.3", "NaN", "Infinity", "1e400x"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text, "USD")


def test_conversion_to_us_cents_uses_the_shipped_rates():
    assert to_usd_cents(1000, "USD") == 1000
    eur = to_usd_cents(1000, "EUR")
    assert 900 < eur < 1400
    assert to_usd_cents(100, "XXX") is None
