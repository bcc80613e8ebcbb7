"""What search engines and link previews read: titles, canonical links, JSON-LD, sitemap, robots."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

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
        "code": "G25.81",
        "codingSystem": "ICD-10-CM",
    }
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
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {
        element.text for element in ET.fromstring(response.content).findall(".//s:loc", namespace)
    }
    for url in PAGES:
        assert f"http://testserver{url}" in locations
    assert not any("/editor/" in location for location in locations)


def test_robots_txt_allows_patient_pages_and_disallows_editor_pages(client, content_folder):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /\n" in text
    assert "Disallow: /editor/" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
