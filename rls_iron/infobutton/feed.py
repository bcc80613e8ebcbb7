"""The knowledge response of the HL7 SOA implementation guide (Release 1): Atom, JSON, JSON-P.

The answer is built once as a small tree of ``Element`` (names, attributes, text, children in
the order §4.2 gives them: feed title, subtitle, author, updated, category, id, link, entry;
entry title, link, id, updated, summary) and then written out two ways, so the JSON cannot
drift from the Atom:
- ``atom_bytes``: the Atom XML (``text/xml``), with ``xml:lang`` on the feed and on every
  entry and ``hreflang`` on every entry link, and no other language attribute (§4.2.3.2).
- ``json_document``: the same tree as §4.4 maps it, wrapped in ``{"feed": …}`` as MedlinePlus
  Connect answers: an element is an object, its attributes are members (``xml:lang`` becomes
  ``lang``), its text is ``_value``, and an element that may repeat (author, category, link,
  entry) is always an array, even with one or no instance. ``json_text`` escapes ``<``,
  ``>`` and ``=`` as §4.4.1 asks, which also keeps the JSON-P script harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "xml:lang"
# Children that may occur more than once (SOA §4.2 Tables 4 and 5), so arrays in JSON.
REPEATING = frozenset({"author", "category", "link", "entry"})
# §4.4.1 rule 5, and nothing in a JSON-P script can close a tag or open a comment.
JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("="): "\\u003d", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Element:
    """One Atom element: attributes (``xml:lang`` spelt so), text, children in order."""

    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    children: tuple[Element, ...] = ()

    def child(self, tag: str) -> Element | None:
        return next((element for element in self.children if element.tag == tag), None)


def element(tag: str, text: str | None = None, *children: Element, **attributes: str) -> Element:
    """``element("title", "Iron", type="text")``; ``lang=`` becomes ``xml:lang``."""
    pairs = tuple((XML_LANG if key == "lang" else key, value) for key, value in attributes.items())
    return Element(tag, pairs, text, children)


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC to the second, as Atom's examples write it: 2026-11-27T10:02:53Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _to_xml(node: Element, parent: ET.Element | None) -> ET.Element:
    attributes = {
        ("{http://www.w3.org/XML/1998/namespace}lang" if name == XML_LANG else name): value
        for name, value in node.attributes
    }
    tag = f"{{{ATOM}}}{node.tag}"
    xml = ET.Element(tag, attributes) if parent is None else ET.SubElement(parent, tag, attributes)
    xml.text = node.text
    for child in node.children:
        _to_xml(child, xml)
    return xml


def atom_bytes(feed: Element) -> bytes:
    ET.register_namespace("", ATOM)
    return ET.tostring(_to_xml(feed, None), encoding="utf-8", xml_declaration=True)


def _to_json(node: Element) -> dict:
    data: dict = {name.removeprefix("xml:"): value for name, value in node.attributes}
    if node.text is not None:
        data["_value"] = node.text
    for child in node.children:
        if child.tag in REPEATING:
            data.setdefault(child.tag, []).append(_to_json(child))
        else:
            data[child.tag] = _to_json(child)
    for tag in REPEATING & _ALWAYS_LISTED.get(node.tag, frozenset()):
        data.setdefault(tag, [])
    return data


# Arrays present even when empty, so that a client's feed.entry.length works on no match.
_ALWAYS_LISTED = {"feed": REPEATING, "entry": frozenset({"link"})}


def json_document(feed: Element) -> dict:
    return {feed.tag: _to_json(feed)}


def json_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=True, indent=None).translate(JSON_ESCAPES)


def jsonp_text(document: dict, callback: str) -> str:
    """``callback({...});``; the callback was checked against a strict pattern first.

    The leading empty comment keeps a response from being read as anything but a script.
    """
    return f"/**/{callback}({json_text(document)});"
