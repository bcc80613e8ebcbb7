"""Offline reading: the manifest, the service worker, and pages opened again with no network.

The browser tests use a real Chromium against the live server (http://localhost counts as a
secure context, so the worker runs) and cut the network with ``context.set_offline``.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

ANSWER = "/faq/how-long-does-iron-take/"

KEPT = """async (path) => {
  const copy = await caches.match(new URL(path, location.origin).href, {ignoreVary: true});
  return copy ? await copy.text() : "";
}"""
KEPT_ADDRESSES = """async () => {
  const cache = await caches.open("rls-pages");
  return (await cache.keys()).map((request) => request.url);
}"""


def worker_settings(client) -> dict:
    first_line = client.get("/sw.js").content.decode().splitlines()[0]
    return json.loads(first_line.removeprefix("self.OFFLINE = ").removesuffix(";"))


def status_of(client, path: str) -> int:
    response = client.get(path)
    response.close()  # a static file is a FileResponse: close its file
    return response.status_code


def test_the_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.post("/sw.js").status_code == 405


def test_the_worker_keeps_the_overview_questions_and_static_files_from_the_start(client):
    config = worker_settings(client)
    assert config["pages"] == ["/", "/faq/", "/es/", "/es/faq/"]
    scripts = ("js/site.js", "js/faq.js", "js/glossary.js", "js/listen.js", "js/questions.js")
    for name in ("css/site.css", *scripts, "django_htmx/htmx-2.min.js"):
        assert f"/static/{name}" in config["static"]
    for path in config["static"]:
        assert status_of(client, path) == 200, path


def test_a_content_edit_gives_the_worker_a_new_version(client, content_folder):
    before = client.get("/sw.js")["ETag"]
    content_folder.faq("question-two", 2, "Is this the second question?", "Changed.\n")
    after = client.get("/sw.js")
    assert after["ETag"] != before
    assert worker_settings(client)["version"] in after["ETag"]


@pytest.mark.parametrize(
    ("prefix", "language", "name"), [("", "en", "Iron"), ("/es", "es", "Hierro")]
)
def test_each_language_has_a_web_app_manifest(client, prefix, language, name):
    response = client.get(prefix + "/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["lang"] == language
    assert manifest["start_url"] == prefix + "/"
    assert manifest["name"].startswith(name)
    assert manifest["short_name"]
    assert len(manifest["short_name"]) <= 20
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    for icon in manifest["icons"]:
        assert status_of(client, icon["src"]) == 200
    page = client.get(prefix + "/faq/")
    assertContains(page, f'<link rel="manifest" href="{prefix}/manifest.webmanifest">', html=True)


def test_the_strict_content_security_policy_allows_the_worker_and_manifest(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "script-src 'self';" in policy  # still no inline script


# --------------------------------------------------------------------------- in a browser


@pytest.fixture
def context(browser) -> BrowserContext:
    context = browser.new_context()
    yield context
    context.close()


def wait_until_kept(page: Page, url: str, text: str = "</html>", timeout: float = 20) -> None:
    """Poll until the worker's copy of url holds text (wait_for_function does not await)."""
    deadline = time.monotonic() + timeout
    while text not in page.evaluate(KEPT, url):
        assert time.monotonic() < deadline, f"no copy of {url} with {text!r} was kept"
        time.sleep(0.2)


