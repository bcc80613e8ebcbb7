"""Reading one content file: its YAML front matter, its Markdown body, and their checks.

``read_source`` splits a file into a ``SourceFile`` and reports a file that is too big, not
UTF-8 or without readable front matter; ``validate_fields`` checks the front matter against
its field schema (``fields.py``) and returns clean values. Both report problems to a
``Collector`` instead of raising, so one bad file never hides the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rls_iron.content.fields import FieldSpec, coerce
from rls_iron.content.models import CITATION_KEY_PATTERN, MAX_FILE_BYTES, SLUG_PATTERN
from rls_iron.content.problems import Collector, project_path


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


def read_source(path: Path, problems: Collector) -> SourceFile | None:
    """Read one file and split off its front matter; report problems instead of raising."""
    relative_path = project_path(path)
    mtime_ns = path.stat().st_mtime_ns
    raw = path.read_bytes()
    text = _decode(raw, relative_path, problems)
    if text is None:
        return None
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    closing = _closing_line(lines, relative_path, problems)
    if closing is None:
        return None
    meta = _front_matter(lines[1:closing], relative_path, problems)
    if meta is None:
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


def _decode(raw: bytes, relative_path: str, problems: Collector) -> str | None:
    """The file's text, or None when it is too big or not UTF-8."""
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
        return raw.decode("utf-8")
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


def _closing_line(lines: list[str], relative_path: str, problems: Collector) -> int | None:
    """The index of the --- line that ends the front matter, or None when there is none."""
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
    return closing


def _front_matter(
    lines: list[str], relative_path: str, problems: Collector
) -> dict[str, Any] | None:
    """The YAML between the two --- lines as a dict, or None when it cannot be read."""
    front_matter = "\n".join(lines)
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
    return meta


def validate_fields(
    source: SourceFile, specs: Mapping[str, FieldSpec], problems: Collector
) -> dict[str, Any] | None:
    """Check the front matter against its specification; return clean values or None."""
    # Every check below reports an error for each thing it rejects, so "no new errors"
    # is exactly "the file is fine".
    before = len(problems.errors)
    _check_names(source, specs, problems)
    clean = _clean_values(source, specs, problems)
    _check_identifiers(source, clean, problems)
    return clean if len(problems.errors) == before else None


def _check_names(source: SourceFile, specs: Mapping[str, FieldSpec], problems: Collector) -> None:
    for name in source.meta:
        if name not in specs:
            line = source.field_lines.get(str(name), 2)
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known fields: {', '.join(specs)}."
            problems.error(source.relative_path, line, f"Unknown field '{name}'.", hint, "E004")


def _clean_values(
    source: SourceFile, specs: Mapping[str, FieldSpec], problems: Collector
) -> dict[str, Any]:
    """The fields that are present and valid, as their clean values."""
    clean: dict[str, Any] = {}
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
            continue
        try:
            value = coerce(source.meta[name], spec)
        except ValueError as error:
            problems.error(source.relative_path, line, f"'{name}' {error}.", code="E005")
            continue
        if spec.required and not spec.allow_empty and value == "":
            problems.error(
                source.relative_path, line, f"'{name}' is empty.", "Give it a value.", "E005"
            )
            continue
        clean[name] = value
    return clean


def _check_identifiers(source: SourceFile, clean: Mapping[str, Any], problems: Collector) -> None:
    """Slugs, reference keys and web addresses, which end up in links."""
    slug = clean.get("slug") or clean.get("key")
    if "slug" in clean and not SLUG_PATTERN.match(slug):
        problems.error(
            source.relative_path,
            source.field_lines.get("slug", 2),
            f"The slug '{slug}' may only use lower-case letters, digits and single dashes.",
            "For example: getting-tested",
            "E005",
        )
    if "key" in clean and not CITATION_KEY_PATTERN.match(clean["key"]):
        problems.error(
            source.relative_path,
            source.field_lines.get("key", 2),
            f"The key '{clean['key']}' may only use letters, digits, dashes and underscores.",
            code="E005",
        )
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


def body_lines(source: SourceFile) -> Iterable[tuple[int, str]]:
    """Body lines with their file line numbers, skipping fenced code blocks."""
    fenced = False
    for offset, text in enumerate(source.body.split("\n")):
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield source.body_line + offset, text
