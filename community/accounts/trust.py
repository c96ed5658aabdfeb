"""Trust levels, computed from a member's record with the thresholds in the configuration."""

from datetime import datetime, timedelta

from flask import current_app

from community.core.database import utcnow

NEW, MEMBER, TRUSTED = 0, 1, 2


def trust_level(user, now: datetime | None = None) -> int:
    config = current_app.config
    now = now or utcnow()
    age = now - user.created_at
    contributions = user.contribution_count
    sanctioned_recently = user.last_sanction_at is not None and (
        now - user.last_sanction_at < timedelta(days=config["TRUST_TL2_CLEAN_DAYS"])
    )
    if (
        age >= timedelta(days=config["TRUST_TL2_MIN_DAYS"])
        and contributions >= config["TRUST_TL2_MIN_CONTRIBUTIONS"]
        and not sanctioned_recently
    ):
        return TRUSTED
    if (
        age >= timedelta(days=config["TRUST_TL1_MIN_DAYS"])
        and contributions >= config["TRUST_TL1_MIN_CONTRIBUTIONS"]
    ):
        return MEMBER
    return NEW
