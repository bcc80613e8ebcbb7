"""The review packet: every patient file, its numbers with their sources, a box to sign."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.asserts import assertContains, assertInHTML

from rls_iron.review.numbers import clinical_numbers
from rls_iron.review.packet import build_packet, render_packet
from tests.conftest import CHROMIUM
from tests.helpers import first_element, links_by_href, start_tags

NUMBERS_BODY = (
    "Experts suggest iron when ferritin is 75 ng/mL or lower [@alpha].\n"
    "\n"
    "- Take 65 mg every other day. Ask first [@beta].\n"
    "- Call [911](tel:911) or 1-800-222-1222 in 2026 [@alpha].\n"
    "\n"
    "| Test | Aim | Source |\n"
    "|---|---|---|\n"
    "| TSAT | under 20% | [@beta] |\n"
)


def spanish(folder):
    folder.language_dir = folder.root / "es"
    folder.populate()
    folder.language_dir = folder.root / "en"


def test_clinical_numbers_are_figures_with_units_limits_or_ranges_and_their_sentence_sources():
    found = [(n.line, n.text, n.citations, n.nearby) for n in clinical_numbers(NUMBERS_BODY, 7)]
    assert found == [
        (7, "75 ng/mL", ("alpha",), ()),
        (9, "65 mg", (), ("beta",)),  # its own sentence cites nothing
        (14, "under 20%", ("beta",), ()),
    ]
    spanish_text = "El rango es de 20 a 200 ng/mL [@a]. 1 de cada 10 adultos, menos de 6 horas."
    assert [n.text for n in clinical_numbers(spanish_text)] == [
        "20 a 200 ng/mL",
        "1 de cada 10 adultos",
        "menos de 6 horas",
    ]


def test_the_packet_lists_every_patient_file_in_order(content_folder):
    content_folder.glossary_term("ferritin", "Ferritin", "A blood test [@alpha].")
    content_folder.questions("Intro.\n\n### Tests\n\n- What is my ferritin?\n")
    content_folder.synonyms("- pill, tablet\n")
    packet = build_packet(content_folder.root, "en")
    paths = [item.path.split("content/")[-1] for item in packet.files]
    assert paths == [
        "en/site.md",
        "en/sections/01-first-part.md",
        "en/sections/02-second-part.md",
        "en/faq/question-one.md",
        "en/faq/question-two.md",
        "en/glossary/ferritin.md",
        "en/questions.md",
        "en/disclaimer.md",
        "en/emergency.md",
        "en/references/alpha.md",
        "en/references/beta.md",
    ]
    on_disk = {
        p.relative_to(content_folder.root).as_posix() for p in content_folder.root.rglob("*.md")
    }
    assert on_disk - set(paths) == {"en/synonyms.md"}  # search words are not patient text


def test_the_packet_marks_every_cited_number_beside_its_full_source(content_folder):
    content_folder.faq("question-two", 2, "How much?", NUMBERS_BODY)
    packet = build_packet(content_folder.root, "en")
    [item] = [item for item in packet.files if item.path.endswith("question-two.md")]
    assert [(n.line, n.text, [s.key for s in n.sources]) for n in item.numbers] == [
        (6, "75 ng/mL", ["alpha"]),
        (8, "65 mg", []),
        (13, "under 20%", ["beta"]),
    ]
    assert [source.key for source in item.sources] == ["alpha", "beta"]
    assert item.grade is not None
    assert item.ease is None
    html = render_packet(packet, stylesheet="packet.css")
    article = html[html.index(f'id="file-{item.index}"') :]
    article = article[: article.index("</article>")]
    assertInHTML('<td class="packet-line-number">6</td>', article)
    assertInHTML(
        '<td class="packet-line">Experts suggest iron when ferritin is <mark>75 ng/mL</mark>'
        " or lower [@alpha].</td>",
        article,
    )
    assertInHTML("<p><mark>75 ng/mL</mark>: [1] Alpha 2018</p>", article)
    assertInHTML(
        "<p><mark>65 mg</mark>: <strong>no source in its sentence</strong>"
        " (its paragraph cites [2] Beta 2020)</p>",
        article,
    )
    assert "Alpha A, Other B. Alpha study. 2018. doi:10.1/a." in article
    assert "Beta C. Beta trial. 2020. PMID 123." in article
    assertInHTML("<mark>911</mark>", article, count=0)
    assertInHTML("<mark>2026</mark>", article, count=0)
    assert "Reviewer's initials" in article
    assert item.fingerprint in article
    assert f"Reading grade</dt><dd>{item.grade:.1f}" in article


def test_the_spanish_packet_names_each_english_original_and_its_reading_ease(content_folder):
    spanish(content_folder)
    (content_folder.root / "es" / "faq" / "question-two.md").unlink()
    content_folder.language_dir = content_folder.root / "es"
    content_folder.faq("solo-en-espanol", 2, "¿Solo aquí?", "Sí.\n")
    packet = build_packet(content_folder.root, "es")
    counterparts = {item.path.split("content/")[-1]: item.counterpart for item in packet.files}
    assert counterparts["es/faq/question-one.md"].endswith("content/en/faq/question-one.md")
    assert counterparts["es/site.md"].endswith("content/en/site.md")
    assert counterparts["es/references/alpha.md"].endswith("content/en/references/alpha.md")
    assert counterparts["es/faq/solo-en-espanol.md"] == ""
    assert all(item.ease is not None and item.grade is None for item in packet.files)
    html = render_packet(packet, stylesheet="packet.css")
    assert first_element(html, "html")["lang"] == "es"
    assertInHTML("<dt>Original en inglés</dt>", html)
    original = counterparts["es/faq/question-one.md"]
    assertInHTML(f"<dd><code>{original}</code></dd>", html)
    assertInHTML('<p class="packet-kind">5. Respuesta</p>', html)
    assert "Iniciales del revisor" in html


def test_make_review_packet_writes_html_for_each_language(content_folder, tmp_path):
    spanish(content_folder)
    call_command("review_packet", output=str(tmp_path / "out"), no_pdf=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "en.html",
        "es.html",
        "packet.css",
    ]
    packet = (tmp_path / "out" / "en.html").read_text()
    assert ("link", {"rel": "stylesheet", "href": "packet.css"}) in start_tags(packet)


def test_broken_content_gives_no_packet(content_folder, tmp_path):
    content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    with pytest.raises(CommandError, match="fix them first"):
        call_command("review_packet", output=str(tmp_path / "out"), no_pdf=True)


@pytest.mark.browser
def test_the_packet_prints_to_pdf_with_chromium(content_folder, tmp_path, monkeypatch):
    import pypdf

    monkeypatch.setenv("CHROMIUM", CHROMIUM)
    call_command("review_packet", output=str(tmp_path / "out"))
    reader = pypdf.PdfReader(tmp_path / "out" / "en.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 7  # the cover, then each file on a page of its own
    assert "Reviewer's initials" in text
    # The long temporary path may wrap anywhere, so look for the name without line breaks.
    assert "question-one.md" in "".join(text.split())


def test_editors_get_the_packet_from_the_editor_page(admin_client, client, content_folder):
    assert "/editor/review-packet/en/" in links_by_href(admin_client.get("/editor/").text)
    response = admin_client.get("/editor/review-packet/en/")
    assertContains(response, "content/en/faq/question-one.md")
    stylesheet = {"rel": "stylesheet", "href": "/static/css/packet.css"}
    assert ("link", stylesheet) in start_tags(response.text)
    assert "no-store" in response["Cache-Control"]
    assert admin_client.get("/editor/review-packet/xx/").status_code == 404
    assert client.get("/editor/review-packet/en/").status_code == 302  # login first


def test_broken_content_gives_editors_a_reason_not_a_packet(admin_client, content_folder):
    content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    response = admin_client.get("/editor/review-packet/en/")
    assert response.status_code == 409
    assertContains(response, "The review packet cannot be made now", status_code=409)
    problem = content_folder.root / "en" / "faq" / "question-two.md"
    assertContains(response, f"<code>{problem}:6</code>", status_code=409, html=True)
