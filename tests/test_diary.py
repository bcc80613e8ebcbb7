"""The one-week symptom diary (/diary/, /es/diary/): a page to print, in both languages.

A real server answers both addresses; Chromium prints each on one sheet of Letter and of A4,
and on a phone shows every day as a list with its prompts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import sitemap_locations, start_tags
from tests.pageweight import PHONE
from tests.test_clinic_browser import printed
from tests.test_server import fetch

DIARIES = {
    "/diary/": {
        "title": "One-week symptom diary",
        "prompts": [
            "When did your symptoms start?",
            "How did they feel, and where?",
            "How did you sleep?",
            "Iron taken: what and when",
            "Notes",
        ],
        "day": "Day {}",
        "print": "Print the diary",
    },
    "/es/diary/": {
        "title": "Diario de síntomas de una semana",
        "prompts": [
            "¿Cuándo empezaron sus síntomas?",
            "¿Cómo los sintió, y dónde?",
            "¿Cómo durmió?",
            "Hierro que tomó: cuál y a qué hora",
            "Notas",
        ],
        "day": "Día {}",
        "print": "Imprimir el diario",
    },
}


@pytest.mark.parametrize("path", DIARIES)
def test_the_server_answers_the_diary_with_seven_days_and_the_prompts(production_server, path):
    status, headers, body = fetch(production_server + path)
    words = DIARIES[path]
    assert status == 200
    assert headers["Content-Language"] == ("es" if path.startswith("/es/") else "en")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert f"<h1>{words['title']}</h1>" in body
    for prompt in words["prompts"]:
        assert f'<th scope="col">{prompt}</th>' in body
    rows = re.findall(r'<th scope="row">(.*?)<span', body)
    assert rows == [words["day"].format(day) for day in range(1, 8)]
    # Paper only: nothing to fill in on screen, so nothing is ever sent or kept.
    assert not {"input", "form"} & {tag for tag, _ in start_tags(body)}


def test_the_diary_is_listed_in_the_sitemap_in_both_languages(client):
    locations = sitemap_locations(client.get("/sitemap.xml").content)
    assert {"http://testserver/diary/", "http://testserver/es/diary/"} <= locations


@pytest.mark.parametrize(
    ("path", "diary"),
    [
        ("/guide/", "/diary/"),
        ("/handout/", "/diary/"),
        ("/es/guide/", "/es/diary/"),
        ("/es/handout/", "/es/diary/"),
    ],
)
def test_the_guide_and_the_handout_link_to_the_diary(client, path, diary):
    assert f'href="{diary}"' in client.get(path).content.decode()


@pytest.mark.browser
@pytest.mark.parametrize("path", DIARIES)
def test_the_diary_prints_on_one_sheet_of_letter_and_of_a4(live_server, page: Page, path):
    words = DIARIES[path]
    page.goto(live_server.url + path)
    expect(page.get_by_role("button", name=words["print"])).to_be_visible()
    for paper, (count, text) in printed(page).items():
        assert count == 1, f"{path} on {paper}: {count} sheets"
        assert words["title"] in text
        assert words["day"].format(7) in text
        # A heading wraps onto lines that the PDF's text interleaves with its neighbours'.
        printed_words = set(re.findall(r"\w+", text))
        for prompt in words["prompts"]:
            missing = set(re.findall(r"\w+", prompt)) - printed_words
            assert not missing, f"{path} on {paper}: {prompt!r} is not printed"
        assert words["print"] not in text  # the button means nothing on paper


@pytest.mark.browser
@pytest.mark.parametrize("path", DIARIES)
def test_on_a_phone_each_day_shows_its_prompts_in_place_of_the_column_headings(
    live_server, browser, path
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        words = DIARIES[path]
        first_day = page.locator("table.diary tbody tr").first
        prompt = first_day.locator("td").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert prompt == f'"{words["prompts"][0]}"'
        expect(page.locator("table.diary thead")).to_have_css("position", "absolute")
    finally:
        context.close()
