"""The HL7 Infobutton endpoint: requests per the URL guide, answers per the SOA guide, logs.

The answers are checked element by element, as a portal's code reads them: the Atom with
``xml.etree`` (order, attributes, languages), the JSON with ``json`` (arrays, ``_value``), and
once the way MedlinePlus Connect clients read it (``feed.entry[0].link[0].href``).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlencode, urlsplit

import pytest
from pytest_django.asserts import assertContains

from tests.servers import ROOT, gunicorn, http_request

ICD10 = "2.16.840.1.113883.6.90"
ICD9 = "2.16.840.1.113883.6.103"
SNOMED = "2.16.840.1.113883.6.96"
RXNORM = "2.16.840.1.113883.6.88"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
FEED_ORDER = ["title", "subtitle", "author", "updated", "category", "id", "link", "entry"]
ENTRY_ORDER = ["title", "link", "id", "updated", "summary"]


@pytest.fixture
def coded_content(content_folder):
    """The guide answers RLS codes; one answer also answers the ICD-10 code."""
    content_folder.write(
        "site.md",
        {
            "site_title": "Test Iron Site",
            "title": "Test guide title",
            "summary": "A test & more.",
            "codes": [
                {"system": "ICD-10-CM", "code": "G25.81"},
                {"system": "SNOMED CT", "code": "32914008"},
                {"system": "ICD-9-CM", "code": "333.94"},
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


def ask(client, *, response_type=None, headers=None, **params):
    names = {
        "cs": "mainSearchCriteria.v.cs",
        "c": "mainSearchCriteria.v.c",
        "dn": "mainSearchCriteria.v.dn",
        "lang": "informationRecipient.languageCode.c",
    }
    query = {names[key]: value for key, value in params.items()}
    if response_type:
        query["knowledgeResponseType"] = response_type
    return client.get("/infobutton?" + urlencode(query), headers=headers or {})


def children(element) -> list[str]:
    return [child.tag.removeprefix(ATOM) for child in element]


def in_order(tags: list[str], order: list[str]) -> bool:
    """The tags follow the schema's order (an element may repeat or be left out)."""
    positions = [order.index(tag) for tag in tags]
    return positions == sorted(positions)


# --------------------------------------------------------------------------- browsers


MATCHING = [
    (ICD10, "G25.81"),
    (ICD10, "G2581"),
    (ICD10, "g25.81"),
    (SNOMED, "32914008"),
    (ICD9, "333.94"),
    (ICD9, "33394"),
]


@pytest.mark.parametrize(("system", "code"), MATCHING)
@pytest.mark.parametrize("lang", [None, "en", "EN-us"])
def test_a_browser_with_a_known_code_is_sent_to_the_guide(
    client, coded_content, system, code, lang
):
    params = {"cs": system, "c": code} | ({"lang": lang} if lang else {})
    for response_type, headers in ((None, BROWSER), ("text/html", {}), ("TEXT/HTML", {})):
        response = ask(client, response_type=response_type, headers=headers, **params)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("accept", [None, "*/*", "text/xml", "application/xml, text/html;q=0.5"])
def test_any_other_client_without_a_response_type_gets_the_atom_feed(client, coded_content, accept):
    response = ask(client, cs=ICD10, c="G25.81", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert ET.fromstring(response.content).tag == f"{ATOM}feed"
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    ("system", "code"),
    [(ICD10, "E11.9"), (SNOMED, "44054006"), (RXNORM, "12345"), ("1.2.3.4", "G25.81")],
)
def test_an_unknown_code_gets_a_friendly_404_page(client, coded_content, system, code):
    response = ask(client, cs=system, c=code, dn="Type 2 diabetes", headers=BROWSER)
    assert response.status_code == 404
    assertContains(
        response, "<h1>We have no page for this diagnosis</h1>", html=True, status_code=404
    )
    assertContains(response, "“Type 2 diabetes”", status_code=404)
    assertContains(
        response, '<a href="/">Read the guide on iron and RLS</a>', html=True, status_code=404
    )


# --------------------------------------------------------------------------- Atom


