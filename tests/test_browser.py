"""What a patient sees and does, in a real Chromium: the FAQ, navigation, no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rls_iron.content import get_guide

pytestmark = pytest.mark.browser

FIRST_SLUG = "how-long-does-iron-take"


def question(page: Page, slug: str):
    return page.locator(f"#question-{slug}")


def test_faq_answer_opens_and_closes_in_place_with_the_mouse(live_server, page: Page, errors):
    page.goto(live_server.url + "/faq/")
    toggle = question(page, FIRST_SLUG)
    expect(toggle).to_have_attribute("role", "button")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    answer = page.locator(f"#answer-{FIRST_SLUG}")
    expect(answer).to_be_hidden()

    toggle.click()
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("weeks")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert page.url == live_server.url + "/faq/"

    toggle.click()
    expect(answer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert errors == []


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_faq_answer_opens_and_closes_with_the_keyboard(live_server, page: Page, key):
    page.goto(live_server.url + "/faq/")
    slug = get_guide().faq[1].slug
    toggle = question(page, slug)
    answer = page.locator(f"#answer-{slug}")
    toggle.focus()

    page.keyboard.press(key)
    expect(answer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_be_focused()
    assert page.url == live_server.url + "/faq/"

    page.keyboard.press(key)
    expect(answer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()


def test_every_question_can_be_reached_with_tab(live_server, page: Page):
    page.goto(live_server.url + "/faq/")
    wanted = {f"question-{entry.slug}" for entry in get_guide().faq}
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
    assert wanted <= reached


def test_answer_page_opens_with_the_answer_shown(live_server, page: Page, errors):
    entry = get_guide().faq[2]
    page.goto(f"{live_server.url}/faq/{entry.slug}/")
    expect(page.locator("h1")).to_have_text(entry.question)
    expect(page.locator("article.faq-single")).to_be_visible()
    expect(page).to_have_title(f"{entry.question} | {get_guide().site.site_title}")
    assert errors == []


def test_the_main_navigation_opens_whole_pages_and_the_faq_brings_its_own_htmx(
    live_server, page: Page, errors
):
    # The menu holds plain links (no hx-boost): each page loads whole, with what it needs.
    page.goto(live_server.url + "/")
    assert page.evaluate("window.htmx === undefined")  # the guide does not need it up front
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questions").click()
    expect(page).to_have_url(live_server.url + "/faq/")
    expect(page.locator("h1")).to_have_text("Questions about iron for RLS")

    # The FAQ loads htmx itself, so its answers open in place after a menu click too.
    question(page, FIRST_SLUG).click()
    expect(page.locator(f"#answer-{FIRST_SLUG}")).to_be_visible()
    assert page.url == live_server.url + "/faq/"

    page.go_back()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("h1")).to_have_text(get_guide().site.title)
    page.go_forward()
    expect(page).to_have_url(live_server.url + "/faq/")
    assert errors == []


def test_without_javascript_every_page_and_answer_can_be_read(live_server, no_js_page: Page):
    page = no_js_page
    guide = get_guide()
    page.goto(live_server.url + "/")
    for section in guide.sections:
        expect(page.locator(f"#{section.slug} h3")).to_have_text(section.title)
    expect(page.get_by_role("complementary", name="Medical disclaimer")).to_be_visible()
    page.goto(live_server.url + "/guide/")  # the whole guide on one page
    for section in guide.sections:
        expect(page.locator(f"#{section.slug} h2")).to_have_text(section.title)

    page.goto(live_server.url + "/faq/")
    for entry in guide.faq:
        link = question(page, entry.slug)
        expect(link).to_have_attribute("href", f"/faq/{entry.slug}/")
        expect(link).not_to_have_attribute("role", "button")
    question(page, guide.faq[0].slug).click()
    expect(page).to_have_url(f"{live_server.url}/faq/{guide.faq[0].slug}/")
    expect(page.locator("h1")).to_have_text(guide.faq[0].question)

    for entry in guide.faq[1:]:
        page.goto(f"{live_server.url}/faq/{entry.slug}/")
        expect(page.locator("h1")).to_have_text(entry.question)
        assert len(page.locator("article.faq-single").inner_text()) > 100

    page.goto(live_server.url + "/references/")
    expect(page.locator("ol.references > li")).to_have_count(len(guide.references))


def test_every_topic_is_reached_from_the_overview_and_by_following_next(
    live_server, page: Page, errors
):
    sections = get_guide().sections
    page.goto(live_server.url + "/")
    page.locator(f"#{sections[0].slug}").get_by_role("link", name=sections[0].title).click()
    for number, section in enumerate(sections):
        expect(page).to_have_url(live_server.url + section.path)
        expect(page.locator("h1")).to_have_text(section.title)
        expect(page.get_by_role("complementary", name="Medical disclaimer")).to_be_visible()
        expect(page.locator("aside.emergency")).to_be_visible()
        steps = page.get_by_role("navigation", name="Other topics")
        if number + 1 < len(sections):
            steps.locator("a[rel=next]").click()
        else:
            expect(steps.locator("a[rel=next]")).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(live_server.url + sections[-2].path)
    assert errors == []


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_an_old_one_page_address_lands_on_its_topics_card(live_server, no_js_page: Page, prefix):
    page = no_js_page
    page.set_viewport_size({"width": 390, "height": 844})  # a phone, where it scrolls most
    language = "es" if prefix else "en"
    for section in reversed(get_guide(language).sections):
        page.goto("about:blank")  # an old link is followed from elsewhere: a fresh load
        page.goto(f"{live_server.url}{prefix}/#{section.slug}")
        card = page.locator(f"#{section.slug}")
        expect(card).to_be_in_viewport()
        expect(card.get_by_role("link", name=section.title)).to_have_attribute("href", section.path)


def test_citation_links_lead_to_their_reference(live_server, page: Page):
    page.goto(live_server.url + "/guide/getting-tested/")
    link = page.locator("a.cite, .cite a").first
    target = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(live_server.url + target)
    expect(page.locator(target.split("/")[-1])).to_be_visible()


@pytest.mark.parametrize(("prefix", "word"), [("", "Source"), ("/es", "Fuente")])
def test_citations_are_raised_small_and_heard_as_a_source_and_its_label(
    live_server, page: Page, prefix, word
):
    page.goto(f"{live_server.url}{prefix}/guide/")
    single = page.locator("a.cite").first
    several = page.locator("span.cite a").first
    for link in (single, several):
        number = link.inner_text().strip("[]")
        expect(link).to_have_accessible_name(f"{word} {number}")
        expect(link).to_have_accessible_description(link.get_attribute("title"))
    expect(single).to_have_text(re.compile(r"^\[\d+\]$"))
    expect(page.locator("span.cite").first).to_have_text(re.compile(r"^\[\d+(, \d+)+\]$"))
    # Like a <sup>: above the line and smaller than the sentence around it.
    style = single.evaluate(
        "a => [getComputedStyle(a).verticalAlign, parseFloat(getComputedStyle(a).fontSize),"
        " parseFloat(getComputedStyle(a.parentElement).fontSize)]"
    )
    assert style[0] == "super"
    assert style[1] < style[2]


@pytest.mark.parametrize("path", ["/", "/es/", "/es/handout/"])
def test_at_320_px_phone_numbers_stay_whole_and_yes_and_no_share_a_row(live_server, browser, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + path)
    # One line box per number: a number broken as "1-800-222-" / "1222" would have two.
    lines = page.eval_on_selector_all(
        ".tel, a[href^='tel:']", "els => els.map(e => [e.textContent, e.getClientRects().length])"
    )
    assert any("1-800-222-1222" in text for text, _ in lines)
    assert [(text, count) for text, count in lines if count != 1] == []
    buttons = page.locator(".feedback button")
    if path != "/es/handout/":  # the handout is for paper: no feedback form
        expect(buttons).to_have_count(2)
        tops = [box["y"] for box in (buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box())]
        assert tops[0] == tops[1]
    context.close()
