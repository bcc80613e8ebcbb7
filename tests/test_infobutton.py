"""The HL7 Infobutton endpoint: codes, systems, languages, response types, bad requests, logs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.test import SimpleTestCase

from tests.servers import ROOT, collectstatic, gunicorn, production_env

html_assert = SimpleTestCase()

ICD10 = "2.16.840.1.113883.6.90"
SNOMED = "2.16.840.1.113883.6.96"
RXNORM = "2.16.840.1.113883.6.88"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def coded_content(content_folder):
    """The guide answers RLS codes; one answer also answers the ICD-10 code."""
    content_folder.write(
        "site.md",
        {
            "site_title": "Test Iron Site",
            "title": "Test guide title",
            "summary": "A test.",
            "codes": [
                {"system": "ICD-10-CM", "code": "G25.81"},
                {"system": "SNOMED CT", "code": "32914008"},
            ],
        },
        "Welcome to the test guide [@alpha].\n",
    )
    content_folder.write(
        "faq/question-two.md",
        {
            "question": "Is this the second question?",
            "slug": "question-two",
            "order": 2,
            "codes": [{"system": "ICD-10-CM", "code": "G25.81"}],
        },
        "Yes, the second.\n",
    )
    return content_folder


def ask(client, *, response_type=None, **params):
    names = {
        "cs": "mainSearchCriteria.v.cs",
        "c": "mainSearchCriteria.v.c",
        "dn": "mainSearchCriteria.v.dn",
        "lang": "informationRecipient.languageCode.c",
    }
    query = {names[key]: value for key, value in params.items()}
    if response_type:
        query["knowledgeResponseType"] = response_type
    return client.get("/infobutton?" + urlencode(query))


MATCHING = [
    (ICD10, "G25.81"),
    (ICD10, "G2581"),
    (ICD10, "g25.81"),
    (ICD10, "g2581"),
    (SNOMED, "32914008"),
]


@pytest.mark.parametrize(("system", "code"), MATCHING)
@pytest.mark.parametrize("lang", [None, "en", "EN-us", "es"])
def test_a_known_code_redirects_to_the_guide(client, coded_content, system, code, lang):
    params = {"cs": system, "c": code} | ({"lang": lang} if lang else {})
    for response_type in (None, "text/html", "TEXT/HTML"):
        response = ask(client, response_type=response_type, **params)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("system", "code"), MATCHING)
def test_json_lists_the_matching_pages_best_first(client, coded_content, system, code):
    response = ask(client, cs=system, c=code, response_type="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    results = document["results"]
    assert results[0] == {
        "title": "Test guide title",
        "url": "http://testserver/",
        "summary": "A test.",
        "language": "en",
    }
    expected_urls = ["http://testserver/"]
    if system == ICD10:
        expected_urls.append("http://testserver/faq/question-two/")
    assert [result["url"] for result in results] == expected_urls
    assert document["query"] == {"codeSystem": system, "code": code, "language": "en"}
    assert document["updated"]


@pytest.mark.parametrize(("system", "code"), MATCHING)
def test_atom_feed_parses_and_has_what_atom_requires(client, coded_content, system, code):
    response = ask(client, cs=system, c=code, response_type="text/xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287: a feed has an id, a title, an updated date and an author (or each entry has).
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}").text or feed.find(f"{ATOM}{required}") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/infobutton"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == (2 if system == ICD10 else 1)
    first = entries[0]
    for required in ("id", "title", "updated", "summary"):
        assert first.find(f"{ATOM}{required}").text
    link = first.find(f"{ATOM}link")
    assert (link.get("rel"), link.get("href"), link.get("hreflang")) == (
        "alternate",
        "http://testserver/",
        "en",
    )
    assert first.find(f"{ATOM}title").text == "Test guide title"


def test_spanish_is_answered_in_english_for_now(client, coded_content):
    response = ask(client, cs=ICD10, c="G25.81", lang="es", response_type="application/json")
    document = json.loads(response.content)
    assert document["query"]["language"] == "es"
    assert {result["language"] for result in document["results"]} == {"en"}


@pytest.mark.parametrize(
    ("system", "code"),
    [(ICD10, "E11.9"), (SNOMED, "44054006"), (RXNORM, "12345"), ("1.2.3.4", "G25.81")],
)
def test_an_unknown_code_or_code_system_gets_a_friendly_404(client, coded_content, system, code):
    response = ask(client, cs=system, c=code, dn="Type 2 diabetes")
    assert response.status_code == 404
    html_assert.assertContains(
        response, "<h1>We have no page for this diagnosis</h1>", html=True, status_code=404
    )
    html_assert.assertContains(response, "“Type 2 diabetes”", status_code=404)
    html_assert.assertContains(
        response, '<a href="/">Read the guide on iron and RLS</a>', html=True, status_code=404
    )


@pytest.mark.parametrize(("system", "code"), [(ICD10, "E11.9"), (RXNORM, "12345")])
def test_an_unknown_code_gets_an_empty_json_and_atom_result(client, coded_content, system, code):
    document = json.loads(ask(client, cs=system, c=code, response_type="application/json").content)
    assert document["results"] == []
    feed = ET.fromstring(ask(client, cs=system, c=code, response_type="text/xml").content)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}title").text


@pytest.mark.parametrize(
    ("query", "explanation"),
    [
        ("", "mainSearchCriteria.v.cs (the code system) is missing"),
        (f"mainSearchCriteria.v.cs={ICD10}", "mainSearchCriteria.v.c (the diagnosis code)"),
        ("mainSearchCriteria.v.c=G25.81", "mainSearchCriteria.v.cs (the code system) is missing"),
        ("mainSearchCriteria.v.cs=ICD10&mainSearchCriteria.v.c=G25.81", "a code system OID"),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81.1.2",
            "not a valid ICD-10-CM",
        ),
        (
            f"mainSearchCriteria.v.cs={SNOMED}&mainSearchCriteria.v.c=G25.81",
            "not a valid SNOMED CT",
        ),
        (f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=%3Cscript%3E", "letters, digits"),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81"
            "&knowledgeResponseType=application/javascript",
            "knowledgeResponseType must be one of",
        ),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81"
            "&informationRecipient.languageCode.c=english%21",
            "must be a language code",
        ),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81"
            "&mainSearchCriteria.v.c=E11.9",
            "sent 2 times",
        ),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81"
            "&mainSearchCriteria.v.dn=" + "x" * 201,
            "longer than 200",
        ),
    ],
)
def test_missing_or_malformed_parameters_get_400_with_an_explanation(
    client, coded_content, query, explanation
):
    response = client.get("/infobutton?" + query)
    assert response.status_code == 400
    html_assert.assertContains(
        response, "<h1>This link is not complete</h1>", html=True, status_code=400
    )
    html_assert.assertContains(response, explanation, status_code=400)
    html_assert.assertContains(response, "Links that work", status_code=400)


def test_a_bad_json_request_gets_a_json_400(client, coded_content):
    response = ask(client, cs="not-an-oid", c="G25.81", response_type="application/json")
    assert response.status_code == 400
    problems = json.loads(response.content)["error"]["problems"]
    assert any("must be a code system OID" in problem for problem in problems)


def test_a_bad_xml_request_gets_an_xml_400(client, coded_content):
    response = ask(client, cs=ICD10, response_type="text/xml")
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.tag == "error"
    assert "missing" in root.find("problem").text


def test_infobutton_refuses_writes(client, coded_content):
    assert client.post("/infobutton").status_code == 405


def test_the_real_guide_answers_the_rls_codes(client):
    for system, code in ((ICD10, "G25.81"), (ICD10, "g2581"), (SNOMED, "32914008")):
        response = ask(client, cs=system, c=code)
        assert (response.status_code, response["Location"]) == (302, "/")


# --------------------------------------------------------------------------- logs

SECRET_QUERY = {
    "mainSearchCriteria.v.cs": ICD10,
    "mainSearchCriteria.v.c": "G25.81",
    "mainSearchCriteria.v.dn": "Patient-Jane-Doe-MRN-4471",
    "knowledgeResponseType": "application/json",
}


def test_gunicorn_and_django_logs_never_contain_infobutton_query_strings(tmp_path):
    static_root = tmp_path / "static"
    collectstatic(static_root, production_env())
    log_path = tmp_path / "server.log"
    statuses = []
    with gunicorn(static_root, workers=1, log_path=log_path) as base:
        for query in (
            SECRET_QUERY,
            {**SECRET_QUERY, "knowledgeResponseType": "text/html"},  # 302, then the guide
            {**SECRET_QUERY, "mainSearchCriteria.v.c": "Z99.89", "knowledgeResponseType": ""},
            {**SECRET_QUERY, "mainSearchCriteria.v.cs": "Patient-Jane-Doe"},  # 400 page
        ):
            request = urllib.request.Request(
                f"{base}/infobutton?{urlencode(query)}",
                headers={"Referer": "https://portal.example/chart?patient=Patient-Jane-Doe"},
            )
            try:
                statuses.append(urllib.request.urlopen(request, timeout=10).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
    assert statuses == [200, 200, 404, 400]
    log = log_path.read_text()
    assert log.count('"GET /infobutton HTTP/1.1"') == 4
    assert '"GET / HTTP/1.1" 200' in log  # the redirect was followed, and logged
    assert "Not Found: /infobutton" in log  # Django's own warnings are in the same log
    for secret in ("Patient-Jane-Doe", "MRN", "mainSearchCriteria", "G25.81", "?"):
        assert secret not in log, f"{secret!r} reached the log"


def test_make_serve_uses_the_query_free_log_format():
    # make serve runs deploy/serve.py: gunicorn with gunicorn.conf.py behind nginx, whose
    # own access log is checked in tests/test_serve.py and tests/test_privacy.py.
    assert (
        '"--config", str(ROOT / "gunicorn.conf.py")' in (ROOT / "deploy" / "serve.py").read_text()
    )
    config: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["logger_class"] == "rls_iron.access_log.QueryFreeAccessLogger"
    for leaky in ("%(q)s", "%(f)s", "%({"):
        assert leaky not in config["access_log_format"]
