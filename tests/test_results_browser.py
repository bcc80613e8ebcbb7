"""The results page as a patient meets it: typing updates the answer in place, the plain form
works without JavaScript, axe finds nothing, it prints on one sheet, and a real gunicorn
server keeps the reader's numbers out of its logs."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.accessibility import assert_no_axe_violations, open_as_without_javascript
from tests.servers import gunicorn, http_request
from tests.test_clinic_browser import printed

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_typing_updates_the_step_in_place_and_the_address(live_server, page: Page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/results/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Ferritin", exact=True).fill("48")
    step = page.locator("#results-step-title")
    expect(step).to_have_text("Your step: Ferritin 75 or lower, TSAT under 45%")
    page.get_by_label("TSAT (transferrin saturation), if you have it").fill("50")
    expect(step).to_have_text("Your step: Any ferritin, TSAT 45% or more")
    expect(page.locator('.results-ladder li[aria-current="step"]')).to_have_attribute(
        "data-step", "tsat-high"
    )
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not a new page
    expect(page).to_have_url(live_server.url + "/results/?ferritin=48&tsat=50")
    page.get_by_label("Ferritin", exact=True).fill("48 ug/dL")
    expect(page.locator("#results-ferritin-problem")).to_contain_text("ng/mL")
    expect(step).to_have_count(0)


@pytest.mark.browser
def test_the_form_works_without_javascript(live_server, page: Page):
    open_as_without_javascript(page, live_server.url + "/results/")
    page.route("**/results/?*", lambda route: route.continue_())
    page.get_by_label("Ferritin", exact=True).fill("90")
    with page.expect_navigation():
        page.get_by_role("button", name="Show my step").click()
    expect(page.locator("#results-step-title")).to_have_text(
        "Your step: Ferritin over 75 and up to 100, TSAT 20% to under 45%"
    )
    assert page.url.endswith("/results/?ferritin=90&tsat=")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "/results/",
        "/results/?ferritin=48&tsat=15",
        "/results/?ferritin=abc",
        "/es/results/?ferritin=150&tsat=50",
    ],
)
def test_the_results_page_has_no_axe_violations(browser: Browser, live_server, path, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["", "/es"])
def test_the_results_print_on_one_sheet_with_the_step_questions_and_code(
    live_server, page: Page, language
):
    page.goto(live_server.url + language + "/results/?ferritin=90&tsat=25")
    page.emulate_media(media="print")
    expect(page.locator(".results-qr img")).to_be_visible()
    expect(page.locator(".results-form")).to_be_hidden()
    for paper, (sheets, text) in printed(page).items():
        assert sheets == 1, paper
        assert ("Ferritin over 75 and up to 100" if not language else "hasta 100") in text


def test_the_readers_numbers_never_reach_the_server_logs(tmp_path, static_root):
    log = tmp_path / "server.log"
    with gunicorn(static_root, workers=1, log_path=log) as base:
        status, _, body = http_request(base, "/results/?ferritin=48713&tsat=17389")
        assert status == 200
        assert b"48713" in body
        status, _, _ = http_request(
            base, "/results/?ferritin=48713&tsat=17389", headers={"HX-Request": "true"}
        )
        assert status == 200
        time.sleep(0.5)  # let gunicorn write its access log
    text = log.read_text()
    assert '"GET /results/ HTTP/1.1" 200' in text
    assert "48713" not in text
    assert "17389" not in text
