"""Editors' accounts: strong passwords, and log-in guessing stopped without locking editors out."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from rls_iron.client_address import parse_networks

# Each test that stores something runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_databases
PASSWORD = "iron-guide-editor-2026"
STRANGER = "192.0.2.66"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "", PASSWORD)


def log_in(
    client, password: str, *, username: str = "editor", next_page: str = "/editor/", **extra
):
    data = {"username": username, "password": password, "next": next_page}
    return client.post(f"/admin/login/?next={next_page}", data, **extra)


def add_editor(monkeypatch, answers: list[str], *args: str) -> tuple[str, str]:
    """Run `make editor`'s command, typing these answers; its output and its errors."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in answers)))
    out, err = io.StringIO(), io.StringIO()
    call_command("addeditor", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_make_editor_refuses_weak_passwords_and_accepts_a_strong_one(
    monkeypatch, django_user_model, db
):
    answers = ["anna", "a", "a", "password1234", "password1234", PASSWORD, PASSWORD]
    out, err = add_editor(monkeypatch, answers)
    assert "This password is too short. It must contain at least 12 characters." in err
    assert "This password is too common." in err
    assert "Created the editor account 'anna'." in out
    (user,) = django_user_model.objects.all()
    assert (user.username, user.is_staff, user.check_password(PASSWORD)) == ("anna", True, True)


def test_make_editor_gives_up_after_three_weak_passwords(monkeypatch, django_user_model, db):
    with pytest.raises(CommandError, match="the password was not accepted"):
        add_editor(monkeypatch, ["a"] * 6, "--username", "ben")
    assert not django_user_model.objects.exists()


def test_the_admin_refuses_a_password_like_the_user_name(client, django_user_model):
    user = django_user_model.objects.create_superuser("ironguideeditor", "", PASSWORD)
    client.force_login(user)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "ironguideeditor1", "password2": "ironguideeditor1"},
    )
    assertContains(response, "The password is too similar to the username.")


def test_five_wrong_passwords_lock_the_account_for_this_address_only(client, editor, db):
    for _ in range(4):
        assertContains(log_in(client, "wrong-guess"), "Please enter the correct username")
    assert log_in(client, "wrong-guess").status_code == 429  # the fifth
    locked = log_in(client, PASSWORD)  # even the right password, for now
    assertContains(locked, "Too many wrong passwords", status_code=429)
    assertContains(locked, "cannot log in from this computer for 15 minutes", status_code=429)
    assert "_auth_user_id" not in client.session
    # The editor elsewhere, and another account here, are not locked out.
    assert log_in(client, PASSWORD, REMOTE_ADDR="198.51.100.7")["Location"] == "/editor/"
    other = log_in(client, "wrong-guess", username="someone-else")
    assert other.status_code == 200


def test_a_stranger_cannot_lock_an_editor_out_from_elsewhere(client, editor, db):
    for _ in range(20):
        log_in(client, "wrong-guess", REMOTE_ADDR=STRANGER)
    assert log_in(client, "wrong-guess", REMOTE_ADDR=STRANGER).status_code == 429
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/editor/"
    assert client.get("/editor/").status_code == 200


def test_the_lock_ends_after_fifteen_minutes(client, editor, db):
    for _ in range(5):
        log_in(client, "wrong-guess")
    assert log_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, PASSWORD).status_code == 302


def test_the_editor_page_login_is_limited_too(client, editor, db):
    login_page = client.get("/editor/")["Location"]
    assert login_page == "/admin/login/?next=/editor/"
    for _ in range(5):
        client.post(login_page, {"username": "editor", "password": "nope", "next": "/editor/"})
    response = client.post(login_page, {"username": "editor", "password": PASSWORD})
    assertContains(response, "Too many wrong passwords", status_code=429)


def test_behind_a_trusted_proxy_each_reader_has_their_own_count(client, editor, db, settings):
    settings.TRUSTED_PROXIES = parse_networks(["127.0.0.1"], setting="test")
    for _ in range(5):
        log_in(client, "wrong-guess", HTTP_X_FORWARDED_FOR=STRANGER)
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=STRANGER).status_code == 429
    # The same proxy, another reader: the editor behind it logs in.
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_an_untrusted_forwarded_for_header_is_ignored(client, editor, db):
    for number in range(5):  # a new made-up address each time does not help
        log_in(client, "wrong-guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
