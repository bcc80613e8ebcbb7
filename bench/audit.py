"""`make audit`: Lighthouse scores of every page a reader can reach, on the production server.

Starts gunicorn with production settings the way `make serve` does (DEBUG off, collected
static files, the real content) on a free loopback port, crawls the site from ``/`` and
``/es/`` (every same-site link to an HTML page, without query strings: the guide, every
answer, the glossary, the staff page, the handout, in both languages), adds one embed page
and the 404 page, and runs Lighthouse (mobile, its default) on each. Writes each page's JSON
and HTML report to bench/lighthouse/, prints the four scores per page, and exits 1 when
Accessibility, Best Practices or SEO is below 100 on any page, listing the audits that cost
the points. Performance is printed only: it is simulated on a throttled phone and varies
with the load of this shared 2-core machine, so its score is the median of ``--runs`` runs a
page (5 unless told; AUDIT_RUNS=1 make audit for one), printed with every run's score beside
it. Lighthouse's own guide to variability (docs/variability.md) advises this: the median of
five runs is much steadier than one. A page stops early once its median is settled, that is
once no score the remaining runs could give would change it (three equal runs of five settle
it), so most pages take three runs. The extra runs are Performance only.

Two pages are meant to fail two SEO audits, and skip just those: the embed page asks not to
be indexed (its canonical link names the page itself), so ``is-crawlable`` is skipped for
it, and the 404 page is a 404 with ``noindex``, so ``http-status-code`` and ``is-crawlable``
are skipped for it; its one console error, Chromium's note of that 404, is accepted (only
that one). Lighthouse takes about 14 s a page here (about 50 pages: 12 minutes).

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
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The browser tests' Chromium and flags (see STYLE.md); one list for both.
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import collectstatic, gunicorn, http_request, production_env  # noqa: E402

CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best Practices",
    "seo": "SEO",
}
REQUIRED = ("accessibility", "best-practices", "seo")  # must be 100 on every page
ATTEMPTS = 5  # per page; see lighthouse()


START_PAGES = ("/", "/es/")
EMBED_PAGE = "/embed/faq/"
MISSING_PAGE = "/no-such-page/"
# Addresses that are not pages for a reader: programs, images, forms, staff-only tools.
NOT_PAGES = ("/infobutton", "/qr/", "/static/", "/admin/", "/editor/", "/feedback/", "/embed/")
# Audits each page is meant to fail (see the module docstring), by page.
EXPECTED_FAILURES = {
    EMBED_PAGE: ("is-crawlable",),
    MISSING_PAGE: ("is-crawlable", "http-status-code"),
}
MAX_PAGES = 200  # a guard against a crawl that never ends (e.g. a link loop through parameters)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def site_links(page_path: str, html: str) -> list[str]:
    """The same-site page paths an HTML page links to, without fragments."""
    parser = _Links()
    parser.feed(html)
    paths = []
    for href in parser.hrefs:
        address = urlsplit(urljoin(page_path, href))
        if address.scheme or address.netloc or address.query or not address.path.startswith("/"):
            continue  # other sites, mailto:, tel:, and searches or Infobutton queries
        if not address.path.startswith(NOT_PAGES):
            paths.append(address.path)
    return paths


def crawl(base: str) -> list[str]:
    """Every HTML page reachable from the start pages, in the order first found."""
    found, queue = [], list(START_PAGES)
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        if path in found:
            continue
        status, headers, body = http_request(base, path)
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        found.append(path)
        queue += [link for link in site_links(path, body.decode()) if link not in found]
    return found


def report_name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "index"


def lighthouse(
    command: str, url: str, output: Path, scratch: Path, skip=(), categories=tuple(CATEGORIES)
) -> dict:
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
        "--only-categories=" + ",".join(categories),
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
        "--no-enable-error-reporting", "--quiet",
        *([f"--skip-audits={','.join(skip)}"] if skip else []),
        # Lighthouse refuses a 4xx page unless told; the 404 page is audited on purpose.
        *(["--ignore-status-code"] if "http-status-code" in skip else []),
    ]  # fmt: skip
    json_path = output.parent / f"{output.name}.report.json"  # Lighthouse's name for it
    # Chromium under load sometimes starts its trace after the navigation, and Lighthouse then
    # reports NO_NAVSTART (STYLE.md; CI saw it on 5 of 58 pages, once twice in a row). It is
    # the tool, not the page: try again after a pause that lets the machine settle.
    for attempt in range(1, ATTEMPTS + 1):
        if attempt > 1:
            time.sleep(5 * (attempt - 1))
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


def only_its_own_404_logged(report: dict) -> bool:
    """The 404 page's one console error is Chromium reporting the 404 of the page itself."""
    audit = report["audits"]["errors-in-console"]
    items = (audit.get("details") or {}).get("items", [])
    failed = [line.split(":")[0] for line in lost_points(report, "best-practices")]
    return (
        failed == ["errors-in-console"]
        and len(items) == 1
        and items[0]["source"] == "network"
        and items[0]["sourceLocation"]["url"] == report["finalDisplayedUrl"]
        and "status of 404" in items[0]["description"]
    )


