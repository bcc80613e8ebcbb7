"""The content module: parsing, ordering, citations, sanitising and live reloading."""

from __future__ import annotations

import os
import time
from html.parser import HTMLParser

import pytest

from rls_iron.content import ContentError, ContentStore, get_guide, load_guide


def _bump_mtime(path):
    """Make sure a rewritten file looks changed even on coarse file-system clocks."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


class _Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_sections_and_faq_are_ordered_by_their_order_field(content_folder):
    content_folder.section("zeta-part", 0, "Comes first.\n")
    guide = load_guide(content_folder.root)
    assert [section.slug for section in guide.sections] == [
        "zeta-part",
        "first-part",
        "second-part",
    ]
    assert [entry.slug for entry in guide.faq] == ["question-one", "question-two"]


def test_front_matter_fields_become_typed_values(content_folder):
    guide = load_guide(content_folder.root)
    section = guide.section("first-part")
    assert section.order == 1
    assert section.last_reviewed.isoformat() == "2026-11-27"
    assert section.reviewed_by == ""
    assert guide.site.site_title == "Test Iron Site"
    assert guide.clinically_reviewed is False


def test_citations_are_numbered_in_order_of_first_use(content_folder):
    guide = load_guide(content_folder.root)
    # site.md cites alpha first, then the first section cites beta.
    assert [(ref.key, ref.number) for ref in guide.references] == [("alpha", 1), ("beta", 2)]
    links = [
        attrs for tag, attrs in _Elements(guide.section("first-part").body_html).tags if tag == "a"
    ]
    assert [link["href"] for link in links] == [
        "/references/#ref-beta",
        "/references/#ref-alpha",
        "/references/#ref-beta",
    ]


def test_citation_renders_as_numbered_superscript_link(content_folder):
    from django.test.html import parse_html

    html = load_guide(content_folder.root).faq_entry("question-one").answer_html
    assert parse_html(
        '<sup class="cite">[<a href="/references/#ref-beta" class="cite-link" title="Beta 2020"'
        '><span class="visually-hidden">Source </span>2</a>]</sup>'
    ) in parse_html(html)


def test_unknown_citation_key_error_names_file_and_line(content_folder):
    content_folder.section("third-part", 3, "Line one.\n\nLine three cites [@gamma].\n")
    with pytest.raises(ContentError) as caught:
        load_guide(content_folder.root)
    problem = caught.value.problems[0]
    assert problem.path.endswith("content/en/sections/03-third-part.md")
    # Front matter takes lines 1-9, the body starts on line 10, the citation is on line 12.
    assert problem.line == 12
    assert "gamma" in problem.message
    assert "03-third-part.md:12:" in str(caught.value)


def test_invalid_yaml_error_names_file_and_line(content_folder):
    path = content_folder.language_dir / "faq" / "broken.md"
    path.write_text("---\nquestion: What: now?\nslug: broken\norder: 9\n---\nAnswer.\n")
    with pytest.raises(ContentError) as caught:
        load_guide(content_folder.root)
    problem = caught.value.problems[0]
    assert problem.path.endswith("faq/broken.md")
    assert problem.line == 2


def test_missing_required_field_is_an_error(content_folder):
    content_folder.write(
        "faq/no-slug.md", {"question": "Where is the slug?", "order": 5}, "Here.\n"
    )
    with pytest.raises(ContentError, match="required field 'slug' is missing"):
        load_guide(content_folder.root)


def test_unknown_field_suggests_the_right_name(content_folder):
    content_folder.section("third-part", 3, "Text.\n", sumary="typo")
    with pytest.raises(ContentError, match="Did you mean 'summary'"):
        load_guide(content_folder.root)


def test_bad_date_is_an_error_with_its_line(content_folder):
    content_folder.section("third-part", 3, "Text.\n", next_review="next spring")
    with pytest.raises(ContentError) as caught:
        load_guide(content_folder.root)
    problem = caught.value.problems[0]
    assert "YYYY-MM-DD" in problem.message
    assert problem.line == 7


def test_duplicate_slug_is_an_error(content_folder):
    content_folder.write(
        "faq/copy.md", {"question": "Again?", "slug": "question-one", "order": 7}, "Yes.\n"
    )
    with pytest.raises(ContentError, match="slug 'question-one' is already used"):
        load_guide(content_folder.root)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
        '<p style="background:url(x)">styled</p>',
    ],
)
def test_dangerous_markup_never_reaches_the_page(content_folder, payload):
    content_folder.faq("question-two", 2, "Is this the second question?", f"Hello {payload} end.\n")
    html = load_guide(content_folder.root).faq_entry("question-two").answer_html.lower()
    for needle in ("<script", "onerror", "javascript:", "onclick", "<iframe", "style="):
        assert needle not in html
    assert "hello" in html


def test_warning_boxes_render_with_their_heading(content_folder):
    content_folder.section(
        "second-part", 2, '!!! emergency "Call 911 if:"\n    - you cannot breathe\n'
    )
    html = load_guide(content_folder.root).section("second-part").body_html
    tags = _Elements(html).tags
    assert ("div", {"class": "admonition emergency"}) in tags
    assert "Call 911 if:" in html


def test_the_three_urgency_levels_render_as_three_different_boxes(content_folder):
    content_folder.section(
        "second-part",
        2,
        '!!! emergency "Call 911 now if:"\n    - you cannot breathe\n\n'
        '!!! today "Get care today if:"\n    - your stools look like tar\n\n'
        '!!! urgent "See your doctor soon if:"\n    - upset keeps bothering you\n',
    )
    html = load_guide(content_folder.root).section("second-part").body_html
    boxes = [attrs["class"] for tag, attrs in _Elements(html).tags if tag == "div"]
    assert boxes == ["admonition emergency", "admonition today", "admonition urgent"]
    for heading in ("Call 911 now if:", "Get care today if:", "See your doctor soon if:"):
        assert f'<p class="admonition-title">{heading}</p>' in html


def test_an_edit_shows_on_the_next_request_without_restart(content_folder):
    assert "Second body text" in get_guide().section("second-part").body_html
    path = content_folder.section("second-part", 2, "Edited second body.\n")
    _bump_mtime(path)
    assert "Edited second body" in get_guide().section("second-part").body_html


def test_new_and_removed_files_show_without_restart(content_folder):
    path = content_folder.faq("question-three", 3, "A third question?", "Yes.\n")
    assert get_guide().faq_entry("question-three") is not None
    path.unlink()
    assert get_guide().faq_entry("question-three") is None


def test_a_broken_edit_keeps_the_last_good_content(content_folder, caplog):
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=0)
    good = store.guide()
    path = content_folder.section("second-part", 2, "Cites a missing source [@nope].\n")
    _bump_mtime(path)
    assert store.guide() is good
    assert store.rejected is not None
    assert "nope" in str(store.rejected)
    assert "rejected" in caplog.text


def test_content_is_not_reparsed_when_nothing_changed(content_folder):
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=0)
    assert store.guide() is store.guide()


def test_checks_for_edits_at_most_once_per_interval(content_folder):
    store = ContentStore(content_folder.root, check_interval=60, settle_seconds=0)
    first = store.guide()
    path = content_folder.section("second-part", 2, "Changed.\n")
    _bump_mtime(path)
    assert store.guide() is first  # inside the interval: no look at the disk
    store._checked_at = time.monotonic() - 61
    assert store.guide() is not first


def test_version_changes_when_content_changes(content_folder):
    before = load_guide(content_folder.root).version
    content_folder.section("second-part", 2, "New words.\n")
    assert load_guide(content_folder.root).version != before


def test_a_file_still_being_written_is_not_loaded_until_it_settles(content_folder):
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=30)
    first = store.guide()
    content_folder.section("second-part", 2, "Half of a new ver")
    assert store.guide() is first  # written just now: maybe still being saved
    store.settle_seconds = 0
    assert "Half of a new ver" in store.guide().section("second-part").body_html
