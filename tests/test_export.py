"""The static export: every page as a file, no broken internal link, the FAQ still opens."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page, expect

from rls_iron.content import get_guide
from tests.helpers import first_element, start_tags

SVG = "{http://www.w3.org/2000/svg}svg"


# The crawl asks for each page's links and ids many times (once per link to it): parse each
# file once. The export is built once per run and never changes under the tests.
@functools.cache
def page_links(path: Path) -> list[str]:
    """Every address a page refers to: links, images and scripts, htmx requests."""
    tags = start_tags(path.read_text(encoding="utf-8"))
    return [
        attrs[name] for _, attrs in tags for name in ("href", "src", "hx-get") if attrs.get(name)
    ]


@functools.cache
def page_ids(path: Path) -> set[str]:
    return {
        attrs["id"] for _, attrs in start_tags(path.read_text(encoding="utf-8")) if "id" in attrs
    }


def page_language(path: Path) -> str | None:
    return first_element(path.read_text(encoding="utf-8"), "html").get("lang")


def file_for(root: Path, url_path: str) -> Path:
    target = root / url_path.lstrip("/")
    return target / "index.html" if url_path.endswith("/") else target


def test_every_patient_page_is_exported(export_dir):
    guide = get_guide()
    assert (export_dir / "index.html").is_file()
    assert (export_dir / "faq" / "index.html").is_file()
    assert (export_dir / "references" / "index.html").is_file()
    for entry in guide.faq:
        assert (export_dir / "faq" / entry.slug / "index.html").is_file()
    assert (export_dir / "guide" / "index.html").is_file()  # the whole guide on one page
    for section in guide.sections:
        assert (export_dir / "guide" / section.slug / "index.html").is_file()
    assert (export_dir / "404.html").is_file()


def test_every_spanish_page_is_exported_in_spanish(export_dir):
    for entry in get_guide("es").faq:
        assert page_language(export_dir / "es" / "faq" / entry.slug / "index.html") == "es"
    for section in get_guide("es").sections:
        assert page_language(export_dir / "es" / "guide" / section.slug / "index.html") == "es"
    for name in ("", "guide/", "faq/", "references/", "glossary/", "questions/"):
        assert (export_dir / "es" / name / "index.html").is_file()


def test_static_files_are_exported_hashed_and_compressed(export_dir):
    css = list((export_dir / "static" / "css").glob("site.*.css"))
    assert [path.name for path in css if path.suffix == ".css"]
    assert list((export_dir / "static" / "css").glob("site.*.css.br"))
    assert list((export_dir / "static" / "css").glob("site.*.css.gz"))


def test_crawling_the_export_from_the_home_page_finds_no_broken_link(export_dir):
    to_visit, seen, broken = ["/"], set(), []
    while to_visit:
        url_path = to_visit.pop()
        if url_path in seen:
            continue
        seen.add(url_path)
        page = file_for(export_dir, url_path)
        if page.suffix != ".html":
            continue
        for link in page_links(page):
            target = urlsplit(urljoin(url_path, link))
            if target.scheme not in ("", "http", "https") or target.netloc:
                continue  # tel:, mailto: and outside sites are not ours to check
            linked = file_for(export_dir, target.path)
            if not linked.is_file():
                broken.append(f"{url_path} -> {link}")
                continue
            if target.fragment and target.fragment not in page_ids(linked):
                broken.append(f"{url_path} -> {link} (no #{target.fragment})")
            to_visit.append(target.path)
    assert broken == []
    assert len([path for path in seen if path.endswith("/")]) >= len(get_guide().faq) + 3
    # Every topic's page is reached from the overview by plain links, no JavaScript.
    assert {section.path for section in get_guide().sections} <= seen


def test_no_exported_page_links_to_server_only_features(export_dir):
    for page in export_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "/editor/" not in text
        assert "/admin/" not in text
        addresses = [
            value
            for _, attrs in start_tags(text)
            for name, value in attrs.items()
            if name in ("href", "src", "hx-get", "hx-post", "action") and value
        ]
        server_only = ("/infobutton", "/feedback/", "/es/feedback/")
        assert [address for address in addresses if address.startswith(server_only)] == [], page


def test_the_handout_and_staff_page_and_their_qr_codes_are_exported(export_dir):
    assert (export_dir / "handout" / "index.html").is_file()
    assert (export_dir / "clinicians" / "index.html").is_file()
    assert ET.parse(export_dir / "qr" / "index.svg").getroot().tag == SVG
    assert page_language(export_dir / "es" / "handout" / "index.html") == "es"
    assert (export_dir / "es" / "clinicians" / "index.html").is_file()
    assert ET.parse(export_dir / "qr" / "es" / "handout.svg").getroot().tag == SVG


@pytest.fixture(scope="module")
def static_host(export_dir):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(export_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_the_faq_expands_in_place_on_a_plain_static_server(static_host, page: Page):
    entry = get_guide().faq[0]
    page.goto(static_host + "/faq/")
    toggle = page.locator(f"#question-{entry.slug}")
    toggle.click()
    answer = page.locator(f"#answer-{entry.slug}")
    expect(answer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert page.url == static_host + "/faq/"
    # Only the answer was swapped in, not a whole second page.
    expect(answer.locator("h1")).to_have_count(0)
    expect(answer.locator(".answer-body")).to_have_count(1)


def test_the_offline_worker_and_the_manifests_are_exported(export_dir):
    worker = (export_dir / "sw.js").read_text(encoding="utf-8")
    config = json.loads(worker.splitlines()[0].removeprefix("self.OFFLINE = ").rstrip(";"))
    for path in config["pages"] + config["static"]:
        assert file_for(export_dir, path).is_file(), path
    assert any(".css" in path and path != "/static/css/site.css" for path in config["static"])
    for prefix, language in (("", "en"), ("es/", "es")):
        manifest = json.loads((export_dir / prefix / "manifest.webmanifest").read_text())
        assert manifest["lang"] == language


@pytest.mark.browser
def test_an_exported_page_opened_once_opens_again_with_no_network(static_host, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(static_host + "/faq/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        context.set_offline(True)
        page.goto(static_host + "/")
        expect(page.locator(".offline-note")).to_be_visible()
        expect(page.locator("h1")).to_have_text(get_guide().site.title)
    finally:
        context.close()
