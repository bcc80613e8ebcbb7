"""Every page over Django's test client: status, notices, fragments and headers."""

from __future__ import annotations

from itertools import pairwise

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.helpers import heading_levels, inline_code

PAGES = ["/", "/guide/", "/guide/first-part/", "/faq/", "/faq/question-one/", "/references/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_the_disclaimer_and_emergency_notice(client, content_folder, url):
    response = client.get(url)
    assert response.status_code == 200
    assertContains(response, "<p>Test disclaimer text.</p>", html=True)
    assertContains(response, '<a class="tel" href="tel:911">911</a>', html=True)
    assertContains(response, 'aria-label="Medical disclaimer"')


def test_guide_lists_every_section_with_its_anchor(client, content_folder):
    response = client.get("/")
    assertContains(response, '<a href="/guide/first-part/">First part</a>', html=True)
    assertContains(response, 'id="second-part"')
    assertContains(response, "Not yet reviewed by a clinician")
    assertContains(response, "27 November 2026")


def test_the_overview_shows_a_card_per_topic_with_its_summary_and_old_anchor(
    client, content_folder
):
    response = client.get("/")
    assertContains(
        response,
        '<li id="first-part" class="topic-card"><h3><a href="/guide/first-part/">First part</a>'
        "</h3><p>About first-part.</p></li>",
        html=True,
    )
    assertContains(response, '<a href="/guide/">The whole guide on one page</a>', html=True)
    assertNotContains(response, "Second body text.")  # the topics' text is on their pages


def test_the_whole_guide_page_holds_every_section(client, content_folder):
    response = client.get("/guide/")
    assertContains(response, 'id="first-part"')
    assertContains(response, "Second body text.")
    assertContains(
        response, '<a href="/guide/second-part/">Read “Second part” on its own page</a>', html=True
    )


def test_a_topic_page_has_its_text_contents_sources_and_neighbours(client, content_folder):
    content_folder.section(
        "first-part", 1, "### Before you go\n\nText [@beta].\n\n### After\n\nMore [@alpha].\n"
    )
    response = client.get("/guide/first-part/")
    assertContains(response, "<h1>First part</h1>", html=True)
    assertContains(response, '<a href="#first-part-before-you-go">Before you go</a>', html=True)
    assertContains(response, '<h3 id="first-part-after">After</h3>', html=True)
    sources = response.content.decode().split('id="sources-title"')[1]
    assert sources.index("ref-beta") < sources.index("ref-alpha")  # in order of citation
    assertContains(
        response,
        '<a href="/guide/second-part/" rel="next"><span>Next topic</span> Second part</a>',
        html=True,
    )
    assertNotContains(response, 'rel="prev"')
    last = client.get("/guide/second-part/")
    assertContains(
        last,
        '<a href="/guide/first-part/" rel="prev"><span>Previous topic</span> First part</a>',
        html=True,
    )
    assertNotContains(last, 'rel="next"')
    assertNotContains(last, 'id="sources-title"')  # it cites nothing


def test_a_topic_page_answers_at_its_spanish_address_too(client, content_folder):
    # This content folder has no Spanish files: /es/ shows the English text, in Spanish frames.
    response = client.get("/es/guide/first-part/")
    assertContains(response, "<h1>First part</h1>", html=True)
    assertContains(response, "Tema siguiente")


@pytest.mark.parametrize("url", ["/guide/no-such-topic/", "/es/guide/no-such-topic/"])
def test_an_unknown_topic_is_the_sites_404(client, content_folder, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    assert response.templates[0].name == "404.html"


def test_an_old_one_page_link_in_content_points_to_the_topic_page(client, content_folder):
    content_folder.faq("question-one", 1, "Is this it?", "See [the second](/#second-part).\n")
    response = client.get("/faq/question-one/")
    assertContains(response, '<a href="/guide/second-part/">the second</a>', html=True)


def test_a_name_in_reviewed_by_alone_is_not_a_review(client, content_folder):
    # A review shows only once record_review has tied it to the text (test_review_status.py).
    for slug, order in (("first-part", 1), ("second-part", 2)):
        content_folder.section(slug, order, "Reviewed text.\n", reviewed_by="Dr Test Person, MD")
    response = client.get("/")
    assertNotContains(response, "Reviewed by")
    assertContains(response, "Not yet reviewed by a clinician")


def test_faq_lists_each_question_as_a_real_link(client, content_folder):
    response = client.get("/faq/")
    assertContains(response, 'href="/faq/question-one/"')
    assertContains(response, 'hx-get="/faq/question-one/"')
    assertContains(response, "Is this the second question?")


def test_faq_answer_htmx_request_returns_fragment_only(client, content_folder):
    response = client.get("/faq/question-one/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Medical disclaimer" not in response.content
    assertContains(response, "Yes, it is")
    assert "HX-Request" in response["Vary"]


def test_faq_answer_without_htmx_is_a_whole_page(client, content_folder):
    response = client.get("/faq/question-one/")
    assertContains(response, "<h1>Is this the first question?</h1>", html=True)
    assertContains(response, "Yes, it is")
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("url", PAGES)
def test_headings_go_down_one_level_at_a_time(client, content_folder, url):
    # Screen reader users move by headings; Lighthouse's heading-order audit checks this too.
    # Content headings start at h3 (nh3 allows no h1 or h2), under a section's or answer's h2.
    subheading = "\n\n### What studies found\n\nIt helps [@beta].\n"
    content_folder.section("first-part", 1, "First body text [@beta]." + subheading)
    content_folder.faq("question-one", 1, "Is this the first question?", "Yes." + subheading)
    levels = heading_levels(client.get(url).content.decode())
    assert levels[0] == 1
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert skips == [], f"headings {levels} skip a level"


@pytest.mark.parametrize("url", ["/handout/", "/es/handout/", "/clinicians/", "/es/clinicians/"])
def test_staff_pages_of_the_real_content_keep_their_headings_in_order(client, url):
    # The handout prints the introduction, whose "Key points" is an h3 (### in site.md).
    levels = heading_levels(client.get(url).content.decode())
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert skips == [], f"headings {levels} skip a level"


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ],
)
def test_faq_answer_history_restore_and_boosted_get_the_whole_page(client, content_folder, headers):
    response = client.get("/faq/question-one/", headers=headers)
    assert b"<html" in response.content
    assertContains(response, "<h1>Is this the first question?</h1>", html=True)


def test_references_have_anchors_and_links(client, content_folder):
    response = client.get("/references/")
    assertContains(response, 'id="ref-alpha"')
    assertContains(response, 'href="https://doi.org/10.1/a"')
    assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/123/"')


def test_unknown_question_gets_the_friendly_404_page(client, content_folder):
    response = client.get("/faq/no-such-question/")
    assert response.status_code == 404
    assertContains(response, "We cannot find that page", status_code=404)
    assertContains(response, "Test disclaimer text.", status_code=404)


def test_unknown_path_gets_the_404_page(client, content_folder):
    response = client.get("/nothing/here/")
    assert response.status_code == 404
    assertContains(response, "We cannot find that page", status_code=404)


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_writes(client, content_folder, url):
    assert client.post(url).status_code == 405


def test_responses_carry_a_strict_content_security_policy(client, content_folder):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_contain_no_inline_script_or_style(client, content_folder):
    problems = []
    for url in PAGES:
        problems += inline_code(client.get(url).content.decode())
    assert problems == []


def test_content_that_cannot_load_gives_the_static_500_page(client, content_folder):
    # A cold start with broken content: there is no last good version to fall back on.
    (content_folder.language_dir / "site.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assertContains(response, "<h1>Something went wrong</h1>", html=True, status_code=500)
    assertContains(response, "1-800-222-1222", status_code=500)


@pytest.mark.parametrize("url", PAGES)
def test_patient_pages_set_no_cookies(client, content_folder, url):
    response = client.get(url)
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    ("prefix", "revised", "accessed"),
    [
        ("", "Label revised: November 2024.", "Accessed: November 2026."),
        ("/es", "Revisión de la etiqueta: noviembre de 2024.", "Consultado: noviembre de 2026."),
    ],
)
def test_sources_page_shows_label_revision_and_access_dates(client, prefix, revised, accessed):
    # The real content: the Injectafer label records both dates.
    response = client.get(f"{prefix}/references/")
    html = response.content.decode()
    start = html.index('id="ref-fda-injectafer"')
    entry = html[start : html.index("</li>", start)]
    assert revised in entry
    assert accessed in entry