def open_and_keep(page: Page, url: str) -> None:
    """Open a page online and wait until the worker has kept a copy of it."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_kept(page, url)


@pytest.mark.browser
def test_a_page_opened_once_opens_again_with_no_network(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + ANSWER)
    expect(page.locator(".offline-note")).to_have_count(0)

    context.set_offline(True)
    page.goto(live_server.url + ANSWER)
    expect(page.locator("h1")).to_have_text("How long does iron take to help my RLS?")
    note = page.locator(".offline-note")
    today = dt.date.today()
    expect(note).to_have_text(
        f"You are offline. This page was saved on {today:%B} {today.day}, {today.year}."
    )
    # The overview and the questions were kept from the start, the emergency numbers with them.
    for path in ("/", "/faq/"):
        page.goto(live_server.url + path)
        expect(page.locator(".offline-note")).to_be_visible()
        expect(page.locator("aside.emergency")).to_contain_text("911")


@pytest.mark.browser
def test_the_offline_line_is_in_the_page_language(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + "/es/faq/")
    context.set_offline(True)
    page.goto(live_server.url + "/es/")
    expect(page.locator(".offline-note")).to_contain_text(
        "No tiene conexión. Esta página se guardó el"
    )


@pytest.mark.browser
def test_online_the_page_comes_from_the_network_and_replaces_the_copy(
    live_server, context, content_folder
):
    page = context.new_page()
    for path in ("/faq/question-two/", "/faq/question-one/"):
        open_and_keep(page, live_server.url + path)
    content_folder.faq("question-two", 2, "Is this the second question?", "A new answer.\n")
    content_folder.faq("question-one", 1, "Is this the first question?", "Also new.\n")

    # Online, the page is never the copy: this one is fresh and its copy is replaced.
    page.goto(live_server.url + "/faq/question-one/")
    expect(page.locator(".answer-body")).to_contain_text("Also new.")
    expect(page.locator(".offline-note")).to_have_count(0)
    # The new content version brings a new worker, which fetches the other kept pages again.
    wait_until_kept(page, "/faq/question-two/", "A new answer.")
    context.set_offline(True)
    page.goto(live_server.url + "/faq/question-two/")
    expect(page.locator(".answer-body")).to_contain_text("A new answer.")
    expect(page.locator(".offline-note")).to_be_visible()


@pytest.mark.browser
def test_searches_feedback_and_the_editor_are_never_kept(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + "/faq/")
    page.goto(live_server.url + "/faq/?q=thyroid")
    page.goto(live_server.url + "/editor/")
    page.goto(live_server.url + ANSWER)
    page.get_by_role("button", name="Yes").click()
    expect(page.locator(".feedback")).to_contain_text("Thank you")
    page.goto(live_server.url + ANSWER + "?feedback=yes")
    kept = page.evaluate(KEPT_ADDRESSES)
    assert kept, "nothing kept at all"
    for address in kept:
        assert "?" not in address
        assert "/editor/" not in address
        assert "/feedback" not in address
        assert "/admin/" not in address


@pytest.mark.browser
def test_an_answer_kept_opens_in_place_on_the_questions_page_offline(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + ANSWER)
    context.set_offline(True)
    page.goto(live_server.url + "/faq/")
    toggle = page.locator("#question-how-long-does-iron-take")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#answer-how-long-does-iron-take")).to_contain_text("weeks to months")
    expect(page).to_have_url(live_server.url + "/faq/")


@pytest.mark.browser
def test_search_says_it_needs_a_connection_when_offline(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + "/faq/")
    context.set_offline(True)
    page.goto(live_server.url + "/faq/")
    page.get_by_label("Search the questions and answers").fill("coffee")
    expect(page.get_by_role("alert")).to_have_text(
        "You are offline. Searching needs an internet connection."
    )
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(live_server.url + "/faq/")  # nothing was sent
    # A search opened with no network shows the questions kept, and says so too.
    page.goto(live_server.url + "/faq/?q=coffee")
    expect(page.get_by_role("alert")).to_contain_text("Searching needs an internet connection.")


@pytest.mark.browser
def test_feedback_says_it_needs_a_connection_when_offline(live_server, context):
    page = context.new_page()
    open_and_keep(page, live_server.url + ANSWER)
    context.set_offline(True)
    page.goto(live_server.url + ANSWER)
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(
        "You are offline. Sending your answer needs an internet connection."
    )
    context.set_offline(False)
    expect(page.get_by_role("alert")).to_have_count(0)


@pytest.mark.browser
def test_old_addresses_still_redirect_with_the_worker_in_between(
    live_server, context, content_folder
):
    content_folder.section("first-part", 1, "First body text.\n", aliases=["/old/first/"])
    page = context.new_page()
    open_and_keep(page, live_server.url + "/faq/")
    page.goto(live_server.url + "/old/first/")
    expect(page).to_have_url(live_server.url + "/guide/first-part/")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
