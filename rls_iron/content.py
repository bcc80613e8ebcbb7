"""The one way into the patient content in ``content/``.

Content is Markdown with YAML front matter (see ``content/README.md``). This module reads
and validates every file, renders the Markdown once per content version, sanitises the
HTML with nh3 and is the only place where HTML is marked safe. Views ask for a ``Guide``
(frozen dataclasses) through ``get_guide()``; a cheap fingerprint of file names, sizes and
modification times, checked at most once per ``CONTENT_CHECK_INTERVAL``, picks up edits
without a restart. When an edit is broken, the last good content keeps being served and
the problems are kept for editors. Only the ``*_or_404`` helpers know about HTTP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import logging
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from rls_iron.codes import Code, code_system
from rls_iron.glossary import GlossaryExtension, TermSpelling
from rls_iron.readability import (
    MIN_SPANISH_READING_EASE,
    plain_text_from_html,
    reading_grade,
    spanish_reading_ease,
    word_count,
)
from rls_iron.review.records import Review, assess, record_path
from rls_iron.search import SearchIndex, SearchResults, Synonyms

logger = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, with where it is and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    code: str = "rls_iron.E001"
    is_error: bool = True

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ContentError(Exception):
    """The content cannot be loaded; ``problems`` says what and where."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.errors))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)


