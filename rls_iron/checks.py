"""Content validation as Django system checks, so `manage.py check` reports content problems.

Each problem keeps its stable id (``rls_iron.E006``), and its "object" is the file and line,
so the output reads ``content/en/faq/x.md:12: (rls_iron.E006) Unknown source ...``.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from rls_iron.content import Problem, validate_content


def as_check_message(problem: Problem) -> checks.CheckMessage:
    level = checks.Error if problem.is_error else checks.Warning
    return level(
        problem.message,
        hint=problem.hint or None,
        obj=f"{problem.path}:{problem.line}",
        id=problem.code,
    )


@checks.register("content")
def check_content(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    report = validate_content(settings.CONTENT_DIR)
    return [as_check_message(problem) for problem in report.problems]
