"""In a real Chromium: live FAQ search, glossary terms that open in place, the printable list."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from rls_iron.content import get_guide
from tests.accessibility import assert_no_axe_violations
from tests.helpers import normalised

pytestmark = pytest.mark.browser


def pdf_text(page: Page) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# --------------------------------------------------------------------------- search


def test_typing_a_search_filters_highlights_and_announces_the_count(
    live_server, page: Page, errors
):
    page.goto(live_server.url + "/faq/")
    status = page.get_by_role("status")
    expect(status).to_have_text(f"Showing all {len(get_guide().faq)} questions.")
    # Markers on window and on the live region survive an htmx swap but not a page load.
    page.evaluate("window.__stayed = true")
    page.evaluate("document.getElementById('search-status').dataset.original = 'yes'")

    page.get_by_label("Search the questions and answers").press_sequentially(
        "thyroid tablet", delay=20
    )
    results = page.locator("#faq-results .faq-item")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("id", "iron-and-thyroid-pill")
    expect(status).to_have_text("1 question matches “thyroid tablet”.")
    expect(page.locator("#faq-results .faq-question mark").first).to_have_text("pill")
    expect(page.locator("#faq-results mark", has_text="thyroid").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/faq/\?q=thyroid(\+|%20)tablet$"))
    assert page.evaluate("window.__stayed === true")
    assert page.evaluate("document.getElementById('search-status').dataset.original") == "yes"

    # A result still opens its answer in place.
    page.locator("#question-iron-and-thyroid-pill").click()
    expect(page.locator("#answer-iron-and-thyroid-pill")).to_contain_text("4 hours")
    assert errors == []


def test_searches_are_not_kept_in_the_browser_and_back_brings_them_again(live_server, page: Page):
    page.goto(live_server.url + "/faq/")
    page.get_by_label("Search the questions and answers").fill("levothyroxine")
    expect(page).to_have_url(live_server.url + "/faq/?q=levothyroxine")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Guide").click()
    expect(page.locator("h1")).to_have_text(get_guide().site.title)
    assert "levothyroxine" not in page.evaluate("JSON.stringify(localStorage)")
    assert page.context.cookies() == []

    page.go_back()
    expect(page).to_have_url(live_server.url + "/faq/?q=levothyroxine")
    expect(page.locator("#faq-results .faq-item").first).to_have_attribute(
        "id", "iron-and-thyroid-pill"
    )


def test_a_search_with_no_result_suggests_questions_and_clearing_it_shows_all(
    live_server, page: Page
):
    page.goto(live_server.url + "/faq/")
    box = page.get_by_label("Search the questions and answers")
    box.fill("zebra")
    expect(page.get_by_role("status")).to_have_text("No questions match “zebra”.")
    expect(page.get_by_role("link", name="read the whole guide")).to_have_attribute("href", "/")
    expect(page.locator(".no-results li")).to_have_count(3)

    box.fill("")
    expect(page.locator("#faq-results .faq-item")).to_have_count(len(get_guide().faq))
    expect(page).to_have_url(live_server.url + "/faq/")


def test_a_shared_search_address_opens_with_its_results(live_server, page: Page):
    page.goto(live_server.url + "/faq/?q=coffee")
    expect(page.get_by_label("Search the questions and answers")).to_have_value("coffee")
    expect(page.locator("#faq-results .faq-item").first).to_have_attribute("id", "coffee-tea-milk")


def test_the_search_form_works_without_javascript(live_server, no_js_page: Page):
    page = no_js_page
    page.goto(live_server.url + "/faq/")
    page.get_by_label("Search the questions and answers").fill("poop")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(live_server.url + "/faq/?q=poop")
    results = page.locator("#faq-results .faq-item")
    expect(results.first).to_have_attribute("id", "dark-stools")
    expect(page.locator("#faq-results mark").first).to_have_text("poop")
    count = results.count()
    assert 0 < count < len(get_guide().faq)
    expect(page.locator("#search-status")).to_have_text(f"{count} questions match “poop”.")


# --------------------------------------------------------------------------- glossary


def first_term(page: Page, section: str = "getting-tested"):
    """A section's first glossary button, once the reader has scrolled to the section."""
    page.locator(f"#{section} h2").scroll_into_view_if_needed()
    first = page.locator(f"#{section}").locator(".term-button, a.term").first
    expect(first).to_have_class("term-button")
    panel = first.get_attribute("aria-controls")
    # Held by its panel: more of the section's words become buttons as they come near.
    return page.locator(f'[aria-controls="{panel}"]')


