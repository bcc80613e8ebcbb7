"""HL7 Infobutton (Context-Aware Knowledge Retrieval), URL-based, as MedlinePlus Connect uses it.

A patient portal asks ``/infobutton?mainSearchCriteria.v.cs=<OID>&mainSearchCriteria.v.c=<code>``
for education about a diagnosis. This module reads and checks those parameters and writes
the JSON and Atom answers; which page answers which code is declared in content front
matter (``codes:``) and looked up through ``Guide.pages_for_code``. The view only picks the
response. Portals may put patient context in these URLs, so nothing here logs them.
Messages are in the language the portal asks for (``answer_language``), which the view
makes active first, so even the explanation of a bad request is in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from rls_iron.codes import CODE_SYSTEMS, OID_PATTERN, code_system
from rls_iron.content import DEFAULT_LANGUAGE, LANGUAGES, PageLink

CODE_PARAM = "mainSearchCriteria.v.c"
SYSTEM_PARAM = "mainSearchCriteria.v.cs"
DISPLAY_NAME_PARAM = "mainSearchCriteria.v.dn"
LANGUAGE_PARAM = "informationRecipient.languageCode.c"
RESPONSE_TYPE_PARAM = "knowledgeResponseType"

HTML, JSON, XML = "text/html", "application/json", "text/xml"
RESPONSE_TYPES = (HTML, JSON, XML)
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MAX_CODE_LENGTH = 64
MAX_DISPLAY_NAME_LENGTH = 200
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class InfobuttonRequestError(ValueError):
    """The request is missing a parameter or has a malformed one; the message explains."""

    def __init__(self, problems: Iterable[str], response_type: str = HTML) -> None:
        self.problems = tuple(problems)
        self.response_type = response_type
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class InfobuttonQuery:
    system_oid: str
    code: str  # as sent
    code_key: str  # normalised for matching; equal to code for unknown systems
    known_system: bool
    display_name: str
    requested_language: str
    language: str  # the language answered in: the requested one, or the default
    response_type: str

    @property
    def system_name(self) -> str:
        system = code_system(self.system_oid)
        return system.name if system else self.system_oid


def _single(params: QueryDict, name: str, problems: list[str]) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        problems.append(
            _("Send %(name)s once; it was sent %(count)d times.")
            % {"name": name, "count": len(values)}
        )
    return values[0].strip() if values else ""


def answer_language(params: QueryDict) -> str:
    """The language to answer in: the one asked for (``es-US`` → ``es``) if the site has it."""
    requested = (params.getlist(LANGUAGE_PARAM) or [""])[0].strip()
    primary = requested.split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def parse_query(params: QueryDict) -> InfobuttonQuery:
    """Read the Infobutton parameters; raise InfobuttonRequestError listing every problem."""
    problems: list[str] = []
    response_type = _single(params, RESPONSE_TYPE_PARAM, problems).lower() or HTML
    if response_type not in RESPONSE_TYPES:
        problems.append(
            _("%(name)s must be one of %(types)s (or left out for %(default)s).")
            % {"name": RESPONSE_TYPE_PARAM, "types": ", ".join(RESPONSE_TYPES), "default": HTML}
        )
        response_type = HTML

    system_oid = _single(params, SYSTEM_PARAM, problems)
    code = _single(params, CODE_PARAM, problems)
    examples = ", ".join(
        _("%(oid)s for %(system)s") % {"oid": system.oid, "system": system.name}
        for system in CODE_SYSTEMS
    )
    if not system_oid:
        problems.append(
            _("%(name)s (the code system) is missing: use %(examples)s.")
            % {"name": SYSTEM_PARAM, "examples": examples}
        )
    elif not OID_PATTERN.match(system_oid) or len(system_oid) > MAX_CODE_LENGTH:
        problems.append(
            _("%(name)s must be a code system OID, such as %(examples)s.")
            % {"name": SYSTEM_PARAM, "examples": examples}
        )
    code_ok = False
    if not code:
        problems.append(_("%(name)s (the diagnosis code) is missing.") % {"name": CODE_PARAM})
    elif len(code) > MAX_CODE_LENGTH or not re.fullmatch(r"[A-Za-z0-9.\-]+", code):
        problems.append(
            _("%(name)s must be a code of letters, digits and dots.") % {"name": CODE_PARAM}
        )
    else:
        code_ok = True

    system = code_system(system_oid) if OID_PATTERN.match(system_oid) else None
    code_key = code
    if system is not None and code_ok:
        try:
            code_key = system.normalise(code)
        except ValueError:
            # Our own words rather than the ValueError's, which editors read in English.
            problems.append(
                _("%(name)s: “%(code)s” is not a valid %(system)s code, for example %(example)s.")
                % {
                    "name": CODE_PARAM,
                    "code": code,
                    "system": system.name,
                    "example": system.example,
                }
            )

    display_name = _single(params, DISPLAY_NAME_PARAM, problems)
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        problems.append(
            _("%(name)s is longer than %(limit)d letters.")
            % {"name": DISPLAY_NAME_PARAM, "limit": MAX_DISPLAY_NAME_LENGTH}
        )

    requested_language = _single(params, LANGUAGE_PARAM, problems) or DEFAULT_LANGUAGE
    if not LANGUAGE_TAG.match(requested_language):
        problems.append(
            _("%(name)s must be a language code such as en or es.") % {"name": LANGUAGE_PARAM}
        )
    language = answer_language(params)

    if problems:
        raise InfobuttonRequestError(problems, response_type)
    return InfobuttonQuery(
        system_oid=system_oid,
        code=code,
        code_key=code_key,
        known_system=system is not None,
        display_name=display_name,
        requested_language=requested_language,
        language=language,
        response_type=response_type,
    )


def feed_title(site_title: str, query: InfobuttonQuery) -> str:
    return _("%(site)s: pages for %(system)s %(code)s") % {
        "site": site_title,
        "system": query.system_name,
        "code": query.code,
    }


def json_document(
    *,
    site_title: str,
    query: InfobuttonQuery,
    pages: Iterable[PageLink],
    absolute: Callable[[str], str],
    updated: dt.datetime,
) -> dict:
    """The matching pages as JSON: title, URL, summary and language of each."""
    return {
        "title": feed_title(site_title, query),
        "updated": updated.isoformat(),
        "query": {
            "codeSystem": query.system_oid,
            "code": query.code,
            "language": query.requested_language,
        },
        "results": [
            {
                "title": page.title,
                "url": absolute(page.path),
                "summary": page.summary,
                "language": page.language,
            }
            for page in pages
        ],
    }


def atom_feed(
    *,
    site_title: str,
    query: InfobuttonQuery,
    pages: Iterable[PageLink],
    absolute: Callable[[str], str],
    feed_url: str,
    updated: dt.datetime,
) -> bytes:
    """The matching pages as an Atom feed (RFC 4287), as MedlinePlus Connect answers text/xml."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    stamp = updated.isoformat()
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: query.language})
    add(feed, "id", feed_url)
    add(feed, "title", feed_title(site_title, query))
    add(feed, "updated", stamp)
    add(add(feed, "author"), "name", site_title)
    add(feed, "link", rel="self", href=feed_url)
    for page in pages:
        url = absolute(page.path)
        entry = add(feed, "entry")
        add(entry, "id", url)
        add(entry, "title", page.title)
        add(entry, "updated", stamp)
        add(entry, "link", rel="alternate", type="text/html", href=url, hreflang=page.language)
        add(entry, "summary", page.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def error_document(error: InfobuttonRequestError) -> dict:
    return {"error": {"status": 400, "problems": list(error.problems)}}


def error_xml(error: InfobuttonRequestError) -> bytes:
    root = ET.Element("error", {"status": "400"})
    for problem in error.problems:
        ET.SubElement(root, "problem").text = problem
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