def atom(client, **params):
    response = ask(client, response_type="text/xml", **params)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return response, ET.fromstring(response.content)


def test_the_atom_feed_follows_the_soa_profile_element_by_element(client, coded_content):
    response, feed = atom(client, cs=ICD10, c="G25.81", dn="Restless legs syndrome")
    assert response.status_code == 200
    assert feed.tag == f"{ATOM}feed"
    assert feed.get(XML_LANG) == "en"
    assert in_order(children(feed), FEED_ORDER), children(feed)
    for name in ("title", "subtitle"):
        assert feed.find(f"{ATOM}{name}").get("type") == "text"
    assert feed.find(f"{ATOM}title").text == "Test Iron Site"
    assert feed.find(f"{ATOM}subtitle").text == "Test Iron Site results for ICD-10-CM G25.81"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Test Iron Site"
    assert feed.find(f"{ATOM}author/{ATOM}uri").text == "http://testserver/"
    assert [(c.get("scheme"), c.get("term")) for c in feed.findall(f"{ATOM}category")] == [
        ("mainSearchCriteria.v.c", "G25.81"),
        ("mainSearchCriteria.v.cs", ICD10),
        ("mainSearchCriteria.v.dn", "Restless legs syndrome"),
        ("informationRecipient.languageCode.c", "en"),
    ]
    assert feed.find(f"{ATOM}id").text.startswith("urn:uuid:")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Test guide title",
        "Is this the second question?",
    ]
    for entry in entries:
        assert entry.get(XML_LANG) == "en"
        assert children(entry) == ENTRY_ORDER
        assert entry.find(f"{ATOM}title").get("type") == "text"
        assert entry.find(f"{ATOM}summary").get("type") == "html"
        link = entry.find(f"{ATOM}link")
        assert set(link.keys()) == {"href", "rel", "type", "hreflang", "title"}
        assert (link.get("rel"), link.get("hreflang")) == ("alternate", "en")
        assert link.get("title") == entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}id").text == link.get("href")
        assert entry.find(f"{ATOM}updated").text == feed.find(f"{ATOM}updated").text
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/"
    assert entries[0].find(f"{ATOM}summary").text == "A test &amp; more."  # HTML, escaped
    # Language only on the feed, the entries and the entry links (SOA §4.2.3.2).
    for element in feed.iter():
        if element is not feed and element.tag != f"{ATOM}entry":
            assert XML_LANG not in element.attrib
        if element.get("hreflang"):
            assert element.get("rel") == "alternate"


def test_the_atom_self_link_returns_this_same_feed(client, coded_content):
    response, feed = atom(client, cs=ICD10, c="G25.81")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("type") == "text/xml"
    address = urlsplit(self_link.get("href"))
    again = client.get(f"{address.path}?{address.query}")  # no Accept: only the link decides
    assert again.content == response.content


def test_feed_ids_are_unique_to_the_request_and_stable(client, coded_content):
    def feed_id(**params):
        return atom(client, **params)[1].find(f"{ATOM}id").text

    first = feed_id(cs=ICD10, c="G25.81")
    assert feed_id(cs=ICD10, c="G25.81") == first
    assert feed_id(cs=ICD10, c="G2581") != first
    assert feed_id(cs=ICD10, c="G25.81", lang="es") != first
    json_id = ask(client, cs=ICD10, c="G25.81", response_type="application/json").json()
    assert json_id["feed"]["id"]["_value"] == first  # the same request in another form


def test_a_spanish_request_gets_a_spanish_feed_and_spanish_entries(client):
    _, feed = atom(client, cs=ICD10, c="G25.81", lang="es")
    assert feed.get(XML_LANG) == "es"
    entry = feed.find(f"{ATOM}entry")
    assert entry.get(XML_LANG) == "es"
    assert entry.find(f"{ATOM}link").get("hreflang") == "es"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/es/"
    assert "resultados" in feed.find(f"{ATOM}subtitle").text


