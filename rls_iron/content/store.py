"""The live content: loaded once per version, reloaded when an editor saves a file.

Each server worker holds one ``ContentStore`` for ``settings.CONTENT_DIR``. A cheap
fingerprint of file names, sizes and modification times, checked at most once per
``CONTENT_CHECK_INTERVAL`` (in a server, by a thread of each worker, off the requests' time),
picks up edits without a restart; a broken edit leaves the last good content in place.
``get_guide`` is what views call; only ``get_faq_entry_or_404`` knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import translation

from rls_iron.content.guide import Guide, Topic
from rls_iron.content.loader import load_guide
from rls_iron.content.models import DEFAULT_LANGUAGE, LANGUAGES, FaqEntry
from rls_iron.content.problems import ContentError
from rls_iron.review.records import today

# The package's name, as before it was split, so log configuration and filters still match.
logger = logging.getLogger("rls_iron.content")


def fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of every file: cheap to compute, changes on edit.

    One ``stat`` per file and none per folder (``os.scandir`` knows which entries are
    folders): with 12,500 files, ``rglob`` and two ``stat`` calls per path took a quarter of
    a second, once a second in every worker. Symbolic links to folders are not followed,
    as ``rglob`` did not follow them.
    """
    entries = []
    folders = [os.fspath(root)]
    while folders:
        try:
            listing = os.scandir(folders.pop())
        except OSError:
            continue  # removed while we looked
        with listing:
            for entry in listing:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    if not entry.is_file():
                        continue
                    stat = entry.stat()
                except OSError:
                    continue  # removed while we looked
                entries.append((entry.path, stat.st_size, stat.st_mtime_ns))
    entries.sort()
    return tuple(entries)


# Under steady traffic no request waits for a look at the disk: each worker's watcher thread
# looks while requests go on with the content in use. A request after a quiet spell (no look
# for two intervals) waits up to this long for the look it starts, so that the first reader
# after an edit, often the editor checking it, already sees it, as when every look was made
# on the request's own time.
IDLE_WAIT_SECONDS = 5.0
# The watcher spaces its looks so that their CPU time is at most this share of the time: a
# look at the real content (200 files, about 1 ms) still comes every check interval; one at
# 12,500 files (about 50 ms) every five seconds or so. A look costs a busy worker more than
# its own CPU time (it hands the interpreter lock back and forth with the requests 12,500
# times): looked at about every 1.3 s, such a site answered a fifth fewer requests.
LOOK_SHARE = 0.01


