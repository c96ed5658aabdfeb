"""The site's real rate limits with Redis as their storage (RATELIMIT_STORAGE_URI=redis://...).

Runs when a Redis answers at TEST_REDIS_URL (else redis://127.0.0.1:6379/0). Every key of the run
carries the run's own prefix, and only those keys are deleted afterwards.
"""

import os

import pytest

from community import create_app
from community.extensions import limiter
from tests.conftest import (
    RATE_LIMIT_PREFIX,
    TEST_CONFIG,
    build_app,
    login,
    make_platform,
    make_review,
    make_user,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    return client


def _our_keys(client) -> list:
    return list(client.scan_iter(match=f"{RATE_LIMIT_PREFIX}:*", count=1000))


@pytest.fixture(scope="module")
def redis_client():
    client = _redis()
    yield client
    keys = _our_keys(client)
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="module")
def redis_app(tmp_path_factory, redis_client):
    app = build_app(tmp_path_factory, RATELIMIT_STORAGE_URI=REDIS_URL, API_RATE_LIMIT="3/minute")
    yield app
    # The limiter is one object for every app of the process: give it back its memory storage.
    instance = tmp_path_factory.mktemp("memory-limits")
    create_app(
        {**TEST_CONFIG, "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )


@pytest.fixture
def redis_limited(redis_app, redis_client):
    with redis_app.app_context():
        limiter.reset()  # deletes the keys under this run's prefix only
        yield redis_app.test_client()
        limiter.reset()


def test_limits_are_counted_in_redis_under_the_run_prefix(redis_limited, redis_client):
    redis_limited.post("/login", data={"username": "someone", "password": "guess guess"})
    keys = [key.decode() for key in _our_keys(redis_client)]
    assert keys and all(RATE_LIMIT_PREFIX in key.split(":", 1)[1] for key in keys)


def test_repeated_logins_are_refused_with_redis(redis_limited, redis_app):
    allowed = int(redis_app.config["LOGIN_RATE_LIMIT"].split("/")[0])
    for _ in range(allowed):
        response = redis_limited.post(
            "/login", data={"username": "someone", "password": "guess guess"}
        )
        assert response.status_code != 429
    refused = redis_limited.post("/login", data={"username": "someone", "password": "guess guess"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)


def test_a_burst_of_writes_is_refused_with_redis(redis_limited, redis_app):
    user = make_user(trust=0)
    login(redis_limited, user.username)
    burst = int(redis_app.config["WRITE_BURST_LIMITS"][0].split("/")[0])
    review = make_review(user)
    statuses = [
        redis_limited.post(f"/reviews/{review.id}/edit", data={}).status_code
        for _ in range(burst + 1)
    ]
    assert 429 not in statuses[:burst] and statuses[-1] == 429


def test_the_api_limit_is_shared_by_its_routes_with_redis(redis_limited):
    make_platform(slug="mturk")
    statuses = [redis_limited.get("/api/v1/platforms/mturk").status_code for _ in range(3)]
    refused = redis_limited.get("/api/v1/flags")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
