"""wrk runs for `make bench`, and the checks that keep a wrong answer from passing for speed.

Before a target is measured, ``check_target`` asks it once: the status must be the expected
one (200, or 304 for a conditional request) and the body, decompressed, the same as a plain
request's (no compression asked, nothing conditional). wrk then counts every answer by
status (bench/status.lua); ``run_wrk`` raises ``BenchFailure``, naming the target, on any
status but the expected one and on any socket error or timeout wrk reports.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
STATUS_SCRIPT = Path(__file__).resolve().parent / "status.lua"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
# Like a browser: every target may answer compressed. One Host for all, so that every target
# sends the same bytes (the app's pages name their own address).
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "Host": "localhost"}


class BenchFailure(Exception):
    """A target answered something other than what was measured for: the run is void."""


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    expect: int = 200

    def all_headers(self) -> dict[str, str]:
        return {**BROWSER_HEADERS, **dict(self.headers)}


def fetch(url: str, headers: dict[str, str]) -> tuple[int, http.client.HTTPMessage, bytes]:
    address = urlsplit(url)
    # Long enough for the first answer of a huge page (the 10x content set's guide is
    # rendered and compressed with Brotli's best setting on the first request).
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=300)
    try:
        connection.request("GET", address.path or "/", headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def decoded(headers: http.client.HTTPMessage, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding", "identity")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def check_target(target: Target) -> bytes:
    """One request as wrk will send it; returns the raw body. Raises BenchFailure."""
    status, headers, body = fetch(target.url, target.all_headers())
    if status != target.expect:
        raise BenchFailure(f"{target.name}: answered {status}, expected {target.expect}")
    conditional = {"If-None-Match", "If-Modified-Since"}
    plain = {k: v for k, v in target.headers if k not in conditional} | {"Host": "localhost"}
    plain_status, _, plain_body = fetch(target.url, plain)
    if plain_status != 200:
        raise BenchFailure(f"{target.name}: a plain request answered {plain_status}")
    if target.expect == 304:
        if body:
            raise BenchFailure(f"{target.name}: a 304 with a body")
    elif decoded(headers, body) != plain_body:
        raise BenchFailure(f"{target.name}: the body differs from a plain request's")
    return body


def parse_wrk(name: str, output: str, expect: int) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)]

    statuses = dict(re.findall(r"(\d{3})=(\d+)", output.split("statuses", 1)[-1]))
    statuses = {int(status): int(count) for status, count in statuses.items()}
    if set(statuses) != {expect}:
        raise BenchFailure(f"{name}: answers by status {statuses}, expected only {expect}")
    errors = re.search(r"Socket errors: (.*)", output)
    if errors:
        raise BenchFailure(f"{name}: wrk reports socket errors ({errors.group(1).strip()})")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "statuses": statuses,
    }


def wrk_output(target: Target, seconds: int, connections: int) -> str:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "5s", "-s", str(STATUS_SCRIPT)]
    for name, value in target.all_headers().items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, target.url], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchFailure(f"{target.name}: wrk failed: {result.stderr.strip()}")
    return result.stdout


def run_wrk(target: Target, seconds: int = DURATION, connections: int = CONNECTIONS) -> dict:
    return parse_wrk(target.name, wrk_output(target, seconds, connections), target.expect)


def interleaved_medians(targets: list[Target], rounds: int = ROUNDS) -> dict[str, dict]:
    """The median of ``rounds`` wrk runs per target, every target checked first.

    Each round runs every target once, in turn, so that a change in the machine's speed
    during the benchmark (another process, heat) is shared by all targets instead of
    landing on whichever ran at that moment and skewing the ratios.
    """
    for target in targets:
        check_target(target)
        # Warm up, unchecked: every worker compresses a page once, and a very large page
        # (the 10x content set) may take longer than this second.
        wrk_output(target, seconds=1, connections=CONNECTIONS)
    runs: dict[str, list[dict]] = {target.name: [] for target in targets}
    for _ in range(rounds):
        for target in targets:
            runs[target.name].append(run_wrk(target))
    medians = {}
    for name, results in runs.items():
        row = {
            key: statistics.median(r[key] for r in results) for key in ("rps", "p50_ms", "p99_ms")
        }
        row["statuses"] = {
            status: sum(r["statuses"].get(status, 0) for r in results)
            for status in results[0]["statuses"]
        }
        medians[name] = row
    return medians