def test_a_term_opens_and_closes_in_place_with_a_click(live_server, page: Page, errors):
    page.goto(live_server.url + "/guide/")  # the whole guide on one page
    term = first_term(page)
    expect(term).to_have_attribute("aria-expanded", "false")
    panel = page.locator("#" + term.get_attribute("aria-controls"))
    expect(panel).to_be_hidden()

    term.click()
    expect(term).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("into a vein")
    link = panel.get_by_role("link", name="More medical words")
    expect(link).to_have_attribute("href", "/glossary/#iron-drip")
    assert page.url == live_server.url + "/guide/"

    term.click()
    expect(panel).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")
    assert errors == []


def test_a_term_opens_and_closes_with_the_keyboard(live_server, page: Page):
    page.goto(live_server.url + "/guide/")  # the whole guide on one page
    term = first_term(page)
    panel = page.locator("#" + term.get_attribute("aria-controls"))
    term.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Space")
    expect(panel).to_be_hidden()
    page.keyboard.press("Space")
    expect(panel).to_be_visible()
    # Escape from the definition's own link closes it and returns to the word.
    page.keyboard.press("Tab")
    expect(panel.get_by_role("link")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(term).to_be_focused()


def test_a_term_opens_by_touch(live_server, browser):
    context = browser.new_context(has_touch=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/guide/")  # the whole guide on one page
    term = first_term(page)
    term.scroll_into_view_if_needed()
    term.tap()
    expect(term).to_have_attribute("aria-expanded", "true")
    context.close()


def test_words_far_down_the_whole_guide_become_buttons_as_the_reader_comes_near(
    live_server, page: Page
):
    page.goto(live_server.url + "/guide/")
    page.wait_for_load_state("load")
    far = page.locator("section.guide-section").last
    # Changing the whole page at once would keep a slow phone busy while it opens.
    expect(far.locator("a.term").first).to_be_attached()
    expect(far.locator(".term-button")).to_have_count(0)
    far.locator("h2").scroll_into_view_if_needed()
    expect(far.locator(".term-button").first).to_be_attached()


def test_a_word_reached_with_the_keyboard_keeps_the_focus_when_it_becomes_a_button(
    live_server, page: Page
):
    page.goto(live_server.url + "/guide/")
    page.wait_for_load_state("load")
    link = page.locator("section.guide-section").last.locator("a.term").first
    word = link.inner_text()
    link.focus()  # scrolls it into view: it becomes a button while it has the focus
    focused = page.locator(".term-button:focus")
    expect(focused).to_have_count(1)
    assert focused.inner_text().startswith(word)


def test_htmx_starting_up_does_not_make_every_word_of_the_page_a_button_at_once(
    live_server, page: Page
):
    page.goto(live_server.url + "/faq/")  # it loads htmx up front
    page.wait_for_function("() => window.htmx !== undefined")
    page.wait_for_timeout(500)  # htmx fires htmx:load for the whole page just after it starts
    # The answers kept for paper are never on screen: their words stay links.
    expect(page.locator(".faq-print a.term").first).to_be_attached()
    expect(page.locator(".faq-print .term-button")).to_have_count(0)


def test_terms_in_an_answer_loaded_in_place_open_too(live_server, page: Page):
    page.goto(live_server.url + "/faq/")
    page.locator("#question-normal-ferritin").click()
    term = page.locator("#answer-normal-ferritin .term-button").first
    term.click()
    expect(page.locator("#" + term.get_attribute("aria-controls"))).to_be_visible()


def test_only_the_first_use_of_a_term_in_a_section_is_a_button(live_server, page: Page):
    page.goto(live_server.url + "/guide/")
    section = page.locator("#when-iron-is-suggested")
    # Words the reader has not yet come near are still links; both count.
    ferritin = section.locator(".term-button, a.term", has_text=re.compile("^Ferritin", re.I))
    expect(ferritin).to_have_count(1)
    assert section.inner_text().lower().count("ferritin") > 5


def test_without_javascript_a_term_is_a_link_to_its_definition(live_server, no_js_page: Page):
    page = no_js_page
    page.goto(live_server.url + "/guide/getting-tested/")
    term = page.locator("main a.term").first
    href = term.get_attribute("href")
    term.click()
    expect(page).to_have_url(live_server.url + href)
    entry = page.locator("#" + href.split("#")[1])
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("into a vein")


def test_axe_finds_no_violations_with_a_definition_open(live_server, page: Page):
    page.goto(live_server.url + "/guide/")  # the whole guide on one page
    first_term(page).click()
    expect(page.locator(".term-panel:not([hidden])")).to_have_count(1)
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    "path", ["/faq/?q=iron%20pill", "/faq/?q=zebra", "/glossary/", "/questions/"]
)
def test_axe_finds_no_violations_on_the_new_pages(live_server, page: Page, path):
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)


