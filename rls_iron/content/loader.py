"""Loading one language: read every file, check them together, render them into a ``Guide``.

``load_guide`` is the whole pipeline for ``content/<language>/``: read and check each file's
front matter, run the checks across files (``validate.py``), and only when no error was
found render the Markdown once and build the frozen ``Guide``. Problems are gathered, not
raised one by one, so an editor sees all of them in one ``ContentError``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from rls_iron.content.fields import REFERENCE_FIELDS
from rls_iron.content.figures import Figure, check_figure_uses, read_figures
from rls_iron.content.frontmatter import SourceFile
from rls_iron.content.guide import Guide
from rls_iron.content.limits import check_limit_uses
from rls_iron.content.lists import doctor_questions, parse_questions, parse_synonyms
from rls_iron.content.models import (
    DEFAULT_LANGUAGE,
    DoctorQuestions,
    FaqEntry,
    GlossaryTerm,
    Reference,
    Section,
    SiteText,
)
from rls_iron.content.problems import Collector, ContentError, Problem, project_path
from rls_iron.content.rendering import Renderer, citation_keys
from rls_iron.content.reviews import FileReviews, file_reviews, review_warnings
from rls_iron.content.sources import LanguageFiles, Loaded, read_language
from rls_iron.content.traceable import check_sources_traceable
from rls_iron.content.validate import (
    check_pages,
    check_unique_names,
    cited_in_order,
    warn_missing_translations,
)
from rls_iron.search import SearchIndex, Synonyms


def load_guide(root: Path, language: str = DEFAULT_LANGUAGE) -> Guide:
    """Read, validate and render all content of one language. Raises ContentError.

    Addresses are made and checked in the language's own URL space (``/es/…`` for Spanish).
    """
    with translation.override(language):
        return _load_guide(root, language)


def _load_guide(root: Path, language: str) -> Guide:
    problems = Collector()
    folder = root / language
    if not folder.is_dir():
        missing = "The content folder is missing."
        raise ContentError([Problem(project_path(folder), 1, missing, code="rls_iron.E001")])
    files = read_language(folder, problems)
    figures = read_figures(folder, language, problems)
    check_figure_uses(files.readable, figures, problems)
    check_limit_uses(files.readable, problems)
    warn_missing_translations(root, language, problems)
    check_unique_names(files, problems)
    synonyms = (
        parse_synonyms(files.synonyms[0], problems, language) if files.synonyms else Synonyms()
    )
    question_parts = parse_questions(files.questions[0], problems) if files.questions else None
    cited = cited_in_order(files, problems)
    check_pages(files, problems)
    check_sources_traceable(files.references, problems)
    reviews = file_reviews(root, files.reviewed)
    review_warnings(reviews.values(), problems)
    if problems.errors or not (files.site and files.disclaimer and files.emergency):
        raise ContentError(problems.problems)

    references = _reference_objects(files.references, cited)
    topics = [values["slug"] for _, values in files.sections]
    render = Renderer(references, reverse("references"), topics=topics)
    glossary = _glossary_terms(files.glossary, render)
    intro_html, sections, faq = _render_pages(
        files, references, glossary, figures, language, reviews, problems
    )
    sources = _all_sources(files)
    return Guide(
        language=language,
        site=_site_text(files, intro_html, render),
        sections=sections,
        faq=faq,
        references=tuple(references.values()),
        version=_content_version(sources, reviews, figures.values()),
        loaded_at=dt.datetime.now(dt.UTC),
        modified_at=dt.datetime.fromtimestamp(
            max(source.mtime_ns for source in sources) / 1e9, dt.UTC
        ),
        search_index=SearchIndex(
            ((entry, entry.question, entry.plain_text) for entry in faq),
            synonyms,
            language=language,
        ),
        warnings=tuple(problems.warnings),
        glossary=glossary,
        doctor_questions=_doctor_questions(files, question_parts, render),
        figures=figures,
        reviews={path: review for path, (_, review) in reviews.items()},
    )


def _reference_objects(references: list[Loaded], cited_in_order: list[str]) -> dict[str, Reference]:
    """The sources in page order: numbered by first citation; uncited ones follow by key."""
    by_key = {values["key"]: (source, values) for source, values in references}
    ordered_keys = cited_in_order + sorted(key for key in by_key if key not in cited_in_order)
    plain_render = Renderer({}, "")
    return {
        key: Reference(
            **{name: by_key[key][1].get(name, "") for name in REFERENCE_FIELDS},
            number=number,
            note_html=plain_render(by_key[key][0].body),
            source_path=by_key[key][0].relative_path,
            is_cited=key in cited_in_order,
        )
        for number, key in enumerate(ordered_keys, start=1)
    }


def _glossary_terms(glossary: list[Loaded], render: Renderer) -> tuple[GlossaryTerm, ...]:
    return tuple(
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


def _render_pages(
    files: LanguageFiles,
    references: Mapping[str, Reference],
    glossary: tuple[GlossaryTerm, ...],
    figures: Mapping[str, Figure],
    language: str,
    reviews: FileReviews,
    problems: Collector,
) -> tuple[SafeString, tuple[Section, ...], tuple[FaqEntry, ...]]:
    """The site's introduction, the sections and the answers, with glossary terms linked."""
    # The guide and the answers link the first use of each glossary term in each body.
    render = Renderer(
        references,
        reverse("references"),
        glossary,
        reverse("glossary"),
        figures=figures,
        topics=[values["slug"] for _, values in files.sections],
    )
    terms_used: set[str] = set()

    def render_body(source: SourceFile, heading_prefix: str = "") -> SafeString:
        html = render(source.body, heading_prefix=heading_prefix)
        terms_used.update(render.terms_found)
        return html

    def page[T: (Section, FaqEntry)](kind: type[T], source: SourceFile, values: dict) -> T:
        # The review fields become the page's Review; the dataclass keeps only its own.
        names = {item.name for item in dataclasses.fields(kind)}
        return kind(
            **{name: value for name, value in values.items() if name in names},
            # A section's headings get ids for its contents list; an answer's need none.
            body_html=render_body(source, values["slug"] if kind is Section else ""),
            source_path=source.relative_path,
            language=language,
            citations=tuple(dict.fromkeys(citation_keys(source.body))),
            review=reviews[source.relative_path][1],
        )

    intro_html = render_body(files.site[0])
    sections = tuple(page(Section, source, values) for source, values in files.sections)
    faq = tuple(page(FaqEntry, source, values) for source, values in files.faq)
    for (source, _), term in zip(files.glossary, glossary, strict=True):
        if term.slug not in terms_used:
            problems.warning(
                source.relative_path,
                source.field_lines.get("term", 2),
                f"The term '{term.term}' is not used in the guide or in any answer.",
                "Add the word it is used as under 'also', or remove the file.",
                "W020",
            )
    return intro_html, sections, faq


