"""`manage.py record_review`: a sign-off tied to the exact text, and nothing else touched."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rls_iron.review.frontmatter import set_fields
from rls_iron.review.records import body_fingerprint, read_record
from tests.servers import ROOT, production_env

REVIEWER = "Dr Test Person, MD"
BAD_DATE = ("--reviewer", REVIEWER, "--date", "tomorrow")


def record(*files, reviewer=REVIEWER, date="2026-11-30", **options):
    call_command("record_review", *map(str, files), reviewer=reviewer, date=date, **options)


def test_recording_a_review_writes_only_the_review_lines(content_folder):
    path = content_folder.faq("question-one", 1, "Is this the first question?", "Yes [@beta].\n")
    before = path.read_text(encoding="utf-8")
    record(path)
    after = path.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == [
        f'reviewed_by: "{REVIEWER}"',
        "last_reviewed: 2026-11-30",
        f'review_fingerprint: "{body_fingerprint("Yes [@beta].")}"',
    ]
    assert [line for line in before.splitlines() if line not in after.splitlines()] == []
    assert after.endswith("---\nYes [@beta].\n")


def test_a_section_keeps_every_other_byte_and_its_line_endings(content_folder):
    path = content_folder.section("first-part", 1, "First body [@beta].\n")
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    record(path, next_review="2027-06-01")
    after = path.read_bytes()
    assert after.count(b"\r\n") == crlf.count(b"\r\n") + 1  # one line added, all CRLF
    assert b"\n" not in after.replace(b"\r\n", b"")
    changed = set(after.split(b"\r\n")) ^ set(crlf.split(b"\r\n"))
    assert changed == {
        b'reviewed_by: ""',
        b'reviewed_by: "Dr Test Person, MD"',
        b'last_reviewed: "2026-11-27"',
        b"last_reviewed: 2026-11-30",
        b'next_review: "2027-05-27"',
        b"next_review: 2027-06-01",
        f'review_fingerprint: "{body_fingerprint("First body [@beta].")}"'.encode(),
    }


def test_the_record_keeps_the_reviewed_body_beside_the_content(content_folder):
    path = content_folder.faq("question-one", 1, "First?", "Yes, it is [@beta].\n")
    record(path)
    kept = read_record(content_folder.root / ".reviews" / "en" / "faq" / "question-one.md")
    assert kept.reviewed_by == REVIEWER
    assert kept.last_reviewed == dt.date(2026, 11, 30)
    assert kept.body == "Yes, it is [@beta].\n"
    assert kept.is_intact
    assert kept.file == "en/faq/question-one.md"


def test_a_file_can_be_named_from_the_content_folder(content_folder):
    record("en/faq/question-two.md")
    assert "reviewed_by" in (content_folder.language_dir / "faq/question-two.md").read_text()


def test_the_fingerprint_ignores_what_a_reader_never_sees():
    assert body_fingerprint("Text.\n") == body_fingerprint("\r\nText.   \r\n\n\n")
    assert body_fingerprint("Text.\n") != body_fingerprint("Text!\n")


def test_a_name_with_a_colon_and_quotes_cannot_break_the_front_matter():
    raw = b'---\ntitle: X\nreviewed_by: ""\n---\nBody\n'
    edited = set_fields(raw, {"reviewed_by": 'Dr "Q": MD'})
    assert edited == b'---\ntitle: X\nreviewed_by: "Dr \\"Q\\": MD"\n---\nBody\n'


@pytest.mark.parametrize(
    ("files", "options", "message"),
    [
        (["en/faq/nope.md"], {}, "en/faq/nope.md: no such file"),
        (["README.md"], {}, "is not in content/en/ or content/es/"),
        (["en/synonyms.md"], {}, "is not patient text"),
        (["en/faq/question-one.md"], {"date": "30/11/2026"}, "is not a date written as"),
        (["en/faq/question-one.md"], {"date": "2999-01-01"}, "is in the future"),
        (["en/faq/question-one.md"], {"reviewer": "   "}, "--reviewer is empty"),
        (["en/faq/question-one.md"], {"next_review": "2026-01-01"}, "must be after --date"),
        (["en/faq/question-one.md", "en/faq/nope.md"], {}, "no such file"),
    ],
)
def test_bad_input_is_refused_and_no_file_is_touched(content_folder, files, options, message):
    content_folder.synonyms("- pill, tablet\n")
    (content_folder.root / "README.md").write_text("Guide\n")
    before = {path: path.read_bytes() for path in content_folder.root.rglob("*.md")}
    with pytest.raises(CommandError, match=message):
        record(*files, **options)
    assert {path: path.read_bytes() for path in content_folder.root.rglob("*.md")} == before
    assert not (content_folder.root / ".reviews").exists()


def test_content_with_errors_is_not_signed_off(content_folder):
    content_folder.faq("question-two", 2, "Second?", "Cites [@nobody].\n")
    with pytest.raises(CommandError, match="fix them first"):
        record("en/faq/question-one.md")


def test_the_command_exits_non_zero_with_a_clear_message(content_folder):
    result = subprocess.run(
        [sys.executable, "manage.py", "record_review", "en/faq/question-one.md", *BAD_DATE],
        cwd=ROOT,
        env={**production_env(), "RLS_IRON_CONTENT_DIR": str(content_folder.root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "--date 'tomorrow' is not a date written as YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
