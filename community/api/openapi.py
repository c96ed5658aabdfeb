"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json.

It is written by hand, beside the code it describes: tests check that every route of the
blueprint is here and back, and that real answers of every route validate against the schemas
below (objects are closed with additionalProperties: false, so a field added to a serializer
without being documented fails the contract test).
"""

from flask import current_app

from community.catalog.models import PlatformKind, TermsAnswer
from community.catalog.service import SORTS
from community.flags.models import FlagCategory
from community.proofs.legit import Verdict
from community.reviews.models import Outcome
from community.reviews.service import REVIEW_SORTS

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
PATH_PREFIX = "/api/v1"
OK_HEADERS = ("ETag", "Cache-Control", "Access-Control-Allow-Origin", "X-RateLimit-Limit")


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def closed(properties: dict, description: str | None = None, optional: tuple = ()) -> dict:
    """An object with exactly these properties (all required but `optional`)."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
SHARE = nullable({"type": "number", "minimum": 0, "maximum": 1})
PATH = {"type": "string", "description": "An address on this site, relative to its root."}
TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601."}
DAY = {"type": "string", "format": "date"}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."}
SCORE_AVERAGE = nullable({"type": "number", "minimum": 1, "maximum": 5})
SCORE = {"type": "integer", "minimum": 1, "maximum": 5}
EXTERNAL_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{4,64}$"}


