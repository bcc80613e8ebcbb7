"""Fire thousands of odd requests at the production server and count the 5xx answers.

Starts gunicorn with production settings the way `make serve` does (on a free loopback
port, with collected static files and the real content), then sends generated requests
over raw sockets, so it can also send what an HTTP library refuses to: NUL and high bytes
in the request line, invalid percent-encoded UTF-8, over-long lines and headers, unknown
methods, foreign Host and htmx headers, broken bodies. It prints how many answers fell in
each status, how many 4xx came from the site's own friendly pages and how many from
gunicorn's HTTP parser, and every 5xx from the site with the request that caused it. It
exits 1 on any 5xx (other than the 501 that HTTP itself asks for, see ``kind``) and on any
error answer of the site without its friendly page, and on any traceback in the server log.
``--seeds 1..20`` (``make fuzz FUZZ_SEEDS=1..20``) runs several seeds against one server.

    .venv/bin/python bench/fuzz.py --requests 5000      # what `make fuzz` runs
    .venv/bin/python bench/fuzz.py --seeds 1..20 --requests 500
    .venv/bin/python bench/fuzz.py --base http://127.0.0.1:8000   # a running `make serve`
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import collectstatic, gunicorn, production_env  # noqa: E402
from tests.test_bad_input import HTMX_HEADERS, PAGES, PARAMETERS  # noqa: E402

METHODS = ["GET"] * 6 + ["HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"]
SEGMENTS = [
    "faq", "references", "static", "css", "js", "admin", "login", "editor", "..", ".", "",
    "how-long-does-iron-take", "is-iron-a-cure", "site.css", "favicon.svg", "%2e%2e", "%2f",
    "%00", "%ff%fe", "%c0%af", "%ed%a0%80", "%", "%zz", "%u0041", "~", "?", "#", ";x=1",
]  # fmt: skip
HOSTS = ["attacker.test", "127.0.0.1:1:2", "a..b", "-", "", "localhost:abc", "[::1"]
FRIENDLY_MARK = b"Medical disclaimer"
STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3})")


@dataclass
class Answer:
    request: bytes
    status: int | None  # None: the connection closed without an answer
    friendly: bool  # the site's own page (with the medical disclaimer)
    from_site: bool  # Django answered (every answer of the site carries the CSP header)


def random_text(rng: random.Random, size: int, *, raw: bool = True) -> str:
    """Mostly text a client could send; if raw, sometimes any Latin-1 byte (CR, LF, NUL)."""
    alphabets = [
        "abcdefghijklmnopqrstuvwxyz0123456789-_.",
        "".join(map(chr, range(32, 127))),
        "".join(map(chr, range(0, 256))),
    ]
    alphabet = rng.choices(alphabets, weights=[6, 3, 1 if raw else 0])[0]
    return "".join(rng.choice(alphabet) for _ in range(size))


def percent_garbage(rng: random.Random) -> str:
    return "".join(f"%{rng.randrange(256):02X}" for _ in range(rng.randint(1, 6)))


def random_value(rng: random.Random, *, raw: bool) -> str:
    kind = rng.random()
    if kind < 0.3:
        return percent_garbage(rng)
    if kind < 0.35:
        # Long, but within gunicorn's 4094-byte request line unless raw.
        return "x" * rng.choice([1_000, 3_000, 20_000] if raw else [500, 1_000, 2_000])
    return random_text(rng, rng.randint(0, 30), raw=raw)


def random_path(rng: random.Random, *, raw: bool) -> str:
    if rng.random() < 0.4:
        return rng.choice(PAGES)
    parts = [rng.choice(SEGMENTS) if rng.random() < 0.6 else random_value(rng, raw=raw)]
    parts += [rng.choice(SEGMENTS) for _ in range(rng.randint(0, 4))]
    path = "/" + "/".join(parts) + rng.choice(["", "/"])
    return path if raw else quote(path, safe="/%;~")


def random_query(rng: random.Random, *, raw: bool) -> str:
    pairs = []
    for _ in range(rng.choices([0, 1, 2, 5, 300 if raw else 100], weights=[10, 30, 30, 25, 5])[0]):
        name = rng.choice(PARAMETERS) if rng.random() < 0.5 else random_value(rng, raw=raw)
        pairs.append(f"{name}={random_value(rng, raw=raw)}")
    query = "&".join(pairs)
    return query if raw else quote(query, safe="=&%;+")[:3500]


def random_headers(rng: random.Random, *, raw: bool) -> list[tuple[str, str]]:
    headers = []
    kind = rng.random()
    if kind < 0.6:
        headers.append(("Host", rng.choice(["127.0.0.1", "localhost", "127.0.0.1:8000", "[::1]"])))
    elif kind < 0.85:
        host = rng.choice(HOSTS) if rng.random() < 0.5 else random_value(rng, raw=raw)
        headers.append(("Host", host))
    for name in rng.sample(HTMX_HEADERS, rng.randint(0, 4)):
        headers.append((name, rng.choice(["true", "false", random_value(rng, raw=raw)])))
    names = ["Cookie", "Accept", "Accept-Language", "Referer", "Origin", "X-Forwarded-Proto",
             "If-None-Match", "If-Modified-Since", "Range", "Content-Type"]  # fmt: skip
    if raw:
        names += ["Transfer-Encoding", "Content-Length", random_text(rng, 8)]
    for name in rng.sample(names, rng.randint(0, 3)):
        headers.append((name, random_value(rng, raw=raw)))
    return headers


def generate(rng: random.Random) -> bytes:
    """One whole HTTP/1.1 request; one in four deliberately malformed ("raw")."""
    raw = rng.random() < 0.25
    method = random_text(rng, 6) if raw and rng.random() < 0.2 else rng.choice(METHODS)
    target = random_path(rng, raw=raw)
    if rng.random() < 0.5:
        target += "?" + random_query(rng, raw=raw)
    headers = random_headers(rng, raw=raw)
    body = b""
    if method not in ("GET", "HEAD") and rng.random() < 0.7:
        body = random_text(rng, rng.randint(0, 400)).encode("latin-1")
        headers = [(name, value) for name, value in headers if name != "Content-Type"]
        headers.append(("Content-Length", str(len(body))))
        content_types = ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
        headers.append(("Content-Type", rng.choice([*content_types, "text/plain"])))
    request = f"{method} {target} HTTP/1.1\r\n"
    request += "".join(f"{name}: {value}\r\n" for name, value in headers)
    request += "Connection: close\r\n\r\n"
    return request.encode("latin-1", errors="replace") + body


def send(address: tuple[str, int], request: bytes) -> Answer:
    received = b""
    try:
        with socket.create_connection(address, timeout=15) as connection:
            connection.sendall(request)
            while chunk := connection.recv(65536):
                received += chunk
    except OSError:
        pass  # the server may close early on a malformed request; what arrived still counts
    match = STATUS_LINE.match(received)
    head = received.split(b"\r\n\r\n", 1)[0].lower()
    return Answer(
        request,
        int(match.group(1)) if match else None,
        friendly=FRIENDLY_MARK in received,
        from_site=b"\r\ncontent-security-policy:" in head,
    )


def fire(base: str, count: int, seed: int, concurrency: int) -> list[Answer]:
    address = urlsplit(base)
    rng = random.Random(seed)
    requests = [generate(rng) for _ in range(count)]
    with ThreadPoolExecutor(concurrency) as pool:
        return list(
            pool.map(lambda request: send((address.hostname, address.port), request), requests)
        )


KINDS = [
    "4xx from the site, with its friendly page",
    "4xx from the site to HEAD (headers only, no page)",
    "4xx from the site without its page (should be 0)",
    "4xx from gunicorn's HTTP parser (malformed requests)",
    "501 from gunicorn's parser, unknown Transfer-Encoding (RFC 9112)",
    "5xx from the site or otherwise",
]


def kind(answer: Answer) -> str:
    """Which line of the report an answer counts on."""
    status = answer.status
    if status is None or status < 400:
        return f"{status // 100}xx" if status else "no answer"
    if status < 500:
        if not answer.from_site:
            return KINDS[3]
        if answer.friendly:
            return KINDS[0]
        return KINDS[1] if answer.request.startswith(b"HEAD ") else KINDS[2]
    # RFC 9112 (section 6.1) asks a server to answer 501 to a transfer coding it does not
    # know; gunicorn's HTTP parser does so before the request reaches the site.
    if (
        status == 501
        and not answer.from_site
        and b"\r\ntransfer-encoding:" in answer.request.lower()
    ):
        return KINDS[4]
    return KINDS[5]


def report(answers: list[Answer], seconds: float) -> int:
    """Print the counts of one run; 1 if the site answered with an error of its own."""
    kinds = Counter(kind(answer) for answer in answers)
    statuses = Counter(answer.status for answer in answers if answer.status)
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"{len(answers)} requests in {seconds:.1f} s ({len(answers) / seconds:.0f}/s)")
    print("  by status: " + ", ".join(f"{code}: {statuses[code]}" for code in sorted(statuses)))
    for name in ("2xx", "3xx", "no answer", *KINDS):
        print(f"  {name}: {kinds[name]}")
    print(f"5xx answers: {server_errors}, of them from the site: {kinds[KINDS[5]]}")
    for answer in [answer for answer in answers if kind(answer) == KINDS[5]][:20]:
        print(f"    {answer.status}: {answer.request[:200]!r}")
    return 1 if kinds[KINDS[2]] or kinds[KINDS[5]] else 0


def report_log(log: Path) -> int:
    """The server's own log: no server error, and no traceback at all (a refused Host is
    one short line)."""
    text = log.read_text(errors="replace")
    logged_errors = text.count("Internal Server Error")
    tracebacks = text.count("Traceback (most recent call last)")
    refused_hosts = text.count("Refused a request for the unknown host")
    print(
        f"server log: {logged_errors} 'Internal Server Error' lines, {tracebacks} tracebacks, "
        f"{refused_hosts} one-line notes of refused Host headers, {len(text)} bytes"
    )
    return 1 if logged_errors or tracebacks else 0


def parse_seeds(text: str) -> list[int]:
    """``6``, ``1..20`` or ``1,5,9`` → the seeds to run, in order."""
    seeds = []
    for part in text.split(","):
        first, dots, last = part.strip().partition("..")
        seeds += range(int(first), int(last) + 1) if dots else [int(first)]
    if not seeds or len(seeds) > 1000:
        raise argparse.ArgumentTypeError("give 1 to 1000 seeds, e.g. 6, 1..20 or 1,5,9")
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests per seed")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--seeds", type=parse_seeds, help="several runs on one server, e.g. 1..20 (FUZZ_SEEDS)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--base", help="a server already running on this machine, e.g. make serve")
    options = parser.parse_args()
    seeds = options.seeds or [options.seed]

    with ExitStack() as stack:
        log = None
        base = options.base
        if base is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rls-fuzz-")))
            collectstatic(scratch / "static", production_env())
            log = scratch / "server.log"
            base = stack.enter_context(gunicorn(scratch / "static", workers=2, log_path=log))
        elif urlsplit(base).hostname not in {"127.0.0.1", "localhost", "::1"}:
            parser.error("--base must be a server on this machine (127.0.0.1 or localhost)")
        failed = []
        everything: list[Answer] = []
        started_all = time.monotonic()
        for seed in seeds:
            print(f"Firing {options.requests} generated requests at {base} (seed {seed})")
            started = time.monotonic()
            answers = fire(base, options.requests, seed, options.concurrency)
            everything += answers
            if report(answers, time.monotonic() - started):
                failed.append(seed)
        if len(seeds) > 1:
            print(f"All {len(seeds)} seeds together:")
            report(everything, time.monotonic() - started_all)
            print(f"seeds with a failure: {failed or 'none'}")
        log_failed = report_log(log) if log is not None else 0
        return 1 if failed or log_failed else 0


if __name__ == "__main__":
    sys.exit(main())
