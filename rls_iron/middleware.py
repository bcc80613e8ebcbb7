"""Two small middleware for what Django has no setting for.

``PermissionsPolicyMiddleware`` adds the ``Permissions-Policy`` header (Django 6.1 has no
setting for it) to every response, static files included, so no page and no script can use
the camera, microphone, location and similar browser features.
``FriendlyMethodNotAllowedMiddleware`` turns the empty 405 answer of Django's method
decorators into a page a person can read, as the 404 and 400 answers already are.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
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
