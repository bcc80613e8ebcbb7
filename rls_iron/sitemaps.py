"""sitemap.xml: every patient page, for search engines (editor pages are left out)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from rls_iron.content import get_guide


class PatientPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        guide = get_guide()
        pages = [reverse(name) for name in ("guide", "faq", "glossary", "questions", "references")]
        return pages + [reverse("faq-answer", args=[entry.slug]) for entry in guide.faq]

    def location(self, item: str) -> str:
        return item

    def lastmod(self, item: str):
        return get_guide().modified_at

    def priority(self, item: str) -> float:
        return 1.0 if item == reverse("guide") else 0.6
