"""Addresses and languages: which pages the site has, a path's language, public URLs.

``PATIENT_PAGES`` (and the FAQ answers, ``ANSWER_PAGE``) are the pages written for patients,
``STAFF_PAGES`` those for clinic staff; every list of pages elsewhere (the sitemap, embed
mode, QR codes, feedback, the export) is built from these, so a new page is named once.
A path's language comes from its prefix alone (``/es/…`` is Spanish). ``absolute_url`` gives
the public address of a path, and ``language_versions`` the same page in each language (the
header's language switch and the hreflang links).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

# URL names of the pages for patients that have one address each, in the order they are
# listed (the sitemap, the export); each FAQ answer has an address of its own too.
PATIENT_PAGES = ("guide", "faq", "glossary", "questions", "references")
ANSWER_PAGE = "faq-answer"
# URL names of the pages for clinic staff: the printed handout and the staff page.
STAFF_PAGES = ("handout", "clinicians")


def language_of_path(path: str) -> str:
    """The language of a site path: Spanish for ``/es/…``, else the default."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def absolute_url(request: HttpRequest, path: str) -> str:
    """The public address of a path: RLS_IRON_SITE_URL when set, else the request's host."""
    base = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return base.rstrip("/") + path


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "English", "Español"
    path: str
    current: bool


def language_versions(request: HttpRequest) -> list[LanguageVersion]:
    """The same page in each language, or nothing for a page that exists in one language only.

    Used for the language switch and the hreflang links; Django's ``translate_url`` finds the
    counterpart address (``/faq/x/`` ↔ ``/es/faq/x/``).
    """
    current = translation.get_language()
    versions = [
        LanguageVersion(
            code,
            name,
            translate_url(request.path, code) if code != current else request.path,
            code == current,
        )
        for code, name in settings.LANGUAGES
    ]
    if len({version.path for version in versions}) < len(versions):
        return []  # the page has no language prefix: the staff pages, for example
    return versions
