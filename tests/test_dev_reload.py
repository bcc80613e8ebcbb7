"""`make dev` live preview: a saved content file reloads the open tab, without a restart.

Runs Django's development server (DEBUG on, as `make dev` does) on a temporary content
folder, opens a page in Chromium, and edits the folder as an editor would.
"""

from __future__ import annotations

import pytest

from tests.servers import dev_server

pytestmark = pytest.mark.browser


@pytest.fixture
def dev_site(make_content, tmp_path):
    folder = make_content()
    with dev_server(log_path=tmp_path / "dev.log", RLS_IRON_CONTENT_DIR=str(folder.root)) as base:
        yield base, folder


def test_saving_a_content_file_reloads_the_open_tab(dev_site, page):
    base, folder = dev_site
    page.goto(base + "/faq/question-one/")
    # No need to wait for the reload listener: a reload requested before it connects is
    # kept by the server until it does.
    page.evaluate("window.notReloaded = true")

    folder.faq("question-one", 1, "Is this the first question?", "Yes, and it changed.\n")

    page.get_by_text("Yes, and it changed.").wait_for(timeout=15_000)
    assert page.evaluate("window.notReloaded") is None  # a fresh page, not a patched one


def test_a_broken_edit_shows_what_and_where_on_the_page_until_it_is_fixed(dev_site, page):
    base, folder = dev_site
    page.goto(base + "/faq/question-one/")
    path = folder.language_dir / "faq" / "question-one.md"
    good = path.read_text()

    path.write_text(good.replace("question:", "questoin:", 1))

    notice = page.get_by_role("alert").filter(has_text="Your newest edit was rejected")
    notice.wait_for(timeout=15_000)
    assert "faq/question-one.md:2" in notice.inner_text()
    assert "Did you mean 'question'?" in notice.inner_text()
    # The last good content is still on the page, and the server kept running.
    assert page.get_by_role("heading", name="Is this the first question?").is_visible()

    path.write_text(good.replace("Yes, it is", "Yes, it now is", 1))

    page.get_by_text("Yes, it now is").wait_for(timeout=15_000)
    assert notice.count() == 0
