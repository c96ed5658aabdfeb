"""The API's own rules: reading its parameters, and the batch lookup of requesters."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from community.catalog import service as catalog
from community.catalog.models import Platform, Requester
from community.core.errors import BadRequest
from community.core.pagination import MAX_PAGE
from community.flags import service as flags
from community.flags.models import Flag, FlagCategory


@dataclass(frozen=True)
class Lookup:
    platform: Platform
    found: list[tuple[Requester, list[Flag]]]  # in the order of the identifiers asked
    unknown: list[str]


def whole_number(raw: str | None, name: str, default: int, maximum: int) -> int:
    """A query parameter that must be a whole number from 1 to `maximum`."""
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(
            _(
                "The parameter “%(name)s” must be a whole number from 1 to %(maximum)d.",
                name=name,
                maximum=maximum,
            )
        )
    return int(raw)


def page_number(raw: str | None) -> int:
    return whole_number(raw, "page", 1, MAX_PAGE)


def page_size(raw: str | None) -> int:
    config = current_app.config
    return whole_number(raw, "per_page", config["API_PAGE_SIZE"], config["API_MAX_PAGE_SIZE"])


def choice(raw: str | None, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise BadRequest(
            _(
                "The parameter “%(name)s” must be one of: %(allowed)s.",
                name=name,
                allowed=", ".join(allowed),
            )
        )
    return raw


def flag_category(raw: str | None) -> str | None:
    return choice(raw, "category", tuple(FlagCategory), None)


def requester_ids(raw: str | None) -> list[str]:
    """`?ids=A1B2C3,D4E5F6`: distinct, cleaned identifiers, at most API_BATCH_MAX_IDS."""
    maximum = current_app.config["API_BATCH_MAX_IDS"]
    wanted = [part for part in (raw or "").split(",") if part.strip()]
    if not wanted:
        raise BadRequest(
            _(
                "Give the requester identifiers to look up, separated by commas: "
                "?ids=A1B2C3D4E5F6G7,A9Z8Y7X6W5V4U3 (at most %(maximum)d).",
                maximum=maximum,
            ),
            code="missing_ids",
        )
    ids = list(dict.fromkeys(catalog.clean_external_id(part) for part in wanted))
    if len(ids) > maximum:
        raise BadRequest(
            _(
                "At most %(maximum)d identifiers in one lookup; this one has %(count)d. "
                "Split them into several lookups.",
                maximum=maximum,
                count=len(ids),
            ),
            code="too_many_ids",
        )
    for external_id in ids:
        if not catalog.EXTERNAL_ID_PATTERN.match(external_id):
            raise BadRequest(
                _(
                    "“%(id)s” is not a requester identifier: identifiers have 4 to 64 letters, "
                    "digits, “-” or “_”.",
                    id=external_id[:80],
                ),
                code="invalid_id",
            )
    return ids


def lookup(platform: Platform, external_ids: list[str]) -> Lookup:
    """Many requesters of one platform, with their warnings, in a constant number of queries."""
    known = {
        requester.external_id: requester
        for requester in catalog.requesters_by_external_ids(platform, external_ids)
    }
    warnings = flags.warnings_of_requesters([requester.id for requester in known.values()])
    return Lookup(
        platform=platform,
        found=[
            (known[external_id], warnings[known[external_id].id])
            for external_id in external_ids
            if external_id in known
        ],
        unknown=[external_id for external_id in external_ids if external_id not in known],
    )
