"""Content sets for `make bench`: the real content/, and generated larger ones.

``make_content`` writes a generated set (sections, FAQ answers and references with citations
between them) outside content/; ``load_figures`` times loading a set in a fresh process;
``worker_rss_mb`` reads the memory of a server's workers; ``edit_to_live_seconds`` edits an
answer in a running server's content and times how long until the page shows it.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import production_env  # noqa: E402

HOST = {"Host": "localhost"}
# Sections, FAQ answers, references: issue 20's large set, and ten times that.
CONTENT_SETS = {
    "large": (50, 1000, 200),
    "10x large": (500, 10000, 2000),
}

WORDS = (
    "Iron can help some people with restless legs. Ask your doctor for a blood test first. "
    "Take the pill with water. Keep iron away from children. "
)


def make_content(target: Path, sections: int, faq: int, references: int) -> Path:
    """A generated content set of the given size, kept out of content/."""
    english = target / "en"
    for folder in ("sections", "faq", "references"):
        (english / folder).mkdir(parents=True)
    for name in ("site.md", "disclaimer.md", "emergency.md"):
        shutil.copy(ROOT / "content" / "en" / name, english / name)
    site = (english / "site.md").read_text()
    (english / "site.md").write_text(re.sub(r"\[@[^\]]+\]", "", site))
    for number in range(1, references + 1):
        (english / "references" / f"ref{number}.md").write_text(
            f'---\nkey: ref{number}\ntitle: Generated study {number}\nyear: "2020"\nurl: https://example.org/study/{number}\n---\n'
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
            request = urllib.request.Request(base + "/faq/is-iron-a-cure/", headers=HOST)
            with urllib.request.urlopen(request, timeout=30) as response:
                if marker.encode() in response.read():
                    break
            time.sleep(0.02)
        times.append(time.perf_counter() - start)
        time.sleep(1.5)
    path.write_text(original)
    return round(statistics.median(times), 2)
