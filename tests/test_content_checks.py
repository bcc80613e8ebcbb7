"""Editors' safety net: each kind of content problem is reported with its file and line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rls_iron.content import MAX_FILE_BYTES, ContentError, load_guide, validate_content
from tests.servers import ROOT, production_env


def problems_with(folder, code):
    report = validate_content(folder.root)
    return [problem for problem in report.problems if problem.code == f"rls_iron.{code}"]


def single(folder, code):
    found = problems_with(folder, code)
    assert len(found) == 1, [str(problem) for problem in validate_content(folder.root).problems]
    return found[0]


def test_valid_content_has_no_problems(content_folder):
    assert validate_content(content_folder.root).problems == ()


def test_invalid_yaml_is_e002_with_its_line(content_folder):
    path = content_folder.language_dir / "faq" / "broken.md"
    path.write_text("---\nslug: broken\norder: 9\nquestion: What: now?\n---\nAnswer.\n")
    problem = single(content_folder, "E002")
    assert problem.path.endswith("faq/broken.md")
    assert problem.line == 4
    assert problem.is_error


def test_missing_front_matter_is_e002(content_folder):
    (content_folder.language_dir / "faq" / "bare.md").write_text("Just text.\n")
    problem = single(content_folder, "E002")
    assert problem.path.endswith("faq/bare.md")
    assert problem.line == 1


def test_missing_required_field_is_e003(content_folder):
    content_folder.write("faq/no-order.md", {"question": "Order?", "slug": "no-order"}, "Yes.\n")
    problem = single(content_folder, "E003")
    assert problem.path.endswith("faq/no-order.md")
    assert "'order'" in problem.message
    assert problem.line == 2


def test_unknown_field_is_e004_and_suggests_the_right_name(content_folder):
    content_folder.section("third-part", 3, "Text.\n", reviewd_by="")
    problem = single(content_folder, "E004")
    assert problem.path.endswith("sections/03-third-part.md")
    assert problem.line == 9
    assert "Did you mean 'reviewed_by'?" in problem.hint


@pytest.mark.parametrize(
    ("field", "value", "line", "words"),
    [
        ("last_reviewed", "27/11/2026", 6, "YYYY-MM-DD"),
        ("order", "third", 4, "whole number"),
        ("slug", "Third Part", 5, "lower-case"),
    ],
)
def test_wrong_type_or_format_is_e005(content_folder, field, value, line, words):
    fields = {
        "title": "Third",
        "summary": "About it.",
        "order": 3,
        "slug": "third-part",
        "last_reviewed": "2026-11-27",
        "next_review": "2027-05-27",
        "reviewed_by": "",
    }
    content_folder.write("sections/03-third-part.md", {**fields, field: value}, "Text.\n")
    problem = single(content_folder, "E005")
    assert problem.line == line
    assert words in problem.message + problem.hint


def test_unknown_citation_key_is_e006_with_its_line(content_folder):
    content_folder.faq("question-two", 2, "Second?", "First line.\nCites [@alpah] here.\n")
    problem = single(content_folder, "E006")
    assert problem.path.endswith("faq/question-two.md")
    assert problem.line == 7
    assert "Did you mean '@alpha'?" in problem.hint


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


def test_invalid_utf8_is_e009_with_its_line(content_folder):
    path = content_folder.language_dir / "faq" / "latin1.md"
    path.write_bytes(b"---\nquestion: Caf\xe9?\nslug: latin\norder: 9\n---\nAnswer.\n")
    problem = single(content_folder, "E009")
    assert problem.path.endswith("faq/latin1.md")
    assert problem.line == 2


def test_file_over_the_size_limit_is_e010(content_folder):
    content_folder.faq("question-two", 2, "Big?", "word " * (MAX_FILE_BYTES // 4))
    problem = single(content_folder, "E010")
    assert problem.path.endswith("faq/question-two.md")
    assert "256 KB" in problem.message


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


def test_file_the_loader_ignores_is_w001(content_folder):
    (content_folder.language_dir / "faq" / "new-question.txt").write_text("Oops\n")
    (content_folder.language_dir / "notes.md").write_text("Notes\n")
    found = problems_with(content_folder, "W001")
    assert sorted(problem.path.rsplit("/", 2)[-1] for problem in found) == [
        "new-question.txt",
        "notes.md",
    ]
    assert all(not problem.is_error for problem in found)


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


def test_reading_grade_above_seven_is_w004(content_folder):
    hard = (
        "Intravenous ferric carboxymaltose administration demonstrates considerable therapeutic "
        "effectiveness regarding symptomatology characteristic of restless legs syndrome.\n"
    )
    content_folder.faq("question-two", 2, "Hard?", hard)
    problem = single(content_folder, "W004")
    assert problem.path.endswith("faq/question-two.md")
    assert "above 7" in problem.message


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


@pytest.mark.parametrize(
    ("value", "words"),
    [("November 2026", "YYYY-MM"), ("2026-13", "YYYY-MM"), ("2026-02-30", "not a real date")],
)
def test_a_source_date_that_is_not_a_day_or_a_month_is_e005(content_folder, value, words):
    content_folder.reference("gamma", "Gamma page", url="https://example.org/iron", accessed=value)
    content_folder.section("second-part", 2, "Cites gamma [@gamma].\n")
    problem = single(content_folder, "E005")
    assert problem.path.endswith("references/gamma.md")
    assert problem.line == 5
    assert words in problem.message


def test_manage_py_check_reports_content_problems_with_file_and_line(content_folder):
    content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    text = str(caught.value)
    assert "content/en/faq/question-two.md:6: (rls_iron.E006) Unknown source '@nobody'" in text


def test_check_content_command_prints_a_table_and_fails_on_errors(content_folder, capsys):
    call_command("check_content")
    output = capsys.readouterr().out
    assert "grade" in output
    assert "next review" in output
    assert "sections/01-first-part.md" in output
    content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    with pytest.raises(CommandError, match="1 error"):
        call_command("check_content")
    assert "faq/question-two.md:6: ERROR rls_iron.E006" in capsys.readouterr().out


def test_check_content_on_the_command_line_exits_non_zero_on_errors(make_content):
    folder = make_content()
    folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "check_content", "--quiet"],
        cwd=ROOT,
        env=production_env(RLS_IRON_CONTENT_DIR=str(folder.root)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "question-two.md:6: ERROR rls_iron.E006" in result.stdout
