"""Catalog rules: finding, creating and listing platforms and requesters."""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from community.catalog import permissions
from community.catalog.models import (
    Platform,
    PlatformRedirect,
    Requester,
    RequesterAlias,
    RequesterRedirect,
    normalise_name,
)
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota
from community.core.money import DATA_DIR, minor_exponent
from community.core.pagination import Page, paginate
from community.extensions import db
from community.search import service as search

SORTS = ("best", "worst", "most_reviewed", "lowest_pay", "recent")
EXTERNAL_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{4,64}$")


def _starts_with(column, key: str):
    """A prefix match written as a range, so it is served by the column's index."""
    return and_(column >= key, column < key + "\uffff")


def _sorted(query: Select, model, sort: str) -> Select:
    if sort == "worst":
        return query.where(model.ranking_score.is_not(None)).order_by(
            model.ranking_score.asc(), model.id.asc()
        )
    if sort == "most_reviewed":
        return query.order_by(model.reviewer_count.desc(), model.id.desc())
    if sort == "lowest_pay":
        return query.where(model.median_hourly_usd_cents.is_not(None)).order_by(
            model.median_hourly_usd_cents.asc(), model.id.asc()
        )
    if sort == "recent":
        return query.where(model.last_review_at.is_not(None)).order_by(
            model.last_review_at.desc(), model.id.desc()
        )
    return query.where(model.ranking_score.is_not(None)).order_by(
        model.ranking_score.desc(), model.id.desc()
    )


# Platforms


def all_platforms() -> list[Platform]:
    return list(db.session.scalars(select(Platform).order_by(Platform.name)))


def list_platforms(sort: str, page: int, per_page: int) -> Page[Platform]:
    if sort == "name":
        query = select(Platform).order_by(Platform.name)
    else:
        query = _sorted(select(Platform), Platform, sort if sort in SORTS else "best")
    return paginate(db.session, query, page, per_page)


def get_platform_by_slug_or_404(slug: str) -> Platform:
    """The platform of this slug, or of a platform merged into it (compare the slugs to
    redirect)."""
    platform = db.session.scalar(select(Platform).where(Platform.slug == slug))
    if platform is None:
        platform = db.session.scalar(
            select(Platform)
            .join(PlatformRedirect, PlatformRedirect.platform_id == Platform.id)
            .where(PlatformRedirect.old_slug == slug)
        )
    if platform is None:
        raise NotFound(_("This platform is not in the catalog."))
    return platform


def get_platform_or_404(platform_id: int) -> Platform:
    platform = db.session.get(Platform, platform_id)
    if platform is None:
        raise NotFound(_("This platform is not in the catalog."))
    return platform


def find_platforms(text: str, limit: int = 10) -> list[Platform]:
    key = normalise_name(text)
    if not key:
        return []
    query = select(Platform).where(
        or_(
            _starts_with(Platform.name_key, key), _starts_with(Platform.slug, key.replace(" ", "-"))
        )
    )
    return list(db.session.scalars(query.order_by(Platform.reviewer_count.desc()).limit(limit)))


def _unique_slug(name: str) -> str:
    base = normalise_name(name).replace(" ", "-")[:70] or "platform"
    slug, suffix = base, 2
    while db.session.scalar(select(Platform.id).where(Platform.slug == slug)) is not None:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@dataclass(frozen=True)
class PlatformData:
    name: str
    website: str | None
    kind: str
    description: str = ""


def platforms_added_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Platform)
        .where(Platform.created_by_id == user.id, Platform.created_at >= since)
    )


# A platform's website is shown as a link: only web addresses (never javascript:, data:...).
WEB_ADDRESS = re.compile(
    r"^https?://[^\s/?#\\@.]+(?:\.[^\s/?#\\@.]+)+(?::\d+)?(?:[/?#][^\s\\]*)?$", re.IGNORECASE
)


