"""sitemap.xml: every patient page in every language, for search engines.

Each address is listed once per language (``/faq/`` and ``/es/faq/``) with hreflang
alternates pointing at its translations; editor pages are left out.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from rls_iron.content import get_guide, get_store

# Every patient page but the answers (listed one by one) and the pages for clinic staff.
PAGE_NAMES = ("guide", "faq", "glossary", "questions", "diary", "references")


class PatientPagesSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        pages = [(name, ()) for name in PAGE_NAMES]
        return pages + [("faq-answer", (entry.slug,)) for entry in get_guide("en").faq]

    def get_languages_for_item(self, item: tuple[str, tuple[str, ...]]) -> list[str]:
        """The languages this content folder has the page in (a translation may lag)."""
        name, args = item
        return [
            language
            for language in get_store().languages
            if name != "faq-answer" or get_guide(language).faq_entry(args[0]) is not None
        ]

    def location(self, item: tuple[str, tuple[str, ...]]) -> str:
        name, args = item
        return reverse(name, args=args)  # in the language the sitemap framework activates

    def lastmod(self, item: tuple[str, tuple[str, ...]]):
        return max(get_guide(language).modified_at for language in get_store().languages)

    def priority(self, item: tuple[str, tuple[str, ...]]) -> float:
        return 1.0 if item[0] == "guide" else 0.6
