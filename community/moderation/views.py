from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.accounts import service as accounts
from community.catalog import service as catalog
from community.core.content import can_read, is_author
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import options
from community.core.limits import limit_writes
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.forum import service as forum
from community.forum.views import category_name
from community.moderation import (
    appeals,
    disputes,
    elections,
    items,
    log,
    merges,
    permissions,
    replies,
    reports,
    rules,
    sanctions,
    service,
    threads,
)
from community.moderation.forms import (
    ACTION_LABELS,
    APPEAL_STATUS_LABELS,
    CLAIM_STATUS_LABELS,
    DISPUTE_KIND_LABELS,
    DISPUTE_STATUS_LABELS,
    HIDDEN_REASON_LABELS,
    KIND_LABELS,
    PHASE_LABELS,
    REPORT_REASON_LABELS,
    SIDE_LABELS,
    ActionForm,
    AppealForm,
    ClaimForm,
    DecisionForm,
    DisputeForm,
    ElectionForm,
    MergeForm,
    NominationForm,
    ReplyForm,
    ReportForm,
    StatementForm,
)
from community.moderation.models import DisputeKind
from community.reviews import service as reviews

bp = Blueprint("moderation", __name__)

PAGE_SIZE = 20
CONTENT_ACTS = ("dismiss", "hide", "restore", "delete", "request_edit")
THREAD_ACTS = ("lock", "unlock", "pin", "unpin", "move")
SANCTION_ACTS = ("warn", "suspend", "ban", "lift")


@bp.app_context_processor
def moderation_helpers() -> dict:
    return {
        "moderation_permissions": permissions,
        "can_read_content": can_read,
        "hidden_reason_labels": HIDDEN_REASON_LABELS,
        "report_reason_labels": REPORT_REASON_LABELS,
        "moderation_kind_labels": KIND_LABELS,
        "moderation_action_labels": ACTION_LABELS,
        "review_replies": replies.replies_to,
        "representations": replies.represented_requesters,
    }


def _moderators_only() -> None:
    if not permissions.is_moderator(current_user):
        raise PermissionDenied(_("Only moderators can see this page."))


def _reason(form: ActionForm) -> service.Reason:
    return service.Reason(form.reason.data or "", form.rule.data or None)


def _fill_action_form(form: ActionForm, kind: str | None = None) -> ActionForm:
    current = rules.current()
    form.rule.choices = options(
        [
            (0, _("No rule cited")),
            *((r.number, f"{r.number}. {r.title}") for r in current.localized()),
        ]
    )
    reasons = items.kind(kind).hide_reasons if kind else ()
    form.code.choices = options((code, HIDDEN_REASON_LABELS[code]) for code in reasons)
    form.category_id.choices = options(
        [(0, _("Choose…"))]
        + [(c.id, category_name(c)) for c in forum.general_categories()]
        + [(c.id, p.name) for p, c in forum.platform_forums() if c is not None]
    )
    return form


# Reporting (every member)


@bp.route("/report/<kind>/<int:item_id>", methods=["GET", "POST"])
@login_required
@limit_writes
def report(kind: str, item_id: int):
    item = items.get(kind, item_id)
    if not can_read(current_user, item):
        raise NotFound(_("This content does not exist."))
    if is_author(current_user, item):
        raise PermissionDenied(_("You cannot report your own content. You can edit or delete it."))
    form = ReportForm()
    form.reason.choices = options(
        (code, REPORT_REASON_LABELS[code]) for code in items.kind(kind).reasons
    )
    already = reports.has_open_report(current_user, kind, item.id)

    def page():
        return render_template(
            "moderation/report.html",
            form=form,
            kind=kind,
            item=item,
            summary=items.kind(kind).summary(item),
            already=already,
        )

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    reports.report(
        current_user, kind, item.id, reports.ReportData(form.reason.data, form.details.data or "")
    )
    flash(_("Thank you — the moderators will look at it. Your report is never shown publicly."))
    return redirect(items.kind(kind).public_url(item))


# The queue and acting on an item (moderators)


