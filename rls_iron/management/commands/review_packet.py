"""`manage.py review_packet` (`make review-packet`): the clinical review packet, to print.

Writes one HTML document per language (``en.html``, ``es.html``) with its stylesheet into
the output folder (git-ignored ``review-packet/``), and a PDF of each where Chromium is
installed (its headless "print to PDF"). Broken content is refused with its problems listed:
a clinician must never sign off a version that is not the one patients see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError

from rls_iron.content import LANGUAGES, ContentError
from rls_iron.review.packet import broken_content_message, build_packet, render_packet

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if Path(configured).is_file() and os.access(configured, os.X_OK):
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_to_pdf(chromium: str, html: Path, pdf: Path) -> None:
    """Chromium's own print of the HTML page; raises CommandError when it fails."""
    with tempfile.TemporaryDirectory(prefix="rls-packet-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        env = {**os.environ, "HOME": profile, "XDG_CONFIG_HOME": profile, "TMPDIR": profile}
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=True, env=env)
        except (OSError, subprocess.SubprocessError) as error:
            raise CommandError(f"Chromium could not print {html.name} to PDF: {error}") from error
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise CommandError(f"Chromium did not write {pdf}.")


class Command(BaseCommand):
    help = "Write the clinical review packet (HTML, and PDF where Chromium is installed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default="review-packet", help="Folder to write to.")
        parser.add_argument(
            "--no-pdf", action="store_true", help="Only the HTML, even when Chromium is there."
        )

    def handle(self, *args, **options) -> None:
        root = Path(settings.CONTENT_DIR)
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(finders.find("css/packet.css"), output / "packet.css")
        chromium = None if options["no_pdf"] else find_chromium()
        languages = [lang for lang in LANGUAGES if (root / lang).is_dir()]
        for language in languages:
            try:
                packet = build_packet(root, language)
            except ContentError as error:
                raise CommandError(broken_content_message(error, language)) from error
            html = output / f"{language}.html"
            html.write_text(render_packet(packet, stylesheet="packet.css"), encoding="utf-8")
            written = [html]
            if chromium:
                print_to_pdf(chromium, html, output / f"{language}.pdf")
                written.append(output / f"{language}.pdf")
            names = ", ".join(str(path) for path in written)
            self.stdout.write(
                f"{language}: {len(packet.files)} files, {packet.number_count} clinical numbers"
                f" -> {names}"
            )
        if not chromium and not options["no_pdf"]:
            self.stdout.write(
                "No Chromium found (set CHROMIUM=/path/to/chromium): HTML only. "
                "Open it in a browser and print it."
            )
