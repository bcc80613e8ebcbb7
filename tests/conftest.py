"""Shared fixtures: a temporary content folder, test-only settings and the browser.

Content tests write real Markdown files into ``tmp_path`` and point the site at them.
Browser tests drive Debian's Chromium through Playwright (its own download does not work here).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# database-free ORM-less calls from it (https://docs.djangoproject.com/en/6.0/topics/async/).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Settings for the whole run, in place before any server (live_server too) starts."""
    from django.conf import settings
    from django.test.utils import override_settings

    override = override_settings(
        # The manifest storage needs collectstatic first; tests serve static/ directly.
        STATIC_ROOT=tmp_path_factory.mktemp("staticfiles"),
        WHITENOISE_USE_FINDERS=True,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        CONTENT_CHECK_INTERVAL=0,
        CONTENT_SETTLE_SECONDS=0,
        # A fast hash: the real one costs 0.3 s of CPU a log-in, on purpose.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Lets a test run on the throw-away PostgreSQL (the `database` fixture).
        DATABASE_ROUTERS=["tests.databases.DatabaseSwitch"],
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no pre-rendered pages in memory."""
    from rls_iron.pagecache import page_cache

    page_cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's fallback fixture, a method that pytest 9 warns about;
    # tests build their URLs from live_server instead.
    return None


# A test that needs one of these starts a real server (gunicorn, or Django's live server) or
# builds the whole export: seconds each, so `make test-fast` leaves them out ("slow").
SLOW_FIXTURES = {"production_server", "static_root", "live_server", "export_dir"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every test must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI", "").lower() == "true" and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI=true: skipped tests are not allowed.", red=True)
        session.exitstatus = 1


# --------------------------------------------------------------------------- content files


def front_matter(fields: dict) -> str:
    lines = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines.append(f"{name}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n"


class ContentFolder:
    """A throwaway content folder with a small valid guide, for loader and view tests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.language_dir = root / "en"

    def write(self, relative: str, fields: dict | None, body: str) -> Path:
        path = self.language_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (front_matter(fields) if fields is not None else "") + textwrap.dedent(body)
        path.write_text(text, encoding="utf-8")
        return path

    def section(self, slug: str, order: int, body: str, **overrides) -> Path:
        fields = {
            "title": slug.replace("-", " ").capitalize(),
            "summary": f"About {slug}.",
            "order": order,
            "slug": slug,
            "last_reviewed": "2026-11-27",
            "next_review": "2027-05-27",
            "reviewed_by": "",
            **overrides,
        }
        return self.write(f"sections/{order:02d}-{slug}.md", fields, body)

    def faq(self, slug: str, order: int, question: str, body: str) -> Path:
        return self.write(
            f"faq/{slug}.md", {"question": question, "slug": slug, "order": order}, body
        )

    def reference(self, key: str, title: str, note: str = "What it found.", **fields) -> Path:
        return self.write(f"references/{key}.md", {"key": key, "title": title, **fields}, note)

    def glossary_term(self, slug: str, term: str, definition: str, also: str = "") -> Path:
        fields = {"term": term, "slug": slug, **({"also": also} if also else {})}
        return self.write(f"glossary/{slug}.md", fields, definition)

    def questions(self, body: str, title: str = "Questions for your doctor") -> Path:
        return self.write("questions.md", {"title": title}, body)

    def synonyms(self, body: str) -> Path:
        return self.write("synonyms.md", {}, body)

    def populate(self) -> ContentFolder:
        self.write(
            "site.md",
            {"site_title": "Test Iron Site", "title": "Test guide title", "summary": "A test."},
            "Welcome to the test guide [@alpha].\n",
        )
        self.write("disclaimer.md", {"title": "Medical disclaimer"}, "Test disclaimer text.\n")
        self.write("emergency.md", {"title": "Get help now"}, "- Emergency: call [911](tel:911).\n")
        self.section("first-part", 1, "First body text [@beta].\n\nMore [@alpha; @beta].\n")
        self.section("second-part", 2, "Second body text.\n")
        self.faq("question-one", 1, "Is this the first question?", "Yes, it is [@beta].\n")
        self.faq("question-two", 2, "Is this the second question?", "Yes, the second.\n")
        self.reference(
            "alpha", "Alpha study", authors="Alpha A, Other B", year="2018", doi="10.1/a"
        )
        self.reference("beta", "Beta trial", authors="Beta C", year="2020", pmid="123")
        return self


@pytest.fixture
def content_folder(tmp_path, settings) -> ContentFolder:
    """A valid small guide in a temporary folder that the site serves from."""
    folder = ContentFolder(tmp_path / "content").populate()
    settings.CONTENT_DIR = folder.root
    return folder


@pytest.fixture
def make_content(tmp_path) -> Callable[[], ContentFolder]:
    """A factory for extra content folders that the site does not serve."""
    counter = iter(range(1000))

    def make() -> ContentFolder:
        return ContentFolder(tmp_path / f"content-{next(counter)}").populate()

    return make


def built_once_per_run(tmp_path_factory, worker_id, name: str, build) -> Path:
    """A folder that ``build(folder)`` fills, made once per run and shared by the xdist workers.

    With xdist the workers share the run's temporary folder, and a file lock lets the first
    one build it while the others wait for it instead of building their own. A marker written
    after a build that finished tells them it is complete (a failed one is built again).
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    output = shared / name / "files"
    complete = shared / name / "complete"
    output.parent.mkdir(exist_ok=True)
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not complete.is_file():
            shutil.rmtree(output, ignore_errors=True)
            build(output)
            complete.touch()
    return output


@pytest.fixture(scope="session")
def static_root(tmp_path_factory, worker_id) -> Path:
    """The static files collected as `make serve` collects them (hashed, compressed), once a
    run: the servers only read them."""
    from tests.servers import collectstatic, production_env

    return built_once_per_run(
        tmp_path_factory,
        worker_id,
        "collected",
        lambda root: collectstatic(root, production_env()),
    )


@pytest.fixture(scope="session")
def production_server(static_root):
    """gunicorn with DEBUG off and collected static files, serving the real content."""
    from tests.servers import gunicorn

    with gunicorn(static_root) as base:
        yield base


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory, worker_id) -> Path:
    """The site as `make export` writes it, built once per run."""
    from tests.servers import ROOT, production_env

    def export(output: Path) -> None:
        # In its own process, as `make export` runs it: this process has test settings and
        # caches (the offline worker's list of static files) that the export must not see.
        subprocess.run(
            [sys.executable, "manage.py", "export_site", "--output", str(output)],
            cwd=ROOT,
            env=production_env(),
            check=True,
            capture_output=True,
        )

    return built_once_per_run(tmp_path_factory, worker_id, "export", export)


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL for this run (one per xdist worker), started once."""
    from tests.databases import throwaway_postgres

    with throwaway_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory, postgres_server):
    """A file-backed SQLite test database, as in production, and a PostgreSQL one beside it.

    With SQLite's in-memory test database, Django never closes the connections that the
    live server's request threads open (closing would lose the data), so they leak.
    """
    from django.conf import settings
    from django.db import connections

    path = tmp_path_factory.mktemp("database") / "test.sqlite3"
    settings.DATABASES["default"]["TEST"]["NAME"] = str(path)
    settings.DATABASES["postgres"] = postgres_server.settings("rls_iron")
    connections.configure_settings(settings.DATABASES)  # Django's defaults for the new alias


