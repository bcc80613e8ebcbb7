"""Each page loads the scripts its own markup needs, after site.js, and no others.

site.js is on every page; faq.js, glossary.js and listen.js are loaded only by the pages
with something for them (templates/includes/reading_scripts.html). A page that showed a
medical word without glossary.js would leave it a plain link; one that loaded listen.js
with nothing to read would make a first visit heavier for nothing. Checked on every page
reachable from both overviews of the real content, a search and an embedded page.
"""

from __future__ import annotations

import sys

import pytest
from django.test import Client

from tests.helpers import start_tags
from tests.servers import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from audit import site_links  # the same links make audit follows

STARTS = ["/", "/es/", "/faq/?q=iron", "/es/faq/?q=hierro", "/embed/faq/", "/embed/"]
# Which markup each optional script works on.
NEEDS = {
    "/static/js/faq.js": lambda tags: any("data-faq-toggle" in a for _, a in tags),
    "/static/js/glossary.js": lambda tags: any(
        t == "a" and "term" in (a.get("class") or "").split() for t, a in tags
    ),
    "/static/js/listen.js": lambda tags: any("data-read-aloud" in a for _, a in tags),
}


def crawl(client: Client) -> dict[str, list]:
    """The start tags of every HTML page reachable from STARTS."""
    pages, queue = {}, list(STARTS)
    while queue:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[path] = start_tags(html)
        queue += site_links(path, html)
    return pages


@pytest.fixture(scope="module")
def pages(django_db_blocker) -> dict[str, list]:
    with django_db_blocker.unblock():
        return crawl(Client())


def scripts_of(tags: list) -> list[str]:
    return [
        attributes["src"] for tag, attributes in tags if tag == "script" and "src" in attributes
    ]


def test_the_crawl_reaches_topics_answers_and_the_whole_guide(pages):
    assert len(pages) > 60
    for path in ("/guide/", "/guide/getting-tested/", "/es/guide/", "/faq/dark-stools/"):
        assert path in pages


def test_every_page_loads_site_js_first(pages):
    for path, tags in pages.items():
        scripts = [src for src in scripts_of(tags) if "htmx" not in src]
        assert scripts[0] == "/static/js/site.js", path


def test_every_page_with_terms_answers_or_text_to_read_loads_their_script(pages):
    for path, tags in pages.items():
        scripts = scripts_of(tags)
        for script, needed in NEEDS.items():
            assert not needed(tags) or script in scripts, (path, script)


def test_a_page_with_nothing_for_them_loads_none_of_them(pages):
    plain = [path for path, tags in pages.items() if not any(n(tags) for n in NEEDS.values())]
    assert "/references/" in plain
    assert "/es/glossary/" in plain
    for path in plain:
        assert not set(NEEDS) & set(scripts_of(pages[path])), path


def test_the_overview_loads_the_glossary_but_not_listen_or_the_faq_script(pages):
    for path in ("/", "/es/"):
        assert scripts_of(pages[path]) == ["/static/js/site.js", "/static/js/glossary.js"]
