"""Reading HTML in tests the way a browser does: with a parser, never by slicing strings.

One parser per job: ``start_tags`` (every element's tag and attributes, in order), ``text_of``
(the text a reader sees) and ``element_texts`` (each element of a tag with its text; ``link_texts``
for links). The other helpers
answer the questions tests ask often, built on those three; ``normalised`` compares text
read from a page or a printed PDF. ``problems_with`` and ``single`` find the problems that
checking a content folder reports.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from rls_iron.content import validate_content

Attributes = dict[str, str | None]


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, Attributes]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


class _ElementTexts(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag = tag
        self.found: list[tuple[Attributes, str]] = []
        self._open: list[tuple[Attributes, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self._open.append((dict(attrs), []))

    def handle_data(self, data):
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if tag == self.tag and self._open:
            attributes, text = self._open.pop()
            self.found.append((attributes, "".join(text)))


def _parsed(parser, html: str):
    parser.feed(html)
    parser.close()
    return parser


def start_tags(html: str) -> list[tuple[str, Attributes]]:
    """Every element's start tag with its attributes, in document order."""
    return _parsed(_StartTags(), html).tags


def text_of(html: str) -> str:
    """The text of a piece of HTML, character references decoded."""
    return "".join(_parsed(_Text(), html).parts)


def element_texts(html: str, tag: str) -> list[tuple[Attributes, str]]:
    """Each element of this tag with its attributes and its text, in the order they close."""
    return _parsed(_ElementTexts(tag), html).found


def link_texts(html: str) -> list[tuple[Attributes, str]]:
    """Each ``<a>`` with its attributes and its text, in the order the links close."""
    return element_texts(html, "a")


def with_class(html: str, class_name: str) -> list[tuple[str, Attributes]]:
    """The start tags of the elements carrying this class (one of the words of ``class``)."""
    return [
        (tag, attrs)
        for tag, attrs in start_tags(html)
        if class_name in (attrs.get("class") or "").split()
    ]


def attribute_values(html: str, tag: str, attribute: str) -> set[str | None]:
    """Every value of one attribute on the elements of one tag (``form``'s ``action``s)."""
    return {attrs.get(attribute) for name, attrs in start_tags(html) if name == tag}


def links_by_href(html: str) -> dict[str, Attributes]:
    """Every ``<a>`` with an ``href``, by that address (the last one wins)."""
    return {
        attrs["href"]: attrs for tag, attrs in start_tags(html) if tag == "a" and attrs.get("href")
    }


def element_by_id(html: str, element_id: str) -> Attributes:
    """The attributes of the element with this id, and its tag under the key ``tag``."""
    for tag, attrs in start_tags(html):
        if attrs.get("id") == element_id:
            return {**attrs, "tag": tag}
    return {}


def first_element(html: str, tag_or_attribute: str) -> Attributes:
    """The attributes of the first element with this tag name or carrying this attribute."""
    for tag, attrs in start_tags(html):
        if tag == tag_or_attribute or tag_or_attribute in attrs:
            return attrs
    raise AssertionError(f"no {tag_or_attribute} in the page")


_SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_locations(xml: bytes) -> set[str]:
    """Every ``<loc>`` address in a sitemap (our own output: the stdlib parser is enough)."""
    return {element.text for element in ET.fromstring(xml).findall(".//s:loc", _SITEMAP)}


def sitemap_alternates(xml: bytes) -> dict[str, set[tuple[str, str]]]:
    """Each ``<loc>`` with its ``xhtml:link`` alternates, as (hreflang, address) pairs."""
    return {
        url.findtext("s:loc", namespaces=_SITEMAP): {
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", _SITEMAP)
        }
        for url in ET.fromstring(xml).findall("s:url", _SITEMAP)
    }


def heading_levels(html: str) -> list[int]:
    """The levels of a page's headings in document order, visually hidden ones included."""
    return [
        int(tag[1]) for tag, _ in start_tags(html) if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
    ]


def inline_code(html: str) -> list[str]:
    """What a strict CSP (no inline script or style) would block: inline scripts, ``<style>``,
    ``style`` attributes and event handler attributes. JSON-LD is data, never run."""
    found = []
    for tag, attrs in start_tags(html):
        data_block = attrs.get("type") == "application/ld+json"
        if tag == "script" and "src" not in attrs and not data_block:
            found.append("inline script")
        if tag == "style" or "style" in attrs:
            found.append(f"inline style on {tag}")
        if any(name.startswith("on") for name in attrs):
            found.append(f"event handler on {tag}")
    return found


def normalised(text: str) -> str:
    """Text as a reader compares it: ligatures (ﬁ from a PDF) as letters, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- content problems


def problems_with(folder, code: str) -> list:
    """The problems of one code (``"E006"``) that checking a content folder finds."""
    report = validate_content(folder.root)
    return [problem for problem in report.problems if problem.code == f"rls_iron.{code}"]


def single(folder, code: str):
    """The one problem of this code; fails, listing every problem found, if there is not one."""
    found = problems_with(folder, code)
    assert len(found) == 1, [str(problem) for problem in validate_content(folder.root).problems]
    return found[0]
