"""Small middleware for what Django has no setting for.

``PermissionsPolicyMiddleware`` adds the ``Permissions-Policy`` header (Django 6.1 has no
setting for it) to every document the browser may show (HTML pages, and SVG images, which
open as documents), so no page and no script can use the camera, microphone, location and
similar browser features. Style sheets and scripts never become documents, so they go
without its 600 bytes, which a phone would otherwise download with each of them.
``resource_policy_middleware`` sends ``Cross-Origin-Resource-Policy: same-origin`` on every
answer, so no other site can load our pages, scripts or files into its own page, except
where another site legitimately does: the QR code images (a clinic's page or a portal may
show one in an ``<img>``) and the /embed/ pages (a portal frames them; a portal that
isolates itself with ``Cross-Origin-Embedder-Policy`` can only frame a page that allows
it, and frame-ancestors still names the portals allowed). Those views say so with
``@cross_origin_resource``. The static files stay same-origin: a framed page loads them
from this site, not from the portal.
``head_without_body_middleware`` answers HEAD with the headers of GET (Content-Length
too) and no body, as HTTP asks; gunicorn otherwise drops the body itself and logs a warning
for every HEAD, which monitoring tools send all day.
``FriendlyMethodNotAllowedMiddleware`` turns the empty 405 answer of Django's method
decorators into a page a person can read, as the 404 and 400 answers already are.
``alias_redirect_middleware`` keeps old addresses working: a 404 for a path an editor listed
in ``aliases:`` becomes a 301. Like Django's ``RedirectFallbackMiddleware`` and Wagtail's
redirects, it only looks at requests that would otherwise fail, so it costs nothing on pages
that exist; content validation (rls_iron.E013) makes sure an alias never hides a live page.
``language_from_path_middleware`` picks the language from the address alone (``/es/…`` is
Spanish, everything else English): unlike Django's LocaleMiddleware it never reads the
Accept-Language header or a cookie, so an address always shows the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils import translation

from rls_iron.content import ContentError, get_guide

# Responses a browser can show as a document, to which a permissions policy applies.
DOCUMENT_TYPES = (
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",  # the sitemap
)
RESOURCE_POLICY = "Cross-Origin-Resource-Policy"


def cross_origin_resource(view: Callable) -> Callable:
    """Let other sites load this view's answers (see the module's docstring for which)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers[RESOURCE_POLICY] = "cross-origin"
        return response

    return wrapper


def head_without_body_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.method == "HEAD" and not response.streaming and response.content:
            length = str(len(response.content))
            response.content = b""
            response.headers["Content-Length"] = length
        return response

    return middleware


def resource_policy_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault(RESOURCE_POLICY, "same-origin")
        return response

    return middleware


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith(DOCUMENT_TYPES):
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class FriendlyMethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        # The same response, so its Allow header (the methods that would work) stays.
        response.content = render_to_string("405.html", request=request)
        return response


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


def language_from_path_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_path(request.path_info)
        language = language or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is restored afterwards, so nothing
        # run later in this thread (a test, a command) silently stays in Spanish.
        with translation.override(language):
            response = get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware
