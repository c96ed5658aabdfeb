"""Every feature's tables, imported in one place for Alembic and for mapper configuration."""

from community.accounts.models import LoginThrottle, User
from community.catalog.models import (
    Platform,
    PlatformRedirect,
    Requester,
    RequesterAlias,
    RequesterRedirect,
)
from community.core.pagecache import ContentVersion
from community.flags.models import Flag, FlagDecision, FlagSeenToo
from community.forum.models import Category, Post, PostRevision, Subscription, Thread
from community.moderation.models import (
    Appeal,
    Ballot,
    Candidate,
    Dispute,
    DisputeStatement,
    Election,
    ElectionVoter,
    ModerationAction,
    ModeratorTerm,
    QueueEntry,
    Report,
    RepresentativeClaim,
    ReviewReply,
    RulesVersion,
)
from community.notifications.models import Notification
from community.proofs.models import Proof, ProofMark
from community.reviews.models import PaymentReport, Review, ReviewRevision, ReviewTally
from community.search.models import SearchOutbox

__all__ = [
    "Appeal",
    "Ballot",
    "Candidate",
    "Category",
    "ContentVersion",
    "Dispute",
    "DisputeStatement",
    "Election",
    "ElectionVoter",
    "Flag",
    "FlagDecision",
    "FlagSeenToo",
    "LoginThrottle",
    "ModerationAction",
    "ModeratorTerm",
    "Notification",
    "PaymentReport",
    "Platform",
    "PlatformRedirect",
    "Post",
    "PostRevision",
    "Proof",
    "ProofMark",
    "QueueEntry",
    "Report",
    "RepresentativeClaim",
    "Requester",
    "RequesterAlias",
    "RequesterRedirect",
    "Review",
    "ReviewReply",
    "ReviewRevision",
    "ReviewTally",
    "RulesVersion",
    "SearchOutbox",
    "Subscription",
    "Thread",
    "User",
]
