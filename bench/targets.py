"""The servers `make bench` measures, each started on a free loopback port and stopped after.

``app_server`` runs the app under gunicorn alone (sync or gthread workers) or granian;
``serve_path`` runs exactly what `make serve` runs (deploy/serve.py: nginx in front of
gunicorn); ``nginx_files`` runs nginx serving plain files with the same pre-compressed Brotli
and gzip copies, as a static host serves `make export`. All answer to ``Host: localhost``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, production_env, stop_group, wait_until_up  # noqa: E402

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Debian's package libnginx-mod-http-brotli-static (`make bench` installs it as root).
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


@contextmanager
def process(command: list[str], url: str, env: dict[str, str] | None = None, timeout=120):
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(url, proc, timeout=timeout)
        yield proc
    finally:
        stop_group(proc, timeout=15)


def app_env(static_root: Path, content_dir: Path | None = None) -> dict[str, str]:
    env = production_env(DJANGO_STATIC_ROOT=str(static_root), RLS_IRON_BENCHMARK="1")
    if content_dir is not None:
        env["RLS_IRON_CONTENT_DIR"] = str(content_dir)
    return env


def server_command(kind: str, port: int) -> list[str]:
    if kind == "granian":
        return [
            str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(WORKERS), "--no-access-log",
            "rls_iron.wsgi:application",
        ]  # fmt: skip
    command = [str(BIN / "gunicorn"), "rls_iron.wsgi", "--config", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--no-control-socket"]
    if kind == "gthread":
        command += ["--worker-class", "gthread", "--threads", "4"]
    return command


@contextmanager
def app_server(static_root: Path, kind: str = "sync", content_dir: Path | None = None):
    """The app alone; yields (base URL, the master process)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_env(static_root, content_dir)
    command = server_command(kind, port)
    if content_dir is not None:
        # Each worker loads the content as it starts; a generated set of 12,500 files takes
        # longer than gunicorn's 30 s worker timeout on a busy machine.
        command += ["--timeout", "600"]
    with process(command, base + "/", env, timeout=600) as proc:
        yield base, proc


@contextmanager
def serve_path(static_root: Path, content_dir: Path | None = None):
    """`make serve`: nginx + gunicorn; yields the base URL."""
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    command = [sys.executable, str(ROOT / "deploy" / "serve.py"), "--port", str(port)]
    command += ["--workers", str(WORKERS), "--prefix", str(prefix), "--access-log", "off"]
    base = f"http://127.0.0.1:{port}"
    try:
        with process(command, base + "/", app_env(static_root, content_dir)):
            yield base
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def nginx_config(prefix: Path, root: Path, port: int) -> str:
    # The same worker settings as deploy/nginx.conf, so that only the work per request differs.
    return f"""load_module {BROTLI_MODULE};
daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log stderr crit;
events {{ worker_connections 8192; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  server_tokens off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    # The pre-compressed copies, chosen as the app chooses: Brotli, then gzip.
    brotli_static on;
    gzip_static on;
    gzip_vary on;
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


@contextmanager
def nginx_files(root: Path):
    """nginx serving the files under ``root``; yields the base URL.

    nginx's workers run as an unprivileged user when started by root, so the folders must be
    readable by all (a 0700 temporary folder once made every answer a 403).
    """
    if not BROTLI_MODULE.exists():
        raise RuntimeError(
            f"{BROTLI_MODULE} is missing: apt-get install libnginx-mod-http-brotli-static"
        )
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(prefix, root, port))
    for folder in (root.parent, root):  # the benchmark's own temporary folder, and root
        folder.chmod(0o755)
    base = f"http://127.0.0.1:{port}"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    try:
        with process([nginx, "-p", str(prefix), "-e", "stderr", "-c", str(config)], base + "/"):
            yield base
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
