"""The "Is it legit?" card: every rule in one place, its thresholds in the configuration.

Evidence about a platform, read at page time from indexed counts over that platform alone
(nothing is written on a read):

- confirmed proofs of payment received in the last 30/90/365 days (LEGIT_RECENT_DAYS), and the
  DISTINCT members who posted them: one member posting ten proofs counts as one member;
- the date of the latest confirmed proof, and the proofs still waiting for a confirmation;
- reports of non-payment: visible reviews of the platform itself or of any of its requesters,
  counted by distinct member: those whose outcome is "approved but never paid", out of those who
  said whether they were paid ("approved and paid" or "approved but never paid");
- confirmed scam warnings: visible task flags in the category "deception or scam" about the
  platform itself (not one of its requesters), confirmed by a trusted member or a moderator
  (counted by community/flags/service.py `scam_warnings`, passed in by the platform page).

The verdict, first rule that matches ("recent" is the last LEGIT_PAYS_WINDOW_DAYS; every other
count is over the longest of LEGIT_RECENT_DAYS):

1. SCAM_WARNING     confirmed scam warnings >= LEGIT_SCAM_WARNINGS_MIN.
2. NONPAYMENT       members reporting non-payment in the longest window >=
                    LEGIT_NONPAYMENT_MIN_MEMBERS, and they are at least
                    LEGIT_NONPAYMENT_WARNING_SHARE of the members who said whether they were
                    paid in that window; and the "recent payments" test of 4 fails.
3. MIXED            the non-payment test of 2 holds, and so does the test of 4.
4. PAYS_RECENT      members with confirmed proofs received in the last LEGIT_PAYS_WINDOW_DAYS >=
                    LEGIT_MIN_MEMBERS_FOR_PAYS.
5. PAID_BEFORE      the same count of members, over the longest window only.
6. NOT_ENOUGH       anything else.

Unconfirmed proofs are shown but never decide a verdict: anyone can post a screenshot.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import case, distinct, func, select

from community.catalog.models import Platform
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.formatting import date as format_date
from community.core.formatting import percent
from community.extensions import db
from community.proofs.models import Proof
from community.reviews import reports


class Verdict(enum.StrEnum):
    SCAM_WARNING = "scam_warning"
    NONPAYMENT = "nonpayment"
    MIXED = "mixed"
    PAYS_RECENT = "pays_recent"
    PAID_BEFORE = "paid_before"
    NOT_ENOUGH = "not_enough"


LABELS = {
    Verdict.SCAM_WARNING: _l("Warning — confirmed scam reports"),
    Verdict.NONPAYMENT: _l("Warning — reports of non-payment"),
    Verdict.MIXED: _l("Mixed — recent payments, but many reports of non-payment"),
    Verdict.PAYS_RECENT: _l("Pays — recent evidence"),
    Verdict.PAID_BEFORE: _l("Paid before — little recent evidence"),
    Verdict.NOT_ENOUGH: _l("Not enough evidence"),
}

SUMMARIES = {
    Verdict.SCAM_WARNING: _l(
        "Moderators or trusted members confirmed that tasks here are a scam. Be very careful."
    ),
    Verdict.NONPAYMENT: _l(
        "Many of the members who said whether they were paid here report they never were."
    ),
    Verdict.MIXED: _l(
        "Several members showed recent proofs of payment, but many others report they were "
        "never paid. Read the reviews before you spend time here."
    ),
    Verdict.PAYS_RECENT: _l(
        "Several members showed confirmed proofs of payment received recently."
    ),
    Verdict.PAID_BEFORE: _l(
        "Several members were paid within the last year, but few or none recently."
    ),
    Verdict.NOT_ENOUGH: _l(
        "Too few members have shown confirmed proofs or reported problems to say. "
        "That is not a verdict either way."
    ),
}

# How each verdict is shown: good news, caution, or danger.
TONES = {
    Verdict.SCAM_WARNING: "danger",
    Verdict.NONPAYMENT: "danger",
    Verdict.MIXED: "caution",
    Verdict.PAYS_RECENT: "good",
    Verdict.PAID_BEFORE: "caution",
    Verdict.NOT_ENOUGH: "neutral",
}


@dataclass(frozen=True)
class Rules:
    recent_days: tuple[int, ...]
    pays_window_days: int
    min_members_for_pays: int
    nonpayment_min_members: int
    nonpayment_warning_share: float
    scam_warnings_min: int

    @classmethod
    def from_config(cls, config: Mapping) -> "Rules":
        recent = tuple(sorted(config["LEGIT_RECENT_DAYS"]))
        pays_window = config["LEGIT_PAYS_WINDOW_DAYS"]
        if pays_window not in recent:
            raise ValueError("LEGIT_PAYS_WINDOW_DAYS must be one of LEGIT_RECENT_DAYS")
        return cls(
            recent_days=recent,
            pays_window_days=pays_window,
            min_members_for_pays=config["LEGIT_MIN_MEMBERS_FOR_PAYS"],
            nonpayment_min_members=config["LEGIT_NONPAYMENT_MIN_MEMBERS"],
            nonpayment_warning_share=config["LEGIT_NONPAYMENT_WARNING_SHARE"],
            scam_warnings_min=config["LEGIT_SCAM_WARNINGS_MIN"],
        )

    @property
    def longest_days(self) -> int:
        return self.recent_days[-1]


@dataclass(frozen=True)
class Window:
    days: int
    proofs: int  # confirmed proofs received in the window
    members: int  # distinct members who posted them


@dataclass(frozen=True)
class Evidence:
    windows: tuple[Window, ...]  # shortest first
    latest_confirmed_on: date | None
    waiting_proofs: int  # visible proofs not yet confirmed, received in the longest window
    waiting_members: int
    nonpayment_members: int  # distinct members reporting "never paid" in the longest window
    paid_or_not_members: int  # distinct members who said whether they were paid, same window
    nonpayment_members_all_time: int
    scam_warnings: int = 0

    def members_within(self, days: int) -> int:
        return next(window.members for window in self.windows if window.days == days)


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    evidence: Evidence
    rules: Rules

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    @property
    def summary(self) -> str:
        return SUMMARIES[self.verdict]

    @property
    def tone(self) -> str:
        return TONES[self.verdict]

    @property
    def nonpayment_share(self) -> float | None:
        return nonpayment_share(self.evidence)

    @property
    def lines(self) -> list["EvidenceLine"]:
        return evidence_lines(self)


@dataclass(frozen=True)
class EvidenceLine:
    kind: str  # windows, latest, waiting, nonpayment, nonpayment_all_time, scam_warnings
    text: str


def evidence_lines(assessment: Assessment) -> list[EvidenceLine]:
    """The evidence under the verdict, in words, as the card and the API show it."""
    evidence, days = assessment.evidence, assessment.rules.longest_days
    lines = []
    for window in evidence.windows:
        text = " ".join(
            [
                _("Last %(days)d days:", days=window.days),
                ngettext(
                    "%(num)d confirmed proof of payment",
                    "%(num)d confirmed proofs of payment",
                    window.proofs,
                )
                + ",",
                ngettext("from %(num)d member", "from %(num)d members", window.members),
            ]
        )
        lines.append(EvidenceLine("window", text))
    if evidence.latest_confirmed_on:
        text = _(
            "Latest confirmed payment: received on %(date)s.",
            date=format_date(evidence.latest_confirmed_on),
        )
    else:
        text = _("No confirmed proof of payment yet.")
    lines.append(EvidenceLine("latest", text))
    if evidence.waiting_proofs:
        waiting = ngettext(
            "%(num)d more proof is waiting for a trusted member to confirm it",
            "%(num)d more proofs are waiting for a trusted member to confirm them",
            evidence.waiting_proofs,
        )
        members = ngettext("from %(num)d member", "from %(num)d members", evidence.waiting_members)
        lines.append(EvidenceLine("waiting", f"{waiting} ({members})."))
    if evidence.paid_or_not_members:
        text = ngettext(
            "Reports of non-payment, last %(days)d days: %(unpaid)d of the %(num)d member who "
            "said whether they were paid (%(share)s).",
            "Reports of non-payment, last %(days)d days: %(unpaid)d of the %(num)d members who "
            "said whether they were paid (%(share)s).",
            evidence.paid_or_not_members,
            unpaid=evidence.nonpayment_members,
            days=days,
            share=percent(assessment.nonpayment_share),
        )
    else:
        text = _(
            "Reports of non-payment, last %(days)d days: no member said whether they were paid.",
            days=days,
        )
    lines.append(EvidenceLine("nonpayment", text))
    if evidence.nonpayment_members_all_time > evidence.nonpayment_members:
        text = ngettext(
            "All time: %(num)d member reported non-payment.",
            "All time: %(num)d members reported non-payment.",
            evidence.nonpayment_members_all_time,
        )
        lines.append(EvidenceLine("nonpayment_all_time", text))
    text = ngettext(
        "%(num)d confirmed scam warning.",
        "%(num)d confirmed scam warnings.",
        evidence.scam_warnings,
    )
    lines.append(EvidenceLine("scam_warnings", text))
    return lines


def nonpayment_share(evidence: Evidence) -> float | None:
    """Members reporting non-payment, out of the members who said whether they were paid."""
    if not evidence.paid_or_not_members:
        return None
    return evidence.nonpayment_members / evidence.paid_or_not_members


def decide(evidence: Evidence, rules: Rules) -> Verdict:
    """The verdict for this evidence (see the module's docstring, and /legit-rules)."""
    if evidence.scam_warnings >= rules.scam_warnings_min:
        return Verdict.SCAM_WARNING
    share = nonpayment_share(evidence)
    unpaid = (
        evidence.nonpayment_members >= rules.nonpayment_min_members
        and share is not None
        and share >= rules.nonpayment_warning_share
    )
    pays_recently = evidence.members_within(rules.pays_window_days) >= rules.min_members_for_pays
    if unpaid:
        return Verdict.MIXED if pays_recently else Verdict.NONPAYMENT
    if pays_recently:
        return Verdict.PAYS_RECENT
    if evidence.members_within(rules.longest_days) >= rules.min_members_for_pays:
        return Verdict.PAID_BEFORE
    return Verdict.NOT_ENOUGH


def _proof_evidence(platform: Platform, rules: Rules, today: date) -> tuple:
    starts = [today - timedelta(days=days) for days in rules.recent_days]
    columns = []
    for start in starts:
        in_window = Proof.received_on >= start
        columns.append(func.count(case((in_window, 1))))
        columns.append(func.count(distinct(case((in_window, Proof.author_id)))))
    confirmed = db.session.execute(
        select(*columns).where(
            Proof.platform_id == platform.id,
            Proof.visibility == Visibility.VISIBLE,
            Proof.is_confirmed.is_(True),
            Proof.received_on >= starts[-1],
        )
    ).one()
    windows = tuple(
        Window(days, confirmed[2 * index], confirmed[2 * index + 1])
        for index, days in enumerate(rules.recent_days)
    )
    latest = db.session.scalar(
        select(func.max(Proof.received_on)).where(
            Proof.platform_id == platform.id,
            Proof.visibility == Visibility.VISIBLE,
            Proof.is_confirmed.is_(True),
        )
    )
    waiting = db.session.execute(
        select(func.count(), func.count(distinct(Proof.author_id))).where(
            Proof.platform_id == platform.id,
            Proof.visibility == Visibility.VISIBLE,
            Proof.is_confirmed.is_(False),
            Proof.received_on >= starts[-1],
        )
    ).one()
    return windows, latest, waiting[0], waiting[1]


def gather(platform: Platform, rules: Rules, scam_warnings: int = 0) -> Evidence:
    now = utcnow()
    windows, latest, waiting_proofs, waiting_members = _proof_evidence(platform, rules, now.date())
    unpaid, unpaid_all_time, told = reports.payment_reports(
        platform.id, now - timedelta(days=rules.longest_days)
    )
    return Evidence(
        windows=windows,
        latest_confirmed_on=latest,
        waiting_proofs=waiting_proofs,
        waiting_members=waiting_members,
        nonpayment_members=unpaid,
        paid_or_not_members=told,
        nonpayment_members_all_time=unpaid_all_time,
        scam_warnings=scam_warnings,
    )


def assess(platform: Platform, scam_warnings: int = 0) -> Assessment:
    """The card of a platform. `scam_warnings`: its confirmed scam warnings (task flags)."""
    rules = Rules.from_config(current_app.config)
    evidence = gather(platform, rules, scam_warnings)
    return Assessment(decide(evidence, rules), evidence, rules)
