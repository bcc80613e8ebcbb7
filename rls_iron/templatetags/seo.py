"""`{% page_meta title description %}`: the title, description, canonical link, Open Graph tags
and JSON-LD of a patient page, from one place."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from rls_iron.seo import (
    PATIENT,
    absolute_url,
    canonical_path,
    json_for_script,
    language_versions,
    medical_web_page,
)

register = template.Library()


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title: str, description: str, audience: str = PATIENT) -> dict:
    request = context["request"]
    guide = context["guide"]
    url = absolute_url(request, canonical_path(request))
    data = medical_web_page(
        guide=guide, title=title, description=description, url=url, audience=audience
    )
    site_title = guide.site.site_title
    return {
        "title": title if title == site_title else f"{title} | {site_title}",
        "page_title": title,
        "description": description,
        "url": url,
        "site_title": site_title,
        "language": guide.language,
        # A framed copy (/embed/…) is not a page of its own for search engines.
        "noindex": getattr(request, "is_embedded", False),
        "alternates": [
            (version.code, absolute_url(request, version.path))
            for version in language_versions(request)
        ],
        # json_for_script escapes <, > and &, so the data cannot end the script element.
        "jsonld": mark_safe(json_for_script(data)),
    }
