from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.core.limits import limit_read_marks
from community.core.pagination import page_number
from community.core.views import safe_next
from community.notifications import service

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def unread_notifications() -> dict:
    def count() -> int:
        return service.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": count}


@bp.get("/notifications")
@login_required
def index():
    page = service.notifications_of(current_user, page_number(request.args.get("page")))
    return render_template("notifications/index.html", notifications=page)


@bp.post("/notifications/<int:notification_id>/open")
@login_required
@limit_read_marks
def open_notification(notification_id: int):
    notification = service.open_notification(current_user, notification_id)
    if notification.link:
        return redirect(safe_next(notification.link, url_for("notifications.index")))
    if notification.post_id:
        return redirect(url_for("forum.post", post_id=notification.post_id))
    if notification.thread_id:
        return redirect(url_for("forum.thread", thread_id=notification.thread_id))
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required
@limit_read_marks
def mark_all_read():
    service.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))
