"""Questions for the doctor: the list editors keep in questions.md, and its page."""

from __future__ import annotations

from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from rls_iron.content import get_guide, load_guide, validate_content

QUESTIONS = """\
Bring these to your visit.

### About your blood tests

- What were my ferritin and TSAT results?
- When should my iron be tested
  again?

### About treatment

* Should I take iron pills or have IV iron?

A stray line.
"""


def test_questions_file_is_read_into_groups(content_folder):
    content_folder.questions(QUESTIONS)
    questions = get_guide().doctor_questions
    assert questions.title == "Questions for your doctor"
    assertInHTML("<p>Bring these to your visit.</p>", questions.intro_html)
    assert [group.title for group in questions.groups] == [
        "About your blood tests",
        "About treatment",
    ]
    assert [[q.text for q in group.questions] for group in questions.groups] == [
        ["What were my ferritin and TSAT results?", "When should my iron be tested again?"],
        ["Should I take iron pills or have IV iron?"],
    ]
    assert questions.count == 3


def test_a_line_that_is_not_a_question_is_w024_with_its_line(content_folder):
    content_folder.questions(QUESTIONS)
    problems = validate_content(content_folder.root).problems
    assert [(p.code, p.line) for p in problems] == [("rls_iron.W024", 16)]
    assert problems[0].path.endswith("en/questions.md")


def test_a_questions_file_without_questions_is_e021(content_folder):
    content_folder.questions("Only an introduction.\n")
    (problem,) = validate_content(content_folder.root).problems
    assert problem.code == "rls_iron.E021"
    assert problem.is_error


def test_questions_and_synonyms_files_and_the_glossary_folder_are_not_ignored(content_folder):
    content_folder.questions("- One?\n")
    content_folder.synonyms("- pill, tablet\n")
    content_folder.glossary_term("first", "First", "Number one.")
    assert validate_content(content_folder.root).problems == ()
    assert load_guide(content_folder.root).doctor_questions.count == 1


def test_questions_page_lists_every_question_with_a_checkbox(client, content_folder):
    content_folder.questions(QUESTIONS)
    response = client.get("/questions/")
    assert response.status_code == 200
    assertContains(response, "<legend>About your blood tests</legend>", html=True)
    assertContains(
        response,
        '<input type="checkbox" id="question-1">'
        '<label for="question-1">What were my ferritin and TSAT results?</label>',
        html=True,
    )
    assertContains(response, 'type="checkbox"', count=3)
    # Ticks are never sent anywhere: no names, no submit, no cookie.
    assertNotContains(response, 'name="question')
    assertNotContains(response, 'type="submit"')
    assert response.cookies == {}


def test_questions_page_without_a_questions_file_still_works(client, content_folder):
    response = client.get("/questions/")
    assert response.status_code == 200
    assertContains(response, "There are no questions here yet.")


def test_the_real_questions_include_the_ones_patients_ask_most(settings):
    questions = load_guide(settings.CONTENT_DIR).doctor_questions
    texts = [q.text for group in questions.groups for q in group.questions]
    assert "When should my iron be tested again?" in texts
    assert any("ferritin" in text and "transferrin saturation" in text for text in texts)
    assert any("iron pills" in text and "IV iron" in text for text in texts)
