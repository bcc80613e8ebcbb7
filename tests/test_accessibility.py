"""Quality in a real browser: WCAG 2.2 AA (axe), keyboard, reflow, no JavaScript.

Every patient page is checked the way patients meet it: on a phone and a desktop, in light and
dark colour schemes, with JavaScript on and off.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from rls_iron.content import get_guide
from tests.accessibility import assert_no_axe_violations, axe_report, open_as_without_javascript
from tests.pageweight import PHONE
from tests.speech import speech_context

pytestmark = pytest.mark.browser

ANSWER = "/faq/how-long-does-iron-take/"
# The overview, a topic's page and the whole guide on one page, then the rest.
CORE_PAGES = ["/", "/guide/getting-tested/", "/guide/", "/faq/", ANSWER, "/references/"]
OTHER_PAGES = [
    "/glossary/",
    "/questions/",
    "/diary/",
    "/clinicians/",
    "/handout/",
    "/faq/?q=thyroid",
    "/results/?ferritin=48&tsat=15",
]
# The same pages in Spanish: longer words and other text, so their own layout and contrast.
SPANISH_PAGES = ["/es" + path for path in CORE_PAGES + OTHER_PAGES if "?" not in path] + [
    "/es/faq/?q=tiroides",
    "/es/results/?ferritin=150&tsat=50",
]
ALL_PAGES = CORE_PAGES + OTHER_PAGES + SPANISH_PAGES
DESKTOP = {"width": 1280, "height": 800}


def open_page(browser: Browser, url: str, *, viewport=PHONE, scheme="light", javascript=True):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    if javascript:
        page.goto(url)
    else:
        open_as_without_javascript(page, url)
    return context, page


def open_first_answer(page: Page) -> None:
    """On /faq/ with JavaScript, open one answer in place, as a reader would."""
    toggle = page.locator("[data-faq-toggle]").first
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


# Every page in light and dark, each with JavaScript on and off, in four ways chosen so that
# every two settings also meet on every page (phone and desktop each in light and dark, each
# with and without JavaScript): a fault that needs two of them together is still found, at
# half the cost of all eight. A page is opened once with JavaScript and once without, in the
# first of its two ways; then the window and the colour scheme change, as a reader's can.
WAYS = {True: [(PHONE, "light"), (DESKTOP, "dark")], False: [(PHONE, "dark"), (DESKTOP, "light")]}
MATRIX = [(path, javascript) for path in ALL_PAGES for javascript in (True, False)]


def way_name(viewport: dict, scheme: str) -> str:
    return f"{viewport['width']}-{scheme}"


@pytest.mark.parametrize(
    ("path", "javascript"),
    MATRIX,
    ids=[
        f"{p}-{'-'.join(way_name(*way) for way in WAYS[j])}-{'js' if j else 'nojs'}"
        for p, j in MATRIX
    ],
)
def test_axe_finds_no_wcag_22_aa_violations(live_server, browser, path, javascript):
    (viewport, scheme), *other_ways = WAYS[javascript]
    context, page = open_page(
        browser, live_server.url + path, viewport=viewport, scheme=scheme, javascript=javascript
    )
    try:
        if path in ("/faq/", "/es/faq/") and javascript:
            open_first_answer(page)
        reports = {way_name(viewport, scheme): axe_report(page)}
        for viewport, scheme in other_ways:
            page.set_viewport_size(viewport)
            page.emulate_media(color_scheme=scheme)
            reports[way_name(viewport, scheme)] = axe_report(page)
    finally:
        context.close()
    failures = [f"{way}: {report}" for way, report in reports.items() if report]
    assert failures == [], "\n".join(failures)


LISTEN_MATRIX = [
    (path, scheme)
    # Listen belongs to a topic and an answer (the overview is a list of topics, not one).
    for path in ("/guide/getting-tested/", ANSWER, "/es/guide/getting-tested/", "/es/faq/")
    for scheme in ("light", "dark")
]


@pytest.mark.parametrize(
    ("path", "scheme"), LISTEN_MATRIX, ids=[f"{p}-{s}" for p, s in LISTEN_MATRIX]
)
def test_axe_finds_no_violations_with_the_listen_controls_reading(
    live_server, browser, path, scheme
):
    """With a voice (a fake engine: headless Chromium has none), the Listen buttons show."""
    context = speech_context(browser, viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        if path == "/es/faq/":
            open_first_answer(page)
        listen = page.locator(".listen-play:visible").first
        listen.click()  # reading: Pause and Stop shown, a sentence marked
        expect(page.locator(".listen-stop:visible")).to_have_count(1)
        assert_no_axe_violations(page)
    finally:
        context.close()


# --------------------------------------------------------------------------- keyboard


def test_the_first_tab_lands_on_a_working_skip_link(live_server, page: Page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0  # shown on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    id: element.outerHTML.slice(0, 80),
    visible: outline || style.boxShadow !== 'none',
  };
}"""


