"""One function per resource: the public JSON of each thing the API shows.

Only what the site shows to a visitor who is not logged in, and less: never an email, a country,
an account id, a password hash or session token, the author of an anonymous review, nor any
author of a proof or a flag. Every field here is documented in openapi.py (a test checks both).
"""

from collections.abc import Callable
from datetime import date, datetime

from flask import url_for

from community.catalog.models import Platform, Requester
from community.core.markup import plain_excerpt
from community.core.money import to_decimal
from community.core.pagination import Page
from community.flags.forms import CATEGORY_LABELS
from community.flags.models import Flag
from community.flags.service import shows_folded
from community.proofs.legit import Assessment, Evidence
from community.proofs.service import CurrencyTotal
from community.reviews.models import Review

PLAIN_TEXT_MAX_CHARS = 100_000
WINDOW_NUMBERS = (
    "reviewers",
    "with_outcome",
    "rejection_share",
    "nonpayment_share",
    "median_days_to_paid",
    "estimate_honest_share",
    "would_work_again_share",
)


def timestamp(value: datetime | None) -> str | None:
    """Naive UTC as stored -> ISO 8601 with its Z."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def money(minor: int | None, currency: str | None) -> dict | None:
    if minor is None or not currency:
        return None
    return {
        "amount": str(to_decimal(minor, currency)),
        "amount_minor": minor,
        "currency": currency,
    }


def page(items: list, found: Page, link: Callable[[int], str]) -> dict:
    """A page of a list, with the addresses of the pages beside it."""
    return {
        "items": items,
        "page": found.number,
        "per_page": found.per_page,
        "has_next": found.has_next,
        "next": link(found.number + 1) if found.has_next else None,
        "previous": link(found.number - 1) if found.has_previous else None,
    }


# Review figures


def _by_currency(hourly: dict) -> dict:
    """Hourly figures of reviews that named their currency (a review may give none)."""
    return {code: values for code, values in hourly.items() if code and code.isalpha()}


def _main_hourly(target: Platform | Requester) -> dict | None:
    """The median hourly pay in the currency most reviews were paid in."""
    hourly = _by_currency(((target.stats or {}).get("all") or {}).get("hourly") or {})
    if not hourly:
        return None
    currency, figures = max(hourly.items(), key=lambda item: (item[1]["n"], item[0] == "USD"))
    return {**money(figures["median"], currency), "reviews": figures["n"]}


def aggregates(target: Platform | Requester) -> dict:
    """The stored summary figures, as lists and the batch lookup show them."""
    everything = (target.stats or {}).get("all") or {}
    return {
        "reviewer_count": target.reviewer_count,
        "ranking_score": target.ranking_score,
        "scores": {
            "pay": target.avg_pay,
            "fairness": target.avg_fairness,
            "communication": target.avg_communication,
        },
        "median_hourly": _main_hourly(target),
        "median_hourly_usd_cents": target.median_hourly_usd_cents,
        "rejection_share": everything.get("rejection_share"),
        "nonpayment_share": everything.get("nonpayment_share"),
        "last_review_at": timestamp(target.last_review_at),
    }


def _window(figures: dict) -> dict:
    return {
        **{name: figures.get(name) for name in WINDOW_NUMBERS},
        "scores": {
            name: {"avg": score["avg"], "distribution": list(score["dist"])}
            for name, score in figures["scores"].items()
        },
        "hourly": {
            currency: {
                "reviews": values["n"],
                "q1_minor": values["q1"],
                "median_minor": values["median"],
                "q3_minor": values["q3"],
                "pooled_minor": values["pooled"],
                "total_minutes": values["total_minutes"],
            }
            for currency, values in _by_currency(figures["hourly"]).items()
        },
        "below_minimum_wage_share": figures["below_minimum"]["share"],
        "below_minimum_wage_reviews": figures["below_minimum"]["n"],
    }


def figures(target: Platform | Requester) -> dict | None:
    """Every stored figure (PRODUCT 3): all time and the recent window, as last computed."""
    stats = target.stats or {}
    if not stats.get("all"):
        return None
    return {
        "all_time": _window(stats["all"]),
        "recent": _window(stats["recent"]),
        "recent_days": stats["recent_days"],
        "computed_at": stats["computed_at"] + "Z",
    }


# Platforms and requesters


def platform_ref(platform: Platform) -> dict:
    return {
        "slug": platform.slug,
        "name": platform.name,
        "url": url_for("catalog.platform", slug=platform.slug),
        "api_url": url_for("api.platform", slug=platform.slug),
    }


def platform_summary(platform: Platform) -> dict:
    return {
        **platform_ref(platform),
        "kind": platform.kind,
        "website": platform.website,
        "status": platform.status,
        "aggregates": aggregates(platform),
        "warning_count": platform.warning_count,
    }


def currency_total(total: CurrencyTotal) -> dict:
    return {
        **money(total.amount_minor, total.currency),
        "proofs": total.proofs,
        "confirmed_proofs": total.confirmed,
    }


def legit_card(assessment: Assessment) -> dict:
    evidence = assessment.evidence
    return {
        "verdict": str(assessment.verdict),
        "label": str(assessment.label),
        "summary": str(assessment.summary),
        "tone": assessment.tone,
        "evidence": [{"kind": line.kind, "text": line.text} for line in assessment.lines],
        "figures": {
            **proof_windows(evidence),
            "nonpayment_members": evidence.nonpayment_members,
            "paid_or_not_members": evidence.paid_or_not_members,
            "nonpayment_share": assessment.nonpayment_share,
            "nonpayment_members_all_time": evidence.nonpayment_members_all_time,
            "nonpayment_window_days": assessment.rules.longest_days,
            "scam_warnings": evidence.scam_warnings,
        },
        "rules_url": url_for("proofs.legit_rules"),
    }


def proof_windows(evidence: Evidence) -> dict:
    return {
        "windows": [
            {"days": window.days, "confirmed_proofs": window.proofs, "members": window.members}
            for window in evidence.windows
        ],
        "latest_confirmed_on": day(evidence.latest_confirmed_on),
        "waiting_proofs": evidence.waiting_proofs,
        "waiting_members": evidence.waiting_members,
    }


def proof_summary(platform: Platform, evidence: Evidence, totals: list[CurrencyTotal]) -> dict:
    """Counts and totals only: no screenshot, no note, no author."""
    return {
        "platform": platform_ref(platform),
        **proof_windows(evidence),
        "totals": [currency_total(total) for total in totals],
        "url": url_for("proofs.index", platform=platform.slug),
    }


def platform_detail(
    platform: Platform, assessment: Assessment, totals: list[CurrencyTotal]
) -> dict:
    return {
        **platform_summary(platform),
        "description": platform.description,
        "countries": list(platform.countries or []),
        "languages": list(platform.languages or []),
        "payout_methods": list(platform.payout_methods or []),
        "minimum_payout": money(platform.min_payout_minor, platform.min_payout_currency),
        "code_of_conduct": {
            "signed": platform.code_of_conduct,
            "source": platform.code_of_conduct_source,
        },
        "terms": {
            "rejection_without_pay": platform.terms_rejection_without_pay,
            "change_without_notice": platform.terms_change_without_notice,
            "contact_allowed": platform.terms_contact_allowed,
            "source": platform.terms_source,
        },
        "founded": platform.founded,
        "figures": figures(platform),
        "legit": legit_card(assessment),
        "proofs": {
            "totals": [currency_total(total) for total in totals],
            "api_url": url_for("api.platform_proofs", slug=platform.slug),
        },
        "reviews_api_url": url_for("api.platform_reviews", slug=platform.slug),
        "requesters_api_url": url_for("api.requesters", platform=platform.slug),
        "warnings_api_url": url_for("api.flags", platform=platform.slug),
    }


def requester_summary(requester: Requester) -> dict:
    return {
        "id": requester.id,
        "external_id": requester.external_id,
        "display_name": requester.display_name,
        "platform": platform_ref(requester.platform),
        "url": url_for("catalog.requester", requester_id=requester.id),
        "api_url": url_for("api.requester", requester_id=requester.id),
        "aggregates": aggregates(requester),
        "warning_count": requester.warning_count,
    }


def warning(flag: Flag) -> dict:
    """A confirmed flag, as short as a mark beside a requester's name."""
    return {
        "id": flag.id,
        "category": flag.category,
        "category_label": str(CATEGORY_LABELS.get(flag.category, flag.category)),
        "title": flag.task_title,
        "url": url_for("flags.show", flag_id=flag.id),
    }


