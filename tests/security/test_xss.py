"""Stored XSS: a corpus of hostile payloads, each typed into every field that shows member text,
through the real forms; then every page that shows them is fetched and parsed (tests/security/
pages.py): no script, no handler, no javascript:/data: address, no style, nothing outside the
allowlist, and the text itself still there for the reader.

Fields rendered from Markdown (reviews, posts, proofs' notes, flags, replies, dispute statements)
get one payload each, so that payloads cannot mask each other. Fields shown as plain text in
longer passages (reasons, reports, appeals, claims, statements of candidates) get the payloads
packed into as few submissions as their length allows: escaping treats a string as a whole.
Short fields (titles, names, aliases) get one payload each, in the same submissions."""

import io
import json
import os
import re
from datetime import date

import pytest
from sqlalchemy import select

from community.accounts import service as accounts
from community.accounts.models import Role
from community.catalog import service as catalog
from community.core.errors import DomainError
from community.extensions import db
from community.flags.models import Flag
from community.moderation.models import ModerationAction, RepresentativeClaim
from community.search import service as search
from tests.conftest import make_platform, make_requester, make_user
from tests.imagefiles import png_bytes
from tests.reviews.test_views import FORM as REVIEW_FORM
from tests.security.conftest import client_as
from tests.security.pages import problems_in

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](<javascript:alert(1)>)",
    "![pixel](javascript:alert(1))",
    "![tracker](https://evil.example/pixel.png)",
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "[@role](javascript:alert(1)) @nobody",
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](\u200bjavascript:alert(1)) [y](ｊａｖａｓｃｒｉｐｔ:alert(1)) [z](VBScript:msgbox(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=//evil.example><button formaction=javascript:alert(1)>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<https://evil.example/"onmouseover="alert(1)>',
    'www.evil.example/"onmouseover="alert(1)',
    "```\n<script>alert(1)</script>\n```",
    "> <img src=x onerror=alert(1)>\n\n| a | <b onclick=alert(1)>b</b> |\n|---|---|",
    "\u202e<script>alert(1)</script>\u202c",
    "{{ config }} {% raw %}<script>alert(1)</script>",
    "<x onclick=alert(1)>click</x> <marquee onstart=alert(1)> <details open ontoggle=alert(1)>",
    "[x](mailto:a@b.example?body=<script>alert(1)</script>)",
]
PAD = "These words make the text long enough for every form that asks for a minimum."
SEARCH_WORD = "xsscorpus"
TODAY = date.today().isoformat()


def marker(n: int) -> str:
    return f"X{n:02d}"


def short(n: int, payload: str, limit: int) -> str:
    """For titles and names: the marker and the payload, within the field's length."""
    return f"{marker(n)} {payload}"[:limit]


def named(n: int, payload: str) -> str:
    """A requester's name (not one of the aliases the reviews give the corpus requester)."""
    return f"R{n:02d} {payload}"[:200]


def long(n: int, payload: str) -> str:
    """For Markdown: the payload on its own, between the marker and words enough."""
    return f"{marker(n)} {SEARCH_WORD}\n\n{payload}\n\n{PAD}"


def packed(limit: int) -> list[str]:
    """Every payload, packed into texts of at most `limit` characters."""
    chunks, current = [], ""
    for n, payload in enumerate(PAYLOADS):
        piece = f"{marker(n)} {payload}\n"
        if current and len(current) + len(piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    return [*chunks, current]


def location_id(response, pattern: str) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(pattern, response.headers["Location"]).group(1))


def posted(client, url, data, **options):
    response = client.post(url, data=data, **options)
    assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])
    return response


class Site:
    """Who is who, and where every payload went."""

    def __init__(self, app):
        self.app = app
        self.author = make_user(trust=2, username="xss_author")
        self.reader = make_user(trust=2, username="xss_reader")
        self.rep = make_user(trust=1, username="xss_rep")
        self.claimant = make_user(trust=1, username="xss_claimant")
        self.mod = make_user(trust=2, role=Role.MODERATOR, username="xss_mod")
        self.mod2 = make_user(trust=2, role=Role.MODERATOR, username="xss_mod2")
        self.admin = make_user(trust=2, role=Role.ADMIN, username="xss_admin")
        self.platform = make_platform(name="Corpus Platform", slug="corpus-platform")
        self.requester = make_requester(self.platform, external_id="AXSSREP000", name="Corpus Lab")
        self.requester_id, self.platform_slug = self.requester.id, self.platform.slug
        self.pages: list[tuple[str, str, str | None]] = []  # (role, url, marker it must show)

    def client(self, user):
        return client_as(self.app, user)

    def read(self, who: str, url: str, must_show: str | None = None) -> None:
        self.pages.append((who, url, must_show))


