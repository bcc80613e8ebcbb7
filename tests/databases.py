"""A throw-away PostgreSQL server for the tests, and a switch that runs a test on it.

``throwaway_postgres`` runs Debian's PostgreSQL (`make test` installs the ``postgresql``
package when it is missing) from a fresh ``initdb`` in a temporary folder, listening only
on a Unix socket in that folder, with durability turned off (the data is thrown away), and
removes it all afterwards. PostgreSQL refuses to run as root, so as root it runs as the
``postgres`` user that the package creates. ``DatabaseSwitch`` is a database router that
sends every query to one alias; the ``database`` fixture (tests/conftest.py) sets it, so a
test marked ``both_databases`` runs once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.servers import free_port, stop_group

POSTGRES_USER = "postgres"
# Settings for a server whose data nobody keeps: no waiting for the disk.
FAST = ["fsync=off", "synchronous_commit=off", "full_page_writes=off", "listen_addresses="]


def postgres_bin() -> Path:
    """The newest PostgreSQL that Debian's packages installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    if not found:
        raise RuntimeError(
            "The tests need PostgreSQL: run `make test` as root (it installs the Debian "
            "package), or apt-get install postgresql"
        )
    return found[-1].parent


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: str
    port: int
    user: str = POSTGRES_USER

    def settings(self, name: str) -> dict:
        """A Django DATABASES entry for a database on this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.user,
            "HOST": self.socket_dir,
            "PORT": str(self.port),
            "TEST": {"NAME": f"test_{name}"},
        }

    def url(self, name: str) -> str:
        """A DATABASE_URL for a database on this server (the socket folder as its host)."""
        return f"postgres://{self.user}@{quote(self.socket_dir, safe='')}:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.socket_dir, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    # Not under pytest's temporary folders: their parents are closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="rls-pg-"))
    as_postgres = []
    if os.geteuid() == 0:
        shutil.chown(folder, POSTGRES_USER, POSTGRES_USER)
        as_postgres = ["runuser", "-u", POSTGRES_USER, "--"]
    binaries = postgres_bin()
    data = folder / "data"
    initdb = ["-D", data, "-U", POSTGRES_USER, "--auth=trust", "--no-sync", "--encoding=UTF8"]
    try:
        subprocess.run(
            [*as_postgres, binaries / "initdb", *initdb, "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
        )
        port = free_port()
        options = [item for setting in FAST for item in ("-c", setting)]
        process = subprocess.Popen(
            [
                *as_postgres,
                binaries / "postgres",
                "-D",
                data,
                "-p",
                str(port),
                "-k",
                folder,
                *options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_ready(binaries, folder, port, process)
            yield PostgresServer(str(folder), port)
        finally:
            # SIGINT is PostgreSQL's "fast" shutdown; runuser passes it on.
            stop_group(process, sig=signal.SIGINT, timeout=20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(binaries: Path, folder: Path, port: int, process) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited with {process.returncode}")
        ready = subprocess.run(
            [binaries / "pg_isready", "-q", "-h", folder, "-p", str(port)], check=False
        )
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("PostgreSQL did not start within 30 s")


class DatabaseSwitch:
    """A database router that sends every model to ``alias`` (set by a test fixture)."""

    alias = "default"

    def db_for_read(self, model, **hints) -> str:
        return DatabaseSwitch.alias

    def db_for_write(self, model, **hints) -> str:
        return DatabaseSwitch.alias

    def allow_relation(self, first, second, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return True
