"""bench/results.json: written only by a clean run.

A run is clean when every check passed and the git working tree had no changes, tracked or
untracked, from the start of the run to its end, so that the commit it names is the code that
was measured. bench/results.json itself is left out of that test: it is what a run writes, so
a run after an earlier one (results not yet committed) still counts as clean.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

RESULTS = Path("bench") / "results.json"


def changes(root: Path) -> list[str]:
    """The working tree's changes (git status --porcelain), bench/results.json left out."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in status.splitlines() if line[3:].strip() != RESULTS.as_posix()]


def commit_of(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def about_this_run(root: Path, **settings: int) -> dict:
    return {
        "commit": commit_of(root),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        **settings,
    }


def why_not_clean(root: Path, results: dict) -> str | None:
    """None when results may be written; otherwise the reason they may not."""
    changed = changes(root)
    if changed:
        shown = ", ".join(line[3:] for line in changed[:5])
        more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        return f"the working tree has changes ({shown}{more}): commit or stash them"
    if commit_of(root) != results["commit"]:
        return "the commit changed during the run"
    return None


def write_results(root: Path, results: dict) -> str:
    """Writes bench/results.json if the run is clean; returns what was done, for the log."""
    reason = why_not_clean(root, results)
    if reason is not None:
        return f"bench/results.json was not written: {reason}."
    (root / RESULTS).write_text(json.dumps(results, indent=2) + "\n")
    return "Wrote bench/results.json (a clean run: every check passed, no uncommitted changes)."