# --------------------------------------------------------------------------- dataclasses


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
    def short_label(self) -> str:
        """'Allen 2018' style label for screen readers and tooltips."""
        first_author = self.authors.split(",")[0].split(" ")[0] if self.authors else self.journal
        return " ".join(part for part in (first_author, self.year) if part) or self.title


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
        with translation.override(self.language):
            return reverse("guide") + "#" + self.slug


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
class GlossaryLetter:
    letter: str
    terms: tuple[GlossaryTerm, ...]

    @property
    def anchor(self) -> str:
        return letter_anchor(self.letter)


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
    # Every patient file's review (source path → Review), from its fingerprint and record.
    reviews: Mapping[str, Review] = field(default_factory=dict)

    def review_of(self, source_path: str) -> Review:
        return self.reviews.get(source_path, Review())

    def section(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

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
    def clinically_reviewed(self) -> bool:
        """True only when every patient file's exact text has a recorded clinical review."""
        return bool(self.reviews) and all(review.is_reviewed for review in self.reviews.values())

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(sorted({r.reviewed_by for r in self.reviews.values() if r.is_reviewed}))

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < dt.date.today()

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


# --------------------------------------------------------------------------- front matter


@dataclass(frozen=True)
class FieldSpec:
    kind: type
    required: bool = True
    allow_empty: bool = False
    # For structured values (lists): turns the YAML value into the clean one, or raises
    # ValueError with a plain reason.
    parse: Callable[[Any], Any] | None = None


def parse_aliases(value: Any) -> tuple[str, ...]:
    """``aliases:``: old addresses of a page, each a path such as ``/iron-pills/``."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("must be a list of old addresses, each on a line starting with '- '")
    aliases = []
    for item in items:
        alias = item.strip()
        if not ALIAS_PATTERN.match(alias) or "/../" in alias + "/" or "/./" in alias + "/":
            raise ValueError(
                f"has '{alias}', which is not an address on this site: write the path only, "
                "starting with /, for example /iron-pills/"
            )
        if alias in aliases:
            raise ValueError(f"lists '{alias}' twice")
        aliases.append(alias)
    return tuple(aliases)


def parse_codes(value: Any) -> tuple[Code, ...]:
    """``codes:``: diagnosis codes this page answers, for the Infobutton endpoint."""
    hint = "must be a list of entries with 'system' and 'code', for example system: ICD-10-CM"
    if not isinstance(value, list):
        raise ValueError(hint)
    codes = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"system", "code"}:
            raise ValueError(hint)
        system_name, written = str(item["system"]), str(item["code"]).strip()
        system = code_system(system_name)
        if system is None:
            raise ValueError(
                f"has the code system '{system_name}', which the site does not know; "
                "use ICD-10-CM or SNOMED CT"
            )
        code = Code(system=system, code=written, key=system.normalise(written))
        if any(c.system == system and c.key == code.key for c in codes):
            raise ValueError(f"lists {code.label} twice")
        codes.append(code)
    return tuple(codes)


# Any patient file may record a clinical review (``manage.py record_review`` writes these);
# sections must carry the dates and the reviewer's name (empty until a real review).
REVIEW_FIELDS: Mapping[str, FieldSpec] = {
    "reviewed_by": FieldSpec(str, required=False, allow_empty=True),
    "last_reviewed": FieldSpec(dt.date, required=False),
    "next_review": FieldSpec(dt.date, required=False),
    "review_fingerprint": FieldSpec(str, required=False, allow_empty=True),
}
PAGE_LINK_FIELDS: Mapping[str, FieldSpec] = {
    "aliases": FieldSpec(tuple, required=False, parse=parse_aliases),
    "codes": FieldSpec(tuple, required=False, parse=parse_codes),
}


SECTION_FIELDS: Mapping[str, FieldSpec] = {
    "title": FieldSpec(str),
    "summary": FieldSpec(str),
    "order": FieldSpec(int),
    "slug": FieldSpec(str),
    "last_reviewed": FieldSpec(dt.date),
    "next_review": FieldSpec(dt.date),
    "reviewed_by": FieldSpec(str, allow_empty=True),
    **PAGE_LINK_FIELDS,
    "checklist": FieldSpec(bool, required=False),
}
FAQ_FIELDS: Mapping[str, FieldSpec] = {
    "question": FieldSpec(str),
    "slug": FieldSpec(str),
    "order": FieldSpec(int),
    **PAGE_LINK_FIELDS,
}
REFERENCE_FIELDS: Mapping[str, FieldSpec] = {
    "key": FieldSpec(str),
    "title": FieldSpec(str),
    **{
        name: FieldSpec(str, required=False)
        for name in ("authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid")
    },
    **{name: FieldSpec(str, required=False) for name in ("pmcid", "url")},
}
SITE_FIELDS: Mapping[str, FieldSpec] = {
    "site_title": FieldSpec(str),
    "title": FieldSpec(str),
    "summary": FieldSpec(str),
    **PAGE_LINK_FIELDS,
}
NOTICE_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str)}
GLOSSARY_FIELDS: Mapping[str, FieldSpec] = {
    "term": FieldSpec(str),
    "slug": FieldSpec(str),
    "also": FieldSpec(tuple, required=False),
}
QUESTIONS_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str)}
SYNONYMS_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str, required=False)}


@dataclass(frozen=True)
class SourceFile:
    """A content file split into its front matter and Markdown body."""

    path: Path
    relative_path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # line number (1-based) of the body's first line
    field_lines: dict[str, int] = field(default_factory=dict)
    raw: bytes = b""
    mtime_ns: int = 0


class _Collector:
    """Gathers problems while loading, so an editor sees all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, line: int, message: str, hint: str = "", code: str = "E001"):
        self.problems.append(Problem(path, line, message, hint, f"rls_iron.{code}", True))

    def warning(self, path: str, line: int, message: str, hint: str = "", code: str = "W001"):
        self.problems.append(Problem(path, line, message, hint, f"rls_iron.{code}", False))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(path: Path, problems: _Collector) -> SourceFile | None:
    """Read one file and split off its front matter; report problems instead of raising."""
    relative_path = _relative(path)
    mtime_ns = path.stat().st_mtime_ns
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.error(
            relative_path,
            1,
            f"The file is {len(raw) // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB.",
            "Split it into smaller files.",
            "E010",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.error(
            relative_path,
            line,
            "The file is not valid UTF-8 text.",
            "Save it as UTF-8 in your editor.",
            "E009",
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(
            relative_path,
            1,
            "The file does not start with front matter.",
            "The first line must be --- , then the settings, then another --- line.",
            "E002",
        )
        return None
    closing = next((index for index in range(1, len(lines)) if lines[index].strip() == "---"), None)
    if closing is None:
        problems.error(
            relative_path,
            1,
            "The front matter is never closed.",
            "Add a line with only --- after the settings.",
            "E002",
        )
        return None
    front_matter = "\n".join(lines[1:closing])
    try:
        meta = yaml.safe_load(front_matter) if front_matter.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(error, "problem", None) or "it could not be read"
        problems.error(
            relative_path,
            line,
            f"The front matter is not valid YAML: {problem}.",
            'Put text that contains a colon or starts with a symbol in "double quotes".',
            "E002",
        )
        return None
    if not isinstance(meta, dict):
        problems.error(
            relative_path,
            2,
            "The front matter must be a list of 'name: value' lines.",
            code="E002",
        )
        return None
    field_lines = {}
    for offset, line_text in enumerate(lines[1:closing], start=2):
        name = line_text.split(":", 1)[0].strip()
        if name and not line_text.startswith((" ", "\t", "-", "#")):
            field_lines.setdefault(name, offset)
    return SourceFile(
        path=path,
        relative_path=relative_path,
        meta=meta,
        body="\n".join(lines[closing + 1 :]),
        body_line=closing + 2,
        field_lines=field_lines,
        raw=raw,
        mtime_ns=mtime_ns,
    )


def _coerce(value: Any, spec: FieldSpec) -> Any:
    """Return the value as the field's type, or raise ValueError with a plain reason."""
    if spec.parse is not None:
        return spec.parse(value)
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if spec.kind is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError("must be a date written as YYYY-MM-DD, for example 2026-11-27")
    if spec.kind is tuple:
        # A YAML list ([TSAT, iron saturation]) or, easier to type, words split by commas.
        items = value.split(",") if isinstance(value, str) else value
        if value is None:
            return ()
        if not isinstance(items, list) or not all(
            isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in items
        ):
            raise ValueError("must be a list of words split by commas, for example: TSAT, iron")
        return tuple(str(item).strip() for item in items if str(item).strip())
    if spec.kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number, for example 3")
        return value
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ValueError("must be plain text")


def validate_fields(
    source: SourceFile, specs: Mapping[str, FieldSpec], problems: _Collector
) -> dict[str, Any] | None:
    """Check the front matter against its specification; return clean values or None."""
    clean: dict[str, Any] = {}
    ok = True
    for name in source.meta:
        if name not in specs:
            line = source.field_lines.get(str(name), 2)
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known fields: {', '.join(specs)}."
            problems.error(source.relative_path, line, f"Unknown field '{name}'.", hint, "E004")
            ok = False
    for name, spec in specs.items():
        line = source.field_lines.get(name, 2)
        if name not in source.meta:
            if spec.required:
                problems.error(
                    source.relative_path,
                    2,
                    f"The required field '{name}' is missing.",
                    f"Add a line '{name}: ...' to the front matter.",
                    "E003",
                )
                ok = False
            continue
        try:
            value = _coerce(source.meta[name], spec)
        except ValueError as error:
            problems.error(source.relative_path, line, f"'{name}' {error}.", code="E005")
            ok = False
            continue
        if spec.required and not spec.allow_empty and value == "":
            problems.error(
                source.relative_path, line, f"'{name}' is empty.", "Give it a value.", "E005"
            )
            ok = False
            continue
        clean[name] = value
    slug = clean.get("slug") or clean.get("key")
    if "slug" in clean and not SLUG_PATTERN.match(slug):
        problems.error(
            source.relative_path,
            source.field_lines.get("slug", 2),
            f"The slug '{slug}' may only use lower-case letters, digits and single dashes.",
            "For example: getting-tested",
            "E005",
        )
        ok = False
    if "key" in clean and not CITATION_KEY_PATTERN.match(clean["key"]):
        problems.error(
            source.relative_path,
            source.field_lines.get("key", 2),
            f"The key '{clean['key']}' may only use letters, digits, dashes and underscores.",
            code="E005",
        )
        ok = False
    if clean.get("url") and not clean["url"].lower().startswith(("https://", "http://")):
        # The one front matter value that becomes a link without passing nh3: a
        # "javascript:" address here would run script when a patient clicks it.
        problems.error(
            source.relative_path,
            source.field_lines.get("url", 2),
            f"The url '{clean['url']}' is not a web address.",
            "Start it with https://, for example https://www.nhs.uk/",
            "E005",
        )
        ok = False
    return clean if ok else None


# --------------------------------------------------------------------------- Markdown


def citation_keys(text: str) -> list[str]:
    """The keys cited in a piece of Markdown, in order, e.g. ``[@a; @b]`` → ['a', 'b']."""
    keys = []
    for match in CITATION_PATTERN.finditer(text):
        keys.extend(_split_keys(match.group(1)))
    return keys


def _split_keys(inner: str) -> list[str]:
    return [part.strip().removeprefix("@").strip() for part in inner.split(";") if part.strip()]


class CitationProcessor(InlineProcessor):
    """Turns ``[@key]`` into numbered links to the references page."""

    def __init__(self, pattern: str, references: Mapping[str, Reference], url: str) -> None:
        super().__init__(pattern)
        self.references = references
        self.url = url

    def handleMatch(self, match: re.Match, data: str):
        keys = _split_keys(match.group(1))
        cited = sorted(
            {self.references[key] for key in keys if key in self.references},
            key=lambda reference: reference.number,
        )
        if not cited:
            return None, None, None
        sup = ET.Element("sup", {"class": "cite"})
        sup.text = "["
        for index, reference in enumerate(cited):
            link = ET.SubElement(
                sup,
                "a",
                {
                    "href": f"{self.url}#{reference.anchor}",
                    "class": "cite-link",
                    "title": reference.short_label,
                },
            )
            hidden = ET.SubElement(link, "span", {"class": "visually-hidden"})
            # load_guide renders under the guide's language, so this is in that language.
            hidden.text = translation.gettext("Source") + " "
            hidden.tail = str(reference.number)
            link.tail = ", " if index < len(cited) - 1 else "]"
        return sup, match.start(0), match.end(0)


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


# The only HTML a content file may produce. Everything else is removed by nh3.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h3",
        "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "emergency", "urgent", "important", "tip", "note"},
    "p": {"admonition-title"},
    "sup": {"cite"},
    "a": {"cite-link", "term"},
    "span": {"visually-hidden"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitise(html: str) -> SafeString:
    """Clean rendered Markdown and mark it safe: the single trusted boundary for HTML.

    Content files are written by people, not code, and a mistaken or malicious edit must
    never run script in a patient's browser, so everything passes an allowlist first.
    """
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,  # the site-wide Referrer-Policy already keeps page addresses private
        strip_comments=True,
    )
    return mark_safe(cleaned)


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
        self.md = markdown.Markdown(
            extensions=[
                "admonition",
                "tables",
                "sane_lists",
                CitationExtension(references, references_url),
                *([self.glossary] if self.glossary else []),
            ],
            output_format="html",
        )

    def __call__(self, text: str) -> SafeString:
        return sanitise(self.md.reset().convert(text))

    @property
    def terms_found(self) -> tuple[str, ...]:
        return self.glossary.found if self.glossary else ()


def markdown_renderer(
    references: Mapping[str, Reference],
    references_url: str,
    glossary: Iterable[GlossaryTerm] = (),
    glossary_url: str = "",
) -> Renderer:
    """A function that renders one Markdown body to sanitised HTML."""
    return Renderer(references, references_url, glossary, glossary_url)


# --------------------------------------------------------------------------- loading


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and path.suffix == ".md")


def _check_citations(source: SourceFile, known: set[str], problems: _Collector) -> None:
    for offset, line_text in enumerate(source.body.split("\n")):
        for match in CITATION_PATTERN.finditer(line_text):
            for key in _split_keys(match.group(1)):
                if key not in known:
                    close = difflib.get_close_matches(key, sorted(known), n=1)
                    hint = (
                        f"Did you mean '@{close[0]}'?"
                        if close
                        else "Add a file for it in references/."
                    )
                    problems.error(
                        source.relative_path,
                        source.body_line + offset,
                        f"Unknown source '@{key}' in a citation.",
                        hint,
                        "E006",
                    )


def _check_unique(items: list[tuple[SourceFile, dict]], name: str, problems: _Collector) -> None:
    seen: dict[Any, SourceFile] = {}
    for source, values in items:
        value = values[name]
        if value in seen:
            problems.error(
                source.relative_path,
                source.field_lines.get(name, 2),
                f"The {name} '{value}' is already used by {seen[value].relative_path}.",
                f"Give each file its own {name}.",
                "E007",
            )
        else:
            seen[value] = source


MARKDOWN_LINK = re.compile(r"\]\(\s*<?(?P<target>[^)\s>]+)")
HTML_TAG = re.compile(r"<(?P<closing>/?)(?P<name>[A-Za-z][\w-]*)(?P<attrs>\s[^<>]*)?/?>")
HTML_ATTRIBUTE = re.compile(r"([A-Za-z_:][\w:.-]*)\s*(?:=|(?=\s|$|/))")


def _body_lines(source: SourceFile) -> Iterable[tuple[int, str]]:
    """Body lines with their file line numbers, skipping fenced code blocks."""
    fenced = False
    for offset, text in enumerate(source.body.split("\n")):
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield source.body_line + offset, text


def _check_body(source: SourceFile, problems: _Collector) -> None:
    if not source.body.strip():
        problems.error(
            source.relative_path,
            source.body_line,
            "The file has no text after its front matter.",
            "Write the text below the second --- line.",
            "E012",
        )
    for line, text in _body_lines(source):
        for match in HTML_TAG.finditer(text):
            if match.group("closing"):
                continue  # the opening tag has already been reported
            name = match.group("name").lower()
            attributes = {
                found.lower() for found in HTML_ATTRIBUTE.findall(match.group("attrs") or "")
            }
            allowed = ALLOWED_ATTRIBUTES.get(name, set()) | (
                {"class"} if name in ALLOWED_CLASSES else set()
            )
            if name not in ALLOWED_TAGS:
                removed = f"the <{name}> tag"
            elif attributes - allowed:
                removed = "the attribute " + ", ".join(sorted(attributes - allowed))
            else:
                continue
            problems.warning(
                source.relative_path,
                line,
                f"Raw HTML: {removed} will be removed from the page.",
                "Use Markdown instead of HTML; see content/README.md.",
                "W003",
            )


def _link_targets(sections, faq, references, glossary=()) -> dict[str, set[str]]:
    """Every page of the site that content may link to, with the anchors on it."""
    faq_slugs = {values["slug"] for _, values in faq}
    targets = {
        reverse("guide"): {values["slug"] for _, values in sections} | {"main"},
        reverse("faq"): faq_slugs | {"main"},
        reverse("references"): {f"ref-{values['key']}" for _, values in references} | {"main"},
        reverse("glossary"): {values["slug"] for _, values in glossary}
        | {letter_anchor(glossary_letter(values["term"])) for _, values in glossary}
        | {"main"},
        reverse("questions"): {"main"},
    }
    for slug in faq_slugs:
        targets[reverse("faq-answer", args=[slug])] = {"main"}
    return targets


def _check_links(source: SourceFile, targets: Mapping[str, set[str]], problems: _Collector) -> None:
    from django.urls import Resolver404, resolve

    for line, text in _body_lines(source):
        for match in MARKDOWN_LINK.finditer(text):
            target = match.group("target")
            if not target.startswith(("/", "#")) or target.startswith("//"):
                continue  # outside links (https:, tel:, mailto:) are not checked here
            path, _, anchor = target.partition("#")
            path = path or reverse("guide")
            if path in targets:
                if not anchor or anchor in targets[path]:
                    continue
                message = f"The link {target} points to '#{anchor}', which is not on that page."
                close = difflib.get_close_matches(anchor, sorted(targets[path]), n=1)
            else:
                try:
                    match_ = resolve(path)
                except Resolver404:
                    match_ = None
                if match_ is not None and match_.url_name != "faq-answer":
                    continue  # a page that exists but holds no content anchors
                message = f"The link {target} points to a page that does not exist."
                close = difflib.get_close_matches(path, sorted(targets), n=1)
            hint = (
                f"Did you mean {close[0]}?" if close else "Check the address in content/README.md."
            )
            problems.error(source.relative_path, line, message, hint, "E011")


def _line_of_item(source: SourceFile, name: str, item: str) -> int:
    """The front matter line that lists ``item`` under the field ``name``."""
    start = source.field_lines.get(name, 2)
    lines = source.raw.decode("utf-8", errors="replace").split("\n")
    for number in range(start, source.body_line - 1):
        text = lines[number - 1].strip().removeprefix("-").strip().strip("\"'")
        if text == item:
            return number
    return start


def _is_live_address(path: str, targets: Mapping[str, set[str]]) -> bool:
    """Whether the site already answers ``path`` with something other than a redirect."""
    from django.urls import Resolver404, resolve

    if path in targets or path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    # /faq/<slug>/ is live only for an answer that exists: a renamed answer's old
    # address is exactly what an alias is for.
    return match.url_name != "faq-answer"


def _check_aliases(
    pages: list[tuple[SourceFile, dict]],
    targets: Mapping[str, set[str]],
    problems: _Collector,
) -> None:
    """An old address may lead to one page only, and never hide a page that exists."""
    seen: dict[str, SourceFile] = {}
    for source, values in pages:
        for alias in values.get("aliases", ()):
            line = _line_of_item(source, "aliases", alias)
            if _is_live_address(alias, targets):
                problems.error(
                    source.relative_path,
                    line,
                    f"The old address {alias} is a page of this site, so it cannot redirect.",
                    "Remove it from 'aliases'.",
                    "E013",
                )
            elif not alias.endswith("/") and _is_live_address(alias + "/", targets):
                problems.error(
                    source.relative_path,
                    line,
                    f"The old address {alias} already leads to the page {alias}/.",
                    "Remove it from 'aliases'.",
                    "E013",
                )
            elif alias in seen:
                problems.error(
                    source.relative_path,
                    line,
                    f"The old address {alias} is already listed in {seen[alias].relative_path}.",
                    "An old address can lead to one page only: remove it from one file.",
                    "E013",
                )
            else:
                seen[alias] = source


def _content_version(
    sources: Iterable[SourceFile], reviews: Mapping[str, tuple[SourceFile, Review]]
) -> str:
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda item: item.relative_path):
        digest.update(source.relative_path.encode())
        digest.update(b"\0")
        digest.update(source.raw)
    # What pages say about a review changes with its record and with the date, not only
    # with the files: a new version makes cached pages render afresh.
    for path, (_, review) in sorted(reviews.items()):
        digest.update(f"{path}\0{review.state}\0{review.overdue}".encode())
    return digest.hexdigest()[:16]