@bp.get("/moderation")
@login_required
def queue():
    _moderators_only()
    sort = "oldest" if request.args.get("sort") == "oldest" else "heaviest"
    page = service.queue(sort, page_number(request.args.get("page")), PAGE_SIZE)
    by_kind: dict[str, list[int]] = {}
    for entry in page.items:
        by_kind.setdefault(entry.kind, []).append(entry.item_id)
    found = {kind: items.get_many(kind, ids) for kind, ids in by_kind.items()}
    open_reports = {kind: service.open_reports_of(kind, ids) for kind, ids in by_kind.items()}
    rows = []
    for entry in page.items:
        item = found[entry.kind].get(entry.item_id)
        entry_reports = open_reports[entry.kind].get(entry.item_id, [])
        rows.append(
            {
                "entry": entry,
                "item": item,
                "summary": items.kind(entry.kind).summary(item) if item else "",
                "reasons": Counter(report.reason for report in entry_reports),
                "reporters": [r.reporter for r in entry_reports if r.reporter is not None],
            }
        )
    return render_template(
        "moderation/queue.html",
        page=page,
        rows=rows,
        sort=sort,
        waiting=log.waiting_counts(),
    )


def _action_form_for(reports) -> ActionForm:
    """An empty form whose reason is the one members reported most."""
    reasons = Counter(report.reason for report in reports)
    return ActionForm(formdata=None, code=reasons.most_common(1)[0][0] if reasons else None)


def _item_page(kind: str, item, form: ActionForm | None = None) -> str:
    author = sanctions.get_member_or_404(item.author_id) if item.author_id else None
    thread = item if kind == "thread" else None
    reports = service.reports_of(kind, item.id)
    return render_template(
        "moderation/item.html",
        kind=kind,
        item=item,
        author=author,
        summary=items.kind(kind).summary(item),
        body_html=items.kind(kind).body_html(item),
        public_url=items.kind(kind).public_url(item),
        reports=reports,
        history=service.actions_on(kind, item.id),
        form=form or _fill_action_form(_action_form_for(reports), kind),
        can_act=permissions.can_moderate(current_user, kind, item),
        thread=thread,
    )


@bp.get("/moderation/items/<kind>/<int:item_id>")
@login_required
def item(kind: str, item_id: int):
    _moderators_only()
    return _item_page(kind, items.get(kind, item_id))


@bp.post("/moderation/items/<kind>/<int:item_id>/<act>")
@login_required
@limit_writes
def act(kind: str, item_id: int, act: str):
    _moderators_only()
    target = items.get(kind, item_id)
    form = _fill_action_form(ActionForm(), kind)
    on_refusal(lambda: _item_page(kind, target, form))
    if act not in CONTENT_ACTS and not (kind == "thread" and act in THREAD_ACTS):
        abort(404)
    if not form.validate():
        return _item_page(kind, target, form), 422
    reason = _reason(form)
    if act == "dismiss":
        service.dismiss_reports(current_user, kind, item_id, reason)
        flash(_("The reports are dismissed."))
    elif act == "hide":
        service.hide(current_user, kind, item_id, form.code.data, reason)
        flash(_("The content is hidden. Its author can appeal."))
    elif act == "restore":
        service.restore(current_user, kind, item_id, reason)
        flash(_("The content is public again."))
    elif act == "delete":
        service.delete(current_user, kind, item_id, form.code.data, reason)
        flash(_("The content is deleted. Its author can appeal."))
    elif act == "request_edit":
        service.request_edit(current_user, kind, item_id, reason)
        flash(_("The author is asked to edit their content."))
    elif act == "move":
        threads.move(current_user, item_id, form.category_id.data or 0, reason)
        flash(_("The thread is moved."))
    else:
        getattr(threads, act)(current_user, item_id, reason)
        flash(_("Done. The act is in the moderation log."))
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))


# Members (moderators)


def _member_page(member, form: ActionForm | None = None) -> str:
    return render_template(
        "moderation/member.html",
        member=member,
        history=appeals.actions_affecting(member, 1, 50).items,
        form=form or _fill_action_form(ActionForm(formdata=None)),
        can_sanction=permissions.can_sanction(current_user, member),
    )


