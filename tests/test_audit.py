"""`make audit` prints the median Performance of each page's runs (bench/audit.py).

Real Lighthouse runs take minutes, so these tests hand the summary the same JSON shape a
report has: only ``categories.<name>.score``, which is all the summary reads.
"""

from __future__ import annotations

import sys

from tests.servers import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import audit
from audit import audit_pages, median_is_settled, median_performance, performance_summary


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
        "Performance: 1 of 2 pages at 100 (median of 3, 6 runs in all); lowest median 99, "
        "lowest single run 96"
    )


def test_the_median_is_settled_once_no_remaining_run_could_change_it():
    assert median_is_settled([100, 100, 100], 5)  # the middle of five is 100 whatever comes
    assert median_is_settled([99, 99, 99], 5)
    assert not median_is_settled([100, 100, 99], 5)  # two runs of 99 would make it 99
    assert median_is_settled([100, 100, 99, 100], 5)
    assert not median_is_settled([100, 100], 5)
    assert not median_is_settled([100], 3)
    assert median_is_settled([97], 1)


def test_each_settled_median_is_the_median_of_the_runs_made():
    """Stopping early never changes the score: the median of the runs made is the median every
    way the remaining runs could have gone."""
    for scores in ([100, 100, 100], [98, 100, 100, 100], [99, 99, 100, 99], [97, 97, 97]):
        assert median_is_settled(scores, 5)
        made = median_performance([report(value / 100) for value in scores])
        for rest in ([0] * (5 - len(scores)), [100] * (5 - len(scores))):
            everything = [report(value / 100) for value in scores + rest]
            assert median_performance(everything) == made


class Options:
    lighthouse, output, runs = "lighthouse", None, 5


def audit_with_scores(monkeypatch, tmp_path, scores: list[float | None]) -> list[dict]:
    """audit_pages on one page with Lighthouse replaced by these scores, in turn."""
    given = iter(scores)
    monkeypatch.setattr(audit, "lighthouse", lambda *args, **kwargs: report(next(given)))
    options = Options()
    options.output = tmp_path
    _, runs = audit_pages(options, "http://127.0.0.1:1", ["/"], tmp_path)
    return runs["/"]


def test_a_page_stops_after_three_equal_runs_and_goes_on_while_they_differ(monkeypatch, tmp_path):
    assert len(audit_with_scores(monkeypatch, tmp_path, [1.0, 1.0, 1.0, 0.5, 0.5])) == 3
    runs = audit_with_scores(monkeypatch, tmp_path, [1.0, 0.99, 1.0, 1.0, 0.5])
    assert len(runs) == 4
    assert median_performance(runs) == 100
    assert len(audit_with_scores(monkeypatch, tmp_path, [1.0, 0.99, 1.0, 0.99, 0.98])) == 5


def test_a_failed_run_counts_as_a_run(monkeypatch, tmp_path):
    runs = audit_with_scores(monkeypatch, tmp_path, [None, 1.0, 1.0, 1.0, 1.0])
    assert len(runs) == 4  # three of the four runs left settle the median
    assert median_performance(runs) == 100