def _review(root: Path, source: SourceFile, values: Mapping[str, Any]) -> Review:
    return assess(
        reviewed_by=values.get("reviewed_by", ""),
        last_reviewed=values.get("last_reviewed"),
        fingerprint=values.get("review_fingerprint", ""),
        next_review=values.get("next_review"),
        body=source.body,
        record_file=record_path(root, source.path),
    )


def _review_warnings(reviews: Iterable[tuple[SourceFile, Review]], problems: _Collector) -> None:
    """W005 a review is due, W040 review fields nothing backs, W041 changed since review."""
    for source, review in reviews:
        line = source.field_lines.get
        if review.problem:
            problems.warning(
                source.relative_path,
                line("reviewed_by", line("review_fingerprint", 2)),
                f"Not shown as reviewed: {review.problem}",
                "Record a review only with manage.py record_review (see content/README.md).",
                "W040",
            )
        if review.is_changed:
            problems.warning(
                source.relative_path,
                line("review_fingerprint", 2),
                f"The text has changed since its clinical review on {review.reviewed_on}.",
                "Ask a clinician to review it again (make review-packet), then record it.",
                "W041",
            )
        if review.overdue:
            problems.warning(
                source.relative_path,
                line("next_review", 2),
                f"The review date {review.next_review.isoformat()} has passed.",
                "Check the text against its sources, then set new review dates.",
                "W005",
            )


