"""Odd requests get the right 4xx and a friendly page, never a 500: property-based tests.

Hypothesis generates paths, query strings, headers (Host and the htmx ``HX-*`` headers),
methods and bodies, including NUL bytes, invalid percent-encoded UTF-8 and very long
values, and sends them through Django's whole middleware stack with the real content.
The run is bounded (``max_examples``) so the suite stays fast; `make fuzz` sends many more
requests to the real production server.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
from urllib.parse import unquote_to_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.servers import ROOT

PAGES = ["/", "/faq/", "/faq/how-long-does-iron-take/", "/references/"]
# Every query parameter the site or its admin reads. The issues being built in parallel add
# the search box (q), the embed view and the HL7 Infobutton endpoint; their names are here
# so those parameters are fuzzed as soon as they are read.
PARAMETERS = [
    "next",
    "q",
    "embed",
    "mainSearchCriteria.v.c",
    "mainSearchCriteria.v.cs",
    "mainSearchCriteria.v.dn",
    "informationRecipient.languageCode.c",
    "knowledgeResponseType",
    "callback",
    "informationRecipient",
    "mainSearchCriteria.v.c1",
    "mainSearchCriteria.v.cs1",
]
HTMX_HEADERS = [
    "HX-Request",
    "HX-Boosted",
    "HX-History-Restore-Request",
    "HX-Current-URL",
    "HX-Current-URL-URI-AutoEncoded",
    "HX-Target",
    "HX-Trigger",
    "HX-Trigger-Name",
    "HX-Prompt",
    "Triggering-Event",
]
OTHER_HEADERS = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Cookie",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "Referer",
    "Origin",
    "X-Forwarded-Proto",
]
READ_ONLY_METHODS = ["GET", "HEAD"]
OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "BREW"]
LONG = 20_000

# What a WSGI server can hand Django: Latin-1 text, control characters and NUL included.
latin1_text = st.text(alphabet=st.characters(max_codepoint=255), max_size=60)
percent_bytes = st.binary(min_size=1, max_size=8).map(
    lambda raw: "".join(f"%{byte:02X}" for byte in raw)
)
broken_escapes = st.sampled_from(
    ["%", "%z", "%zz", "%0", "%ff%fe", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%00", "%u0041"]
)
segment = st.one_of(
    st.sampled_from(["faq", "references", "static", "admin", "editor", "..", ".", ""]),
    st.sampled_from(["how-long-does-iron-take", "is-iron-a-cure", "dark-stools"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.~", max_size=20),
    latin1_text.filter(lambda text: "?" not in text and "#" not in text),
    percent_bytes,
    broken_escapes,
)
# A path that starts with "//" is read by the test client (not the server) as a host name;
# such paths are sent over a raw socket by bench/fuzz.py instead.
paths = st.lists(segment, max_size=6).map(lambda parts: "/" + "/".join(parts)).filter(
    lambda path: not path.startswith("//")
) | st.sampled_from(PAGES)
query_strings = st.lists(
    st.tuples(
        st.sampled_from(PARAMETERS) | latin1_text, latin1_text | percent_bytes | broken_escapes
    ),
    max_size=5,
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def client() -> Client:
    # Exceptions propagate, so a 500 fails the test with its traceback; CSRF is checked as
    # in production (the test client skips it by default).
    return Client(raise_request_exception=True, enforce_csrf_checks=True)


def assert_friendly(response, method: str = "GET") -> None:
    """Never a server error; an error page is the site's own page, not a bare message."""
    assert response.status_code < 500
    body = response.content.decode("utf-8", errors="replace")
    assert "Traceback" not in body
    if response.status_code >= 400 and method != "HEAD":
        assert response["Content-Type"].startswith("text/html")
        assert "Medical disclaimer" in body
        assert '<a class="skip-link" href="#main">' in body


@pytest.mark.django_db
@BOUNDED
@given(path=paths, query=query_strings)
@example(path="/faq/\x00/", query="")
@example(path="/faq/%00/", query="q=%00")
@example(path="/faq/%ff%fe/", query="q=%ff%fe")
@example(path="/static/%00site.css", query="")
@example(path="/static/../settings.py", query="")
@example(path="/" + "a" * LONG, query="")
@example(path="/faq/", query="q=" + "x" * LONG)
@example(path="/faq/", query="&".join(f"p{number}=1" for number in range(2000)))
@example(path="/admin/login/", query="next=//attacker.test/%0d%0a")
def test_any_path_and_query_answers_with_a_page_or_a_friendly_4xx(path, query):
    response = client().get(f"{path}?{query}" if query else path)
    assert response.status_code in {200, 301, 302, 400, 404}
    assert_friendly(response)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(segment, min_size=1, max_size=4).map(lambda parts: "//" + "/".join(parts)))
