"""Demo flags: every category, folds, decisions and witnesses, with consistent stored counts."""

import random

from sqlalchemy import func, select

from community.accounts.models import Role
from community.catalog.models import Platform, Requester
from community.core.database import utcnow
from community.extensions import db
from community.flags.demo import load_demo_flags
from community.flags.models import Flag, FlagCategory, FlagDecision, FlagSeenToo, FlagStatus
from tests.conftest import make_platform, make_requester, make_user


def test_demo_flags_cover_every_category_and_keep_the_counts(app):
    platforms = [make_platform() for _ in range(3)]
    requesters = [
        make_requester(platform, external_id=None, name=f"Demo Lab {number}")
        for number, platform in enumerate(platforms)
    ]
    members = [make_user(trust=trust) for trust in (0, 1, 1, 2, 2, 2)]
    members.append(make_user(role=Role.MODERATOR))
    loaded = load_demo_flags(
        random.Random(5), utcnow(), [m.id for m in members], platforms, requesters
    )
    db.session.commit()
    assert loaded == db.session.scalar(select(func.count()).select_from(Flag)) == 150
    assert set(db.session.scalars(select(Flag.category).distinct())) == set(FlagCategory)
    assert set(db.session.scalars(select(Flag.status).distinct())) == set(FlagStatus)
    assert db.session.scalar(select(func.count()).where(Flag.disturbing.is_(True))) > 0
    witnesses = db.session.scalar(select(func.count()).select_from(FlagSeenToo))
    assert witnesses > 0
    assert witnesses == db.session.scalar(select(func.sum(Flag.seen_too_count)))
    decided = db.session.scalar(select(func.count()).where(Flag.status != FlagStatus.OPEN))
    assert db.session.scalar(select(func.count()).select_from(FlagDecision)) >= decided
    warnings = (Flag.status == FlagStatus.CONFIRMED) & (Flag.visibility == "visible")
    for model, column in ((Platform, Flag.platform_id), (Requester, Flag.requester_id)):
        for target in db.session.scalars(select(model)):
            counted = db.session.scalar(select(func.count()).where(column == target.id, warnings))
            assert target.warning_count == counted, (model.__name__, target.id)
    assert sum(p.warning_count for p in db.session.scalars(select(Platform))) > 0
