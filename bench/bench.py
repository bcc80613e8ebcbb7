"""`make bench`: how fast the production server answers, compared with hello-world and nginx.

Starts the production server as `make serve` does (plus a hello-world view that exists only
when RLS_IRON_BENCHMARK=1) and nginx serving the static export, all on loopback ports, warms
them, and runs wrk against each target for several rounds. Prints a table of requests per
second, p50 and p99 latency with the ratios to hello-world and to nginx, and writes
bench/results.json. It also measures content load time and memory for the real content and a
generated large content set, throughput with the large set, how long an edit takes to go
live, and gunicorn (sync, gthread) against granian on the same page.

Every figure here is a measurement on this machine, where wrk competes with the server for
the same 2 cores: compare ratios from one run, not absolute numbers across machines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, production_env, wait_until_up  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


# --------------------------------------------------------------------------- servers


@contextmanager
def process(command: list[str], url: str, env: dict[str, str] | None = None, cwd=ROOT):
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(url, proc, timeout=30)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def app_env(static_root: Path, content_dir: Path | None = None) -> dict[str, str]:
    env = production_env(DJANGO_STATIC_ROOT=str(static_root), RLS_IRON_BENCHMARK="1")
    if content_dir is not None:
        env["RLS_IRON_CONTENT_DIR"] = str(content_dir)
    return env


def server_command(kind: str, port: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    if kind == "granian":
        return [
            str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(WORKERS), "--no-access-log",
            "rls_iron.wsgi:application",
        ]  # fmt: skip
    command = [str(BIN / "gunicorn"), "rls_iron.wsgi", "--bind", bind, "--workers", str(WORKERS)]
    command += ["--no-control-socket"]
    if kind == "gthread":
        command += ["--worker-class", "gthread", "--threads", "4"]
    return command


@contextmanager
def app_server(static_root: Path, kind: str = "sync", content_dir: Path | None = None):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with process(server_command(kind, port), base + "/", app_env(static_root, content_dir)) as proc:
        yield base, proc


@contextmanager
def nginx(export_dir: Path):
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    (prefix / "logs").mkdir()
    config = prefix / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {export_dir};
    gzip_static on;  # the export's pre-compressed .gz files
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with process(["nginx", "-p", str(prefix), "-c", str(config)], base + "/"):
            yield base
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


# --------------------------------------------------------------------------- wrk

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


# Like a browser: every target may answer compressed.
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip"}


def wrk(url: str, headers: dict[str, str] | None = None, seconds: int = DURATION) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in {**BROWSER_HEADERS, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def interleaved_medians(
    targets: list[tuple[str, str, dict[str, str] | None]],
) -> list[tuple[str, dict]]:
    """The median of ROUNDS wrk runs per (name, url, headers) target.

    Each round runs every target once, in turn, so that a change in the machine's speed
    during the benchmark (another process, heat) is shared by all targets instead of
    landing on whichever ran at that moment and skewing the ratios.
    """
    for _, url, headers in targets:
        wrk(url, headers, seconds=1)  # warm up
    rounds: dict[str, list[dict]] = {name: [] for name, _, _ in targets}
    for _ in range(ROUNDS):
        for name, url, headers in targets:
            rounds[name].append(wrk(url, headers))
    return [
        (
            name,
            {
                key: statistics.median(result[key] for result in results)
                for key in ("rps", "p50_ms", "p99_ms", "errors")
            },
        )
        for name, results in rounds.items()
    ]


def etag_of(url: str) -> str:
    request = urllib.request.Request(url, headers=BROWSER_HEADERS)
    with urllib.request.urlopen(request) as response:
        return response.headers["ETag"]


# --------------------------------------------------------------------------- content sets

WORDS = (
    "Iron can help some people with restless legs. Ask your doctor for a blood test first. "
    "Take the pill with water. Keep iron away from children. "
)


def make_large_content(target: Path, sections=50, faq=1000, references=200) -> Path:
    """A generated content set much larger than the real one, kept out of content/."""
    english = target / "en"
    for folder in ("sections", "faq", "references"):
        (english / folder).mkdir(parents=True)
    for name in ("site.md", "disclaimer.md", "emergency.md"):
        shutil.copy(ROOT / "content" / "en" / name, english / name)
    site = (english / "site.md").read_text()
    (english / "site.md").write_text(re.sub(r"\[@[^\]]+\]", "", site))
    for number in range(1, references + 1):
        (english / "references" / f"ref{number}.md").write_text(
            f'---\nkey: ref{number}\ntitle: Generated study {number}\nyear: "2020"\n---\n'
            "What this made-up study found, in one plain sentence.\n"
        )
    for number in range(1, sections + 1):
        cites = " ".join(f"[@ref{(number * 4 + offset) % references + 1}]" for offset in range(4))
        (english / "sections" / f"{number:03d}-part-{number}.md").write_text(
            f"---\ntitle: Part {number}\nsummary: Part {number} of a long guide.\norder: {number}\n"
            f"slug: part-{number}\nlast_reviewed: 2026-11-27\nnext_review: 2027-05-27\n"
            f'reviewed_by: ""\n---\n### A heading\n\n{WORDS * 8}{cites}\n\n- one\n- two\n'
        )
    for number in range(1, faq + 1):
        (english / "faq" / f"question-{number}.md").write_text(
            f"---\nquestion: Is this generated question number {number}?\n"
            f"slug: question-{number}\norder: {number}\n---\n"
            f"Yes. {WORDS * 3}[@ref{number % references + 1}]\n"
        )
    return target


def load_figures(content_dir: Path) -> dict:
    """Cold load time and memory of the content module alone, in a fresh process."""
    code = (
        "import time, django, resource\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from rls_iron.content import load_guide\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = time.perf_counter()\n"
        "guide = load_guide(settings.CONTENT_DIR)\n"
        "elapsed = time.perf_counter() - start\n"
        "rss = int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0])\n"
        "print(elapsed, rss, len(guide.sections), len(guide.faq), len(guide.references))\n"
    )
    env = production_env(RLS_IRON_CONTENT_DIR=str(content_dir))
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        "load_seconds": round(float(output[0]), 3),
        "process_rss_mb": round(int(output[1]) / 1024, 1),
        "sections": int(output[2]),
        "faq": int(output[3]),
        "references": int(output[4]),
    }


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(round(int(status.split("VmRSS:")[1].split()[0]) / 1024, 1))
    return sizes


def edit_to_live_seconds(base: str, content_dir: Path, attempts: int = 3) -> float:
    path = content_dir / "en" / "faq" / "is-iron-a-cure.md"
    original = path.read_text()
    times = []
    for attempt in range(attempts):
        marker = f"EDIT{attempt}{time.time_ns()}"
        path.write_text(original.replace("question: ", f"question: {marker} ", 1))
        start = time.perf_counter()
        while True:
            with urllib.request.urlopen(base + "/faq/is-iron-a-cure/") as response:
                if marker.encode() in response.read():
                    break
            time.sleep(0.02)
        times.append(time.perf_counter() - start)
        time.sleep(1.5)
    path.write_text(original)
    return round(statistics.median(times), 2)


# --------------------------------------------------------------------------- report


def first_visit_weight(url: str) -> dict:
    """Bytes a fresh Chromium transfers to show url (issue 5: at most 35 KB, goal 25 KB)."""
    from playwright.sync_api import Error, sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.pageweight import first_visit

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:  # no Chromium here: the other figures still count
            return {"error": str(error).splitlines()[0]}
        try:
            sizes = first_visit(browser, url)
        finally:
            browser.close()
    return {"bytes": sum(size for size, _ in sizes), "requests": len(sizes)}


def table(rows: list[tuple[str, dict]], hello: dict, nginx_row: dict) -> str:
    lines = [
        f"{'target':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x hello':>8} "
        f"{'p99/hello':>9} {'x nginx':>8}"
    ]
    for name, row in rows:
        lines.append(
            f"{name:34} {row['rps']:9.0f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} "
            f"{row['rps'] / hello['rps']:8.2f} {row['p99_ms'] / hello['p99_ms']:9.2f} "
            f"{row['rps'] / nginx_row['rps']:8.3f}"
        )
    return "\n".join(lines)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="rls-bench-"))
    results: dict = {"rounds": ROUNDS, "seconds": DURATION, "connections": CONNECTIONS}
    try:
        static_root = work / "static"
        env = production_env(DJANGO_STATIC_ROOT=str(static_root))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        export_dir = work / "export"
        subprocess.run(
            [sys.executable, "manage.py", "export_site", "--output", str(export_dir)],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        fragment_headers = {"HX-Request": "true"}
        answer = "/faq/how-long-does-iron-take/"

        print(f"Benchmark: {ROUNDS} rounds x {DURATION}s, {CONNECTIONS} connections, medians")
        with app_server(static_root) as (base, master), nginx(export_dir) as nginx_base:
            targets = [
                ("hello-world (same Django)", base + "/bench/hello/", None),
                ("/ (guide)", base + "/", None),
                ("/faq/", base + "/faq/", None),
                ("FAQ fragment (HX-Request)", base + answer, fragment_headers),
                ("/ conditional -> 304", base + "/", {"If-None-Match": etag_of(base + "/")}),
                ("nginx: exported /", nginx_base + "/", None),
            ]
            rows = interleaved_medians(targets)
            results["workers_rss_mb_real_content"] = worker_rss_mb(master)
            results["first_visit_to_guide"] = first_visit_weight(base + "/")
        by_name = dict(rows)
        hello, nginx_row = by_name["hello-world (same Django)"], by_name["nginx: exported /"]
        print(table(rows, hello, nginx_row))
        weight = results["first_visit_to_guide"]
        if "bytes" in weight:
            print(
                f"\nA first visit to / transfers {weight['bytes']} bytes in "
                f"{weight['requests']} requests (limit 35 KB = 35840, goal 25 KB = 25600)"
            )
        else:
            print(f"\nPage weight not measured: {weight['error']}")
        results["targets"] = by_name

        print("\nServers on / (same app, same workers; rounds interleaved):")
        servers: dict[str, dict] = {}
        with ExitStack() as running:
            bases = {}
            for kind in ("sync", "gthread", "granian"):
                try:
                    bases[kind], _ = running.enter_context(app_server(static_root, kind))
                except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
                    servers[kind] = {"error": str(error)}
            servers.update(interleaved_medians([(k, b + "/", None) for k, b in bases.items()]))
        for kind in ("sync", "gthread", "granian"):
            row = servers[kind]
            if "rps" in row:
                print(
                    f"  {kind:8} {row['rps']:9.0f} req/s  "
                    f"p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms"
                )
            else:
                print(f"  {kind:8} failed: {row['error']}")
        results["servers"] = servers

        print("\nContent:")
        large_dir = make_large_content(work / "large-content")
        real = load_figures(ROOT / "content")
        large = load_figures(large_dir)
        print(
            f"  real content:  load {real['load_seconds']} s, "
            f"process RSS {real['process_rss_mb']} MB"
        )
        print(
            f"  large content ({large['sections']} sections, {large['faq']} FAQ, "
            f"{large['references']} references): load {large['load_seconds']} s, "
            f"process RSS {large['process_rss_mb']} MB"
        )
        # Both servers run side by side and their rounds alternate, so the two throughputs
        # are measured under the same conditions (an idle server takes no CPU).
        with (
            app_server(static_root) as (real_base, _),
            app_server(static_root, content_dir=large_dir) as (large_base, master),
        ):
            compared = dict(
                interleaved_medians(
                    [
                        ("real /", real_base + "/", None),
                        ("large /", large_base + "/", None),
                        ("real answer", real_base + answer, None),
                        ("large answer", large_base + "/faq/question-500/", None),
                    ]
                )
            )
            large_rss = worker_rss_mb(master)
        large_rows = {"/": compared["large /"], "answer": compared["large answer"]}
        for page in ("/", "answer"):
            print(
                f"  large content {page}: {compared[f'large {page}']['rps']:.0f} req/s, "
                f"real content {page}: {compared[f'real {page}']['rps']:.0f} req/s "
                f"({compared[f'large {page}']['rps'] / compared[f'real {page}']['rps']:.2f}x)"
            )
        print(
            f"  worker RSS with the large content {large_rss} MB "
            f"(real content: {results['workers_rss_mb_real_content']} MB)"
        )
        live_dir = work / "live-content"
        shutil.copytree(ROOT / "content", live_dir)
        with app_server(static_root, content_dir=live_dir) as (base, _):
            live = edit_to_live_seconds(base, live_dir)
        print(f"  an edit goes live in {live} s (median of 3)")
        results["content"] = {
            "real": real,
            "large": large,
            "large_throughput": large_rows,
            "large_against_real": compared,
            "workers_rss_mb_large_content": large_rss,
            "edit_to_live_seconds": live,
        }
        (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        print("\nWrote bench/results.json")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
