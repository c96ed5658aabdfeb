from community.reviews.fairpay import is_below_minimum_wage, minimum_wage, minimum_wages

REQUIRED = {"FR", "US", "DE", "GB", "IN", "PH", "KE", "VE", "MA", "BR"}


def test_the_reference_covers_the_required_countries_with_year_and_source():
    wages = minimum_wages()
    assert set(wages) >= REQUIRED
    assert len(wages) >= 12
    for wage in wages.values():
        assert wage.year >= 2024
        assert wage.source.startswith("https://")
        assert wage.hourly_minor > 0
        assert wage.hourly_usd_cents is not None


def test_pay_is_compared_with_the_reviewer_countrys_minimum_wage():
    us = minimum_wage("US")
    assert us.hourly_minor == 725 and us.currency == "USD"
    assert is_below_minimum_wage(724, "US") is True
    assert is_below_minimum_wage(725, "US") is False
    # 5 USD an hour is below the French minimum but above the Indian one.
    assert is_below_minimum_wage(500, "FR") is True
    assert is_below_minimum_wage(500, "IN") is False


def test_unknown_country_or_pay_gives_no_verdict():
    assert is_below_minimum_wage(500, None) is None
    assert is_below_minimum_wage(500, "ZZ") is None
    assert is_below_minimum_wage(None, "FR") is None