def _schemas() -> dict:
    money = closed(
        {
            "amount": {"type": "string", "description": 'Decimal amount, e.g. "7.50".'},
            "amount_minor": {"type": "integer", "description": "Amount in minor units (cents)."},
            "currency": CURRENCY,
        },
        "An amount of money: never a float.",
    )
    median_hourly = closed(
        {**money["properties"], "reviews": COUNT},
        "Median effective hourly pay (unpaid time included) in the currency most reviews used.",
    )
    window_scores = closed(
        {
            name: closed(
                {
                    "avg": SCORE_AVERAGE,
                    "distribution": {
                        "type": "array",
                        "items": COUNT,
                        "minItems": 5,
                        "maxItems": 5,
                        "description": "How many members gave 1, 2, 3, 4 and 5.",
                    },
                }
            )
            for name in ("pay", "fairness", "communication")
        }
    )
    hourly_figures = closed(
        {
            "reviews": COUNT,
            "q1_minor": INTEGER,
            "median_minor": INTEGER,
            "q3_minor": INTEGER,
            "pooled_minor": nullable(INTEGER),
            "total_minutes": COUNT,
        },
        "Effective hourly pay in one currency, in minor units per hour; `pooled` is total pay "
        "over total time.",
    )
    return {
        "Error": closed(
            {
                "error": closed(
                    {
                        "status": INTEGER,
                        "code": {
                            "type": "string",
                            "description": "Stable and machine-readable: bad_request, "
                            "missing_ids, too_many_ids, invalid_id, not_found, "
                            "method_not_allowed, rate_limited, server_error.",
                        },
                        "message": {
                            "type": "string",
                            "description": "For people, in the language asked for.",
                        },
                    }
                )
            }
        ),
        "Money": money,
        "MedianHourly": median_hourly,
        "Scores": closed(
            {name: SCORE_AVERAGE for name in ("pay", "fairness", "communication")},
            "Average of each score (1 to 5) over the members' latest reviews.",
        ),
        "Aggregates": closed(
            {
                "reviewer_count": {
                    **COUNT,
                    "description": "Members who reviewed: each counts once (their latest review).",
                },
                "ranking_score": nullable(
                    {
                        "type": "number",
                        "description": "Bayesian average of the scores: a few reviews stay "
                        "close to the middle.",
                    }
                ),
                "scores": ref("Scores"),
                "median_hourly": nullable(ref("MedianHourly")),
                "median_hourly_usd_cents": nullable(INTEGER),
                "rejection_share": SHARE,
                "nonpayment_share": SHARE,
                "last_review_at": nullable(TIMESTAMP),
            },
            "The stored review figures: updated with each review, never recomputed on a read.",
        ),
        "WindowFigures": closed(
            {
                "reviewers": COUNT,
                "with_outcome": COUNT,
                "rejection_share": SHARE,
                "nonpayment_share": SHARE,
                "median_days_to_paid": nullable(NUMBER),
                "estimate_honest_share": SHARE,
                "would_work_again_share": SHARE,
                "scores": window_scores,
                "hourly": {
                    "type": "object",
                    "propertyNames": CURRENCY,
                    "additionalProperties": hourly_figures,
                },
                "below_minimum_wage_share": SHARE,
                "below_minimum_wage_reviews": COUNT,
            }
        ),
        "Figures": closed(
            {
                "all_time": ref("WindowFigures"),
                "recent": ref("WindowFigures"),
                "recent_days": COUNT,
                "computed_at": TIMESTAMP,
            },
            "Every stored figure, all time and over the last `recent_days` days.",
        ),
        "PlatformRef": closed(
            {"slug": STRING, "name": STRING, "url": PATH, "api_url": PATH},
        ),
        "PlatformSummary": closed(_platform_summary()),
        "PlatformDetail": closed(
            {
                **_platform_summary(),
                "description": STRING,
                "countries": {"type": "array", "items": STRING},
                "languages": {"type": "array", "items": STRING},
                "payout_methods": {"type": "array", "items": STRING},
                "minimum_payout": nullable(ref("Money")),
                "code_of_conduct": closed(
                    {"signed": BOOLEAN, "source": nullable(STRING)},
                    "Whether the platform signed the Crowdsourcing Code of Conduct.",
                ),
                "terms": closed(
                    {
                        name: {"type": "string", "enum": list(TermsAnswer)}
                        for name in (
                            "rejection_without_pay",
                            "change_without_notice",
                            "contact_allowed",
                        )
                    }
                    | {"source": nullable(STRING)}
                ),
                "founded": nullable(INTEGER),
                "figures": nullable(ref("Figures")),
                "legit": ref("LegitCard"),
                "proofs": closed(
                    {"totals": {"type": "array", "items": ref("CurrencyTotal")}, "api_url": PATH}
                ),
                "reviews_api_url": PATH,
                "requesters_api_url": PATH,
                "warnings_api_url": PATH,
            }
        ),
        "ProofWindow": closed(
            {"days": COUNT, "confirmed_proofs": COUNT, "members": COUNT},
            "Confirmed proofs received in the last `days` days, and the distinct members who "
            "posted them (one member posting ten proofs counts once).",
        ),
        "LegitCard": closed(
            {
                "verdict": {"type": "string", "enum": list(Verdict)},
                "label": STRING,
                "summary": STRING,
                "tone": {"type": "string", "enum": ["good", "caution", "danger", "neutral"]},
                "evidence": {
                    "type": "array",
                    "items": closed(
                        {
                            "kind": {
                                "type": "string",
                                "enum": [
                                    "window",
                                    "latest",
                                    "waiting",
                                    "nonpayment",
                                    "nonpayment_all_time",
                                    "scam_warnings",
                                ],
                            },
                            "text": STRING,
                        }
                    ),
                    "description": "Every line of evidence under the verdict, in words.",
                },
                "figures": closed(
                    {
                        **_proof_windows(),
                        "nonpayment_members": COUNT,
                        "paid_or_not_members": COUNT,
                        "nonpayment_share": SHARE,
                        "nonpayment_members_all_time": COUNT,
                        "nonpayment_window_days": COUNT,
                        "scam_warnings": COUNT,
                    }
                ),
                "rules_url": PATH,
            },
            'The "Is it legit?" card: a verdict reached by documented rules (rules_url), '
            "always with its evidence.",
        ),
        "CurrencyTotal": closed(
            {**money["properties"], "proofs": COUNT, "confirmed_proofs": COUNT},
            "Sum of the visible proofs of payment in one currency.",
        ),
        "ProofSummary": closed(
            {
                "platform": ref("PlatformRef"),
                **_proof_windows(),
                "totals": {"type": "array", "items": ref("CurrencyTotal")},
                "url": PATH,
            },
            "Counts and totals only: no screenshot, no note, no author.",
        ),
        "RequesterSummary": closed(_requester_summary()),
        "RequesterDetail": closed(
            {
                **_requester_summary(),
                "aliases": {"type": "array", "items": STRING},
                "figures": nullable(ref("Figures")),
                "warnings": {"type": "array", "items": ref("Warning")},
                "proofs": closed(
                    {"totals": {"type": "array", "items": ref("CurrencyTotal")}},
                ),
                "reviews_api_url": PATH,
            }
        ),
        "Warning": closed(
            {
                "id": INTEGER,
                "category": {"type": "string", "enum": list(FlagCategory)},
                "category_label": STRING,
                "title": {"type": "string", "description": "The task's title or identifier."},
                "url": PATH,
            },
            "A task flag that a trusted member or a moderator confirmed.",
        ),
        "BatchEntry": closed(
            {
                "id": INTEGER,
                "external_id": EXTERNAL_ID,
                "display_name": STRING,
                "url": PATH,
                "api_url": PATH,
                "aggregates": ref("Aggregates"),
                "warnings": {"type": "array", "items": ref("Warning")},
            }
        ),
        "BatchLookup": closed(
            {
                "platform": ref("PlatformRef"),
                "requesters": {
                    "type": "object",
                    "propertyNames": EXTERNAL_ID,
                    "additionalProperties": ref("BatchEntry"),
                    "description": "The known requesters, by identifier (upper case).",
                },
                "unknown": {
                    "type": "array",
                    "items": EXTERNAL_ID,
                    "description": "Identifiers no member has reviewed or mentioned yet.",
                },
                "new_review_url": {
                    **PATH,
                    "description": "Where to review a requester of this platform: add "
                    "`&id=` and the identifier.",
                },
            }
        ),
        "Author": {
            "description": "The pseudonym only when the review is signed; an anonymous review "
            "shows only its author's trust level; a deleted account shows neither.",
            "oneOf": [
                closed({"anonymous": {"const": False}, "pseudonym": STRING, "trust_level": COUNT}),
                closed({"anonymous": {"const": True}, "trust_level": COUNT}),
                closed({"anonymous": BOOLEAN, "deleted": {"const": True}}),
            ],
        },
        "Review": closed(
            {
                "id": INTEGER,
                "requester_id": nullable(
                    {"type": "integer", "description": "None: a review of the platform itself."}
                ),
                "author": ref("Author"),
                "scores": closed({name: SCORE for name in ("pay", "fairness", "communication")}),
                "facts": closed(
                    {
                        "task_title": nullable(STRING),
                        "reward": nullable(ref("Money")),
                        "bonus": nullable(ref("Money")),
                        "minutes": nullable(COUNT),
                        "outcome": nullable({"type": "string", "enum": list(Outcome)}),
                        "days_to_paid": nullable(COUNT),
                        "estimate_honest": nullable(BOOLEAN),
                        "would_work_again": nullable(BOOLEAN),
                    }
                ),
                "hourly_pay": nullable(ref("Money")),
                "hourly_pay_usd_cents": nullable(INTEGER),
                "below_minimum_wage": nullable(BOOLEAN),
                "outcome": nullable({"type": "string", "enum": list(Outcome)}),
                "text_html": {"type": "string", "description": "Sanitised HTML."},
                "text": {"type": "string", "description": "The same text without markup."},
                "created_at": TIMESTAMP,
                "edited_at": nullable(TIMESTAMP),
                "url": PATH,
            }
        ),
        "Flag": closed(
            {
                **_warning_properties(),
                "platform": ref("PlatformRef"),
                "requester": nullable(
                    closed(
                        {
                            "id": INTEGER,
                            "external_id": nullable(EXTERNAL_ID),
                            "display_name": STRING,
                            "api_url": PATH,
                        }
                    )
                ),
                "disturbing": {
                    "type": "boolean",
                    "description": "Disturbing content: show the description folded behind a "
                    "content warning that the reader opens.",
                },
                "description_html": {"type": "string", "description": "Sanitised HTML."},
                "description": STRING,
                "seen_on": DAY,
                "confirmed_at": nullable(TIMESTAMP),
                "seen_too_count": COUNT,
            },
            "A confirmed task warning.",
        ),
        "PlatformPage": _page("PlatformSummary"),
        "RequesterPage": _page("RequesterSummary"),
        "ReviewPage": _page("Review"),
        "FlagPage": _page("Flag"),
        "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
    }