def requester_detail(
    requester: Requester, warnings: list[Flag], totals: list[CurrencyTotal]
) -> dict:
    return {
        **requester_summary(requester),
        "aliases": [alias.name for alias in requester.aliases],
        "figures": figures(requester),
        "warnings": [warning(flag) for flag in warnings],
        "proofs": {"totals": [currency_total(total) for total in totals]},
        "reviews_api_url": url_for("api.requester_reviews", requester_id=requester.id),
    }


def batch_entry(requester: Requester, warnings: list[Flag]) -> dict:
    return {
        "id": requester.id,
        "external_id": requester.external_id,
        "display_name": requester.display_name,
        "url": url_for("catalog.requester", requester_id=requester.id),
        "api_url": url_for("api.requester", requester_id=requester.id),
        "aggregates": aggregates(requester),
        "warnings": [warning(flag) for flag in warnings],
    }


# Reviews and flags


def author(review: Review) -> dict:
    """The pseudonym only when the review is signed; for an anonymous one, its trust level."""
    if review.author is None:
        return {"anonymous": review.anonymous, "deleted": True}
    if review.anonymous:
        return {"anonymous": True, "trust_level": review.author.trust_level}
    return {
        "anonymous": False,
        "pseudonym": review.author.username,
        "trust_level": review.author.trust_level,
    }


