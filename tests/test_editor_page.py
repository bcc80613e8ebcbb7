"""The editor status page: staff only, and it tells editors what patients see and why."""

from __future__ import annotations

import os

import pytest
from django.test import SimpleTestCase

from rls_iron.content import get_store

# Each test that stores something runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_databases
html_assert = SimpleTestCase()


def test_anonymous_visitors_are_sent_to_log_in(client, content_folder, db):
    response = client.get("/editor/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/editor/"


def test_logged_in_non_staff_users_are_sent_to_log_in(client, content_folder, django_user_model):
    user = django_user_model.objects.create_user("patient", password="a-long-password-1")
    client.force_login(user)
    assert client.get("/editor/").status_code == 302


def test_staff_see_the_version_files_and_review_dates(admin_client, content_folder):
    response = admin_client.get("/editor/")
    assert response.status_code == 200
    guide = get_store().guide()
    html_assert.assertContains(response, f"<code>{guide.version}</code>", html=True)
    html_assert.assertContains(response, "content/en/sections/01-first-part.md")
    html_assert.assertContains(response, "2027-05-27")
    html_assert.assertContains(response, "The newest edit is live")
    assert "no-store" in response["Cache-Control"]


def test_overdue_reviews_are_highlighted(admin_client, content_folder):
    content_folder.section("second-part", 2, "Text.\n", next_review="2020-01-01")
    response = admin_client.get("/editor/")
    html_assert.assertContains(response, '<tr class="overdue">')
    html_assert.assertContains(response, "<strong>overdue</strong>", html=True)


def test_a_rejected_edit_is_shown_to_editors_with_file_and_line(
    admin_client, client, content_folder
):
    assert client.get("/").status_code == 200  # the good version is loaded
    path = content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))

    patient_page = client.get("/faq/question-two/")
    html_assert.assertContains(patient_page, "Yes, the second.")  # last good content
    html_assert.assertNotContains(patient_page, "rejected")

    response = admin_client.get("/editor/")
    html_assert.assertContains(response, "Your newest edit was rejected")
    html_assert.assertContains(response, "question-two.md:6</code>")
    html_assert.assertContains(response, "Unknown source &#x27;@nobody&#x27;")


@pytest.mark.parametrize("url", ["/", "/faq/", "/faq/question-one/", "/references/"])
def test_no_patient_page_links_to_the_editor_page(client, content_folder, url):
    html_assert.assertNotContains(client.get(url), "/editor/")


def test_the_login_page_for_editors_renders(client, db):
    response = client.get("/admin/login/?next=/editor/")
    assert response.status_code == 200
    html_assert.assertContains(response, 'name="username"')
