"""What a phone gets on a first visit, for `make bench` (issue 18): the bytes a first visit to
`/` transfers, and whether the first screen of `/`, a topic page and an answer page arrives in
TCP's first flight. Measured with tests/pageweight.py, the code the page weight tests use."""

from __future__ import annotations

TOPIC = "/guide/getting-tested/"
ANSWER_PAGE = "/faq/how-long-does-iron-take/"
HOME_LIMIT = 20 * 1024  # bytes, headers included (issue 18)
FIRST_SCREENS = ("/", TOPIC, ANSWER_PAGE)  # the overview, a topic page, an answer page


def first_visit_figures(base: str) -> dict:
    """Measured in a fresh Chromium; {"error": ...} when there is no Chromium to measure with."""
    from playwright.sync_api import Error, sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:  # no Chromium here: the other figures still count
            return {"error": str(error).splitlines()[0]}
        try:
            return figures_with(browser, base)
        finally:
            browser.close()


def figures_with(browser, base: str) -> dict:
    from tests.pageweight import first_screen, first_visit

    sizes = first_visit(browser, base + "/")
    screens = [first_screen(browser, base + path, shortest=True) for path in FIRST_SCREENS]
    return {
        "home_bytes": sum(size for size, _ in sizes),
        "home_requests": len(sizes),
        "first_screens": {
            screen.url.removeprefix(base): {
                "bytes_needed": screen.bytes_needed,
                "html_headers": screen.html_headers,
                "html_needed": screen.html_needed,
                "html_body": screen.html_body,
                "stylesheet": screen.css,
                "encoding": screen.encoding,
                "in_first_flight": screen.in_first_flight,
            }
            for screen in screens
        },
        "lines": [screen.line() for screen in screens],
    }


def print_first_visit(figures: dict) -> None:
    if "error" in figures:
        print(f"First visit not measured: {figures['error']}")
        return
    print(
        f"A first visit to / transfers {figures['home_bytes']} bytes in "
        f"{figures['home_requests']} requests, headers included (limit {HOME_LIMIT})."
    )
    print("First screen on a phone (390 x 844) against TCP's first flight:")
    for line in figures["lines"]:
        print("  " + line)
