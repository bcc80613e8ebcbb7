"""The one trusted boundary: Markdown output is sanitised before it reaches a page.

The hostile-content tests through whole pages are in tests/test_sanitising.py.
"""

from __future__ import annotations

import pytest

from rls_iron.content import load_guide
from tests.helpers import start_tags


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


def test_a_link_in_content_keeps_no_aria_label_but_a_citations(content_folder):
    # A label the eye cannot see must not make a link say something else to a screen reader.
    content_folder.faq(
        "question-two",
        2,
        "Is this the second question?",
        '<a href="https://example.org/" aria-label="Your results">a shop</a> [@beta].\n',
    )
    html = load_guide(content_folder.root).faq_entry("question-two").answer_html
    assert [attrs.get("aria-label") for tag, attrs in start_tags(html) if tag == "a"] == [
        None,
        "Source 2",
    ]


def test_an_editors_superscript_is_kept(content_folder):
    # Citations no longer use <sup>, but an editor may still write a unit such as m².
    question = "Is this the second question?"
    content_folder.faq("question-two", 2, question, "About 2 m<sup>2</sup>.\n")
    html = load_guide(content_folder.root).faq_entry("question-two").answer_html
    assert [tag for tag, attrs in start_tags(html) if tag == "sup"] == ["sup"]
    assert "cite" not in html
