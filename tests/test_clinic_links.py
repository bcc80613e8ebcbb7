"""Links for clinic staff over Django's test client: deep links, old addresses, embed, QR, pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from rls_iron.content import ContentError, load_guide
from rls_iron.embed import rewrite_links
from tests.helpers import inline_code, links_by_href


def problems_of(folder) -> list:
    with pytest.raises(ContentError) as raised:
        load_guide(folder.root)
    return list(raised.value.errors)


# --------------------------------------------------------------------------- deep links


def test_each_section_heading_links_to_its_anchor_and_has_a_copy_button(client, content_folder):
    # On the whole guide on one page; the copy button gives the topic's own page.
    response = client.get("/guide/")
    assertContains(
        response,
        '<h2 id="first-part-title"><a class="heading-link" href="#first-part">First part</a></h2>',
        html=True,
    )
    assertContains(
        response,
        '<button type="button" class="copy-link" data-copy-link="/guide/first-part/" hidden>'
        'Copy link<span class="visually-hidden"> to “First part”</span></button>',
        html=True,
    )
    assertContains(client.get("/guide/first-part/"), 'data-copy-link="/guide/first-part/"')


def test_a_new_title_keeps_the_section_and_answer_addresses(client, content_folder):
    before = links_by_href(client.get("/guide/").content.decode())
    content_folder.section("first-part", 1, "First body text [@beta].\n", title="A new title")
    content_folder.faq("question-one", 1, "A reworded first question?", "Yes, it is [@beta].\n")
    after_guide = client.get("/guide/").content.decode()
    assert "A new title" in after_guide
    assert "#first-part" in before
    assert links_by_href(after_guide)["#first-part"]["class"] == "heading-link"
    assertContains(client.get("/guide/first-part/"), "<h1>A new title</h1>", html=True)
    assert links_by_href(client.get("/").content.decode())["/guide/first-part/"]
    answer = client.get("/faq/question-one/")
    assertContains(answer, "<h1>A reworded first question?</h1>", html=True)
    assertContains(answer, 'data-copy-link="/faq/question-one/"')


def test_faq_page_holds_a_print_only_list_of_every_answer(client, content_folder):
    response = client.get("/faq/")
    assertContains(
        response,
        '<section class="faq-print-item"><h2>Is this the second question?</h2>'
        "<p>Yes, the second.</p></section>",
        html=True,
    )
    assertContains(response, "Yes, it is")


def test_an_answer_loaded_in_place_has_a_copy_link_to_its_own_page(client, content_folder):
    response = client.get("/faq/question-two/", headers={"HX-Request": "true"})
    assertContains(response, 'data-copy-link="/faq/question-two/"')


# --------------------------------------------------------------------------- old addresses


def test_an_old_section_address_answers_301_to_the_section(client, content_folder):
    content_folder.section("first-part", 1, "Text.\n", aliases=["/first/", "/old/first.html"])
    for old in ("/first/", "/old/first.html"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/guide/first-part/"


def test_an_old_answer_address_answers_301_to_the_answer(client, content_folder):
    content_folder.write(
        "faq/question-two.md",
        {"question": "Second?", "slug": "question-two", "order": 2, "aliases": ["/faq/old-two/"]},
        "Yes.\n",
    )
    response = client.get("/faq/old-two/")
    assert response.status_code == 301
    assert response["Location"] == "/faq/question-two/"
    assert client.get("/faq/never-was/").status_code == 404


def test_an_alias_on_the_guide_leads_home(client, content_folder):
    content_folder.write(
        "site.md",
        {"site_title": "T", "title": "Guide", "summary": "S.", "aliases": ["/rls-iron/"]},
        "Welcome [@alpha].\n",
    )
    response = client.get("/rls-iron/")
    assert (response.status_code, response["Location"]) == (301, "/")


def test_two_files_with_the_same_alias_fail_with_file_and_line(content_folder):
    content_folder.section("first-part", 1, "Text.\n", aliases=["/old/"])
    path = content_folder.language_dir / "sections/02-second-part.md"
    text = path.read_text().replace("---\n", "---\naliases:\n  - /other/\n  - /old/\n", 1)
    path.write_text(text)
    [problem] = problems_of(content_folder)
    assert problem.code == "rls_iron.E013"
    assert problem.path.endswith("sections/02-second-part.md")
    assert problem.line == 4  # the line that lists /old/
    assert "sections/01-first-part.md" in problem.message


@pytest.mark.parametrize("alias", ["/", "/faq/", "/faq/question-two/", "/references", "/handout/"])
def test_an_alias_that_is_a_live_address_fails_validation(content_folder, alias):
    content_folder.section("first-part", 1, "Text.\n", aliases=[alias])
    [problem] = problems_of(content_folder)
    assert problem.code == "rls_iron.E013"
    assert alias in problem.message


@pytest.mark.parametrize("alias", ["old-page", "https://example.org/x", "/a b/", "/x?y=1", "/../x"])
def test_an_alias_that_is_not_a_site_path_is_refused(content_folder, alias):
    content_folder.section("first-part", 1, "Text.\n", aliases=[alias])
    [problem] = problems_of(content_folder)
    assert problem.code == "rls_iron.E005"
    assert "aliases" in problem.message


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([{"system": "LOINC", "code": "1-8"}], "code system 'LOINC'"),
        ([{"system": "ICD-10-CM", "code": "not a code"}], "not a valid ICD-10-CM code"),
        ([{"system": "SNOMED CT", "code": "G25.81"}], "not a valid SNOMED CT code"),
        ("G25.81", "must be a list"),
        (
            [{"system": "ICD-10-CM", "code": "G25.81"}, {"system": "icd-10-cm", "code": "g2581"}],
            "twice",
        ),
    ],
)
def test_malformed_codes_are_refused_with_a_reason(content_folder, codes, expected):
    content_folder.section("first-part", 1, "Text.\n", codes=codes)
    [problem] = problems_of(content_folder)
    assert problem.code == "rls_iron.E005"
    assert expected in problem.message


# --------------------------------------------------------------------------- embed


@pytest.fixture
def embed_allowed(settings):
    settings.EMBED_ORIGINS = ["https://portal.example.org"]


def test_embed_view_has_no_header_but_keeps_the_notices(client, content_folder):
    response = client.get("/embed/")
    assert response.status_code == 200
    assertNotContains(response, 'aria-label="Main"')
    assertNotContains(response, "site-header")
    assertContains(response, "<p>Test disclaimer text.</p>", html=True)
    assertContains(response, '<a class="tel" href="tel:911">911</a>', html=True)


def test_embed_links_stay_in_embed_mode_and_outside_links_open_a_new_tab(client, content_folder):
    guide_links = links_by_href(client.get("/embed/").content.decode())
    assert "/embed/faq/" in guide_links
    assert "/embed/references/#ref-alpha" in guide_links
    assert "/faq/" not in guide_links
    full_guide = guide_links["/"]
    assert (full_guide["target"], full_guide["rel"]) == ("_blank", "noopener noreferrer")
    reference_links = links_by_href(client.get("/embed/references/").content.decode())
    outside = reference_links["https://doi.org/10.1/a"]
    assert (outside["target"], outside["rel"]) == ("_blank", "noopener noreferrer")
    assertContains(
        client.get("/embed/references/"),
        '<a href="https://doi.org/10.1/a" rel="noopener noreferrer" target="_blank">DOI 10.1/a'
        '<span class="visually-hidden"> (opens in a new tab)</span></a>',
        html=True,
    )
    faq_page = client.get("/embed/faq/")
    assertContains(faq_page, 'hx-get="/embed/faq/question-one/"')
    assertNotContains(faq_page, 'hx-get="/faq/')


def test_embed_pages_refuse_framing_until_an_origin_is_allowed(client, content_folder):
    response = client.get("/embed/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_allowed_origins_may_frame_embed_pages_only(client, content_folder, embed_allowed):
    embedded = client.get("/embed/faq/question-one/")
    policy = embedded["Content-Security-Policy"]
    assert "frame-ancestors https://portal.example.org" in policy
    assert "script-src 'self'" in policy
    assert "X-Frame-Options" not in embedded
    for url in ("/", "/faq/question-one/", "/clinicians/", "/handout/"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/embed/clinicians/", "/embed/admin/", "/embed/nothing/"])
def test_only_patient_pages_can_be_embedded(client, content_folder, url):
    assert client.get(url).status_code == 404


def test_an_old_address_inside_embed_mode_stays_in_embed_mode(client, content_folder):
    content_folder.section("first-part", 1, "Text.\n", aliases=["/first/"])
    response = client.get("/embed/first/")
    assert (response.status_code, response["Location"]) == (301, "/embed/guide/first-part/")


def test_embed_origins_setting_refuses_anything_but_origins(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from rls_iron import settings as site_settings

    monkeypatch.setenv("RLS_IRON_EMBED_ORIGINS", "https://ok.example, *; script-src *")
    with pytest.raises(ImproperlyConfigured, match="is not an origin"):
        site_settings._embed_origins()
    monkeypatch.setenv("RLS_IRON_EMBED_ORIGINS", "https://a.example, http://127.0.0.1:8114")
    assert site_settings._embed_origins() == ["https://a.example", "http://127.0.0.1:8114"]


def test_link_rewriting_leaves_everything_else_byte_for_byte():
    html = (
        '<!doctype html><html><head><link href="/static/x.css" rel=stylesheet></head>'
        "<body><p class=a>Tom &amp; Jerry &#8212; <b>bold</b><!-- note --></p>"
        '<img src=/qr/index.svg alt="x"><a href="#main">top</a></body></html>'
    )
    assert rewrite_links(html) == html


# --------------------------------------------------------------------------- QR codes


def test_qr_code_is_a_cacheable_svg_of_the_page_address(client, content_folder):
    response = client.get("/qr/faq/question-one.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    svg = ET.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.find("{http://www.w3.org/2000/svg}title").text == (
        "QR code for http://testserver/faq/question-one/"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/qr/https://evil.example/.svg",
        "/qr/evil.example.svg",
        "/qr/faq/no-such-answer.svg",
        "/qr/admin.svg",
        "/qr/editor.svg",
        "/qr/..%2F..%2Fetc.svg",
        "/qr/faq//question-one.svg",
        "/qr/hello%20world.svg",
    ],
)
def test_qr_codes_are_refused_for_anything_but_this_sites_pages(client, content_folder, url):
    assert client.get(url).status_code == 404


def test_qr_codes_use_the_public_site_address_when_set(client, content_folder, settings):
    settings.SITE_URL = "https://rls-iron.example.org"
    svg = ET.fromstring(client.get("/qr/index.svg").content)
    title = svg.find("{http://www.w3.org/2000/svg}title").text
    assert title == "QR code for https://rls-iron.example.org/"


# --------------------------------------------------------------------------- pages


def test_handout_has_key_points_checklist_review_date_and_qr_code(client, content_folder):
    content_folder.section("second-part", 2, "- Ask this?\n- And that?\n", checklist=True)
    response = client.get("/handout/")
    assert response.status_code == 200
    assertContains(response, "Welcome to the test guide")
    assertInHTML("<ul><li>Ask this?</li><li>And that?</li></ul>", response.content.decode())
    assertContains(response, 'class="checklist handout-checklist"')
    assertContains(response, '<time datetime="2026-11-27">27 November 2026</time>', html=True)
    assertContains(response, 'src="/qr/index.svg"')


def test_clinicians_page_is_in_the_footer_not_the_main_navigation(client, content_folder):
    response = client.get("/faq/")
    assertContains(
        response,
        '<p class="staff-link"><a href="/clinicians/">'
        "For clinic staff: links, embedding and handouts</a></p>",
        html=True,
    )
    nav = response.content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
    assert "/clinicians/" not in nav


def test_every_infobutton_example_on_the_clinicians_page_works(client, content_folder):
    content_folder.write(
        "site.md",
        {
            "site_title": "T",
            "title": "Guide",
            "summary": "S.",
            "codes": [{"system": "ICD-10-CM", "code": "G25.81"}],
        },
        "Welcome [@alpha].\n",
    )
    page = client.get("/clinicians/").content.decode()
    examples = [href for href in links_by_href(page) if href.startswith("/infobutton?")]
    assert len(examples) == 3
    statuses = sorted(client.get(href).status_code for href in examples)
    assert statuses == [200, 200, 302]


@pytest.mark.parametrize("url", ["/clinicians/", "/handout/", "/embed/", "/embed/faq/"])
def test_new_pages_set_no_cookies_and_have_no_inline_script_or_style(client, content_folder, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert inline_code(response.content.decode()) == []


def test_site_url_setting_must_be_a_plain_address(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from rls_iron import settings as site_settings

    monkeypatch.setenv("RLS_IRON_SITE_URL", "https://rls-iron.example.org/")
    assert site_settings._site_url() == "https://rls-iron.example.org"
    monkeypatch.setenv("RLS_IRON_SITE_URL", "javascript:alert(1)")
    with pytest.raises(ImproperlyConfigured, match="is not a site address"):
        site_settings._site_url()


@pytest.mark.parametrize(("url", "language"), [("/clinicians/", "en"), ("/es/clinicians/", "es")])
def test_the_staff_page_shows_a_real_infobutton_request_and_this_sites_answer(
    client, url, language
):
    page = client.get(url).content.decode()
    blocks = [
        unescape(b) for b in re.findall(r'<pre class="sample"><code>(.*?)</code></pre>', page, re.S)
    ]
    request = next(block for block in blocks if "/infobutton?" in block)
    answer = json.loads(next(block for block in blocks if block.startswith("{")))
    assert "knowledgeResponseType=application%2Fjson" in request
    # The answer shown is what the request really gets.
    live = client.get(request.removeprefix("http://testserver")).json()
    assert answer == live
    assert answer["feed"]["entry"][0]["link"][0]["href"].startswith("http://testserver/")
    assert answer["feed"]["lang"] == language


def test_a_topic_page_can_be_embedded_and_its_links_stay_in_embed_mode(client, content_folder):
    """Issue 18: the topics have their own pages; a portal can frame one and read on."""
    response = client.get("/embed/guide/first-part/")
    assert response.status_code == 200
    assertNotContains(response, "site-header")
    links = links_by_href(response.content.decode())
    assert "/embed/guide/second-part/" in links  # "next topic" stays inside the frame
    assert "/embed/references/#ref-beta" in links
    assert not [href for href in links if href.startswith("/guide/")]


def test_a_topic_page_has_a_qr_code_of_its_own_address(client, content_folder):
    response = client.get("/qr/guide/first-part.svg")
    assert response.status_code == 200
    svg = ET.fromstring(response.content)
    assert svg.find("{http://www.w3.org/2000/svg}title").text == (
        "QR code for http://testserver/guide/first-part/"
    )
    assert client.get("/qr/guide/no-such-topic.svg").status_code == 404
