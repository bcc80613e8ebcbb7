"""Start the production servers for HTTP tests: `make serve` itself (nginx in front of gunicorn,
``served``) and gunicorn alone (``gunicorn``, DEBUG off), the app server behind it."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# A page of the real content whose "Was this helpful?" vote the feedback tests send.
VOTE_PAGE = "/faq/is-iron-a-cure/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(
    base: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request exactly as given: the path is sent as is, and redirects are not followed."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def post_vote(base: str, value: str = "yes", *, reader: str | None = None) -> int:
    """One vote on ``VOTE_PAGE`` as the page's script sends it, from ``reader``'s address
    (X-Forwarded-For) if given. Its status; 0 if the connection died with the server."""
    data = urllib.parse.urlencode({"page": VOTE_PAGE, "vote": value}).encode()
    headers = {"Origin": base, "HX-Request": "true"}
    if reader:
        headers["X-Forwarded-For"] = reader
    request = urllib.request.Request(base + "/feedback/", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code
    except OSError:
        return 0


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RLS_IRON_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rls_iron.settings",
        DJANGO_SECRET_KEY="test-secret-key-" + "x" * 50,
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def collectstatic(static_root: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(static_root)},
        check=True,
    )


def stop_group(
    process: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 10
) -> None:
    """Stop a process started with ``start_new_session=True`` and its children.

    ``sig`` first; SIGKILL if the group has not stopped within ``timeout`` seconds.
    """
    with suppress(ProcessLookupError):  # it may have stopped by itself
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    """Wait for any HTTP answer (a redirect to HTTPS counts: it is not followed)."""
    address = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            http_request(f"{address.scheme}://{address.netloc}", address.path or "/")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def gunicorn(
    static_root: Path,
    *,
    workers: int = 2,
    log_path: Path | None = None,
    extra_args: list[str] | None = None,
    **env_overrides: str,
):
    """Run gunicorn with production settings; yields the base URL."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "rls_iron.wsgi",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        "--access-logfile",
        "-",
        *(extra_args or []),
    ]
    env = production_env(DJANGO_STATIC_ROOT=str(static_root), **env_overrides)
    with _serving(command, env, port, log_path) as base:
        yield base


def new_serve_prefix() -> Path:
    """A new folder for `make serve`'s configuration, socket and cache."""
    # Not under pytest's tmp_path (mode 0700): nginx's unprivileged workers must reach it.
    return Path(tempfile.mkdtemp(prefix="rls-serve-"))


@contextmanager
def served(
    static_root: Path,
    *,
    workers: int = 2,
    log_path: Path | None = None,
    prefix: Path | None = None,
    port: int | None = None,
    **env_overrides: str,
):
    """Run exactly what `make serve` runs (deploy/serve.py: nginx + gunicorn); yields the URL.

    nginx's access log and both servers' messages go to ``log_path``; the configuration,
    socket and cache go to ``prefix`` (a new temporary folder by default). A second run with
    the same ``prefix`` and ``port`` is a restart of the same site.
    """
    port = port or free_port()
    own_prefix = prefix is None  # one the caller passed is theirs to keep for a second run
    prefix = prefix or new_serve_prefix()
    command = [
        sys.executable, str(ROOT / "deploy" / "serve.py"), "--port", str(port),
        "--workers", str(workers), "--prefix", str(prefix),
    ]  # fmt: skip
    env = production_env(DJANGO_STATIC_ROOT=str(static_root), **env_overrides)
    try:
        with _serving(command, env, port, log_path, timeout=60) as base:
            yield base
    finally:
        if own_prefix:
            shutil.rmtree(prefix, ignore_errors=True)


@contextmanager
def dev_server(*, log_path: Path | None = None, **env_overrides: str):
    """Run `make dev`'s server (runserver, DEBUG on, watching files); yields the base URL."""
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]
    env = production_env(DJANGO_DEBUG="1", **env_overrides)
    with _serving(command, env, port, log_path, timeout=60) as base:
        yield base


@contextmanager
def _serving(
    command: list[str],
    env: dict[str, str],
    port: int,
    log_path: Path | None,
    timeout: float = 20,
):
    # Appending: nginx reopens the same file (/dev/stdout) and must not overwrite gunicorn.
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    # A session of its own, so that stopping it also stops runserver's reloading child.
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process, timeout)
        yield base
    finally:
        stop_group(process, timeout=10)
        if log_path:
            log.close()
