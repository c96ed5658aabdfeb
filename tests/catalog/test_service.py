import pytest

from community.catalog import service
from community.catalog.models import Platform, normalise_name
from community.core.errors import DomainError, PermissionDenied
from community.extensions import db
from tests.conftest import make_platform, make_requester, make_user


def test_the_starter_list_ships_at_least_fifteen_sourced_platforms(app):
    added = service.load_starter_platforms()
    assert added >= 15
    slugs = {p.slug for p in db.session.query(Platform)}
    assert {
        "amazon-mechanical-turk",
        "prolific",
        "clickworker",
        "appen",
        "toloka",
        "bemyeye",
    } <= slugs
    assert any("foule" in slug for slug in slugs)
    assert all(p.source for p in db.session.query(Platform))
    assert service.load_starter_platforms() == 0  # loading twice changes nothing


def test_names_are_normalised_for_matching():
    assert normalise_name("  Acmé  Research, Inc. ") == "acme research inc"
    assert normalise_name("ÉTUDE-Lab") == normalise_name("etude lab")


def test_requesters_are_found_by_identifier_whatever_its_case(app):
    requester = make_requester(external_id="A1B2C3D4E5F6G7")
    found = service.find_or_create_requester(requester.platform, "a1b2c3d4e5f6g7", None)
    assert found.id == requester.id


def test_requesters_without_identifier_are_found_by_normalised_name(app):
    platform = make_platform()
    first = service.find_or_create_requester(platform, None, "Étude Lab")
    db.session.commit()
    again = service.find_or_create_requester(platform, None, "etude  LAB")
    assert again.id == first.id


def test_a_new_name_for_a_known_identifier_becomes_an_alias(app):
    requester = make_requester(external_id="AALIAS0000001", name="Old Name")
    service.find_or_create_requester(requester.platform, "AALIAS0000001", "New Name")
    db.session.commit()
    assert [alias.name for alias in requester.aliases] == ["New Name"]
    assert service.find_requester(requester.platform, None, "new name").id == requester.id


def test_the_same_identifier_on_two_platforms_is_two_requesters(app):
    one, two = make_platform(), make_platform()
    a = service.find_or_create_requester(one, "ASAME00000001", None)
    b = service.find_or_create_requester(two, "ASAME00000001", None)
    db.session.commit()
    assert a.id != b.id


def test_a_requester_needs_an_identifier_or_a_name(app):
    with pytest.raises(DomainError):
        service.find_or_create_requester(make_platform(), "  ", "  ")


def test_lookup_finds_by_identifier_or_name_prefix(app):
    platform = make_platform()
    make_requester(platform, "AFIND00000001", "Panel Research")
    make_requester(platform, None, "Panorama Labs")
    assert [r.display_name for r in service.lookup_requesters("afind00000001", None)] == [
        "Panel Research"
    ]
    assert {r.display_name for r in service.lookup_requesters("pan", platform)} == {
        "Panel Research",
        "Panorama Labs",
    }
    assert service.lookup_requesters("%", None) == []


def test_new_members_cannot_add_platforms(app):
    with pytest.raises(PermissionDenied):
        service.add_platform(
            make_user(trust=0), service.PlatformData("New App", None, "mobile_app")
        )


def test_members_add_platforms_and_duplicates_are_not_created(app):
    member = make_user(trust=1)
    platform = service.add_platform(
        member, service.PlatformData("Cash Taps", "https://cashtaps.example", "mobile_app")
    )
    assert platform.slug == "cash-taps"
    again = service.add_platform(member, service.PlatformData("cash  taps", None, "mobile_app"))
    assert again.id == platform.id
