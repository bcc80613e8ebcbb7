"""What staff and patients see in a real Chromium: copy links, portal frames, print, QR codes."""

from __future__ import annotations

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest
import zxingcpp
from playwright.sync_api import Page, expect

from rls_iron.content import get_guide
from tests.accessibility import assert_no_axe_violations
from tests.helpers import normalised

pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------- copy links


def test_copy_link_copies_the_full_section_address_and_says_so(live_server, clipboard_page):
    page = clipboard_page
    section = get_guide().sections[1]
    page.goto(live_server.url + "/guide/")  # the whole guide: a button per topic
    button = page.get_by_role("button", name=f"Copy link to “{section.title}”")
    button.click()
    expected = f"{live_server.url}/guide/{section.slug}/"  # the topic's own page
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_text(
        f"Link copied: {expected}"
    )
    assert page.evaluate("window.__copied.at(-1)") == expected


def test_copy_link_on_an_answer_copies_the_answers_own_address(live_server, clipboard_page):
    page = clipboard_page
    entry = get_guide().faq[0]
    page.goto(f"{live_server.url}/faq/")
    page.locator(f"#question-{entry.slug}").click()
    page.locator(f"#answer-{entry.slug}").get_by_role("button", name="Copy link").click()
    expected = f"{live_server.url}/faq/{entry.slug}/"
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_text(
        f"Link copied: {expected}"
    )
    assert page.evaluate("window.__copied.at(-1)") == expected


def test_without_javascript_the_heading_is_the_link_and_no_button_shows(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    section = get_guide().sections[2]
    page.goto(live_server.url + "/guide/")
    expect(page.locator(".copy-link").first).to_be_hidden()
    page.get_by_role("link", name=section.title, exact=True).last.click()
    expect(page).to_have_url(f"{live_server.url}/guide/#{section.slug}")
    context.close()


# --------------------------------------------------------------------------- portal frames


@pytest.fixture
def portal(tmp_path):
    """A 'patient portal' on a second origin (127.0.0.1, where the site is on localhost)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def page_framing(url: str) -> str:
        (tmp_path / "portal.html").write_text(
            f'<!doctype html><title>Portal</title><iframe id="guide" src="{url}" '
            'title="Guide" width="800" height="600"></iframe>'
        )
        return f"{origin}/portal.html"

    page_framing.origin = origin
    yield page_framing
    server.shutdown()
    server.server_close()


def frame_outcome(page: Page, portal_url: str) -> str:
    """'shown' when the framed page rendered, 'refused' when Chromium blocked it."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(portal_url)
    frame = page.frame_locator("#guide")
    try:
        expect(frame.locator("main h1")).to_be_visible(timeout=3000)
    except AssertionError:
        child = page.main_frame.child_frames[0]
        assert child.url.startswith("chrome-error://"), child.url
        assert any('directive: "frame-ancestors' in text for text in console), console
        return "refused"
    return "shown"


def test_an_allowed_portal_can_frame_the_embed_view(live_server, page: Page, portal, settings):
    settings.EMBED_ORIGINS = [portal.origin]
    url = portal(f"{live_server.url}/embed/")
    assert frame_outcome(page, url) == "shown"
    frame = page.frame_locator("#guide")
    expect(frame.locator("h1")).to_have_text(get_guide().site.title)
    expect(frame.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(frame.get_by_role("complementary", name="Medical disclaimer")).to_be_visible()
    # A link inside the frame keeps the reader in embed mode, inside the frame.
    frame.get_by_role("link", name="these sources").click()
    expect(frame.locator("h1")).to_have_text("Sources")
    child = page.main_frame.child_frames[0]
    assert child.url == f"{live_server.url}/embed/references/"


def test_a_portal_that_is_not_listed_cannot_frame_the_embed_view(
    live_server, page: Page, portal, settings
):
    settings.EMBED_ORIGINS = ["https://some-other-portal.example"]
    url = portal(f"{live_server.url}/embed/")
    assert frame_outcome(page, url) == "refused"


def test_without_allowed_origins_no_portal_can_frame_the_embed_view(
    live_server, page: Page, portal, settings
):
    settings.EMBED_ORIGINS = []
    url = portal(f"{live_server.url}/embed/faq/")
    assert frame_outcome(page, url) == "refused"


@pytest.mark.parametrize("path", ["/", "/faq/", "/handout/"])
def test_normal_pages_refuse_framing_even_by_an_allowed_portal(
    live_server, page: Page, portal, settings, path
):
    settings.EMBED_ORIGINS = [portal.origin]
    url = portal(f"{live_server.url}{path}")
    assert frame_outcome(page, url) == "refused"


# --------------------------------------------------------------------------- print


def printed_sheets(page: Page, paper: str) -> list[list[str]]:
    """The open page printed on one paper size: per sheet, its lines of text in reading order."""
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    return [
        [normalised(line) for line in sheet.extract_text(extraction_mode="layout").splitlines()]
        for sheet in pdf.pages
    ]


def printed(page: Page) -> dict[str, tuple[int, str]]:
    """The open page printed on Letter and on A4: per paper, its sheets and its text."""
    sheets = {}
    for paper in ("Letter", "A4"):
        pages = printed_sheets(page, paper)
        sheets[paper] = (len(pages), " ".join(" ".join(lines) for lines in pages).strip())
    return sheets


def test_handout_prints_on_at_most_two_pages(live_server, page: Page):
    page.goto(live_server.url + "/handout/")
    expect(page.locator(".handout-qr img")).to_be_visible()
    for paper, (count, text) in printed(page).items():
        assert 1 <= count <= 2, f"{paper}: {count} pages"
        assert "Questions to ask your doctor" in text
        assert "Get help now" in text
        assert "27 November 2026" in text


@pytest.mark.parametrize("path", ["/handout/", "/es/handout/"])
def test_handout_prints_12_point_text_with_no_question_or_heading_cut_off(
    live_server, page: Page, path
):
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    sizes = page.eval_on_selector_all(
        "main.handout p, main.handout li",
        "els => els.filter(e => !e.closest('.emergency'))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes
    assert min(sizes) >= 16, f"body text below 12 pt: {min(sizes)}px"
    # What each question prints: without the hidden hint "(what it means)" and closed definitions.
    questions = page.eval_on_selector_all(
        ".handout-checklist li",
        "els => els.map(e => { const c = e.cloneNode(true);"
        " c.querySelectorAll('.visually-hidden, [hidden]').forEach(h => h.remove());"
        " return c.textContent; })",
    )
    questions = [normalised(question) for question in questions]
    headings = {
        normalised(t) for t in page.locator("main.handout h2, main.handout h3").all_inner_texts()
    }
    for paper in ("Letter", "A4"):
        sheets = printed_sheets(page, paper)
        assert 1 <= len(sheets) <= 2, f"{paper}: {len(sheets)} pages"
        texts = [" ".join(" ".join(lines).split()) for lines in sheets]
        for question in questions:
            assert any(question in text for text in texts), f"{paper}: split: {question!r}"
        last_line = [line for line in sheets[0] if line][-1]
        assert last_line not in headings, f"{paper}: heading alone at the foot: {last_line!r}"


def test_printed_faq_shows_every_answer_open(live_server, page: Page):
    guide = get_guide()
    page.goto(live_server.url + "/faq/")
    expect(page.locator(".faq-print")).to_be_hidden()  # on screen, answers open one by one
    page.emulate_media(media="print")
    printed = page.locator(".faq-print-item")
    expect(printed).to_have_count(len(guide.faq))
    for index, entry in enumerate(guide.faq):
        expect(printed.nth(index).locator("h2")).to_have_text(entry.question)
        expect(printed.nth(index)).to_be_visible()
    expect(page.locator(".faq-list")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="Letter")))
    text = normalised(" ".join(sheet.extract_text() for sheet in pdf.pages))
    for entry in guide.faq:
        opening = " ".join(normalised(entry.plain_text).split()[:4])
        assert opening in text, f"answer to {entry.question!r} not printed"


def test_printed_sources_show_their_addresses(live_server, page: Page):
    page.goto(live_server.url + "/references/")
    page.emulate_media(media="print")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="Letter")))
    text = normalised(" ".join(sheet.extract_text() for sheet in pdf.pages)).replace(" ", "")
    reference = next(ref for ref in get_guide().references if ref.pubmed_url)
    assert reference.pubmed_url in text