def _platform_summary() -> dict:
    return {
        "slug": STRING,
        "name": STRING,
        "url": PATH,
        "api_url": PATH,
        "kind": {"type": "string", "enum": list(PlatformKind)},
        "website": nullable(STRING),
        "status": {"type": "string", "enum": ["active", "closed"]},
        "aggregates": ref("Aggregates"),
        "warning_count": {
            **COUNT,
            "description": "Active confirmed warnings about the platform and its requesters.",
        },
    }


def _requester_summary() -> dict:
    return {
        "id": INTEGER,
        "external_id": nullable(EXTERNAL_ID),
        "display_name": STRING,
        "platform": ref("PlatformRef"),
        "url": PATH,
        "api_url": PATH,
        "aggregates": ref("Aggregates"),
        "warning_count": COUNT,
    }


def _proof_windows() -> dict:
    return {
        "windows": {"type": "array", "items": ref("ProofWindow")},
        "latest_confirmed_on": nullable(DAY),
        "waiting_proofs": {
            **COUNT,
            "description": "Visible proofs not confirmed yet: shown, never deciding a verdict.",
        },
        "waiting_members": COUNT,
    }


def _warning_properties() -> dict:
    return {
        "id": INTEGER,
        "category": {"type": "string", "enum": list(FlagCategory)},
        "category_label": STRING,
        "title": STRING,
        "url": PATH,
    }


