"""`make bench`: how fast `make serve` answers, compared with nginx serving the same bytes.

Starts, on loopback ports: exactly what `make serve` runs (nginx in front of gunicorn), the app
under gunicorn alone (with a hello-world view that exists only when RLS_IRON_BENCHMARK=1),
and nginx serving the app's own answer for `/` as plain files with the same Brotli and gzip
copies (as a static host serves `make export`). Every target is checked before it is measured
and every answer wrk gets is counted by status (bench/measure.py): a wrong status, a body
that differs from a plain request's, or a socket error fails the run, names the target, and
leaves bench/results.json alone. Rounds are interleaved; the table shows medians.

Then: gunicorn sync and gthread against granian, the content load time, worker memory and
speed with the real content, a generated large set and one ten times that, how long an edit
takes to go live, and slow clients against `make serve` and gunicorn alone.

Every figure is a measurement on this machine, where wrk competes with the servers for the
same cores: compare ratios from one run, not absolute numbers across machines.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from content_sets import (
    CONTENT_SETS,
    edit_to_live_seconds,
    load_figures,
    make_content,
    worker_rss_mb,
)
from measure import (
    CONNECTIONS,
    DURATION,
    ROUNDS,
    BenchFailure,
    Target,
    fetch,
    interleaved_medians,
)
from phone import first_visit_figures, print_first_visit
from record import about_this_run, why_not_clean, write_results
from targets import ROOT, app_server, nginx_files, serve_path

from tests.servers import collectstatic, production_env
from tests.slow_clients import attack

ANSWER = "/faq/how-long-does-iron-take/"
FRAGMENT = (("HX-Request", "true"),)
# The ten-times set unless BENCH_10X=0 (make bench BENCH_10X=0): each of its three processes
# (the load figures and two workers) takes about 20 s to load it.
if os.environ.get("BENCH_10X", "1") == "0":
    CONTENT_SETS = {name: size for name, size in CONTENT_SETS.items() if name != "10x large"}
SLOW_SECONDS = int(os.environ.get("BENCH_SLOW_SECONDS", "20"))


def write_files_of(base: str, folder: Path) -> Path:
    """The app's answers for `/` and `/faq/` in each encoding, laid out as `make export` does."""
    for path in ("/", "/faq/"):
        (folder / path.strip("/")).mkdir(parents=True, exist_ok=True)
        for encoding, suffix in (("identity", ""), ("gzip", ".gz"), ("br", ".br")):
            headers = {"Host": "localhost", "Accept-Encoding": encoding}
            _, answer, body = fetch(base + path, headers)
            if answer.get("Content-Encoding", "identity") != encoding:
                raise BenchFailure(f"make serve: {path} did not answer in {encoding}")
            (folder / path.strip("/") / f"index.html{suffix}").write_bytes(body)
    return folder


def etag_of(base: str, path: str) -> str:
    return fetch(base + path, {"Host": "localhost", "Accept-Encoding": "br, gzip"})[1]["ETag"]


def main_targets(serve: str, alone: str, files: str) -> list[Target]:
    return [
        Target("nginx: the same / as files", files + "/"),
        Target("nginx: the same /faq/ as files", files + "/faq/"),
        Target("make serve: / (guide)", serve + "/"),
        Target("make serve: /faq/", serve + "/faq/"),
        Target("make serve: answer fragment (htmx)", serve + ANSWER, FRAGMENT),
        Target(
            "make serve: / conditional -> 304",
            serve + "/",
            (("If-None-Match", etag_of(serve, "/")),),
            expect=304,
        ),
        Target("gunicorn alone: / (guide)", alone + "/"),
        Target("gunicorn alone: hello-world", alone + "/bench/hello/"),
    ]


def table(rows: dict[str, dict], nginx: dict) -> str:
    lines = [
        f"{'target':36} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x nginx':>8} "
        f"{'p99/nginx':>9}  answers by status"
    ]
    for name, row in rows.items():
        counts = ", ".join(f"{status}: {count}" for status, count in row["statuses"].items())
        lines.append(
            f"{name:36} {row['rps']:8.0f} {row['p50_ms']:7.2f} {row['p99_ms']:7.2f} "
            f"{row['rps'] / nginx['rps']:8.3f} {row['p99_ms'] / nginx['p99_ms']:9.2f}  {counts}"
        )
    return "\n".join(lines)


def measure_main(work: Path, static_root: Path, results: dict) -> None:
    with serve_path(static_root) as serve, app_server(static_root) as (alone, master):
        files_root = write_files_of(serve, work / "files")
        with nginx_files(files_root) as files:
            targets = main_targets(serve, alone, files)
            rows = interleaved_medians(targets)
            sizes = {}
            for path in ("/", "/faq/"):
                same = fetch(files + path, targets[0].all_headers())[2]
                if same != fetch(serve + path, targets[0].all_headers())[2]:
                    raise BenchFailure(f"nginx: the same {path} as files: not make serve's bytes")
                sizes[path] = len(same)
        results["workers_rss_mb_real_content"] = worker_rss_mb(master)
        results["first_visit"] = first_visit_figures(serve)
    nginx, serve_row = rows["nginx: the same / as files"], rows["make serve: / (guide)"]
    print(table(rows, nginx))
    print(
        f"\nBoth nginx and make serve send the same {sizes['/']} Brotli bytes for / "
        f"({sizes['/faq/']} for /faq/). make serve on /: "
        f"{serve_row['rps'] / nginx['rps']:.2f} x nginx's req/s (goal >= 0.25), p99 "
        f"{serve_row['p99_ms'] / nginx['p99_ms']:.2f} x nginx's (goal <= 2)."
    )
    faq, faq_files = rows["make serve: /faq/"], rows["nginx: the same /faq/ as files"]
    print(
        f"/faq/ against nginx serving the same bytes: {faq['rps'] / faq_files['rps']:.2f} x "
        f"its req/s, p99 {faq['p99_ms'] / faq_files['p99_ms']:.2f} x its p99."
    )
    print_first_visit(results["first_visit"])
    results["targets"] = rows


