"""`manage.py check_content` (`make check-content`): validate content/ and show each file."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rls_iron.content import ContentReport, validate_content


def _date(value) -> str:
    return value.isoformat() if value else "-"


class Command(BaseCommand):
    help = (
        "Check every content file and print words, reading grade (English) or ease (Spanish) "
        "and review dates per file."
    )
    # This command *is* the content check, so it must run even when the checks fail.
    requires_system_checks: tuple = ()

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print only errors (for `make serve`)."
        )

    def handle(self, *args, **options) -> None:
        report = validate_content(settings.CONTENT_DIR)
        if options["quiet"]:
            self.print_problems(report, report.errors)
        else:
            self.print_table(report)
            self.print_problems(report, report.problems)
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} error(s) in content/: the site keeps serving the last "
                "good version until they are fixed."
            )

    def print_table(self, report: ContentReport) -> None:
        header = ("file", "words", "grade", "ease", "min", "reviewed", "next review", "status")
        rows = [
            (
                item.path.removeprefix("content/"),
                str(item.words) if item.words is not None else "-",
                f"{item.grade:.1f}" if item.grade is not None else "-",
                f"{item.ease:.0f}" if item.ease is not None else "-",
                str(item.minutes) if item.minutes is not None else "-",
                _date(item.last_reviewed),
                _date(item.next_review),
                item.status.upper() if item.status != "ok" else "ok",
            )
            for item in report.files
        ]
        widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        if report.mean_grade is not None:
            self.stdout.write(
                f"\nAverage reading grade (English): {report.mean_grade:.1f} (target 6.0)"
            )
        if report.mean_ease is not None:
            self.stdout.write(
                f"Average reading ease (Spanish, Fernández-Huerta): {report.mean_ease:.0f} "
                "(target 70 or more)"
            )

    def print_problems(self, report: ContentReport, problems) -> None:
        if not problems:
            if not report.problems:
                self.stdout.write(self.style.SUCCESS("No problems found."))
            return
        for problem in problems:
            style = self.style.ERROR if problem.is_error else self.style.WARNING
            kind = "ERROR" if problem.is_error else "warning"
            self.stdout.write(style(f"{problem.path}:{problem.line}: {kind} {problem.code}"))
            self.stdout.write(f"    {problem.message}")
            if problem.hint:
                self.stdout.write(f"    Hint: {problem.hint}")
        self.stdout.write(f"\n{len(report.errors)} error(s), {len(report.warnings)} warning(s).")
