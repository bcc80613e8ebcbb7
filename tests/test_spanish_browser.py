"""The Spanish site in a real Chromium: the language switch both ways, the FAQ in place,
and the words the scripts show (copy link, medical words, ticked questions), the handout.
axe, reflow, tap targets and the no-JavaScript crawl cover the Spanish pages in
test_accessibility.py, with the English ones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rls_iron.content import get_guide
from tests.test_clinic_browser import decode_qr, printed
from tests.test_spanish import PAGE_PAIRS, STAFF_PAIRS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("english", "spanish"), PAGE_PAIRS + STAFF_PAIRS)
def test_the_language_switch_keeps_the_reader_on_the_same_page(
    live_server, page: Page, english, spanish
):
    page.goto(live_server.url + english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heading = page.locator("h1").inner_text()

    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(live_server.url + spanish)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("complementary", name="Aviso médico")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(heading)


def test_a_spanish_answer_opens_in_place_in_spanish(live_server, page: Page):
    page.goto(live_server.url + "/es/faq/")
    toggle = page.locator("#question-dark-stools")
    toggle.click()
    answer = page.locator("#answer-dark-stools")
    expect(answer).to_be_visible()
    expect(
        answer.get_by_role("link", name="Abrir esta respuesta en su propia página")
    ).to_have_attribute("href", "/es/faq/dark-stools/")
    expect(answer.get_by_text("¿Le ayudó esta respuesta?")).to_be_visible()


# --------------------------------------------------------------------------- script words


def test_copy_link_on_a_spanish_page_says_so_in_spanish(live_server, clipboard_page, errors):
    page = clipboard_page
    section = get_guide("es").sections[1]
    page.goto(live_server.url + "/es/guide/")
    page.get_by_role("button", name=f"Copiar enlace a “{section.title}”").click()
    expected = f"{live_server.url}/es/guide/{section.slug}/"
    expect(page.get_by_role("status").filter(has_text="Enlace copiado")).to_have_text(
        f"Enlace copiado: {expected}"
    )
    expect(page.locator(".copy-result").first).to_have_text("Enlace copiado")
    assert page.evaluate("window.__copied.at(-1)") == expected
    assert errors == []


def test_a_refused_copy_on_a_spanish_page_says_so_in_spanish(live_server, browser):
    context = browser.new_context(permissions=["clipboard-write"])
    # A portal frame without clipboard permission: the browser refuses the copy.
    context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
    )
    page = context.new_page()
    entry = get_guide("es").faq[0]
    page.goto(f"{live_server.url}/es/faq/{entry.slug}/")
    page.get_by_role("button", name=re.compile("^Copiar enlace")).click()
    expect(page.locator(".copy-result.copy-failed")).to_have_text(
        f"No se pudo copiar. Seleccione y copie esto: {live_server.url}/es/faq/{entry.slug}/"
    )
    context.close()


def test_a_medical_word_opens_in_place_in_spanish(live_server, page: Page, errors):
    page.goto(live_server.url + "/es/guide/getting-tested/")
    term = page.locator("main .term-button").first
    expect(term.locator(".visually-hidden")).to_have_text(" (qué significa)")
    term.click()
    panel = page.locator("#" + term.get_attribute("aria-controls"))
    expect(panel).to_be_visible()
    link = panel.get_by_role("link", name="Más palabras médicas")
    expect(link).to_have_attribute("href", re.compile(r"^/es/glossary/#"))
    expect(panel).not_to_contain_text("More medical words")
    assert errors == []


def test_a_medical_word_in_a_spanish_answer_opened_in_place_is_in_spanish(live_server, page: Page):
    entry = next(item for item in get_guide("es").faq if 'class="term"' in item.answer_html)
    page.goto(live_server.url + "/es/faq/")
    page.locator(f"#question-{entry.slug}").click()
    term = page.locator(f"#answer-{entry.slug} .term-button").first
    expect(term).to_contain_text("(qué significa)")
    term.click()
    expect(page.get_by_role("link", name="Más palabras médicas").first).to_be_visible()


def test_ticked_questions_are_counted_in_spanish(live_server, page: Page, errors):
    page.goto(live_server.url + "/es/questions/")
    status = page.get_by_role("status")
    expect(status).to_have_text("No hay preguntas marcadas: se imprimirán todas.")
    boxes = page.locator(".doctor-question input[type=checkbox]")
    boxes.nth(0).check()
    expect(status).to_have_text("1 pregunta marcada.")
    boxes.nth(3).check()
    boxes.nth(5).check()
    expect(status).to_have_text("3 preguntas marcadas.")
    expect(page.get_by_role("button", name="Imprimir mis preguntas")).to_be_visible()
    expect(page.get_by_text("Solo se imprimen las preguntas que marque")).to_be_visible()
    assert errors == []


# --------------------------------------------------------------------------- the handout


def test_the_spanish_handout_prints_on_at_most_two_pages(live_server, page: Page):
    page.goto(live_server.url + "/es/handout/")
    expect(page.get_by_role("button", name="Imprimir esta hoja")).to_be_visible()
    for paper, (count, text) in printed(page).items():
        assert 1 <= count <= 2, f"{paper}: {count} pages"
        assert "Preguntas para su médico" in text
        assert "Ayuda inmediata" in text
        assert "Puntos clave" in text
        assert "Questions to ask" not in text


def test_the_spanish_handout_qr_code_opens_the_spanish_guide(live_server, page: Page):
    page.goto(live_server.url + "/es/handout/")
    assert decode_qr(page, ".handout-qr img") == [f"{live_server.url}/es/"]