# --------------------------------------------------------------------------- questions


def all_questions() -> list[str]:
    questions = get_guide().doctor_questions
    return [question.text for group in questions.groups for question in group.questions]


def test_only_the_ticked_questions_print_on_one_page(live_server, page: Page, errors):
    page.goto(live_server.url + "/questions/")
    questions = all_questions()
    wanted = [questions[0], questions[4], questions[-1]]
    for text in wanted:
        page.get_by_label(text).check()
    expect(page.get_by_role("status")).to_have_text("3 questions ticked.")

    pages, text = pdf_text(page)
    text = normalised(text)
    assert pages == 1
    for question in questions:
        assert (normalised(question) in text) == (question in wanted), question
    assert "Date of visit" in text
    assert "Medical disclaimer" not in text
    # The ticks live only in the page.
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length") == 0
    assert errors == []


def test_with_nothing_ticked_every_question_prints(live_server, page: Page):
    page.goto(live_server.url + "/questions/")
    expect(page.get_by_role("button", name="Print my questions")).to_be_visible()
    _, text = pdf_text(page)
    assert all(normalised(question) in normalised(text) for question in all_questions())


def test_without_javascript_every_question_prints(live_server, no_js_page: Page):
    page = no_js_page
    page.goto(live_server.url + "/questions/")
    expect(page.get_by_role("button", name="Print my questions")).to_be_hidden()
    expect(page.get_by_text("Every question prints")).to_be_visible()
    page.get_by_label(all_questions()[0]).check()  # a tick on screen changes nothing in print
    _, text = pdf_text(page)
    assert all(normalised(question) in normalised(text) for question in all_questions())


# --------------------------------------------------------------------------- the whole guide


def test_a_link_into_the_whole_guide_lands_on_its_topic_and_the_guide_prints_whole(
    live_server, page: Page
):
    """The one-page view is for those who want to search or print it all: nothing is lost."""
    sections = get_guide().sections
    page.goto(f"{live_server.url}/guide/#{sections[-1].slug}")  # a link into the page
    expect(page.locator(f"#{sections[-1].slug}-title")).to_be_in_viewport()

    page.goto(live_server.url + "/guide/")
    _, text = pdf_text(page)
    printed = normalised(text)
    for section in sections:
        assert normalised(section.title) in printed, section.title
    last_words = page.locator(f"#{sections[-1].slug} p:not(.to-top)").last.inner_text()
    assert normalised(last_words)[:60] in printed