# --------------------------------------------------------------------------- QR codes


def decode_qr(page: Page, selector_or_src: str) -> list[str]:
    """Rasterise an SVG QR code in the browser and decode it with zxing-cpp (independent)."""
    width, height, gray = page.evaluate(
        """async (target) => {
            let img;
            if (target.startsWith("/")) { img = new Image(); img.src = target; }
            else { img = document.querySelector(target); }
            await img.decode();
            const scale = 3, w = img.naturalWidth * scale, h = img.naturalHeight * scale;
            const canvas = document.createElement("canvas");
            canvas.width = w; canvas.height = h;
            const context = canvas.getContext("2d");
            context.drawImage(img, 0, 0, w, h);
            const rgba = context.getImageData(0, 0, w, h).data;
            const gray = new Array(w * h);
            for (let i = 0; i < w * h; i++) gray[i] = rgba[i * 4];
            return [w, h, gray];
        }""",
        selector_or_src,
    )
    pixels = memoryview(bytes(gray)).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(pixels)]


def test_qr_code_of_an_answer_decodes_to_its_address(live_server, page: Page):
    entry = get_guide().faq[3]
    page.goto(live_server.url + "/")
    decoded = decode_qr(page, f"/qr/faq/{entry.slug}.svg")
    assert decoded == [f"{live_server.url}/faq/{entry.slug}/"]


def test_handout_qr_code_opens_the_online_guide(live_server, page: Page):
    page.goto(live_server.url + "/handout/")
    assert decode_qr(page, ".handout-qr img") == [f"{live_server.url}/"]


@pytest.mark.parametrize(
    ("staff_page", "button", "copied", "embed"),
    [
        ("/clinicians/", "Copy code for the frame", "Copied: <iframe", "/embed/"),
        ("/es/clinicians/", "Copiar código del marco", "Copiado: <iframe", "/embed/es/"),
    ],
)
def test_copy_code_on_the_staff_page_copies_the_embed_snippet(
    live_server, clipboard_page, staff_page, button, copied, embed
):
    page = clipboard_page
    page.goto(live_server.url + staff_page)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status")).to_contain_text(copied)
    snippet = page.evaluate("window.__copied.at(-1)")
    assert snippet.startswith(f'<iframe src="{live_server.url}{embed}" title=')
    assert snippet == page.locator("pre.snippet code").inner_text()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("path", ["/", "/faq/", "/clinicians/", "/handout/", "/embed/faq/"])
def test_staff_and_patient_pages_pass_axe_wcag_22_aa(live_server, page: Page, path):
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)
