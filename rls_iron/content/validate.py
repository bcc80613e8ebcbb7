"""Checks across the files of one language: names, citations, raw HTML, links, old addresses.

These run after every file of a language has been read, because each needs the others:
a slug must be unique, a citation needs its reference, a link needs the page and anchor it
points to, an old address (``aliases:``) must not hide a page that exists or lead to two
pages. The loader calls the four public checks; the rest are their parts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from rls_iron.addresses import section_url
from rls_iron.content.frontmatter import SourceFile, body_lines
from rls_iron.content.lists import check_glossary_spellings
from rls_iron.content.models import (
    CITATION_PATTERN,
    DEFAULT_LANGUAGE,
    OPTIONAL_IN_TRANSLATION,
    glossary_letter,
    letter_anchor,
)
from rls_iron.content.problems import Collector, project_path
from rls_iron.content.rendering import citation_keys, split_keys
from rls_iron.content.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS
from rls_iron.content.sources import LanguageFiles


def warn_missing_translations(root: Path, language: str, problems: Collector) -> None:
    if language == DEFAULT_LANGUAGE:
        return
    folder = root / language
    for name in OPTIONAL_IN_TRANSLATION:
        if not (folder / name).exists() and (root / DEFAULT_LANGUAGE / name).exists():
            problems.warning(
                project_path(folder / name),
                1,
                f"There is no {name} in this language yet; its page shows without it.",
                f"Translate {DEFAULT_LANGUAGE}/{name} to add it.",
                "W032",
            )


def check_unique_names(files: LanguageFiles, problems: Collector) -> None:
    for items, names in (
        (files.sections, ("slug", "order")),
        (files.faq, ("slug", "order")),
        (files.references, ("key",)),
        (files.glossary, ("slug",)),
    ):
        for name in names:
            _check_unique(items, name, problems)
    check_glossary_spellings(files.glossary, problems)


def cited_in_order(files: LanguageFiles, problems: Collector) -> list[str]:
    """Check every citation; return the keys cited, in order of first citation."""
    known_keys = {values["key"] for _, values in files.references}
    cited: list[str] = []
    for source, _ in files.readable:
        _check_citations(source, known_keys, problems)
        for key in citation_keys(source.body):
            if key in known_keys and key not in cited:
                cited.append(key)
    for source, values in files.references:
        if values["key"] not in cited:
            problems.warning(
                source.relative_path,
                source.field_lines.get("key", 2),
                f"The source '{values['key']}' is never cited.",
                f"Cite it with [@{values['key']}] or remove the file.",
                "W002",
            )
    return cited


def check_pages(files: LanguageFiles, problems: Collector) -> None:
    """Raw HTML, internal links and old addresses (review dates: ``reviews.py``)."""
    notices = [item for item in (files.site, files.disclaimer, files.emergency) if item]
    for source, _ in (
        notices + files.sections + files.faq + files.references + files.glossary + files.optional
    ):
        _check_body(source, problems)
    targets = _link_targets(files.sections, files.faq, files.references, files.glossary)
    for source, _ in files.readable + files.optional:
        _check_links(source, targets, problems)
    _check_aliases(files.readable, targets, problems)


def _check_citations(source: SourceFile, known: set[str], problems: Collector) -> None:
    for offset, line_text in enumerate(source.body.split("\n")):
        for match in CITATION_PATTERN.finditer(line_text):
            for key in split_keys(match.group(1)):
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


def _check_unique(items: list[tuple[SourceFile, dict]], name: str, problems: Collector) -> None:
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


def _check_body(source: SourceFile, problems: Collector) -> None:
    if not source.body.strip():
        problems.error(
            source.relative_path,
            source.body_line,
            "The file has no text after its front matter.",
            "Write the text below the second --- line.",
            "E012",
        )
    for line, text in body_lines(source):
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
        reverse("results"): {"main"},
    }
    for slug in faq_slugs:
        targets[reverse("faq-answer", args=[slug])] = {"main"}
    for _, values in sections:
        targets[section_url(values["slug"])] = {"main"}
    return targets


def _check_links(source: SourceFile, targets: Mapping[str, set[str]], problems: Collector) -> None:
    from django.urls import Resolver404, resolve

    for line, text in body_lines(source):
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
    problems: Collector,
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
