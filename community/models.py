"""Every feature's tables, imported in one place for Alembic and for mapper configuration."""

from community.accounts.models import LoginThrottle, User
from community.catalog.models import Platform, Requester, RequesterAlias
from community.proofs.models import Proof, ProofMark
from community.reviews.models import Review, ReviewRevision

__all__ = [
    "LoginThrottle",
    "Platform",
    "Proof",
    "ProofMark",
    "Requester",
    "RequesterAlias",
    "Review",
    "ReviewRevision",
    "User",
]
