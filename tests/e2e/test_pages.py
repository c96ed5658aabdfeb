"""Every page of the demo site on a 360 px phone, in English and French: no horizontal scrolling,
no request anywhere but the site itself, and a weight (what the browser transferred with an empty
cache, the members' screenshots aside) under 150 KB. The weights measured are written to
test-artifacts/page-weights.txt."""

import re
from collections import defaultdict

import pytest

from tests.e2e.conftest import PHONE, ROOT, screenshot
from tests.e2e.pages import every_page

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 150 * 1024
USER_IMAGES = re.compile(r"/proofs/\d+/(thumbnail|image)$")
WEIGHTS = ROOT / "test-artifacts" / "page-weights.txt"
# What sticks out to the right, to say where a failure comes from.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right > limit + 0.5 && box.width > 0) {
      const name = `${element.tagName.toLowerCase()}.${element.className}`;
      found.push(`${name} (${Math.round(box.right)}px)`);
    }
  }
  return found.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def visits(site):
    with site.db() as app:
        return every_page(app)


def _transferred(request) -> int:
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def test_every_page_fits_a_phone_loads_nothing_from_elsewhere_and_stays_light(
    site, sessions, visits
):
    by_user = defaultdict(list)
    for visit in visits:
        by_user[visit.user].append(visit)
    too_wide, elsewhere, not_ok, weights = [], [], [], {}

    def visit_page(page, visit, locale, requests) -> None:
        requests.clear()
        answer = page.goto(site.url + visit.path, wait_until="load")
        if answer is None or answer.status != 200:
            not_ok.append((visit.path, visit.user, answer and answer.status))
            return
        if page.evaluate("document.documentElement.lang") != locale[:2]:
            not_ok.append((visit.path, visit.user, f"not in {locale}"))
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append((visit.path, locale, width, page.evaluate(WIDEST)))
            screenshot(page, f"too-wide-{visit.endpoint}-{locale}")
        elsewhere.extend(
            (visit.path, request.url)
            for request in requests
            if not request.url.startswith(f"{site.url}/")
            and not request.url.startswith(("data:", "blob:"))
        )

    for user, group in by_user.items():
        # English, each page as on a first visit: the cache emptied before it (a browser with
        # its cache "disabled" still revalidates, and a 304 would hide the style sheet's weight).
        context = sessions.new(user, viewport=PHONE, locale="en-GB")
        requests = []
        context.on("request", lambda request, seen=requests: seen.append(request))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        for visit in group:
            cdp.send("Network.clearBrowserCache")
            visit_page(page, visit, "en-GB", requests)
            weights[visit.path] = sum(
                _transferred(request)
                for request in requests
                if request.url.startswith(site.url)
                and not USER_IMAGES.search(request.url.split("?")[0])
            )
        context.close()
        # French: longer words, the same pages one after the other.
        context = sessions.new(user, viewport=PHONE, locale="fr-FR")
        requests = []
        context.on("request", lambda request, seen=requests: seen.append(request))
        page = context.new_page()
        for visit in group:
            visit_page(page, visit, "fr-FR", requests)
        context.close()

    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    ranked = sorted(weights.items(), key=lambda item: -item[1])
    WEIGHTS.write_text(
        "".join(f"{weight / 1024:7.1f} KB  {path}\n" for path, weight in ranked), encoding="utf-8"
    )
    assert not_ok == []
    assert too_wide == []
    assert elsewhere == []
    assert len(weights) == len(visits)
    assert min(weights.values()) > 15 * 1024  # the style sheet counts on every page
    heaviest_path, heaviest = ranked[0]
    assert heaviest < MAX_PAGE_BYTES, f"{heaviest_path} weighs {heaviest / 1024:.1f} KB"