@bp.get("/moderation/members/<username>")
@login_required
def member(username: str):
    _moderators_only()
    return _member_page(accounts.get_member_or_404(username))


@bp.post("/moderation/members/<username>/<act>")
@login_required
@limit_writes
def sanction(username: str, act: str):
    _moderators_only()
    if act not in SANCTION_ACTS:
        abort(404)
    member = accounts.get_member_or_404(username)
    form = _fill_action_form(ActionForm())
    on_refusal(lambda: _member_page(member, form))
    if not form.validate():
        return _member_page(member, form), 422
    reason = _reason(form)
    if act == "suspend":
        sanctions.suspend(current_user, member, form.days.data or 0, reason)
    else:
        getattr(sanctions, act)(current_user, member, reason)
    flash(_("Done. The act is in the moderation log."))
    return redirect(url_for("moderation.member", username=member.username))


# Merges (moderators)


@bp.route("/moderation/merge", methods=["GET", "POST"])
@login_required
@limit_writes
def merge():
    _moderators_only()
    form = MergeForm()

    def page():
        return render_template("moderation/merge.html", form=form)

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    loser, survivor = form.loser.data.strip(), form.survivor.data.strip()
    if form.what.data == "platform":
        kept = catalog.get_platform_by_slug_or_404(survivor)
        lost = catalog.get_platform_by_slug_or_404(loser)
        merges.merge_platforms(current_user, lost.id, kept.id, form.reason.data)
        flash(_("The platforms are merged."))
        return redirect(url_for("catalog.platform", slug=kept.slug))
    if not loser.isdigit() or not survivor.isdigit():
        raise DomainError(_("Give each requester by its number, as in its address."))
    merges.merge_requesters(current_user, int(loser), int(survivor), form.reason.data)
    flash(_("The requesters are merged."))
    return redirect(url_for("catalog.requester", requester_id=int(survivor)))


# The public log


@bp.get("/moderation/log")
def public_log():
    action = request.args.get("action", "")
    kind = request.args.get("kind", "")
    action = action if action in ACTION_LABELS else ""
    kind = kind if kind in KIND_LABELS else ""
    page = log.entries(action or None, kind or None, page_number(request.args.get("page")), 30)
    return render_template(
        "moderation/log.html",
        page=page,
        targets=log.targets(page.items),
        action=action,
        kind=kind,
    )


# Appeals


@bp.get("/me/moderation")
@login_required
def my_actions():
    page = appeals.actions_affecting(current_user, page_number(request.args.get("page")), 30)
    return render_template(
        "moderation/mine.html",
        page=page,
        targets=log.targets(page.items, reader=current_user),
        appeals_by_action=appeals.appeals_by_action([a.id for a in page.items]),
        open_for_appeal={a.id for a in page.items if appeals.is_open_for_appeal(current_user, a)},
    )


@bp.route("/moderation/actions/<int:action_id>/appeal", methods=["GET", "POST"])
@login_required
@limit_writes
def appeal_new(action_id: int):
    action = appeals.get_action_or_404(action_id)
    if not permissions.can_appeal(current_user, action):
        raise PermissionDenied(_("Only the member this act affects can appeal it."))
    form = AppealForm()

    def page():
        return render_template(
            "moderation/appeal_new.html",
            form=form,
            action=action,
            target=log.targets([action], reader=current_user)[action.id],
            window_ends=appeals.window_ends(action),
        )

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    appeal = appeals.file_appeal(current_user, action, form.statement.data)
    flash(_("Your appeal is filed. A different moderator will decide, and you will be told."))
    return redirect(url_for("moderation.appeal", appeal_id=appeal.id))


def _appeal_decision_form(bound: bool = True) -> DecisionForm:
    form = DecisionForm() if bound else DecisionForm(formdata=None)
    form.decision.choices = options(
        [("overturn", _("Overturn the decision")), ("uphold", _("Uphold the decision"))]
    )
    return form


