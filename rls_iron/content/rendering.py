"""Markdown to HTML: citations as numbered links, glossary terms linked, one ``Renderer``.

``[@key]`` citations become links to the references page (``CitationExtension``); with a
glossary, the first use of each term links to its definition (``rls_iron.glossary``); phone
numbers are marked so they never break across lines (``phones``). The
``Renderer`` is built once per content version and every body it renders passes through
``sanitise``, so no Markdown output reaches a page unsanitised.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

import markdown
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from rls_iron.addresses import section_url
from rls_iron.content.figures import Figure, FigureExtension
from rls_iron.content.limits import fill_limits
from rls_iron.content.models import CITATION_PATTERN, GlossaryTerm, Reference
from rls_iron.content.phones import PhoneExtension
from rls_iron.content.sanitise import sanitise
from rls_iron.content.topics import TopicsExtension
from rls_iron.glossary import GlossaryExtension, TermSpelling


def citation_keys(text: str) -> list[str]:
    """The keys cited in a piece of Markdown, in order, e.g. ``[@a; @b]`` → ['a', 'b']."""
    keys = []
    for match in CITATION_PATTERN.finditer(text):
        keys.extend(split_keys(match.group(1)))
    return keys


def split_keys(inner: str) -> list[str]:
    return [part.strip().removeprefix("@").strip() for part in inner.split(";") if part.strip()]


class CitationProcessor(InlineProcessor):
    """Turns ``[@key]`` into numbered links to the references page."""

    def __init__(self, pattern: str, references: Mapping[str, Reference], url: str) -> None:
        super().__init__(pattern)
        self.references = references
        self.url = url

    def handleMatch(self, match: re.Match, data: str):
        keys = split_keys(match.group(1))
        cited = sorted(
            {self.references[key] for key in keys if key in self.references},
            key=lambda reference: reference.number,
        )
        if not cited:
            return None, None, None
        if len(cited) == 1:
            # The common case is one element: a long page carries hundreds of citations, and
            # every element costs the phone time in Style & Layout (issue 18).
            link = self._link(cited[0], "cite")
            link.text = AtomicString(f"[{cited[0].number}]")
            return link, match.start(0), match.end(0)
        group = ET.Element("span", {"class": "cite"})
        group.text = AtomicString("[")  # no later Markdown pattern reads "[1, 3]" as a link
        for index, reference in enumerate(cited):
            link = self._link(reference, "cite-link")
            group.append(link)
            link.text = AtomicString(str(reference.number))
            link.tail = ", " if index < len(cited) - 1 else "]"
        return group, match.start(0), match.end(0)

    def _link(self, reference: Reference, css_class: str) -> ET.Element:
        """A link to one source: a screen reader says "Source 2", then its short label.

        The aria-label names the link, so the visible brackets are not read out; the title
        (the short label) becomes its description and the tooltip.
        """
        # load_guide renders under the guide's language, so this is in that language.
        source = translation.gettext("Source")
        return ET.Element(
            "a",
            {
                "href": f"{self.url}#{reference.anchor}",
                "class": css_class,
                "title": reference.short_label,
                "aria-label": f"{source} {reference.number}",
            },
        )


class CitationExtension(Extension):
    def __init__(self, references: Mapping[str, Reference], url: str) -> None:
        super().__init__()
        self.references = references
        self.url = url

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above Markdown's own link (160) and reference (170) patterns, which would
        # otherwise read "[@key]" as a broken link.
        md.inlinePatterns.register(
            CitationProcessor(CITATION_PATTERN.pattern, self.references, self.url), "citation", 175
        )


def _figure_url() -> str:
    """Where this language's figures are served: /figures/ or /es/figures/."""
    return reverse("figure", args=["name"]).removesuffix("name.svg")


class Renderer:
    """Renders one Markdown body at a time to sanitised HTML.

    With glossary terms, the first use of each term in a body links to its definition, and
    ``terms_found`` tells which terms the last body used.
    """

    def __init__(
        self,
        references: Mapping[str, Reference],
        references_url: str,
        glossary: Iterable[GlossaryTerm] = (),
        glossary_url: str = "",
        *,
        figures: Mapping[str, Figure] | None = None,
        topics: Iterable[str] = (),
    ) -> None:
        glossary = tuple(glossary)
        spellings = [TermSpelling(term.slug, word) for term in glossary for word in term.spellings]
        self.glossary = (
            GlossaryExtension(
                spellings,
                {term.slug: term.definition_text for term in glossary},
                glossary_url,
            )
            if glossary
            else None
        )
        self.topics = TopicsExtension(tuple(topics), section_url)
        self.md = markdown.Markdown(
            extensions=[
                "admonition",
                "tables",
                "sane_lists",
                CitationExtension(references, references_url),
                FigureExtension(figures or {}, _figure_url()),
                self.topics,
                *([self.glossary] if self.glossary else []),
                PhoneExtension(),
            ],
            output_format="html",
        )

    def __call__(self, text: str, *, heading_prefix: str = "") -> SafeString:
        """``heading_prefix`` (a section's slug) gives its ``###`` headings ids."""
        self.topics.heading_prefix = heading_prefix
        return sanitise(self.md.reset().convert(fill_limits(text)))

    @property
    def terms_found(self) -> tuple[str, ...]:
        return self.glossary.found if self.glossary else ()
