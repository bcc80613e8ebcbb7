"""Checks across files: citations, duplicates, links, empty files, dates, raw HTML."""

from __future__ import annotations

import pytest

from rls_iron.content import ContentError, load_guide, validate_content
from tests.helpers import problems_with, single


def test_valid_content_has_no_problems(content_folder):
    assert validate_content(content_folder.root).problems == ()


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


def test_unknown_citation_key_is_e006_with_its_line(content_folder):
    content_folder.faq("question-two", 2, "Second?", "First line.\nCites [@alpah] here.\n")
    problem = single(content_folder, "E006")
    assert problem.path.endswith("faq/question-two.md")
    assert problem.line == 7
    assert "Did you mean '@alpha'?" in problem.hint


def test_duplicate_slug_is_an_error(content_folder):
    content_folder.write(
        "faq/copy.md", {"question": "Again?", "slug": "question-one", "order": 7}, "Yes.\n"
    )
    with pytest.raises(ContentError, match="slug 'question-one' is already used"):
        load_guide(content_folder.root)


@pytest.mark.parametrize("field", ["slug", "order"])
def test_duplicate_slug_or_order_is_e007(content_folder, field):
    values = {
        "slug": "question-three",
        "order": 3,
        field: {"slug": "question-one", "order": 1}[field],
    }
    content_folder.write("faq/copy.md", {"question": "Copy?", **values}, "Yes.\n")
    problem = single(content_folder, "E007")
    # Whichever of the two files is read second is flagged, naming the first.
    names = {"faq/copy.md", "faq/question-one.md"}
    (flagged,) = [name for name in names if problem.path.endswith(name)]
    (other,) = names - {flagged}
    assert f"is already used by {content_folder.language_dir.parent}/en/{other}" in problem.message


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("/no-such-page/", "page that does not exist"),
        ("/#no-such-section", "'#no-such-section'"),
        ("/faq/no-such-question/", "page that does not exist"),
        ("/faq/#no-such-question", "'#no-such-question'"),
        ("/references/#ref-nobody", "'#ref-nobody'"),
    ],
)
def test_broken_internal_link_is_e011_with_its_line(content_folder, link, why):
    content_folder.section("second-part", 2, f"Intro.\n\nSee [this]({link}) now.\n")
    problem = single(content_folder, "E011")
    assert problem.path.endswith("sections/02-second-part.md")
    assert problem.line == 12
    assert why in problem.message


def test_working_internal_links_are_accepted(content_folder):
    content_folder.section(
        "second-part",
        2,
        "[a](/#first-part) [b](/faq/question-one/) [c](/faq/#question-two) "
        "[d](/references/#ref-alpha) [e](#first-part) [f](https://example.org/x)\n",
    )
    assert problems_with(content_folder, "E011") == []


def test_empty_body_is_e012(content_folder):
    content_folder.faq("question-two", 2, "Empty?", "\n\n")
    problem = single(content_folder, "E012")
    assert problem.path.endswith("faq/question-two.md")
    assert problem.line == 6


def test_reference_never_cited_is_w002(content_folder):
    content_folder.reference("gamma", "Gamma study")
    problem = single(content_folder, "W002")
    assert problem.path.endswith("references/gamma.md")
    assert problem.line == 2
    assert not problem.is_error


def test_raw_html_the_sanitiser_removes_is_w003_with_its_line(content_folder):
    content_folder.section(
        "second-part",
        2,
        "Fine <strong>bold</strong>.\n\n<iframe src=x></iframe>\n\n<p onclick=x>Hi</p>\n",
    )
    found = problems_with(content_folder, "W003")
    assert [(problem.line, "iframe" in problem.message) for problem in found] == [
        (12, True),
        (14, False),
    ]
    assert "onclick" in found[1].message


def test_next_review_in_the_past_is_w005(content_folder):
    content_folder.section("second-part", 2, "Text.\n", next_review="2020-01-01")
    problem = single(content_folder, "W005")
    assert problem.line == 7
    assert "2020-01-01" in problem.message


def test_source_without_doi_pmid_or_url_is_e014(content_folder):
    content_folder.reference("gamma", "Gamma study", journal="Some Journal", year="2015")
    content_folder.section("second-part", 2, "Cites gamma [@gamma].\n")
    problem = single(content_folder, "E014")
    assert problem.path.endswith("references/gamma.md")
    assert problem.line == 2
    assert problem.is_error
    assert "'gamma'" in problem.message
    with pytest.raises(ContentError):
        load_guide(content_folder.root)


@pytest.mark.parametrize(
    "identifier",
    [
        {"doi": "10.1/g"},
        {"pmid": "456"},
        {"url": "https://example.org/study", "volume": "3"},
    ],
)
def test_a_doi_a_pmid_or_a_url_each_make_a_source_traceable(content_folder, identifier):
    content_folder.reference("gamma", "Gamma study", **identifier)
    content_folder.section("second-part", 2, "Cites gamma [@gamma].\n")
    assert validate_content(content_folder.root).problems == ()


def test_web_page_without_an_access_date_is_w006(content_folder):
    content_folder.reference(
        "gamma", "Gamma page", journal="A health site", url="https://example.org/iron"
    )
    content_folder.section("second-part", 2, "Cites gamma [@gamma].\n")
    problem = single(content_folder, "W006")
    assert problem.path.endswith("references/gamma.md")
    assert problem.line == 5  # the url line
    assert not problem.is_error
    assert "accessed" in problem.hint


@pytest.mark.parametrize("accessed", ["2026-11-27", "2026-11"])
def test_a_web_page_read_on_a_day_or_in_a_month_is_fine(content_folder, accessed):
    content_folder.reference(
        "gamma",
        "Gamma label",
        url="https://example.org/label",
        accessed=accessed,
        revised="2024-11",
    )
    content_folder.section("second-part", 2, "Cites gamma [@gamma].\n")
    assert validate_content(content_folder.root).problems == ()
