"""The ladder's limits in content: ``[limit: ferritin-low]`` stands for the number itself.

The limits live once, in ``rls_iron.results``; the guide's ladder, the figures and their
text alternatives name them with ``[limit: name]`` instead of typing the numbers again, so a
change of a limit changes every place a patient reads it. An unknown name is an error with
its file and line, like an unknown citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rls_iron.content.problems import Collector
from rls_iron.content.sources import Loaded
from rls_iron.results import LIMITS

LIMIT_PATTERN = re.compile(r"\[limit:\s*([^\]\n]*?)\s*\]")


def fill_limits(text: str) -> str:
    """``text`` with each known ``[limit: name]`` replaced by its number."""
    return LIMIT_PATTERN.sub(lambda match: str(LIMITS.get(match.group(1), match.group(0))), text)


def check_limit_uses(pages: Iterable[Loaded], problems: Collector) -> None:
    for source, _values in pages:
        check_limits_in(source.body, source.relative_path, source.body_line, problems)


def check_limits_in(text: str, path: str, first_line: int, problems: Collector) -> None:
    """An error for each ``[limit: name]`` in ``text`` whose name is not a known limit."""
    for match in LIMIT_PATTERN.finditer(text):
        if match.group(1) not in LIMITS:
            problems.error(
                path,
                first_line + text.count("\n", 0, match.start()),
                f"Unknown limit '{match.group(1)}'.",
                f"Known limits: {', '.join(sorted(LIMITS))}.",
                "E054",
            )
