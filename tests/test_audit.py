"""`make audit` prints the median Performance of each page's runs (bench/audit.py).

Real Lighthouse runs take minutes, so these tests hand the summary the same JSON shape a
report has: only ``categories.<name>.score``, which is all the summary reads.
"""

from __future__ import annotations

import sys

from tests.servers import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from audit import median_performance, performance_summary


def report(performance: float | None) -> dict:
    return {"categories": {"performance": {"score": performance}}}


def test_the_median_of_three_runs_ignores_one_slow_run():
    assert median_performance([report(1.0), report(0.97), report(1.0)]) == 100
    assert median_performance([report(0.98), report(1.0), report(0.99)]) == 99


def test_an_even_count_takes_the_lower_middle_run_and_a_failed_run_is_left_out():
    assert median_performance([report(1.0), report(0.98)]) == 98
    assert median_performance([report(None), report(0.99)]) == 99
    assert median_performance([report(None)]) is None


def test_the_summary_counts_pages_at_100_and_names_the_lowest_median_and_run():
    runs = {
        "/": [report(1.0), report(0.96), report(1.0)],
        "/guide/": [report(0.98), report(0.99), report(1.0)],
    }
    assert performance_summary(runs, 3).strip() == (
        "Performance: 1 of 2 pages at 100 (median of 3); lowest median 99, lowest single run 96"
    )
