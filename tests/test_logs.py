"""The logs under a real gunicorn: no query string anywhere, a foreign Host is one short line."""

from __future__ import annotations

import logging
import re
import socket

import pytest
from django.test import Client

from rls_iron.logs import RefusedHostFilter
from tests.servers import gunicorn, http_request

SECRET = "JaneSecretDoe"
# Request lines that gunicorn's parser refuses (and quotes in its error log) or that reach
# the site (and its access log), each with a patient's name in the query.
ODD_REQUESTS = [
    f"GET /faq/?name=Jane {SECRET} HTTP/1.1",  # a space in the query: an invalid line
    f"GET /infobutton?patient={SECRET} HTTP/1.1 extra",
    f"GET /?patient={SECRET}",  # no HTTP version
    f"GET /?patient={SECRET} HTTP/9.9",
    f"BR\x01EW /?patient={SECRET} HTTP/1.1",
    f"GET /?patient={SECRET}{'x' * 5000} HTTP/1.1",  # longer than gunicorn's line limit
    f"GET /faq/?q={SECRET} HTTP/1.1",  # a valid request: the access log
    f"GET /no-such-page/?q={SECRET} HTTP/1.1",  # a 404: Django's warning
]


def send_raw(base: str, request_line: str, host: str = "127.0.0.1") -> bytes:
    port = int(base.rsplit(":", 1)[1])
    data = f"{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1")
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_no_query_string_reaches_the_access_or_error_log(static_root, tmp_path):
    access, errors, output = tmp_path / "access.log", tmp_path / "error.log", tmp_path / "out.log"
    logs = ["--access-logfile", str(access), "--error-logfile", str(errors)]
    with gunicorn(static_root, workers=1, log_path=output, extra_args=logs) as base:
        answers = [send_raw(base, line) for line in ODD_REQUESTS]
        send_raw(base, f"GET /?q={SECRET} HTTP/1.1", host="attacker.example")
    statuses = [answer.split(b" ", 2)[1] for answer in answers]
    assert statuses.count(b"400") >= 4
    assert b"414" in statuses
    text = {path.name: path.read_text(errors="replace") for path in (access, errors, output)}
    # gunicorn did log the refused lines, and the site its 404s: only the queries are gone.
    assert "Invalid request from ip=127.0.0.1" in text["error.log"]
    assert "Invalid HTTP request line: [request data removed]" in text["error.log"]
    assert '"GET /faq/ HTTP/1.1" 200' in text["access.log"]
    assert "Not Found: /no-such-page/" in text["out.log"]
    assert "Refused a request for the unknown host 'attacker.example'" in text["out.log"]
    for name, log in text.items():
        assert SECRET not in log, name


def test_a_flood_of_foreign_hosts_logs_ten_short_lines_a_minute(static_root, tmp_path):
    output = tmp_path / "out.log"
    with gunicorn(static_root, workers=1, log_path=output) as base:
        for number in range(40):
            answer = send_raw(base, "GET / HTTP/1.1", host=f"evil{number}.example" + "x" * 4000)
            assert answer.startswith(b"HTTP/1.1 400")
        # HEAD to a cached page (as monitoring sends all day): GET's length, no body, no warning.
        got = http_request(base, "/faq/")
        for _ in range(2):
            status, headers, body = http_request(base, "/faq/", method="HEAD")
            assert (status, body) == (200, b"")
            assert headers["Content-Length"] == got[1]["Content-Length"]
    text = output.read_text()
    assert "WARNING" not in text
    assert '"HEAD /faq/ HTTP/1.1" 200' in text
    lines = [line for line in text.splitlines() if "Refused a request" in line]
    assert len(lines) == 10
    assert all(len(line) < 200 for line in lines)
    assert "Traceback" not in text
    assert "x" * 100 not in text
    assert len(text) < 10_000


@pytest.fixture
def refused_host_log(monkeypatch):
    """What the DisallowedHost logger writes, through a fresh rate limit of its own."""
    logger = logging.getLogger("django.security.DisallowedHost")
    monkeypatch.setattr(logger, "filters", [RefusedHostFilter(per_minute=2)])
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_a_foreign_host_is_one_line_with_control_characters_escaped(refused_host_log, db):
    for _ in range(4):
        response = Client().get("/", HTTP_HOST="evil\x1b[31m\n\x00.example" + "y" * 500)
        assert response.status_code == 400
    Client().get("/", HTTP_HOST="after.example")  # the window is spent: not logged either
    assert len(refused_host_log) == 2
    message = refused_host_log[0].getMessage()
    assert message.startswith(r"Refused a request for the unknown host 'evil\x1b[31m\n\x00.ex")
    assert message.endswith("'…")
    assert re.fullmatch(r"[ -~…]+", message)  # printable: no escape sequence, no line break
    assert len(message) < 120
    assert refused_host_log[0].exc_info is None
