"""Loading a content folder: order, typed fields, citation numbers, the version."""

from __future__ import annotations

from rls_iron.content import load_guide
from tests.helpers import start_tags


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
        attrs for tag, attrs in start_tags(guide.section("first-part").body_html) if tag == "a"
    ]
    assert [link["href"] for link in links] == [
        "/references/#ref-beta",
        "/references/#ref-alpha",
        "/references/#ref-beta",
    ]


def test_version_changes_when_content_changes(content_folder):
    before = load_guide(content_folder.root).version
    content_folder.section("second-part", 2, "New words.\n")
    assert load_guide(content_folder.root).version != before
