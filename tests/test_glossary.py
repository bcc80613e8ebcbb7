"""Glossary: terms marked at their first use in each section and answer, the A-Z page, checks."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertInHTML

from rls_iron.content import get_guide, load_guide, validate_content
from tests.helpers import link_texts

FERRITIN = "A blood test that shows how much iron your body has stored."


def term_links(html: str) -> list[tuple[str, str, str]]:
    """Every glossary term link in a piece of HTML: (text, href, title)."""
    return [
        (text, attrs["href"], attrs["title"])
        for attrs, text in link_texts(html)
        if "term" in (attrs.get("class") or "").split()
    ]


@pytest.fixture
def glossary_folder(content_folder):
    content_folder.glossary_term("ferritin", "Ferritin", FERRITIN)
    content_folder.glossary_term(
        "transferrin-saturation",
        "Transferrin saturation",
        "A blood test that shows how much iron is ready to use.",
        also="TSAT",
    )
    content_folder.glossary_term("heme-iron", "Heme iron", "Iron from meat and fish.")
    content_folder.glossary_term("non-heme-iron", "Non-heme iron", "Iron from plants.")
    content_folder.section(
        "first-part",
        1,
        """\
        ### Ferritin in a heading is not marked

        Your ferritin shows stored iron. Ask about ferritin and TSAT too.

        Ferritin again, and [ferritin in a link](/faq/) and tsat in small letters.

        !!! emergency "Call 911 if:"
            - your heme iron something

        !!! today "Get care today if:"
            - your ferritin in a care-today box

        Non-heme iron is in beans. Heme iron is in meat.
        """,
    )
    content_folder.section("second-part", 2, "Ferritins again in a new section.\n")
    content_folder.faq("question-one", 1, "Is this the first question?", "Ferritin, yes.\n")
    return content_folder


def test_first_use_of_each_term_in_a_section_is_marked_and_later_uses_are_not(glossary_folder):
    guide = get_guide()
    first, second = guide.sections
    assert term_links(first.body_html) == [
        ("ferritin", "/glossary/#ferritin", FERRITIN),
        ("TSAT", "/glossary/#transferrin-saturation", guide.glossary[-1].definition_text),
        ("Non-heme iron", "/glossary/#non-heme-iron", "Iron from plants."),
        ("Heme iron", "/glossary/#heme-iron", "Iron from meat and fish."),
    ]
    # A new section (and a plural) starts again; so does each FAQ answer.
    assert term_links(second.body_html) == [("Ferritins", "/glossary/#ferritin", FERRITIN)]
    assert term_links(guide.faq[0].body_html) == [("Ferritin", "/glossary/#ferritin", FERRITIN)]


def test_terms_in_headings_links_and_emergency_boxes_are_left_alone(glossary_folder):
    html = get_guide().sections[0].body_html
    assertInHTML(
        '<h3 id="first-part-ferritin-in-a-heading-is-not-marked">'
        "Ferritin in a heading is not marked</h3>",
        html,
    )
    assertInHTML('<a href="/faq/">ferritin in a link</a>', html)
    assertInHTML("<li>your heme iron something</li>", html)
    assertInHTML("<li>your ferritin in a care-today box</li>", html)


def test_acronyms_match_only_in_capitals(glossary_folder):
    html = get_guide().sections[0].body_html
    assert "tsat in small letters" in html


def test_the_marked_term_keeps_the_text_around_it(glossary_folder):
    html = get_guide().sections[0].body_html
    assertInHTML(
        f'<p>Your <a class="term" href="/glossary/#ferritin" title="{FERRITIN}">ferritin</a>'
        " shows stored iron. Ask about ferritin and "
        '<a class="term" href="/glossary/#transferrin-saturation" '
        'title="A blood test that shows how much iron is ready to use.">TSAT</a> too.</p>',
        html,
    )


def test_a_definition_with_quotes_and_markup_is_escaped_in_the_title(content_folder):
    content_folder.glossary_term("first", "First", 'Say "first" <script>alert(1)</script> & go.')
    html = get_guide().sections[0].body_html
    ((text, _, title),) = term_links(html)
    assert text == "First"
    assert title == 'Say "first" & go.'
    assert "<script" not in html


def test_glossary_page_lists_terms_a_to_z_with_anchors(client, glossary_folder):
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.index('id="ferritin"')
        < html.index('id="heme-iron"')
        < html.index('id="non-heme-iron"')
        < html.index('id="transferrin-saturation"')
    )
    assertContains(response, '<a href="#letter-f">F</a>', html=True)
    assertContains(response, '<h2 id="letter-n">N</h2>', html=True)
    assertContains(response, '<p class="also">Also called: TSAT</p>', html=True)
    assertContains(response, f"<p>{FERRITIN}</p>", html=True)


def test_the_guide_page_links_terms_to_the_glossary_without_javascript(client, glossary_folder):
    response = client.get("/guide/")
    assertContains(
        response,
        f'<a class="term" href="/glossary/#ferritin" title="{FERRITIN}">ferritin</a>',
        html=True,
    )


def test_content_may_link_to_glossary_terms_and_a_wrong_one_is_e011(content_folder):
    content_folder.glossary_term("first", "First", "The one before the second.")
    content_folder.section("second-part", 2, "See [first](/glossary/#first).\n")
    assert validate_content(content_folder.root).problems == ()
    content_folder.section("second-part", 2, "See [first](/glossary/#frist).\n")
    (problem,) = validate_content(content_folder.root).problems
    assert problem.code == "rls_iron.E011"
    assert "Did you mean first?" in problem.hint


# --------------------------------------------------------------------------- checks


def test_a_term_never_used_is_w020_at_its_term_line(content_folder):
    path = content_folder.glossary_term("zebra", "Zebra", "A striped horse.")
    (problem,) = validate_content(content_folder.root).problems
    assert problem.code == "rls_iron.W020"
    assert problem.path.endswith("glossary/zebra.md")
    assert problem.line == 2
    assert not problem.is_error
    assert path.read_text().split("\n")[1].startswith("term:")


def test_a_hard_definition_is_w021_at_its_first_line(content_folder):
    content_folder.glossary_term(
        "first",
        "First",
        "Characteristically, pharmacological interventions necessitate "
        "comprehensive individualised evaluation, considering multidimensional "
        "physiological interrelationships.\n",
    )
    (problem,) = validate_content(content_folder.root).problems
    assert problem.code == "rls_iron.W021"
    assert problem.path.endswith("glossary/first.md")
    assert problem.line == 5  # after the four lines of front matter
    assert "grade" in problem.message


def test_one_spelling_for_two_terms_is_e020(content_folder):
    content_folder.glossary_term("first", "First", "Number one.", also="initial")
    content_folder.glossary_term("second", "Second", "Number two.", also="Initial, first")
    problems = [p for p in validate_content(content_folder.root).problems if p.is_error]
    assert {(p.code, p.path.split("/")[-1], p.line) for p in problems} == {
        ("rls_iron.E020", "second.md", 4)
    }
    assert len(problems) == 2  # "Initial" and "first" are both taken


def test_a_glossary_term_needs_term_and_slug(content_folder):
    content_folder.write("glossary/bad.md", {"slug": "bad"}, "No term.\n")
    (problem,) = validate_content(content_folder.root).problems
    assert problem.code == "rls_iron.E003"
    assert "'term'" in problem.message


def test_other_spellings_may_be_a_yaml_list(content_folder):
    content_folder.write(
        "glossary/first.md",
        None,
        "---\nterm: Number\nslug: number\nalso: [First, Initial]\n---\nOne.\n",
    )
    guide = load_guide(content_folder.root)
    assert guide.glossary[0].also == ("First", "Initial")
    assert guide.warnings == ()


def test_the_real_glossary_reads_at_grade_six_and_every_term_is_used(settings):
    guide = load_guide(settings.CONTENT_DIR)
    assert len(guide.glossary) >= 12
    assert [term.term for term in guide.glossary if term.reading_grade > 6.0] == []
    used = {slug for item in (*guide.sections, *guide.faq) for slug in _slugs(item.body_html)}
    assert {term.slug for term in guide.glossary} <= used


def _slugs(html: str) -> set[str]:
    return {href.split("#")[1] for _, href, _ in term_links(html)}