@pytest.mark.parametrize(("system", "code"), [(ICD10, "E11.9"), (RXNORM, "12345")])
def test_no_match_is_a_feed_with_no_entries(client, coded_content, system, code):
    response, feed = atom(client, cs=system, c=code)
    assert response.status_code == 200
    assert feed.findall(f"{ATOM}entry") == []
    assert in_order(children(feed), FEED_ORDER)
    assert feed.find(f"{ATOM}title").text == "Test Iron Site"


def test_a_bad_atom_request_gets_an_xml_400(client, coded_content):
    response = ask(client, cs=ICD10, response_type="text/xml")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert (root.tag, root.get("status")) == ("error", "400")
    assert [p.text for p in root.findall("problem")] == [
        "mainSearchCriteria.v.c (the diagnosis code) is missing."
    ]


# --------------------------------------------------------------------------- JSON


def as_json(client, **params) -> dict:
    response = ask(client, response_type="application/json", **params)
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_json_mirrors_the_atom_as_section_4_4_says(client, coded_content):
    document = as_json(client, cs=ICD10, c="G25.81")
    assert list(document) == ["feed"]
    feed = document["feed"]
    assert feed["lang"] == "en"
    assert feed["title"] == {"type": "text", "_value": "Test Iron Site"}
    assert feed["subtitle"]["_value"] == "Test Iron Site results for ICD-10-CM G25.81"
    assert feed["author"] == [
        {"name": {"_value": "Test Iron Site"}, "uri": {"_value": "http://testserver/"}}
    ]
    assert feed["updated"]["_value"].endswith("Z")
    assert feed["category"][0] == {"scheme": "mainSearchCriteria.v.c", "term": "G25.81"}
    assert [link["rel"] for link in feed["link"]] == ["self"]
    assert len(feed["entry"]) == 2
    entry = feed["entry"][0]
    assert entry == {
        "lang": "en",
        "title": {"type": "text", "_value": "Test guide title"},
        "link": [
            {
                "href": "http://testserver/",
                "rel": "alternate",
                "type": "text/html",
                "hreflang": "en",
                "title": "Test guide title",
            }
        ],
        "id": {"_value": "http://testserver/"},
        "updated": feed["updated"],
        "summary": {"type": "html", "_value": "A test &amp; more."},
    }
    # Same tree as the Atom: every element name and value appears in both.
    _, atom_feed = atom(client, cs=ICD10, c="G25.81")
    assert [e.find(f"{ATOM}title").text for e in atom_feed.findall(f"{ATOM}entry")] == [
        e["title"]["_value"] for e in feed["entry"]
    ]


def test_html_characters_in_the_json_are_escaped_as_the_guide_says(client, coded_content):
    text = ask(client, cs=ICD10, c="G25.81", response_type="application/json").content.decode()
    assert "\\u003d" in text  # the "=" of the self link's query
    for raw in ("<", ">", "="):
        assert raw not in text


def medlineplus_client_titles_and_links(body: bytes) -> list[tuple[str, str]]:
    """As MedlinePlus Connect clients read the JSON (their documented sample's paths)."""
    data = json.loads(body)
    return [
        (data["feed"]["entry"][i]["title"]["_value"], data["feed"]["entry"][i]["link"][0]["href"])
        for i in range(len(data["feed"]["entry"]))
    ]


def test_a_client_written_for_medlineplus_finds_our_guide(client):
    response = ask(client, cs=ICD10, c="G25.81", response_type="application/json")
    found = medlineplus_client_titles_and_links(response.content)
    assert found[0] == (
        "Iron treatment for restless legs syndrome",
        "http://testserver/",
    )


@pytest.mark.parametrize(("system", "code"), [(ICD10, "E11.9"), (RXNORM, "12345")])
def test_no_match_in_json_still_has_every_array(client, coded_content, system, code):
    feed = as_json(client, cs=system, c=code)["feed"]
    assert feed["entry"] == []
    assert isinstance(feed["author"], list)
    assert isinstance(feed["category"], list)
    assert isinstance(feed["link"], list)
    assert medlineplus_client_titles_and_links(json.dumps({"feed": feed}).encode()) == []


