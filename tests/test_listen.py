""" "Listen" in a real browser: topics and answers read aloud with the browser's own speech.

Headless Chromium has no voices, so these tests use the fake engine of tests/speech.py and
check what the page asks it to say, what it marks as being read, and the buttons' states.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.speech import speech_context

pytestmark = pytest.mark.browser

ANSWER = "/faq/how-long-does-iron-take/"
FIRST_TOPIC = "section[data-read-aloud] >> nth=0"

HIGHLIGHTED = """() => {
  const marked = CSS.highlights.get("listen");
  return marked ? [...marked].map((range) => range.toString()).join("") : null;
}"""


@pytest.fixture
def speech_page(browser):
    context = speech_context(browser)
    yield context.new_page()
    context.close()


def spoken(page: Page) -> list[str]:
    return page.evaluate("window.__speech.spoken.map((item) => item.text)")


def first_topic(page: Page):
    """The guide's first topic, scrolled to: Listen buttons are made as a topic comes near."""
    topic = page.locator(FIRST_TOPIC)
    topic.scroll_into_view_if_needed()
    return topic


def read_to_the_end(page: Page) -> list[str]:
    for _ in range(500):
        if not page.evaluate("window.__speech.finish()"):
            break
    return spoken(page)


def test_listen_reads_a_topic_in_the_page_language_and_marks_the_sentence(live_server, speech_page):
    speech_page.goto(live_server.url + "/guide/")
    topic = first_topic(speech_page)
    topic.get_by_role("button", name="Listen").click()

    first = speech_page.evaluate("window.__speech.spoken[0]")
    assert first["lang"] == "en-US"
    assert first["voice"] == "Fake en-US"
    title = topic.locator("h2").inner_text()
    assert first["text"] == title
    assert speech_page.evaluate(HIGHLIGHTED) == title
    speech_page.evaluate("window.__speech.finish()")
    second = spoken(speech_page)[1]
    assert speech_page.evaluate(HIGHLIGHTED).strip() == second
    expect(topic.locator(".listen-reading")).to_have_count(1)
    assert second in topic.locator(".listen-reading").inner_text()


def test_the_sentence_being_read_is_marked_on_screen_and_unmarked_after_stop(
    live_server, speech_page
):
    """The marked sentence looks different, words inside a link or a term too."""
    speech_page.goto(live_server.url + "/guide/")
    topic = first_topic(speech_page)
    topic.get_by_role("button", name="Listen").click()
    speech_page.evaluate("window.__speech.finish()")  # past the title, into the first paragraph
    block = topic.locator(".listen-reading")
    expect(block).to_have_count(1)
    block.scroll_into_view_if_needed()
    # The first sentence of the topic's first paragraph has words in bold, inside <strong>.
    handles = [block.element_handle(), block.locator("strong").first.element_handle()]
    marked = [handle.screenshot() for handle in handles]
    topic.get_by_role("button", name="Stop").click()
    expect(topic.locator(".listen-reading")).to_have_count(0)
    for handle, before in zip(handles, marked, strict=True):
        assert handle.screenshot() != before, "the sentence being read did not look marked"


def test_listen_leaves_out_citations_buttons_and_links_back(live_server, speech_page):
    speech_page.goto(live_server.url + "/guide/")
    first_topic(speech_page).get_by_role("button", name="Listen").click()
    texts = read_to_the_end(speech_page)

    assert len(texts) > 5
    said = " ".join(texts)
    assert "is thought to be a main cause of RLS." in said
    for left_out in (
        "[", "Source", "Copy link", "Back to top", "on its own page", "Listen", "(what it means)",
    ):  # fmt: skip
        assert left_out not in said
    # Finished: back to the start, nothing marked.
    topic = speech_page.locator(FIRST_TOPIC)
    expect(topic.get_by_role("button", name="Listen")).to_be_visible()
    expect(topic.locator(".listen-stop")).to_be_hidden()
    assert speech_page.evaluate(HIGHLIGHTED) is None
    expect(speech_page.locator(".listen-reading")).to_have_count(0)


