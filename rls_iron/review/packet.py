"""The review packet: every patient file of one language, laid out for a clinician to check.

Files come in the order a patient meets them: the guide's introduction, its sections, the
answers, the medical words, the questions for the doctor, the disclaimer and emergency
box, then the sources' own notes. Each file shows every line with its line number (so a
comment can say "line 14"), its clinical numbers marked with the sources of their
sentence, the full entry of each source it cites, its reading grade (Spanish: reading
ease), its fingerprint and its review status now. The Spanish packet names each file's
English original. ``synonyms.md`` (search words) is not patient text and is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import pgettext_lazy

from rls_iron.content import (
    DEFAULT_LANGUAGE,
    ContentError,
    Guide,
    Reference,
    citation_keys,
    load_guide,
)
from rls_iron.content.problems import project_path
from rls_iron.readability import plain_text_from_html, reading_grade, spanish_reading_ease
from rls_iron.review.frontmatter import body_of
from rls_iron.review.numbers import ClinicalNumber, clinical_numbers
from rls_iron.review.records import Review, body_fingerprint

# What each kind of file is called in the packet, in the packet's language.
KIND_LABELS = {
    "intro": pgettext_lazy("review packet", "Guide introduction"),
    "section": pgettext_lazy("review packet", "Section"),
    "answer": pgettext_lazy("review packet", "Answer"),
    "term": pgettext_lazy("review packet", "Medical word"),
    "questions": pgettext_lazy("review packet", "Questions"),
    "disclaimer": pgettext_lazy("review packet", "Disclaimer"),
    "emergency": pgettext_lazy("review packet", "Emergency box"),
    "note": pgettext_lazy("review packet", "Source note"),
}


@dataclass(frozen=True)
class PacketNumber:
    line: int
    text: str
    sources: tuple[Reference, ...]  # cited in its sentence
    nearby: tuple[Reference, ...]  # its sentence cites nothing: its paragraph's sources


@dataclass(frozen=True)
class PacketSource:
    """A source's full entry, as a reviewer checks it: authors, title, journal, identifiers."""

    number: int
    key: str
    entry: str

    @classmethod
    def of(cls, source: Reference) -> PacketSource:
        published = source.year
        if source.volume:
            published += f";{source.volume}" + (f"({source.issue})" if source.issue else "")
        if source.pages:
            published += f":{source.pages}"
        parts = [
            source.authors,
            source.title,
            source.journal,
            published,
            source.doi and f"doi:{source.doi}",
            source.pmid and f"PMID {source.pmid}",
            source.pmcid,
            source.url,
        ]
        entry = " ".join(part.strip().rstrip(".") + "." for part in parts if part.strip())
        return cls(source.number, source.key, entry)


@dataclass(frozen=True)
class PacketLine:
    number: int
    parts: tuple[tuple[str, bool], ...]  # (text, is a clinical number)
    is_setting: bool  # a front matter line
    numbers: tuple[PacketNumber, ...]


@dataclass(frozen=True)
class PacketFile:
    index: int
    path: str  # as editors name it: content/en/faq/dark-stools.md
    kind: Promise  # as the packet names it, in the language it is rendered in
    title: str
    lines: tuple[PacketLine, ...]
    sources: tuple[PacketSource, ...]  # every source the file cites, in order
    fingerprint: str
    review: Review
    grade: float | None = None  # English: Flesch-Kincaid grade
    ease: float | None = None  # Spanish: Fernández-Huerta reading ease
    counterpart: str = ""  # the Spanish packet: the English original

    @property
    def numbers(self) -> tuple[PacketNumber, ...]:
        return tuple(number for line in self.lines for number in line.numbers)


@dataclass(frozen=True)
class Packet:
    language: str
    site_title: str
    version: str
    generated_on: dt.date
    files: tuple[PacketFile, ...]

    @property
    def number_count(self) -> int:
        return sum(len(item.numbers) for item in self.files)


@dataclass(frozen=True)
class _Entry:
    path: Path
    kind: str
    title: str
    html: SafeString  # what patients read, for the reading grade
    counterpart_key: str = ""  # a slug or key shared with the English page


def _entries(guide: Guide, folder: Path) -> list[_Entry]:
    base = Path(settings.BASE_DIR)
    site = guide.site
    entries = [_Entry(folder / "site.md", "intro", site.title, site.intro_html)]
    entries += [
        _Entry(base / s.source_path, "section", s.title, s.body_html, s.slug)
        for s in guide.sections
    ]
    entries += [
        _Entry(base / e.source_path, "answer", e.question, e.body_html, e.slug) for e in guide.faq
    ]
    entries += [
        _Entry(base / t.source_path, "term", t.term, t.body_html, t.slug) for t in guide.glossary
    ]
    if guide.doctor_questions:
        questions = guide.doctor_questions
        entries.append(
            _Entry(base / questions.source_path, "questions", questions.title, questions.intro_html)
        )
    entries += [
        _Entry(folder / "disclaimer.md", "disclaimer", site.disclaimer_title, site.disclaimer_html),
        _Entry(folder / "emergency.md", "emergency", site.emergency_title, site.emergency_html),
    ]
    entries += [
        _Entry(base / r.source_path, "note", r.title, r.note_html, r.key) for r in guide.references
    ]
    return entries


