"""Front matter and file checks: YAML, required and unknown fields, types, encoding, size."""

from __future__ import annotations

import pytest

from rls_iron.content import MAX_FILE_BYTES, ContentError, load_guide
from tests.helpers import single


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