def measure_servers(static_root: Path, results: dict) -> None:
    """The app alone under gunicorn sync and gthread workers and under granian, on /."""
    print("\nThe app alone on / under three servers (same workers; rounds interleaved):")
    with ExitStack() as running:
        targets = []
        for kind in ("sync", "gthread", "granian"):
            try:
                base, _ = running.enter_context(app_server(static_root, kind))
            except (OSError, RuntimeError) as error:  # granian is only a comparison
                print(f"  {kind} did not start: {error}")
                continue
            targets.append(Target(kind, base + "/"))
        rows = interleaved_medians(targets)
    for kind, row in rows.items():
        print(
            f"  {kind:8} {row['rps']:7.0f} req/s  p50 {row['p50_ms']:.2f} ms  "
            f"p99 {row['p99_ms']:.2f} ms"
        )
    results["servers"] = rows


def content_targets(base: str, name: str, answer: str) -> list[Target]:
    return [Target(f"{name} /", base + "/"), Target(f"{name} answer", base + answer)]


def content_line(name: str, row: dict, real_rps: float) -> str:
    guide, answer = row["throughput"]["/"], row["throughput"]["answer"]
    return (
        f"  {name:10} {row['sections']:4} sections {row['faq']:6} FAQ {row['references']:5} "
        f"references: load {row['load_seconds']:6.2f} s, process {row['process_rss_mb']:6.1f} MB,"
        f" workers {row['workers_rss_mb']} MB; / {guide['rps']:.0f} req/s "
        f"({guide['rps'] / real_rps:.2f} x real) p99 {guide['p99_ms']:.1f} ms; "
        f"answer {answer['rps']:.0f} req/s p99 {answer['p99_ms']:.1f} ms"
    )


def measure_content(work: Path, static_root: Path, results: dict) -> None:
    """Load time, worker memory and speed (gunicorn alone) as the content grows."""
    print("\nContent (the app alone, gunicorn sync; rounds interleaved):")
    folders = {"real": ROOT / "content"}
    for name, (sections, faq, references) in CONTENT_SETS.items():
        folders[name] = make_content(work / name.replace(" ", "-"), sections, faq, references)
    figures = {name: load_figures(folder) for name, folder in folders.items()}
    with ExitStack() as running:
        targets, masters = [], {}
        for name, folder in folders.items():
            base, masters[name] = running.enter_context(app_server(static_root, content_dir=folder))
            answer = ANSWER if name == "real" else "/faq/question-500/"
            targets += content_targets(base, name, answer)
        rows = interleaved_medians(targets)
        for name, master in masters.items():
            figures[name]["workers_rss_mb"] = worker_rss_mb(master)
    for name, row in figures.items():
        row["throughput"] = {page: rows[f"{name} {page}"] for page in ("/", "answer")}
        print(content_line(name, row, rows["real /"]["rps"]))
    results["content"] = figures


def measure_edits_and_slow_clients(work: Path, static_root: Path, results: dict) -> None:
    live = work / "live-content"
    shutil.copytree(ROOT / "content", live)
    with serve_path(static_root, content_dir=live) as base:
        through_nginx = edit_to_live_seconds(base, live)
    with app_server(static_root, content_dir=live) as (base, _):
        alone = edit_to_live_seconds(base, live)
    print(
        f"\nAn edit goes live in {through_nginx} s through make serve, "
        f"{alone} s with gunicorn alone"
    )
    slow = {}
    with serve_path(static_root) as base:
        slow["make serve"] = attack(base, seconds=SLOW_SECONDS)
    with app_server(static_root) as (base, _):
        slow["gunicorn alone"] = attack(base, seconds=SLOW_SECONDS)
    for name, figures in slow.items():
        print(figures.summary(name))
    results["edit_to_live_seconds"] = {"make serve": through_nginx, "gunicorn alone": alone}
    results["slow_clients"] = {
        name: {
            "worst_probe_s": round(f.worst(), 3),
            "failed_probes": f.failed_probes,
            "probes": len(f.probes),
        }
        for name, f in slow.items()
    }


def main() -> int:
    # Stopped from outside: still stop every server started so far (the finally blocks).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    work = Path(tempfile.mkdtemp(prefix="rls-bench-"))
    results = about_this_run(ROOT, rounds=ROUNDS, seconds=DURATION, connections=CONNECTIONS) | {
        "content_sets": {name: list(size) for name, size in CONTENT_SETS.items()}
    }
    print(
        f"Benchmark at {results['commit'][:10]} on {results['cores']} cores: {ROUNDS} rounds x "
        f"{DURATION} s, {CONNECTIONS} connections, medians (load average {results['load_average']})"
    )
    dirty = why_not_clean(ROOT, results)
    if dirty:
        print(f"Not a clean run, bench/results.json will not be written: {dirty}.")
    try:
        static_root = work / "static"
        collectstatic(static_root, production_env())
        measure_main(work, static_root, results)
        measure_servers(static_root, results)
        measure_content(work, static_root, results)
        measure_edits_and_slow_clients(work, static_root, results)
    except BenchFailure as failure:
        print(
            f"\nmake bench FAILED: {failure}\nbench/results.json was not written.", file=sys.stderr
        )
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    said = f"bench/results.json was not written: {dirty}." if dirty else None
    print("\n" + (said or write_results(ROOT, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
