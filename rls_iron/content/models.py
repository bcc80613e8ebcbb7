"""The frozen dataclasses a page is built from, and the constants the content package shares.

A ``Section``, ``FaqEntry``, ``Reference``, ``GlossaryTerm`` or the doctor-questions list is
made once per content version by the loader and never changes after that; views and
templates only read them. The constants (languages, file-size limit, slug and citation
patterns) live here, at the bottom of the package's imports, so every other module can
use them without an import cycle.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from rls_iron.addresses import section_url
from rls_iron.codes import Code
from rls_iron.readability import (
    plain_text_from_html,
    reading_grade,
    spanish_reading_ease,
    word_count,
)
from rls_iron.review.records import Review

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Files and folders a translation may leave out for now: the site then shows the page
# without them, and the content check warns (W032) so editors know what is still to do.
OPTIONAL_IN_TRANSLATION = ("glossary", "questions.md", "synonyms.md")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITATION_PATTERN = re.compile(r"\[@([^\]\n]+)\]")
CITATION_KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")
MAX_FILE_BYTES = 256 * 1024
# An old address: a path on this site, without query or fragment (those never reach a redirect).
ALIAS_PATTERN = re.compile(r"^/(?:[A-Za-z0-9._~-]+/?)*$")
WORDS_PER_MINUTE = 200


def is_web_source(values: dict) -> bool:
    """A web page or drug label: found by its address alone, and it can change."""
    return bool(values.get("url")) and not any(
        values.get(name) for name in ("doi", "pmid", "volume")
    )


def source_date_label(value: str) -> str:
    if not value:
        return ""
    if len(value) == 7:  # a month only
        return date_format(dt.date.fromisoformat(value + "-01"), "YEAR_MONTH_FORMAT")
    return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    number: int
    note_html: SafeString
    authors: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    accessed: str = ""  # YYYY-MM-DD or YYYY-MM
    revised: str = ""
    source_path: str = ""
    is_cited: bool = True

    @property
    def anchor(self) -> str:
        return f"ref-{self.key}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self) -> str:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""

    @property
    def accessed_label(self) -> str:
        """The access date in the reader's language: "November 2026", "noviembre de 2026"."""
        return source_date_label(self.accessed)

    @property
    def revised_label(self) -> str:
        return source_date_label(self.revised)

    @property
    def short_label(self) -> str:
        """'Allen 2018' style label for screen readers and tooltips."""
        first_author = self.authors.split(",")[0].split(" ")[0] if self.authors else self.journal
        return " ".join(part for part in (first_author, self.year) if part) or self.title

    @property
    def publication(self) -> str:
        """Where and when it appeared, as the list of sources cites it.

        ``Sleep Med 2018;41(2):27-44.`` for an article, ``2018.`` for a dated web page, and
        nothing when neither is known.
        """
        if not self.journal:
            return f"{self.year}." if self.year else ""
        text = self.journal + (f" {self.year}" if self.year else "")
        if self.volume:
            text += f";{self.volume}" + (f"({self.issue})" if self.issue else "")
        if self.pages:
            text += f":{self.pages}"
        return text + "."


@dataclass(frozen=True)
class _Readable:
    """Shared by sections and FAQ entries: reading statistics for editors."""

    @cached_property
    def plain_text(self) -> str:
        return plain_text_from_html(self.body_html)  # type: ignore[attr-defined]

    @cached_property
    def reading_grade(self) -> float:
        return reading_grade(self.plain_text)

    @cached_property
    def spanish_reading_ease(self) -> float:
        return spanish_reading_ease(self.plain_text)

    @cached_property
    def word_count(self) -> int:
        return word_count(self.plain_text)

    @property
    def minutes_to_read(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Section(_Readable):
    slug: str
    title: str
    summary: str
    order: int
    body_html: SafeString
    last_reviewed: dt.date
    next_review: dt.date
    reviewed_by: str
    source_path: str
    aliases: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()
    checklist: bool = False
    language: str = DEFAULT_LANGUAGE
    citations: tuple[str, ...] = ()  # source keys in order of first citation
    review: Review = field(default_factory=Review)  # what the site may say of its review

    @property
    def path(self) -> str:
        return section_url(self.slug, self.language)

    @property
    def anchor(self) -> str:
        """Its card's id on the overview: old links to ``/#slug`` still land on the topic."""
        return self.slug

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        """The body's headings with their ids (set by the renderer): the topic's contents."""
        found = _HEADING.findall(self.body_html)
        return tuple(Heading(anchor, html.unescape(strip_tags(text))) for anchor, text in found)


@dataclass(frozen=True)
class Heading:
    """One entry of a topic's contents list: ``anchor`` and ``title``, as a ``Section`` has."""

    anchor: str
    title: str


_HEADING = re.compile(r'<h3 id="([^"]+)">(.*?)</h3>', re.DOTALL)


@dataclass(frozen=True)
class FaqEntry(_Readable):
    slug: str
    question: str
    order: int
    body_html: SafeString
    source_path: str
    aliases: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()
    language: str = DEFAULT_LANGUAGE
    citations: tuple[str, ...] = ()  # source keys in order of first citation
    review: Review = field(default_factory=Review)  # what the site may say of its review

    @property
    def path(self) -> str:
        with translation.override(self.language):
            return reverse("faq-answer", args=[self.slug])

    @property
    def answer_html(self) -> SafeString:
        return self.body_html


def glossary_letter(term: str) -> str:
    """The A-Z heading a term is listed under; terms starting with a digit share one."""
    first = term[:1].upper()
    return first if first.isalpha() else "0-9"


def letter_anchor(letter: str) -> str:
    return f"letter-{letter.lower()}"


@dataclass(frozen=True)
class GlossaryTerm(_Readable):
    """A medical word, its other spellings and a short plain definition."""

    slug: str
    term: str
    also: tuple[str, ...]
    body_html: SafeString
    source_path: str
    definition_line: int = 1  # where the definition starts in its file, for editors

    @property
    def definition_html(self) -> SafeString:
        return self.body_html

    @property
    def letter(self) -> str:
        return glossary_letter(self.term)

    @property
    def definition_text(self) -> str:
        return self.plain_text

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.also)


@dataclass(frozen=True)
class DoctorQuestion:
    key: str
    text: str


@dataclass(frozen=True)
class QuestionGroup:
    title: str
    questions: tuple[DoctorQuestion, ...]


@dataclass(frozen=True)
class DoctorQuestions:
    """The list a reader picks from and prints for a visit (``questions.md``)."""

    title: str
    intro_html: SafeString
    groups: tuple[QuestionGroup, ...]
    source_path: str

    @property
    def count(self) -> int:
        return sum(len(group.questions) for group in self.groups)


@dataclass(frozen=True)
class SiteText:
    site_title: str
    title: str
    summary: str
    intro_html: SafeString
    disclaimer_title: str
    disclaimer_html: SafeString
    emergency_title: str
    emergency_html: SafeString
    aliases: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()


@dataclass(frozen=True)
class PageLink:
    """A page of the guide as other systems list it: a portal, a feed, a QR code."""

    title: str
    path: str
    summary: str
    language: str
    codes: tuple[Code, ...] = ()
    aliases: tuple[str, ...] = ()
