"""`make serve` (deploy/serve.py: nginx in front of gunicorn) against gunicorn alone.

nginx must change nothing a reader or a cache sees: every response keeps its status, body and
headers (name and value), whether nginx passes it on or answers from the page it keeps for a
second, for pages, fragments, encodings, HEAD and conditional requests. It also hides the
server software, keeps query strings out of its access log, lets an edit go live within a
couple of seconds, starts again with no page kept from before, and stops with gunicorn.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port, gunicorn, http_request, new_serve_prefix, served

# Headers allowed to differ, and why:
# - Date: the time of the answer.
# - Server: nginx's "nginx" (no version, server_tokens off) replaces "gunicorn" on purpose
#   (tested below).
# - Connection: hop-by-hop, about this one TCP connection: gunicorn's sync workers close
#   every connection, nginx keeps them open for the next request.
# - Content-Length on a 304 only: Django's CommonMiddleware writes "Content-Length: 0" on its
#   304s, which RFC 9110 (8.6) forbids unless it is the length of the 200; nginx's 304s
#   leave it out. A 304 has no body either way.
TRANSPORT_HEADERS = {"date", "server", "connection"}

HOST = {"Host": "localhost"}
PAGES = [
    "/",
    "/faq/",
    "/faq/blood-test-morning/",
    "/es/",
    "/es/faq/",
    "/references/",
    "/glossary/",
    "/questions/",
    "/handout/",
    "/clinicians/",
    "/embed/faq/blood-test-morning/",
    "/qr/faq.svg",
    "/sitemap.xml",
    "/robots.txt",
    "/no-such-page/",
    "/faq/?q=iron",  # a search: personal, never kept
    "/?feedback=yes",  # a "thank you" page: personal, never kept
    "/editor/",  # an editor page: a redirect to the log-in
]
VARIANTS = [
    {},
    {"Accept-Encoding": "br, gzip"},
    {"Accept-Encoding": "gzip"},
    {"Accept-Encoding": "br;q=0, gzip"},
    {"HX-Request": "true"},
    {"HX-Request": "true", "HX-Boosted": "true"},
]
CONDITIONAL_PAGES = ["/", "/faq/", "/faq/blood-test-morning/", "/es/", "/static/css/site.css"]


def per_request_gzip(headers) -> bool:
    """A page rendered per request and gzipped by Django (a search, a "thank you"): Django pads
    each such gzip stream with random bytes against BREACH, so its bytes and length differ on
    every answer by design, and only what it decompresses to can be compared."""
    return headers.get("Content-Encoding") == "gzip" and "no-store" in headers.get(
        "Cache-Control", ""
    )


def comparable(status: int, headers) -> list[tuple[str, str]]:
    # Editor pages expire at once (Django's never_cache): "Expires" is then the answer's Date.
    return sorted(
        (
            name.lower(),
            "(its Date)" if name.lower() == "expires" and value == headers["Date"] else value,
        )
        for name, value in headers.items()
        if name.lower() not in TRANSPORT_HEADERS
        and not (status == 304 and name.lower() == "content-length")
        and not (per_request_gzip(headers) and name.lower() == "content-length")
    )


def content(headers, body: bytes) -> bytes:
    return gzip.decompress(body) if per_request_gzip(headers) else body


def conditionals(headers) -> list[dict[str, str]]:
    """Conditional requests built from a first answer's validators."""
    etag, modified = headers["ETag"], headers["Last-Modified"]
    return [
        {"If-None-Match": etag},
        {"If-None-Match": '"an-old-version"'},
        {"If-None-Match": "*"},
        {"If-None-Match": etag, "If-Modified-Since": modified},  # what browsers send
        {"If-None-Match": '"an-old-version"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"If-Modified-Since": modified},
        {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
        {"If-Match": etag},
        {"If-Match": '"an-old-version"'},
    ]


@pytest.fixture(scope="module")
def both_servers(static_root):
    with gunicorn(static_root) as old, served(static_root) as new:
        yield old, new


def differences(old: str, new: str, method: str, path: str, headers: dict[str, str]) -> list:
    """Ask gunicorn once and nginx twice (the second answer comes from nginx's cache)."""
    status, old_headers, body = http_request(old, path, method=method, headers=headers)
    body = content(old_headers, body)
    expected = (status, comparable(status, old_headers), body)
    found = []
    for attempt in ("first", "again"):
        status, new_headers, new_body = http_request(new, path, method=method, headers=headers)
        new_body = content(new_headers, new_body)
        if (status, comparable(status, new_headers), new_body) != expected:
            new_set, old_set = set(comparable(status, new_headers)), set(expected[1])
            found.append(
                f"{method} {path} {headers} ({attempt}): status {expected[0]} -> {status}, "
                f"only before {sorted(old_set - new_set)}, only now {sorted(new_set - old_set)}, "
                f"same body: {new_body == body}"
            )
    return found


def test_serve_answers_every_page_and_variant_with_the_same_headers_and_body(both_servers):
    old, new = both_servers
    found = []
    for path in PAGES:
        for variant in VARIANTS:
            for method in ("GET", "HEAD"):
                found += differences(old, new, method, path, {**HOST, **variant})
    assert found == []


def test_serve_answers_conditional_requests_as_the_app_does(both_servers):
    old, new = both_servers
    found = []
    for path in CONDITIONAL_PAGES:
        for encoding in ({}, {"Accept-Encoding": "br, gzip"}):
            _, first, _ = http_request(old, path, headers={**HOST, **encoding})
            for condition in conditionals(first):
                for method in ("GET", "HEAD"):
                    found += differences(old, new, method, path, {**HOST, **encoding, **condition})
    # The sitemap has a Last-Modified but its view ignores If-Modified-Since; so must nginx.
    for when in ("Fri, 01 Jan 2100 00:00:00 GMT", "Mon, 01 Jan 2001 00:00:00 GMT"):
        found += differences(old, new, "GET", "/sitemap.xml", {**HOST, "If-Modified-Since": when})
    assert found == []


def test_serve_answers_a_repeat_visit_with_304_from_nginx(both_servers):
    _, new = both_servers
    _, headers, _ = http_request(new, "/faq/", headers=HOST)
    status, again, body = http_request(
        new, "/faq/", headers={**HOST, "If-None-Match": headers["ETag"]}
    )
    assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])