def build(app) -> Site:
    site = Site(app)
    author, reader, rep, mod = (
        site.client(u) for u in (site.author, site.reader, site.rep, site.mod)
    )
    admin, mod2 = site.client(site.admin), site.client(site.mod2)
    platform_id, requester_id = str(site.platform.id), site.requester.id

    # The representative claims the corpus requester and is verified: the claim's evidence and
    # the decision carry payloads too (packed).
    evidence, *_ = packed(2000)
    posted(rep, f"/requesters/{requester_id}/claim", {"evidence": evidence})
    claim = db.session.scalar(
        select(RepresentativeClaim).where(RepresentativeClaim.user_id == site.rep.id)
    )
    posted(mod, f"/moderation/claims/{claim.id}", {"decision": "verify", "reason": evidence})

    reviews, threads, disputes, flags, elections = [], [], [], [], []
    for n, payload in enumerate(PAYLOADS):
        title, body = short(n, payload, 160), long(n, payload)
        review_form = {
            **REVIEW_FORM,
            "submission_key": f"xss-{n}",
            "platform_id": platform_id,
            "requester_external_id": site.requester.external_id,
            "requester_name": short(n, payload, 200),  # becomes an alias of the requester
            "task_title": short(n, payload, 200),
            "body": body,
        }
        review = location_id(posted(author, "/reviews/new", review_form), r"#r(\d+)$")
        reviews.append(review)

        slug = (
            posted(
                author,
                "/platforms/new",
                {
                    "name": short(n, payload, 120),
                    "website": "https://example.org/",
                    "kind": "microtask",
                    "description": body,
                },
            )
            .headers["Location"]
            .rsplit("/", 1)[1]
        )
        site.read("anonymous", f"/platforms/{slug}", marker(n))

        thread = location_id(
            posted(
                author,
                "/forum/newcomers/new",
                {"title": title, "body": f"{body}\n\n@xss_reader", "link_platform": "0"},
            ),
            r"/threads/(\d+)",
        )
        threads.append(thread)
        posted(reader, f"/threads/{thread}/reply", {"body": body})
        site.read("anonymous", f"/threads/{thread}", marker(n))

        proof_form = {
            "submission_key": os.urandom(8).hex(),
            "platform_id": platform_id,
            "requester_external_id": "",
            "requester_name": named(n, payload),  # a new requester, named by the payload
            "amount": "12.50",
            "currency": "USD",
            "received_on": TODAY,
            "payout_method": "paypal",
            "note": body,
            "redacted": "y",
            "screenshot": (io.BytesIO(png_bytes()), "screenshot.png"),
        }
        proof = location_id(
            posted(author, "/proofs/new", proof_form, content_type="multipart/form-data"),
            r"/proofs/(\d+)$",
        )
        site.read("anonymous", f"/proofs/{proof}", marker(n))

        flag = location_id(
            posted(
                author,
                "/flags/new",
                {
                    "submission_key": os.urandom(8).hex(),
                    "platform_id": platform_id,
                    "requester_external_id": "",
                    "requester_name": named(n, payload),
                    "task_title": short(n, payload, 200),
                    "category": "scam",
                    "description": body,
                    "seen_on": TODAY,
                },
            ),
            r"/flags/(\d+)$",
        )
        flags.append(flag)
        site.read("anonymous", f"/flags/{flag}", marker(n))

        posted(rep, f"/reviews/{review}/reply", {"body": body})
        dispute = location_id(
            posted(
                rep,
                f"/disputes/new?review={review}",
                {"title": title, "body": body, "evidence": body},
            ),
            r"/disputes/(\d+)$",
        )
        disputes.append(dispute)
        site.read("xss_author", f"/disputes/{dispute}", marker(n))  # a party reads the case
        election = posted(admin, "/elections", {"title": title, "seats": "1", "reason": PAD})
        elections.append(location_id(election, r"/elections/(\d+)$"))

    # A refused form comes back with everything typed, in value="" and <textarea>.
    for text in packed(200):
        form = {**REVIEW_FORM, "score_pay": "", "platform_id": platform_id, "body": text}
        form.update(requester_external_id=text[:64], requester_name=text, task_title=text)
        refused = author.post("/reviews/new", data=form)
        assert refused.status_code == 422
        site.pages.append(("refused form", refused.get_data(as_text=True), text[:3]))

    # One review edited with every payload, packed: its history shows each earlier version.
    edited = reviews[0]
    for text in packed(1500):
        posted(author, f"/reviews/{edited}/edit", {**REVIEW_FORM, "body": f"{text}\n\n{PAD}"})
    site.read("xss_author", f"/reviews/{edited}/history", marker(1))

    # Plain-text passages: every payload, packed, through each form that takes one.
    for i, text in enumerate(packed(900)):
        review = reviews[i + 1]
        posted(reader, f"/report/review/{review}", {"reason": "other", "details": text})
        site.read("xss_mod", f"/moderation/items/review/{review}")
        hide = {"code": "misleading", "reason": text, "rule": "0"}
        posted(mod, f"/moderation/items/review/{review}/hide", hide)
        act = db.session.scalar(
            select(ModerationAction.id)
            .where(ModerationAction.target_kind == "review", ModerationAction.target_id == review)
            .order_by(ModerationAction.id.desc())
        )
        appeal = location_id(
            posted(author, f"/moderation/actions/{act}/appeal", {"statement": text}),
            r"/appeals/(\d+)$",
        )
        posted(mod2, f"/appeals/{appeal}/decide", {"decision": "overturn", "reason": text})
        site.read("xss_author", f"/appeals/{appeal}")
        posted(mod, f"/disputes/{disputes[i]}/take", {"take-reason": text})
        posted(
            mod,
            f"/disputes/{disputes[i]}/close",
            {"close-decision": "resolved", "close-reason": text},
        )
        posted(reader, f"/flags/{flags[i]}/decision", {"decision": "confirm", "reason": text})
        posted(mod, "/moderation/members/xss_author/warn", {"reason": text, "rule": "0"})
        posted(mod, f"/moderation/items/thread/{threads[i]}/lock", {"reason": text, "rule": "0"})
        claimed = db.session.scalar(select(Flag.requester_id).where(Flag.id == flags[i]))
        posted(site.client(site.claimant), f"/requesters/{claimed}/claim", {"evidence": text})
        posted(reader, f"/elections/{elections[i]}/nominate", {"statement": text})
        site.read("anonymous", f"/elections/{elections[i]}")
    pending = db.session.scalars(
        select(RepresentativeClaim.id).where(RepresentativeClaim.user_id == site.claimant.id)
    ).all()
    for claim_id, text in zip(pending, packed(900), strict=False):
        posted(mod, f"/moderation/claims/{claim_id}", {"decision": "reject", "reason": text})

    # Lists, search and member pages, where many payloads show at once.
    for page in range(1, len(PAYLOADS) // 10 + 2):
        site.read("anonymous", f"/requesters/{requester_id}?page={page}")
        site.read("anonymous", f"/search?q={SEARCH_WORD}&page={page}")
        site.read("anonymous", f"/disputes?page={page}")
        site.read("anonymous", f"/flags?page={page}")
        site.read("anonymous", f"/moderation/log?page={page}")
        site.read("xss_reader", f"/notifications?page={page}")
        site.read("xss_author", f"/notifications?page={page}")
        site.read("anonymous", f"/requesters?sort=recent&page={page}")
        site.read("anonymous", f"/platforms?sort=recent&page={page}")
    for kind in ("review", "post", "thread", "flag", "requester", "platform"):
        site.read("anonymous", f"/search?q={SEARCH_WORD}+X0&kind={kind}")
    for path in (
        "/",
        "/forum",
        "/forum/newcomers",
        "/forum/newcomers?page=2",
        "/proofs",
        "/moderators",
        "/members/xss_author",
        f"/platforms/{site.platform.slug}",
        f"/platforms/{site.platform.slug}/proofs",
        f"/requesters?q=X0&platform={site.platform.slug}",
        "/check?q=X0",
    ):
        site.read("anonymous", path)
    for path in (
        "/moderation",
        "/moderation/claims",
        "/moderation/disputes",
        "/moderation/appeals",
    ):
        site.read("xss_mod", path)
    site.read("xss_mod", "/moderation/members/xss_author")
    site.read("xss_author", "/me/moderation")
    site.read("xss_author", "/me/reviews")
    site.read("xss_author", "/me/reviews?page=2")
    return site


@pytest.fixture(scope="module")
def site(app):
    """The corpus, stored through the forms. The index is brought up to date once at the end
    (as `flask --app wsgi search drain` does) rather than after each of the many writes."""
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "drain", lambda: True)
        built = build(app)
    with app.app_context():
        search.drain()
    return built


