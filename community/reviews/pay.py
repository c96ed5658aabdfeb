"""Effective hourly pay: what was received, divided by all the time it took."""

from decimal import ROUND_HALF_UP, Decimal

# Outcomes where the worker received nothing: their time still counts, at zero pay.
UNPAID_OUTCOMES = frozenset({"rejected", "never_paid", "returned"})


def received(outcome: str | None, reward_minor: int | None, bonus_minor: int | None) -> int | None:
    """What the worker was actually paid, or None while unknown (no reward given, pending)."""
    if reward_minor is None or outcome == "pending":
        return None
    if outcome in UNPAID_OUTCOMES:
        return 0
    return reward_minor + (bonus_minor or 0)


def effective_hourly(received_minor: int | None, minutes: int | None) -> int | None:
    """Minor units per hour, or None when either figure is unknown.

    A rejected task counts with 0 received: its minutes still drag the rate down.
    """
    if received_minor is None or not minutes or minutes <= 0:
        return None
    return int(
        (Decimal(received_minor) * 60 / Decimal(minutes)).quantize(Decimal(1), ROUND_HALF_UP)
    )


def pooled_hourly(total_received_minor: int, total_minutes: int) -> int | None:
    """Total pay over total time: one long unpaid task weighs as much as its minutes."""
    return effective_hourly(total_received_minor, total_minutes)
