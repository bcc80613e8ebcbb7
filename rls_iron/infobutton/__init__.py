"""HL7 Infobutton (Context-Aware Knowledge Retrieval), as MedlinePlus Connect implements it.

A patient portal or health record asks ``/infobutton`` (GET or POST) about a diagnosis by
its code, and gets the page (a browser), or the knowledge response as Atom, JSON or JSON-P.
- ``request``: the request as the HL7 URL-based implementation guide (Release 4) writes it;
- ``feed``: the response as the HL7 SOA implementation guide (Release 1) writes it;
- ``answers``: which pages answer, and what to send, as data the view renders.
Which page answers which code is declared in content front matter (``codes:``). Portals may
put patient context in these requests, so nothing here logs them. Messages are in the
language the request asks for (``answer_language``), which the view makes active first.
The answers are public education with no cookies, so any site may read them (``CORS``).
"""

from rls_iron.infobutton.answers import (
    Answer,
    Document,
    ExampleLink,
    Page,
    Redirect,
    answer,
    content_updated,
    example_links,
    pages_for_query,
)
from rls_iron.infobutton.request import (
    CODE_PARAM,
    DISPLAY_NAME_PARAM,
    HTML,
    JSON,
    JSONP,
    LANGUAGE_PARAM,
    RESPONSE_TYPE_PARAM,
    SYSTEM_PARAM,
    XML,
    InfobuttonQuery,
    InfobuttonRequestError,
    answer_language,
    parse_query,
)

# Cross-origin reads by any site (https://fetch.spec.whatwg.org/#http-cors-protocol): no
# credentials, as there is nothing personal to protect. Only the Infobutton view sends these.
CORS = {"Access-Control-Allow-Origin": "*"}
# The two forms a client may prefer when it names no knowledgeResponseType (see the view).
NEGOTIATED = [XML, "application/xml", "application/atom+xml", HTML]
CORS_PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


__all__ = [
    "CODE_PARAM",
    "CORS",
    "CORS_PREFLIGHT",
    "DISPLAY_NAME_PARAM",
    "HTML",
    "JSON",
    "JSONP",
    "LANGUAGE_PARAM",
    "NEGOTIATED",
    "RESPONSE_TYPE_PARAM",
    "SYSTEM_PARAM",
    "XML",
    "Answer",
    "Document",
    "ExampleLink",
    "InfobuttonQuery",
    "InfobuttonRequestError",
    "Page",
    "Redirect",
    "answer",
    "answer_language",
    "content_updated",
    "example_links",
    "pages_for_query",
    "parse_query",
]