def add_platform(user, data: PlatformData) -> Platform:
    if not permissions.can_add_platform(user):
        raise PermissionDenied(_("Members can add platforms after a few days of participation."))
    if data.website and not WEB_ADDRESS.match(data.website):
        raise DomainError(_("Give a full address, starting with https://."))
    check_daily_quota(user, "platform", platforms_added_today(user))
    key = normalise_name(data.name)
    existing = db.session.scalar(select(Platform).where(Platform.name_key == key))
    if existing is not None:
        return existing
    platform = Platform(
        slug=_unique_slug(data.name),
        name=data.name.strip(),
        name_key=key,
        website=data.website or None,
        kind=data.kind,
        description=data.description.strip(),
        created_by_id=user.id,
    )
    db.session.add(platform)
    db.session.flush()
    search.enqueue("platform", platform.id)
    db.session.commit()
    return platform


def load_starter_platforms() -> int:
    """Insert or refresh the shipped starter list (by slug). Returns how many were new."""
    with open(DATA_DIR / "platforms.json", encoding="utf-8") as handle:
        entries = json.load(handle)
    existing = {platform.slug: platform for platform in db.session.scalars(select(Platform))}
    added = 0
    for entry in entries:
        platform = existing.get(entry["slug"])
        if platform is None:
            platform = Platform(slug=entry["slug"])
            db.session.add(platform)
            added += 1
        platform.name = entry["name"]
        platform.name_key = normalise_name(entry["name"])
        platform.website = entry.get("website")
        platform.kind = entry["kind"]
        platform.countries = entry.get("countries") or []
        platform.languages = entry.get("languages") or []
        platform.payout_methods = entry.get("payout_methods") or []
        min_payout = entry.get("min_payout")
        if min_payout:
            currency = min_payout["currency"]
            platform.min_payout_currency = currency
            platform.min_payout_minor = int(
                Decimal(min_payout["amount"]).scaleb(minor_exponent(currency))
            )
        platform.code_of_conduct = bool(entry.get("code_of_conduct"))
        platform.code_of_conduct_source = entry.get("code_of_conduct_source")
        platform.status = entry.get("status", "active")
        terms = entry.get("terms") or {}
        platform.terms_rejection_without_pay = terms.get("rejection_without_pay", "unknown")
        platform.terms_change_without_notice = terms.get("change_without_notice", "unknown")
        platform.terms_contact_allowed = terms.get("contact_allowed", "unknown")
        platform.terms_source = terms.get("source")
        platform.founded = entry.get("founded")
        platform.source = entry.get("source")
    db.session.flush()
    for platform in db.session.scalars(select(Platform)):
        search.enqueue("platform", platform.id)
    db.session.commit()
    return added


# Requesters


def get_requester_or_404(requester_id: int) -> Requester:
    """The requester of this id, or the one it was merged into (compare the ids to redirect)."""
    requester = db.session.get(Requester, requester_id)
    if requester is None:
        requester = db.session.scalar(
            select(Requester)
            .join(RequesterRedirect, RequesterRedirect.requester_id == Requester.id)
            .where(RequesterRedirect.old_requester_id == requester_id)
        )
    if requester is None:
        raise NotFound(_("This requester is not in the catalog."))
    return requester


