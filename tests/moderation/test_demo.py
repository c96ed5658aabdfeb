"""Demo data includes moderation, written through the services: figures stay exact."""

import pytest
from sqlalchemy import func, select

from community.catalog.models import Requester
from community.extensions import db
from community.moderation.models import Appeal, Dispute, ModerationAction, QueueEntry, ReviewReply
from community.reviews import aggregates


@pytest.mark.slow
def test_demo_data_has_a_moderation_story(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--seed", "7", "--scale", "0.2"])
    assert result.exit_code == 0, result.output

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    assert count(ModerationAction) >= 8
    assert count(Appeal) == count(Dispute) == count(ReviewReply) == 1
    assert db.session.scalar(select(func.count()).where(QueueEntry.is_open.is_(True))) == 1
    for requester in db.session.scalars(select(Requester).where(Requester.reviewer_count > 0)):
        stored = (requester.reviewer_count, requester.stats["all"])
        aggregates.refresh(requester)
        assert (requester.reviewer_count, requester.stats["all"]) == stored
    db.session.rollback()
    client = app.test_client()
    for url in ("/moderation/log", "/disputes", "/moderators"):
        assert client.get(url).status_code == 200
