"""Members' Markdown, rendered to HTML that cannot carry script, tracking or layout tricks."""

import html
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "del",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "hr",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Raw HTML is off and images are never rendered (external images track readers):
# `![alt](url)` stays visible as text.
_markdown = (
    MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table").disable("image")
)


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)
    ],
)


def _demote_headings(rendered: str) -> str:
    # Members' headings must not compete with the page's own h1/h2.
    for level in (2, 1):
        rendered = rendered.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return rendered


def render_markdown(text: str) -> Markup:
    """Markdown -> sanitised HTML, safe to insert in a page as it is."""
    rendered = _demote_headings(_markdown.render(text or ""))
    return Markup(_cleaner.clean(rendered))  # noqa: S704 # nosec B704 # cleaned above


def plain_excerpt(text: str, length: int = 200) -> str:
    """Text without markup, for excerpts and meta descriptions."""
    stripped = bleach.clean(_markdown.render(text or ""), tags=set(), strip=True)
    flat = " ".join(html.unescape(stripped).split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
