"""Addresses and languages: which pages the site has, a path's language, public URLs.

``PATIENT_PAGES`` (and the FAQ answers, ``ANSWER_PAGE``) are the pages written for patients,
``READING_PAGES`` those of them read on screen, ``STAFF_PAGES`` those for clinic staff; every
list of pages elsewhere (the sitemap, embed mode, QR codes, feedback, the export) is built
from these, so a new page is named once.
A path's language comes from its prefix alone (``/es/…`` is Spanish). ``absolute_url`` gives
the public address of a path, and ``language_versions`` the same page in each language (the
header's language switch and the hreflang links).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

# URL names of the pages for patients that have one address each, in the order they are
# listed (the sitemap, the export); each FAQ answer has an address of its own too.
# "guide" is the overview at /, "guide-all" the whole guide on one page (for search and print).
PATIENT_PAGES = (
    "guide", "guide-all", "faq", "glossary", "questions", "diary", "results", "references"
)  # fmt: skip
ANSWER_PAGE = "faq-answer"
# Each topic (section) of the guide has an address of its own too: see section_url().
SECTION_PAGE = "guide-section"
# The diary (for printing) and the results page (the reader's own numbers) are not shown in
# a portal's frame and have no "Was this page helpful?".
UNFRAMED_PAGES = ("diary", "results")
# The pages read on screen: shown in a portal's frame, with "Was this page helpful?".
READING_PAGES = tuple(name for name in PATIENT_PAGES if name not in UNFRAMED_PAGES)
# URL names of the pages for clinic staff: the printed handout and the staff page.
STAFF_PAGES = ("clinicians", "handout")


def language_of_path(path: str) -> str:
    """The language of a site path: Spanish for ``/es/…``, else the default."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def section_url(slug: str, language: str | None = None) -> str:
    """The address of one topic of the guide: the only place that builds it."""
    with translation.override(language or translation.get_language()):
        return reverse(SECTION_PAGE, args=[slug])


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

    Used for the language switch and the hreflang links. Every address comes from
    ``reverse()`` on the URL the request resolved to, never from the raw path, which may be
    anything a client sent (``//[/`` broke ``translate_url``; ``//evil.example/faq/`` would
    have become a link to another site).
    """
    current = translation.get_language()
    match = request.resolver_match
    if match is None:  # no URL matched: the 404 page
        return _not_found_versions(request.path_info, current)
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:  # an unnamed URL (the benchmark's hello-world)
                return []
    if len(set(paths.values())) < len(paths):
        return []  # the page has no language prefix: the staff pages, for example
    return [
        LanguageVersion(code, name, paths[code], code == current)
        for code, name in settings.LANGUAGES
    ]


def _not_found_versions(path: str, current: str) -> list[LanguageVersion]:
    """For a 404: the same address in the other language if it exists, else its home page.

    Only the other languages: a 404 page has no address of its own worth linking to.
    """
    prefix = f"/{current}/"
    rest = (
        path[len(prefix) - 1 :]
        if current != settings.LANGUAGE_CODE and path.startswith(prefix)
        else path
    )
    versions = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        candidate = rest if code == settings.LANGUAGE_CODE else f"/{code}{rest}"
        with translation.override(code):
            try:
                found = resolve(candidate)
                target = reverse(found.view_name, args=found.args, kwargs=found.kwargs)
            except (Resolver404, NoReverseMatch):
                target = reverse("guide")
        versions.append(LanguageVersion(code, name, target, current=False))
    return versions