def test_a_bad_json_request_gets_a_json_400(client, coded_content):
    response = ask(client, cs="not-an-oid", c="G25.81", response_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["error"]["status"] == 400
    assert document["error"]["problems"] == [
        "mainSearchCriteria.v.cs must be a code system OID, such as 2.16.840.1.113883.6.90 "
        "for ICD-10-CM, 2.16.840.1.113883.6.96 for SNOMED CT, 2.16.840.1.113883.6.103 "
        "for ICD-9-CM."
    ]


@pytest.mark.parametrize("response_type", ["text/plain", "application/atom+xml", "json"])
def test_an_unknown_response_type_gets_a_json_400(client, coded_content, response_type):
    response = ask(client, cs=ICD10, c="G25.81", response_type=response_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    (problem,) = json.loads(response.content)["error"]["problems"]
    assert problem.startswith("knowledgeResponseType must be one of text/xml, application/json")


@pytest.mark.parametrize(
    "response_type", ["APPLICATION/JSON", "application/json; charset=utf-8", " Application/Json "]
)
def test_the_response_type_is_read_without_case_or_parameters(client, coded_content, response_type):
    response = ask(client, cs=ICD10, c="G25.81", response_type=response_type)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# --------------------------------------------------------------------------- JSON-P


def jsonp(client, callback, **params):
    query = {"knowledgeResponseType": "application/javascript", "callback": callback}
    names = {"cs": "mainSearchCriteria.v.cs", "c": "mainSearchCriteria.v.c"}
    query |= {names[key]: value for key, value in params.items()}
    return client.get("/infobutton?" + urlencode(query))


@pytest.mark.parametrize("callback", ["showResults", "jQuery3600_17001", "app.infobutton.show"])
def test_jsonp_wraps_the_json_in_the_named_function(client, coded_content, callback):
    response = jsonp(client, callback, cs=ICD10, c="G25.81")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    text = response.content.decode()
    prefix = f"/**/{callback}("
    assert text.startswith(prefix)
    assert text.endswith(");")
    document = json.loads(text.removeprefix(prefix).removesuffix(");"))
    assert document["feed"]["entry"] == as_json(client, cs=ICD10, c="G25.81")["feed"]["entry"]
    assert document["feed"]["link"][0]["type"] == "application/javascript"
    assert document["feed"]["entry"][0]["link"][0]["href"] == "http://testserver/"


@pytest.mark.parametrize(
    "callback",
    ["", "alert(1)", "a;b", "x</script>", "1abc", "a" * 80, "a..b", "f\u2028g", "cb//"],
)
def test_a_bad_callback_is_a_400_and_never_reflected(client, coded_content, callback):
    response = jsonp(client, callback, cs=ICD10, c="G25.81")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    problems = json.loads(response.content)["error"]["problems"]
    assert problems == [
        "application/javascript needs a callback parameter: "
        "a JavaScript function name, like showList."
    ]
    if callback:
        assert callback.encode() not in response.content


def test_a_bad_jsonp_request_is_explained_to_its_callback(client, coded_content):
    response = jsonp(client, "show", cs=ICD10)
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("/**/show(")
    assert (
        "is missing"
        in json.loads(text.removeprefix("/**/show(").removesuffix(");"))["error"]["problems"][0]
    )


# --------------------------------------------------------------------------- requests


def test_suffixed_criteria_match_when_rls_is_anywhere_in_the_list(client, coded_content):
    query = {
        "mainSearchCriteria.v.c": "1202",
        "mainSearchCriteria.v.cs": RXNORM,
        "mainSearchCriteria.v.dn": "atenolol",
        "mainSearchCriteria.v.c1": "401.1",
        "mainSearchCriteria.v.cs1": ICD9,
        "mainSearchCriteria.v.c2": "333.94",
        "mainSearchCriteria.v.cs2": ICD9,
        "mainSearchCriteria.v.dn2": "Restless legs",
        "knowledgeResponseType": "text/xml",
    }
    feed = ET.fromstring(client.get("/infobutton?" + urlencode(query)).content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == ["http://testserver/"]
    schemes = [c.get("scheme") for c in feed.findall(f"{ATOM}category")]
    assert schemes[:8] == [
        "mainSearchCriteria.v.c",
        "mainSearchCriteria.v.cs",
        "mainSearchCriteria.v.dn",
        "mainSearchCriteria.v.c1",
        "mainSearchCriteria.v.cs1",
        "mainSearchCriteria.v.c2",
        "mainSearchCriteria.v.cs2",
        "mainSearchCriteria.v.dn2",
    ]
    browser = client.get(
        "/infobutton?" + urlencode(query | {"knowledgeResponseType": ""}), headers=BROWSER
    )
    assert (browser.status_code, browser["Location"]) == (302, "/")


def test_a_suffixed_code_without_its_code_system_is_a_400(client, coded_content):
    query = {
        "mainSearchCriteria.v.c": "G25.81",
        "mainSearchCriteria.v.cs": ICD10,
        "mainSearchCriteria.v.c1": "333.94",
        "knowledgeResponseType": "application/json",
    }
    response = client.get("/infobutton?" + urlencode(query))
    assert response.status_code == 400
    assert "(the code system) is missing" in response.json()["error"]["problems"][0]


def test_a_display_name_alone_is_valid_and_gets_no_match(client, coded_content):
    document = as_json(client, dn="Restless legs syndrome")
    assert document["feed"]["entry"] == []
    assert document["feed"]["category"][0] == {
        "scheme": "mainSearchCriteria.v.dn",
        "term": "Restless legs syndrome",
    }
    page = ask(client, dn="Restless legs syndrome", headers=BROWSER)
    assert page.status_code == 404
    assertContains(page, "“Restless legs syndrome”", status_code=404)


def test_the_icd9_code_for_rls_is_recognised(client):
    feed = as_json(client, cs=ICD9, c="333.94")["feed"]
    assert feed["entry"][0]["link"][0]["href"] == "http://testserver/"
    assert feed["subtitle"]["_value"].endswith("results for ICD-9-CM 333.94")
    bad = ask(client, cs=ICD9, c="G25.81", response_type="application/json")
    assert bad.status_code == 400
    assert "not a valid ICD-9-CM code, for example 333.94" in bad.json()["error"]["problems"][0]


def test_a_form_post_is_answered_like_a_get_without_a_csrf_token(client, coded_content):
    form = {"mainSearchCriteria.v.cs": ICD10, "mainSearchCriteria.v.c": "G25.81"}
    client.handler.enforce_csrf_checks = True
    posted = client.post("/infobutton", form | {"knowledgeResponseType": "application/json"})
    assert posted.status_code == 200
    got = client.get("/infobutton", form | {"knowledgeResponseType": "application/json"})
    assert posted.content == got.content  # the self link is the GET address of the request
    page = client.post("/infobutton", form, headers=BROWSER)
    assert (page.status_code, page["Location"]) == (303, "/")
    empty = client.post("/infobutton", {"knowledgeResponseType": "text/xml"})
    assert empty.status_code == 400


def test_other_methods_are_refused(client, coded_content):
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/infobutton").status_code == 405


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
            "&informationRecipient.languageCode.c=english%21",
            "must be a language code",
        ),
        (
            f"mainSearchCriteria.v.cs={ICD10}&mainSearchCriteria.v.c=G25.81&informationRecipient=X",
            "informationRecipient must be one of PAT, PROV, PAYOR",
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
    response = client.get("/infobutton?" + query, headers=BROWSER)
    assert response.status_code == 400
    assertContains(response, "<h1>This link is not complete</h1>", html=True, status_code=400)
    assertContains(response, explanation, status_code=400)
    assertContains(response, "Links that work", status_code=400)


def test_the_real_guide_answers_the_rls_codes(client):
    for system, code in (
        (ICD10, "G25.81"),
        (ICD10, "g2581"),
        (SNOMED, "32914008"),
        (ICD9, "333.94"),
    ):
        response = ask(client, cs=system, c=code, headers=BROWSER)
        assert (response.status_code, response["Location"]) == (302, "/")


# --------------------------------------------------------------------------- CORS


def test_infobutton_answers_carry_cors_for_any_origin_without_credentials(client, coded_content):
    origin = {"Origin": "https://portal.example"}
    for response in (
        ask(client, cs=ICD10, c="G25.81", response_type="application/json", headers=origin),
        ask(client, cs=ICD10, response_type="text/xml", headers=origin),  # a 400 too
        client.post("/infobutton", {"mainSearchCriteria.v.dn": "x"}, headers=origin),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response


def test_a_cors_preflight_is_allowed_for_get_and_post(client):
    response = client.options(
        "/infobutton",
        headers={
            "Origin": "https://portal.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Content-Type" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    assert response.content == b""


@pytest.mark.parametrize(
    "path", ["/", "/faq/", "/es/", "/clinicians/", "/sitemap.xml", "/qr/faq.svg"]
)
def test_no_other_address_gets_cors(client, path):
    for method in ("get", "options"):
        response = getattr(client, method)(path, headers={"Origin": "https://portal.example"})
        assert not any(name.startswith("Access-Control-") for name in response.headers), path


# --------------------------------------------------------------------------- real server


def test_a_real_server_answers_a_form_post_and_the_cors_preflight(production_server):
    form = urlencode(
        {
            "mainSearchCriteria.v.cs": ICD9,
            "mainSearchCriteria.v.c": "333.94",
            "knowledgeResponseType": "application/json",
        }
    ).encode()
    status, headers, body = http_request(
        production_server,
        "/infobutton",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://x.example",
        },
    )
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, "*")
    assert medlineplus_client_titles_and_links(body)[0][1].endswith("/")
    status, headers, _ = http_request(
        production_server,
        "/infobutton",
        method="OPTIONS",
        headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"},
    )
    assert (status, headers["Access-Control-Allow-Methods"]) == (204, "GET, POST, OPTIONS")
    status, headers, _ = http_request(production_server, "/", method="OPTIONS")
    assert status == 405
    assert headers.get("Access-Control-Allow-Origin") is None


def test_updated_is_the_same_on_two_separate_servers(production_server, static_root):
    query = "/infobutton?" + urlencode(
        {
            "mainSearchCriteria.v.cs": ICD10,
            "mainSearchCriteria.v.c": "G25.81",
            "knowledgeResponseType": "text/xml",
        }
    )
    _, _, first = http_request(production_server, query)
    with gunicorn(static_root, workers=1) as other:
        _, _, second = http_request(other, query)
    stamps = [ET.fromstring(body).find(f"{ATOM}updated").text for body in (first, second)]
    assert stamps[0] == stamps[1]
    # The content's own last change, not when a worker started.
    newest = max(path.stat().st_mtime for path in (ROOT / "content").glob("*/**/*.md"))
    assert stamps[0] == dt.datetime.fromtimestamp(int(newest), dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


# --------------------------------------------------------------------------- logs

SECRET_QUERY = {
    "mainSearchCriteria.v.cs": ICD10,
    "mainSearchCriteria.v.c": "G25.81",
    "mainSearchCriteria.v.dn": "Patient-Jane-Doe-MRN-4471",
    "knowledgeResponseType": "application/json",
}


def test_gunicorn_and_django_logs_never_contain_infobutton_query_strings(tmp_path, static_root):
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
                headers={
                    "Referer": "https://portal.example/chart?patient=Patient-Jane-Doe",
                    **BROWSER,
                },
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


def test_a_coded_topic_is_answered_with_its_own_page(client, content_folder):
    """Issue 18: a topic has its own address now, and every kind of answer links to it."""
    iron_code = [{"system": "ICD-10-CM", "code": "D50.9"}]
    content_folder.section("iron-pills", 7, "Take them with water.\n", codes=iron_code)
    topic = "http://testserver/guide/iron-pills/"
    _, feed = atom(client, cs=ICD10, c="D50.9")
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert links == [topic]
    document = as_json(client, cs=ICD10, c="D50.9")
    assert [entry["link"][0]["href"] for entry in document["feed"]["entry"]] == [topic]
    response = ask(client, response_type="text/html", cs=ICD10, c="D50.9")
    assert (response.status_code, response["Location"]) == (302, "/guide/iron-pills/")
