"""Moderator elections and terms. Trusted members nominate themselves, then vote by approval
(one ballot each, any number of candidates approved). The ballot is secret: that a member voted
and what a ballot says are stored apart, with nothing to join them. Results are published when
the election closes; the elected become moderators until their term ends
(`flask --app wsgi moderators expire`). Admins also appoint and remove moderators from the
command line. Every step enters the public log."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import Role, User
from community.core.database import lock_row, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_not_suspended
from community.extensions import db
from community.moderation import permissions, service
from community.moderation.models import (
    ActionKind,
    Ballot,
    Candidate,
    Election,
    ElectionPhase,
    ElectionVoter,
    ModeratorTerm,
)
from community.moderation.replies import checked_text

ELECTION = "election"
MEMBER = "member"
NEXT_PHASE = {
    ElectionPhase.NOMINATIONS: ElectionPhase.VOTING,
    ElectionPhase.VOTING: ElectionPhase.CLOSED,
}


@dataclass(frozen=True)
class Result:
    candidate: Candidate
    votes: int
    elected: bool


def get_election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        raise NotFound(_("This election does not exist."))
    return election


def elections(limit: int = 50) -> list[Election]:
    return list(
        db.session.scalars(
            select(Election).order_by(Election.created_at.desc(), Election.id.desc()).limit(limit)
        )
    )


def candidates_of(election: Election) -> list[Candidate]:
    order = (
        (Candidate.votes.desc(), Candidate.created_at, Candidate.id)
        if election.phase == ElectionPhase.CLOSED
        else (Candidate.created_at, Candidate.id)
    )
    return list(
        db.session.scalars(
            select(Candidate).where(Candidate.election_id == election.id).order_by(*order)
        )
    )


def has_voted(user, election: Election) -> bool:
    if not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(ElectionVoter.id).where(
                ElectionVoter.election_id == election.id, ElectionVoter.user_id == user.id
            )
        )
        is not None
    )


def candidate_of(user, election: Election) -> Candidate | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Candidate).where(Candidate.election_id == election.id, Candidate.user_id == user.id)
    )


# Running an election


def open_election(admin, title: str, seats: int, reason) -> Election:
    if not permissions.can_run_elections(admin):
        raise PermissionDenied(_("Only administrators run elections."))
    reason = service.clean_reason(reason)
    title = (title or "").strip()
    if not 4 <= len(title) <= 160:
        raise DomainError(_("Give the election a title of 4 to 160 characters."))
    maximum = current_app.config["ELECTION_MAX_SEATS"]
    if not isinstance(seats, int) or not 1 <= seats <= maximum:
        raise DomainError(_("An election fills 1 to %(count)d seats.", count=maximum))
    election = Election(
        title=title,
        seats=seats,
        term_days=current_app.config["MODERATOR_TERM_DAYS"],
        created_by_id=admin.id,
    )
    db.session.add(election)
    db.session.flush()
    service.record(admin, ActionKind.OPEN_ELECTION, ELECTION, election.id, reason)
    db.session.commit()
    return election


def nominate(user, election: Election, statement: str) -> Candidate:
    """A trusted member stands for election, with a short statement."""
    if election.phase != ElectionPhase.NOMINATIONS:
        raise DomainError(_("Nominations for this election are closed."))
    if not user.is_authenticated or not user.is_trusted:
        raise PermissionDenied(_("Trusted members (trust level 2) can stand for election."))
    check_not_suspended(user)
    statement = checked_text(
        statement,
        "APPEAL_STATEMENT_MIN_CHARS",
        lambda count: _("Tell the voters why, in at least %(count)d characters.", count=count),
    )
    if candidate_of(user, election) is not None:
        raise DomainError(_("You are already a candidate in this election."))
    candidate = Candidate(election_id=election.id, user_id=user.id, statement=statement)
    db.session.add(candidate)
    db.session.commit()
    return candidate


def vote(user, election: Election, candidate_ids: list[int]) -> None:
    """One ballot per trusted member, approving any number of candidates (at least one)."""
    lock_row(db.session, election)
    if election.phase != ElectionPhase.VOTING:
        raise DomainError(_("Voting is not open in this election."))
    if not user.is_authenticated or not user.is_trusted:
        raise PermissionDenied(_("Trusted members (trust level 2) vote in moderator elections."))
    check_not_suspended(user)
    valid = {candidate.id for candidate in candidates_of(election)}
    chosen = sorted({int(candidate_id) for candidate_id in candidate_ids})
    if not chosen:
        raise DomainError(_("Approve at least one candidate."))
    if not set(chosen) <= valid:
        raise DomainError(_("Choose among the candidates of this election."))
    if has_voted(user, election):
        raise DomainError(_("You already voted in this election: one ballot each."))
    try:
        with db.session.begin_nested():
            db.session.add(ElectionVoter(election_id=election.id, user_id=user.id))
    except IntegrityError as error:
        raise DomainError(_("You already voted in this election: one ballot each.")) from error
    db.session.add(Ballot(key=secrets.token_hex(16), election_id=election.id, choices=chosen))
    db.session.commit()


def advance(admin, election: Election, reason) -> None:
    """Nominations -> voting -> closed (results published)."""
    if not permissions.can_run_elections(admin):
        raise PermissionDenied(_("Only administrators run elections."))
    reason = service.clean_reason(reason)
    lock_row(db.session, election)
    following = NEXT_PHASE.get(ElectionPhase(election.phase))
    if following is None:
        raise DomainError(_("This election is closed."))
    if following == ElectionPhase.VOTING:
        if not candidates_of(election):
            raise DomainError(_("Nobody stood for election yet: voting cannot open."))
        election.phase = following
        election.voting_started_at = utcnow()
        service.record(admin, ActionKind.START_VOTING, ELECTION, election.id, reason)
    else:
        _close(admin, election, reason)
    db.session.commit()


def _close(admin, election: Election, reason) -> None:
    counts: dict[int, int] = {}
    ballots = 0
    for choices in db.session.scalars(
        select(Ballot.choices).where(Ballot.election_id == election.id)
    ):
        ballots += 1
        for candidate_id in choices:
            counts[candidate_id] = counts.get(candidate_id, 0) + 1
    candidates = candidates_of(election)
    for candidate in candidates:
        candidate.votes = counts.get(candidate.id, 0)
    # Most approvals first; a tie goes to the earlier nomination. A candidate without a vote is
    # never elected.
    ranked = sorted(candidates, key=lambda c: (-c.votes, c.created_at, c.id))
    now = utcnow()
    election.phase = ElectionPhase.CLOSED
    election.closed_at = now
    election.ballot_count = ballots
    elected = [candidate for candidate in ranked[: election.seats] if candidate.votes > 0]
    for candidate in elected:  # a candidate without a single approval is never elected
        candidate.elected = True
        _start_term(candidate.user, now + timedelta(days=election.term_days), election.id)
    # One act, one row: the elected are named in it (and on the election's page).
    service.record(
        admin,
        ActionKind.CLOSE_ELECTION,
        ELECTION,
        election.id,
        reason,
        details={"ballots": ballots, "elected": [c.user.username for c in elected]},
    )


def results(election: Election) -> list[Result]:
    if election.phase != ElectionPhase.CLOSED:
        return []
    return [Result(c, c.votes or 0, c.elected) for c in candidates_of(election)]


# Terms


def _start_term(user: User, ends_at, election_id: int | None = None) -> ModeratorTerm:
    if user.role == Role.MEMBER:
        user.role = Role.MODERATOR
    term = ModeratorTerm(user_id=user.id, election_id=election_id, ends_at=ends_at)
    db.session.add(term)
    return term


def current_terms() -> dict[int, ModeratorTerm]:
    """The running term of each moderator who has one (the latest end wins)."""
    terms: dict[int, ModeratorTerm] = {}
    for term in db.session.scalars(select(ModeratorTerm).where(ModeratorTerm.ended_at.is_(None))):
        known = terms.get(term.user_id)
        if known is None or (
            known.ends_at is not None and (term.ends_at is None or term.ends_at > known.ends_at)
        ):
            terms[term.user_id] = term
    return terms


def moderators() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_((Role.MODERATOR, Role.ADMIN)))
            .order_by(User.username_key)
        )
    )


def appoint(admin, user: User, reason, days: int | None = None) -> None:
    """An administrator appoints a moderator (command line), for `days` or without end."""
    if admin is not None and not admin.is_admin:
        raise PermissionDenied(_("Only administrators appoint moderators."))
    reason = service.clean_reason(reason)
    if user.is_moderator:
        raise DomainError(_("This member is already a moderator."))
    ends_at = utcnow() + timedelta(days=days) if days else None
    _start_term(user, ends_at)
    service.record(
        admin, ActionKind.APPOINT, MEMBER, user.id, reason, member_id=user.id, ends_at=ends_at
    )
    db.session.commit()


def _end_terms(user: User, now) -> None:
    for term in db.session.scalars(
        select(ModeratorTerm).where(
            ModeratorTerm.user_id == user.id, ModeratorTerm.ended_at.is_(None)
        )
    ):
        term.ended_at = now


def remove(admin, user: User, reason) -> None:
    """An administrator removes a moderator (command line)."""
    if admin is not None and not admin.is_admin:
        raise PermissionDenied(_("Only administrators remove moderators."))
    reason = service.clean_reason(reason)
    if user.role != Role.MODERATOR:
        raise DomainError(_("This member is not a moderator."))
    user.role = Role.MEMBER
    _end_terms(user, utcnow())
    service.record(admin, ActionKind.REMOVE_MODERATOR, MEMBER, user.id, reason, member_id=user.id)
    db.session.commit()


def expire_terms(now=None) -> int:
    """End every term whose end date passed; a moderator left without a running term becomes a
    member again (administrators keep their role). Returns how many terms ended."""
    now = now or utcnow()
    ended = list(
        db.session.scalars(
            select(ModeratorTerm).where(
                ModeratorTerm.ended_at.is_(None),
                ModeratorTerm.ends_at.is_not(None),
                ModeratorTerm.ends_at <= now,
            )
        )
    )
    for term in ended:
        term.ended_at = now
    db.session.flush()
    for user in {term.user for term in ended}:
        running = db.session.scalar(
            select(func.count())
            .select_from(ModeratorTerm)
            .where(ModeratorTerm.user_id == user.id, ModeratorTerm.ended_at.is_(None))
        )
        if running == 0 and user.role == Role.MODERATOR:
            user.role = Role.MEMBER
            service.record(None, ActionKind.TERM_ENDED, MEMBER, user.id, member_id=user.id)
    db.session.commit()
    return len(ended)
