"""``SiteRequest``: the request as this site's views see it, with what the site adds to it.

Django's ``HttpRequest`` gets five attributes, each set in one place: ``htmx`` by
django-htmx's middleware; ``is_fragment``, ``is_embedded`` and ``page_transform`` (with their
defaults) by ``middleware.site_request_middleware``, which runs right after it, the last two
changed only by the embed view for a page shown in a portal's frame; ``guide`` by
``pagecache.cached_page``. Views name ``SiteRequest`` in their signatures (the pattern of
django-htmx's example project, ``HtmxHttpRequest``), so a reader finds here what exists and
who sets it. This module only declares; it runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from rls_iron.content import Guide


class SiteRequest(HttpRequest):
    htmx: HtmxDetails
    # An htmx swap of part of a page: the view answers with a partial of its template. Not a
    # boosted navigation, and not a history restore (which needs the whole page). Decided
    # once, by the middleware, for the view and for the page cache's key alike.
    is_fragment: bool
    # The page is shown inside a portal's frame (/embed/…): base.html leaves out the header.
    is_embedded: bool
    # A rewrite of the finished HTML (embed mode's links), applied once per cached page.
    page_transform: Callable[[str], str] | None
    # The content the page is rendered from; cached_page sets it to the version its ETag names.
    guide: Guide
