"""Settings read from the environment."""

import pytest

from community.config import DEFAULT_DAILY_QUOTAS, build_config, instance_path


def test_daily_quotas_and_write_bursts_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DAILY_QUOTA_REVIEW", "10, 60,200")
    monkeypatch.setenv("WRITE_BURST_LIMIT_TL2", "60/minute;600/hour")
    config = build_config(str(tmp_path))
    assert config["DAILY_QUOTAS"]["review"] == (10, 60, 200)
    assert config["DAILY_QUOTAS"]["post"] == DEFAULT_DAILY_QUOTAS["post"]
    assert config["WRITE_BURST_LIMITS"] == ("5/minute", "15/minute", "60/minute;600/hour")


def test_a_quota_needs_one_number_per_trust_level(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DAILY_QUOTA_POST", "20,200")
    with pytest.raises(ValueError, match="DAILY_QUOTA_POST needs three numbers"):
        build_config(str(tmp_path))


def test_the_instance_folder_comes_from_the_configuration_then_the_environment(monkeypatch):
    assert instance_path({}, "/srv/default") == "/srv/default"
    monkeypatch.setenv("INSTANCE_PATH", "/srv/site")
    assert instance_path({}, "/srv/default") == "/srv/site"
    assert instance_path({"INSTANCE_PATH": "/srv/test"}, "/srv/default") == "/srv/test"
