"""`make bench` fails on a wrong answer: its own checks (bench/measure.py), against real servers.

A small HTTP server on loopback answers with whatever status and body a test sets; wrk and the
checks run against it for a second, as `make bench` runs them against the site.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from content_sets import CONTENT_SETS, load_figures, make_content
from measure import BenchFailure, Target, check_target, parse_wrk, run_wrk
from record import about_this_run, write_results

COUNTER = itertools.count()


@contextmanager
def answering(status: int, body=lambda: b"the same page"):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            content = body() if status != 304 else b""
            self.send_response(status)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("status", [404, 500])
def test_bench_check_fails_naming_a_target_that_answers_an_error(status):
    with answering(status) as url, pytest.raises(BenchFailure, match=f"^site: answered {status}"):
        check_target(Target("site", url))


@pytest.mark.parametrize("status", [404, 500])
def test_bench_wrk_run_fails_when_answers_are_errors(status):
    with answering(status) as url, pytest.raises(BenchFailure, match=rf"^site: .*{{{status}: \d+"):
        run_wrk(Target("site", url), seconds=1, connections=2)


def test_bench_fails_when_a_conditional_request_gets_a_whole_page():
    with answering(200) as url, pytest.raises(BenchFailure, match="answered 200, expected 304"):
        check_target(Target("conditional", url, (("If-None-Match", '"v1"'),), expect=304))


def test_bench_fails_when_the_body_differs_from_a_plain_request():
    with (
        answering(200, body=lambda: f"page {next(COUNTER)}".encode()) as url,
        pytest.raises(BenchFailure, match="body differs"),
    ):
        check_target(Target("changing", url))


def test_bench_fails_on_socket_errors_reported_by_wrk():
    output = (
        "  Latency Distribution\n     50%  1.00ms\n     99%  2.00ms\n"
        "  Socket errors: connect 0, read 3, write 0, timeout 2\n"
        "Requests/sec:   1000.00\nstatuses 200=5000\n"
    )
    with pytest.raises(BenchFailure, match="socket errors"):
        parse_wrk("site", output, 200)


def test_bench_measures_a_target_that_answers_right_and_counts_its_statuses():
    with answering(200) as url:
        assert check_target(Target("site", url)) == b"the same page"
        row = run_wrk(Target("site", url), seconds=1, connections=2)
    assert set(row["statuses"]) == {200}
    assert row["statuses"][200] > 10
    assert row["rps"] > 10


def git(folder, *arguments):
    subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "bench@example.org")
    git(tmp_path, "config", "user.name", "bench")
    (tmp_path / "bench").mkdir()
    (tmp_path / "code.py").write_text("print(1)\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_bench_results_are_written_by_a_clean_run_with_commit_date_and_cores(repository):
    results = about_this_run(repository, rounds=3)
    assert "Wrote bench/results.json" in write_results(repository, results)
    written = json.loads((repository / "bench" / "results.json").read_text())
    assert written["commit"] == results["commit"]
    assert len(written["commit"]) == 40
    assert written["cores"] == os.cpu_count()
    assert written["date"].startswith("20")
    # Its own earlier results do not make the next run dirty.
    assert "Wrote" in write_results(repository, about_this_run(repository))


@pytest.mark.parametrize("change", ["edit", "new file"])
def test_bench_results_are_refused_when_the_tree_has_changes(repository, change):
    results = about_this_run(repository)
    if change == "edit":
        (repository / "code.py").write_text("print(2)\n")
    else:
        (repository / "bench" / "new.py").write_text("")
    said = write_results(repository, results)
    assert said.startswith("bench/results.json was not written: the working tree has changes")
    assert not (repository / "bench" / "results.json").exists()


def test_bench_results_are_refused_when_the_commit_changed_during_the_run(repository):
    results = about_this_run(repository)
    git(repository, "commit", "-q", "--allow-empty", "-m", "second")
    assert "the commit changed" in write_results(repository, results)
    assert not (repository / "bench" / "results.json").exists()


@pytest.mark.parametrize("name", ["large", "10x large"])
def test_bench_content_sets_have_the_sizes_the_issue_asks_for(tmp_path, name):
    sections, faq, references = CONTENT_SETS[name]
    assert (sections, faq, references) == {
        "large": (50, 1000, 200),
        "10x large": (500, 10000, 2000),
    }[name]
    english = make_content(tmp_path / "set", sections, faq, references) / "en"
    for folder, count in (("sections", sections), ("faq", faq), ("references", references)):
        assert len(list((english / folder).glob("*.md"))) == count
    assert not (ROOT / "content" / "en" / "faq" / "question-1.md").exists()


def test_bench_large_content_set_passes_the_content_checks_and_loads(tmp_path):
    """The loader's checks once refused every generated source (no address), so no run ended."""
    sections, faq, references = CONTENT_SETS["large"]
    figures = load_figures(make_content(tmp_path / "large", sections, faq, references))
    assert (figures["sections"], figures["faq"], figures["references"]) == CONTENT_SETS["large"]
    assert figures["load_seconds"] > 0
