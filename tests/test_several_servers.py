"""Several servers, one site: two gunicorn servers on one PostgreSQL and one content folder.

This is the setup README "Scaling out" describes: each server (here on its own port, as
on its own machine behind a load balancer) reads the same content/ folder and writes to the
same database, so feedback posted to either is stored once, the rate limit is one count per
reader across both, and an edit shows on both within the content settle time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from tests.servers import ROOT, VOTE_PAGE, gunicorn, post_vote, production_env

POSTS = 200
RATE_LIMIT = 10
# What the servers are told (README "Scaling out"): look for edits every second, and wait
# half a second after a file was last written.
CHECK_INTERVAL, SETTLE = 1.0, 0.5


@pytest.fixture(scope="module")
def site(postgres_server, static_root, tmp_path_factory):
    """Two servers sharing a fresh PostgreSQL database and a copy of content/."""
    name = "several_" + uuid.uuid4().hex[:8]
    postgres_server.create_database(name)
    content = tmp_path_factory.mktemp("shared") / "content"
    shutil.copytree(ROOT / "content", content)
    env = {
        "DATABASE_URL": postgres_server.url(name),
        "RLS_IRON_CONTENT_DIR": str(content),
        "RLS_IRON_CONTENT_CHECK_INTERVAL": str(CHECK_INTERVAL),
        "RLS_IRON_CONTENT_SETTLE_SECONDS": str(SETTLE),
        "RLS_IRON_FEEDBACK_RATE_LIMIT": str(RATE_LIMIT),
        # The test plays the proxy in front (as nginx does): it names each reader.
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(**env),
        check=True,
    )
    with ExitStack() as stack:
        # One worker each keeps the test light; each is its own process, like a server.
        servers = [stack.enter_context(gunicorn(static_root, workers=1, **env)) for _ in "ab"]
        yield servers, content, postgres_server.url(name)


def stored_votes(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        row = connection.execute(
            "select count(*) filter (where helpful), count(*) filter (where not helpful) "
            "from rls_iron_feedback"
        ).fetchone()
    return row[0], row[1]


def test_posts_to_both_servers_are_each_stored_once(site):
    servers, _content, url = site
    before = stored_votes(url)

    def send(index: int) -> tuple[int, int, bool]:
        helpful = index % 3 != 0
        reader = f"10.1.{index // 250}.{index % 250}"  # one post per reader: none is limited
        server = index % 2
        return (
            server,
            post_vote(servers[server], "yes" if helpful else "no", reader=reader),
            helpful,
        )

    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(send, range(POSTS)))
    seconds = time.monotonic() - started
    acknowledged = [(server, helpful) for server, status, helpful in results if status == 200]
    yes, no = stored_votes(url)
    per_server = [sum(1 for server, _ in acknowledged if server == n) for n in (0, 1)]
    print(
        f"\n{POSTS} posts in {seconds:.1f} s from 20 threads: acknowledged {len(acknowledged)} "
        f"(server A {per_server[0]}, server B {per_server[1]}); stored {yes - before[0]} yes "
        f"and {no - before[1]} no"
    )
    assert len(acknowledged) == POSTS
    assert yes - before[0] == sum(1 for _, helpful in acknowledged if helpful)
    assert no - before[1] == sum(1 for _, helpful in acknowledged if not helpful)


def test_the_rate_limit_is_one_count_per_reader_across_both_servers(site):
    servers, _content, _url = site
    for reader in ("198.51.100.23", "198.51.100.24"):  # again if a minute began meanwhile
        minute = int(time.time() // 60)
        statuses = [post_vote(servers[index % 2], reader=reader) for index in range(RATE_LIMIT + 6)]
        if int(time.time() // 60) == minute:
            break
    print(
        f"\none reader, {len(statuses)} posts alternating between the servers: "
        f"{statuses.count(200)} accepted, {statuses.count(429)} refused "
        f"(limit {RATE_LIMIT} a minute)"
    )
    assert statuses == [200] * RATE_LIMIT + [429] * 6
    assert post_vote(servers[0], reader="198.51.100.99") == 200  # another reader is not held up


def test_an_edit_shows_on_both_servers_within_the_settle_time(site):
    servers, content, _url = site
    marker = f"Edited-{uuid.uuid4().hex[:6]}"
    answer = content / "en" / "faq" / "is-iron-a-cure.md"
    answer.write_text(answer.read_text() + f"\nAsk your doctor. {marker}.\n", encoding="utf-8")
    edited = time.monotonic()
    seen: dict[int, float] = {}
    deadline = edited + 20
    while len(seen) < len(servers) and time.monotonic() < deadline:
        for number, base in enumerate(servers):
            if number not in seen:
                with urllib.request.urlopen(base + VOTE_PAGE, timeout=10) as response:
                    if marker in response.read().decode():
                        seen[number] = time.monotonic() - edited
        time.sleep(0.05)
    print(
        "\nan edit to content/ showed on "
        + ", ".join(f"server {'AB'[n]} after {seen[n]:.2f} s" for n in sorted(seen))
        + f" (check every {CHECK_INTERVAL:g} s, settle {SETTLE:g} s)"
    )
    assert sorted(seen) == [0, 1]
    # One check interval to notice, the settle time, and the reload itself: parsing every
    # file takes about 1 s here, and several seconds on a busy two-core machine.
    assert max(seen.values()) < CHECK_INTERVAL + SETTLE + 8
