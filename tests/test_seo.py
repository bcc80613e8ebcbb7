"""What search engines and link previews read: titles, canonical links, JSON-LD, sitemap, robots."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote_to_bytes

import pytest
from django.core.management import call_command

from rls_iron.content import get_guide
from tests.helpers import sitemap_locations
from tests.servers import http_request

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
PAGES = ["/", "/faq/", "/faq/question-one/", "/references/"]


def json_ld(response) -> dict:
    (block,) = JSON_LD.findall(response.content.decode())
    return json.loads(block)


@pytest.mark.parametrize("url", PAGES)
def test_each_page_describes_itself_as_a_medical_web_page(client, content_folder, url):
    data = json_ld(client.get(url))
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["@type"] == "MedicalCondition"
    assert data["about"]["code"] == {
        "@type": "MedicalCode",
        "codeValue": "G25.81",
        "codingSystem": "ICD-10-CM",
    }
    assert data["about"]["name"] == "Restless legs syndrome"
    assert data["medicalAudience"]["audienceType"] == "Patient"
    assert data["inLanguage"] == "en"
    assert data["lastReviewed"] == "2026-11-27"
    assert data["url"] == f"http://testserver{url}"
    assert "reviewedBy" not in data  # no clinician recorded yet


def test_reviewed_by_appears_only_once_a_real_reviewer_is_recorded(client, content_folder):
    for slug, order in (("first-part", 1), ("second-part", 2)):
        content_folder.section(slug, order, "Reviewed.\n", reviewed_by="Dr Test Person, MD")
    assert "reviewedBy" not in json_ld(client.get("/"))  # a name alone proves nothing
    files = [str(path) for path in content_folder.language_dir.rglob("*.md")]
    call_command("record_review", *files, reviewer="Dr Test Person, MD", date="2026-11-30")
    data = json_ld(client.get("/"))
    assert data["reviewedBy"] == [{"@type": "Person", "name": "Dr Test Person, MD"}]


def test_titles_and_descriptions_are_unique_and_pages_have_canonical_and_open_graph(
    client, content_folder
):
    titles, descriptions = set(), set()
    for url in PAGES:
        html = client.get(url).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", html).group(1))
        descriptions.add(re.search(r'<meta name="description" content="(.*?)">', html).group(1))
        assert f'<link rel="canonical" href="http://testserver{url}">' in html
        assert f'<meta property="og:url" content="http://testserver{url}">' in html
        assert '<meta property="og:title"' in html
    assert len(titles) == len(PAGES)
    assert len(descriptions) == len(PAGES)


def test_sitemap_lists_every_patient_page(client, content_folder):
    response = client.get("/sitemap.xml")
    locations = sitemap_locations(response.content)
    for url in PAGES:
        assert f"http://testserver{url}" in locations
    assert not any("/editor/" in location for location in locations)


def test_spanish_pages_name_the_condition_in_spanish(client):
    data = json_ld(client.get("/es/"))
    assert data["inLanguage"] == "es"
    assert data["about"]["name"] == "Síndrome de piernas inquietas"
    assert data["about"]["alternateName"] == "Enfermedad de Willis-Ekbom"
    assert data["about"]["code"]["codeValue"] == "G25.81"


@pytest.mark.parametrize("url", ["/clinicians/", "/es/clinicians/"])
def test_the_staff_page_is_marked_for_clinicians_not_patients(client, url):
    assert json_ld(client.get(url))["medicalAudience"]["audienceType"] == "Clinician"


@pytest.mark.parametrize("url", ["/", "/handout/", "/es/faq/"])
def test_patient_pages_are_marked_for_patients(client, url):
    assert json_ld(client.get(url))["medicalAudience"]["audienceType"] == "Patient"


@pytest.mark.parametrize(("embed", "page"), [("/embed/", "/"), ("/embed/es/faq/", "/es/faq/")])
def test_embed_pages_are_noindex_with_a_canonical_link_to_the_page(client, embed, page):
    html = client.get(embed).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert f'<link rel="canonical" href="http://testserver{page}">' in html
    assert json_ld(client.get(embed))["url"] == f"http://testserver{page}"
    normal = client.get(page).content.decode()
    assert 'name="robots"' not in normal


def sitemap_dates(client) -> dict[str, str]:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find("s:loc", namespace).text: url.find("s:lastmod", namespace).text
        for url in root.findall("s:url", namespace)
    }


def test_sitemap_lastmod_is_each_pages_own_front_matter_date(client, content_folder):
    content_folder.section("second-part", 2, "Newer.\n", last_reviewed="2026-12-01")
    path = content_folder.section("first-part", 1, "Older.\n", last_reviewed="2026-10-15")
    dates = sitemap_dates(client)
    assert dates["http://testserver/"] == "2026-12-01"  # its newest section
    assert dates["http://testserver/faq/question-one/"] == "2026-10-15"  # the guide's review date
    assert dates["http://testserver/clinicians/"] == "2026-10-15"
    assert dates["http://testserver/guide/first-part/"] == "2026-10-15"  # its own section
    assert dates["http://testserver/guide/second-part/"] == "2026-12-01"
    os.utime(path, (2_000_000_000, 2_000_000_000))  # a file time changes nothing
    assert sitemap_dates(client) == dates


def test_sitemap_lists_the_staff_page_and_the_handout_in_both_languages(client):
    dates = sitemap_dates(client)
    for path in ("/clinicians/", "/handout/", "/es/clinicians/", "/es/handout/"):
        assert f"http://testserver{path}" in dates
    assert not any("/embed/" in url or "/infobutton" in url for url in dates)
    spanish_review = min(s.last_reviewed for s in get_guide("es").sections).isoformat()
    assert dates["http://testserver/es/faq/"] == spanish_review


def test_sitemap_lists_every_topic_page_in_both_languages(client):
    dates = sitemap_dates(client)
    for language, prefix in (("en", ""), ("es", "/es")):
        for section in get_guide(language).sections:
            assert f"http://testserver{prefix}/guide/{section.slug}/" in dates
        assert f"http://testserver{prefix}/guide/" in dates  # the whole guide on one page


def test_robots_txt_allows_patient_pages_and_disallows_editor_pages(client, content_folder):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /\n" in text
    assert "Disallow: /editor/" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


LANGUAGE_SWITCH = re.compile(r'<p class="language-switch">(.*?)</p>', re.DOTALL)


def raw_get(client, path: str):
    """GET a path exactly as a WSGI server hands it to Django (the test client would read a
    leading ``//`` as a host name)."""
    environ_path = unquote_to_bytes(path).decode("iso-8859-1")
    return client.get("/", PATH_INFO=environ_path)


def language_links(response) -> list[str]:
    (switch,) = LANGUAGE_SWITCH.findall(response.content.decode())
    return re.findall(r'href="([^"]*)"', switch)


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("//[/", "/es/"),
        ("//x]/", "/es/"),
        ("//%5B/", "/es/"),
        ("//evil.example/faq/", "/es/"),
        ("/es//evil.example/faq/", "/"),
        ("/es/no-such-page/", "/"),
        ("/no-such-page/", "/es/"),
        # The same address in the other language when it exists there.
        ("/es/faq/question-one/", "/faq/question-one/"),
    ],
)
def test_the_language_switch_of_any_address_links_to_this_site_only(
    client, content_folder, path, link
):
    response = raw_get(client, path)
    assert response.status_code in {200, 404}
    assert language_links(response) == [link]


def test_a_page_links_to_its_counterpart_and_an_unknown_address_to_the_home_page(
    client, content_folder
):
    """A page links to its counterpart; an address no language has links to the home page."""
    response = raw_get(client, "/es/faq/")
    assert response.status_code == 200
    assert language_links(response) == ["/faq/"]
    response = raw_get(client, "/es/faq/question-one/extra/")
    assert response.status_code == 404
    assert language_links(response) == ["/"]


@pytest.mark.parametrize("path", ["//[/", "//x]/", "//%5B/", "//evil.example/faq/"])
def test_odd_paths_get_the_404_page_from_the_production_server(production_server, path):
    status, _headers, body = http_request(production_server, path)
    assert status == 404
    html = body.decode()
    assert "We cannot find that page" in html
    links = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert "/es/" in links
    # Addresses of this site only: a leading "//" would name another host.
    assert not [link for link in links if link.startswith("//") or "evil" in link]