@pytest.mark.parametrize(
    "path", ["/", "/faq/", ANSWER, "/references/", "/glossary/", "/questions/", "/es/", "/es/faq/"]
)
def test_every_focusable_element_shows_a_visible_focus_indicator(live_server, page: Page, path):
    page.goto(live_server.url + path)
    if path in ("/faq/", "/es/faq/"):
        open_first_answer(page)
        page.locator("body").click(position={"x": 1, "y": 1})
    seen, invisible = [], []
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focus = page.evaluate(FOCUS_STYLE)
        if focus["id"] in seen:
            break  # back at the start
        seen.append(focus["id"])
        if not focus["visible"]:
            invisible.append(focus["id"])
    assert len(seen) > 5
    assert invisible == []


# --------------------------------------------------------------------------- reflow and zoom

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("path", ALL_PAGES)
def test_no_page_scrolls_sideways_at_320_pixels_or_with_text_at_200_percent(
    live_server, browser, path
):
    """WCAG's reflow (a 320 px window) and resize text (200 %), on one opening of the page."""
    context, page = open_page(
        browser, live_server.url + path, viewport={"width": 320, "height": 640}
    )
    try:
        if path in ("/faq/", "/es/faq/"):
            open_first_answer(page)
        at_320_pixels = page.evaluate(NO_SIDEWAYS_SCROLL)
        page.set_viewport_size({"width": 640, "height": 800})
        # Like a reader's larger default text size: everything is sized in rem.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        with_large_text = page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()
    assert (at_320_pixels, with_large_text) == (True, True)


SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.site-header nav a, button, input, select, textarea, [role=button], .skip-link')]
  .filter((element) => element.offsetParent !== null)
  .map((element) => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.width < 24 || box.height < 24)
  .map(([element]) => element.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("path", ALL_PAGES)
def test_tap_targets_are_at_least_24_pixels(live_server, browser, path):
    context, page = open_page(browser, live_server.url + path)
    try:
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()


# --------------------------------------------------------------------------- without JavaScript


def test_without_javascript_every_page_can_be_read_and_every_link_works(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    to_visit, seen, broken = ["/"], set(), []
    try:
        while to_visit:
            path = to_visit.pop()
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(live_server.url + path)
            if response is None or response.status != 200:
                broken.append(f"{path}: {response and response.status}")
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            expect(page.locator("h1")).to_have_count(1)
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                target = urlsplit(urljoin(page.url, href))
                ours = target.netloc == urlsplit(live_server.url).netloc
                if ours and not target.path.startswith(("/admin/", "/editor/", "/static/")):
                    to_visit.append(target.path + (f"?{target.query}" if target.query else ""))
    finally:
        context.close()
    assert broken == []
    assert {f"/faq/{entry.slug}/" for entry in get_guide("en").faq} <= seen
    assert {f"/es/faq/{entry.slug}/" for entry in get_guide("es").faq} <= seen
    assert {"/diary/", "/es/diary/"} <= seen  # linked from the guide, not from the menu
    for language in ("en", "es"):
        assert {section.path for section in get_guide(language).sections} <= seen


# --------------------------------------------------------------------------- weight and hygiene


@pytest.mark.parametrize("path", [*ALL_PAGES, "/no-such-page/"])
def test_no_console_errors_and_no_csp_violations(production_server, browser, path):
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.__violations.push(event.violatedDirective));"
    )
    page.goto(production_server + path, wait_until="networkidle")
    if path in ("/faq/", "/es/faq/"):
        open_first_answer(page)
    violations = page.evaluate("window.__violations")
    context.close()
    if path == "/no-such-page/":
        problems = [text for text in problems if "404" not in text]  # the page itself is a 404
    assert problems == []
    assert violations == []
