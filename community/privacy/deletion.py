"""Deleting an account: personal data goes at once; contributions are anonymised or deleted.

"Anonymise" keeps every contribution, shown as written by "a deleted member": the figures do not
change. "Delete" withdraws every contribution first (figures, warning counts and the search index
follow, as for any withdrawal) and blanks its text.
"""

import enum

from flask_babel import gettext as _
from sqlalchemy import delete, select

from community.accounts import passwords
from community.accounts.models import LoginThrottle, User
from community.core.content import Visibility
from community.core.errors import DomainError
from community.extensions import db
from community.flags import service as flags
from community.flags.models import Flag, FlagSeenToo
from community.forum import service as forum
from community.forum.models import Post, PostRevision
from community.moderation.models import ReviewReply
from community.proofs import service as proofs
from community.proofs.models import Proof, ProofMark
from community.reviews import service as reviews
from community.reviews.models import Review, ReviewRevision


class ContributionChoice(enum.StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"


def _live(model, user: User) -> list:
    query = select(model).where(model.author_id == user.id, model.visibility != Visibility.DELETED)
    return list(db.session.scalars(query))


def _erase_contributions(user: User) -> None:
    for review in _live(Review, user):
        reviews.withdraw_review(user, review)
    for post in _live(Post, user):
        forum.delete_post(user, post)
    for proof in _live(Proof, user):
        proofs.withdraw_proof(user, proof)
    for flag in _live(Flag, user):
        flags.withdraw_flag(user, flag)
    # Withdrawn items leave every page; their words go too.
    for review in db.session.scalars(select(Review).where(Review.author_id == user.id)):
        review.body, review.body_html, review.task_title = "", "", None
    db.session.execute(
        delete(ReviewRevision).where(
            ReviewRevision.review_id.in_(select(Review.id).where(Review.author_id == user.id))
        )
    )
    for post in db.session.scalars(select(Post).where(Post.author_id == user.id)):
        post.body, post.body_html = "", ""
    db.session.execute(
        delete(PostRevision).where(
            PostRevision.post_id.in_(select(Post.id).where(Post.author_id == user.id))
        )
    )
    for flag in db.session.scalars(select(Flag).where(Flag.author_id == user.id)):
        flag.description = flag.description_html = flag.excerpt = ""
    for proof in db.session.scalars(select(Proof).where(Proof.author_id == user.id)):
        proof.note = proof.note_html = ""
    for reply in db.session.scalars(select(ReviewReply).where(ReviewReply.author_id == user.id)):
        reply.visibility, reply.hidden_reason = Visibility.DELETED, "withdrawn"
        reply.body = reply.body_html = ""
    db.session.commit()


def delete_account(user: User, password: str, choice: str) -> None:
    if not passwords.verify_password(user.password_hash, password):
        raise DomainError(_("Your password is not correct. Your account was not deleted."))
    if choice not in set(ContributionChoice):
        raise DomainError(_("Choose what happens to your contributions."))
    if choice == ContributionChoice.DELETE:
        _erase_contributions(user)
    marked = list(
        db.session.scalars(select(ProofMark.proof_id).where(ProofMark.user_id == user.id))
    )
    seen = list(
        db.session.scalars(select(FlagSeenToo.flag_id).where(FlagSeenToo.user_id == user.id))
    )
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username_key == user.username_key))
    # The row goes: authorship becomes "a deleted member" (ON DELETE SET NULL), and what was only
    # theirs (notifications, subscriptions, marks, "I saw this too") goes with it (CASCADE).
    db.session.delete(user)
    db.session.flush()
    for proof in db.session.scalars(select(Proof).where(Proof.id.in_(marked))):
        proofs.recount_marks(proof)
    for flag in db.session.scalars(select(Flag).where(Flag.id.in_(seen))):
        flags.recount_seen_too(flag)
    db.session.commit()