def _appeal_page(appeal, form=None) -> str:
    action = appeal.action
    return render_template(
        "moderation/appeal.html",
        appeal=appeal,
        action=action,
        target=log.targets([action], reader=current_user)[action.id],
        form=form or _appeal_decision_form(bound=False),
        status_labels=APPEAL_STATUS_LABELS,
    )


@bp.get("/appeals/<int:appeal_id>")
@login_required
def appeal(appeal_id: int):
    return _appeal_page(appeals.get_readable_appeal(current_user, appeal_id))


@bp.post("/appeals/<int:appeal_id>/decide")
@login_required
@limit_writes
def decide_appeal(appeal_id: int):
    _moderators_only()
    appeal = appeals.get_appeal_or_404(appeal_id)
    form = _appeal_decision_form()
    on_refusal(lambda: _appeal_page(appeal, form))
    if not form.validate():
        return _appeal_page(appeal, form), 422
    appeals.decide(current_user, appeal, form.decision.data == "overturn", form.reason.data)
    flash(_("The appeal is decided. The decision is in the moderation log."))
    return redirect(url_for("moderation.appeal", appeal_id=appeal.id))


@bp.get("/moderation/appeals")
@login_required
def appeals_list():
    _moderators_only()
    page = appeals.open_appeals(page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(
        "moderation/appeals.html",
        page=page,
        targets=log.targets([a.action for a in page.items], reader=current_user),
    )


# Claims and the right of reply


@bp.route("/requesters/<int:requester_id>/claim", methods=["GET", "POST"])
@login_required
@limit_writes
def claim(requester_id: int):
    requester = catalog.get_requester_or_404(requester_id)
    form = ClaimForm()
    existing = replies.active_claim(current_user, requester)

    def page():
        return render_template(
            "moderation/claim.html",
            form=form,
            requester=requester,
            existing=existing,
            status_labels=CLAIM_STATUS_LABELS,
        )

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    replies.claim(current_user, requester, form.evidence.data)
    flash(_("Your claim is sent. A moderator will check your evidence and tell you."))
    return redirect(url_for("catalog.requester", requester_id=requester.id))


def _claims_page(form=None) -> str:
    page = replies.pending_claims(page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(
        "moderation/claims.html", page=page, form=form or _claim_decision_form(bound=False)
    )


def _claim_decision_form(bound: bool = True) -> DecisionForm:
    form = DecisionForm() if bound else DecisionForm(formdata=None)
    form.decision.choices = options([("verify", _("Verify")), ("reject", _("Reject"))])
    return form


@bp.get("/moderation/claims")
@login_required
def claims():
    _moderators_only()
    return _claims_page()


@bp.post("/moderation/claims/<int:claim_id>")
@login_required
@limit_writes
def decide_claim(claim_id: int):
    _moderators_only()
    claim = replies.get_claim_or_404(claim_id)
    form = _claim_decision_form()
    on_refusal(lambda: _claims_page(form))
    if not form.validate():
        return _claims_page(form), 422
    replies.decide_claim(current_user, claim, form.decision.data == "verify", form.reason.data)
    flash(_("The claim is decided; the member is told."))
    return redirect(url_for("moderation.claims"))


@bp.route("/reviews/<int:review_id>/reply", methods=["GET", "POST"])
@login_required
@limit_writes
def reply(review_id: int):
    review = reviews.get_review_or_404(review_id)
    if not permissions.can_reply(current_user, review):
        raise PermissionDenied(
            _("Only a verified representative of this requester can reply to its reviews.")
        )
    form = ReplyForm()

    def page():
        return render_template("moderation/reply.html", form=form, review=review, reply=None)

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    replies.post_reply(current_user, review, form.body.data)
    flash(_("Your reply is published under the review."))
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.route("/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit_reply(reply_id: int):
    reply = replies.get_reply_or_404(reply_id)
    if not permissions.can_edit_reply(current_user, reply):
        raise PermissionDenied(_("Only the representative who wrote this reply can edit it."))
    form = ReplyForm()
    if request.method == "GET":
        form.body.data = reply.body

    def page():
        return render_template("moderation/reply.html", form=form, review=reply.review, reply=reply)

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    replies.edit_reply(current_user, reply, form.body.data)
    flash(_("Your reply is updated."))
    return redirect(url_for("reviews.show", review_id=reply.review_id))


# Disputes


@bp.get("/disputes")
def disputes_list():
    status = request.args.get("status", "")
    status = status if status in DISPUTE_STATUS_LABELS else ""
    page = disputes.list_disputes(status or None, page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(
        "moderation/disputes.html",
        page=page,
        status=status,
        status_labels=DISPUTE_STATUS_LABELS,
        kind_labels=DISPUTE_KIND_LABELS,
    )


@bp.get("/moderation/disputes")
@login_required
def disputes_to_mediate():
    _moderators_only()
    return render_template(
        "moderation/mediation.html",
        page=disputes.waiting_for_mediation(page_number(request.args.get("page")), PAGE_SIZE),
        mine=disputes.in_mediation_by(current_user),
        status_labels=DISPUTE_STATUS_LABELS,
        kind_labels=DISPUTE_KIND_LABELS,
    )


def _dispute_page(dispute, statement_form=None, action_form=None, close_form=None) -> str:
    readable = permissions.can_read_statements(current_user, dispute)
    close = close_form or DecisionForm(formdata=None, prefix="close")
    close.decision.choices = options([("resolved", _("Resolved")), ("dismissed", _("Dismissed"))])
    return render_template(
        "moderation/dispute.html",
        dispute=dispute,
        statements=disputes.statements_of(dispute) if readable else [],
        readable=readable,
        side_labels=SIDE_LABELS["review" if dispute.kind == DisputeKind.REVIEW else "worker"],
        statement_form=statement_form or StatementForm(formdata=None),
        action_form=action_form or ActionForm(formdata=None, prefix="take"),
        close_form=close,
        status_labels=DISPUTE_STATUS_LABELS,
        kind_labels=DISPUTE_KIND_LABELS,
    )


@bp.get("/disputes/<int:dispute_id>")
def dispute(dispute_id: int):
    return _dispute_page(disputes.get_dispute_or_404(dispute_id))


@bp.route("/disputes/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new_dispute():
    review_id = request.args.get("review", type=int)
    review = reviews.get_review_or_404(review_id) if review_id else None
    requester = (
        review.requester
        if review is not None
        else catalog.get_requester_or_404(request.args.get("requester", 0, type=int))
    )
    if review is not None and not permissions.is_representative(current_user, review.requester_id):
        raise PermissionDenied(
            _("Only a verified representative of this requester can dispute its reviews.")
        )
    form = DisputeForm()

    def page():
        return render_template(
            "moderation/dispute_new.html", form=form, review=review, requester=requester
        )

    if request.method == "GET" or not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    data = disputes.StatementData(form.body.data, form.evidence.data or "")
    if review is not None:
        case = disputes.open_about_review(current_user, review, form.title.data, data)
    else:
        case = disputes.open_against_requester(
            current_user, requester, form.kind.data, form.title.data, data
        )
    flash(_("Your case is open. A moderator will take it as mediator."))
    return redirect(url_for("moderation.dispute", dispute_id=case.id))


@bp.post("/disputes/<int:dispute_id>/statements")
@login_required
@limit_writes
def add_statement(dispute_id: int):
    case = disputes.get_dispute_or_404(dispute_id)
    form = StatementForm()
    on_refusal(lambda: _dispute_page(case, statement_form=form))
    if not form.validate():
        return _dispute_page(case, statement_form=form), 422
    disputes.add_statement(
        current_user, case, disputes.StatementData(form.body.data, form.evidence.data or "")
    )
    flash(_("Your statement is added to the case file."))
    return redirect(url_for("moderation.dispute", dispute_id=case.id, _anchor="statements"))


@bp.post("/disputes/<int:dispute_id>/take")
@login_required
@limit_writes
def take_dispute(dispute_id: int):
    case = disputes.get_dispute_or_404(dispute_id)
    form = ActionForm(prefix="take")
    on_refusal(lambda: _dispute_page(case, action_form=form))
    disputes.take(current_user, case, form.reason.data)
    flash(_("You are the mediator of this case."))
    return redirect(url_for("moderation.dispute", dispute_id=case.id))


@bp.post("/disputes/<int:dispute_id>/close")
@login_required
@limit_writes
def close_dispute(dispute_id: int):
    case = disputes.get_dispute_or_404(dispute_id)
    form = DecisionForm(prefix="close")
    form.decision.choices = options([("resolved", _("Resolved")), ("dismissed", _("Dismissed"))])
    on_refusal(lambda: _dispute_page(case, close_form=form))
    if not form.validate():
        return _dispute_page(case, close_form=form), 422
    disputes.close(current_user, case, form.decision.data == "resolved", form.reason.data)
    flash(_("The case is closed; its outcome is public."))
    return redirect(url_for("moderation.dispute", dispute_id=case.id))


# Moderators and elections


@bp.get("/moderators")
def moderators():
    return render_template(
        "moderation/moderators.html",
        moderators=elections.moderators(),
        terms=elections.current_terms(),
        elections=elections.elections(),
        phase_labels=PHASE_LABELS,
        form=ElectionForm(formdata=None),
    )


@bp.post("/elections")
@login_required
@limit_writes
def new_election():
    form = ElectionForm()

    def page():
        return render_template(
            "moderation/moderators.html",
            moderators=elections.moderators(),
            terms=elections.current_terms(),
            elections=elections.elections(),
            phase_labels=PHASE_LABELS,
            form=form,
        )

    on_refusal(page)
    if not permissions.can_run_elections(current_user):
        raise PermissionDenied(_("Only administrators run elections."))
    if not form.validate():
        return page(), 422
    election = elections.open_election(
        current_user, form.title.data, form.seats.data, form.reason.data
    )
    flash(_("The election is open for nominations."))
    return redirect(url_for("moderation.election", election_id=election.id))


def _election_page(election, nomination_form=None, advance_form=None) -> str:
    return render_template(
        "moderation/election.html",
        election=election,
        candidates=elections.candidates_of(election),
        results=elections.results(election),
        has_voted=elections.has_voted(current_user, election),
        my_candidacy=elections.candidate_of(current_user, election),
        nomination_form=nomination_form or NominationForm(formdata=None),
        advance_form=advance_form or ActionForm(formdata=None, prefix="advance"),
        phase_labels=PHASE_LABELS,
    )


@bp.get("/elections/<int:election_id>")
def election(election_id: int):
    return _election_page(elections.get_election_or_404(election_id))


@bp.post("/elections/<int:election_id>/nominate")
@login_required
@limit_writes
def nominate(election_id: int):
    election = elections.get_election_or_404(election_id)
    form = NominationForm()
    on_refusal(lambda: _election_page(election, nomination_form=form))
    if not form.validate():
        return _election_page(election, nomination_form=form), 422
    elections.nominate(current_user, election, form.statement.data)
    flash(_("You are a candidate. Good luck."))
    return redirect(url_for("moderation.election", election_id=election.id))


@bp.post("/elections/<int:election_id>/vote")
@login_required
@limit_writes
def vote(election_id: int):
    election = elections.get_election_or_404(election_id)
    on_refusal(lambda: _election_page(election))
    chosen = [value for value in request.form.getlist("candidate") if value.isdigit()]
    elections.vote(current_user, election, [int(value) for value in chosen])
    flash(_("Your ballot is in. It is secret: nobody can tell what you chose."))
    return redirect(url_for("moderation.election", election_id=election.id))


@bp.post("/elections/<int:election_id>/advance")
@login_required
@limit_writes
def advance_election(election_id: int):
    election = elections.get_election_or_404(election_id)
    form = ActionForm(prefix="advance")
    on_refusal(lambda: _election_page(election, advance_form=form))
    elections.advance(current_user, election, form.reason.data)
    flash(_("The election moved on to its next phase."))
    return redirect(url_for("moderation.election", election_id=election.id))