def _site_text(files: LanguageFiles, intro_html: SafeString, render: Renderer) -> SiteText:
    site_values = files.site[1]
    return SiteText(
        site_title=site_values["site_title"],
        title=site_values["title"],
        summary=site_values["summary"],
        intro_html=intro_html,
        disclaimer_title=files.disclaimer[1]["title"],
        disclaimer_html=render(files.disclaimer[0].body),
        emergency_title=files.emergency[1]["title"],
        emergency_html=render(files.emergency[0].body),
        aliases=site_values.get("aliases", ()),
        codes=site_values.get("codes", ()),
    )


def _doctor_questions(
    files: LanguageFiles, question_parts: tuple[str, tuple] | None, render: Renderer
) -> DoctorQuestions | None:
    if not (files.questions and question_parts):
        return None
    intro, groups = question_parts
    return doctor_questions(files.questions[0], files.questions[1]["title"], render(intro), groups)


def _all_sources(files: LanguageFiles) -> list[SourceFile]:
    sources = [files.site[0], files.disclaimer[0], files.emergency[0]]
    sources += [source for source, _ in files.sections + files.faq]
    sources += [source for source, _ in files.references + files.glossary + files.optional]
    return sources


def _content_version(
    sources: Iterable[SourceFile], reviews: FileReviews, figures: Iterable[Figure] = ()
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
    for figure in sorted(figures, key=lambda item: item.name):  # a redrawn picture is an edit
        digest.update(figure.svg)
    return digest.hexdigest()[:16]
