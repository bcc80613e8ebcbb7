"""The Spanish site at /es/: pages, language switch, hreflang, sitemap, Infobutton, checks.

These run on the real content in content/ (English and Spanish), except the validation
tests, which build small content folders of their own.
"""

from __future__ import annotations

import shutil

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from rls_iron.content import get_guide, load_guide, validate_content
from rls_iron.readability import (
    MIN_SPANISH_READING_EASE,
    plain_text_from_html,
    reading_grade,
    spanish_reading_ease,
)
from tests.helpers import (
    attribute_values,
    first_element,
    links_by_href,
    sitemap_alternates,
    sitemap_locations,
    with_class,
)

# (English address, Spanish address) of every patient page kind.
PAGE_PAIRS = [
    ("/", "/es/"),
    ("/faq/", "/es/faq/"),
    ("/faq/dark-stools/", "/es/faq/dark-stools/"),
    ("/references/", "/es/references/"),
    ("/glossary/", "/es/glossary/"),
    ("/questions/", "/es/questions/"),
    ("/diary/", "/es/diary/"),
]
SPANISH_PAGES = [spanish for _, spanish in PAGE_PAIRS]
# The pages for clinic staff: a clinic prints the handout in the patient's language.
STAFF_PAIRS = [("/handout/", "/es/handout/"), ("/clinicians/", "/es/clinicians/")]
# Until a clinician is recorded, one line says so; it covers the translation too.
NOT_REVIEWED_ES = "Todavía no lo ha revisado un profesional de salud."
NOT_REVIEWED = ("Not yet reviewed by a clinician.", NOT_REVIEWED_ES, "no la ha revisado")


