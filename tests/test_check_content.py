"""`manage.py check` and `manage.py check_content` (make check-content) report content problems."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.servers import ROOT, production_env


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


@pytest.mark.slow  # starts a process
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