def _page(item: str) -> dict:
    return closed(
        {
            "items": {"type": "array", "items": ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "has_next": BOOLEAN,
            "next": nullable(PATH),
            "previous": nullable(PATH),
        }
    )


# Parameters, answers, paths


def _parameters(config) -> dict:
    def query(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "query", "schema": schema, "description": description}

    def path(name: str, schema: dict) -> dict:
        return {"name": name, "in": "path", "required": True, "schema": schema}

    return {
        "page": query("page", {"type": "integer", "minimum": 1, "maximum": 500}, "Page number."),
        "per_page": query(
            "per_page",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": config["API_MAX_PAGE_SIZE"],
                "default": config["API_PAGE_SIZE"],
            },
            "Items per page.",
        ),
        "lang": query(
            "lang",
            {"type": "string", "enum": list(config["LANGUAGES"])},
            "Language of labels and messages; else the Accept-Language header.",
        ),
        "slug": path("slug", STRING),
        "requester_id": path("requester_id", INTEGER),
        "external_id": path("external_id", EXTERNAL_ID),
        "platform": query("platform", STRING, "Only those of the platform with this slug."),
        "platform_sort": query(
            "sort", {"type": "string", "enum": ["name", *SORTS], "default": "name"}, "Order."
        ),
        "requester_sort": query(
            "sort", {"type": "string", "enum": list(SORTS), "default": "best"}, "Order."
        ),
        "review_sort": query(
            "sort", {"type": "string", "enum": list(REVIEW_SORTS), "default": "newest"}, "Order."
        ),
        "category": query(
            "category", {"type": "string", "enum": list(FlagCategory)}, "Only this category."
        ),
        "ids": {
            "name": "ids",
            "in": "query",
            "required": True,
            "schema": {"type": "string"},
            "description": "Requester identifiers of this platform, separated by commas, at most "
            f"{config['API_BATCH_MAX_IDS']} (distinct, case-insensitive).",
            "example": "A1B2C3D4E5F6G7,A9Z8Y7X6W5V4U3",
        },
    }


def _headers() -> dict:
    integer = {"schema": {"type": "integer"}}
    return {
        "ETag": {
            "description": "A hash of the body: send it back in If-None-Match.",
            "schema": {"type": "string"},
        },
        "Cache-Control": {"schema": {"type": "string"}},
        "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
        "X-RateLimit-Limit": integer,
        "X-RateLimit-Remaining": integer,
        "X-RateLimit-Reset": integer,
        "Retry-After": {"description": "Seconds to wait before the next request.", **integer},
    }


