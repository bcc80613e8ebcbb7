"""One way to run axe-core: WCAG 2.0, 2.1 and 2.2 A/AA rules (axe's defaults skip 2.2).

axe runs inside the page, so it needs JavaScript; `open_as_without_javascript` shows a page
as a reader without JavaScript gets it while axe still can run.
"""

from __future__ import annotations

import re

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # Every violation is still reported in full; the passes and "incomplete" results, which
    # the tests never read, are cut to one example each (axe's advice for large pages).
    "resultTypes": ["violations"],
}
AXE = Axe()  # only its copy of axe-core's script is used
# Our own templates write every <script> element (content is sanitised and cannot hold one),
# so a pattern is enough to find them all.
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.DOTALL | re.IGNORECASE)


def axe_report(page: Page) -> str:
    """axe's report on the page as it now stands: empty when it finds no violation.

    axe is added to a page once (its half a megabyte of script takes about half a second to
    load), so a page can be checked again after a change of size or colour scheme.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    results = AxeResults(page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS))
    return results.generate_report() if results.violations_count else ""


def assert_no_axe_violations(page: Page) -> None:
    report = axe_report(page)
    assert report == "", report


def open_as_without_javascript(page: Page, url: str) -> None:
    """Open url in a page that has JavaScript, showing what a reader without JavaScript sees.

    A context with JavaScript turned off cannot run axe: axe waits on timers that never fire
    there. So the page runs JavaScript, but the server's HTML reaches it with every <script>
    element taken out: the same markup and the same style sheet (from the server as usual), and
    none of the site's scripts. The one difference would be <noscript>, shown only with
    JavaScript really off; the site has none, and this refuses a page that does.
    """

    def without_scripts(route: Route) -> None:
        response = route.fetch()
        html = response.text()
        assert "<noscript" not in html.lower(), f"{url} has <noscript>: test it with JS off"
        # The body changes, so the server's length and encoding no longer describe it.
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "content-encoding")
        }
        route.fulfill(status=response.status, headers=headers, body=SCRIPT.sub("", html))

    page.route(lambda address: address == url, without_scripts)  # the page only, not its CSS
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert page.locator("script").count() == 0  # so none of the site's scripts ran
