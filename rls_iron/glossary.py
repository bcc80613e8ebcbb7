"""Marking glossary terms where they first appear, as a Markdown tree step.

When the guide and the FAQ answers are rendered (once per content version), the first use
of each glossary term in a section or an answer becomes a link to its entry on the glossary
page, ``<a class="term" href="/glossary/#ferritin" title="...">``. The ``title`` holds the
plain definition, so without JavaScript the link still leads to the definition; with
JavaScript, ``static/js/glossary.js`` turns it into a button that opens the definition in
place. The output still passes the nh3 allowlist in ``content/sanitise.py`` like all other content.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Text in these elements is left alone: links are links already, headings are read as a
# whole, code is literal.
SKIPPED_TAGS = frozenset({"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
# A reader in a hurry should not meet buttons in a warning that says what to do now; a
# citation ("cite") holds only its numbers.
SKIPPED_CLASSES = frozenset({"admonition-title", "emergency", "today", "urgent", "cite"})
# Short spellings in capitals (TSAT, FCM, IV) are acronyms: they match only in capitals, so
# "iv" in some other word or sentence never becomes a term.
ACRONYM = re.compile(r"^[A-Z0-9/]{2,6}$")


@dataclass(frozen=True)
class TermSpelling:
    slug: str
    spelling: str


def term_pattern(spellings: Iterable[TermSpelling]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One pattern for every spelling, longest first, and which group belongs to which term.

    Longest first, so "non-heme iron" wins over "heme iron" where both could match. A plural
    "s" or "es" is allowed after any spelling.
    """
    ordered = sorted(
        {item.spelling.strip(): item.slug for item in spellings if item.spelling.strip()}.items(),
        key=lambda pair: (-len(pair[0]), pair[0]),
    )
    if not ordered:
        return None, {}
    alternatives = []
    groups = {}
    for index, (spelling, slug) in enumerate(ordered):
        name = f"t{index}"
        flags = "-i" if ACRONYM.match(spelling) else "i"
        words = r"\s+".join(re.escape(part) for part in spelling.split())
        alternatives.append(f"(?P<{name}>(?{flags}:{words}))")
        groups[name] = slug
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?:e?s)?(?!\w)")
    return pattern, groups


class GlossaryTreeprocessor(Treeprocessor):
    """Links the first use of each term in one rendered body; remembers which it linked."""

    def __init__(
        self,
        md: markdown.Markdown,
        spellings: Iterable[TermSpelling],
        definitions: Mapping[str, str],
        url: str,
    ) -> None:
        super().__init__(md)
        self.pattern, self.groups = term_pattern(spellings)
        self.definitions = definitions
        self.url = url
        self.found: list[str] = []

    def run(self, root: ET.Element) -> None:
        self.found = []
        if self.pattern is not None:
            self._walk(root)

    def _skipped(self, element: ET.Element) -> bool:
        classes = set((element.get("class") or "").split())
        return element.tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)

    def _walk(self, element: ET.Element) -> None:
        if self._skipped(element):
            return
        if element.text:
            text, links = self._mark(element.text)
            if links:
                element.text = text
                for offset, link in enumerate(links):
                    element.insert(offset, link)
        for child in list(element):
            self._walk(child)
            if child.tail:
                tail, links = self._mark(child.tail)
                if links:
                    child.tail = tail
                    position = list(element).index(child) + 1
                    for offset, link in enumerate(links):
                        element.insert(position + offset, link)

    def _mark(self, text: str) -> tuple[str, list[ET.Element]]:
        """Split text around the first use of each term not yet linked in this body."""
        links: list[ET.Element] = []
        head = text
        previous: ET.Element | None = None
        position = 0
        for match in self.pattern.finditer(text):
            slug = self.groups[match.lastgroup]
            if slug in self.found:
                continue
            self.found.append(slug)
            link = ET.Element(
                "a",
                {"class": "term", "href": f"{self.url}#{slug}", "title": self.definitions[slug]},
            )
            link.text = match.group()
            before = text[position : match.start()]
            if previous is None:
                head = before
            else:
                previous.tail = before
            links.append(link)
            previous = link
            position = match.end()
        if previous is not None:
            previous.tail = text[position:]
        return head, links


class GlossaryExtension(Extension):
    def __init__(
        self, spellings: Iterable[TermSpelling], definitions: Mapping[str, str], url: str
    ) -> None:
        super().__init__()
        self.spellings = tuple(spellings)
        self.definitions = definitions
        self.url = url
        self.processor: GlossaryTreeprocessor | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = GlossaryTreeprocessor(md, self.spellings, self.definitions, self.url)
        # After "inline" (20), which makes the links, emphasis and citations we skip or enter.
        md.treeprocessors.register(self.processor, "glossary", 15)

    @property
    def found(self) -> tuple[str, ...]:
        return tuple(self.processor.found) if self.processor else ()
