"""The one trusted boundary for HTML: the nh3 allowlist and the site's only ``mark_safe``.

Content files are written by people, not code. Whatever their Markdown produces is cleaned
here against an allowlist of tags, attributes, classes and URL schemes before Django may
output it unescaped; nothing else in the site marks HTML safe. The front matter check uses
the same allowlist to warn editors (W003) about raw HTML that will be removed.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe

# The only HTML a content file may produce. Everything else is removed by nh3.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em",
        "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p",
        "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # aria-label names a citation ("Source 2") whose visible text is only "[2]".
    "a": {"href", "title", "aria-label"},
    # Only the renderer's own ids (rls_iron/content/topics.py): a topic's contents link to them.
    "h3": {"id"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
    "img": {"src", "alt", "width", "height", "loading"},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "emergency", "today", "urgent", "important", "tip", "note"},
    "p": {"admonition-title"},
    "a": {"cite", "cite-link", "term", "tel"},
    "span": {"cite", "tel"},
    "figure": {"content-figure"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# The address of a figure the loader placed (rls_iron/content/figures.py): /figures/x.svg.
# nh3 writes attributes quoted and escapes ">" inside them, so this finds whole tags.
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img\b(?:(?!\ssrc=)[^>])*>")
_FIGURE_SRC = re.compile(r"(?:/[a-z]{2})?/figures/[a-z0-9]+(?:-[a-z0-9]+)*\.svg")
# A citation's name as the renderer writes it: one word and its number ("Source 2", "Fuente 2").
_CITATION_LABEL = re.compile(r"[^\W\d_]+ [0-9]{1,4}")


def _only_our_attributes(tag: str, attribute: str, value: str) -> str | None:
    """Keep only attribute values the renderer itself writes.

    An image may only be one of the site's own figures (no tracking pixel, no hotlink), and
    an aria-label only a citation's, so no edit can make a link say one thing on screen and
    another to a screen reader.
    """
    if tag == "img" and attribute == "src" and not _FIGURE_SRC.fullmatch(value):
        return None
    if attribute == "aria-label" and not _CITATION_LABEL.fullmatch(value):
        return None
    return value


def sanitise(html: str) -> SafeString:
    """Clean rendered Markdown and mark it safe: the single trusted boundary for HTML.

    Content files are written by people, not code, and a mistaken or malicious edit must
    never run script in a patient's browser, so everything passes an allowlist first.
    """
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,  # the site-wide Referrer-Policy already keeps page addresses private
        strip_comments=True,
        attribute_filter=_only_our_attributes,
    )
    # An image whose address was not one of our figures lost its src above: drop it whole.
    cleaned = _IMAGE_WITHOUT_SOURCE.sub("", cleaned)
    # Safe because nh3 has just removed everything outside the allowlist above; this is the
    # site's only mark_safe, so a reviewer checks one place to know no content runs script.
    return mark_safe(cleaned)
