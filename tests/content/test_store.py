"""The live store: edits show without a restart, broken or half-written edits never do."""

from __future__ import annotations

import os
import threading
import time

from rls_iron.content import ContentStore, fingerprint, get_guide
from rls_iron.content import store as store_module


def _bump_mtime(path):
    """Make sure a rewritten file looks changed even on coarse file-system clocks."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_an_edit_shows_on_the_next_request_without_restart(content_folder):
    assert "Second body text" in get_guide().section("second-part").body_html
    path = content_folder.section("second-part", 2, "Edited second body.\n")
    _bump_mtime(path)
    assert "Edited second body" in get_guide().section("second-part").body_html


def test_new_and_removed_files_show_without_restart(content_folder):
    path = content_folder.faq("question-three", 3, "A third question?", "Yes.\n")
    assert get_guide().faq_entry("question-three") is not None
    path.unlink()
    assert get_guide().faq_entry("question-three") is None


def test_a_broken_edit_keeps_the_last_good_content(content_folder, caplog):
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=0)
    good = store.guide()
    path = content_folder.section("second-part", 2, "Cites a missing source [@nope].\n")
    _bump_mtime(path)
    assert store.guide() is good
    assert store.rejected is not None
    assert "nope" in str(store.rejected)
    assert "rejected" in caplog.text


def test_content_is_not_reparsed_when_nothing_changed(content_folder):
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=0)
    assert store.guide() is store.guide()


def test_checks_for_edits_at_most_once_per_interval(content_folder):
    store = ContentStore(content_folder.root, check_interval=60, settle_seconds=0)
    first = store.guide()
    path = content_folder.section("second-part", 2, "Changed.\n")
    _bump_mtime(path)
    assert store.guide() is first  # inside the interval: no look at the disk
    store._checked_at = time.monotonic() - 61
    assert store.guide() is not first


def test_a_file_still_being_written_is_not_loaded_until_it_settles(content_folder):
    # Loaded before the settle time is set: a first load would wait the 30 s for the files
    # the fixture has only just written.
    store = ContentStore(content_folder.root, check_interval=0, settle_seconds=0)
    first = store.guide()
    store.settle_seconds = 30
    content_folder.section("second-part", 2, "Half of a new ver")
    assert store.guide() is first  # written just now: maybe still being saved
    store.settle_seconds = 0
    assert "Half of a new ver" in store.guide().section("second-part").body_html


def test_fingerprint_names_every_file_once_with_its_size_and_time(content_folder):
    root = content_folder.root
    (root / "en" / "notes").mkdir()
    (root / "en" / "notes" / ".hidden.md").write_text("kept out of nothing")
    expected = sorted(
        (path.as_posix(), path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    )
    assert list(fingerprint(root)) == expected
    assert any(name.endswith("/en/notes/.hidden.md") for name, _, _ in fingerprint(root))


class StoreClock:
    """The store's clock, moved on only by the test: a steady trickle of requests, however
    busy the machine is (a test process held up for half a second is not a quiet spell)."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def monotonic(self) -> float:
        return self.now

    def __getattr__(self, name):
        return getattr(time, name)  # sleep, thread_time and time_ns stay real


def test_a_watching_store_never_makes_a_busy_request_wait_for_the_look(content_folder, monkeypatch):
    store = ContentStore(content_folder.root, check_interval=0.2, settle_seconds=0)
    store.guide()
    clock = StoreClock()
    monkeypatch.setattr(store_module, "time", clock)
    store.watch()
    # Every look now waits until the test lets it end, as a look at a huge folder would.
    looking, may_finish, real = threading.Event(), threading.Event(), store_module.fingerprint

    def held_look(root):
        looking.set()
        may_finish.wait(60)
        return real(root)

    monkeypatch.setattr(store_module, "fingerprint", held_look)
    monkeypatch.setattr(store_module, "IDLE_WAIT_SECONDS", 60)  # a wait would show plainly
    _bump_mtime(content_folder.section("second-part", 2, "Watched edit.\n"))
    deadline = time.monotonic() + 10

    def busy_request() -> None:  # one request 50 ms of the store's time after the last
        clock.now += 0.05
        started = time.monotonic()
        assert "Watched edit" not in store.guide().section("second-part").body_html
        assert time.monotonic() - started < 30, "a busy request waited for the look"

    while not looking.is_set():
        assert time.monotonic() < deadline, "the watcher never started a look"
        busy_request()
        time.sleep(0.01)
    for _ in range(20):  # the look is held: every request goes on with the content in use
        busy_request()
    may_finish.set()
    deadline = time.monotonic() + 10
    while "Watched edit" not in store.guide().section("second-part").body_html:
        assert time.monotonic() < deadline, "the watcher never picked up the edit"
        clock.now += 0.05
        time.sleep(0.05)


def test_a_watching_store_shows_an_edit_to_the_first_request_after_a_quiet_spell(
    content_folder,
):
    store = ContentStore(content_folder.root, check_interval=0.2, settle_seconds=0)
    first = store.guide()
    store.watch()
    time.sleep(0.5)  # no request for over two intervals
    _bump_mtime(content_folder.section("second-part", 2, "Edited while quiet.\n"))
    assert store.guide() is not first
    assert "Edited while quiet" in store.guide().section("second-part").body_html


def test_a_watching_store_keeps_the_last_good_content_after_a_broken_edit(content_folder):
    store = ContentStore(content_folder.root, check_interval=0.1, settle_seconds=0)
    good = store.guide()
    store.watch()
    _bump_mtime(content_folder.section("second-part", 2, "Cites a missing source [@nope].\n"))
    deadline = time.monotonic() + 10
    while store.rejected is None:
        assert time.monotonic() < deadline, "the broken edit was never looked at"
        assert store.guide() is good
        time.sleep(0.05)
    assert store.guide() is good
    assert store.watching  # a rejected edit does not stop the watcher


def test_a_watcher_spaces_out_looks_that_cost_much_cpu(content_folder, monkeypatch):
    store = ContentStore(content_folder.root, check_interval=0.1, settle_seconds=0)
    store.guide()
    store.watch()
    real, looks = store_module.fingerprint, []

    def costly(root):  # a look at a very large folder: 50 ms of CPU time
        looks.append(time.monotonic())
        started = time.thread_time()
        while time.thread_time() - started < 0.05:
            pass
        return real(root)

    monkeypatch.setattr(store_module, "fingerprint", costly)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        store.guide()
        time.sleep(0.02)  # steady requests, so an interval of 0.1 s would mean 15 looks
    # 50 ms at most 1 % of the time: a look every 5 s at the most.
    assert 1 <= len(looks) <= 2