def test_the_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 40 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert all(len(payload) <= 150 for payload in PAYLOADS)


def test_no_page_that_shows_the_payloads_carries_script_style_or_a_dangerous_address(app, site):
    users = {
        name: accounts.find_by_username(name) for name in ("xss_author", "xss_reader", "xss_mod")
    }
    shown = set()
    for who, url, must_show in site.pages:
        if who == "refused form":  # the page itself, kept from the 422 answer
            html = url
        else:
            response = site.client(users.get(who)).get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            html = response.get_data(as_text=True)
        assert not problems_in(html), (who, url[:200], problems_in(html))
        shown.update(re.findall(r"X\d\d", html))
        if must_show:
            assert must_show in html, (who, url[:200], must_show)
    assert {marker(n) for n in range(len(PAYLOADS))} <= shown


def test_the_api_answers_plain_text_as_json(app, site):
    visitor = site.client(None)
    urls = [
        f"/api/v1/requesters/{site.requester_id}/reviews?per_page=100",
        f"/api/v1/requesters/{site.requester_id}",
        f"/api/v1/platforms/{site.platform_slug}/proofs",
        "/api/v1/flags?per_page=100",
        "/api/v1/requesters?per_page=100",
        "/api/v1/platforms?per_page=100",
    ]
    texts, rendered = [], []
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200 and response.mimetype == "application/json", url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        collect(json.loads(response.get_data()), texts, rendered)
    # Plain fields are the members' text as typed (a client must escape it, as the userscript
    # does with textContent); the *_html fields are the site's own sanitised rendering.
    assert sum(1 for n in range(len(PAYLOADS)) if any(marker(n) in t for t in texts)) > 40
    assert not any('rel="nofollow' in text for text in texts)
    assert rendered
    for html in rendered:
        assert not problems_in(f'<div class="prose">{html}</div>'), html


