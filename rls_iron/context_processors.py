"""Template context shared by every page: the site texts, even on error pages."""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from rls_iron import feedback as feedback_rules
from rls_iron.content import ContentError, get_guide
from rls_iron.seo import language_versions

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


def languages(request: HttpRequest) -> dict:
    """The other languages of this page, for the language switch in the header."""
    return {
        "other_languages": [
            version for version in language_versions(request) if not version.current
        ]
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