# --------------------------------------------------------------------------- glossary and lists

QUESTION_LINE = re.compile(r"^[-*+]\s+(?P<text>.+)$")
GROUP_LINE = re.compile(r"^#{2,6}\s+(?P<title>.+?)\s*#*$")


def _check_glossary_spellings(glossary: list[tuple[SourceFile, dict]], problems: _Collector):
    """Each spelling may belong to one term only, or a word could not say which it means."""
    owners: dict[str, tuple[str, SourceFile]] = {}
    for source, values in glossary:
        for spelling in (values["term"], *values.get("also", ())):
            key = " ".join(spelling.casefold().split())
            owner = owners.get(key)
            if owner is None:
                owners[key] = (values["slug"], source)
            elif owner[0] != values["slug"]:
                problems.error(
                    source.relative_path,
                    source.field_lines.get("also" if spelling != values["term"] else "term", 2),
                    f"The word '{spelling}' is already a spelling of the term in "
                    f"{owner[1].relative_path}.",
                    "Give each word to one term only.",
                    "E020",
                )


def _parse_synonyms(source: SourceFile, problems: _Collector, language: str) -> Synonyms:
    """Read the groups of words (one list item per group, words split by commas)."""
    groups = []
    for line, text in _body_lines(source):
        match = QUESTION_LINE.match(text.strip())
        if not match:
            continue  # other lines are notes for editors
        words = [word.strip() for word in match.group("text").split(",") if word.strip()]
        for word in words:
            if len(word.split()) > 1:
                problems.warning(
                    source.relative_path,
                    line,
                    f"'{word}' has more than one word; search compares single words only.",
                    "Split it into separate words, or leave it out.",
                    "W023",
                )
        words = [word for word in words if len(word.split()) == 1]
        if len({word.casefold() for word in words}) < 2:
            problems.warning(
                source.relative_path,
                line,
                "This group has fewer than two words, so it changes nothing.",
                "List at least two words that mean the same, split by commas.",
                "W022",
            )
            continue
        groups.append(words)
    return Synonyms.from_groups(groups, language=language)


