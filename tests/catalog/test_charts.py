"""The charts of requester and platform pages, read from the stored figures."""

import re
from datetime import timedelta

from community.extensions import db
from community.reviews import aggregates
from tests.conftest import make_platform, make_requester, make_review


def paid(target, cents_per_hour, days_ago=0, **scores):
    review = make_review(
        target=target,
        reward_minor=cents_per_hour,
        currency="USD",
        minutes=60,
        outcome="approved",
        **scores,
    )
    if days_ago:
        review.created_at -= timedelta(days=days_ago)
        aggregates.refresh(target)
        db.session.commit()
    return review


def test_a_requester_page_draws_its_score_distributions_and_pay_over_time(client):
    requester = make_requester()
    paid(requester, 400, score_pay=5)
    paid(requester, 800, score_pay=5)
    paid(requester, 200, days_ago=62, score_pay=1)
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)

    for name in ("pay", "fairness", "communication"):
        assert f'aria-labelledby="chart-{name}-title chart-{name}-desc"' in html
    assert '<title id="chart-pay-title">Pay scores given, from 1 to 5</title>' in html
    assert (
        "1★: 1 reviewer; 2★: 0 reviewers; 3★: 0 reviewers; 4★: 0 reviewers; 5★: 2 reviewers" in html
    )
    # The figures as a table for screen readers: 1★ row, then 5★ row.
    table = html.split("Number of reviewers who gave each score", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><th scope=\"row\">(\d)★</th><td>(\d+)</td>", table)
    assert cells == [("1", "1"), ("2", "0"), ("3", "0"), ("4", "0"), ("5", "2")]

    assert "Median hourly pay by month, in US dollars" in html
    hourly = html.split('id="chart-hourly-title"', 1)[1].split("</svg>", 1)[0]
    assert hourly.count("<circle") == 2  # two months with pay facts (one between them empty)
    assert ": median $6.00/h, 2 reviews</title>" in hourly  # 4 and 8 dollars an hour
    assert ": median $2.00/h, 1 review</title>" in hourly
    months = html.split("Median hourly pay by month</caption>", 1)[1].split("</table>", 1)[0]
    assert (
        months.count('<tr><th scope="row">') == 3
    )  # the empty month between is a row too, with a dash
    assert "<td>—</td><td>0</td>" in months


def test_charts_are_drawn_in_french_too(client):
    requester = make_requester()
    paid(requester, 450)
    html = client.get(f"/requesters/{requester.id}", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "Notes de rémunération données, de 1 à 5" in html
    assert "Rémunération horaire médiane par mois, en dollars américains" in html
    assert "4,50" in html.split('id="chart-hourly-title"', 1)[1].split("</svg>", 1)[0]


def test_no_pay_facts_no_pay_chart_and_no_review_no_chart(client):
    requester = make_requester()
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "<svg" not in html
    make_review(target=requester)  # scores only
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert 'id="chart-pay-title"' in html
    assert "chart-hourly" not in html


def test_a_platform_page_charts_the_reviews_of_the_platform_itself(client):
    platform = make_platform()
    paid(platform, 900, score_pay=4)
    paid(make_requester(platform), 100)  # a requester's review is not the platform's
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert ": median $9.00/h, 1 review</title>" in html
    assert "$1.00/h, 1 review" not in html


def test_chart_markup_has_no_inline_style(client):
    requester = make_requester()
    paid(requester, 400)
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    assert not any("style" in svg for svg in svgs)
