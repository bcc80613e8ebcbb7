"""The files of one language, read and front-matter-checked, ready for the checks across them.

``read_language`` reads ``content/<language>/``: the site text and notices, every section,
answer, reference and glossary file, and the optional questions and synonyms lists. A file
whose front matter fails its check is left out here (its problems are already reported),
so the later checks and the renderer only ever see clean values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rls_iron.content.fields import (
    FAQ_FIELDS,
    GLOSSARY_FIELDS,
    NOTICE_FIELDS,
    QUESTIONS_FIELDS,
    REFERENCE_FIELDS,
    REVIEW_FIELDS,
    SECTION_FIELDS,
    SITE_FIELDS,
    SYNONYMS_FIELDS,
    FieldSpec,
)
from rls_iron.content.frontmatter import SourceFile, read_source, validate_fields
from rls_iron.content.problems import Collector, project_path

# A file that passed its front matter check: the file and its clean front matter values.
Loaded = tuple[SourceFile, dict[str, Any]]


@dataclass(frozen=True)
class LanguageFiles:
    """The files of one language that were read and passed their front matter check."""

    site: Loaded | None
    disclaimer: Loaded | None
    emergency: Loaded | None
    sections: list[Loaded]
    faq: list[Loaded]
    references: list[Loaded]
    glossary: list[Loaded]
    questions: Loaded | None
    synonyms: Loaded | None

    @property
    def readable(self) -> list[Loaded]:
        """The pages patients read, which may cite sources, link and have old addresses."""
        return [item for item in (self.site,) if item] + self.sections + self.faq + self.glossary

    @property
    def reviewed(self) -> list[Loaded]:
        """The patient files a clinician reviews (everything but the search words)."""
        notices = (self.site, self.disclaimer, self.emergency, self.questions)
        pages = self.sections + self.faq + self.glossary + self.references
        return [item for item in notices if item] + pages

    @property
    def optional(self) -> list[Loaded]:
        return [item for item in (self.questions, self.synonyms) if item]


def read_language(folder: Path, problems: Collector) -> LanguageFiles:
    return LanguageFiles(
        site=_load_one(folder, "site.md", SITE_FIELDS, problems),
        disclaimer=_load_one(folder, "disclaimer.md", NOTICE_FIELDS, problems),
        emergency=_load_one(folder, "emergency.md", NOTICE_FIELDS, problems),
        sections=sorted(
            load_markdown_folder(folder / "sections", SECTION_FIELDS, problems),
            key=lambda item: item[1]["order"],
        ),
        faq=sorted(
            load_markdown_folder(folder / "faq", FAQ_FIELDS, problems),
            key=lambda item: item[1]["order"],
        ),
        references=load_markdown_folder(folder / "references", REFERENCE_FIELDS, problems),
        glossary=sorted(
            load_markdown_folder(folder / "glossary", GLOSSARY_FIELDS, problems),
            key=lambda item: item[1]["term"].casefold(),
        ),
        questions=_load_one(folder, "questions.md", QUESTIONS_FIELDS, problems, optional=True),
        synonyms=_load_one(
            folder, "synonyms.md", SYNONYMS_FIELDS, problems, optional=True, reviewed=False
        ),
    )


def _load_file(
    path: Path, specs: Mapping[str, FieldSpec], problems: Collector, *, reviewed: bool = True
) -> Loaded | None:
    """A patient file (all but the search words) may also carry its review fields."""
    source = read_source(path, problems)
    specs = {**REVIEW_FIELDS, **specs} if reviewed else specs
    values = validate_fields(source, specs, problems) if source else None
    return (source, values) if source and values is not None else None


def load_markdown_folder(
    folder: Path, specs: Mapping[str, FieldSpec], problems: Collector
) -> list[Loaded]:
    loaded = []
    for path in _markdown_files(folder):
        item = _load_file(path, specs, problems)
        if item is not None:
            loaded.append(item)
    return loaded


def _load_one(
    folder: Path,
    name: str,
    specs: Mapping[str, FieldSpec],
    problems: Collector,
    *,
    optional: bool = False,
    reviewed: bool = True,
) -> Loaded | None:
    path = folder / name
    if not path.is_file():
        if not optional:
            problems.error(project_path(path), 1, f"The file {name} is missing.", code="E008")
        return None
    return _load_file(path, specs, problems, reviewed=reviewed)


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and path.suffix == ".md")
