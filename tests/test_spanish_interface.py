"""The Spanish interface beyond the patient pages: the words the scripts show, refused
feedback, Infobutton errors, error pages, and the handout and staff page at /es/.

Each test fails if its words come back in English. Browser tests for the scripts themselves
are in test_spanish_browser.py.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from rls_iron.content import get_guide
from rls_iron.readability import (
    MIN_SPANISH_READING_EASE,
    plain_text_from_html,
    spanish_reading_ease,
)
from tests.helpers import (
    attribute_values,
    element_texts,
    first_element,
    links_by_href,
    start_tags,
    with_class,
)
from tests.test_spanish import NOT_REVIEWED_ES

SAME_ORIGIN = {"Origin": "http://testserver"}
ICD10 = "2.16.840.1.113883.6.90"
LANGUAGE = "informationRecipient.languageCode.c"


def main_text(html: str) -> str:
    return plain_text_from_html(html.split("<main", 1)[1].split(">", 1)[1].split("</main>")[0])


def assert_spanish_page(response, status_code=200):
    assert response.status_code == status_code
    assert response["Content-Language"] == "es"
    assert first_element(response.content.decode(), "html")["lang"] == "es"


# --------------------------------------------------------------------------- script words


def test_spanish_pages_give_the_scripts_spanish_words(client):
    body = first_element(client.get("/es/").content.decode(), "body")
    assert body["data-link-copied"] == "Enlace copiado"
    assert body["data-copied"] == "Copiado"
    assert body["data-copy-failed"] == "No se pudo copiar. Seleccione y copie esto:"
    assert body["data-term-hint"] == "(qué significa)"
    assert body["data-more-words"] == "Más palabras médicas"
    assert body["data-sending"] == "Enviando su respuesta…"
    english = first_element(client.get("/").content.decode(), "body")
    assert english["data-link-copied"] == "Link copied"


def test_the_spanish_tick_count_has_spanish_words(client):
    count = first_element(client.get("/es/questions/").content.decode(), "data-tick-count")
    assert count["data-none-ticked"] == "No hay preguntas marcadas: se imprimirán todas."
    assert count["data-one-ticked"] == "1 pregunta marcada."
    assert count["data-many-ticked"] == "{count} preguntas marcadas."
    response = client.get("/es/questions/")
    assertContains(response, "Imprimir mis preguntas")
    assertNotContains(response, "Print my questions")
    assertNotContains(response, "Date of visit")


def test_the_footer_link_for_staff_is_in_spanish_and_leads_to_the_spanish_staff_page(client):
    assertContains(
        client.get("/es/faq/"),
        '<p class="staff-link"><a href="/es/clinicians/">'
        "Para el personal de la clínica: enlaces, inserción en portales y hojas informativas"
        "</a></p>",
        html=True,
    )


def test_citation_numbers_are_announced_in_spanish(client):
    html = client.get("/es/guide/").content.decode()
    labels = {
        attrs["aria-label"].split()[0]
        for tag, attrs in start_tags(html)
        if tag == "a" and {"cite", "cite-link"} & set((attrs.get("class") or "").split())
    }
    assert labels == {"Fuente"}


def test_a_spanish_search_names_its_results_in_spanish(client):
    # The id sits in Python (templatetags/faq.py): makemessages must still find it.
    [(_, title)] = element_texts(client.get("/es/faq/?q=hierro").content.decode(), "title")
    assert "“hierro”: resultados de la búsqueda |" in title


# --------------------------------------------------------------------------- feedback


def test_a_spanish_page_posts_its_feedback_to_the_spanish_address(client):
    response = client.get("/es/faq/dark-stools/")
    actions = attribute_values(response.content.decode(), "form", "action")
    assert "/es/feedback/" in actions
    assert "/feedback/" not in actions


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "headers", "status", "message"),
    [
        (
            {"page": "/es/", "vote": "yes"},
            {"Origin": "https://evil.example"},
            403,
            "Responda desde una página de este sitio.",
        ),
        ({"page": "/es/", "vote": "maybe"}, SAME_ORIGIN, 400, "Elija Sí o No."),
        (
            {"page": "/es/no-such-page/", "vote": "yes"},
            SAME_ORIGIN,
            400,
            "No pudimos saber de qué página se trata.",
        ),
        (
            {"page": "/es/", "vote": "yes", "padding": "x" * 5000},
            SAME_ORIGIN,
            413,
            "El texto es demasiado largo para enviarlo.",
        ),
    ],
)
def test_a_refused_feedback_post_from_a_spanish_page_is_explained_in_spanish(
    client, data, headers, status, message
):
    for htmx in ({}, {"HX-Request": "true"}):
        response = client.post("/es/feedback/", data, headers={**headers, **htmx})
        assert response.status_code == status
        assert response["Content-Language"] == "es"
        assertContains(
            response,
            f'<div class="feedback-problem" role="alert"><p>{message}</p></div>',
            status_code=status,
            html=True,
        )
    # The whole page (without JavaScript) is Spanish too, with no switch to a post-only address.
    assertContains(
        response := client.post("/es/feedback/", data, headers=headers),
        "<h1>No pudimos guardar su respuesta</h1>",
        status_code=status,
        html=True,
    )
    assert with_class(response.content.decode(), "language-switch") == []


@pytest.mark.django_db
def test_too_many_spanish_posts_are_refused_in_spanish(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    client.post("/es/feedback/", {"page": "/es/", "vote": "yes"}, headers=SAME_ORIGIN)
    response = client.post("/es/feedback/", {"page": "/es/", "vote": "yes"}, headers=SAME_ORIGIN)
    assert response.status_code == 429
    assertContains(response, "Ya envió muchas respuestas. Espere un minuto", status_code=429)


@pytest.mark.django_db
def test_refused_spanish_comments_are_explained_in_spanish(client):
    vote = client.post("/es/feedback/", {"page": "/es/", "vote": "no"}, headers=SAME_ORIGIN)
    token = parse_qs(urlsplit(vote["Location"]).query)["ref"][0]
    too_long = client.post(
        "/es/feedback/comment/", {"ref": token, "comment": "x" * 501}, headers=SAME_ORIGIN
    )
    assertContains(too_long, "Su comentario es muy largo: tiene 501 caracteres.", status_code=400)
    forged = client.post(
        "/es/feedback/comment/", {"ref": "1:forged", "comment": "Hola"}, headers=SAME_ORIGIN
    )
    assertContains(forged, "Ya no puede usar este formulario.", status_code=400)
    client.post("/es/feedback/comment/", {"ref": token, "comment": "Uno"}, headers=SAME_ORIGIN)
    again = client.post(
        "/es/feedback/comment/", {"ref": token, "comment": "Dos"}, headers=SAME_ORIGIN
    )
    assertContains(again, "Ya se envió un comentario sobre esta respuesta.", status_code=400)


@pytest.mark.django_db
def test_a_vote_sent_to_the_english_address_is_still_thanked_in_the_pages_language(client):
    # A Spanish page cached before the forms posted to /es/feedback/ still gets Spanish thanks.
    response = client.post(
        "/feedback/",
        {"page": "/es/", "vote": "yes"},
        headers={**SAME_ORIGIN, "HX-Request": "true"},
    )
    assertContains(response, "Gracias por su respuesta.")


# --------------------------------------------------------------------------- Infobutton


def test_a_broken_infobutton_link_in_spanish_is_explained_in_spanish(client):
    response = client.get(
        "/infobutton",
        {"mainSearchCriteria.v.cs": ICD10, LANGUAGE: "es-US"},
        headers={"Accept": "text/html"},
    )
    assert_spanish_page(response, 400)
    assertContains(response, "<h1>Este enlace no está completo</h1>", html=True, status_code=400)
    assertContains(
        response,
        "<li>Falta mainSearchCriteria.v.c (el código del diagnóstico).</li>",
        html=True,
        status_code=400,
    )
    assert "/es/" in links_by_href(response.content.decode())
    assertNotContains(response, "This link is not complete", status_code=400)
    assertNotContains(response, "is missing", status_code=400)


@pytest.mark.parametrize("response_type", ["application/json", "text/xml"])
def test_infobutton_problems_for_a_spanish_request_are_in_spanish(client, response_type):
    response = client.get(
        "/infobutton",
        {
            "mainSearchCriteria.v.cs": "not-an-oid",
            "mainSearchCriteria.v.c": "G25.81",
            LANGUAGE: "es",
            "knowledgeResponseType": response_type,
        },
    )
    assert response.status_code == 400
    text = str(
        response.json() if response_type == "application/json" else response.content.decode()
    )
    assert "debe ser el OID de un sistema de códigos" in text
    assert "must be a code system OID" not in text


def test_an_unknown_code_in_spanish_gets_a_spanish_page(client):
    response = client.get(
        "/infobutton",
        {
            "mainSearchCriteria.v.cs": ICD10,
            "mainSearchCriteria.v.c": "A00.0",
            "mainSearchCriteria.v.dn": "Cólera",
            LANGUAGE: "es",
        },
        headers={"Accept": "text/html"},
    )
    assert_spanish_page(response, 404)
    assertContains(
        response,
        "<h1>No tenemos una página sobre este diagnóstico</h1>",
        html=True,
        status_code=404,
    )
    assertContains(response, "No tiene una página sobre “Cólera”.", status_code=404)


def test_the_spanish_infobutton_feed_has_a_spanish_title(client):
    response = client.get(
        "/infobutton",
        {
            "mainSearchCriteria.v.cs": ICD10,
            "mainSearchCriteria.v.c": "G25.81",
            LANGUAGE: "es",
            "knowledgeResponseType": "application/json",
        },
    )
    site_title = get_guide("es").site.site_title
    feed = response.json()["feed"]
    assert feed["title"]["_value"] == site_title
    assert feed["subtitle"]["_value"] == f"{site_title}: resultados para ICD-10-CM G25.81"


# --------------------------------------------------------------------------- error pages


def test_a_missing_spanish_page_answers_in_spanish(client):
    response = client.get("/es/no-such-page/")
    assert_spanish_page(response, 404)
    assertContains(response, "<h1>No encontramos esa página</h1>", html=True, status_code=404)
    assert "/es/faq/" in links_by_href(response.content.decode())
    assertContains(response, "Ayuda inmediata", status_code=404)


def test_a_post_to_a_spanish_page_gets_a_spanish_405(client):
    response = client.post("/es/faq/")
    assert_spanish_page(response, 405)
    assertContains(response, "<h1>Esta página es solo para leer</h1>", html=True, status_code=405)


def test_a_foreign_host_on_a_spanish_address_gets_a_spanish_400(client):
    response = client.get("/es/faq/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assertContains(response, "<h1>Hay un error en la dirección</h1>", html=True, status_code=400)


def test_a_server_error_on_a_spanish_address_is_explained_in_spanish(client, content_folder):
    # A cold start with broken content: the 500 page has only the address's language.
    (content_folder.language_dir / "site.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    client.raise_request_exception = False
    response = client.get("/es/faq/")
    assert response.status_code == 500
    assert first_element(response.content.decode(), "html")["lang"] == "es"
    assertContains(response, "<h1>Algo salió mal</h1>", html=True, status_code=500)
    assert "/es/" in links_by_href(response.content.decode())
    assertContains(
        response,
        "<li>Si un niño se tragó hierro, llame al Centro de Control de Envenenamientos"
        ' (Poison Control) al <a href="tel:18002221222">1-800-222-1222</a>.</li>',
        html=True,
        status_code=500,
    )
    assertNotContains(response, "Something went wrong", status_code=500)
    english = client.get("/faq/")
    assert first_element(english.content.decode(), "html")["lang"] == "en"
    assertContains(english, "<h1>Something went wrong</h1>", html=True, status_code=500)


def test_spanish_error_pages_and_refusals_read_easily(client, db):
    texts = [
        main_text(client.get("/es/no-such-page/").content.decode()),
        main_text(client.post("/es/faq/").content.decode()),
        main_text(client.get("/es/faq/", HTTP_HOST="evil.example").content.decode()),
        main_text(
            client.post(
                "/es/feedback/", {"page": "/es/", "vote": "x"}, headers=SAME_ORIGIN
            ).content.decode()
        ),
    ]
    for text in texts:
        assert spanish_reading_ease(text) >= MIN_SPANISH_READING_EASE, text


# --------------------------------------------------------------------------- staff pages


def test_the_spanish_handout_is_for_a_spanish_speaking_patient(client):
    response = client.get("/es/handout/")
    assert_spanish_page(response)
    guide = get_guide("es")
    assertContains(response, f"<h1>{guide.site.title}</h1>", html=True)
    assertContains(response, f"<strong>{NOT_REVIEWED_ES}</strong>", html=True)
    # Dates as Spanish writes them: "27 de noviembre de 2026".
    assert any(
        re.fullmatch(r"[\d-]+", attrs["datetime"])
        and re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", text)
        for attrs, text in element_texts(response.text, "time")
    )
    assertContains(
        response, '<button type="button" data-print>Imprimir esta hoja</button>', html=True
    )
    assertContains(
        response,
        '<h2 id="handout-introduction" class="visually-hidden">Introducción</h2>',
        html=True,
    )
    assertContains(response, "<h3>Puntos clave</h3>", html=True)
    # The questions for the doctor, as a checklist, and the Spanish guide behind the QR code.
    checklist = guide.checklists[0]
    assert checklist.title == "Preguntas para su médico"
    assertContains(response, f'<h2 id="handout-{checklist.slug}">{checklist.title}</h2>', html=True)
    assert "/qr/es.svg" in attribute_values(response.content.decode(), "img", "src")
    assertContains(response, '<span class="url">http://testserver/es/</span>', html=True)
    assertContains(response, '<span class="url">http://testserver/es/references/</span>', html=True)
    text = main_text(response.content.decode())
    for english in ("Print", "Scan", "handout", "Key points", "Source", "Every fact"):
        assert english not in text


def test_every_checklist_is_a_checklist_in_spanish_too():
    # The handout prints the checklists: a Spanish section without the flag would be missing.
    english = [section.slug for section in get_guide("en").checklists]
    assert english
    assert [section.slug for section in get_guide("es").checklists] == english


def test_the_spanish_handout_reads_easily(client):
    # Its own words, with the key points and the checklist it prints (not the emergency box).
    handout = main_text(client.get("/es/handout/").content.decode()).split("Ayuda inmediata")[0]
    assert spanish_reading_ease(handout) >= MIN_SPANISH_READING_EASE


def test_the_spanish_staff_page_is_in_spanish_and_leads_to_the_spanish_guide(client):
    response = client.get("/es/clinicians/")
    assert_spanish_page(response)
    assertContains(response, "<h1>Para el personal de la clínica</h1>", html=True)
    assertContains(
        response,
        "<p>Todos los enlaces, marcos y códigos QR de esta página llevan a la guía en español,"
        " en <code>http://testserver/es/</code>.</p>",
        html=True,
    )
    assertContains(response, "<code>http://testserver/embed/es/</code>", html=True)
    assert "/qr/es.svg" in attribute_values(response.content.decode(), "img", "src")
    assertContains(response, '<a href="/es/handout/">La hoja informativa</a>', html=True)
    for english in ("For clinic staff", "On this page", "Copy code", "opens the page"):
        assertNotContains(response, english)


def test_infobutton_links_on_the_spanish_staff_page_lead_to_spanish_pages(client):
    page = client.get("/es/clinicians/").content.decode()
    # The parser decodes &amp; in each address, as a browser does.
    examples = [href for href in links_by_href(page) if href.startswith("/infobutton?")]
    assert examples
    assertContains(client.get("/es/clinicians/"), "ICD-10-CM G25.81, abre la página")
    for href in examples:
        response = client.get(href)
        if response.status_code == 302:
            assert response["Location"].startswith("/es/")
        else:
            assert response.status_code == 200
            assert "/es/" in response.content.decode()


@pytest.mark.parametrize("name", ["es.svg", "es/handout.svg", "es/clinicians.svg"])
def test_spanish_staff_pages_and_the_spanish_guide_have_qr_codes(client, name):
    assert client.get(f"/qr/{name}").status_code == 200


def test_a_spanish_page_in_a_portal_frame_says_in_spanish_which_links_open_a_new_tab(client):
    response = client.get("/embed/es/faq/dark-stools/")
    assertContains(
        response, '<span class="visually-hidden"> (se abre en otra pestaña)</span>', html=True
    )
    assertNotContains(response, "(opens in a new tab)")
