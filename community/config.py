"""One configuration, read from the environment. Every tunable rule lives here."""

import os
import secrets
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_levels(name: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    """Three whole numbers, one per trust level (TL0, TL1, TL2), written "5,30,100"."""
    value = os.environ.get(name)
    if not value:
        return default
    levels = tuple(int(part) for part in value.split(","))
    if len(levels) != 3:
        raise ValueError(f"{name} needs three numbers (TL0,TL1,TL2), for example 5,30,100")
    return levels


# Daily write quotas per trust level (TL0, TL1, TL2); each one can be set from the environment
# as DAILY_QUOTA_<ACTION>, e.g. DAILY_QUOTA_REVIEW=5,30,100.
DEFAULT_DAILY_QUOTAS = {
    "review": (5, 30, 100),
    "platform": (0, 5, 20),
    "thread": (3, 20, 50),
    "post": (20, 200, 500),
    "proof": (3, 10, 30),
    "flag": (3, 10, 30),
    "report": (5, 20, 50),
    "dispute": (1, 3, 5),
}
DEFAULT_WRITE_BURST_LIMITS = ("5/minute", "15/minute", "30/minute")


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def instance_path(config: dict, default: str) -> str:
    """The folder of the embedded database, secret key, search index and uploads."""
    return config.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or default


def build_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    https = _env_bool("COOKIE_SECURE", False)
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'taskopticon.db'}"
        ),
        # Pages kept for visitors who are not logged in (community/core/pagecache.py); 0: none.
        "PAGE_CACHE_SECONDS": _env_int("PAGE_CACHE_SECONDS", 60),
        "PAGE_CACHE_MAX_BYTES": _env_int("PAGE_CACHE_MAX_BYTES", 32 * 1024 * 1024),
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance / "search-index")),
        "SEARCH_TIME_LIMIT_SECONDS": float(os.environ.get("SEARCH_TIME_LIMIT_SECONDS", "1.0")),
        # /health fails when a change waits in the search outbox longer than this (each write
        # applies the waiting changes within moments of its answer; older ones mean none can).
        "SEARCH_OUTBOX_MAX_AGE_SECONDS": _env_int("SEARCH_OUTBOX_MAX_AGE_SECONDS", 300),
        # Index changes wait this long after a write, to go in one commit with the next ones.
        "SEARCH_DRAIN_DELAY_SECONDS": float(os.environ.get("SEARCH_DRAIN_DELAY_SECONDS", "0.2")),
        # A search that matches more documents ranks the most recent ones of this many.
        "SEARCH_MAX_SCORED": _env_int("SEARCH_MAX_SCORED", 2000),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "uploads")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Requests: bodies larger than this are refused with 413 before they are read.
        "MAX_CONTENT_LENGTH": _env_int("REQUEST_MAX_BYTES", 12 * 1024 * 1024),
        # Cookies: Secure is switched on by COOKIE_SECURE=1 when the site is served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_DURATION_DAYS": _env_int("REMEMBER_COOKIE_DURATION_DAYS", 30),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "fr"],
        # Accounts and trust levels.
        "LOGIN_MAX_FAILURES": _env_int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCKOUT_MINUTES": _env_int("LOGIN_LOCKOUT_MINUTES", 15),
        "PASSWORD_MIN_CHARS": 10,  # nosec B105 # a length, not a password
        "TRUST_TL1_MIN_DAYS": _env_int("TRUST_TL1_MIN_DAYS", 3),
        "TRUST_TL1_MIN_CONTRIBUTIONS": _env_int("TRUST_TL1_MIN_CONTRIBUTIONS", 3),
        "TRUST_TL2_MIN_DAYS": _env_int("TRUST_TL2_MIN_DAYS", 30),
        "TRUST_TL2_MIN_CONTRIBUTIONS": _env_int("TRUST_TL2_MIN_CONTRIBUTIONS", 20),
        "TRUST_TL2_CLEAN_DAYS": _env_int("TRUST_TL2_CLEAN_DAYS", 90),
        # Daily write quotas per trust level (TL0, TL1, TL2); moderators use the TL2 figure.
        "DAILY_QUOTAS": {
            action: _env_levels(f"DAILY_QUOTA_{action.upper()}", levels)
            for action, levels in DEFAULT_DAILY_QUOTAS.items()
        },
        # Short bursts, per account, by trust level (Flask-Limiter syntax, e.g. "30/minute").
        "WRITE_BURST_LIMITS": tuple(
            os.environ.get(f"WRITE_BURST_LIMIT_TL{level}") or default
            for level, default in enumerate(DEFAULT_WRITE_BURST_LIMITS)
        ),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10/minute;50/hour"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "5/hour"),
        # Marks a page sends as it is read (threads read, notifications opened), per account.
        "READ_MARK_RATE_LIMIT": os.environ.get("READ_MARK_RATE_LIMIT", "60/minute"),
        # Reviews and aggregates.
        "REVIEW_BODY_MIN_CHARS": 40,
        "REVIEW_BODY_MAX_CHARS": 10_000,
        "RANKING_PRIOR_MEAN": 3.0,
        "RANKING_PRIOR_WEIGHT": 5,
        "STATS_RECENT_DAYS": 90,
        "PAGE_SIZE": 20,
        # Screenshots (proofs of payment): checked from the bytes before anything is decoded.
        "UPLOAD_MAX_BYTES": _env_int("UPLOAD_MAX_BYTES", 8 * 1024 * 1024),
        "UPLOAD_MAX_PIXELS": _env_int("UPLOAD_MAX_PIXELS", 40_000_000),
        "UPLOAD_MAX_SIDE_PX": 2560,  # larger screenshots are scaled down to this longest side
        "UPLOAD_THUMB_SIDE_PX": 360,
        "PROOF_NOTE_MAX_CHARS": 2000,
        # "Is it legit?" card: rules in community/proofs/legit.py, explained at /legit-rules.
        "LEGIT_RECENT_DAYS": (30, 90, 365),  # evidence windows shown; the longest bounds them all
        "LEGIT_PAYS_WINDOW_DAYS": 90,  # one of LEGIT_RECENT_DAYS: how recent "recent evidence" is
        "LEGIT_MIN_MEMBERS_FOR_PAYS": 3,  # distinct members with confirmed proofs
        "LEGIT_NONPAYMENT_MIN_MEMBERS": 3,  # distinct members reporting "never paid"
        "LEGIT_NONPAYMENT_WARNING_SHARE": 0.25,  # of the members who said whether they were paid
        "LEGIT_SCAM_WARNINGS_MIN": 1,  # confirmed scam warnings (task flags) that override all
        # Task flags (community/flags): the description, and the reason of every decision.
        "FLAG_DESCRIPTION_MIN_CHARS": 30,
        "FLAG_DESCRIPTION_MAX_CHARS": 5000,
        "FLAG_REASON_MIN_CHARS": 10,
        "FLAG_REASON_MAX_CHARS": 2000,
        # Public read API (community/api): requests per address, caching, pages, batch lookups.
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "120/minute"),
        "API_CACHE_MAX_AGE_SECONDS": _env_int("API_CACHE_MAX_AGE_SECONDS", 60),
        "API_PAGE_SIZE": 20,
        "API_MAX_PAGE_SIZE": 100,
        "API_BATCH_MAX_IDS": 100,
        # Moderation (community/moderation). Reports weigh by the reporter's trust level (TL0,
        # TL1, TL2; moderators weigh REPORT_MODERATOR_WEIGHT); an item is hidden "pending review"
        # at once when its open reports weigh REPORT_AUTOHIDE_WEIGHT: three trusted members.
        "REPORT_WEIGHTS": (1, 2, 3),
        "REPORT_MODERATOR_WEIGHT": 3,
        "REPORT_AUTOHIDE_WEIGHT": _env_int("REPORT_AUTOHIDE_WEIGHT", 9),
        "REPORT_DETAILS_MAX_CHARS": 1000,
        "MODERATION_REASON_MIN_CHARS": 10,  # every act needs a written reason
        "MODERATION_REASON_MAX_CHARS": 2000,
        "APPEAL_WINDOW_DAYS": _env_int("APPEAL_WINDOW_DAYS", 30),
        "APPEAL_STATEMENT_MIN_CHARS": 20,
        "SUSPENSION_MAX_DAYS": 365,
        "MODERATION_TEXT_MAX_CHARS": 10_000,  # statements, evidence, replies, outcomes
        "DISPUTE_TEXT_MIN_CHARS": 30,
        "CLAIM_EVIDENCE_MIN_CHARS": 20,
        "REPLY_MIN_CHARS": 10,
        "MODERATOR_TERM_DAYS": 365,  # terms of elected moderators
        "ELECTION_MAX_SEATS": 10,
    }
