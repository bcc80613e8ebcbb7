"""Editing content under a running gunicorn with several workers, as editors will.

Each worker keeps its own copy of the content, so every change is checked in both workers:
the access log names the worker (process id) that answered each request.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port, gunicorn, production_env

FAQ_FILE = "en/faq/is-iron-a-cure.md"
FAQ_URL = "/faq/is-iron-a-cure/"


@pytest.fixture
def live_content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


@pytest.fixture
def two_workers(static_root, live_content, tmp_path):
    log = tmp_path / "access.log"
    with gunicorn(
        static_root,
        workers=2,
        log_path=log,
        extra_args=["--access-logformat", "%(p)s %(s)s %(U)s"],
        RLS_IRON_CONTENT_DIR=str(live_content),
    ) as base:
        yield base, log


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def workers_answering(log: Path, since: int) -> set[str]:
    lines = log.read_text().splitlines()[since:]
    return {match.group(1) for line in lines if (match := re.match(r"<(\d+)>", line))}


def log_length(log: Path) -> int:
    return len(log.read_text().splitlines())


def until_every_worker_shows(base: str, log: Path, path: str, predicate, timeout: float = 10):
    """Poll until both workers answer and every answer satisfies the predicate."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        start = log_length(log)
        answers = [get(base + path) for _ in range(12)]
        time.sleep(0.2)  # let the access log catch up
        if (
            all(predicate(*answer) for answer in answers)
            and len(workers_answering(log, start)) == 2
        ):
            return
        time.sleep(0.3)
    raise AssertionError(f"not every worker showed the change to {path} within {timeout}s")


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_an_edit_shows_in_every_worker_without_a_restart(two_workers, live_content):
    base, log = two_workers
    rewrite(live_content / FAQ_FILE, "question: ", "question: EDITED ")
    until_every_worker_shows(base, log, FAQ_URL, lambda status, body: "EDITED" in body)


def test_a_broken_edit_keeps_the_last_good_content_in_every_worker(two_workers, live_content):
    base, log = two_workers
    rewrite(live_content / FAQ_FILE, "question: ", "question: GOOD ")
    until_every_worker_shows(base, log, FAQ_URL, lambda status, body: "GOOD" in body)

    rewrite(live_content / FAQ_FILE, "question: GOOD ", "question: BROKEN [@nobody] ")
    text = (live_content / FAQ_FILE).read_text()
    (live_content / FAQ_FILE).write_text(text + "\nCites [@nobody-at-all].\n")
    time.sleep(2)  # past the check interval and the settle time
    until_every_worker_shows(
        base, log, FAQ_URL, lambda status, body: status == 200 and "GOOD" in body
    )


def test_a_new_file_appears_and_a_deleted_file_disappears(two_workers, live_content):
    base, log = two_workers
    new_file = live_content / "en/faq/a-new-question.md"
    new_file.write_text(
        "---\nquestion: Is this a brand new question?\nslug: a-new-question\norder: 99\n---\n"
        "Yes. It was just added.\n"
    )
    until_every_worker_shows(base, log, "/faq/a-new-question/", lambda status, body: status == 200)
    new_file.unlink()
    until_every_worker_shows(base, log, "/faq/a-new-question/", lambda status, body: status == 404)


def test_a_slowly_saved_file_is_never_served_half_written(two_workers, live_content):
    base, log = two_workers
    path = live_content / FAQ_FILE
    front_matter = path.read_text().split("---\n", 2)[1]
    new_body = "NEWSTART " + "These words arrive slowly. " * 40 + "NEWEND\n"
    seen: list[str] = []
    done = threading.Event()

    def reader():
        while not done.is_set():
            status, html = get(base + FAQ_URL)
            seen.append("new" if "NEWSTART" in html else "old")
            if "NEWSTART" in html and "NEWEND" not in html:
                seen.append("TORN")
            if status != 200:
                seen.append(f"status {status}")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        text = "---\n" + front_matter + "---\n" + new_body
        with path.open("w", encoding="utf-8") as handle:
            for start in range(0, len(text), len(text) // 4 + 1):
                handle.write(text[start : start + len(text) // 4 + 1])
                handle.flush()
                time.sleep(0.3)
        # Both workers are shown the whole new file. (Five "new" answers in a row were not
        # enough: each worker looks for edits on its own, and under load the last answer
        # could still come from the one that had not yet looked.)
        until_every_worker_shows(
            base, log, FAQ_URL, lambda status, html: "NEWEND" in html, timeout=30
        )
        time.sleep(0.5)  # the reader goes on a little: nothing old or torn comes back
    finally:
        done.set()
        thread.join()
    assert "TORN" not in seen
    assert not [entry for entry in seen if entry.startswith("status")]
    assert seen[0] == "old"
    assert seen[-1] == "new"
    assert "old" not in seen[seen.index("new") :][-20:]


@pytest.mark.slow  # starts a process
def test_make_serve_refuses_to_start_with_broken_content(live_content):
    (live_content / FAQ_FILE).write_text("---\nquestion: [unclosed\n---\nText.\n")
    result = subprocess.run(
        ["make", "serve", f"PORT={free_port()}"],
        cwd=ROOT,
        env=production_env(RLS_IRON_CONTENT_DIR=str(live_content)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "is-iron-a-cure.md:2: ERROR rls_iron.E002" in result.stdout
    assert "Serving http" not in result.stdout
