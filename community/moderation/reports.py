"""Reports: any member reports any content once (while their report is open), each report
weighs by the reporter's trust level, and an item is hidden "pending review" as soon as its
open reports weigh REPORT_AUTOHIDE_WEIGHT. Reporters are never shown publicly."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.core.content import Visibility, can_read, is_author
from community.core.database import lock_row, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota
from community.extensions import db
from community.moderation import items, service
from community.moderation.models import ActionKind, Report, ReportReason, ReportStatus
from community.notifications.models import NotificationKind

SENSITIVE_REPORTS = frozenset({ReportReason.PERSONAL_INFO, ReportReason.ILLEGAL})


@dataclass(frozen=True)
class ReportData:
    reason: str
    details: str = ""


def weight_of(user) -> int:
    config = current_app.config
    if user.is_moderator:
        return config["REPORT_MODERATOR_WEIGHT"]
    return config["REPORT_WEIGHTS"][min(user.trust_level, 2)]


def reports_made_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Report)
        .where(Report.reporter_id == user.id, Report.created_at >= since)
    )


def has_open_report(user, kind: str, item_id: int) -> bool:
    return (
        db.session.scalar(
            select(Report.id).where(
                Report.reporter_id == user.id,
                Report.kind == kind,
                Report.item_id == item_id,
                Report.status == ReportStatus.OPEN,
            )
        )
        is not None
    )


def _check(user, kind: str, item, data: ReportData) -> str:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to report content."))
    if item.visibility == Visibility.DELETED or not can_read(user, item):
        raise NotFound(_("This content does not exist."))
    if is_author(user, item):
        raise PermissionDenied(_("You cannot report your own content. You can edit or delete it."))
    if data.reason not in items.kind(kind).reasons:
        raise DomainError(_("Choose the reason for your report from the list."))
    details = (data.details or "").strip()
    maximum = current_app.config["REPORT_DETAILS_MAX_CHARS"]
    if data.reason == ReportReason.OTHER and len(details) < 10:
        raise DomainError(_("Say in a few words what is wrong (at least 10 characters)."))
    if len(details) > maximum:
        raise DomainError(_("A report has at most %(count)d characters.", count=maximum))
    return details


def _already() -> DomainError:
    return DomainError(
        _(
            "You already reported this, and the moderators have not decided yet. "
            "One report per member is enough: it keeps its full weight."
        )
    )


def report(user, kind: str, item_id: int, data: ReportData) -> Report:
    """Record a report, queue the item, and hide it pending review once reports weigh enough."""
    item = items.get(kind, item_id)
    lock_row(db.session, item)  # the item's reports are counted and weighed one at a time
    details = _check(user, kind, item, data)
    if has_open_report(user, kind, item.id):
        raise _already()
    check_daily_quota(user, "report", reports_made_today(user))
    row = Report(
        kind=kind,
        item_id=item.id,
        reporter_id=user.id,
        reason=data.reason,
        details=details,
        weight=weight_of(user),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:  # a second click that overtook the first
        raise _already() from error
    entry = service.open_entry(kind, item.id)
    entry.open_reports += 1
    entry.open_weight += row.weight
    _hide_when_heavy(kind, item, entry.open_weight)
    db.session.commit()
    return row


def _hide_when_heavy(kind: str, item, weight: int) -> None:
    sensitive = (
        db.session.scalar(
            select(Report.id).where(
                Report.kind == kind,
                Report.item_id == item.id,
                Report.status == ReportStatus.OPEN,
                Report.reason.in_(SENSITIVE_REPORTS),
            )
        )
        is not None
    )
    pending = service.PENDING_SENSITIVE if sensitive else service.PENDING_REVIEW
    if item.visibility == Visibility.HIDDEN and item.hidden_reason == service.PENDING_REVIEW:
        if sensitive:  # reported for personal information while folded: out of public view
            item.hidden_reason = service.PENDING_SENSITIVE
        return
    if item.visibility != Visibility.VISIBLE:
        return
    if weight < current_app.config["REPORT_AUTOHIDE_WEIGHT"]:
        return
    service.set_visibility(item, Visibility.HIDDEN, pending)
    action = service.record(None, ActionKind.AUTO_HIDE, kind, item.id, member_id=item.author_id)
    service.notify_author(item, kind, NotificationKind.CONTENT_HIDDEN, None, action)
