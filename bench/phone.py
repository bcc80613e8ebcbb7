"""What a phone gets on a first visit, for `make bench` (issue 18): the bytes a first visit to
`/` transfers, and whether the first screen of `/`, a topic page and an answer page arrives in
TCP's first flight. Measured with tests/pageweight.py, the code the page weight tests use."""

from __future__ import annotations


def first_visit_figures(base: str) -> dict:
    """Measured in a fresh Chromium; {"error": ...} when there is no Chromium to measure with."""
    from playwright.sync_api import Error, sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.pageweight import first_visit_report

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:  # no Chromium here: the other figures still count
            return {"error": str(error).splitlines()[0]}
        try:
            return first_visit_report(browser, base)
        finally:
            browser.close()


def print_first_visit(figures: dict) -> None:
    from tests.pageweight import report_lines

    if "error" in figures:
        print(f"First visit not measured: {figures['error']}")
        return
    print("\n".join(report_lines(figures)))
