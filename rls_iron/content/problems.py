"""What is wrong with a content file, said so an editor can fix it.

A ``Problem`` names the file, the line, what is wrong and a hint, with a Django system-check
style code (``rls_iron.E004``; ``W`` codes are warnings). Loading gathers them in a
``Collector`` so an editor sees every problem at once, and raises ``ContentError`` when any
of them is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


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


class Collector:
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


def project_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()
    except ValueError:
        return path.as_posix()
