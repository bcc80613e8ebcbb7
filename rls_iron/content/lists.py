"""The content files that are lists: search synonyms, questions for the doctor, glossary words.

``synonyms.md`` holds groups of words search treats as the same; ``questions.md`` holds an
introduction and groups of questions a reader can tick and print; every glossary term has
spellings that must belong to it alone. These parsers read such lists line by line and
report lines they cannot use, instead of dropping them silently.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString

from rls_iron.content.frontmatter import SourceFile, body_lines
from rls_iron.content.models import DoctorQuestion, DoctorQuestions, QuestionGroup
from rls_iron.content.problems import Collector
from rls_iron.search import Synonyms

QUESTION_LINE = re.compile(r"^[-*+]\s+(?P<text>.+)$")
GROUP_LINE = re.compile(r"^#{2,6}\s+(?P<title>.+?)\s*#*$")


def check_glossary_spellings(glossary: list[tuple[SourceFile, dict]], problems: Collector):
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


def parse_synonyms(source: SourceFile, problems: Collector, language: str) -> Synonyms:
    """Read the groups of words (one list item per group, words split by commas)."""
    groups = []
    for line, text in body_lines(source):
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


def parse_questions(
    source: SourceFile, problems: Collector
) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Split questions.md into its introduction (Markdown) and its groups of questions."""
    intro: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    continues = False  # an indented line right after a question is more of that question
    for line, text in body_lines(source):
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


def doctor_questions(
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