def review(item: Review) -> dict:
    return {
        "id": item.id,
        "requester_id": item.requester_id,
        "author": author(item),
        "scores": {
            "pay": item.score_pay,
            "fairness": item.score_fairness,
            "communication": item.score_communication,
        },
        "facts": {
            "task_title": item.task_title,
            "reward": money(item.reward_minor, item.currency),
            "bonus": money(item.bonus_minor, item.currency),
            "minutes": item.minutes,
            "outcome": item.outcome,
            "days_to_paid": item.days_to_paid,
            "estimate_honest": item.estimate_honest,
            "would_work_again": item.would_work_again,
        },
        "hourly_pay": money(item.hourly_minor, item.currency),
        "hourly_pay_usd_cents": item.hourly_usd_cents,
        "below_minimum_wage": item.below_minimum_wage,
        "outcome": item.outcome,
        "text_html": item.body_html,
        "text": plain_excerpt(item.body, PLAIN_TEXT_MAX_CHARS),
        "created_at": timestamp(item.created_at),
        "edited_at": timestamp(item.edited_at),
        "url": _review_url(item),
    }


def _review_url(item: Review) -> str:
    if item.requester_id is not None:
        return url_for("catalog.requester", requester_id=item.requester_id, _anchor=f"r{item.id}")
    return url_for("catalog.platform", slug=item.platform.slug, _anchor=f"r{item.id}")


def flag(item: Flag) -> dict:
    """A confirmed task warning. Disturbing ones say so: show their description folded."""
    requester = item.requester
    return {
        **warning(item),
        "platform": platform_ref(item.platform),
        "requester": (
            {
                "id": requester.id,
                "external_id": requester.external_id,
                "display_name": requester.display_name,
                "api_url": url_for("api.requester", requester_id=requester.id),
            }
            if requester is not None
            else None
        ),
        "disturbing": shows_folded(item.category, item.disturbing),
        "description_html": item.description_html,
        "description": plain_excerpt(item.description, PLAIN_TEXT_MAX_CHARS),
        "seen_on": day(item.seen_on),
        "confirmed_at": timestamp(item.decided_at),
        "seen_too_count": item.seen_too_count,
    }
