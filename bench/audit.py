"""`make audit`: Lighthouse scores of the main patient pages, served by the production server.

Starts gunicorn with production settings the way `make serve` does (DEBUG off, collected
static files, the real content) on a free loopback port, and runs Lighthouse (mobile, its
default) on the guide, the questions, one answer, the sources and the Spanish guide. Writes
each page's JSON and HTML report to bench/lighthouse/, prints the four scores per page, and
exits 1 when Accessibility, Best Practices or SEO is below 100 on any page, listing the
audits that cost the points. Performance is printed only: it is simulated on a throttled
phone and varies with the load of this shared 2-core machine.

Chromium counts http://127.0.0.1 as a secure origin, so here Lighthouse's "Uses HTTPS" only
checks that nothing loads over plain HTTP, and "Redirects HTTP to HTTPS" does not apply.
HTTPS itself is DJANGO_HTTPS=1 behind a real host name (tests/test_security_headers.py).

    .venv/bin/python bench/audit.py --lighthouse bench/.lighthouse-node/node_modules/.bin/lighthouse
    .venv/bin/python bench/audit.py --base http://127.0.0.1:8000 ...   # a running `make serve`
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The browser tests' Chromium and flags (see STYLE.md); one list for both.
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import collectstatic, gunicorn, production_env  # noqa: E402

CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best Practices",
    "seo": "SEO",
}
REQUIRED = ("accessibility", "best-practices", "seo")  # must be 100 on every page


def pages() -> list[str]:
    """The addresses to audit; the answer is the first in the content, whatever it is called."""
    # This process reads the content with exactly the environment the server gets.
    environment = production_env()
    os.environ.clear()
    os.environ.update(environment)
    import django

    django.setup()
    from rls_iron.content import get_guide

    return ["/", "/faq/", get_guide("en").faq[0].path, "/references/", "/es/"]


def report_name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "index"


def lighthouse(command: str, url: str, output: Path, scratch: Path) -> dict:
    """One Lighthouse run; returns its JSON report (the HTML one is written beside it)."""
    env = {
        **os.environ,
        "CHROME_PATH": CHROMIUM,
        # Chromium writes its profile, crash reports and caches here, not in the home folder.
        "TMPDIR": str(scratch),
        "HOME": str(scratch),
        "XDG_CONFIG_HOME": str(scratch / "config"),
        "XDG_CACHE_HOME": str(scratch / "cache"),
    }
    arguments = [
        command, url,
        "--output=json", "--output=html", f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
        "--no-enable-error-reporting", "--quiet",
    ]  # fmt: skip
    json_path = output.parent / f"{output.name}.report.json"  # Lighthouse's name for it
    # The first run on a machine can fail with NO_NAVSTART (STYLE.md): retry once.
    for attempt in (1, 2):
        json_path.unlink(missing_ok=True)  # never read an earlier run's report
        result = subprocess.run(arguments, env=env, capture_output=True, text=True)
        report = json.loads(json_path.read_text()) if json_path.exists() else {}
        if result.returncode == 0 and not report.get("runtimeError"):
            return report
        error = report.get("runtimeError", {}).get("code") or result.stderr.strip()[-500:]
        print(f"  Lighthouse failed on {url} (attempt {attempt}): {error}", file=sys.stderr)
    raise RuntimeError(f"Lighthouse could not audit {url}")


def score(report: dict, category: str) -> int | None:
    value = report["categories"][category]["score"]
    return None if value is None else round(value * 100)


def lost_points(report: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not pass, with Lighthouse's own titles."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            lines.append(f"{ref['id']}: {audit['title']} (score {audit['score']})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", required=True, help="the lighthouse command")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "lighthouse")
    parser.add_argument("--base", help="a server already running on this machine, e.g. make serve")
    options = parser.parse_args()
    if options.base and urlsplit(options.base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--base must be a server on this machine (127.0.0.1 or localhost)")

    started = time.monotonic()
    paths = pages()
    options.output.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rls-audit-")))
        base = options.base
        if base is None:
            collectstatic(scratch / "static", production_env())
            base = stack.enter_context(gunicorn(scratch / "static"))
        print(f"Lighthouse (mobile) on {base}; reports in {options.output}")
        reports = {}
        for path in paths:
            output = options.output / report_name(path)
            reports[path] = lighthouse(options.lighthouse, base + path, output, scratch)

    width = max(len(path) for path in paths)
    print(f"\n{'page':<{width}}  " + "  ".join(f"{title:>14}" for title in CATEGORIES.values()))
    failures = []
    for path, report in reports.items():
        scores = {category: score(report, category) for category in CATEGORIES}
        cells = ["n/a" if value is None else str(value) for value in scores.values()]
        print(f"{path:<{width}}  " + "  ".join(f"{cell:>14}" for cell in cells))
        for category in REQUIRED:
            if scores[category] != 100:
                failures.append((path, category, lost_points(report, category)))
    for path, category, lines in failures:
        print(f"\n{path}: {CATEGORIES[category]} below 100")
        for line in lines:
            print(f"  {line}")
    print(f"\n{len(paths)} pages in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
