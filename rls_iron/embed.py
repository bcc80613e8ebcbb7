"""Embed mode: the patient pages inside a patient portal's frame, at ``/embed/<page path>``.

The embed view renders the ordinary page (the base template leaves out the header and
navigation when ``request.is_embedded`` is set), then ``rewrite_links`` walks the finished
HTML once with the standard library's parser: links to embeddable pages get the ``/embed``
prefix so a reader stays inside the frame, and every other link (outside sites, staff
pages) opens in a new tab. Rewriting the output, rather than each template and each
Markdown body, keeps every page and every future page embeddable without changes.

Framing is allowed only for the origins in ``settings.EMBED_ORIGINS`` (CSP
``frame-ancestors``); with none listed, embed pages refuse framing like every other page.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy

from rls_iron.addresses import ANSWER_PAGE, READING_PAGES, SECTION_PAGE, language_of_path

EMBED_PREFIX = "/embed"
# URL names of the pages a portal may show in a frame: the patient pages.
EMBEDDABLE_PAGES = frozenset({*READING_PAGES, ANSWER_PAGE, SECTION_PAGE})
# A link marked with this attribute leaves embed mode on purpose ("open the full guide").
LEAVE_EMBED_ATTRIBUTE = "data-leave-embed"
# Translated when a page is rewritten, in that page's language (the embed view activates it).
NEW_TAB_NOTE = gettext_lazy("(opens in a new tab)")


def embeddable_match(path: str) -> ResolverMatch | None:
    """The page behind a site path (``/faq/``, ``/es/faq/``), if it may be shown in a frame."""
    try:
        with translation.override(language_of_path(path)):
            match = resolve(path)
    except Resolver404:
        return None
    return match if match.url_name in EMBEDDABLE_PAGES else None


def frame_ancestors_policy() -> dict:
    """The site's CSP with ``frame-ancestors`` set to the allowed portal origins."""
    return {**settings.SECURE_CSP, "frame-ancestors": list(settings.EMBED_ORIGINS) or [CSP.NONE]}


def embedded_href(href: str) -> tuple[str, bool]:
    """The link as it should be inside the frame, and whether it opens a new tab."""
    if href.startswith("#"):
        return href, False
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") or href.startswith("//"):
        return href, True
    if parts.scheme or not href.startswith("/"):
        return href, False  # tel:, mailto: and relative links behave as usual
    if parts.path.startswith(settings.STATIC_URL):
        return href, True  # a file (a QR code, say) is better seen outside the frame
    if embeddable_match(parts.path) is not None:
        return EMBED_PREFIX + href, False
    return href, True


class _LinkRewriter(HTMLParser):
    """Copies HTML through unchanged except for the ``href`` and ``hx-get`` of links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.new_tab_depth: list[bool] = []

    def _rewrite(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        names = {name for name, _ in attrs}
        if tag != "a" and "hx-get" not in names:
            return None
        new_tab = False
        changed: list[tuple[str, str | None]] = []
        for name, value in attrs:
            if value is not None and (name == "hx-get" or (tag == "a" and name == "href")):
                if LEAVE_EMBED_ATTRIBUTE in names:
                    new_tab = True
                else:
                    value, opens_tab = embedded_href(value)
                    new_tab = new_tab or opens_tab
            changed.append((name, value))
        if tag == "a":
            self.new_tab_depth.append(new_tab)
        if new_tab and tag == "a":
            changed = [(n, v) for n, v in changed if n not in ("target", "rel")]
            changed += [("target", "_blank"), ("rel", "noopener noreferrer")]
        rendered = "".join(
            f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
            for name, value in changed
        )
        return f"<{tag}{rendered}>"

    def handle_starttag(self, tag, attrs):
        self.out.append(self._rewrite(tag, attrs) or self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        rewritten = self._rewrite(tag, attrs)
        if tag == "a" and self.new_tab_depth:
            self.new_tab_depth.pop()
        self.out.append(rewritten[:-1] + " />" if rewritten else self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "a" and self.new_tab_depth and self.new_tab_depth.pop():
            # Screen reader users hear that the link leaves the portal's page.
            self.out.append(f'<span class="visually-hidden"> {NEW_TAB_NOTE}</span>')
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def rewrite_links(html: str) -> str:
    """Keep a page's links inside the frame (see the module docstring)."""
    rewriter = _LinkRewriter()
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
