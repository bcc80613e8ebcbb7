"""`make serve`: nginx in front of gunicorn, started and stopped as one foreground command.

Writes deploy/nginx.conf into a private folder (``.serve/``, git-ignored) with the addresses
and the access log filled in, starts gunicorn (sync workers, gunicorn.conf.py) on a free
loopback port, then nginx in the foreground on HOST:PORT. gunicorn believes nginx's
X-Forwarded-For (``DJANGO_TRUSTED_PROXIES=127.0.0.1`` unless set), so rate limits and log-in
lock-outs count each reader by their own address. nginx
reads each request whole before gunicorn sees it and keeps cacheable patient pages for a
second (see the comments in deploy/nginx.conf). Ctrl+C, SIGTERM or the end of either server
stops both. The tests start exactly this (tests/servers.py ``served``).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"


def listen_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(prefix: Path, *, host: str, port: int, app_port: int, access_log: str) -> Path:
    values = {
        "PREFIX": str(prefix),
        "APP": f"127.0.0.1:{app_port}",
        "LISTEN": listen_address(host, port),
        "ACCESS_LOG": "off" if access_log == "off" else f"{access_log} query_free",
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    config = prefix / "nginx.conf"
    config.write_text(text)
    return config


def gunicorn_command(app_port: int, workers: int) -> list[str]:
    # No access log here: nginx writes the one access log, cache hits included.
    return [
        str(BIN / "gunicorn"), "rls_iron.wsgi", "--config", str(ROOT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{app_port}", "--workers", str(workers), "--no-control-socket",
        "--error-logfile", "-",
    ]  # fmt: skip


def nginx_command(prefix: Path, config: Path, *test: str) -> list[str]:
    # -e: errors before the configuration is read go to stderr, not to /var/log/nginx.
    return [
        shutil.which("nginx") or "nginx",
        "-p",
        str(prefix),
        "-e",
        "stderr",
        "-c",
        str(config),
        *test,
    ]


def wait_for_app(app_port: int, app: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", app_port), timeout=1).close()
            return
        except OSError:
            if app.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("error: gunicorn did not start (see its messages above)") from None
            time.sleep(0.05)


def stop(app: subprocess.Popen, web: subprocess.Popen | None) -> None:
    """Graceful stops: nginx finishes its answers (QUIT), gunicorn its requests (TERM)."""
    for process, sig in ((web, signal.SIGQUIT), (app, signal.SIGTERM)):
        if process is not None and process.poll() is None:
            process.send_signal(sig)
    for process in (web, app):
        if process is None:
            continue
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(*, host: str, port: int, workers: int, prefix: Path, access_log: str) -> int:
    prefix.mkdir(parents=True, exist_ok=True)
    # nginx's workers run as an unprivileged user when started by root: they must reach the
    # cache and the temporary folders inside the prefix.
    prefix.chmod(0o755)
    lock = (prefix / "serve.lock").open("w")
    try:  # held until this process ends: a second `make serve` must not rewrite its files
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"error: another `make serve` is running from {prefix}", file=sys.stderr)
        return 1
    # Pages kept by an earlier run came from the code and content of then: nginx would answer
    # the first reader of each with that copy (it serves a stale page while it fetches anew).
    shutil.rmtree(prefix / "cache", ignore_errors=True)
    app_port = free_loopback_port()
    config = write_config(prefix, host=host, port=port, app_port=app_port, access_log=access_log)
    if subprocess.run(nginx_command(prefix, config, "-t", "-q")).returncode:
        print(f"error: nginx refused {config} (see above)", file=sys.stderr)
        return 1

    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    env = {"DJANGO_TRUSTED_PROXIES": "127.0.0.1", **os.environ}
    app = subprocess.Popen(gunicorn_command(app_port, workers), cwd=ROOT, env=env)
    web = None
    try:
        # nginx only once gunicorn listens: a request before that would make nginx log an
        # error quoting the request line, query string included.
        wait_for_app(app_port, app)
        web = subprocess.Popen(nginx_command(prefix, config), cwd=ROOT)
        while not stopping and app.poll() is None and web.poll() is None:
            time.sleep(0.2)
    finally:
        stop(app, web)
    if stopping:
        return 0
    print("error: a server stopped by itself; both are stopped now", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--prefix", type=Path, default=ROOT / ".serve")
    parser.add_argument("--access-log", default="/dev/stdout", help="a file, or off")
    args = parser.parse_args(argv)
    return serve(
        host=args.host,
        port=args.port,
        workers=args.workers,
        prefix=args.prefix.resolve(),
        access_log=args.access_log,
    )


if __name__ == "__main__":
    sys.exit(main())
