"""Template context shared by every page: the site texts, even on error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rls_iron import feedback as feedback_rules
from rls_iron.addresses import language_versions
from rls_iron.content import ContentError, Guide, get_guide

logger = logging.getLogger(__name__)


def site(request: HttpRequest) -> dict:
    """Provide ``guide`` to templates that were not given one (404 pages, for example).

    Lazy, so the content is not looked up for the pages (nearly all) whose view passes its
    own guide. A 404 page must render even when the content cannot be loaded, so a content
    error here only means the page falls back to its built-in wording. ``static_export``
    tells templates to leave out what needs the live server (see export_site).
    """
    return {"guide": SimpleLazyObject(_guide_or_none), "static_export": settings.STATIC_EXPORT}


def _guide_or_none() -> Guide | None:
    try:
        return get_guide()
    except ContentError:
        logger.exception("Content could not be loaded for a shared template context")
        return None


def languages(request: HttpRequest) -> dict:
    """The other languages of this page, for the language switch in the header.

    Lazy, like ``guide``: an htmx fragment has no header, so it never works them out.
    """
    return {
        "other_languages": SimpleLazyObject(
            lambda: [version for version in language_versions(request) if not version.current]
        )
    }


def feedback(request: HttpRequest) -> dict:
    """The reader's "thank you" after a feedback post without JavaScript (the query of the
    page they are sent back to), for includes/feedback.html."""
    try:
        query = request.GET
    except SuspiciousOperation:
        return {}  # the 400 page for a query too big to read: it has no feedback form
    return {
        "feedback_state": query.get(feedback_rules.PARAMETER, ""),
        "feedback_token": query.get(feedback_rules.TOKEN_PARAMETER, ""),
    }
