"""No one but the site learns what a patient reads: no cookies, no third parties, no referrer,
no query strings in the access log.

The browser tests visit every patient page in Chromium the way a reader does (the guide,
the FAQ with an answer opened by htmx, an answer page, the sources) and watch every request
and cookie. Outbound links are intercepted with Playwright so nothing leaves the machine.
The access-log test runs `make serve` itself and reads what gunicorn writes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from tests.servers import ROOT, free_port, http_request, production_env, wait_until_up

ANSWER_SLUG = "how-long-does-iron-take"


@pytest.fixture
def watched(browser: Browser, live_server):
    """A fresh browser context that records every request and every Set-Cookie header."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    set_cookies: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "response",
        lambda response: (
            (cookie := response.header_value("set-cookie"))
            and set_cookies.append(f"{response.url}: {cookie}")
        ),
    )
    # Anything for another origin is refused here, so even a failing test sends nothing out.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    yield page, requests, set_cookies
    context.close()


@pytest.mark.browser
def test_patient_pages_set_no_cookie_and_ask_no_other_origin(watched, live_server):
    page, requests, set_cookies = watched
    base = live_server.url
    page.goto(base + "/")
    page.goto(base + "/faq/")
    page.locator(f"#question-{ANSWER_SLUG}").click()
    expect(page.locator(f"#answer-{ANSWER_SLUG}")).to_contain_text("weeks")
    page.goto(f"{base}/faq/{ANSWER_SLUG}/")
    page.goto(base + "/references/")
    page.get_by_role("link", name="Questions").click()  # the menu
    expect(page).to_have_url(base + "/faq/")
    page.goto(base + "/no/such/page/")

    paths = {urlsplit(url).path for url in requests}
    # The walk really happened: pages, the htmx answer fragment, our own static files.
    assert {"/", "/faq/", f"/faq/{ANSWER_SLUG}/", "/references/", "/no/such/page/"} <= paths
    assert any(path.startswith("/static/css/") for path in paths)
    assert any(path.startswith("/static/django_htmx/") for path in paths)
    assert [url for url in requests if not url.startswith(base + "/")] == []
    assert set_cookies == []
    assert page.context.cookies() == []
    assert page.evaluate("document.cookie") == ""


@pytest.mark.browser
def test_an_outbound_link_does_not_tell_pubmed_which_page_was_read(
    content_folder, browser: Browser, live_server
):
    outbound = "https://pubmed.ncbi.nlm.nih.gov/12345/"
    content_folder.section("first-part", 1, f"Read [the study on PubMed]({outbound}) [@beta].\n")
    context = browser.new_context()
    page = context.new_page()
    arrived: list[dict[str, str]] = []
    same_origin: list[dict[str, str]] = []

    def pubmed(route):
        arrived.append(route.request.headers)
        route.fulfill(status=200, content_type="text/html", body="<title>PubMed</title>")

    context.route("https://pubmed.ncbi.nlm.nih.gov/**", pubmed)
    page.on(
        "request",
        lambda request: "/static/css/" in request.url and same_origin.append(request.headers),
    )
    try:
        page.goto(live_server.url + "/guide/first-part/?from=portal")  # the topic page
        link = page.get_by_role("link", name="the study on PubMed")
        assert link.get_attribute("rel") is None  # the page policy alone must do it
        link.click()
        expect(page).to_have_url(outbound)
        assert len(arrived) == 1
        assert "referer" not in {name.lower() for name in arrived[0]}
        # Within the site the referrer is still sent (the policy is same-origin, which
        # Django's CSRF check for the editor login needs), so the test can tell the two apart.
        assert same_origin[0]["referer"].startswith(live_server.url)
    finally:
        context.close()


@pytest.mark.browser
def test_the_browser_turns_off_camera_microphone_and_location(live_server, page: Page):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + "/")
    allowed = set(page.evaluate("document.featurePolicy.allowedFeatures()"))
    assert allowed  # Chromium reports the features it allows, so an empty set means no data
    assert not allowed & set(settings.PERMISSIONS_POLICY)
    # Every feature name is one Chromium knows: no "Unrecognized feature" complaint.
    assert [text for text in messages if "Permissions-Policy" in text] == []


def stop(process: subprocess.Popen) -> None:
    """Stop `make serve` and the gunicorn it started (their own process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow  # starts a process
def test_make_serve_logs_no_query_string_and_no_referring_query(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = production_env(
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_DATABASE_PATH=str(tmp_path / "db.sqlite3"),
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "serve", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while "Listening at" not in log.read_text() or "Booting worker" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        wait_until_up(base + "/", process, timeout=30)  # nginx starts after gunicorn
        secret = "patient-MRN-8675309"
        answers = [
            http_request(base, f"/faq/?q={secret}"),
            http_request(base, f"/faq/{ANSWER_SLUG}/?mainSearchCriteria.v.c=G25.81&id={secret}"),
            http_request(base, f"/?{secret}"),
            http_request(base, "/references/", headers={"Referer": f"{base}/faq/?q={secret}"}),
            http_request(base, f"/no/such/page/?q={secret}"),
            http_request(base, f"/faq/?q={secret}", method="POST"),
            http_request(base, "/faq/%0aFORGED-LINE"),
        ]
        assert [status for status, _, _ in answers] == [200, 200, 200, 200, 404, 405, 404]
        time.sleep(0.5)  # let gunicorn write the access log
    finally:
        stop(process)
    text = log.read_text()
    access = [line for line in text.splitlines() if '" 200 ' in line or '" 40' in line]
    assert len(access) >= 7, text
    assert secret not in text
    assert f'"GET /faq/{ANSWER_SLUG}/ HTTP/1.1" 200' in text
    assert '"GET /faq/%0aFORGED-LINE HTTP/1.1" 404' in text
    assert not any(line.startswith("FORGED-LINE") for line in text.splitlines())
    # The referring page is not logged at all (gunicorn.conf.py's format leaves it out).
    assert f"{base}/faq/" not in text
