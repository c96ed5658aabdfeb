"""Task flag rules: flag once, "I saw this too", confirm or dismiss with a reason, reopen,
withdraw, and keep the warning counts of requesters and platforms in step."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from community.accounts import service as accounts
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.core.database import lock_row, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota
from community.core.markup import plain_excerpt, render_markdown
from community.core.pagination import Page, paginate
from community.extensions import db
from community.flags import permissions
from community.flags.models import (
    DecisionAction,
    Flag,
    FlagCategory,
    FlagDecision,
    FlagSeenToo,
    FlagStatus,
)
from community.search import service as search

EARLIEST_SEEN_ON = date(2000, 1, 1)
# A member east of UTC may already live tomorrow: one day of grace, and no more.
FUTURE_GRACE = timedelta(days=1)
TASK_TITLE_MAX_CHARS = 200
EXCERPT_CHARS = 280
SEARCH_KIND = "flag"


@dataclass(frozen=True)
class FlagData:
    platform_id: int
    task_title: str
    category: str
    description: str
    seen_on: date
    disturbing: bool = False
    requester_external_id: str | None = None
    requester_name: str | None = None


@dataclass(frozen=True)
class FlagFilters:
    category: str | None = None
    platform_id: int | None = None
    requester_id: int | None = None
    status: str | None = None


@dataclass(frozen=True)
class Warnings:
    """What a requester or platform page shows: its latest warnings and the flags still open."""

    latest: list[Flag]
    count: int  # every confirmed, visible flag (the stored warning_count)
    open_flags: int


def latest_allowed_day() -> date:
    return (utcnow() + FUTURE_GRACE).date()


def shows_folded(category: str, disturbing: bool) -> bool:
    """Flags about disturbing content are always folded, whatever the box said."""
    return bool(disturbing or category == FlagCategory.DISTURBING)


# Reading


def get_flag_or_404(flag_id: int) -> Flag:
    flag = db.session.get(Flag, flag_id)
    if flag is None or flag.visibility == Visibility.DELETED:
        raise NotFound(_("This task flag does not exist or was withdrawn."))
    return flag


def get_visible_flag_for(user, flag_id: int) -> Flag:
    flag = get_flag_or_404(flag_id)
    if not permissions.can_see(user, flag):
        raise NotFound(_("This task flag is not public."))
    return flag


def list_flags(filters: FlagFilters, page: int, per_page: int) -> Page[Flag]:
    """Visible flags, newest first, by category, platform, requester and status."""
    query = select(Flag).where(Flag.visibility == Visibility.VISIBLE)
    if filters.category:
        query = query.where(Flag.category == filters.category)
    if filters.platform_id:
        query = query.where(Flag.platform_id == filters.platform_id)
    if filters.requester_id:
        query = query.where(Flag.requester_id == filters.requester_id)
    if filters.status:
        query = query.where(Flag.status == filters.status)
    query = query.order_by(Flag.created_at.desc(), Flag.id.desc())
    return paginate(db.session, query, page, per_page)


def _confirmed():
    return (Flag.status == FlagStatus.CONFIRMED) & (Flag.visibility == Visibility.VISIBLE)


def _about(target: Platform | Requester):
    if isinstance(target, Requester):
        return Flag.requester_id == target.id
    return Flag.platform_id == target.id


def warnings_of(target: Platform | Requester, limit: int = 5) -> Warnings:
    latest = db.session.scalars(
        select(Flag)
        .where(_about(target), _confirmed())
        .order_by(Flag.decided_at.desc(), Flag.id.desc())
        .limit(limit)
    ).all()
    open_flags = db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(
            _about(target),
            Flag.status == FlagStatus.OPEN,
            Flag.visibility == Visibility.VISIBLE,
        )
    )
    return Warnings(list(latest), target.warning_count, open_flags)


def warnings_of_requesters(requester_ids: list[int]) -> dict[int, list[Flag]]:
    """The confirmed, visible flags of many requesters at once, latest first: one query (the
    browser add-on annotates a whole task list with it)."""
    found: dict[int, list[Flag]] = {requester_id: [] for requester_id in requester_ids}
    if not requester_ids:
        return found
    # Sorted here, per requester: sorting in SQL made SQLite walk every warning in date order
    # instead of reading these requesters' own through their index.
    rows = db.session.scalars(
        select(Flag)
        .options(lazyload("*"))
        .where(Flag.requester_id.in_(requester_ids), _confirmed())
    )
    for flag in sorted(rows, key=lambda flag: (flag.decided_at, flag.id), reverse=True):
        found[flag.requester_id].append(flag)
    return found


def latest_warnings(limit: int = 5) -> list[Flag]:
    """The latest confirmed flags anywhere (home page)."""
    return list(
        db.session.scalars(
            select(Flag)
            .where(_confirmed())
            .order_by(Flag.decided_at.desc(), Flag.id.desc())
            .limit(limit)
        )
    )


def scam_warnings(platform: Platform) -> int:
    """Confirmed "deception or scam" flags about the platform itself: the input of the "Is it
    legit?" card. A scam by one requester on a marketplace warns on that requester's page; it
    does not make the whole marketplace a scam."""
    return db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(
            Flag.platform_id == platform.id,
            Flag.requester_id.is_(None),
            Flag.category == FlagCategory.SCAM,
            _confirmed(),
        )
    )


def seen_too_of(flag: Flag) -> list[FlagSeenToo]:
    return list(
        db.session.scalars(
            select(FlagSeenToo)
            .where(FlagSeenToo.flag_id == flag.id)
            .order_by(FlagSeenToo.created_at, FlagSeenToo.id)
        )
    )


def has_seen_too(user, flag: Flag) -> bool:
    if not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(FlagSeenToo.id).where(
                FlagSeenToo.flag_id == flag.id, FlagSeenToo.user_id == user.id
            )
        )
        is not None
    )


def decisions_of(flag: Flag) -> list[FlagDecision]:
    return list(
        db.session.scalars(
            select(FlagDecision)
            .where(FlagDecision.flag_id == flag.id)
            .order_by(FlagDecision.created_at, FlagDecision.id)
        )
    )


def flags_posted_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(Flag.author_id == user.id, Flag.created_at >= since)
    )


# Stored counts


def refresh_warning_counts(platform_id: int, requester_id: int | None) -> None:
    """Recount the warnings of a platform and requester after any change of a flag's status or
    visibility (moderation calls it too). The caller commits."""
    db.session.flush()

    def count(condition) -> int:
        return db.session.scalar(
            select(func.count()).select_from(Flag).where(condition, _confirmed())
        )

    platform = db.session.get(Platform, platform_id)
    lock_row(db.session, platform)
    platform.warning_count = count(Flag.platform_id == platform_id)
    if requester_id is not None:
        requester = db.session.get(Requester, requester_id)
        lock_row(db.session, requester)
        requester.warning_count = count(Flag.requester_id == requester_id)


def recount_all_warnings() -> None:
    """Every stored warning count, from the flags (demo data, repairs). The caller commits."""
    for model, column in ((Platform, Flag.platform_id), (Requester, Flag.requester_id)):
        counted = (
            select(func.count())
            .select_from(Flag)
            .where(column == model.id, _confirmed())
            .scalar_subquery()
        )
        db.session.execute(
            update(model).values(warning_count=counted).execution_options(synchronize_session=False)
        )


def _changed(flag: Flag) -> None:
    """After a change of status or visibility: counts and the index follow, in the same
    transaction. The caller commits."""
    refresh_warning_counts(flag.platform_id, flag.requester_id)
    search.enqueue(SEARCH_KIND, flag.id)


def _locked(flag: Flag) -> Flag:
    """The flag as committed, locked until the end of the transaction (two trusted members
    deciding at the same moment: the second sees the first's decision)."""
    lock_row(db.session, flag)
    return flag


# Flagging


def _check(data: FlagData) -> None:
    config = current_app.config
    if data.category not in set(FlagCategory):
        raise DomainError(_("Choose the category of the problem from the list."))
    title = (data.task_title or "").strip()
    if not title:
        raise DomainError(_("Give the title or identifier of the task."))
    if len(title) > TASK_TITLE_MAX_CHARS:
        raise DomainError(
            _("A task title has at most %(count)d characters.", count=TASK_TITLE_MAX_CHARS)
        )
    text = (data.description or "").strip()
    if len(text) < config["FLAG_DESCRIPTION_MIN_CHARS"]:
        raise DomainError(
            _(
                "Please describe what is wrong with the task in at least %(count)d characters.",
                count=config["FLAG_DESCRIPTION_MIN_CHARS"],
            )
        )
    if len(text) > config["FLAG_DESCRIPTION_MAX_CHARS"]:
        raise DomainError(
            _(
                "A description has at most %(count)d characters.",
                count=config["FLAG_DESCRIPTION_MAX_CHARS"],
            )
        )
    if data.seen_on > latest_allowed_day():
        raise DomainError(_("The date you saw the task cannot be in the future."))
    if data.seen_on < EARLIEST_SEEN_ON:
        raise DomainError(_("Give the date you saw the task, after the year 2000."))


def _by_key(author, submission_key: str) -> Flag | None:
    return db.session.scalar(
        select(Flag).where(Flag.author_id == author.id, Flag.submission_key == submission_key)
    )


def submit_flag(author, data: FlagData, submission_key: str) -> Flag:
    """Publish a flag, open until a trusted member decides. The same form sent twice (same
    submission key) returns the first flag. A refusal stores nothing."""
    if not permissions.can_flag(author):
        raise PermissionDenied(_("Log in to flag a task."))
    existing = _by_key(author, submission_key)
    if existing is not None:
        return existing
    check_daily_quota(author, "flag", flags_posted_today(author))
    _check(data)
    platform, requester = catalog.resolve_target(
        data.platform_id, data.requester_external_id, data.requester_name
    )
    description = data.description.strip()
    flag = Flag(
        author_id=author.id,
        platform_id=platform.id,
        requester_id=requester.id if requester else None,
        task_title=data.task_title.strip(),
        category=data.category,
        description=description,
        description_html=str(render_markdown(description)),
        excerpt=plain_excerpt(description, EXCERPT_CHARS),
        seen_on=data.seen_on,
        disturbing=shows_folded(data.category, data.disturbing),
        status=FlagStatus.OPEN,
        submission_key=submission_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:  # the same form, sent twice at the same moment
        return _by_key(author, submission_key)
    accounts.count_contribution(author, +1)
    search.enqueue(SEARCH_KIND, flag.id)
    db.session.commit()
    return flag


# "I saw this too"


def say_seen_too(user, flag: Flag) -> FlagSeenToo:
    """The member saw the same task. Once per member and flag; never on one's own flag."""
    if not permissions.can_say_seen_too(user, flag):
        if user.is_authenticated and flag.author_id == user.id:
            raise PermissionDenied(_("You flagged this task yourself: others say they saw it too."))
        if not user.is_authenticated:
            raise PermissionDenied(_("Log in to say you saw this task too."))
        raise PermissionDenied(_("This flag is not public."))
    if has_seen_too(user, flag):
        raise DomainError(_("You already said you saw this task too. Once is enough."))
    seen = FlagSeenToo(flag_id=flag.id, user_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(seen)
    except IntegrityError as error:  # a second click that overtook the first
        raise DomainError(_("You already said you saw this task too. Once is enough.")) from error
    recount_seen_too(flag)
    db.session.commit()
    return seen


def recount_seen_too(flag: Flag) -> None:
    """The stored count of "I saw this too", from the rows. The caller commits."""
    db.session.flush()
    flag.seen_too_count = db.session.scalar(
        select(func.count()).select_from(FlagSeenToo).where(FlagSeenToo.flag_id == flag.id)
    )


# Decisions


def clean_reason(reason: str | None) -> str:
    """The written reason every decision needs, or a DomainError saying what is missing."""
    text = (reason or "").strip()
    minimum = current_app.config["FLAG_REASON_MIN_CHARS"]
    maximum = current_app.config["FLAG_REASON_MAX_CHARS"]
    if len(text) < minimum:
        raise DomainError(
            _(
                "Write the reason for your decision, in at least %(count)d characters.",
                count=minimum,
            )
        )
    if len(text) > maximum:
        raise DomainError(_("A reason has at most %(count)d characters.", count=maximum))
    return text


def ensure_can_decide(user, flag: Flag) -> None:
    """Raise the refusal that fits, unless `user` may confirm or dismiss `flag` now."""
    if permissions.can_decide(user, flag):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in as a trusted member to confirm or dismiss flags."))
    if flag.author_id == user.id:
        raise PermissionDenied(_("You cannot confirm or dismiss your own flag."))
    if flag.visibility != Visibility.VISIBLE:
        raise PermissionDenied(_("Only a public flag can be confirmed or dismissed."))
    if flag.status != FlagStatus.OPEN:
        raise DomainError(_("This flag was already decided. A moderator can reopen it."))
    raise PermissionDenied(
        _("Trusted members (trust level 2) and moderators confirm or dismiss flags.")
    )


def _record(flag: Flag, actor, action: str, reason: str) -> None:
    db.session.add(FlagDecision(flag_id=flag.id, actor_id=actor.id, action=action, reason=reason))


def _decide(user, flag: Flag, status: str, reason: str) -> None:
    ensure_can_decide(user, _locked(flag))
    reason = clean_reason(reason)
    flag.status = status
    flag.decided_by_id = user.id
    flag.decided_at = utcnow()
    flag.decision_reason = reason
    action = DecisionAction.CONFIRM if status == FlagStatus.CONFIRMED else DecisionAction.DISMISS
    _record(flag, user, action, reason)
    _changed(flag)
    db.session.commit()


def confirm_flag(user, flag: Flag, reason: str) -> None:
    """A trusted member or a moderator confirms the flag: it becomes a warning on the requester
    and platform pages (and a scam warning on the "Is it legit?" card if it is one)."""
    _decide(user, flag, FlagStatus.CONFIRMED, reason)


def dismiss_flag(user, flag: Flag, reason: str) -> None:
    _decide(user, flag, FlagStatus.DISMISSED, reason)


def ensure_can_reopen(user, flag: Flag) -> None:
    """Raise the refusal that fits, unless `user` may reopen `flag` now."""
    if permissions.can_reopen(user, flag):
        return
    if user.is_authenticated and user.is_moderator:
        if flag.status == FlagStatus.OPEN:
            raise DomainError(_("This flag is already open."))
        raise PermissionDenied(
            _("Moderators cannot act on their own flag, or on a flag that is not public.")
        )
    raise PermissionDenied(_("Only moderators can reopen a decided flag."))


def reopen_flag(moderator, flag: Flag, reason: str) -> None:
    """A moderator sends a decided flag back to open; the earlier decision stays in its history."""
    ensure_can_reopen(moderator, _locked(flag))
    reason = clean_reason(reason)
    flag.status = FlagStatus.OPEN
    flag.decided_by_id = None
    flag.decided_at = None
    flag.decision_reason = None
    _record(flag, moderator, DecisionAction.REOPEN, reason)
    _changed(flag)
    db.session.commit()


def withdraw_flag(user, flag: Flag) -> None:
    """The author takes their flag down: it leaves every page, warning counts and the index."""
    if not permissions.can_withdraw(user, flag):
        raise PermissionDenied(_("Only the author can withdraw this flag."))
    if flag.visibility in (Visibility.VISIBLE, Visibility.HELD):
        accounts.count_contribution(user, -1)
    flag.visibility = Visibility.DELETED
    flag.hidden_reason = "withdrawn"
    _changed(flag)
    db.session.commit()
