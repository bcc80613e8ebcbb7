"""What pages and editors are told about a file's clinical review, from its fingerprint.

Every test records reviews with the real command into a temporary content folder: no
review is ever recorded for the real content (no real reviewer exists yet).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from rls_iron.content import get_store, validate_content
from rls_iron.review.records import body_fingerprint
from tests.helpers import element_texts

REVIEWER = "Dr Test Person, MD"
ANSWER = "en/faq/question-one.md"


def record(*files, **options):
    options = {"reviewer": REVIEWER, "date": "2026-11-30", **options}
    call_command("record_review", *files, **options)


def edit(folder, relative, old, new):
    path = folder.root / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def codes(folder):
    return [(p.code, p.path.split("content")[-1]) for p in validate_content(folder.root).problems]


def test_recording_a_review_makes_the_page_say_reviewed_by(client, content_folder):
    assertNotContains(client.get("/faq/question-one/"), "Reviewed by")
    record(ANSWER)
    response = client.get("/faq/question-one/")
    assertInHTML(
        f'<p class="file-review">Reviewed by {REVIEWER} on 30 November 2026.</p>',
        response.content.decode(),
    )
    assertNotContains(response, "Updated since")
    # The guide as a whole is still not reviewed: its other files are not.
    assertContains(response, "Not every page has been reviewed by a clinician yet.")


def test_editing_one_word_flips_the_page_to_updated_since_and_lists_the_diff(
    client, admin_client, content_folder
):
    record(ANSWER)
    edit(content_folder, ANSWER, "Yes, it is", "Yes, it <b>was</b>")
    response = client.get("/faq/question-one/")
    assertInHTML(
        '<p class="file-review">Updated since its last clinical review on 30 November 2026.</p>',
        response.content.decode(),
    )
    assertNotContains(response, "Reviewed by")

    editor = admin_client.get("/editor/")
    html = editor.content.decode()
    # From its heading to the next one: a whole piece of HTML, for assertInHTML to parse.
    section = html[html.index('<h2 id="needs-review">') : html.index("<h2>Feedback from readers")]
    assert "content/en/faq/question-one.md" in section
    assert f"changed since its review by {REVIEWER} on 2026-11-30" in section
    # The diff is escaped: the new <b> is shown as text, never as markup.
    assertInHTML('<span class="diff-remove">-Yes, it is [@beta].</span>', section)
    assertInHTML('<span class="diff-add">+Yes, it &lt;b&gt;was&lt;/b&gt; [@beta].</span>', section)
    assert ("rls_iron.W041", "/en/faq/question-one.md") in codes(content_folder)


def test_undoing_the_edit_restores_the_review(client, content_folder):
    record(ANSWER)
    edit(content_folder, ANSWER, "Yes, it is", "Yes, it was")
    assertContains(client.get("/faq/question-one/"), "Updated since")
    edit(content_folder, ANSWER, "Yes, it was", "Yes, it is")
    assertContains(client.get("/faq/question-one/"), f"Reviewed by {REVIEWER}")


def forge_name_only(folder):
    edit(folder, ANSWER, "order: 1\n", f'order: 1\nreviewed_by: "{REVIEWER}"\n')


def forge_wrong_fingerprint(folder):
    fields = f'reviewed_by: "{REVIEWER}"\nlast_reviewed: 2026-11-30\n'
    edit(folder, ANSWER, "order: 1\n", f"order: 1\n{fields}review_fingerprint: sha256:00\n")


def forge_right_fingerprint_without_record(folder):
    fingerprint = body_fingerprint("Yes, it is [@beta].\n")
    fields = f'reviewed_by: "{REVIEWER}"\nlast_reviewed: 2026-11-30\n'
    edit(folder, ANSWER, "order: 1\n", f'order: 1\n{fields}review_fingerprint: "{fingerprint}"\n')


def forge_another_name(folder):
    record(ANSWER)
    edit(folder, ANSWER, REVIEWER, "Dr Someone Else, MD")


def forge_record_body(folder):
    record(ANSWER)
    edit(folder, ANSWER, "Yes, it is", "Yes, it was")
    edit(folder, ".reviews/" + ANSWER, "Yes, it is", "Yes, it was")


@pytest.mark.parametrize(
    "forge",
    [
        forge_name_only,
        forge_wrong_fingerprint,
        forge_right_fingerprint_without_record,
        forge_another_name,
        forge_record_body,
    ],
)
def test_an_invented_review_never_shows_as_reviewed(client, content_folder, forge):
    forge(content_folder)
    response = client.get("/faq/question-one/")
    assertNotContains(response, "Reviewed by")
    assertNotContains(response, "Updated since")
    assertContains(response, "Not yet reviewed by a clinician.")
    assert ("rls_iron.W040", "/en/faq/question-one.md") in codes(content_folder)


def test_the_guide_names_its_reviewers_only_once_every_file_is_reviewed(client, content_folder):
    files = sorted(
        path.relative_to(content_folder.root).as_posix()
        for path in content_folder.language_dir.rglob("*.md")
    )
    record(*files[:-1])
    assertContains(client.get("/"), "Not every page has been reviewed by a clinician yet.")
    record(files[-1])
    response = client.get("/guide/")
    assertContains(response, f"Reviewed by {REVIEWER}.")
    assertNotContains(response, "Not yet reviewed")
    assertInHTML(
        f'<p class="file-review">Reviewed by {REVIEWER} on 30 November 2026.</p>',
        response.content.decode(),
        count=2,  # under each of the two sections
    )
    [(_, json_ld)] = [
        (attrs, text)
        for attrs, text in element_texts(response.content.decode(), "script")
        if attrs.get("type") == "application/ld+json"
    ]
    data = json.loads(json_ld)
    assert data["reviewedBy"] == [{"@type": "Person", "name": REVIEWER}]


def test_a_page_past_its_review_date_says_so_in_one_line(client, admin_client, content_folder):
    content_folder.section("second-part", 2, "Text.\n", next_review="2020-01-01")
    edit(content_folder, ANSWER, "order: 1\n", "order: 1\nnext_review: 2020-02-01\n")
    assertContains(client.get("/"), "Its next review was due on")
    assertInHTML(
        '<p class="file-review">Its next review was due on 1 February 2020.</p>',
        client.get("/faq/question-one/").content.decode(),
    )
    found = codes(content_folder)
    assert ("rls_iron.W005", "/en/sections/02-second-part.md") in found
    assert ("rls_iron.W005", "/en/faq/question-one.md") in found
    html = admin_client.get("/editor/").content.decode()
    section = html[html.index('id="needs-review"') : html.index("Feedback from readers")]
    assert "its review was due on 2020-02-01" in section
    assert "content/en/sections/02-second-part.md" in section


def test_the_spanish_page_says_it_in_spanish(client, content_folder):
    content_folder.language_dir = content_folder.root / "es"
    content_folder.populate()
    edit(
        content_folder,
        "es/faq/question-one.md",
        "order: 1\n",
        "order: 1\nnext_review: 2020-02-01\n",
    )
    record("es/faq/question-two.md")
    edit(content_folder, "es/faq/question-two.md", "the second", "la segunda")
    assertContains(
        client.get("/es/faq/question-one/"),
        "Su próxima revisión debía hacerse el 1 de febrero de 2020.",
    )
    assertContains(
        client.get("/es/faq/question-two/"),
        "Actualizado desde su última revisión clínica del 30 de noviembre de 2026.",
    )


def test_check_content_shows_an_overdue_review_as_a_warning(content_folder, capsys):
    content_folder.section("second-part", 2, "Text.\n", next_review="2020-01-01")
    call_command("check_content")
    out = capsys.readouterr().out
    assert "02-second-part.md:7: warning rls_iron.W005" in out
    assert "The review date 2020-01-01 has passed." in out


def test_the_store_serves_the_new_review_state_at_once(client, content_folder):
    client.get("/faq/question-one/")
    before = get_store().guide().version
    record(ANSWER)
    assertContains(client.get("/faq/question-one/"), "Reviewed by")
    assert get_store().guide().version != before


def test_a_new_day_makes_a_due_review_show_without_any_edit(client, content_folder, monkeypatch):
    from rls_iron.content import guide, store
    from rls_iron.review import records

    content_folder.section("second-part", 2, "Text.\n", next_review=dt.date.today().isoformat())
    assertNotContains(client.get("/"), "Its next review was due on")

    def tomorrow() -> dt.date:
        return dt.date.today() + dt.timedelta(days=1)

    for module in (records, store, guide):
        monkeypatch.setattr(module, "today", tomorrow)
    assertContains(client.get("/"), "Its next review was due on")  # reloaded, not cached