def patient_files(guide: Guide, root: Path) -> tuple[Path, ...]:
    """The files of one language a clinician reviews, in packet order."""
    return tuple(entry.path for entry in _entries(guide, Path(root) / guide.language))


def _line_parts(text: str, marks: Iterable[ClinicalNumber]) -> tuple[tuple[str, bool], ...]:
    parts, position = [], 0
    for mark in sorted(marks, key=lambda item: item.start):
        if mark.start > position:
            parts.append((text[position : mark.start], False))
        parts.append((text[mark.start : mark.end], True))
        position = mark.end
    if position < len(text):
        parts.append((text[position:], False))
    return tuple(parts)


def _lines(raw: str, references: dict[str, Reference]) -> tuple[str, tuple[PacketLine, ...]]:
    """The file's body (as the loader reads it) and every line of the file, marked up."""
    lines = raw.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    body = body_of(raw)
    body_line = len(lines) - body.count("\n")
    found = clinical_numbers(body, body_line)
    if lines and lines[-1] == "":
        lines = lines[:-1]  # the file's final newline is not a line of its own

    def refs(keys: Iterable[str]) -> tuple[Reference, ...]:
        return tuple(references[key] for key in keys if key in references)

    packet_lines = []
    for number, text in enumerate(lines, start=1):
        marks = [item for item in found if item.line == number]
        packet_lines.append(
            PacketLine(
                number=number,
                parts=_line_parts(text, marks),
                is_setting=number < body_line,
                numbers=tuple(
                    PacketNumber(number, m.text, refs(m.citations), refs(m.nearby)) for m in marks
                ),
            )
        )
    return body, tuple(packet_lines)


def build_packet(root: Path, language: str, *, today: dt.date | None = None) -> Packet:
    """The packet of one language. Raises ContentError when the content does not load."""
    root = Path(root)
    guide = load_guide(root, language)
    original = load_guide(root, DEFAULT_LANGUAGE) if language != DEFAULT_LANGUAGE else None
    counterparts = _counterparts(original, root) if original else {}
    references = {reference.key: reference for reference in guide.references}
    files = []
    for index, entry in enumerate(_entries(guide, root / language), start=1):
        body, lines = _lines(entry.path.read_text(encoding="utf-8"), references)
        cited = dict.fromkeys(citation_keys(body))
        text = plain_text_from_html(entry.html)
        path = project_path(entry.path)
        counterpart_key = (entry.kind, entry.counterpart_key or entry.path.name)
        files.append(
            PacketFile(
                index=index,
                path=path,
                kind=KIND_LABELS[entry.kind],  # lazy: named in the language it renders in
                title=entry.title,
                lines=lines,
                sources=tuple(PacketSource.of(references[k]) for k in cited if k in references),
                fingerprint=body_fingerprint(body),
                review=guide.review_of(path),
                grade=reading_grade(text) if language == DEFAULT_LANGUAGE else None,
                ease=spanish_reading_ease(text) if language != DEFAULT_LANGUAGE else None,
                counterpart=counterparts.get(counterpart_key, ""),
            )
        )
    return Packet(
        language=language,
        site_title=guide.site.site_title,
        version=guide.version,
        generated_on=today or dt.date.today(),
        files=tuple(files),
    )


def _counterparts(original: Guide, root: Path) -> dict[tuple[str, str], str]:
    """(kind, slug or key or file name) → the English file, for the Spanish packet."""
    return {
        (entry.kind, entry.counterpart_key or entry.path.name): project_path(entry.path)
        for entry in _entries(original, root / DEFAULT_LANGUAGE)
    }


def broken_content_message(error: ContentError, language: str) -> str:
    """Why nothing is made from content with errors: a review must see what patients see."""
    problems = "\n".join(f"  {problem}" for problem in error.errors)
    return f"The {language} content has errors; fix them first (make check-content):\n{problems}"


def render_packet(packet: Packet, *, stylesheet: str) -> str:
    """The packet as one HTML document, in its own language, linking ``stylesheet``."""
    with translation.override(packet.language):
        return render_to_string("review/packet.html", {"packet": packet, "stylesheet": stylesheet})
