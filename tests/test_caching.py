"""Patient pages come from memory, with validators that let browsers and CDNs cache them."""

from __future__ import annotations

import os
import urllib.request

import pytest

PATIENT_PAGES = ["/", "/faq/", "/faq/question-one/", "/references/"]


@pytest.mark.parametrize("url", PATIENT_PAGES)
def test_patient_pages_carry_etag_last_modified_and_cache_control(client, content_folder, url):
    response = client.get(url)
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"


def test_cache_control_is_configurable(client, content_folder, settings):
    settings.PAGE_CACHE_CONTROL = "public, max-age=60"
    assert client.get("/")["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("url", PATIENT_PAGES)
def test_a_matching_if_none_match_gets_304(client, content_folder, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_current_if_modified_since_gets_304(client, content_folder):
    last_modified = client.get("/")["Last-Modified"]
    assert client.get("/", headers={"If-Modified-Since": last_modified}).status_code == 304


def test_the_second_request_renders_no_template(client, content_folder):
    first = client.get("/faq/")
    assert first.templates  # rendered once
    second = client.get("/faq/")
    assert second.templates == []
    assert second.content == first.content


def test_an_edit_changes_the_etag_at_once(client, content_folder):
    before = client.get("/guide/")["ETag"]
    path = content_folder.section("second-part", 2, "Changed words.\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    response = client.get("/guide/", headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert b"Changed words." in response.content


def test_fragment_and_page_have_different_etags_and_vary_on_hx_request(client, content_folder):
    page = client.get("/faq/question-one/")
    fragment = client.get("/faq/question-one/", headers={"HX-Request": "true"})
    assert page["ETag"] != fragment["ETag"]
    assert "HX-Request" in page["Vary"]
    assert "HX-Request" in fragment["Vary"]
    assert b"<html" not in fragment.content


def test_head_requests_are_answered_without_a_body(client, content_folder):
    response = client.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_editor_pages_are_never_cached(admin_client, content_folder):
    response = admin_client.get("/editor/")
    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]


def test_not_found_pages_are_not_cached(client, content_folder):
    response = client.get("/faq/nothing-here/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_the_production_server_answers_304_to_a_repeat_visit(production_server):
    with urllib.request.urlopen(production_server + "/") as response:
        etag = response.headers["ETag"]
    request = urllib.request.Request(production_server + "/", headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    caught.value.close()
    assert caught.value.code == 304


@pytest.mark.parametrize(("accept", "encoding"), [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_pages_are_sent_compressed_when_the_client_accepts_it(
    client, content_folder, accept, encoding
):
    import gzip

    import brotli

    plain = client.get("/")
    response = client.get("/", headers={"Accept-Encoding": accept})
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    decode = brotli.decompress if encoding == "br" else gzip.decompress
    assert decode(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 2
    assert response["ETag"] != plain["ETag"]


def test_a_refused_encoding_is_not_used(client, content_folder):
    response = client.get("/", headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in response


STAFF_AND_PATIENT_PAGES = [
    "/",
    "/faq/",
    "/faq/dark-stools/",
    "/glossary/",
    "/questions/",
    "/references/",
    "/clinicians/",
    "/handout/",
    "/embed/faq/",
]


@pytest.mark.parametrize(
    "path", STAFF_AND_PATIENT_PAGES + ["/es" + path for path in STAFF_AND_PATIENT_PAGES[:-1]]
)
def test_every_html_page_is_compressed_with_an_etag_and_answers_304(production_server, path):
    from tests.servers import http_request

    headers = {"Accept-Encoding": "gzip, deflate, br"}
    status, first, body = http_request(production_server, path, headers=headers)
    assert status == 200
    assert first["Content-Type"].startswith("text/html")
    assert first["Content-Encoding"] == "br"
    assert first["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"
    assert len(body) > 0
    again = {**headers, "If-None-Match": first["ETag"]}
    status, repeat, body = http_request(production_server, path, headers=again)
    assert (status, body, repeat["ETag"]) == (304, b"", first["ETag"])


@pytest.mark.parametrize(
    "path",
    [
        "/faq/?q=iron",
        "/infobutton?mainSearchCriteria.v.cs=2.16.840.1.113883.6.90&mainSearchCriteria.v.c=G25.81"
        "&knowledgeResponseType=application/json",
        "/infobutton?mainSearchCriteria.v.dn=asthma&knowledgeResponseType=text/html",
    ],
)
def test_pages_rendered_per_request_are_gzipped_and_never_stored(production_server, path):
    import gzip

    from tests.servers import http_request

    status, headers, body = http_request(
        production_server, path, headers={"Accept-Encoding": "gzip"}
    )
    assert status in (200, 404)
    assert headers["Content-Encoding"] == "gzip"
    assert "no-store" in headers["Cache-Control"]
    assert gzip.decompress(body)
