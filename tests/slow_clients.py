"""Slow clients held open against a server while a normal reader keeps asking for `/`.

A slow-header client sends its request line and then one more header line every few seconds,
never finishing; a slow-body client sends whole headers for a feedback post and then its body
one byte at a time. Both are what slowhttptest does. Every connection the server closes is
opened again at once, so the given numbers stay open for the whole run. A probe thread asks
for `/` once a second, as a patient would, and records how long each answer took (a probe
that gets no answer within ``probe_timeout`` counts as that long). Loopback only.

Used by tests/test_slow_clients.py (against `make serve`) and, for the figures of gunicorn
alone, by ``python -m tests.slow_clients gunicorn|serve``.
"""

from __future__ import annotations

import http.client
import resource
import selectors
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.servers import collectstatic, gunicorn, production_env, served

TRICKLE_SECONDS = 5.0  # a byte or a header line this often: under the servers' read timeouts


@dataclass
class Figures:
    slow_headers: int
    slow_bodies: int
    seconds: float
    probes: list[float] = field(default_factory=list)  # seconds per probe; failures as timeout
    failed_probes: int = 0
    reopened: int = 0

    def worst(self) -> float:
        return max(self.probes, default=float("inf"))

    def summary(self, name: str) -> str:
        ordered = sorted(self.probes)
        median = ordered[len(ordered) // 2] if ordered else float("inf")
        return (
            f"{name}: {self.slow_headers} slow-header + {self.slow_bodies} slow-body connections "
            f"for {self.seconds:.0f} s ({self.reopened} reopened after the server closed them); "
            f"{len(self.probes)} probes of /: median {median * 1000:.0f} ms, "
            f"worst {self.worst() * 1000:.0f} ms, {self.failed_probes} without an answer"
        )


def _first_bytes(kind: str, host: str) -> bytes:
    if kind == "header":
        return f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow-0: 0\r\n".encode()
    return (
        f"POST /feedback/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\nx"
    ).encode()


def _trickle(kind: str, count: int) -> bytes:
    return f"X-Slow-{count}: {count}\r\n".encode() if kind == "header" else b"x"


class SlowClients:
    """``headers`` + ``bodies`` connections kept open and trickling until ``stop()``."""

    def __init__(self, base: str, headers: int, bodies: int) -> None:
        address = urlsplit(base)
        self.address = (address.hostname, address.port)
        self.host = "localhost"
        self.kinds = ["header"] * headers + ["body"] * bodies
        self.selector = selectors.DefaultSelector()
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, kind: str) -> None:
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(self.address)
        state = {"kind": kind, "sent": 0, "next": time.monotonic(), "started": False}
        self.selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, state)

    def _close_and_reopen(self, sock: socket.socket, state: dict) -> None:
        self.selector.unregister(sock)
        sock.close()
        self.reopened += 1
        if not self._stop.is_set():
            self._open(state["kind"])

    def _send(self, sock: socket.socket, state: dict, now: float) -> None:
        data = _trickle(state["kind"], state["sent"]) if state["started"] else None
        data = data or _first_bytes(state["kind"], self.host)
        try:
            sock.send(data)
        except OSError:
            self._close_and_reopen(sock, state)
            return
        state.update(started=True, sent=state["sent"] + 1, next=now + TRICKLE_SECONDS)
        self.selector.modify(sock, selectors.EVENT_READ, state)

    def _run(self) -> None:
        for kind in self.kinds:
            self._open(kind)
        while not self._stop.is_set():
            now = time.monotonic()
            for key, events in self.selector.select(timeout=0.2):
                sock, state = key.fileobj, key.data
                if events & selectors.EVENT_READ:
                    try:
                        closed = not sock.recv(65536)
                    except OSError:
                        closed = True
                    if closed:  # a timeout answer (408) or a reset: open another
                        self._close_and_reopen(sock, state)
                        continue
                if events & selectors.EVENT_WRITE:
                    self._send(sock, state, now)
            for key in list(self.selector.get_map().values()):
                if key.data["started"] and key.data["next"] <= now:
                    self._send(key.fileobj, key.data, now)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def probe(address: tuple[str, int], timeout: float) -> bool:
    """One normal reader: GET / answered in full with 200 within ``timeout`` seconds."""
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", "/", headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status == 200 and bool(response.read())
    except OSError:
        return False
    finally:
        connection.close()


def raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def attack(
    base: str,
    *,
    headers: int = 500,
    bodies: int = 100,
    seconds: float = 60,
    probe_timeout: float = 5,
) -> Figures:
    """Hold the slow connections open for ``seconds`` and probe `/` once a second."""
    raise_file_limit(headers + bodies + 256)
    figures = Figures(headers, bodies, seconds)
    clients = SlowClients(base, headers, bodies)
    clients.start()
    time.sleep(2)  # let every slow connection open before the first probe
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            start = time.monotonic()
            ok = probe(clients.address, probe_timeout)
            took = time.monotonic() - start
            figures.probes.append(took if ok else max(took, probe_timeout))
            figures.failed_probes += not ok
            time.sleep(max(0.0, 1 - took))
    finally:
        clients.stop()
    figures.reopened = clients.reopened
    return figures


def main(argv: list[str]) -> int:
    """``python -m tests.slow_clients gunicorn|serve [seconds]``: the figures for one server."""
    kind, seconds = argv[0], float(argv[1]) if len(argv) > 1 else 60
    with tempfile.TemporaryDirectory() as scratch:
        static_root = Path(scratch) / "static"
        collectstatic(static_root, production_env())
        server = served if kind == "serve" else gunicorn
        with server(static_root, workers=2) as base:
            figures = attack(base, seconds=seconds)
    print(figures.summary("make serve (nginx + gunicorn)" if kind == "serve" else "gunicorn alone"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