def clean_external_id(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    return cleaned.upper() if cleaned else None


def find_requester(
    platform: Platform, external_id: str | None, name: str | None
) -> Requester | None:
    external_id = clean_external_id(external_id)
    if external_id:
        found = db.session.scalar(
            select(Requester).where(
                Requester.platform_id == platform.id, Requester.external_id == external_id
            )
        )
        if found is None:  # the identifier of a requester merged into another
            found = db.session.scalar(
                select(Requester)
                .join(RequesterRedirect, RequesterRedirect.requester_id == Requester.id)
                .where(
                    RequesterRedirect.platform_id == platform.id,
                    RequesterRedirect.external_id == external_id,
                )
                .limit(1)
            )
        return found
    key = normalise_name(name or "")
    if not key:
        return None
    found = db.session.scalar(
        select(Requester).where(
            Requester.platform_id == platform.id,
            Requester.name_key == key,
            Requester.external_id.is_(None),
        )
    )
    if found is None:
        found = db.session.scalar(
            select(Requester)
            .join(RequesterAlias)
            .where(Requester.platform_id == platform.id, RequesterAlias.name_key == key)
        )
    return found


def find_or_create_requester(
    platform: Platform, external_id: str | None, name: str | None
) -> Requester:
    """The requester known by this identifier (or name) on this platform, created the first time.

    The caller commits; a concurrent creation of the same requester is resolved by the unique index.
    """
    if not clean_external_id(external_id) and not normalise_name(name or ""):
        raise DomainError(_("Give the requester's ID or name."))
    found = find_requester(platform, external_id, name)
    if found is not None:
        if name and normalise_name(name) not in {
            found.name_key,
            *(a.name_key for a in found.aliases),
        }:
            found.aliases.append(RequesterAlias(name=name.strip(), name_key=normalise_name(name)))
            search.enqueue("requester", found.id)
        return found
    external_id = clean_external_id(external_id)
    display_name = (name or "").strip() or external_id
    requester = Requester(
        platform_id=platform.id,
        external_id=external_id,
        display_name=display_name,
        name_key=normalise_name(display_name),
    )
    try:
        with db.session.begin_nested():
            db.session.add(requester)
    except IntegrityError:  # created by someone else at the same moment
        return find_requester(platform, external_id, name)
    search.enqueue("requester", requester.id)
    return requester


def requesters_by_external_ids(platform: Platform, external_ids: list[str]) -> list[Requester]:
    """The requesters of one platform known by these identifiers (cleaned), in one query."""
    if not external_ids:
        return []
    # Their platform is `platform`, already in the session: not joined again on every row.
    return list(
        db.session.scalars(
            select(Requester)
            .options(lazyload(Requester.platform))
            .where(Requester.platform_id == platform.id, Requester.external_id.in_(external_ids))
        )
    )


def list_requesters(
    sort: str, platform: Platform | None, page: int, per_page: int
) -> Page[Requester]:
    query = select(Requester)
    if platform is not None:
        query = query.where(Requester.platform_id == platform.id)
    return paginate(
        db.session, _sorted(query, Requester, sort if sort in SORTS else "best"), page, per_page
    )


def lookup_requesters(text: str, platform: Platform | None, limit: int = 20) -> list[Requester]:
    """Requesters whose identifier is `text`, or whose name starts with it."""
    text = (text or "").strip()[:200]
    if not text:
        return []
    conditions = []
    if EXTERNAL_ID_PATTERN.match(text):
        conditions.append(Requester.external_id == text.upper())
    key = normalise_name(text)
    if key:
        conditions.append(_starts_with(Requester.name_key, key))
    if not conditions:
        return []
    query = select(Requester).where(or_(*conditions))
    if platform is not None:
        query = query.where(Requester.platform_id == platform.id)
    return list(db.session.scalars(query.order_by(Requester.reviewer_count.desc()).limit(limit)))


def top_requesters(platform: Platform, limit: int = 10) -> list[Requester]:
    query = select(Requester).where(Requester.platform_id == platform.id)
    return list(
        db.session.scalars(
            query.order_by(Requester.reviewer_count.desc(), Requester.id.desc()).limit(limit)
        )
    )


def resolve_target(
    platform_id: int, external_id: str | None, name: str | None
) -> tuple[Platform, Requester | None]:
    """The platform, and the requester when an identifier or a name was given (created the first
    time). The caller commits."""
    platform = get_platform_or_404(platform_id)
    if not (external_id or "").strip() and not (name or "").strip():
        return platform, None
    requester = find_or_create_requester(platform, external_id, name)
    db.session.flush()
    return platform, requester
