"""Feedback under a real gunicorn: many workers at once, and a crash mid-flight."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from tests.servers import ROOT, gunicorn, post_vote, production_env

POSTS = 500
THREADS = 50


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(DJANGO_DATABASE_PATH=str(path)),
        check=True,
    )
    return path


def server_env(database):
    return {"DJANGO_DATABASE_PATH": str(database), "RLS_IRON_FEEDBACK_RATE_LIMIT": "1000000"}


def rows(database) -> int:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("select count(*) from rls_iron_feedback").fetchone()[0]


@pytest.mark.slow  # starts a process
def test_500_posts_from_50_threads_to_4_workers_all_land(static_root, database):
    with (
        gunicorn(static_root, workers=4, **server_env(database)) as base,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        statuses = list(
            pool.map(lambda index: post_vote(base, "yes" if index % 3 else "no"), range(POSTS))
        )
    assert statuses == [200] * POSTS
    assert rows(database) == POSTS


@pytest.mark.slow  # starts a process
def test_every_answered_post_survives_a_kill_9(static_root, database, tmp_path):
    answered = []
    stop = threading.Event()

    with gunicorn(static_root, workers=4, **server_env(database)) as base:
        port = base.rsplit(":", 1)[1]

        def poster():
            while not stop.is_set():
                if post_vote(base) == 200:
                    answered.append(1)

        threads = [threading.Thread(target=poster) for _ in range(20)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        # The master and its workers share one command line: kill them all at once.
        found = subprocess.run(
            ["pgrep", "-f", f"gunicorn rls_iron.wsgi --bind 127.0.0.1:{port}"],
            capture_output=True,
            text=True,
        )
        for pid in map(int, found.stdout.split()):
            os.kill(pid, signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join()

    assert len(answered) > 20
    with gunicorn(static_root, workers=2, **server_env(database)):
        assert rows(database) >= len(answered)
