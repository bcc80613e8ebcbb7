"""sitemap.xml: every page meant to be found, in every language, for search engines.

Each address is listed once per language (``/faq/`` and ``/es/faq/``) with hreflang
alternates pointing at its translations. The staff page (``/clinicians/``) and the handout
(``/handout/``) are listed too: clinic staff search for "how to link" and for printable
patient handouts, and both are complete pages in both languages. Left out: the editor and
admin pages (private), ``/embed/…`` (a framed copy whose canonical link names the page
itself) and ``/infobutton`` (an interface for programs).

``lastmod`` is the page's own content date from front matter, in its language: the guide
changes when its newest section was reviewed (the newest ``last_reviewed``), and a topic's
page when its own section was; every other page shows the guide's review date ("Last checked
against its sources", the oldest
``last_reviewed``) and has no date of its own, so that date is its ``lastmod``. Dates,
not file times: copying or checking out the files does not make every page look new.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from rls_iron.addresses import ANSWER_PAGE, PATIENT_PAGES, SECTION_PAGE, STAFF_PAGES
from rls_iron.content import get_guide, get_store


def page_date(name: str, language: str, args: tuple[str, ...] = ()) -> dt.date | None:
    """The content date of a page (see the module docstring)."""
    guide = get_guide(language)
    if name == SECTION_PAGE:  # a topic's page: its own section's review date
        return guide.section(args[0]).last_reviewed
    if name in ("guide", "guide-all"):
        return max((section.last_reviewed for section in guide.sections), default=None)
    return guide.last_reviewed


def _has_page(guide, name: str, args: tuple[str, ...]) -> bool:
    """Whether this language's guide has the page (a translated answer or topic may lag)."""
    if name == ANSWER_PAGE:
        return guide.faq_entry(args[0]) is not None
    if name == SECTION_PAGE:
        return guide.section(args[0]) is not None
    return True


class PatientPagesSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        guide = get_guide("en")
        pages = [(name, ()) for name in PATIENT_PAGES + STAFF_PAGES]
        pages += [(SECTION_PAGE, (section.slug,)) for section in guide.sections]
        return pages + [(ANSWER_PAGE, (entry.slug,)) for entry in guide.faq]

    def get_languages_for_item(self, item: tuple[str, tuple[str, ...]]) -> list[str]:
        """The languages this content folder has the page in (a translation may lag)."""
        name, args = item
        return [
            language
            for language in get_store().languages
            if _has_page(get_guide(language), name, args)
        ]

    def location(self, item: tuple[str, tuple[str, ...]]) -> str:
        name, args = item
        return reverse(name, args=args)  # in the language the sitemap framework activates

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Django calls ``lastmod`` without the language; each URL's date is set here."""
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            (name, args), language = url["item"]
            url["lastmod"] = page_date(name, language, args)
        dates = [url["lastmod"] for url in urls if url["lastmod"]]
        self.latest_lastmod = max(dates, default=None)
        return urls

    def priority(self, item: tuple[str, tuple[str, ...]]) -> float:
        return 1.0 if item[0] == "guide" else 0.6
