from html.parser import HTMLParser

import pytest

from community.core.markup import ALLOWED_TAGS, plain_excerpt, render_markdown


class ElementCollector(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str):
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


def assert_harmless(html: str) -> None:
    for tag, attrs in elements_of(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = {"href", "title", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed, (tag, attrs)
        if "href" in attrs:
            assert (
                attrs["href"].split(":")[0].lower() in {"http", "https", "mailto"}
                or "://" not in attrs["href"]
            )
            assert not attrs["href"].lower().lstrip().startswith(("javascript", "data", "vbscript"))


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background-image: expression(alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '[x](https://example.com "title" onmouseover=alert(1))',
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "![x](https://tracker.example/pixel.png)",
    "<form action=https://evil.example><input name=p></form>",
    "<object data=javascript:alert(1)>",
]


@pytest.mark.parametrize("payload", XSS)
def test_hostile_markup_is_rendered_harmless(payload):
    assert_harmless(str(render_markdown(payload)))


def test_ordinary_markdown_survives():
    html = str(render_markdown("**Paid** in *2 days*.\n\n- fair\n- clear\n\n> quoted\n\n`code`"))
    for tag in (
        "<strong>Paid</strong>",
        "<em>2 days</em>",
        "<li>fair</li>",
        "<blockquote>",
        "<code>code</code>",
    ):
        assert tag in html


def test_links_are_marked_nofollow_ugc_noopener():
    html = str(render_markdown("[forum](https://example.org/x) and https://example.com/y"))
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_external_images_are_never_rendered():
    html = str(render_markdown("![pixel](https://tracker.example/p.png)"))
    assert "<img" not in html


def test_headings_cannot_compete_with_the_page_title():
    html = str(render_markdown("# Huge\n\n## Big"))
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Huge</h3>" in html


def test_excerpt_is_plain_text():
    assert plain_excerpt("**Bold** <b>tag</b> & more", 100) == "Bold <b>tag</b> & more"
    assert plain_excerpt("word " * 100, 20).endswith("…")
