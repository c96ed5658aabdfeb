"""Moderation through real requests: the issue's scenarios from end to end, every page a
moderator uses, the folds readers see, and who is refused."""

import re

from sqlalchemy import select

from community.accounts.models import Role
from community.core.content import Visibility
from community.extensions import db
from community.forum import service as forum
from community.moderation import replies, service
from community.moderation.models import (
    ActionKind,
    Appeal,
    Candidate,
    Dispute,
    DisputeStatus,
    Election,
    ModerationAction,
    RepresentativeClaim,
)
from community.notifications.models import Notification
from community.reviews.models import Review
from tests.conftest import (
    login,
    make_flag,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
)
from tests.moderation.helpers import REASON, assert_figures_exact, moderator


def client_of(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def last_action() -> ModerationAction:
    return db.session.scalar(select(ModerationAction).order_by(ModerationAction.id.desc()))


# The scenario: reports, automatic hiding, confirmation, appeal, overturn, public log


def test_reports_hide_then_a_moderator_confirms_then_an_appeal_overturns(app):
    requester = make_requester(name="Lumen Panels")
    author = make_user(username="candid_worker")
    make_review(make_user(), requester, score_pay=4)
    review = make_review(
        author,
        requester,
        score_pay=1,
        score_fairness=1,
        outcome="never_paid",
        body="They never paid the batch and ignored every message for a month.",
    )
    assert requester.reviewer_count == 2
    assert_figures_exact(requester)
    reporters = [make_user(trust=2, username=f"reporter_{n}") for n in range(3)]

    for number, reporter in enumerate(reporters):
        response = client_of(app, reporter).post(
            f"/report/review/{review.id}", data={"reason": "harassment", "details": ""}
        )
        assert response.status_code == 302
        db.session.expire_all()
        hidden = db.session.get(Review, review.id).visibility == Visibility.HIDDEN
        assert hidden == (number == 2)  # hidden at once by the third trusted report
        assert_figures_exact(requester)
    db.session.refresh(requester)
    assert requester.reviewer_count == 1

    # The public still reads it behind a fold that says why; it counts nowhere.
    page = text(app.test_client().get(f"/requesters/{requester.id}"))
    assert "moderation-fold" in page and "Hidden pending review" in page
    assert "ignored every message" in page

    first, second = moderator(username="mod_first"), moderator(username="mod_second")
    mod_client = client_of(app, first)
    queue = text(mod_client.get("/moderation"))
    assert "Lumen Panels" in queue and "reporter_0" in queue  # moderators see the reporters
    refused = mod_client.post(
        f"/moderation/items/review/{review.id}/hide", data={"reason": "", "code": "harassment"}
    )
    assert refused.status_code == 422 and "Write the reason" in text(refused)
    confirmed = mod_client.post(
        f"/moderation/items/review/{review.id}/hide",
        data={
            "reason": "Insults the requester's staff by name.",
            "code": "harassment",
            "rule": "4",
        },
    )
    assert confirmed.status_code == 302
    hide_action = last_action()
    assert (hide_action.action, hide_action.rule_number) == (ActionKind.HIDE, 4)
    db.session.refresh(requester)
    assert requester.reviewer_count == 1
    assert_figures_exact(requester)

    # The author is told, and appeals.
    author_client = client_of(app, author)
    assert "was hidden" in text(author_client.get("/notifications"))
    mine = text(author_client.get("/me/moderation"))
    assert f"/moderation/actions/{hide_action.id}/appeal" in mine
    appealed = author_client.post(
        f"/moderation/actions/{hide_action.id}/appeal",
        data={"statement": "The review names no one: it describes a company that did not pay."},
    )
    assert appealed.status_code == 302
    appeal = db.session.scalar(select(Appeal))
    again = author_client.post(
        f"/moderation/actions/{hide_action.id}/appeal", data={"statement": "Once more, please."}
    )
    assert again.status_code == 422 and "once" in text(again)

    # The moderator who acted may not decide; a second one overturns.
    own = mod_client.post(
        f"/appeals/{appeal.id}/decide", data={"decision": "overturn", "reason": REASON}
    )
    assert own.status_code == 403
    overturned = client_of(app, second).post(
        f"/appeals/{appeal.id}/decide",
        data={"decision": "overturn", "reason": "Firm words about a company, not harassment."},
    )
    assert overturned.status_code == 302
    db.session.expire_all()
    assert db.session.get(Review, review.id).visibility == Visibility.VISIBLE
    db.session.refresh(requester)
    assert requester.reviewer_count == 2
    assert_figures_exact(requester)

    # The public log tells the whole story, without a reporter's name.
    log = text(app.test_client().get("/moderation/log"))
    for words in (
        "hidden automatically after reports",
        "Insults the requester&#39;s staff by name.",
        "appeal accepted: decision overturned",
        "Firm words about a company, not harassment.",
        "mod_first",
        "mod_second",
    ):
        assert words in log, words
    assert "reporter_" not in log
    assert "candid_worker" not in log  # the log never names the author of content
    story = [a.action for a in service.actions_on("review", review.id)]
    assert story == [ActionKind.AUTO_HIDE, ActionKind.HIDE, ActionKind.APPEAL_OVERTURNED]
    filtered = text(app.test_client().get("/moderation/log?action=hide&kind=review"))
    assert "Insults the requester" in filtered and "overturned" in filtered  # badge on the act
    assert "Firm words" not in filtered


# The right of reply and a dispute mediated to its end


def test_a_representative_replies_and_a_dispute_is_mediated(app):
    requester = make_requester(name="Orbit Labs")
    author = make_user(username="hidden_author")
    review = make_review(
        author, requester, anonymous=True, body="Rejected all my work after six hours of tasks."
    )
    rep = make_user(username="orbit_rep")
    rep_client = client_of(app, rep)
    assert (
        rep_client.post(
            f"/requesters/{requester.id}/claim",
            data={"evidence": "I write from ops@orbit.example."},
        ).status_code
        == 302
    )
    claim = db.session.scalar(select(RepresentativeClaim))
    mod_client = client_of(app, moderator())
    assert "ops@orbit.example" in text(mod_client.get("/moderation/claims"))
    decided = mod_client.post(
        f"/moderation/claims/{claim.id}",
        data={"decision": "verify", "reason": "Checked: the domain is the requester's."},
    )
    assert decided.status_code == 302
    assert "verified requester representative" in text(app.test_client().get("/members/orbit_rep"))

    page = text(rep_client.get(f"/requesters/{requester.id}"))
    assert "Reply as the requester" in page and "hidden_author" not in page
    replied = rep_client.post(
        f"/reviews/{review.id}/reply", data={"body": "We reviewed the batch: **all** was paid."}
    )
    assert replied.status_code == 302
    public = text(app.test_client().get(f"/requesters/{requester.id}"))
    assert "Reply from the requester" in public and "<strong>all</strong> was paid" in public
    assert "The requester replied" in text(client_of(app, author).get("/notifications"))
    twice = rep_client.post(f"/reviews/{review.id}/reply", data={"body": "Again, a second one."})
    assert twice.status_code == 422

    opened = rep_client.post(
        f"/disputes/new?review={review.id}",
        data={
            "title": "The batch was paid",
            "body": "Our payment records show this batch paid on the 4th, in full, to everyone.",
            "evidence": "Payment batch 2291.",
        },
    )
    assert opened.status_code == 302
    dispute = db.session.scalar(select(Dispute))
    author_client = client_of(app, author)
    assert "has news" in text(author_client.get("/notifications"))
    answered = author_client.post(
        f"/disputes/{dispute.id}/statements",
        data={"body": "Nothing arrived on my account; the platform shows it as rejected."},
    )
    assert answered.status_code == 302
    case = text(rep_client.get(f"/disputes/{dispute.id}"))
    assert "the author of the review" in case and "hidden_author" not in case
    assert "Payment batch 2291" in case
    outsider = text(app.test_client().get(f"/disputes/{dispute.id}"))
    assert "Payment batch 2291" not in outsider and "The batch was paid" in outsider

    mediator = moderator(username="ombud")
    mediator_client = client_of(app, mediator)
    assert (
        mediator_client.post(
            f"/disputes/{dispute.id}/take", data={"take-reason": "Taking it as mediator."}
        ).status_code
        == 302
    )
    closed = mediator_client.post(
        f"/disputes/{dispute.id}/close",
        data={
            "close-decision": "resolved",
            "close-reason": "The platform had blocked the payment; the requester paid again.",
        },
    )
    assert closed.status_code == 302
    db.session.refresh(dispute)
    assert dispute.status == DisputeStatus.RESOLVED
    public = text(app.test_client().get(f"/disputes/{dispute.id}"))
    assert "the requester paid again" in public and "ombud" in public
    assert "The batch was paid" in text(app.test_client().get("/disputes?status=resolved"))


# An election


def test_an_election_runs_from_nominations_to_published_results(app):
    admin = make_user(trust=2, role=Role.ADMIN, username="chief")
    admin_client = client_of(app, admin)
    opened = admin_client.post(
        "/elections", data={"title": "2027 moderators", "seats": "1", "reason": REASON}
    )
    assert opened.status_code == 302
    election = db.session.scalar(select(Election))
    alice, bruno = make_user(trust=2, username="alice_t"), make_user(trust=2, username="bruno_t")
    for candidate in (alice, bruno):
        response = client_of(app, candidate).post(
            f"/elections/{election.id}/nominate",
            data={"statement": "I have moderated a worker forum for two years."},
        )
        assert response.status_code == 302
    refused = client_of(app, make_user(trust=1)).post(
        f"/elections/{election.id}/nominate", data={"statement": "I would like to help out here."}
    )
    assert refused.status_code == 403
    assert (
        admin_client.post(
            f"/elections/{election.id}/advance", data={"advance-reason": "Nominations closed."}
        ).status_code
        == 302
    )
    candidates = {c.user.username: c.id for c in db.session.scalars(select(Candidate))}
    ballots = ((make_user(trust=2), ["alice_t", "bruno_t"]), (make_user(trust=2), ["alice_t"]))
    for voter, chosen in ballots:
        voter_client = client_of(app, voter)
        page = text(voter_client.get(f"/elections/{election.id}"))
        assert "Cast my secret ballot" in page
        response = voter_client.post(
            f"/elections/{election.id}/vote",
            data={"candidate": [str(candidates[name]) for name in chosen]},
        )
        assert response.status_code == 302
        assert "You voted" in text(voter_client.get(f"/elections/{election.id}"))
    assert "Approvals" not in text(app.test_client().get(f"/elections/{election.id}"))
    assert (
        admin_client.post(
            f"/elections/{election.id}/advance", data={"advance-reason": "Voting is over."}
        ).status_code
        == 302
    )
    results = text(app.test_client().get(f"/elections/{election.id}"))
    assert "Approvals" in results and "2 ballots" in results
    assert re.search(r"alice_t</a></td><td>2</td><td>yes", results)
    moderators_page = text(app.test_client().get("/moderators"))
    assert "alice_t" in moderators_page and "term ends" in moderators_page
    log = text(app.test_client().get("/moderation/log?action=close_election"))
    assert "election closed, results published" in log and "Elected: alice_t." in log


# Acting from the item page, on every act


def test_moderators_act_from_the_item_page(app):
    thread = make_thread(title="Payout thread")
    post = forum.reply(make_user(), thread, "A reply that needs a moderator.")
    client = client_of(app, moderator())
    page = text(client.get(f"/moderation/items/thread/{thread.id}"))
    assert "Lock" in page and "Move" in page
    for act in ("lock", "pin", "unpin", "unlock"):
        assert (
            client.post(
                f"/moderation/items/thread/{thread.id}/{act}", data={"reason": REASON}
            ).status_code
            == 302
        ), act
    target = forum.get_category_or_404("off-topic")
    assert (
        client.post(
            f"/moderation/items/thread/{thread.id}/move",
            data={"reason": REASON, "category_id": str(target.id)},
        ).status_code
        == 302
    )
    db.session.refresh(thread)
    assert thread.category_id == target.id
    for act, data in (
        ("request_edit", {}),
        ("hide", {"code": "spam"}),
        ("restore", {}),
        ("delete", {"code": "spam"}),
    ):
        response = client.post(
            f"/moderation/items/post/{post.id}/{act}", data={"reason": REASON, **data}
        )
        assert response.status_code == 302, act
    db.session.refresh(post)
    assert post.visibility == Visibility.DELETED
    assert (
        client.post(f"/moderation/items/post/{post.id}/lock", data={"reason": REASON}).status_code
        == 404
    )
    assert "This post was deleted by its author" not in text(
        app.test_client().get(f"/threads/{thread.id}")
    )


def test_sanctions_from_the_member_page(app):
    member = make_user(username="loud_member")
    client = client_of(app, moderator())
    assert "Suspend" in text(client.get("/moderation/members/loud_member"))
    assert (
        client.post(
            "/moderation/members/loud_member/suspend", data={"reason": REASON, "days": "3"}
        ).status_code
        == 302
    )
    db.session.refresh(member)
    assert member.is_suspended
    blocked = client_of(app, member).post(
        f"/report/review/{make_review().id}", data={"reason": "spam"}
    )
    assert blocked.status_code == 403 and "suspended" in text(blocked)
    assert (
        client.post("/moderation/members/loud_member/lift", data={"reason": REASON}).status_code
        == 302
    )
    assert "The moderators sanctioned your account" in text(
        client_of(app, member).get("/notifications")
    )


def test_merging_from_the_merge_page(app):
    first = make_requester(external_id="A1KEEPER000001", name="Keeper")
    second = make_requester(first.platform, "A1DUPLICATE001", "Keeper Dup")
    make_review(target=second)
    second_id = second.id
    client = client_of(app, moderator())
    response = client.post(
        "/moderation/merge",
        data={
            "what": "requester",
            "loser": str(second.id),
            "survivor": str(first.id),
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert app.test_client().get(f"/requesters/{second_id}").status_code == 301
    db.session.refresh(first)
    assert first.reviewer_count == 1


# Refusals


def test_moderator_pages_are_refused_to_members_and_visitors(app):
    review = make_review()
    member = client_of(app, make_user(trust=2))
    visitor = app.test_client()
    pages = [
        "/moderation",
        f"/moderation/items/review/{review.id}",
        "/moderation/appeals",
        "/moderation/claims",
        "/moderation/disputes",
        "/moderation/merge",
        f"/moderation/members/{review.author.username}",
    ]
    for url in pages:
        assert member.get(url).status_code == 403, url
        assert visitor.get(url).status_code == 302, url  # to the login page
    assert (
        member.post(
            f"/moderation/items/review/{review.id}/hide", data={"reason": REASON, "code": "spam"}
        ).status_code
        == 403
    )
    db.session.refresh(review)
    assert review.visibility == Visibility.VISIBLE


def test_the_conflict_refusals_show_on_the_pages(app):
    mod = moderator()
    own = make_review(mod)
    client = client_of(app, mod)
    assert "another moderator must act" in text(client.get(f"/moderation/items/review/{own.id}"))
    response = client.post(
        f"/moderation/items/review/{own.id}/hide", data={"reason": REASON, "code": "spam"}
    )
    assert response.status_code == 403
    assert client.get(f"/report/review/{own.id}").status_code == 403
    assert client.post(f"/report/review/{own.id}", data={"reason": "spam"}).status_code == 403


def test_a_report_form_keeps_what_was_typed_and_says_why(app):
    review = make_review()
    client = client_of(app, make_user())
    form = text(client.get(f"/report/review/{review.id}"))
    assert "Falsified review" in form and "The requester reviewing itself" in form
    response = client.post(
        f"/report/review/{review.id}", data={"reason": "other", "details": "short"}
    )
    assert response.status_code == 422 and "few words" in text(response)
    assert "short" in text(response)
    thread = make_thread()
    assert "Falsified review" not in text(client.get(f"/report/thread/{thread.id}"))


def test_every_content_kind_has_a_report_link(app):
    requester = make_requester()
    review = make_review(target=requester)
    thread = make_thread()
    proof = make_proof(requester=requester)
    flag = make_flag(requester=requester)
    rep = make_user()
    claim = replies.claim(rep, requester, "Evidence that I speak for it, checkable.")
    replies.decide_claim(moderator(), claim, True, REASON)
    reply = replies.post_reply(rep, review, "Our answer to this review.")
    client = client_of(app, make_user())
    for url, link in (
        (f"/requesters/{requester.id}", f"/report/review/{review.id}"),
        (f"/requesters/{requester.id}", f"/report/reply/{reply.id}"),
        (f"/threads/{thread.id}", f"/report/thread/{thread.id}"),
        (f"/threads/{thread.id}", f"/report/post/{forum.posts_on_page(thread, 1)[0].id}"),
        (f"/proofs/{proof.id}", f"/report/proof/{proof.id}"),
        (f"/flags/{flag.id}", f"/report/flag/{flag.id}"),
    ):
        assert link in text(client.get(url)), (url, link)


def test_content_hidden_for_personal_information_is_gone_from_public_view(app):
    requester = make_requester()
    author = make_user()
    review = make_review(author, requester, body="Secret doxxing text that names someone.")
    thread = make_thread(title="Doxxing thread title")
    mod = moderator()
    service.hide(mod, "review", review.id, "personal_info", REASON)
    service.hide(mod, "thread", thread.id, "illegal", REASON)
    visitor = app.test_client()
    assert "Secret doxxing" not in text(visitor.get(f"/requesters/{requester.id}"))
    assert visitor.get(f"/threads/{thread.id}").status_code == 404
    log = text(visitor.get("/moderation/log"))
    assert "Doxxing thread title" not in log and "no longer public" in log
    assert "Secret doxxing" in text(client_of(app, author).get("/me/reviews"))
    assert client_of(app, mod).get(f"/threads/{thread.id}").status_code == 200
    notes = db.session.scalars(select(Notification.kind).where(Notification.user_id == author.id))
    assert "content_hidden" in list(notes)


def test_every_moderation_notification_renders_in_both_languages(app):
    from community.notifications import service as notifications
    from community.notifications.models import NotificationKind

    member = make_user()
    subjects = {
        NotificationKind.CONTENT_HIDDEN: "review",
        NotificationKind.CONTENT_RESTORED: "post",
        NotificationKind.CONTENT_DELETED: "proof",
        NotificationKind.EDIT_REQUESTED: "flag",
        NotificationKind.SANCTION: "suspend",
        NotificationKind.APPEAL_DECIDED: "overturned",
        NotificationKind.DISPUTE_UPDATED: "1",
        NotificationKind.CLAIM_DECIDED: "verified",
        NotificationKind.REVIEW_REPLY: "review",
    }
    for kind, subject in subjects.items():
        notifications.notify([member.id], kind, subject=subject, link="/me/moderation")
    db.session.commit()
    client = client_of(app, member)
    english = text(client.get("/notifications"))
    for words in (
        "Your review was hidden",
        "Your forum post is public again",
        "deleted by the moderators",
        "asks you to edit your task flag",
        "sanctioned your account (suspension)",
        "the decision is overturned",
        "has news",
        "You are now a verified representative",
        "The requester replied",
    ):
        assert words in english, words
    client.post("/language", data={"lang": "fr"})
    french = text(client.get("/notifications"))
    assert "Votre contenu (avis) a été masqué" in french
    assert "(suspension)" in french and "recours" in french
    opened = client.post(f"/notifications/{db.session.scalar(select(Notification.id))}/open")
    assert opened.headers["Location"] == "/me/moderation"


def test_a_hidden_authors_notification_leads_to_the_appeal(app):
    author = make_user()
    review = make_review(author)
    action = service.hide(moderator(), "review", review.id, "spam", REASON)
    link = db.session.scalar(select(Notification.link).where(Notification.user_id == author.id))
    assert link == f"/me/moderation#a{action.id}"


def test_moderation_pages_speak_french(app):
    review = make_review()
    service.hide(moderator(), "review", review.id, "spam", REASON)
    client = client_of(app, moderator())
    client.post("/language", data={"lang": "fr"})
    for url, french in (
        ("/moderation/log", "Journal de modération"),
        ("/moderation", "File de modération"),
        (f"/moderation/items/review/{review.id}", "Demander une modification à l'auteur"),
        ("/moderation/appeals", "Recours en attente de décision"),
        ("/moderation/claims", "Demandes de représentants"),
        ("/moderation/disputes", "Litiges à arbitrer"),
        ("/moderators", "Modérateurs et élections"),
        ("/disputes", "Litiges"),
        ("/rules", "en vigueur depuis"),
        (f"/requesters/{review.requester_id}", "Masqué par les modérateurs"),
    ):
        assert french in text(client.get(url)), url


def test_the_item_page_starts_with_the_reason_members_reported_most(app):
    thread = make_thread(title="Payout thread")
    post = forum.reply(make_user(), thread, "You are a fraud and everyone knows your name.")
    for reason in ("harassment", "spam", "harassment"):
        client_of(app, make_user(trust=1)).post(
            f"/report/post/{post.id}", data={"reason": reason, "details": ""}
        )
    page = text(client_of(app, moderator()).get(f"/moderation/items/post/{post.id}"))
    chosen = re.search(r'<option selected value="(\w+)"|<option value="(\w+)" selected', page)
    assert chosen and "harassment" in chosen.groups()
