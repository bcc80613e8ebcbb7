"""A first visit on a phone, in a real Chromium against the production server (issues 5, 18):
what `/` transfers in all, and whether each patient page's first screen arrives in TCP's
first flight (tests/pageweight.py says how that is measured)."""

from __future__ import annotations

import gzip

import brotli
import pytest
from playwright.sync_api import Error

from tests.pageweight import (
    FIRST_FLIGHT,
    FIRST_SCREENS,
    HOME_LIMIT,
    decoded_prefix,
    first_screen,
    first_visit,
    first_visit_report,
    report_lines,
    screenshot,
    shortest_prefix,
)
from tests.servers import http_request
from tests.test_accessibility import ALL_PAGES

pytestmark = pytest.mark.browser


def test_a_first_visit_to_the_overview_is_at_most_20_kb_from_its_own_origin(
    production_server, browser
):
    sizes = first_visit(browser, production_server + "/")
    total = sum(size for size, _ in sizes)
    breakdown = "\n".join(f"{size:7} {url}" for size, url in sizes)
    print(f"\nBytes transferred for /: {total}\n{breakdown}")
    assert all(url.startswith(production_server) for _, url in sizes), breakdown
    assert total <= HOME_LIMIT, breakdown


@pytest.mark.parametrize("path", ["/guide/", "/es/questions/"])
def test_a_long_page_fetches_its_style_sheet_once_as_its_headers_name_it(
    production_server, browser, path
):
    """The Link preload and the page's own <link> are one download, not two."""
    addresses = [url for _, url in first_visit(browser, production_server + path)]
    stylesheets = [url for url in addresses if "/static/css/" in url]
    assert len(stylesheets) == 1, addresses
    _, headers, _ = http_request(production_server, path, headers={"Accept-Encoding": "br"})
    assert headers["Content-Encoding"] == "br"  # read from the compressed page
    stylesheet = stylesheets[0].removeprefix(production_server)
    assert headers["Link"] == f"<{stylesheet}>; rel=preload; as=style"


@pytest.mark.parametrize("path", ALL_PAGES)
def test_the_first_screen_arrives_in_the_first_flight(production_server, browser, path):
    screen = first_screen(browser, production_server + path)
    assert screen.in_first_flight, screen.line()


def test_the_measure_finds_how_much_of_the_page_the_first_screen_needs(production_server, browser):
    """Cutting the page shorter than that draws a different screen; so the check can fail."""
    screen = first_screen(browser, production_server + "/guide/", shortest=True)
    print("\n" + screen.line())
    assert 0 < screen.html_needed < screen.html_body / 2
    assert screen.bytes_needed == screen.html_headers + screen.html_needed + screen.css
    assert screen.css > 1000  # the stylesheet counts: it holds up the first paint


def test_a_longer_prefix_of_a_compressed_page_decodes_to_more_of_it():
    page = "".join(f"<p>Line {n}: {n * n} {n**3}</p>\n" for n in range(4000)).encode()
    for encoding, packed in (("br", brotli.compress(page)), ("gzip", gzip.compress(page))):
        half = decoded_prefix(encoding, packed, len(packed) // 2)
        assert page.startswith(half)
        assert 0 < len(half) < len(page)
        assert decoded_prefix(encoding, packed, len(packed)) == page


def test_the_shortest_prefix_search_finds_the_edge():
    assert shortest_prefix(lambda length: length >= 5000, 20000, step=32) in range(5000, 5033)
    with pytest.raises(AssertionError):
        shortest_prefix(lambda length: False, 20000)


class RefusingPage:
    """A page whose first captures Chromium refuses with the given error."""

    def __init__(self, *refusals: str) -> None:
        self.refusals = list(refusals)

    def screenshot(self) -> bytes:
        if self.refusals:
            raise Error(self.refusals.pop(0))
        return b"picture"

    def wait_for_timeout(self, milliseconds: float) -> None:
        pass


def test_a_capture_chromium_refuses_once_is_asked_for_again_and_nothing_else_is():
    assert screenshot(RefusingPage("Unable to capture screenshot")) == b"picture"
    with pytest.raises(Error):  # refused twice: a real fault
        screenshot(RefusingPage(*["Unable to capture screenshot"] * 2))
    with pytest.raises(Error):
        screenshot(RefusingPage("Target page, context or browser has been closed"))


def test_the_first_flight_is_ten_segments():
    assert 10 * 1400 <= FIRST_FLIGHT <= 10 * 1460


def test_make_bench_reports_the_first_screens_of_three_kinds_of_page(production_server, browser):
    figures = first_visit_report(browser, production_server)
    assert list(figures["first_screens"]) == list(FIRST_SCREENS)
    for screen in figures["first_screens"].values():
        assert screen["in_first_flight"]
        assert screen["html_needed"] <= screen["html_body"]
    printed = "\n".join(report_lines(figures))
    assert f"{figures['home_bytes']} bytes" in printed
    assert printed.count("within 14336") == 3
