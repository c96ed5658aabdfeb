"""Every list and lookup of the API is served by an index, like the site's pages."""

import pytest

from community.catalog import service as catalog
from community.extensions import db
from tests.conftest import make_flag, make_proof, make_review, make_user
from tests.test_query_plans import captured_selects, full_scans  # noqa: F401 - a fixture

pytestmark = pytest.mark.sqlite_only


def test_the_api_never_scans_a_table(client, captured_selects):  # noqa: F811
    catalog.load_starter_platforms()
    platform = catalog.get_platform_by_slug_or_404("amazon-mechanical-turk")
    requester = catalog.find_or_create_requester(platform, "AQUERYPLAN0001", "Plan Lab")
    db.session.commit()
    author = make_user()
    make_review(author, requester, outcome="approved", reward_minor=50, currency="USD", minutes=5)
    make_review(author, platform)
    make_proof(author, requester=requester, confirmed=True)
    make_flag(author, requester=requester, confirmed=True, category="scam")
    slug = platform.slug
    urls = [
        "/api/v1/platforms",
        "/api/v1/platforms?sort=best&page=2",
        f"/api/v1/platforms/{slug}",
        f"/api/v1/platforms/{slug}/proofs",
        f"/api/v1/platforms/{slug}/reviews",
        f"/api/v1/platforms/{slug}/reviews?sort=oldest",
        f"/api/v1/platforms/{slug}/requesters?ids=AQUERYPLAN0001,AUNKNOWN0002",
        f"/api/v1/platforms/{slug}/requesters/AQUERYPLAN0001",
        "/api/v1/requesters",
        f"/api/v1/requesters?platform={slug}&sort=recent",
        f"/api/v1/requesters/{requester.id}",
        f"/api/v1/requesters/{requester.id}/reviews",
        "/api/v1/flags",
        f"/api/v1/flags?platform={slug}",
        "/api/v1/flags?category=scam",
        f"/api/v1/flags?platform={slug}&category=scam",
    ]
    for url in urls:
        captured_selects.clear()
        assert client.get(url).status_code == 200, url
        assert captured_selects, url
        assert not full_scans(captured_selects), (url, full_scans(captured_selects))
