"""Markdown to HTML: citation links and the warning boxes."""

from __future__ import annotations

from rls_iron.content import load_guide
from tests.helpers import start_tags


def test_a_single_citation_is_one_link_named_for_screen_readers(content_folder):
    from django.test.html import parse_html

    html = load_guide(content_folder.root).faq_entry("question-one").answer_html
    # One element per citation: a screen reader hears "Source 2", the title describes it.
    assert parse_html(
        '<a href="/references/#ref-beta" class="cite" title="Beta 2020"'
        ' aria-label="Source 2">[2]</a>'
    ) in parse_html(html)


def test_several_citations_share_one_bracket_with_a_link_each(content_folder):
    from django.test.html import parse_html

    html = load_guide(content_folder.root).section("first-part").body_html
    assert parse_html(
        '<span class="cite">[<a href="/references/#ref-alpha" class="cite-link"'
        ' title="Alpha 2018" aria-label="Source 1">1</a>, <a href="/references/#ref-beta"'
        ' class="cite-link" title="Beta 2020" aria-label="Source 2">2</a>]</span>'
    ) in parse_html(html)


def test_citation_numbers_stay_out_of_the_plain_text(content_folder):
    # The plain text feeds search snippets, descriptions and the reading grade.
    section = load_guide(content_folder.root).section("first-part")
    assert section.plain_text == "First body text. More."


def test_warning_boxes_render_with_their_heading(content_folder):
    content_folder.section(
        "second-part", 2, '!!! emergency "Call 911 if:"\n    - you cannot breathe\n'
    )
    html = load_guide(content_folder.root).section("second-part").body_html
    tags = start_tags(html)
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
    boxes = [attrs["class"] for tag, attrs in start_tags(html) if tag == "div"]
    assert boxes == ["admonition emergency", "admonition today", "admonition urgent"]
    for heading in ("Call 911 now if:", "Get care today if:", "See your doctor soon if:"):
        assert f'<p class="admonition-title">{heading}</p>' in html


def test_every_phone_number_is_marked_to_stay_on_one_line(content_folder):
    from django.test.html import parse_html

    content_folder.section(
        "second-part",
        2,
        '!!! emergency "Call Poison Control at 1-800-222-1222 if:"\n'
        "    - a child swallowed iron: call [1-800-222-1222](tel:18002221222) or 911.\n",
    )
    html = parse_html(load_guide(content_folder.root).section("second-part").body_html)
    title = parse_html(
        '<p class="admonition-title">Call Poison Control at'
        ' <span class="tel">1-800-222-1222</span> if:</p>'
    )
    link = parse_html('<a class="tel" href="tel:18002221222">1-800-222-1222</a>')
    assert title in html
    assert link in html
    # A link's own text is not wrapped again: the link holds the bare number.
    assert html.count(parse_html('<span class="tel">1-800-222-1222</span>')) == 1