class ContentStore:
    """Holds the current good content of one folder and reloads it when files change.

    Each server worker has its own store. A change is picked up on the first request after
    ``check_interval`` seconds: in that request, or, once ``watch()`` has been called (each
    gunicorn worker does, rls_iron/wsgi.py), in a thread of the worker, so that the look at
    every file's modification time (about 50 ms with 12,500 files) and a reload never hold
    up the requests of a busy worker; the watcher spaces out looks that take long
    (``LOOK_SHARE``). Files written in the last ``settle_seconds`` are treated as still being
    saved, so a slow editor's half-written file is never served; a load that races with a
    write is thrown away and retried. A broken edit leaves the last good content in place
    and is kept in ``rejected`` for editors.
    """

    def __init__(
        self, root: Path, check_interval: float = 1.0, settle_seconds: float = 0.5
    ) -> None:
        self.root = Path(root)
        self.check_interval = check_interval
        self.settle_seconds = settle_seconds
        self._lock = threading.Lock()  # one look at the files (and load) at a time
        self._state = threading.Lock()  # when the last look began; handing one to the watcher
        self._wanted = threading.Event()  # a request asks the watcher to look
        self._finished = threading.Event()  # set when the look asked for last has been made
        self._watcher: threading.Thread | None = None
        self._guides: dict[str, Guide] = {}
        self._fingerprint: tuple | None = None
        self._loaded_on: dt.date | None = None  # a new day can make a review overdue
        self._checked_at = float("-inf")
        self._spacing = check_interval  # the watcher's interval, widened for slow looks
        self.rejected: ContentError | None = None
        self.rejected_at: dt.datetime | None = None

    def guide(self, language: str | None = None) -> Guide:
        """The content in ``language`` (default: the active one), or else in English."""
        language = language or translation.get_language() or DEFAULT_LANGUAGE
        if not self._guides:
            with self._lock:  # nothing to serve yet: every request waits for the first load
                if not self._guides:
                    self._checked_at = time.monotonic()
                    self._check()
        elif time.monotonic() - self._checked_at >= self.check_interval:
            self._check_due()  # (which also knows the watcher's wider spacing)
        guides = self._guides  # replaced whole by a reload, never changed in place
        return guides.get(language) or guides[DEFAULT_LANGUAGE]

    def watch(self) -> None:
        """From now on, look for edits in a thread of this process instead of in requests.

        A process forked after this call (gunicorn --preload) has no such thread, and so
        looks in its requests again.
        """
        with self._state:
            if not self.watching:
                self._watcher = threading.Thread(
                    target=self._watch, name="content-watcher", daemon=True
                )
                self._watcher.start()

    @property
    def watching(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    def refresh(self) -> bool:
        """Look at the files now; True once the files on disk are in use (or rejected)."""
        with self._lock:
            self._checked_at = time.monotonic()
            self._check()
        return self._fingerprint == fingerprint(self.root)

    def _check_due(self) -> None:
        with self._state:
            now = time.monotonic()
            quiet_for = now - self._checked_at
            watching = self.watching
            if quiet_for < (self._spacing if watching else self.check_interval):
                return  # another request has just started the look, or the watcher will
            self._checked_at = now
            if watching:
                finished = self._finished
                self._wanted.set()
        if not watching:
            with self._lock:
                self._check()
        elif quiet_for >= 2 * self._spacing:
            finished.wait(IDLE_WAIT_SECONDS)

    def _watch(self) -> None:
        while True:
            self._wanted.wait()
            with self._state:
                self._wanted.clear()
                finished, self._finished = self._finished, threading.Event()
            try:
                with self._lock:
                    started = time.thread_time()  # CPU time: a busy machine is not a slow look
                    current = fingerprint(self.root)
                    cost = time.thread_time() - started
                    self._spacing = max(self.check_interval, cost / LOOK_SHARE)
                    self._check(current)
                with self._state:  # the next look comes a spacing after this one ended
                    self._checked_at = max(self._checked_at, time.monotonic())
            except Exception:  # the thread must outlive any surprise; the next look retries
                logger.exception("Looking for content edits failed")
            finally:
                finished.set()

    def _check(self, current: tuple | None = None) -> None:
        current = fingerprint(self.root) if current is None else current
        stale = (current, today()) != (self._fingerprint, self._loaded_on)
        if stale or not self._guides:
            self._reload(current)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this content folder has (English always comes first)."""
        self.guide()
        return tuple(self._guides)

    def _settle_wait(self, current: tuple) -> float:
        """Seconds until the newest file is old enough to be trusted as completely saved."""
        newest = max((entry[2] for entry in current), default=0)
        age = (time.time_ns() - newest) / 1e9
        if age < 0:
            return 0.0  # a clock-skewed future mtime never blocks
        return max(0.0, self.settle_seconds - age)

    def _reload(self, current: tuple) -> None:
        wait = self._settle_wait(current)
        if wait and self._guides:
            return  # a file is still being written: look again on a later request
        while wait:
            # Nothing to fall back on yet (a worker's first load): wait for the write to end.
            time.sleep(wait)
            current = fingerprint(self.root)
            wait = self._settle_wait(current)
        try:
            guides = {
                language: load_guide(self.root, language)
                for language in LANGUAGES
                if language == DEFAULT_LANGUAGE or (self.root / language).is_dir()
            }
        except ContentError as error:
            if not self._guides:
                raise
            if fingerprint(self.root) != current:
                return  # files changed while we read them: try again later
            logger.error("Content edit rejected; still serving the last good content:\n%s", error)
            self.rejected = error
            self.rejected_at = dt.datetime.now(dt.UTC)
            self._fingerprint, self._loaded_on = current, today()
            return
        if self._guides and fingerprint(self.root) != current:
            return  # files changed while we read them: try again later
        if self._guides:
            logger.info("Content reloaded: version %s", guides[DEFAULT_LANGUAGE].version)
        self._guides = guides
        self._fingerprint, self._loaded_on = current, today()
        self.rejected = None
        self.rejected_at = None


# The store, and the CONTENT_DIR setting object it was made for.
_store: tuple[object, ContentStore] | None = None
_store_lock = threading.Lock()


def get_store() -> ContentStore:
    """The process-wide store for ``settings.CONTENT_DIR`` (recreated if the setting changes)."""
    global _store
    configured = settings.CONTENT_DIR
    current = _store
    if current is not None and current[0] is configured:
        return current[1]  # every request comes here: no lock and no path arithmetic
    root = Path(configured)
    with _store_lock:
        if _store is None or _store[1].root != root:
            _store = (
                configured,
                ContentStore(
                    root, settings.CONTENT_CHECK_INTERVAL, settings.CONTENT_SETTLE_SECONDS
                ),
            )
        else:
            _store = (configured, _store[1])
        return _store[1]


def get_guide(language: str | None = None) -> Guide:
    """The content in ``language``; by default the language of the current request."""
    return get_store().guide(language)


def get_topic_or_404(guide: Guide, slug: str) -> Topic:
    topic = guide.topic(slug)
    if topic is None:
        raise Http404(f"No topic with the address {slug!r}.")
    return topic


def get_faq_entry_or_404(guide: Guide, slug: str) -> FaqEntry:
    entry = guide.faq_entry(slug)
    if entry is None:
        raise Http404(f"No question with the address {slug!r}.")
    return entry