def _parse_questions(
    source: SourceFile, problems: _Collector
) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Split questions.md into its introduction (Markdown) and its groups of questions."""
    intro: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    continues = False  # an indented line right after a question is more of that question
    for line, text in _body_lines(source):
        stripped = text.strip()
        heading = GROUP_LINE.match(stripped)
        question = QUESTION_LINE.match(stripped)
        if continues and stripped and text[:1].isspace():
            groups[-1][1][-1] += " " + " ".join(stripped.split())
            continue
        continues = bool(question)
        if heading:
            groups.append((heading.group("title"), []))
        elif question and groups:
            groups[-1][1].append(" ".join(question.group("text").split()))
        elif question:
            groups.append(("", [" ".join(question.group("text").split())]))
        elif not groups:
            intro.append(text)
        elif stripped:
            problems.warning(
                source.relative_path,
                line,
                "This line is not a heading or a question, so the page leaves it out.",
                "Start each question with '- ' and each group with '### '.",
                "W024",
            )
    parsed = tuple((title, tuple(questions)) for title, questions in groups if questions)
    if not parsed:
        problems.error(
            source.relative_path,
            source.body_line,
            "The file lists no questions.",
            "Write each question on its own line, starting with '- '.",
            "E021",
        )
    return "\n".join(intro), parsed


def _doctor_questions(
    source: SourceFile, title: str, intro_html: SafeString, groups
) -> DoctorQuestions:
    numbers = iter(range(1, 1000))
    return DoctorQuestions(
        title=title,
        intro_html=intro_html,
        groups=tuple(
            QuestionGroup(
                title=group_title,
                questions=tuple(
                    DoctorQuestion(f"question-{next(numbers)}", text) for text in texts
                ),
            )
            for group_title, texts in groups
        ),
        source_path=source.relative_path,
    )


def load_guide(root: Path, language: str = DEFAULT_LANGUAGE) -> Guide:
    """Read, validate and render all content of one language. Raises ContentError.

    Addresses are made and checked in the language's own URL space (``/es/…`` for Spanish).
    """
    with translation.override(language):
        return _load_guide(root, language)


def _load_guide(root: Path, language: str) -> Guide:
    problems = _Collector()
    folder = root / language
    if not folder.is_dir():
        raise ContentError(
            [Problem(_relative(folder), 1, "The content folder is missing.", code="rls_iron.E001")]
        )

    reviews: dict[str, tuple[SourceFile, Review]] = {}

    def validate(source: SourceFile, specs: Mapping[str, FieldSpec], reviewed: bool):
        """The file's own values; a patient file's review fields become its Review."""
        all_specs = {**REVIEW_FIELDS, **specs} if reviewed else specs
        values = validate_fields(source, all_specs, problems)
        if values is None:
            return None
        if reviewed:
            reviews[source.relative_path] = (source, _review(root, source, values))
        return {name: value for name, value in values.items() if name in specs}

    def load_many(sub: str, specs: Mapping[str, FieldSpec]) -> list[tuple[SourceFile, dict]]:
        loaded = []
        for path in _markdown_files(folder / sub):
            source = read_source(path, problems)
            values = validate(source, specs, True) if source else None
            if source and values is not None:
                loaded.append((source, values))
        return loaded

    def load_one(
        name: str, specs: Mapping[str, FieldSpec], *, optional: bool = False, reviewed=True
    ) -> tuple[SourceFile, dict] | None:
        path = folder / name
        if not path.is_file():
            if not optional:
                problems.error(_relative(path), 1, f"The file {name} is missing.", code="E008")
            return None
        source = read_source(path, problems)
        values = validate(source, specs, reviewed) if source else None
        return (source, values) if source and values is not None else None

    site = load_one("site.md", SITE_FIELDS)
    disclaimer = load_one("disclaimer.md", NOTICE_FIELDS)
    emergency = load_one("emergency.md", NOTICE_FIELDS)
    sections = sorted(load_many("sections", SECTION_FIELDS), key=lambda item: item[1]["order"])
    faq = sorted(load_many("faq", FAQ_FIELDS), key=lambda item: item[1]["order"])
    references = load_many("references", REFERENCE_FIELDS)
    glossary = sorted(
        load_many("glossary", GLOSSARY_FIELDS), key=lambda item: item[1]["term"].casefold()
    )
    questions = load_one("questions.md", QUESTIONS_FIELDS, optional=True)
    synonyms_file = load_one("synonyms.md", SYNONYMS_FIELDS, optional=True, reviewed=False)
    if language != DEFAULT_LANGUAGE:
        for name in OPTIONAL_IN_TRANSLATION:
            if not (folder / name).exists() and (root / DEFAULT_LANGUAGE / name).exists():
                problems.warning(
                    _relative(folder / name),
                    1,
                    f"There is no {name} in this language yet; its page shows without it.",
                    f"Translate {DEFAULT_LANGUAGE}/{name} to add it.",
                    "W032",
                )

    for items, names in (
        (sections, ("slug", "order")),
        (faq, ("slug", "order")),
        (references, ("key",)),
        (glossary, ("slug",)),
    ):
        for name in names:
            _check_unique(items, name, problems)
    _check_glossary_spellings(glossary, problems)
    synonyms = (
        _parse_synonyms(synonyms_file[0], problems, language) if synonyms_file else Synonyms()
    )
    question_parts = _parse_questions(questions[0], problems) if questions else None
    known_keys = {values["key"] for _, values in references}

    cited_in_order: list[str] = []
    readable_sources = [item for item in (site,) if item] + sections + faq + glossary
    for source, _ in readable_sources:
        _check_citations(source, known_keys, problems)
        for key in citation_keys(source.body):
            if key in known_keys and key not in cited_in_order:
                cited_in_order.append(key)
    for source, values in references:
        if values["key"] not in cited_in_order:
            problems.warning(
                source.relative_path,
                source.field_lines.get("key", 2),
                f"The source '{values['key']}' is never cited.",
                f"Cite it with [@{values['key']}] or remove the file.",
                "W002",
            )

    optional_files = [item for item in (questions, synonyms_file) if item]
    for source, _ in [item for item in (site, disclaimer, emergency) if item] + sections + faq:
        _check_body(source, problems)
    for source, _ in references + glossary + optional_files:
        _check_body(source, problems)
    link_targets = _link_targets(sections, faq, references, glossary)
    for source, _ in readable_sources + optional_files:
        _check_links(source, link_targets, problems)
    _check_aliases(readable_sources, link_targets, problems)
    _review_warnings(reviews.values(), problems)

    if problems.errors or not (site and disclaimer and emergency):
        raise ContentError(problems.problems)

    # Number sources by first citation; uncited ones follow in key order.
    by_key = {values["key"]: (source, values) for source, values in references}
    ordered_keys = cited_in_order + sorted(key for key in by_key if key not in cited_in_order)
    numbers = {key: index for index, key in enumerate(ordered_keys, start=1)}
    plain_render = markdown_renderer({}, "")
    reference_objects = {
        key: Reference(
            **{name: by_key[key][1].get(name, "") for name in REFERENCE_FIELDS},
            number=numbers[key],
            note_html=plain_render(by_key[key][0].body),
            source_path=by_key[key][0].relative_path,
            is_cited=key in cited_in_order,
        )
        for key in ordered_keys
    }
    render = markdown_renderer(reference_objects, reverse("references"))
    glossary_terms = tuple(
        GlossaryTerm(
            slug=values["slug"],
            term=values["term"],
            also=values.get("also", ()),
            body_html=render(source.body),
            source_path=source.relative_path,
            definition_line=source.body_line,
        )
        for source, values in glossary
    )
    # The guide and the answers link the first use of each glossary term in each body.
    render_with_terms = markdown_renderer(
        reference_objects, reverse("references"), glossary_terms, reverse("glossary")
    )
    terms_used: set[str] = set()

    def render_body(source: SourceFile) -> SafeString:
        html = render_with_terms(source.body)
        terms_used.update(render_with_terms.terms_found)
        return html

    site_source, site_values = site
    intro_html = render_body(site_source)
    section_objects = tuple(
        Section(
            **values,
            body_html=render_body(source),
            source_path=source.relative_path,
            language=language,
            citations=tuple(dict.fromkeys(citation_keys(source.body))),
            review=reviews[source.relative_path][1],
        )
        for source, values in sections
    )
    faq_entries = tuple(
        FaqEntry(
            **values,
            body_html=render_body(source),
            source_path=source.relative_path,
            language=language,
            citations=tuple(dict.fromkeys(citation_keys(source.body))),
            review=reviews[source.relative_path][1],
        )
        for source, values in faq
    )
    for (source, _), term in zip(glossary, glossary_terms, strict=True):
        if term.slug not in terms_used:
            problems.warning(
                source.relative_path,
                source.field_lines.get("term", 2),
                f"The term '{term.term}' is not used in the guide or in any answer.",
                "Add the word it is used as under 'also', or remove the file.",
                "W020",
            )

    all_sources = [site_source, disclaimer[0], emergency[0]]
    all_sources += [source for source, _ in sections + faq + references + glossary]
    all_sources += [source for source, _ in optional_files]
    return Guide(
        language=language,
        site=SiteText(
            site_title=site_values["site_title"],
            title=site_values["title"],
            summary=site_values["summary"],
            intro_html=intro_html,
            disclaimer_title=disclaimer[1]["title"],
            disclaimer_html=render(disclaimer[0].body),
            emergency_title=emergency[1]["title"],
            emergency_html=render(emergency[0].body),
            aliases=site_values.get("aliases", ()),
            codes=site_values.get("codes", ()),
        ),
        sections=section_objects,
        faq=faq_entries,
        references=tuple(reference_objects[key] for key in ordered_keys),
        version=_content_version(all_sources, reviews),
        loaded_at=dt.datetime.now(dt.UTC),
        modified_at=dt.datetime.fromtimestamp(
            max(source.mtime_ns for source in all_sources) / 1e9, dt.UTC
        ),
        search_index=SearchIndex(
            ((entry, entry.question, entry.plain_text) for entry in faq_entries),
            synonyms,
            language=language,
        ),
        warnings=tuple(problems.warnings),
        glossary=glossary_terms,
        doctor_questions=(
            _doctor_questions(
                questions[0], questions[1]["title"], render(question_parts[0]), question_parts[1]
            )
            if questions and question_parts
            else None
        ),
        reviews={path: review for path, (_, review) in reviews.items()},
    )


# --------------------------------------------------------------------------- editor report

MAX_READING_GRADE = 7.0
KNOWN_LANGUAGE_FILES = ("site.md", "disclaimer.md", "emergency.md", "questions.md", "synonyms.md")
KNOWN_LANGUAGE_FOLDERS = ("sections", "faq", "references", "glossary")


@dataclass(frozen=True)
class FileStatus:
    """One content file as editors see it in `make check-content` and on /editor/."""

    path: str
    title: str = ""
    url: str = ""
    words: int | None = None
    grade: float | None = None
    ease: float | None = None  # Spanish pages: Fernández-Huerta reading ease
    minutes: int | None = None
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    errors: int = 0
    warnings: int = 0
    review: Review = field(default_factory=Review)

    @property
    def overdue(self) -> bool:
        return self.next_review is not None and self.next_review < dt.date.today()

    @property
    def status(self) -> str:
        if self.errors:
            return "error"
        if self.overdue:
            return "overdue"
        return "warning" if self.warnings else "ok"


@dataclass(frozen=True)
class ContentReport:
    problems: tuple[Problem, ...]
    files: tuple[FileStatus, ...]
    guide: Guide | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if not problem.is_error)

    @property
    def needing_review(self) -> tuple[FileStatus, ...]:
        """Files whose text changed since their clinical review, or whose review is due."""
        return tuple(item for item in self.files if item.review.is_changed or item.overdue)

    @property
    def mean_grade(self) -> float | None:
        """English pages: the average Flesch-Kincaid grade (target 6.0)."""
        return _mean(item.grade for item in self.files)

    @property
    def mean_ease(self) -> float | None:
        """Spanish pages: the average Fernández-Huerta reading ease (target 70 or more)."""
        return _mean(item.ease for item in self.files)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


def ignored_files(root: Path) -> list[Problem]:
    """Files in the content folder that the site never reads (a typo in a name, say)."""
    problems = []
    used_folders = {
        root / language / name for language in LANGUAGES for name in KNOWN_LANGUAGE_FOLDERS
    }
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue  # editors' hidden files (.DS_Store, swap files) are not content
        if relative.as_posix() == "README.md":
            continue
        in_language_root = path.parent in {root / language for language in LANGUAGES}
        if (in_language_root and path.name in KNOWN_LANGUAGE_FILES) or (
            path.parent in used_folders and path.suffix == ".md"
        ):
            continue
        hint = (
            "Content files must end in .md."
            if path.parent in used_folders
            else "Move it into sections/, faq/, references/ or glossary/, or delete it."
        )
        problems.append(
            Problem(
                _relative(path),
                1,
                "The site ignores this file.",
                hint,
                "rls_iron.W001",
                is_error=False,
            )
        )
    return problems


def _grade_warnings(guide: Guide) -> list[Problem]:
    """W004/W021 for English (Flesch-Kincaid grade), W033 for Spanish (Fernández-Huerta)."""
    if guide.language == "es":
        return [
            Problem(
                item.source_path,
                1,
                f"Reading ease {item.spanish_reading_ease:.0f} (Fernández-Huerta) is below "
                f"{MIN_SPANISH_READING_EASE:.0f}.",
                "Use shorter sentences and everyday words (fewer long words).",
                "rls_iron.W033",
                is_error=False,
            )
            for item in (*guide.sections, *guide.faq, *guide.glossary)
            if item.spanish_reading_ease < MIN_SPANISH_READING_EASE
        ]
    return [
        Problem(
            item.source_path,
            1,
            f"Reading grade {item.reading_grade:.1f} is above {MAX_READING_GRADE:.0f}.",
            "Use shorter sentences and shorter words; the target is grade 6.",
            "rls_iron.W004",
            is_error=False,
        )
        for item in (*guide.sections, *guide.faq)
        if item.reading_grade > MAX_READING_GRADE
    ] + [
        Problem(
            term.source_path,
            term.definition_line,
            f"The definition of '{term.term}' reads at grade {term.reading_grade:.1f}, "
            f"above {MAX_READING_GRADE:.0f}.",
            "Use one or two short sentences and everyday words; the target is grade 6.",
            "rls_iron.W021",
            is_error=False,
        )
        for term in guide.glossary
        if term.reading_grade > MAX_READING_GRADE
    ]


def counterpart_warnings(guides: Mapping[str, Guide]) -> list[Problem]:
    """W030/W031: an English page without its translation, or citing other sources there."""
    original = guides.get(DEFAULT_LANGUAGE)
    if original is None:
        return []
    problems = []
    for language, translated in guides.items():
        if language == DEFAULT_LANGUAGE:
            continue
        pairs = [
            (original.sections, {item.slug: item for item in translated.sections}, "slug"),
            (original.faq, {item.slug: item for item in translated.faq}, "slug"),
            (original.references, {item.key: item for item in translated.references}, "key"),
        ]
        if translated.glossary:  # a missing glossary as a whole is W032, not one per word
            pairs.append(
                (original.glossary, {item.slug: item for item in translated.glossary}, "slug")
            )
        for items, counterparts, name in pairs:
            for item in items:
                key = getattr(item, name)
                counterpart = counterparts.get(key)
                if counterpart is None:
                    problems.append(
                        Problem(
                            item.source_path,
                            1,
                            f"There is no {language} page with the {name} '{key}'.",
                            f"Add its translation to content/{language}/ with {name}: {key}.",
                            "rls_iron.W030",
                            is_error=False,
                        )
                    )
                    continue
                cited = set(getattr(item, "citations", ()))
                cited_there = set(getattr(counterpart, "citations", ()))
                if cited != cited_there:
                    missing = ", ".join(sorted(cited - cited_there)) or "none"
                    extra = ", ".join(sorted(cited_there - cited)) or "none"
                    problems.append(
                        Problem(
                            counterpart.source_path,
                            1,
                            f"The {language} page cites other sources than {item.source_path}"
                            f" (missing: {missing}; extra: {extra}).",
                            "A translation keeps the same facts and the same citations.",
                            "rls_iron.W031",
                            is_error=False,
                        )
                    )
    return problems


def validate_content(root: Path) -> ContentReport:
    """Everything an editor needs to know about the content folder, read fresh from disk."""
    problems: list[Problem] = ignored_files(root)
    guide = None
    guides: dict[str, Guide] = {}
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE and not (root / language).is_dir():
            continue  # a site may be in English only
        try:
            loaded = load_guide(root, language)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        problems.extend(loaded.warnings)
        problems.extend(_grade_warnings(loaded))
        guides[language] = loaded
        guide = guide or loaded
    problems.extend(counterpart_warnings(guides))
    return ContentReport(tuple(problems), _file_statuses(root, guides, problems), guide)


def editor_report(store: ContentStore | None = None) -> ContentReport:
    """The report for the content a worker is serving now, plus any rejected newer edit.

    Unlike ``validate_content`` this reuses the loaded guide, so it costs little.
    """
    store = store or get_store()
    guides = {language: store.guide(language) for language in store.languages}
    problems: list[Problem] = ignored_files(store.root)
    for guide in guides.values():
        problems.extend(guide.warnings)
        problems.extend(_grade_warnings(guide))
    problems.extend(counterpart_warnings(guides))
    if store.rejected is not None:
        problems.extend(store.rejected.problems)
    return ContentReport(
        tuple(problems), _file_statuses(store.root, guides, problems), guides[DEFAULT_LANGUAGE]
    )


def _file_statuses(
    root: Path, guides: Mapping[str, Guide], problems: list[Problem]
) -> tuple[FileStatus, ...]:
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    for problem in problems:
        counts = errors if problem.is_error else warnings
        counts[problem.path] = counts.get(problem.path, 0) + 1
    rows: dict[str, FileStatus] = {}
    for language, guide in guides.items():
        with translation.override(language):  # each page is linked in its own language
            pages = [
                *(
                    (item, item.title, reverse("guide") + "#" + item.slug)
                    for item in guide.sections
                ),
                *(
                    (item, item.question, reverse("faq-answer", args=[item.slug]))
                    for item in guide.faq
                ),
                *(
                    (item, item.term, reverse("glossary") + "#" + item.slug)
                    for item in guide.glossary
                ),
            ]
        for item, title, url in pages:
            rows[item.source_path] = FileStatus(
                path=item.source_path,
                title=title,
                url=url,
                words=item.word_count,
                # Each language has its own measure: a grade in English, the ease in Spanish.
                grade=None if language == "es" else item.reading_grade,
                ease=item.spanish_reading_ease if language == "es" else None,
                minutes=item.minutes_to_read,
                last_reviewed=getattr(item, "last_reviewed", None),
                next_review=getattr(item, "next_review", None),
            )
        for path, review in guide.reviews.items():
            if path not in rows and review == Review():
                continue  # a source or notice with nothing about review to show
            row = rows.get(path) or FileStatus(path=path, title=Path(path).name)
            rows[path] = dataclasses.replace(
                row,
                review=review,
                last_reviewed=review.reviewed_on or row.last_reviewed,
                next_review=review.next_review or row.next_review,
            )
    for path in sorted(set(errors) | set(warnings)):
        rows.setdefault(path, FileStatus(path=path))
    return tuple(
        dataclasses.replace(row, errors=errors.get(path, 0), warnings=warnings.get(path, 0))
        for path, row in sorted(rows.items())
    )


# --------------------------------------------------------------------------- live store


def fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of every file: cheap to compute, changes on edit."""
    entries = []
    for path in sorted(root.rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while we looked
        if path.is_file():
            entries.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class ContentStore:
    """Holds the current good content of one folder and reloads it when files change.

    Each server worker has its own store. A change is picked up on the first request after
    ``check_interval`` seconds. Files written in the last ``settle_seconds`` are treated as
    still being saved, so a slow editor's half-written file is never served; a load that
    races with a write is thrown away and retried. A broken edit leaves the last good
    content in place and is kept in ``rejected`` for editors.
    """

    def __init__(
        self, root: Path, check_interval: float = 1.0, settle_seconds: float = 0.5
    ) -> None:
        self.root = Path(root)
        self.check_interval = check_interval
        self.settle_seconds = settle_seconds
        self._lock = threading.Lock()
        self._guides: dict[str, Guide] = {}
        self._fingerprint: tuple | None = None
        self._checked_at = float("-inf")
        self.rejected: ContentError | None = None
        self.rejected_at: dt.datetime | None = None

    def guide(self, language: str | None = None) -> Guide:
        """The content in ``language`` (default: the active one), or else in English."""
        language = language or translation.get_language() or DEFAULT_LANGUAGE
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at >= self.check_interval or not self._guides:
                self._checked_at = now
                current = fingerprint(self.root)
                if current != self._fingerprint or not self._guides:
                    self._reload(current)
            return self._guides.get(language) or self._guides[DEFAULT_LANGUAGE]

    def refresh(self) -> bool:
        """Look at the files now; True once the files on disk are in use (or rejected)."""
        self._checked_at = float("-inf")
        self.guide()
        return self._fingerprint == fingerprint(self.root)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this content folder has (English always comes first)."""
        self.guide()
        return tuple(self._guides)

    def _settle_wait(self, current: tuple) -> float:
        """Seconds until the newest file is old enough to be trusted as completely saved."""
        newest = max((entry[2] for entry in current), default=0)
        age = (time.time_ns() - newest) / 1e9
        if age < 0:
            return 0.0  # a clock-skewed future mtime never blocks
        return max(0.0, self.settle_seconds - age)

    def _reload(self, current: tuple) -> None:
        wait = self._settle_wait(current)
        if wait and self._guides:
            return  # a file is still being written: look again on a later request
        while wait:
            # Nothing to fall back on yet (a worker's first load): wait for the write to end.
            time.sleep(wait)
            current = fingerprint(self.root)
            wait = self._settle_wait(current)
        try:
            guides = {
                language: load_guide(self.root, language)
                for language in LANGUAGES
                if language == DEFAULT_LANGUAGE or (self.root / language).is_dir()
            }
        except ContentError as error:
            if not self._guides:
                raise
            if fingerprint(self.root) != current:
                return  # files changed while we read them: try again later
            logger.error("Content edit rejected; still serving the last good content:\n%s", error)
            self.rejected = error
            self.rejected_at = dt.datetime.now(dt.UTC)
            self._fingerprint = current
            return
        if self._guides and fingerprint(self.root) != current:
            return  # files changed while we read them: try again later
        if self._guides:
            logger.info("Content reloaded: version %s", guides[DEFAULT_LANGUAGE].version)
        self._guides = guides
        self._fingerprint = current
        self.rejected = None
        self.rejected_at = None


# The store, and the CONTENT_DIR setting object it was made for.
_store: tuple[object, ContentStore] | None = None
_store_lock = threading.Lock()


def get_store() -> ContentStore:
    """The process-wide store for ``settings.CONTENT_DIR`` (recreated if the setting changes)."""
    global _store
    configured = settings.CONTENT_DIR
    current = _store
    if current is not None and current[0] is configured:
        return current[1]  # every request comes here: no lock and no path arithmetic
    root = Path(configured)
    with _store_lock:
        if _store is None or _store[1].root != root:
            _store = (
                configured,
                ContentStore(
                    root, settings.CONTENT_CHECK_INTERVAL, settings.CONTENT_SETTLE_SECONDS
                ),
            )
        else:
            _store = (configured, _store[1])
        return _store[1]


def get_guide(language: str | None = None) -> Guide:
    """The content in ``language``; by default the language of the current request."""
    return get_store().guide(language)


def get_faq_entry_or_404(guide: Guide, slug: str) -> FaqEntry:
    entry = guide.faq_entry(slug)
    if entry is None:
        raise Http404(f"No question with the address {slug!r}.")
    return entry


__all__ = [
    "ContentError",
    "ContentStore",
    "DoctorQuestions",
    "FaqEntry",
    "GlossaryTerm",
    "Guide",
    "Problem",
    "Reference",
    "Section",
    "SiteText",
    "editor_report",
    "get_faq_entry_or_404",
    "get_guide",
    "get_store",
    "load_guide",
    "validate_content",
]
