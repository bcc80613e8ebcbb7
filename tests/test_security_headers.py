"""Security headers on every answer of the production server, HTTPS mode and deploy checks.

The server is gunicorn with production settings, as `make serve` runs it. Every kind of
answer is checked: pages, the htmx fragment, 404, 405, 400, static files and the editor
pages, because an attacker picks whichever response lacks a header.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.servers import ROOT, http_request, production_env

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
TURNED_OFF_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]
ANSWER = "/faq/how-long-does-iron-take/"


def parse_csp(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


def static_address(base: str, pattern: str) -> str:
    _, _, body = http_request(base, "/")
    return re.search(pattern, body.decode()).group(1)


def responses(base: str) -> dict[str, tuple[int, object, bytes]]:
    """One answer of every kind the site gives, by a short name."""
    stylesheet = static_address(base, r'href="(/static/css/site\.[0-9a-f]{12}\.css)"')
    # The page's own icon is written into it (a data: address); the app's icon is a file.
    _, _, manifest = http_request(base, "/manifest.webmanifest")
    icon = json.loads(manifest)["icons"][0]["src"]
    requests = {
        "guide": ("GET", "/", {}),
        "faq": ("GET", "/faq/", {}),
        "answer page": ("GET", ANSWER, {}),
        "answer fragment": ("GET", ANSWER, {"HX-Request": "true"}),
        "references": ("GET", "/references/", {}),
        "head": ("HEAD", "/", {}),
        "not found": ("GET", "/no/such/page/", {}),
        "post to a page": ("POST", "/faq/", {}),
        "unknown host": ("GET", "/", {"Host": "attacker.test"}),
        "stylesheet": ("GET", stylesheet, {}),
        "icon": ("GET", icon, {}),
        "missing static file": ("GET", "/static/nothing.js", {}),
        "editor page": ("GET", "/editor/", {}),
        "editor login": ("GET", "/admin/login/", {}),
        "sitemap": ("GET", "/sitemap.xml", {}),
        "qr code": ("GET", "/qr/index.svg", {}),
    }
    answers = {}
    for name, (method, path, headers) in requests.items():
        answers[name] = http_request(base, path, method=method, headers=headers)
    return answers


@pytest.fixture(scope="module")
def every_kind_of_answer(production_server):
    return responses(production_server)


def test_every_kind_of_answer_was_really_produced(every_kind_of_answer):
    statuses = {name: status for name, (status, _, _) in every_kind_of_answer.items()}
    assert statuses == {
        "guide": 200,
        "faq": 200,
        "answer page": 200,
        "answer fragment": 200,
        "references": 200,
        "head": 200,
        "not found": 404,
        "post to a page": 405,
        "unknown host": 400,
        "stylesheet": 200,
        "icon": 200,
        "missing static file": 404,
        "editor page": 302,
        "editor login": 200,
        "sitemap": 200,
        "qr code": 200,
    }


@pytest.mark.parametrize("name", ["not found", "post to a page", "unknown host"])
def test_error_answers_are_the_sites_own_friendly_pages(every_kind_of_answer, name):
    _, headers, body = every_kind_of_answer[name]
    assert int(headers.get("Content-Length", len(body))) == len(body)
    page = body.decode()
    assert "Medical disclaimer" in page
    assert "Go to the guide on iron and RLS" in page
    assert "Traceback" not in page


def test_every_answer_has_exactly_the_strict_content_security_policy(every_kind_of_answer):
    for name, (_, headers, _) in every_kind_of_answer.items():
        assert headers.get_all("Content-Security-Policy") == [headers["Content-Security-Policy"]]
        assert parse_csp(headers["Content-Security-Policy"]) == EXPECTED_CSP, name
        assert "unsafe" not in headers["Content-Security-Policy"]
        assert "nonce" not in headers["Content-Security-Policy"]


def test_every_answer_has_the_hardening_headers(every_kind_of_answer):
    for name, (_, headers, _) in every_kind_of_answer.items():
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", name


# Another site may show a QR code in an <img> and frame /embed/ pages; nothing else.
CROSS_ORIGIN = {"qr code"}


def test_no_other_site_may_load_our_answers_but_qr_codes(every_kind_of_answer):
    for name, (_, headers, _) in every_kind_of_answer.items():
        expected = "cross-origin" if name in CROSS_ORIGIN else "same-origin"
        assert headers.get_all("Cross-Origin-Resource-Policy") == [expected], name


def test_a_portal_may_frame_embed_pages_even_when_it_isolates_itself(production_server):
    status, headers, _ = http_request(production_server, "/embed/faq/")
    assert status == 200
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    # Which portals may frame it is still decided by frame-ancestors (none by default).
    assert parse_csp(headers["Content-Security-Policy"])["frame-ancestors"] == "'none'"


def test_every_document_turns_off_the_powerful_browser_features(every_kind_of_answer):
    documents = 0
    for name, (_, headers, _) in every_kind_of_answer.items():
        documents_types = ("text/html", "image/svg+xml", "application/xml")
        if not headers.get("Content-Type", "").startswith(documents_types):
            # A style sheet never becomes a document: the policy would be 600 wasted bytes.
            assert "Permissions-Policy" not in headers, name
            continue
        documents += 1
        policy = dict(
            item.strip().split("=", 1) for item in headers["Permissions-Policy"].split(",")
        )
        for feature in TURNED_OFF_FEATURES:
            assert policy[feature] == "()", (name, feature)
    assert documents == len(every_kind_of_answer) - 1  # all but the style sheet


# Patient pages name their style sheet; a fragment, a file or an editor's page must not (a
# preload never used is a warning), and the short error pages have no need to.
PAGES_WITH_THE_STYLE_SHEET = {"guide", "faq", "answer page", "references", "head"}


def test_pages_ask_for_their_style_sheet_before_the_browser_reads_them(every_kind_of_answer):
    stylesheet = re.search(
        rb'<link rel="stylesheet" href="([^"]+)">', every_kind_of_answer["guide"][2]
    ).group(1)
    for name, (_, headers, _) in every_kind_of_answer.items():
        if name in PAGES_WITH_THE_STYLE_SHEET:
            assert headers.get_all("Link") == [f"<{stylesheet.decode()}>; rel=preload; as=style"]
        else:
            assert "Link" not in headers, name


def test_without_https_configured_there_is_no_hsts_and_no_redirect(every_kind_of_answer):
    for name, (status, headers, _) in every_kind_of_answer.items():
        assert "Strict-Transport-Security" not in headers, name
        assert status != 301, name


def test_only_the_editor_login_form_sets_a_cookie(every_kind_of_answer):
    with_cookies = {
        name for name, (_, headers, _) in every_kind_of_answer.items() if headers.get("Set-Cookie")
    }
    assert with_cookies == {"editor login"}
    _, headers, _ = every_kind_of_answer["editor login"]
    assert headers["Set-Cookie"].startswith("csrftoken=")


@pytest.mark.slow  # starts a process
def test_with_https_configured_http_redirects_and_https_answers_carry_hsts(static_root):
    from tests.servers import gunicorn

    with gunicorn(static_root, workers=1, DJANGO_HTTPS="1") as base:
        status, headers, _ = http_request(base, "/faq/?q=1")
        assert status == 301
        assert headers["Location"] == base.replace("http://", "https://") + "/faq/?q=1"
        # A TLS proxy on this machine says the request came over HTTPS; gunicorn trusts it
        # from 127.0.0.1.
        status, headers, _ = http_request(base, "/", headers={"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        status, headers, _ = http_request(
            base, "/admin/login/", headers={"X-Forwarded-Proto": "https"}
        )
        assert "secure" in headers["Set-Cookie"].lower().split("; ")


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # starts a process
def test_check_deploy_reports_nothing_with_production_settings_from_the_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        DJANGO_HTTPS="1",
        DJANGO_ALLOWED_HOSTS="iron.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stderr == ""


@pytest.mark.slow  # starts a process
def test_check_deploy_complains_when_https_is_not_configured():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.mark.slow  # starts a process
def test_hsts_preload_is_only_sent_when_asked_for():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    assert (
        run_manage("shell", "--no-imports", "-c", code, DJANGO_HTTPS="1").stdout.strip() == "False"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, DJANGO_HTTPS="1", DJANGO_HSTS_PRELOAD="1"
    )
    assert result.stdout.strip() == "True"


@pytest.mark.slow  # starts a process
def test_production_refuses_the_development_secret_key():
    from rls_iron.settings import DEVELOPMENT_SECRET_KEY

    result = run_manage("check", DJANGO_SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "No secret key" in result.stderr


@pytest.mark.slow  # starts a process
def test_allowed_hosts_come_from_the_environment():
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = run_manage(
        "shell", "--no-imports", "-c", code, DJANGO_ALLOWED_HOSTS=" iron.example.org, b.example "
    )
    assert result.stdout.strip() == "['iron.example.org', 'b.example']"