@pytest.mark.parametrize("url", SPANISH_PAGES)
def test_every_spanish_page_is_in_spanish_with_its_notices(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    html = response.content.decode()
    assert first_element(html, "html")["lang"] == "es"
    assert "Aviso médico" in attribute_values(html, "aside", "aria-label")
    assertContains(response, '<h2 id="emergency-title">Ayuda inmediata</h2>', html=True)
    assertContains(response, '<a class="tel" href="tel:988">988</a>', html=True)
    assertContains(response, '<a class="tel" href="tel:18002221222">1-800-222-1222</a>', html=True)
    assertContains(response, f"<strong>{NOT_REVIEWED_ES}</strong>", html=True)
    assertContains(response, "Saltar al contenido principal")
    assertNotContains(response, "Skip to main content")


@pytest.mark.parametrize(
    "url",
    [
        *("/", "/es/", "/handout/", "/es/handout/", "/es/faq/"),
        *("/guide/", "/es/guide/", "/guide/getting-tested/", "/es/guide/getting-tested/"),
    ],
)
def test_a_page_says_only_once_that_no_clinician_has_reviewed_it(client, url):
    html = client.get(url).content.decode()
    assert sum(html.count(sentence) for sentence in NOT_REVIEWED) == 1


@pytest.mark.parametrize(("english", "spanish"), PAGE_PAIRS + STAFF_PAIRS)
def test_each_page_links_to_its_counterpart_and_names_both_in_hreflang(client, english, spanish):
    for url, other, other_name, other_code in (
        (english, spanish, "Español", "es"),
        (spanish, english, "English", "en"),
    ):
        response = client.get(url)
        assertContains(
            response,
            f'<a href="{other}" hreflang="{other_code}" lang="{other_code}" rel="alternate">'
            f"{other_name}</a>",
            html=True,
        )
        for code, path in (("en", english), ("es", spanish), ("x-default", english)):
            assertContains(
                response,
                f'<link rel="alternate" hreflang="{code}" href="http://testserver{path}">',
                html=True,
            )


def test_english_pages_stay_english(client):
    response = client.get("/faq/dark-stools/")
    assert first_element(response.content.decode(), "html")["lang"] == "en"
    assertContains(response, "Skip to main content")
    assertNotContains(response, NOT_REVIEWED_ES)


def test_pages_with_no_counterpart_have_no_language_switch(client):
    # A 404 page links to the other language's home page instead (see test_seo.py).
    response = client.get("/infobutton?mainSearchCriteria.v.cs=x")
    assert response.status_code == 400
    assert with_class(response.content.decode(), "language-switch") == []


def test_the_same_page_is_cached_apart_in_each_language(client):
    english = client.get("/faq/")
    spanish = client.get("/es/faq/")
    assertContains(english, "<h1>Questions about iron for RLS</h1>", html=True)
    assertContains(spanish, "<h1>Preguntas sobre el hierro para el SPI</h1>", html=True)
    assert english["ETag"] != spanish["ETag"]


def test_spanish_faq_lists_spanish_answers_at_spanish_addresses(client):
    response = client.get("/es/faq/")
    links = links_by_href(response.content.decode())
    assert "/es/faq/dark-stools/" in links
    assert "/faq/dark-stools/" not in links


def test_sitemap_lists_every_page_in_both_languages_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = sitemap_locations(response.content)
    alternates = sitemap_alternates(response.content)
    for english, spanish in PAGE_PAIRS:
        assert f"http://testserver{english}" in locations
        assert f"http://testserver{spanish}" in locations
        assert ("es", f"http://testserver{spanish}") in alternates[f"http://testserver{english}"]


def test_infobutton_in_spanish_leads_to_the_spanish_page(client):
    params = {
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
        "mainSearchCriteria.v.c": "G25.81",
        "informationRecipient.languageCode.c": "es",
    }
    browser = {"Accept": "text/html"}
    response = client.get("/infobutton", params, headers=browser)
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    json = client.get("/infobutton", {**params, "knowledgeResponseType": "application/json"})
    entry = json.json()["feed"]["entry"][0]
    assert entry["lang"] == "es"
    assert entry["link"][0]["href"] == "http://testserver/es/"
    assert entry["title"]["_value"] == get_guide("es").site.title
    english = client.get(
        "/infobutton", {**params, "informationRecipient.languageCode.c": "en"}, headers=browser
    )
    assert english["Location"] == "/"


@pytest.mark.django_db
def test_a_vote_on_a_spanish_page_is_accepted_and_thanked_in_spanish(client):
    response = client.post(
        "/feedback/",
        {"page": "/es/faq/dark-stools/", "vote": "yes"},
        headers={"Origin": "http://testserver", "HX-Request": "true"},
    )
    assert response.status_code == 200
    assertContains(response, "Gracias por su respuesta.")


def test_every_spanish_section_answer_and_definition_reads_easily():
    guide = get_guide("es")
    assert guide.language == "es"
    assert guide.sections
    assert guide.faq
    assert guide.glossary
    scores = {
        item.source_path: spanish_reading_ease(item.plain_text)
        for item in (*guide.sections, *guide.faq, *guide.glossary)
    }
    hard = {
        path: round(score, 1) for path, score in scores.items() if score < MIN_SPANISH_READING_EASE
    }
    assert hard == {}, f"Fernández-Huerta below 70: {hard}"


def test_measuring_spanish_leaves_textstat_measuring_english():
    text = "Take the pill with water. Talk to your doctor about the iron you take."
    before = reading_grade(text)
    spanish_reading_ease("Tome la pastilla con agua. Hable con su médico.")
    assert reading_grade(text) == before


# --------------------------------------------------------------------------- validation


def spanish_copy(folder):
    """Write folder's English guide again as content/es/, linking Spanish addresses."""
    english = folder.language_dir
    spanish = folder.root / "es"
    for path in english.rglob("*.md"):
        target = spanish / path.relative_to(english)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return spanish


def problem_codes(report) -> list[str]:
    return [problem.code for problem in report.problems]


def test_a_complete_translation_gives_no_warning(make_content):
    folder = make_content()
    spanish_copy(folder)
    report = validate_content(folder.root)
    assert report.errors == ()
    assert report.warnings == ()


def test_a_missing_translation_is_named_with_its_english_file(make_content):
    folder = make_content()
    spanish = spanish_copy(folder)
    (spanish / "faq" / "question-two.md").unlink()
    report = validate_content(folder.root)
    [warning] = [p for p in report.problems if p.code == "rls_iron.W030"]
    assert warning.path.endswith("en/faq/question-two.md")
    assert warning.line == 1
    assert "question-two" in warning.message
    assert not warning.is_error


def test_a_translation_citing_other_sources_is_named(make_content):
    folder = make_content()
    spanish = spanish_copy(folder)
    answer = spanish / "faq" / "question-one.md"
    answer.write_text(answer.read_text().replace("[@beta]", "[@alpha]"), encoding="utf-8")
    report = validate_content(folder.root)
    [warning] = [p for p in report.problems if p.code == "rls_iron.W031"]
    assert warning.path.endswith("es/faq/question-one.md")
    assert "missing: beta" in warning.message
    assert "extra: alpha" in warning.message


def test_a_translation_may_leave_out_the_glossary_with_a_warning(make_content):
    folder = make_content()
    folder.glossary_term("first-word", "First", "The first word.")
    folder.section("first-part", 1, "First body text [@beta] and First.\n\nMore [@alpha; @beta].\n")
    spanish_copy(folder)
    shutil.rmtree(folder.root / "es" / "glossary")
    report = validate_content(folder.root)
    assert report.errors == ()
    assert "rls_iron.W032" in problem_codes(report)


def test_hard_spanish_is_named_with_its_reading_ease(make_content):
    folder = make_content()
    spanish = spanish_copy(folder)
    answer = spanish / "faq" / "question-two.md"
    hard = (
        "La administración intravenosa de hierro carboximaltosa férrica, considerada "
        "habitualmente por especialistas internacionales, proporciona concentraciones "
        "plasmáticas extraordinariamente elevadas, independientemente de consideraciones "
        "gastrointestinales, farmacocinéticas y socioeconómicas adicionales [@beta].\n"
    )
    front_matter = answer.read_text().rsplit("---\n", 1)[0] + "---\n"
    answer.write_text(front_matter + hard)
    report = validate_content(folder.root)
    [warning] = [p for p in report.problems if p.code == "rls_iron.W033"]
    assert warning.path.endswith("es/faq/question-two.md")
    assert warning.line == 1
    assert "Fernández-Huerta" in warning.message
    assert not warning.is_error
    [row] = [item for item in report.files if item.path == warning.path]
    assert row.grade is None
    assert row.ease < MIN_SPANISH_READING_EASE
    assert row.url == "/es/faq/question-two/"


def test_spanish_files_link_to_spanish_addresses(make_content):
    folder = make_content()
    spanish = spanish_copy(folder)
    answer = spanish / "faq" / "question-two.md"
    answer.write_text(
        answer.read_text()
        + "\nSee [the first](/es/faq/question-one/) and [part](/es/#first-part).\n",
        encoding="utf-8",
    )
    guide = load_guide(folder.root, "es")
    assert "/es/faq/question-one/" in links_by_href(guide.faq_entry("question-two").body_html)
    answer.write_text(answer.read_text() + "\n[Gone](/es/faq/no-such-answer/)\n", encoding="utf-8")
    report = validate_content(folder.root)
    [error] = [p for p in report.problems if p.code == "rls_iron.E011"]
    assert error.path.endswith("es/faq/question-two.md")


def test_a_spanish_page_can_be_embedded_and_its_links_stay_in_the_frame(client):
    response = client.get("/embed/es/faq/dark-stools/")
    assert response.status_code == 200
    assert first_element(response.content.decode(), "html")["lang"] == "es"
    assert "/embed/es/faq/" in links_by_href(response.content.decode())
    assertContains(response, "Ayuda inmediata")


def test_the_spanish_questions_for_the_doctor_are_in_spanish(client):
    response = client.get("/es/questions/")
    assertContains(response, "<h1>Preguntas para su médico</h1>", html=True)
    assertContains(response, "¿Podría tener apnea del sueño?")
    intro = get_guide("es").doctor_questions.intro_html
    assert spanish_reading_ease(plain_text_from_html(intro)) >= MIN_SPANISH_READING_EASE
