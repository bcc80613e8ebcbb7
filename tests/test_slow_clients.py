"""Slow clients cannot starve `make serve` (nginx in front of gunicorn): a real server, loopback.

500 connections that never finish their headers and 100 feedback posts whose body comes one
byte at a time are held open (reopened whenever nginx closes them) for 30 seconds, three of
nginx's 10-second header timeouts, while a normal reader asks for `/` once a second and must
get it in under a second every time. `python -m tests.slow_clients serve` holds them for 60.
gunicorn alone fails this with its workers all waiting (see README "Speed and scaling out").
"""

from __future__ import annotations

from tests.servers import served
from tests.slow_clients import attack


def test_serve_answers_a_reader_within_a_second_while_600_slow_clients_hold_on(static_root):
    with served(static_root, workers=2) as base:
        figures = attack(base, headers=500, bodies=100, seconds=30)
    print("\n" + figures.summary("make serve (nginx + gunicorn)"))
    assert len(figures.probes) >= 27
    assert figures.failed_probes == 0
    assert figures.worst() < 1.0
    # The slow-header clients really were held and cut off by nginx's header timeout, each
    # at least twice (at about 10 s and 20 s).
    assert figures.reopened >= 1000
