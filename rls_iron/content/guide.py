"""``Guide``: all content of one language as one consistent version.

The guide is what views ask for. Besides the pages it holds the search index built with
the content, the warnings found while loading, and the lists other systems read: every
page with its codes and old addresses (``pages``, ``redirects``, ``pages_for_code``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from rls_iron.content.figures import Figure
from rls_iron.content.models import (
    DoctorQuestions,
    FaqEntry,
    GlossaryTerm,
    PageLink,
    Reference,
    Section,
    SiteText,
    letter_anchor,
)
from rls_iron.content.problems import Problem
from rls_iron.review.records import Review, today
from rls_iron.search import SearchIndex, SearchResults


@dataclass(frozen=True)
class GlossaryLetter:
    letter: str
    terms: tuple[GlossaryTerm, ...]

    @property
    def anchor(self) -> str:
        return letter_anchor(self.letter)


@dataclass(frozen=True)
class Topic:
    """One section on its own page, with its neighbours and the sources it cites."""

    section: Section
    previous: Section | None
    next: Section | None
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Guide:
    """All content of one language, as one consistent version."""

    language: str
    site: SiteText
    sections: tuple[Section, ...]
    faq: tuple[FaqEntry, ...]
    references: tuple[Reference, ...]
    version: str
    loaded_at: dt.datetime
    modified_at: dt.datetime  # the newest content file's modification time (Last-Modified)
    search_index: SearchIndex  # built with the content, so a search never tokenises the FAQ
    warnings: tuple[Problem, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    doctor_questions: DoctorQuestions | None = None
    figures: Mapping[str, Figure] = field(default_factory=dict)  # by name
    # Every patient file's review (source path → Review), from its fingerprint and record.
    reviews: Mapping[str, Review] = field(default_factory=dict)

    def review_of(self, source_path: str) -> Review:
        return self.reviews.get(source_path, Review())

    def section(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

    def topic(self, slug: str) -> Topic | None:
        index = next((i for i, s in enumerate(self.sections) if s.slug == slug), None)
        if index is None:
            return None
        section = self.sections[index]
        by_key = {reference.key: reference for reference in self.references}
        return Topic(
            section,
            previous=self.sections[index - 1] if index > 0 else None,
            next=self.sections[index + 1] if index + 1 < len(self.sections) else None,
            references=tuple(by_key[key] for key in section.citations if key in by_key),
        )

    def faq_entry(self, slug: str) -> FaqEntry | None:
        return next((entry for entry in self.faq if entry.slug == slug), None)

    def search_faq(self, text: str) -> SearchResults:
        """The FAQ entries that match what a reader typed, best first (all when it is empty)."""
        return self.search_index.search(text)

    @property
    def glossary_by_letter(self) -> tuple[GlossaryLetter, ...]:
        """Glossary terms A to Z, grouped by their first letter."""
        letters: dict[str, list[GlossaryTerm]] = {}
        for term in self.glossary:
            letters.setdefault(term.letter, []).append(term)
        return tuple(
            GlossaryLetter(letter, tuple(terms)) for letter, terms in sorted(letters.items())
        )

    @property
    def last_reviewed(self) -> dt.date | None:
        """The oldest review date: the whole guide was checked at least this recently."""
        return min((section.last_reviewed for section in self.sections), default=None)

    @property
    def next_review(self) -> dt.date | None:
        """The earliest review due of any patient file (every section has one)."""
        due = [review.next_review for review in self.reviews.values() if review.next_review]
        due += [section.next_review for section in self.sections]
        return min(due, default=None)

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < today()

    @property
    def clinically_reviewed(self) -> bool:
        """True only when every patient file's exact text has a recorded clinical review."""
        return bool(self.reviews) and all(review.is_reviewed for review in self.reviews.values())

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(sorted({r.reviewed_by for r in self.reviews.values() if r.is_reviewed}))

    @cached_property
    def pages(self) -> tuple[PageLink, ...]:
        """The guide, its sections, then its answers: the order in which they best answer."""
        with translation.override(self.language):
            guide_path = reverse("guide")
        guide = PageLink(
            self.site.title,
            guide_path,
            self.site.summary,
            self.language,
            self.site.codes,
            self.site.aliases,
        )
        sections = [
            PageLink(s.title, s.path, s.summary, self.language, s.codes, s.aliases)
            for s in self.sections
        ]
        answers = [
            PageLink(
                entry.question,
                entry.path,
                Truncator(entry.plain_text).words(30),
                self.language,
                entry.codes,
                entry.aliases,
            )
            for entry in self.faq
        ]
        return (guide, *sections, *answers)

    @cached_property
    def redirects(self) -> Mapping[str, str]:
        """Old address (from ``aliases:``) → the current address of its page."""
        return {alias: page.path for page in self.pages for alias in page.aliases}

    def pages_for_code(self, system_oid: str, code: str) -> tuple[PageLink, ...]:
        """The pages that declare this code, best first. ``code`` is in normalised form."""
        return tuple(
            page
            for page in self.pages
            if any(c.system.oid == system_oid and c.key == code for c in page.codes)
        )

    @property
    def checklists(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.checklist)
