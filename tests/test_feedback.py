"""'Was this page helpful?': stored privately, never lost, hard to abuse, shown to editors."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django.asserts import assertContains

from rls_iron.feedback import RateLimit, mask_personal_details
from rls_iron.models import Feedback, RateLimitCount

# Every test that stores something runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_databases
SAME_ORIGIN = {"Origin": "http://testserver"}


def vote(client, page="/faq/question-one/", value="yes", headers=SAME_ORIGIN, **extra):
    return client.post("/feedback/", {"page": page, "vote": value}, headers=headers, **extra)


@pytest.mark.parametrize(
    ("comment", "masked"),
    [
        ("Mail me at jane.doe+rls@example.co.uk please", "Mail me at [email removed] please"),
        ("Call 555-123-4567 or (555) 123 4567", "Call [phone removed] or [phone removed]"),
        ("My number is +1 800 222 1222.", "My number is [phone removed]."),
        ("Took 2 pills for 12 weeks at 65 mg", "Took 2 pills for 12 weeks at 65 mg"),
    ],
)
def test_personal_details_are_masked(comment, masked):
    assert mask_personal_details(comment) == masked


def test_rate_limit_allows_the_limit_then_refuses_and_stores_no_address(db):
    limit = RateLimit("test", limit=3)
    assert [limit.allow("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert limit.allow("192.0.2.2") is True
    rows = list(RateLimitCount.objects.values_list("key", "hits"))
    assert sorted(hits for _, hits in rows) == [1, 4]
    assert not any("192.0.2" in key for key, _ in rows)


def test_rate_limit_forgets_old_periods(db):
    RateLimitCount.objects.create(key="old", period=1, hits=99)
    assert RateLimit("test", limit=1).allow("192.0.2.1") is True
    assert not RateLimitCount.objects.filter(key="old").exists()


def test_a_vote_without_javascript_is_stored_and_redirects_back(client, content_folder, db):
    response = vote(client)
    assert response.status_code == 302
    assert response["Location"] == "/faq/question-one/?feedback=yes#feedback"
    (row,) = Feedback.objects.all()
    assert (row.page, row.helpful, row.comment) == ("/faq/question-one/", True, "")
    assert row.content_version
    assert row.created_on is not None
    thanks = client.get(response["Location"])
    assertContains(thanks, "Thank you for your answer.")
    assert thanks["Cache-Control"] == "private, no-store"


def test_no_reader_details_are_stored():
    stored = {field.name for field in Feedback._meta.get_fields()}
    assert stored == {"id", "page", "helpful", "comment", "created_on", "content_version"}


def test_a_no_vote_offers_a_comment_that_is_masked_and_stored(client, content_folder, db):
    response = vote(client, value="no")
    location = response["Location"]
    assert "feedback=no" in location
    page = client.get(location)
    assertContains(page, "Do not include personal information")
    token = parse_qs(urlsplit(location).query)["ref"][0]
    comment = client.post(
        "/feedback/comment/",
        {"ref": token, "comment": "Unclear. Write to me: me@example.org"},
        headers=SAME_ORIGIN,
    )
    assert comment.status_code == 302
    assert comment["Location"] == "/faq/question-one/?feedback=done#feedback"
    row = Feedback.objects.get()
    assert row.helpful is False
    assert row.comment == "Unclear. Write to me: [email removed]"


def test_an_htmx_vote_gets_the_thank_you_fragment(client, content_folder, db):
    response = vote(client, value="yes", headers={**SAME_ORIGIN, "HX-Request": "true"})
    assert response.status_code == 200
    assertContains(
        response,
        '<div class="feedback-thanks" role="status"><p>Thank you for your answer.</p></div>',
        html=True,
    )
    assert b"<html" not in response.content


def test_a_comment_can_only_be_added_once(client, content_folder, db):
    token = parse_qs(urlsplit(vote(client, value="no")["Location"]).query)["ref"][0]
    first = client.post("/feedback/comment/", {"ref": token, "comment": "One"}, headers=SAME_ORIGIN)
    second = client.post(
        "/feedback/comment/", {"ref": token, "comment": "Two"}, headers=SAME_ORIGIN
    )
    assert first.status_code == 302
    assert second.status_code == 400
    assert Feedback.objects.get().comment == "One"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({}, 403),
        ({"Referer": "http://testserver/faq/"}, 302),
        ({"Referer": "http://testserver.evil.example/"}, 403),
    ],
)
def test_posts_from_other_sites_are_refused(client, content_folder, db, headers, status):
    assert vote(client, headers=headers).status_code == status


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page": "/no/such/page/", "vote": "yes"}, "which page"),
        ({"page": "/faq/question-one/", "vote": ""}, "choose Yes or No"),
        ({"page": "/faq/question-one/", "vote": "maybe"}, "choose Yes or No"),
    ],
)
def test_bad_votes_get_a_clear_400(client, content_folder, db, data, message):
    response = client.post("/feedback/", data, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assert Feedback.objects.count() == 0


def test_a_comment_that_is_too_long_gets_a_clear_400(client, content_folder, db):
    token = parse_qs(urlsplit(vote(client, value="no")["Location"]).query)["ref"][0]
    response = client.post(
        "/feedback/comment/", {"ref": token, "comment": "x" * 501}, headers=SAME_ORIGIN
    )
    assert response.status_code == 400
    assertContains(response, "please keep it to 500", status_code=400)


def test_a_forged_comment_token_is_refused(client, content_folder, db):
    response = client.post(
        "/feedback/comment/", {"ref": "1:forged", "comment": "Hi"}, headers=SAME_ORIGIN
    )
    assert response.status_code == 400


def test_an_oversized_post_is_refused(client, content_folder, db):
    response = client.post(
        "/feedback/",
        {"page": "/faq/question-one/", "vote": "yes", "padding": "x" * 5000},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 413
    assert Feedback.objects.count() == 0


def test_too_many_posts_from_one_client_are_refused(client, content_folder, db, settings):
    statuses = [vote(client).status_code for _ in range(11)]
    assert statuses == [302] * 10 + [429]
    assertContains(vote(client), "wait a minute", status_code=429)
    assert Feedback.objects.count() == 10


def test_feedback_only_accepts_posts(client, content_folder, db):
    assert client.get("/feedback/").status_code == 405


def test_editors_see_counts_and_the_share_of_yes(admin_client, client, content_folder):
    for value in ("yes", "yes", "yes", "no"):
        vote(client, value=value)
    response = admin_client.get("/editor/")
    assertContains(
        response,
        '<tr><td><a href="/faq/question-one/">/faq/question-one/</a></td><td>4</td><td>3</td>'
        "<td>1</td><td>75%</td><td>0</td></tr>",
        html=True,
    )


def test_editors_can_filter_and_export_feedback_as_csv(admin_client, client, content_folder):
    vote(client, value="yes")
    token = parse_qs(urlsplit(vote(client, value="no")["Location"]).query)["ref"][0]
    client.post(
        "/feedback/comment/", {"ref": token, "comment": "=HYPERLINK(x)"}, headers=SAME_ORIGIN
    )
    listing = admin_client.get("/admin/rls_iron/feedback/?helpful__exact=0")
    assertContains(listing, "/faq/question-one/")
    ids = [str(pk) for pk in Feedback.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        "/admin/rls_iron/feedback/", {"action": "export_csv", "_selected_action": ids}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["page", "helpful", "comment", "date", "content version"]
    assert sorted(row[1] for row in rows[1:]) == ["no", "yes"]
    assert "'=HYPERLINK(x)" in [row[2] for row in rows[1:]]


# --------------------------------------------------------------------------- in a browser


@pytest.mark.browser
def test_with_javascript_a_vote_and_comment_are_sent_in_place(live_server, page, transactional_db):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/faq/")
    page.locator("[data-faq-toggle]").first.click()
    widget = page.locator(".faq-answer .feedback").first
    widget.get_by_role("button", name="No").click()
    expect(widget.get_by_role("status")).to_contain_text("Sorry this did not help")
    assert page.url == live_server.url + "/faq/"  # no page load
    widget.get_by_label("What was missing or unclear?").fill("Call me on 555 123 4567")
    widget.get_by_role("button", name="Send comment").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you for your comment.")
    row = Feedback.objects.get()
    assert (row.helpful, row.comment) == (False, "Call me on [phone removed]")
    assert page.context.cookies() == []


@pytest.mark.browser
def test_on_the_guide_htmx_arrives_with_the_form_and_sends_the_vote_in_place(
    live_server, page, errors, transactional_db
):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    page.wait_for_load_state("load")
    # The form is at the end of a long page: htmx is not fetched for a reader who stops early.
    assert page.evaluate("window.htmx === undefined")
    widget = page.locator("#feedback")
    widget.scroll_into_view_if_needed()
    page.wait_for_function("() => window.htmx !== undefined")
    widget.get_by_role("button", name="No").click()
    expect(widget.get_by_role("status")).to_contain_text("Sorry this did not help")
    assert page.url == live_server.url + "/"  # no page load
    widget.get_by_label("What was missing or unclear?").fill("Too long")
    widget.get_by_role("button", name="Send comment").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you for your comment.")
    row = Feedback.objects.get()
    assert (row.page, row.helpful, row.comment) == ("/", False, "Too long")
    assert errors == []  # a CSP refusal (an inline style from htmx) would show here


SHORT_ANSWER = "/faq/can-too-much-iron-hurt/"  # its form is on the first screen


def htmx_requests(page) -> list[str]:
    """Collects the addresses of htmx requests the page makes from now on."""
    seen: list[str] = []
    page.on("request", lambda request: "django_htmx" in request.url and seen.append(request.url))
    return seen


@pytest.mark.browser
def test_a_form_in_view_fetches_htmx_only_when_the_reader_moves_to_it(
    live_server, page, errors, transactional_db
):
    from playwright.sync_api import expect

    fetched = htmx_requests(page)
    page.goto(live_server.url + SHORT_ANSWER)
    page.wait_for_load_state("load")
    widget = page.locator("#feedback")
    # Within a screen's height of being seen, where a form further down would fetch htmx.
    top = page.evaluate("document.querySelector('#feedback').getBoundingClientRect().top")
    assert top < 2 * page.viewport_size["height"]
    page.wait_for_timeout(500)  # time enough for it to have been fetched
    assert (fetched, page.evaluate("window.htmx === undefined")) == ([], True)
    widget.get_by_role("button", name="Yes").focus()  # moving to it with the keyboard
    page.wait_for_function("() => window.htmx !== undefined")
    page.keyboard.press("Enter")
    expect(widget.get_by_role("status")).to_contain_text("Thank you for your answer.")
    assert page.url == live_server.url + SHORT_ANSWER  # sent in place
    assert len(fetched) == 1
    assert Feedback.objects.get().page == SHORT_ANSWER
    assert errors == []


@pytest.mark.browser
def test_a_vote_tapped_while_htmx_is_on_its_way_waits_for_it_and_is_sent_in_place(
    live_server, page, transactional_db
):
    from playwright.sync_api import expect

    def slowly(route):
        page.wait_for_timeout(1000)  # a slow phone network
        route.continue_()

    page.route("**/django_htmx/**", slowly)
    page.goto(live_server.url + SHORT_ANSWER)
    page.locator("#feedback").get_by_role("button", name="No").click()
    expect(page.locator("#feedback").get_by_role("status")).to_contain_text(
        "Sorry this did not help"
    )
    assert page.url == live_server.url + SHORT_ANSWER  # no page load
    row = Feedback.objects.get()
    assert (row.page, row.helpful) == (SHORT_ANSWER, False)


@pytest.mark.browser
def test_a_vote_posts_as_a_plain_form_when_htmx_takes_too_long(live_server, page, transactional_db):
    from playwright.sync_api import expect

    page.route("**/django_htmx/**", lambda route: None)  # never answered
    page.goto(live_server.url + SHORT_ANSWER)
    page.locator("#feedback").get_by_role("button", name="Yes").click()
    # While it waits the reader is told, so the tap does not seem lost.
    expect(page.locator("#feedback").get_by_role("status")).to_have_text("Sending your answer…")
    # After site.js's SEND_WAIT (3 s) the vote goes as a plain form, not lost.
    expect(page).to_have_url(live_server.url + SHORT_ANSWER + "?feedback=yes#feedback")
    expect(page.locator("#feedback")).to_contain_text("Thank you for your answer.")
    assert Feedback.objects.get().page == SHORT_ANSWER


@pytest.mark.browser
def test_a_vote_sent_before_htmx_arrives_posts_as_a_plain_form(live_server, page, transactional_db):
    from playwright.sync_api import expect

    page.route("**/django_htmx/**", lambda route: route.abort())  # htmx never arrives
    page.goto(live_server.url + "/")
    page.locator("#feedback").get_by_role("button", name="Yes").click()
    expect(page).to_have_url(live_server.url + "/?feedback=yes#feedback")
    expect(page.locator("#feedback")).to_contain_text("Thank you for your answer.")
    assert Feedback.objects.get().page == "/"


@pytest.mark.browser
def test_without_javascript_the_vote_posts_and_comes_back(live_server, browser, transactional_db):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#feedback").get_by_role("button", name="Yes").click()
    expect(page).to_have_url(live_server.url + "/?feedback=yes#feedback")
    expect(page.locator("#feedback")).to_contain_text("Thank you for your answer.")
    assert Feedback.objects.get().page == "/"
    context.close()


def test_each_run_stores_its_votes_in_its_own_database(client, content_folder, db, database):
    from django.db import connections, router

    assert vote(client).status_code == 302
    vendor = connections[router.db_for_write(Feedback)].vendor
    assert vendor == {"default": "sqlite", "postgres": "postgresql"}[database]
    assert Feedback.objects.using(database).count() == 1
    other = "postgres" if database == "default" else "default"
    assert Feedback.objects.using(other).count() == 0
