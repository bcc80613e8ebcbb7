"""What the Infobutton endpoint answers: which pages, in which form, as data for the view.

``answer`` reads the request (``request.parse_query``), finds the pages for its criteria
(codes are declared once, in the English content's ``codes:``; a translated page answers for
the English one with the same address in its language) and returns one of:
- ``Document``: a knowledge response (Atom, JSON, JSON-P), or a bad request explained in the
  format asked for, ready to send;
- ``Redirect``: a browser asked for the page, and there is one;
- ``Page``: a template and its context (no page for the diagnosis, or a bad request).
A request that matches nothing still gets a valid feed, with no entries (SOA §4.2.2 rule 4).
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from rls_iron.content import DEFAULT_LANGUAGE, Guide, PageLink, get_guide, get_store
from rls_iron.infobutton import feed as atom
from rls_iron.infobutton.request import (
    CALLBACK_PARAM,
    CODE_PARAM,
    DISPLAY_NAME_PARAM,
    HTML,
    JSON,
    JSONP,
    LANGUAGE_PARAM,
    RECIPIENT_PARAM,
    RESPONSE_TYPE_PARAM,
    SYSTEM_PARAM,
    XML,
    InfobuttonQuery,
    InfobuttonRequestError,
    parse_query,
)

CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json",
    JSONP: "application/javascript; charset=utf-8",
}


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str
    status: int = 200


@dataclass(frozen=True)
class Redirect:
    path: str


@dataclass(frozen=True)
class Page:
    template: str
    context: dict
    status: int


@dataclass(frozen=True)
class ExampleLink:
    label: str
    path: str


Answer = Document | Redirect | Page


def answer(params: QueryDict, *, default_type: str, absolute: Callable[[str], str]) -> Answer:
    """The answer to one request, in the active language (the one the request asks for)."""
    guide = get_guide()
    try:
        query = parse_query(params, default_type=default_type)
    except InfobuttonRequestError as error:
        return bad_request(error, guide)
    pages = pages_for_query(query)
    if query.response_type == HTML:
        if pages:
            return Redirect(pages[0].path)
        return Page("pages/infobutton_not_found.html", {"guide": guide, "query": query}, 404)
    feed = build_feed(
        guide=guide,
        query=query,
        pages=pages,
        absolute=absolute,
        self_url=absolute(request_url(params, query.response_type, query.callback)),
        feed_id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, absolute(request_url(params)))}",
    )
    if query.response_type == XML:
        return Document(atom.atom_bytes(feed), CONTENT_TYPES[XML])
    return _json_answer(atom.json_document(feed), query.callback)


def _json_answer(document: dict, callback: str, status: int = 200) -> Document:
    if callback:
        return Document(atom.jsonp_text(document, callback).encode(), CONTENT_TYPES[JSONP], status)
    return Document(atom.json_text(document).encode(), CONTENT_TYPES[JSON], status)


def bad_request(error: InfobuttonRequestError, guide: Guide) -> Answer:
    """Status 400, explained in the format asked for (JSON when that format was the problem)."""
    if error.response_type == XML:
        root = ET.Element("error", {"status": "400"})
        for problem in error.problems:
            ET.SubElement(root, "problem").text = problem
        body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return Document(body, CONTENT_TYPES[XML], 400)
    if error.response_type in (JSON, JSONP):
        document = {"error": {"status": 400, "problems": list(error.problems)}}
        return _json_answer(document, error.callback, 400)
    context = {"guide": guide, "problems": error.problems, "examples": example_links(guide)}
    return Page("pages/infobutton_error.html", context, 400)


def pages_for_query(query: InfobuttonQuery) -> tuple[PageLink, ...]:
    """The pages for any of the request's codes, in the language asked for, best first."""
    wanted = {(c.system_oid, c.code_key) for c in query.criteria if c.code_key}
    pages = tuple(
        page
        for page in get_guide(DEFAULT_LANGUAGE).pages
        if any((code.system.oid, code.key) in wanted for code in page.codes)
    )
    if query.language == DEFAULT_LANGUAGE:
        return pages
    translated = {page.path: page for page in get_guide(query.language).pages}
    # translate_url reads the path in the active language: the English paths need English.
    with translation.override(DEFAULT_LANGUAGE):
        paths = [translate_url(page.path, query.language) for page in pages]
    return tuple(translated.get(path, page) for path, page in zip(paths, pages, strict=True))