def performance_scores(runs: list[dict]) -> list[int]:
    """The Performance scores of these runs, leaving out the runs that failed."""
    return [value for run in runs if (value := score(run, "performance")) is not None]


def median_performance(runs: list[dict]) -> int | None:
    """The median Performance score of a page's runs (the lower middle one of an even count)."""
    scores = sorted(performance_scores(runs))
    return scores[(len(scores) - 1) // 2] if scores else None


def median_is_settled(scores: list[int], runs: int) -> bool:
    """Whether the median of ``runs`` scores is already fixed by these first ones, whatever the
    remaining runs score (from 0 to 100). Then the median of these alone is that median."""
    remaining = runs - len(scores)
    middle = (runs - 1) // 2
    return sorted(scores + [0] * remaining)[middle] == sorted(scores + [100] * remaining)[middle]


def print_table(
    reports: dict[str, dict], performance_runs: dict[str, list[dict]]
) -> list[tuple[str, str, list[str]]]:
    """The four scores per page (Performance: the median, then each run's score); returns the
    required categories below 100, with the audits that cost the points."""
    width = max(len(path) for path in reports)
    titles = "  ".join(f"{title:>14}" for title in CATEGORIES.values())
    print(f"\n{'page':<{width}}  {titles}  Performance runs")
    failures = []
    for path, report in reports.items():
        runs = performance_runs[path]
        scores = {category: score(report, category) for category in CATEGORIES}
        scores["performance"] = median_performance(runs)
        cells = ["n/a" if value is None else str(value) for value in scores.values()]
        each = " ".join(str(score(run, "performance")) for run in runs)
        print(f"{path:<{width}}  " + "  ".join(f"{cell:>14}" for cell in cells) + f"  {each}")
        for category in REQUIRED:
            if scores[category] == 100:
                continue
            own_404 = path == MISSING_PAGE and category == "best-practices"
            if own_404 and only_its_own_404_logged(report):
                print(f"{'':<{width}}  (Best Practices: only the page's own 404 was logged)")
                continue
            failures.append((path, category, lost_points(report, category)))
    return failures


def audit_pages(options, base: str, paths: list[str], scratch: Path):
    """Each page's full report, and its Performance runs (the full run first, then
    Performance-only runs, written beside it as <page>-run2, -run3 ..., until the median of
    ``options.runs`` is settled). A failed run counts as a run."""
    reports, performance_runs = {}, {}
    for path in paths:
        output = options.output / report_name(path)
        skip = EXPECTED_FAILURES.get(path, ())
        reports[path] = lighthouse(options.lighthouse, base + path, output, scratch, skip)
        runs = performance_runs[path] = [reports[path]]
        for run in range(2, options.runs + 1):
            scores = performance_scores(runs)
            if median_is_settled(scores, options.runs - (len(runs) - len(scores))):
                break
            name = output.with_name(f"{output.name}-run{run}")
            only = ("performance",)
            runs.append(
                lighthouse(options.lighthouse, base + path, name, scratch, skip, categories=only)
            )
    return reports, performance_runs


def performance_summary(performance_runs: dict[str, list[dict]], runs: int) -> str:
    """How many pages have a median Performance of 100, and the lowest median and single run."""
    medians = [median_performance(page_runs) for page_runs in performance_runs.values()]
    singles = [
        value for page_runs in performance_runs.values() for value in performance_scores(page_runs)
    ]
    medians = [value for value in medians if value is not None]
    return (
        f"\nPerformance: {medians.count(100)} of {len(medians)} pages at 100 (median of {runs},"
        f" {sum(map(len, performance_runs.values()))} runs in all); "
        f"lowest median {min(medians, default='n/a')}, "
        f"lowest single run {min(singles, default='n/a')}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", required=True, help="the lighthouse command")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "lighthouse")
    parser.add_argument("--base", help="a server already running on this machine, e.g. make serve")
    parser.add_argument("--runs", type=int, default=5, help="Performance runs a page (median)")
    options = parser.parse_args()
    if options.runs < 1:
        parser.error("--runs must be 1 or more")
    if options.base and urlsplit(options.base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--base must be a server on this machine (127.0.0.1 or localhost)")

    started = time.monotonic()
    options.output.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rls-audit-")))
        base = options.base
        if base is None:
            collectstatic(scratch / "static", production_env())
            base = stack.enter_context(gunicorn(scratch / "static"))
        paths = [*crawl(base), EMBED_PAGE, MISSING_PAGE]
        print(
            f"Lighthouse (mobile) on {len(paths)} pages of {base}, Performance the median of "
            f"{options.runs} run(s) a page (fewer once it is settled); reports in {options.output}"
        )
        reports, performance_runs = audit_pages(options, base, paths, scratch)

    failures = print_table(reports, performance_runs)
    print(performance_summary(performance_runs, options.runs))
    for path, category, lines in failures:
        print(f"\n{path}: {CATEGORIES[category]} below 100")
        for line in lines:
            print(f"  {line}")
    for path, skipped in EXPECTED_FAILURES.items():
        print(f"{path}: skipped {', '.join(skipped)} (meant to fail: see bench/audit.py)")
    print(f"\n{len(paths)} pages in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
