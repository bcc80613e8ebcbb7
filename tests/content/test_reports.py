"""What editors are told besides errors: ignored files and hard reading."""

from __future__ import annotations

from tests.helpers import problems_with, single


def test_file_the_loader_ignores_is_w001(content_folder):
    (content_folder.language_dir / "faq" / "new-question.txt").write_text("Oops\n")
    (content_folder.language_dir / "notes.md").write_text("Notes\n")
    found = problems_with(content_folder, "W001")
    assert sorted(problem.path.rsplit("/", 2)[-1] for problem in found) == [
        "new-question.txt",
        "notes.md",
    ]
    assert all(not problem.is_error for problem in found)


def test_reading_grade_above_seven_is_w004(content_folder):
    hard = (
        "Intravenous ferric carboxymaltose administration demonstrates considerable therapeutic "
        "effectiveness regarding symptomatology characteristic of restless legs syndrome.\n"
    )
    content_folder.faq("question-two", 2, "Hard?", hard)
    problem = single(content_folder, "W004")
    assert problem.path.endswith("faq/question-two.md")
    assert "above 7" in problem.message