def content_updated() -> dt.datetime:
    """When the content last changed (its newest file): the same in every worker."""
    return max(get_guide(language).modified_at for language in get_store().languages)


def request_url(params: QueryDict, response_type: str = "", callback: str = "") -> str:
    """The GET address of this request, with its own parameters in order.

    With a response type it gives this answer again, also for a POST (Rule #7: the same
    names and values), so the feed's self link works; without, it names the request.
    """
    pairs = [
        (name, value)
        for name, values in params.lists()
        if name not in (RESPONSE_TYPE_PARAM, CALLBACK_PARAM)
        for value in values
    ]
    if response_type:
        pairs.append((RESPONSE_TYPE_PARAM, response_type))
    if callback:
        pairs.append((CALLBACK_PARAM, callback))
    return reverse("infobutton") + "?" + urlencode(pairs)


def request_categories(query: InfobuttonQuery) -> list[atom.Element]:
    """Feed categories that echo the request (SOA §4.2.3.1 rule 3), named as it named them."""
    pairs = []
    for criterion in query.criteria:
        for name, value in (
            (CODE_PARAM, criterion.code),
            (SYSTEM_PARAM, criterion.system_oid),
            (DISPLAY_NAME_PARAM, criterion.display_name),
        ):
            if value:
                pairs.append((name + criterion.suffix, value))
    if query.recipient:
        pairs.append((RECIPIENT_PARAM, query.recipient))
    pairs.append((LANGUAGE_PARAM, query.requested_language))
    return [atom.element("category", scheme=scheme, term=term) for scheme, term in pairs]


def _entry(page: PageLink, url: str, stamp: str) -> atom.Element:
    link = atom.element(
        "link",
        href=url,
        rel="alternate",
        type="text/html",
        hreflang=page.language,
        title=page.title,
    )
    # Our summaries are plain text: escaped, they are the same text as HTML in any client.
    summary = atom.element("summary", escape(page.summary, quote=False), type="html")
    title = atom.element("title", page.title, type="text")
    stamps = (atom.element("id", url), atom.element("updated", stamp))
    return atom.element("entry", None, title, link, *stamps, summary, lang=page.language)


def build_feed(
    *,
    guide: Guide,
    query: InfobuttonQuery,
    pages: tuple[PageLink, ...],
    absolute: Callable[[str], str],
    self_url: str,
    feed_id: str,
) -> atom.Element:
    """The knowledge response as a tree (see ``feed``), its children in §4.2's order."""
    site = guide.site.site_title
    subject = ", ".join(criterion.label for criterion in query.criteria)
    stamp = atom.timestamp(content_updated())
    subtitle = _("%(site)s results for %(subject)s") % {"site": site, "subject": subject}
    author = atom.element(
        "author", None, atom.element("name", site), atom.element("uri", absolute("/"))
    )
    return atom.element(
        "feed",
        None,
        atom.element("title", site, type="text"),
        atom.element("subtitle", subtitle, type="text"),
        author,
        atom.element("updated", stamp),
        *request_categories(query),
        atom.element("id", feed_id),
        atom.element("link", href=self_url, rel="self", type=query.response_type, title=subtitle),
        *(_entry(page, absolute(page.path), stamp) for page in pages),
        lang=query.language,
    )


def example_links(guide: Guide) -> list[ExampleLink]:
    """Working Infobutton addresses for the codes the content declares.

    Codes are declared in the English content; for another language the links ask for the
    pages in that language.
    """
    language = {LANGUAGE_PARAM: guide.language} if guide.language != DEFAULT_LANGUAGE else {}
    examples = []
    for page in get_guide(DEFAULT_LANGUAGE).pages:
        for code in page.codes:
            params = {SYSTEM_PARAM: code.system.oid, CODE_PARAM: code.code, **language}
            for kind in (HTML, JSON, XML):
                if kind == HTML:
                    label = _("%(code)s, opens the page") % {"code": code.label}
                else:
                    label = _("%(code)s, as %(type)s") % {"code": code.label, "type": kind}
                query = urlencode({**params, RESPONSE_TYPE_PARAM: kind})
                examples.append(ExampleLink(label, reverse("infobutton") + "?" + query))
    return examples
