"""The one trusted boundary: Markdown output is sanitised before it reaches a page.

The hostile-content tests through whole pages are in tests/test_sanitising.py.
"""

from __future__ import annotations

import pytest

from rls_iron.content import load_guide


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
