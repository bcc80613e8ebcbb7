"""The one trusted boundary for HTML: the nh3 allowlist and the site's only ``mark_safe``.

Content files are written by people, not code. Whatever their Markdown produces is cleaned
here against an allowlist of tags, attributes, classes and URL schemes before Django may
output it unescaped; nothing else in the site marks HTML safe. The front matter check uses
the same allowlist to warn editors (W003) about raw HTML that will be removed.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

# The only HTML a content file may produce. Everything else is removed by nh3.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h3",
        "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "emergency", "urgent", "important", "tip", "note"},
    "p": {"admonition-title"},
    "sup": {"cite"},
    "a": {"cite-link", "term"},
    "span": {"visually-hidden"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


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
    )
    # Safe because nh3 has just removed everything outside the allowlist above; this is the
    # site's only mark_safe, so a reviewer checks one place to know no content runs script.
    return mark_safe(cleaned)
