"""What the site writes to its logs: short lines that cannot flood a disk or leak a query.

A patient portal may put patient context into a link's query string (a search, a name in
an Infobutton query), and logs are kept and read far from the patient, so
``QueryFreeFilter`` cuts everything after a ``?`` from each message: Django's own lines
(settings.LOGGING) and gunicorn's error log. There ``RequestDataFreeFilter`` also drops
every quoted part of a message: gunicorn's "Invalid request" warnings quote what they
could not parse, and a query with a space in it (``GET /faq/?name=Jane Doe HTTP/1.1``)
splits into a "version" that holds the name and no ``?`` (rls_iron.access_log installs it).
``RefusedHostFilter`` turns Django's ``DisallowedHost`` error, a traceback that repeats the
foreign Host header twice (about 17 KB a request), into one short line with the Host cut
to 64 characters and its control characters escaped, and lets at most ``per_minute`` such
lines through per process: the rest are counted, and the next line names the count.
"""

from __future__ import annotations

import logging
import re
import threading
import time

HOST_LENGTH = 64
QUERY_REMOVED = "?[query removed]"
# A Python repr in single or double quotes, escapes included.
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def without_query(text: str) -> str:
    """``/faq/?q=thyroid`` → ``/faq/``; the fragment never reaches a server."""
    return text.split("?", 1)[0]


def without_query_text(message: str) -> str:
    """A log message cut at its first ``?``: what follows may be a query, spaces and all
    (a request line that gunicorn could not parse), so nothing after it is kept."""
    head, mark, _ = message.partition("?")
    return head + QUERY_REMOVED if mark else message


class QueryFreeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

    def clean(self, message: str) -> str:
        return without_query_text(message)


class RequestDataFreeFilter(QueryFreeFilter):
    def clean(self, message: str) -> str:
        return without_query_text(QUOTED.sub("[request data removed]", message))


def safe_host(host: str) -> str:
    """The Host header as a short, printable quote: control characters become escapes."""
    cut = host[:HOST_LENGTH]
    return ascii(cut) + ("…" if len(host) > HOST_LENGTH else "")


class RefusedHostFilter(logging.Filter):
    def __init__(self, per_minute: int = 10) -> None:
        super().__init__()
        self.per_minute = per_minute
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._logged = 0
        self._suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= 60:
                self._window_start, self._logged = now, 0
            if self._logged >= self.per_minute:
                self._suppressed += 1
                return False
            self._logged += 1
            suppressed, self._suppressed = self._suppressed, 0
        request = getattr(record, "request", None)
        host = request.META.get("HTTP_HOST", "") if request is not None else ""
        message = f"Refused a request for the unknown host {safe_host(host)}"
        if suppressed:
            message += f" ({suppressed} more not logged)"
        record.msg, record.args = message, None
        # No traceback: the reason is known and the stack says nothing more.
        record.exc_info = record.exc_text = record.stack_info = None
        return True
