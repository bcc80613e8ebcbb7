"""Template context shared by every page: the site texts, even on error pages."""

from __future__ import annotations

import logging

from django.http import HttpRequest

from rls_iron.content import ContentError, get_guide

logger = logging.getLogger(__name__)


def site(request: HttpRequest) -> dict:
    """Provide ``guide`` to templates that were not given one (404 pages, for example).

    A 404 page must render even when the content cannot be loaded, so a content error here
    only means the page falls back to its built-in wording.
    """
    try:
        return {"guide": get_guide()}
    except ContentError:
        logger.exception("Content could not be loaded for a shared template context")
        return {"guide": None}