def _json(schema: str, description: str, headers: tuple[str, ...] = ()) -> dict:
    answer = {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
    }
    if headers:
        answer["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return answer


def _responses() -> dict:
    return {
        "NotModified": {
            "description": "Unchanged since the ETag sent in If-None-Match: no body.",
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
        },
        "BadRequest": _json("Error", "A parameter is missing or wrong: the message says which."),
        "NotFound": _json("Error", "No such platform, requester or address."),
        "TooManyRequests": _json(
            "Error",
            "Over the rate limit: wait the seconds of Retry-After.",
            ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"),
        ),
    }


def _operation(
    operation_id: str,
    summary: str,
    schema: str,
    parameters: tuple[str, ...] = (),
    bad_request: bool = True,
    not_found: bool = True,
    description: str | None = None,
) -> dict:
    responses = {
        "200": _json(schema, "OK", OK_HEADERS),
        "304": {"$ref": "#/components/responses/NotModified"},
    }
    if bad_request:
        responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [
            {"$ref": f"#/components/parameters/{name}"} for name in (*parameters, "lang")
        ],
        "responses": responses,
    }
    if description:
        operation["description"] = description
    return {"get": operation}


def _paths(config) -> dict:
    listing = ("page", "per_page")
    return {
        "/openapi.json": _operation(
            "openapi", "This document", "OpenApiDocument", bad_request=False, not_found=False
        ),
        "/platforms": _operation(
            "listPlatforms",
            "Platforms, with their review figures and warning count",
            "PlatformPage",
            ("platform_sort", *listing),
            not_found=False,
        ),
        "/platforms/{slug}": _operation(
            "getPlatform",
            'A platform: facts, every stored figure, the "Is it legit?" card, proof totals',
            "PlatformDetail",
            ("slug",),
            bad_request=False,
        ),
        "/platforms/{slug}/proofs": _operation(
            "getPlatformProofs",
            "Proof-of-payment summary of a platform: counts per window and totals by currency",
            "ProofSummary",
            ("slug",),
            bad_request=False,
        ),
        "/platforms/{slug}/reviews": _operation(
            "listPlatformReviews",
            "Reviews of the platform itself, newest first",
            "ReviewPage",
            ("slug", "review_sort", *listing),
        ),
        "/platforms/{slug}/requesters": _operation(
            "lookupRequesters",
            "Batch lookup: many requesters of one platform in one call",
            "BatchLookup",
            ("slug", "ids"),
            description="Made for browser add-ons that annotate a task list: at most "
            f"{config['API_BATCH_MAX_IDS']} identifiers per call, answered in a constant "
            "number of database queries. Unknown identifiers are listed in `unknown`.",
        ),
        "/platforms/{slug}/requesters/{external_id}": _operation(
            "getRequesterByIdentifier",
            "A requester, by platform and the platform's identifier",
            "RequesterDetail",
            ("slug", "external_id"),
            bad_request=False,
        ),
        "/requesters": _operation(
            "listRequesters",
            "Requesters, with their review figures",
            "RequesterPage",
            ("platform", "requester_sort", *listing),
        ),
        "/requesters/{requester_id}": _operation(
            "getRequester",
            "A requester: every stored figure, active warnings, proof totals",
            "RequesterDetail",
            ("requester_id",),
            bad_request=False,
        ),
        "/requesters/{requester_id}/reviews": _operation(
            "listRequesterReviews",
            "Reviews of a requester, newest first",
            "ReviewPage",
            ("requester_id", "review_sort", *listing),
        ),
        "/flags": _operation(
            "listFlags",
            "Confirmed task warnings, newest first",
            "FlagPage",
            ("platform", "category", *listing),
        ),
    }


def document() -> dict:
    config = current_app.config
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Taskopticon public read API",
            "version": API_VERSION,
            "summary": "Ratings of requesters and platforms, proofs of payment and task "
            "warnings, written by micro-workers.",
            "description": (
                "Read-only and public: JSON, open to every origin (CORS), cacheable (ETag, "
                f"If-None-Match). Rate limit: {config['API_RATE_LIMIT']} per address, shared "
                "by every route. Only public content is shown: never emails, countries, "
                "account ids, nor the authors of anonymous reviews, proofs or flags. Terms: "
                "the data may not be used to identify, track or manage workers (see /api)."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": PATH_PREFIX}],
        "paths": _paths(config),
        "components": {
            "schemas": _schemas(),
            "parameters": _parameters(config),
            "headers": _headers(),
            "responses": _responses(),
        },
    }