@pytest.fixture(autouse=True)
def database(request):
    """The database alias every query of this test goes to: "default" (SQLite) unless the
    test is marked ``both_databases``, which runs it on "postgres" too."""
    from tests.databases import DatabaseSwitch

    DatabaseSwitch.alias = getattr(request, "param", "default")
    yield DatabaseSwitch.alias
    DatabaseSwitch.alias = "default"


def pytest_generate_tests(metafunc):
    """``both_databases`` tests that use the database run on SQLite and on PostgreSQL."""
    if metafunc.definition.get_closest_marker("both_databases") and (
        "db" in metafunc.fixturenames and "transactional_db" not in metafunc.fixturenames
    ):
        both = pytest.mark.django_db(databases=["default", "postgres"])
        metafunc.parametrize(
            "database",
            [
                pytest.param("default", id="sqlite", marks=both),
                pytest.param("postgres", marks=both),
            ],
            indirect=True,
        )


@pytest.fixture
def errors(page) -> list[str]:
    """Console errors and uncaught exceptions of a browser page; a clean page has none."""
    found: list[str] = []
    page.on("console", lambda message: message.type == "error" and found.append(message.text))
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


@pytest.fixture
def clipboard_page(browser):
    """A browser page that may write to the clipboard; what it writes is in window.__copied.

    The site's Permissions-Policy forbids reading the clipboard (it only ever writes), so
    tests record what the page writes instead of reading it back.
    """
    context = browser.new_context(permissions=["clipboard-write"])
    context.add_init_script(
        "window.__copied = [];"
        "const write = navigator.clipboard.writeText.bind(navigator.clipboard);"
        "navigator.clipboard.writeText = (text) => { window.__copied.push(text);"
        " return write(text); };"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser):
    """A browser page with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()
