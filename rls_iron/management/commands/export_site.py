"""`manage.py export_site` (`make export`): write the whole site as plain files for any static host.

Every patient page, in every language (``/es/…`` too), is rendered through the real views
and written as ``<path>/index.html``, next to the collected (hashed, compressed) static
files, a 404 page and the sitemap where the site has one, the QR codes of the pages, and
the web app manifests and the offline reading worker (``/sw.js``, at the root).
The FAQ still expands in place there: its links fetch the answer's own page and htmx picks
the answer out of it (``hx-select``). Server-only features are not exported: the editor
pages and the admin are never linked, and the templates themselves (``static_export``, set
from settings.STATIC_EXPORT here) leave out the feedback forms and show the links to the
Infobutton endpoint as plain text. tests/test_export.py checks that no exported page
points at a server-only address.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from rls_iron import qr
from rls_iron.addresses import ANSWER_PAGE, PATIENT_PAGES, STAFF_PAGES
from rls_iron.compression import compress
from rls_iron.content import ContentError, get_guide, get_store
from rls_iron.pagecache import page_cache


def exported_paths() -> list[str]:
    """Every page of the current content, for patients and clinic staff, in each language."""
    paths = []
    for language in get_store().languages:
        with translation.override(language):
            guide = get_guide(language)
            paths += [reverse(name) for name in PATIENT_PAGES + STAFF_PAGES]
            paths += [section.path for section in guide.sections]
            paths += [reverse(ANSWER_PAGE, args=[entry.slug]) for entry in guide.faq]
    return paths


def figure_paths() -> list[str]:
    """The pictures the pages show, in each language."""
    paths = []
    for language in get_store().languages:
        with translation.override(language):
            paths += [reverse("figure", args=[name]) for name in get_guide(language).figures]
    return paths


def optional_paths() -> list[str]:
    """Pages other parts of the site may add (a sitemap, say); exported when they exist."""
    found = []
    for name in ("sitemap", "robots", "service-worker"):
        try:
            found.append(reverse(name))
        except NoReverseMatch:
            continue
    for language in get_store().languages:  # each language's web app manifest
        with translation.override(language):
            found.append(reverse("manifest"))
    return found


class Command(BaseCommand):
    help = "Write every patient page and the static files to a folder for a static web server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(settings.BASE_DIR / "export"))

    def handle(self, *args, **options) -> None:
        output = Path(options["output"]).resolve()
        if output == Path(settings.BASE_DIR).resolve() or output == Path("/"):
            raise CommandError(f"Refusing to replace {output}.")
        try:
            get_guide()
        except ContentError as error:
            raise CommandError(f"The content has errors:\n{error}") from None
        if output.exists():
            shutil.rmtree(output)
        output.mkdir(parents=True)

        # Exported files are always hashed and compressed, so a CDN can cache them for good.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        # Pages rendered for the export differ from the live ones: keep neither kind for the other.
        page_cache.clear()
        export_settings = override_settings(
            STATIC_ROOT=output / "static", STORAGES=storages, STATIC_EXPORT=True
        )
        with export_settings:
            call_command("collectstatic", interactive=False, verbosity=0)
            host = next((host for host in settings.ALLOWED_HOSTS if "*" not in host), "localhost")
            client = Client(HTTP_HOST=host)
            count = 0
            for path in exported_paths() + figure_paths() + optional_paths():
                count += self.write_page(client, path, output)
            for path in exported_paths():
                count += self.write_page(client, reverse("qr", args=[qr.qr_name(path)]), output)
            # Django logs every 404; this one is on purpose.
            request_log = logging.getLogger("django.request")
            request_log.disabled = True
            try:
                not_found = client.get("/404-page-for-the-export/")
            finally:
                request_log.disabled = False
            (output / "404.html").write_bytes(not_found.content)
        page_cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Exported {count} pages to {output}"))

    def write_page(self, client: Client, path: str, output: Path) -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        target = output / path.lstrip("/")
        content = response.content
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        # Pre-compressed copies, for static servers that serve them (nginx gzip_static).
        target.with_name(target.name + ".gz").write_bytes(compress(content, "gzip"))
        target.with_name(target.name + ".br").write_bytes(compress(content, "br"))
        return 1
