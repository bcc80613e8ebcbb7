"""Offline reading: the web app manifest and the service worker, served from the site root.

The service worker's code is ``static/js/sw.js``; it is served at ``/sw.js`` so that its
scope covers every page, English at ``/`` and Spanish at ``/es/``. Its first line is
written here: the version (code and content), the pages to keep from the start (each
language's overview and questions, which also carry the emergency numbers) and the static
files they use, under the names the static storage gives them (hashed in production). A new
content version changes that line, so browsers install the new worker, which fetches fresh
copies of every page a reader had kept. The manifest is per language (``/es/…`` for Spanish),
so an installed copy opens in the reader's language.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag

from rls_iron.content import DEFAULT_LANGUAGE, get_guide, get_store
from rls_iron.pagecache import CODE_VERSION
from rls_iron.views import read_only

# Every static file the patient pages use; the worker keeps them from the start.
STATIC_FILES = (
    "css/site.css",
    "js/site.js",
    "js/faq.js",
    "js/glossary.js",
    "js/listen.js",
    "js/questions.js",
    "django_htmx/htmx-2.min.js",
    "img/icon.svg",
)
# The pages kept from the start, in each language: the overview and the questions.
START_PAGES = ("guide", "faq")
THEME_COLOUR = "#1a5c4f"  # the site's accent, as in the icon


def _version() -> str:
    return f"{CODE_VERSION}-{get_guide(DEFAULT_LANGUAGE).version}"


@lru_cache(maxsize=4)
def _script(version: str) -> str:
    """The worker's code with its settings line; worked out once per version."""
    pages = []
    for language in get_store().languages:
        with translation.override(language):
            pages += [reverse(name) for name in START_PAGES]
    config = {
        "version": version,
        "pages": pages,
        "static": [static(name) for name in STATIC_FILES],
        "staticPrefix": settings.STATIC_URL,
    }
    code = (settings.BASE_DIR / "static" / "js" / "sw.js").read_text(encoding="utf-8")
    return f"self.OFFLINE = {json.dumps(config)};\n{code}"


@read_only
@cache_control(no_cache=True)  # browsers check for a new worker on every visit
@etag(lambda request: f'"{_version()}"')
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_script(_version()), "text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@read_only
@cache_control(public=True, max_age=24 * 60 * 60)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to keep the guide on its home screen, in the address's language."""
    guide = get_guide()
    name = guide.site.site_title or _("Iron for Restless Legs")
    manifest = {
        "name": name,
        "short_name": _("Iron for RLS"),
        "description": guide.site.summary,
        "lang": guide.language,
        "dir": "ltr",
        "start_url": reverse("guide"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {
                "src": static("img/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