@example(path="//[/")
@example(path="//x]/")
@example(path="//%5B/")
@example(path="//evil.example/faq/")
@example(path="//evil.example/es/faq/")
def test_paths_with_a_leading_double_slash_get_a_friendly_page_linking_only_here(path):
    """What the test client would read as a host name, handed over as a server would."""
    response = client().get("/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"))
    assert response.status_code in {200, 301, 302, 400, 404}
    assert_friendly(response)
    links = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode(errors="replace"))
    assert not [link for link in links if link.startswith("//")]
    if response.status_code in (301, 302):
        assert not response["Location"].startswith("//")


@pytest.mark.django_db
@BOUNDED
@given(
    page=st.sampled_from(PAGES),
    host=st.sampled_from(["127.0.0.1", "localhost"]) | latin1_text,
    htmx=st.dictionaries(st.sampled_from(HTMX_HEADERS), latin1_text | st.just("true")),
    others=st.dictionaries(st.sampled_from(OTHER_HEADERS), latin1_text | percent_bytes),
)
@example(page="/", host="attacker.test", htmx={}, others={})
@example(page="/", host="127.0.0.1:0\x00", htmx={}, others={})
@example(page="/", host="a" * LONG, htmx={}, others={})
@example(
    page="/faq/how-long-does-iron-take/",
    host="127.0.0.1",
    htmx={"HX-Request": "true", "HX-Current-URL": "%ff\x00", "Triggering-Event": "{"},
    others={},
)
@example(
    page="/faq/how-long-does-iron-take/",
    host="127.0.0.1",
    htmx={"HX-Current-URL-URI-AutoEncoded": "true", "HX-Current-URL": "%ed%a0%80"},
    others={"Cookie": "sessionid=%ff; csrftoken=\x00" + "x" * LONG},
)
def test_any_host_and_htmx_headers_answer_with_a_page_or_a_friendly_400(page, host, htmx, others):
    headers = {**htmx, **others}
    response = client().get(page, headers=headers, HTTP_HOST=host)
    if host in {"127.0.0.1", "localhost"}:
        assert response.status_code in {200, 304, 400, 404}
    else:
        assert response.status_code in {200, 304, 400}
    assert_friendly(response)


@BOUNDED
@given(
    page=st.sampled_from(PAGES),
    method=st.sampled_from(OTHER_METHODS),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]
    ),
)
@example(
    page="/", method="POST", body=b"a=%ff%00", content_type="application/x-www-form-urlencoded"
)
@example(page="/faq/", method="DELETE", body=b"", content_type="text/plain")
@example(page="/references/", method="PUT", body=b"x" * LONG, content_type="text/plain")
def test_sending_anything_but_get_to_a_page_is_a_friendly_405(page, method, body, content_type):
    response = client().generic(method, page, body, content_type=content_type)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert_friendly(response)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("method", READ_ONLY_METHODS)
def test_get_and_head_are_answered(page, method):
    response = client().generic(method, page)
    assert response.status_code == 200


@pytest.mark.django_db
@BOUNDED
@given(
    body=st.binary(max_size=300) | latin1_text.map(str.encode),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "multipart/form-data; boundary=" + "b" * 200,
            "text/plain",
            "",
        ]
    ),
)
@example(
    body=b"csrfmiddlewaretoken=%ff&username=%00", content_type="application/x-www-form-urlencoded"
)
@example(
    body=b"--x\r\nContent-Disposition: form-data\r\n\r\n",
    content_type="multipart/form-data; boundary=x",
)
def test_garbage_posted_to_the_editor_login_is_refused_with_a_friendly_403(body, content_type):
    response = client().generic("POST", "/admin/login/", body, content_type=content_type)
    assert response.status_code in {400, 403}
    assert_friendly(response)


def test_the_fuzz_script_finds_no_server_error_in_a_short_run():
    """`make fuzz` sends 5,000 requests; a short run keeps the script itself working."""
    result = subprocess.run(
        [sys.executable, "bench/fuzz.py", "--requests", "400", "--seed", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "400 requests in" in result.stdout
    assert "5xx from the site or otherwise: 0" in result.stdout
    assert "of them from the site: 0" in result.stdout
    assert "4xx from the site without its page (should be 0): 0" in result.stdout
    assert "0 'Internal Server Error' lines, 0 tracebacks," in result.stdout
