"""The moderators and rules commands: every act enters the public log."""

import json
from datetime import timedelta

from sqlalchemy import select

from community.accounts.models import Role
from community.core.database import utcnow
from community.extensions import db
from community.moderation import rules
from community.moderation.models import ModerationAction, ModeratorTerm
from tests.conftest import make_user


def test_appoint_remove_and_expire_from_the_command_line(app):
    runner = app.test_cli_runner()
    member = make_user(username="helper")
    admin = make_user(username="boss", role=Role.ADMIN)
    result = runner.invoke(
        args=[
            "moderators",
            "appoint",
            "helper",
            "--reason",
            "Helps in the French forum.",
            "--days",
            "10",
            "--by",
            "boss",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(member)
    assert member.role == Role.MODERATOR
    refused = runner.invoke(args=["moderators", "appoint", "helper", "--reason", "Once more."])
    assert refused.exit_code != 0 and "already a moderator" in refused.output
    assert runner.invoke(args=["moderators", "appoint", "nobody", "--reason", "x" * 12]).exit_code
    term = db.session.scalar(select(ModeratorTerm))
    term.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "1 terms ended" in runner.invoke(args=["moderators", "expire"]).output
    db.session.refresh(member)
    assert member.role == Role.MEMBER
    runner.invoke(args=["moderators", "appoint", "helper", "--reason", "Back for a while."])
    result = runner.invoke(
        args=["moderators", "remove", "helper", "--reason", "Stepped down, with thanks."]
    )
    assert result.exit_code == 0, result.output
    acts = db.session.execute(
        select(ModerationAction.action, ModerationAction.moderator_id).order_by(ModerationAction.id)
    ).all()
    assert acts == [
        ("appoint", admin.id),
        ("term_ended", None),
        ("appoint", None),
        ("remove_moderator", None),
    ]
    client = app.test_client()
    log = client.get("/moderation/log").get_data(as_text=True)
    assert "Stepped down, with thanks." in log and "an administrator (command line)" in log


def test_publish_a_new_version_of_the_rules(app, tmp_path):
    path = tmp_path / "rules.json"
    new_rules = [
        *rules.FIRST_RULES,
        {
            "title": {"en": "Be kind.", "fr": "Soyez aimable."},
            "text": {"en": "Always.", "fr": "Toujours."},
        },
    ]
    path.write_text(json.dumps(new_rules), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rules", "publish", str(path), "--note", "A fifth rule."])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    page = client.get("/rules").get_data(as_text=True)
    assert "Be kind." in page and "Version 2" in page and "/rules/1" in page
    first = client.get("/rules/1").get_data(as_text=True)
    assert "Be kind." not in first and "earlier version" in first
    client.post("/language", data={"lang": "fr"})
    assert "Soyez aimable." in client.get("/rules").get_data(as_text=True)
    assert client.get("/rules/9").status_code == 404
