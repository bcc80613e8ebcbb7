"""The production server as `make serve` runs it: gunicorn, DEBUG off, whitenoise."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.servers import ROOT, production_env


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), _text(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), _text(error.read())


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("path", ["/", "/faq/", "/faq/how-long-does-iron-take/", "/references/"])
def test_production_server_serves_every_page(production_server, path):
    status, headers, body = fetch(production_server + path)
    assert status == 200
    assert "Medical disclaimer" in body
    assert "1-800-222-1222" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_static_files_are_hashed_compressed_and_cached_for_good(production_server):
    _, _, body = fetch(production_server + "/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1)
    status, headers, _ = fetch(production_server + stylesheet, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        # The FAQ loads htmx in <head>; the other pages name it for site.js to fetch on demand.
        ("/faq/", r'<script src="(/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js)"'),
        ("/", r'data-htmx="(/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js)"'),
    ],
)
def test_htmx_comes_from_our_own_static_files(production_server, path, pattern):
    _, _, body = fetch(production_server + path)
    script = re.search(pattern, body)
    assert script is not None
    assert fetch(production_server + script.group(1))[0] == 200


def test_unknown_page_is_the_friendly_404_not_a_debug_page(production_server):
    status, _, body = fetch(production_server + "/no/such/page/")
    assert status == 404
    assert "We cannot find that page" in body
    assert "Traceback" not in body
    assert "DEBUG" not in body


@pytest.mark.slow  # starts a process
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = production_env(DJANGO_SECRET_KEY_FILE=str(tmp_path / "missing"))
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "No secret key" in result.stderr


@pytest.mark.slow  # starts a process
def test_debug_is_off_unless_asked_for(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    for flag, expected in ((None, "False"), ("0", "False"), ("1", "True")):
        env = production_env()
        if flag is not None:
            env["DJANGO_DEBUG"] = flag
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected


@pytest.mark.slow  # starts a process
def test_search_words_never_reach_the_access_log(tmp_path, static_root):
    from tests.servers import gunicorn

    log_path = tmp_path / "access.log"
    with gunicorn(static_root, workers=1, log_path=log_path) as base:
        status, _, body = fetch(base + "/faq/?q=secretsearchword")
        assert status == 200
        assert "secretsearchword" in body
        # Following an answer from the results sends the search page as the referrer.
        referrer = base + "/faq/?q=secretsearchword"
        assert fetch(base + "/faq/coffee-tea-milk/", Referer=referrer)[0] == 200
        fetch(base + "/faq/?q=secretsearchword", **{"HX-Request": "true"})
    log = log_path.read_text()
    assert '"GET /faq/ HTTP/1.1" 200' in log
    assert '"GET /faq/coffee-tea-milk/ HTTP/1.1" 200' in log
    assert "secretsearchword" not in log
