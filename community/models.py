"""Every feature's tables, imported in one place for Alembic and for mapper configuration."""

from community.accounts.models import LoginThrottle, User
from community.catalog.models import Platform, Requester, RequesterAlias
from community.flags.models import Flag, FlagDecision, FlagSeenToo
from community.forum.models import Category, Post, PostRevision, Subscription, Thread
from community.notifications.models import Notification
from community.proofs.models import Proof, ProofMark
from community.reviews.models import Review, ReviewRevision
from community.search.models import SearchOutbox

__all__ = [
    "Category",
    "Flag",
    "FlagDecision",
    "FlagSeenToo",
    "LoginThrottle",
    "Notification",
    "Platform",
    "Post",
    "PostRevision",
    "Proof",
    "ProofMark",
    "Requester",
    "RequesterAlias",
    "Review",
    "ReviewRevision",
    "SearchOutbox",
    "Subscription",
    "Thread",
    "User",
]
