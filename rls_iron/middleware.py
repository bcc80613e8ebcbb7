"""Old addresses keep working: a 404 for a path an editor listed in ``aliases:`` becomes a 301.

Like Django's ``RedirectFallbackMiddleware`` and Wagtail's redirects, this only looks at
requests that would otherwise fail, so it costs nothing on pages that exist. Content
validation (rls_iron.E013) makes sure an alias never hides a live page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from rls_iron.content import ContentError, get_guide


def alias_redirect_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            target = get_guide().redirects.get(request.path)
        except ContentError:
            return response  # the 404 page already says what it can
        return HttpResponsePermanentRedirect(target) if target else response

    return middleware
