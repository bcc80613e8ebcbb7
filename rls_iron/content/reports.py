"""What editors see: every content file with its words, reading level, dates and problems.

``validate_content`` reads the folder fresh from disk (``make check-content``, the system
check); ``editor_report`` reuses the content a worker is serving (the /editor/ page). Both
add what loading one language cannot know: files the site ignores, reading levels above the
target, and translations that are missing or cite other sources than the English page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from rls_iron.content.guide import Guide
from rls_iron.content.loader import load_guide
from rls_iron.content.models import DEFAULT_LANGUAGE, LANGUAGES
from rls_iron.content.problems import ContentError, Problem, project_path
from rls_iron.content.store import ContentStore, get_store
from rls_iron.readability import MIN_SPANISH_READING_EASE
from rls_iron.review.records import Review, today

MAX_READING_GRADE = 7.0
KNOWN_LANGUAGE_FILES = ("site.md", "disclaimer.md", "emergency.md", "questions.md", "synonyms.md")
KNOWN_LANGUAGE_FOLDERS = ("sections", "faq", "references", "glossary", "figures")


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
        return self.next_review is not None and self.next_review < today()

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
        if (
            (in_language_root and path.name in KNOWN_LANGUAGE_FILES)
            or (path.parent in used_folders and path.suffix == ".md")
            or (path.parent.name == "figures" and path.suffix == ".svg")
        ):
            continue
        hint = (
            "Content files must end in .md."
            if path.parent in used_folders
            else "Move it into sections/, faq/, references/ or glossary/, or delete it."
        )
        problems.append(
            Problem(
                project_path(path),
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
                *((item, item.title, item.path) for item in guide.sections),
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
