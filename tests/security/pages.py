"""What no page the site renders may contain, checked on the parsed page (html.parser, as a
browser tokenises it): the rules of the Content Security Policy and of the Markdown allowlist,
seen from the output instead of the code."""

import re
from html.parser import HTMLParser
from pathlib import Path

from community.core.charts import SVG_ELEMENTS
from community.core.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Attributes that a browser follows as an address.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
    | {"ping", "srcset", "srcdoc", "codebase", "manifest", "icon", "dynsrc", "lowsrc"}
)
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:", "mocha:")
# Inside members' text (<div class="prose"> around rendered Markdown, <p class="excerpt"> around
# a search excerpt): the allowlist and no more. (The site's own pages are <section class="prose">.)
USER_CONTENT = {"div": "prose", "p": "excerpt"}
USER_CONTENT_TAGS = ALLOWED_TAGS | {"mark"}
WIDGET_TAGS = frozenset({"input", "textarea", "select", "option", "label", "ul", "li"})
_WHITESPACE = re.compile(r"[\x00-\x20\x7f]+")


def site_tags() -> frozenset[str]:
    """Every element the templates write (WTForms widgets included), the charts drawn on the
    server, the Markdown allowlist."""
    written = set()
    for template in TEMPLATES.rglob("*.html"):
        written.update(re.findall(r"<([a-z][a-z0-9]*)\b", template.read_text()))
    return frozenset(written | WIDGET_TAGS | USER_CONTENT_TAGS | SVG_ELEMENTS)


SITE_TAGS = site_tags()


def scheme_of(value: str) -> str:
    """The scheme a browser would see: entities are already decoded by the parser; control
    characters and spaces are dropped as browsers drop them, case folded."""
    return _WHITESPACE.sub("", value).lower()


class PageScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, inside members' text)
        self.in_script = False

    # Where we are

    def _inside_user_content(self) -> bool:
        return bool(self.stack and self.stack[-1][1])

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        opens_user_content = USER_CONTENT.get(tag) in classes
        self.stack.append((tag, self._inside_user_content() or opens_user_content))
        self.in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")

    def handle_comment(self, data):
        if "[if" in data.lower():
            self.problems.append("conditional comment")

    # The rules

    def _check(self, tag, attrs):
        found = self.problems.append
        names = {name for name, _value in attrs}
        if tag not in SITE_TAGS:
            found(f"<{tag}> is not an element the site writes")
        if self._inside_user_content():
            if tag not in USER_CONTENT_TAGS:
                found(f"<{tag}> inside members' text")
            allowed = set(ALLOWED_ATTRIBUTES.get(tag, ()))
            for name in names - allowed:
                found(f"<{tag} {name}> inside members' text")
        if tag == "style":
            found("<style> element")
        if "style" in names:
            found(f"<{tag} style=...>")
        for name in names:
            if name.startswith("on"):
                found(f"<{tag} {name}=...> event handler")
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value and scheme_of(value).startswith(DANGEROUS_SCHEMES):
                found(f"<{tag} {name}={value[:60]!r}>")
            if name in ("srcdoc", "xlink:href"):
                found(f"<{tag} {name}=...>")
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            found(f"<script> not served from /static/: {values.get('src')!r}")
        if tag == "link" and not (values.get("href") or "").startswith("/static/"):
            found(f"<link> to {values.get('href')!r}")
        if tag == "meta" and "http-equiv" in names:
            found("<meta http-equiv>")
        for name in ("action", "formaction"):
            if name in values and not _same_site(values[name] or "/"):
                found(f"<{tag} {name}={values[name]!r}>")


def _same_site(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def problems_in(html: str) -> list[str]:
    scanner = PageScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