def collect(value, texts: list, rendered: list, key: str = "") -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            collect(item, texts, rendered, name)
    elif isinstance(value, list):
        for item in value:
            collect(item, texts, rendered, key)
    elif isinstance(value, str):
        (rendered if key.endswith("_html") else texts).append(value)


def test_the_scanner_sees_what_it_must_refuse():
    """The checks above are only worth what the scanner sees: each of these is caught."""
    bad = [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p style="color:red">x</p>',
        "<style>p{}</style>",
        '<div class="prose"><svg></svg></div>',  # the site draws charts, members' text cannot
        "<svg onload=alert(1)></svg>",
        "<math></math>",
        '<div class="prose"><img src="/static/favicon.svg"></div>',
        '<div class="prose"><a href="/x" class="button">x</a></div>',
        '<meta http-equiv="refresh" content="0">',
        '<form action="//evil.example"></form>',
        "<iframe></iframe>",
    ]
    for html in bad:
        assert problems_in(html), html
    link = '<a href="https://ok.example" rel="nofollow ugc noopener">x</a>'
    assert not problems_in(f'<div class="prose"><p>{link}</p></div>')


@pytest.mark.parametrize(
    "website",
    [
        "javascript://example.org/%0Aalert(document.cookie)",
        "JavaScript://example.org/%0Aalert(1)",
        "data://example.org/text/html,<script>alert(1)</script>",
        "vbscript://example.org/%0Amsgbox(1)",
        "ftp://example.org/",
        "https://example.org\\@evil.example/",
    ],
)
def test_a_platform_website_is_a_web_address_or_refused(app, site, website):
    author = accounts.find_by_username("xss_author")
    form = {"name": f"Site {website[:20]}", "website": website, "kind": "microtask"}
    response = site.client(author).post("/platforms/new", data=form)
    assert response.status_code == 422, website
    html = response.get_data(as_text=True)
    assert "starting with https://" in html and not problems_in(html)
    with pytest.raises(DomainError, match="starting with https://"):
        catalog.add_platform(author, catalog.PlatformData("Direct", website, "microtask", ""))


def test_a_pseudonym_cannot_carry_markup(app):
    """Profile fields: the pseudonym is the only one a member types, and it is letters, digits,
    dots, dashes and underscores; a payload is refused and the form comes back clean."""
    visitor = client_as(app, None)
    for n, payload in enumerate(PAYLOADS[:12]):
        name = payload[:32]
        response = visitor.post(
            "/register",
            data={"username": name, "password": "long enough password", "confirm": "x"},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, payload
        assert "letters, digits, dots, dashes and underscores" in html
        assert not problems_in(html), (payload, problems_in(html))
        assert accounts.find_by_username(name) is None, n