def test_listen_pauses_resumes_and_stops(live_server, speech_page):
    speech_page.goto(live_server.url + ANSWER)
    answer = speech_page.locator(".answer-body")
    play = answer.locator(".listen-play")
    play.click()
    expect(play).to_have_accessible_name("Pause \u2013 How long does iron take to help my RLS?")
    play.click()
    assert speech_page.evaluate("window.__speech.paused") is True
    expect(play).to_contain_text("Resume")
    play.click()
    assert speech_page.evaluate("window.__speech.paused") is False
    expect(play).to_contain_text("Pause")
    assert spoken(speech_page) == ["It often takes weeks to months, so give it time."]

    answer.get_by_role("button", name="Stop").click()
    assert speech_page.evaluate("window.__speech.current") is None
    expect(play).to_contain_text("Listen")
    expect(answer.locator(".listen-stop")).to_be_hidden()
    expect(play).to_be_focused()  # the Stop button went away: focus is not lost
    assert speech_page.evaluate(HIGHLIGHTED) is None
    # Stopped means stopped: an end event arriving late does not read on.
    speech_page.evaluate("window.__speech.finish()")
    assert len(spoken(speech_page)) == 1


def test_listen_works_from_the_keyboard(live_server, speech_page):
    speech_page.goto(live_server.url + ANSWER)
    play = speech_page.locator(".answer-body .listen-play")
    play.focus()
    speech_page.keyboard.press("Enter")
    expect(play).to_contain_text("Pause")
    assert play.evaluate("(button) => getComputedStyle(button).outlineStyle") == "solid"
    speech_page.keyboard.press("Space")
    expect(play).to_contain_text("Resume")
    speech_page.keyboard.press("Tab")
    expect(speech_page.locator(".answer-body .listen-stop")).to_be_focused()
    speech_page.keyboard.press("Enter")
    expect(play).to_contain_text("Listen")
    expect(play).to_be_focused()
    # Escape stops too, from the controls.
    speech_page.keyboard.press("Enter")
    expect(play).to_contain_text("Pause")
    speech_page.keyboard.press("Escape")
    expect(play).to_contain_text("Listen")


def test_listen_speaks_spanish_on_spanish_pages(live_server, speech_page):
    speech_page.goto(live_server.url + "/es" + "/faq/")
    speech_page.locator("[data-faq-toggle]").first.click()
    button = speech_page.locator(".faq-answer .listen-play").first
    expect(button).to_contain_text("Escuchar")
    button.click()
    expect(button).to_contain_text("Pausa")
    expect(speech_page.locator(".faq-answer .listen-stop").first).to_contain_text("Parar")
    first = speech_page.evaluate("window.__speech.spoken[0]")
    assert first["lang"] == "es-ES"
    assert "Abrir" not in " ".join(read_to_the_end(speech_page))  # the answer's own link


def test_listen_is_hidden_until_the_browser_has_a_voice_for_the_language(live_server, browser):
    context = speech_context(browser, voices=("en-US",))
    page = context.new_page()
    try:
        page.goto(live_server.url + "/es/guide/getting-tested/")
        expect(page.locator(".listen")).not_to_have_count(0)
        expect(page.locator(".listen:visible")).to_have_count(0)
        page.evaluate("window.__speech.addVoice('es-US')")  # voices often arrive late
        expect(page.locator(".listen:visible").first).to_be_visible()
    finally:
        context.close()


def test_listen_never_uses_a_voice_that_sends_text_away(live_server, browser):
    context = speech_context(browser, on_device=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/guide/")
        expect(first_topic(page).locator(".listen")).to_have_count(1)
        expect(page.locator(".listen:visible")).to_have_count(0)
    finally:
        context.close()


def test_listen_is_absent_without_javascript(live_server, no_js_page):
    for path in ("/guide/", ANSWER, "/es/guide/"):
        no_js_page.goto(live_server.url + path)
        expect(no_js_page.locator(".listen")).to_have_count(0)
        expect(no_js_page.get_by_role("button", name="Listen")).to_have_count(0)
