"""The Spanish site in a real Chromium: the language switch both ways, axe, the FAQ in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_tools import assert_no_axe_violations
from tests.test_spanish import PAGE_PAIRS, SPANISH_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("english", "spanish"), PAGE_PAIRS)
def test_the_language_switch_keeps_the_reader_on_the_same_page(
    live_server, page: Page, english, spanish
):
    page.goto(live_server.url + english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heading = page.locator("h1").inner_text()

    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(live_server.url + spanish)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("complementary", name="Aviso médico")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(heading)


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_axe_finds_no_violations_on_the_spanish_pages(live_server, page: Page, path):
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)


def test_a_spanish_answer_opens_in_place_in_spanish(live_server, page: Page):
    page.goto(live_server.url + "/es/faq/")
    toggle = page.locator("#question-dark-stools")
    toggle.click()
    answer = page.locator("#answer-dark-stools")
    expect(answer).to_be_visible()
    expect(
        answer.get_by_role("link", name="Abrir esta respuesta en su propia página")
    ).to_have_attribute("href", "/es/faq/dark-stools/")
    expect(answer.get_by_text("¿Le ayudó esta respuesta?")).to_be_visible()