def test_serve_names_no_server_software_or_version(both_servers):
    _, new = both_servers
    for path in ("/", "/no-such-page/", "/static/css/site.css"):
        _, headers, _ = http_request(new, path, headers=HOST)
        assert headers.get_all("Server") == ["nginx"]


def test_serve_keeps_query_strings_out_of_its_access_log(static_root, tmp_path):
    log = tmp_path / "serve.log"
    with served(static_root, workers=1, log_path=log) as base:
        for path in ("/faq/?q=Jane+Doe+ferritin", "/infobutton?secret=Jane", "/?feedback=Jane"):
            http_request(base, path, headers=HOST)
    text = log.read_text()
    assert '"GET /faq/ HTTP/1.1" 200' in text
    assert "Jane" not in text
    assert "?" not in text


def answer_page(base: str) -> str:
    """The answer page the edits below change, asked the same way each time (host, encoding)."""
    with urllib.request.urlopen(base + "/faq/blood-test-morning/", timeout=10) as response:
        return response.read().decode()


def edit_the_answer(content: Path) -> str:
    """Change the answer page's question in a copy of content/; returns the words added."""
    answer = content / "en" / "faq" / "blood-test-morning.md"
    marker = f"Edited{time.time_ns()}"
    answer.write_text(answer.read_text().replace("question: ", f"question: {marker} ", 1))
    return marker


def seconds_until_shown(bases: dict[str, str], marker: str) -> dict[str, float]:
    """Poll every server until its answer page shows ``marker``; seconds per server."""
    start, shown = time.monotonic(), {}
    while len(shown) < len(bases) and time.monotonic() - start < 30:
        for name, base in bases.items():
            if name not in shown and marker in answer_page(base):
                shown[name] = time.monotonic() - start
        time.sleep(0.05)
    return {name: shown.get(name, float("inf")) for name in bases}


def test_serve_shows_an_edit_at_most_about_two_seconds_after_gunicorn_alone(static_root, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # The production defaults (content checked every second, settled for half a second), and
    # the same content folder for both servers.
    with (
        served(static_root, workers=1, RLS_IRON_CONTENT_DIR=str(content)) as through_nginx,
        gunicorn(static_root, workers=1, RLS_IRON_CONTENT_DIR=str(content)) as alone,
    ):
        bases = {"make serve": through_nginx, "gunicorn alone": alone}
        seconds_until_shown(bases, "")  # both have the page, nginx in its cache
        marker = edit_the_answer(content)
        seconds = seconds_until_shown(bases, marker)
    print(f"\nan edit went live in {seconds}")
    # nginx keeps a page one second, counted in whole seconds: at most two more, plus up to
    # the one-second check interval by which the two servers' own checks may differ.
    assert seconds["make serve"] < seconds["gunicorn alone"] + 3.5


def descendants(pid: int) -> set[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    found = {int(child) for child in children.stdout.split()}
    return found.union(*(descendants(child) for child in found))


@pytest.fixture
def prefix():
    """A folder for `make serve`'s configuration and cache, kept from one run to the next."""
    folder = new_serve_prefix()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_serve_never_answers_a_restart_with_a_page_kept_before_it(static_root, tmp_path, prefix):
    """A page nginx kept before a restart (older content or code) is not shown after it."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = {"prefix": prefix, "port": free_port(), "RLS_IRON_CONTENT_DIR": str(content)}
    with served(static_root, workers=1, **site) as base:
        seconds_until_shown({"make serve": base}, "")  # nginx keeps the page
    marker = edit_the_answer(content)
    with served(static_root, workers=1, **site) as base:
        first_answer = answer_page(base)  # the same entry in nginx's cache as before
    assert marker in first_answer


def test_serve_stops_nginx_and_gunicorn_together(static_root, prefix):
    with served(static_root, workers=1, prefix=prefix) as base:
        assert http_request(base, "/", headers=HOST)[0] == 200
        launcher = subprocess.run(["pgrep", "-f", f"serve.py.*{prefix}"], capture_output=True)
        processes = descendants(int(launcher.stdout.split()[0]))
        assert len(processes) >= 4  # gunicorn, its worker, nginx and its workers
    time.sleep(0.5)
    still_running = [pid for pid in processes if Path(f"/proc/{pid}").exists()]
    assert still_running == []
    with pytest.raises(ConnectionRefusedError):
        http_request(base, "/", headers=HOST)
