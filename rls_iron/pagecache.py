"""Patient pages rendered once per content version and then served from memory.

The site is read far more often than it changes. ``cached_page`` keeps each rendered
response in the worker's memory, keyed by the view, its arguments, the language, the variant
(whole page or htmx fragment) and the content version, compresses it once (Brotli or gzip, as the
client accepts), and labels each form with a strong ETag built from the content version and
the code version (templates, static files, Python). A repeat visit
gets a 304; an edit in content/ changes the version, so the next request renders afresh.
A page that cannot be kept (a search, a reader's "thank you") is rendered each time and
compressed by Django's own ``GZipMiddleware`` logic (``gzip_page``), which pads its output
against the BREACH attack. Editor pages never use this.

Each whole page also names the site's style sheet in a ``Link: rel=preload`` header, so the
browser asks for it as soon as the headers arrive, before it has parsed any of the page.
Otherwise, on a long page (the whole guide, the questions list) Chromium parses a large part
of the body before the style sheet is there, lays it all out without styles and then again
with them: Lighthouse measured that wasted layout as most of the whole guide's blocking time
on a phone. htmx fragments and images (``links_stylesheet=False``) go without it: a preload
that is never used is a warning in the browser's console.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page

from rls_iron import feedback
from rls_iron.compression import compress, negotiate_encoding
from rls_iron.content import get_guide
from rls_iron.site_request import SiteRequest

MAX_ENTRIES = 5000


def _code_version() -> str:
    """A hash of everything besides content that shapes a page: code, templates, static files."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in (("rls_iron", "**/*.py"), ("templates", "**/*"), ("static", "**/*")):
        for path in sorted((base / folder).glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(str(settings.STORAGES["staticfiles"]).encode())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


@dataclass(frozen=True)
class CachedPage:
    """A rendered page, and its compressed forms once a client has asked for them."""

    content: bytes
    content_type: str
    compressed: dict[str, bytes] = field(default_factory=dict)

    def body(self, encoding: str) -> bytes:
        if encoding == "identity":
            return self.content
        if encoding not in self.compressed:
            # Compressed once per content version, then served from memory.
            self.compressed[encoding] = compress(self.content, encoding)
        return self.compressed[encoding]


class PageCache:
    """Rendered pages of the current content version; older versions are dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._pages: dict[tuple, CachedPage] = {}

    def get(self, version: str, key: tuple) -> CachedPage | None:
        with self._lock:
            if version != self._version:
                return None
            return self._pages.get(key)

    def put(self, version: str, key: tuple, page: CachedPage) -> None:
        with self._lock:
            if version != self._version:
                self._version = version
                self._pages = {}
            if len(self._pages) < MAX_ENTRIES:
                self._pages[key] = page

    def clear(self) -> None:
        with self._lock:
            self._version = ""
            self._pages = {}


page_cache = PageCache()


# Query parameters that make a page personal: the reader's "thank you" after a feedback post
# without JavaScript. Such pages are rendered fresh and never stored by any cache.
PERSONAL_PARAMETERS = (feedback.PARAMETER,)


@lru_cache(maxsize=MAX_ENTRIES)
def validators(
    version: str, modified_at: dt.datetime, key: tuple, encoding: str
) -> tuple[str, int, str]:
    """The ETag and Last-Modified of one page in one encoding (worked out once per version)."""
    etag_source = f"{CODE_VERSION}:{version}:{key!r}:{encoding}".encode()
    etag = '"' + hashlib.sha256(etag_source).hexdigest()[:32] + '"'
    last_modified = int(modified_at.timestamp())  # HTTP dates have whole seconds
    return etag, last_modified, http_date(last_modified)


@lru_cache(maxsize=1)
def stylesheet_preload() -> str:
    """The Link header for css/site.css (its hashed address, read once the app is running)."""
    return f"<{static('css/site.css')}>; rel=preload; as=style"


def cached_page(
    *,
    varies_on_htmx: bool = False,
    fresh_with: tuple[str, ...] = (),
    links_stylesheet: bool = True,
) -> Callable:
    """Serve a GET view from memory, with ETag, Last-Modified and Cache-Control headers.

    The view finds the content in ``request.guide``: the version the ETag names, so a page is
    never stored under a version it was not rendered from. ``fresh_with`` names the view's
    own personal query parameters (a search), which, like ``PERSONAL_PARAMETERS``, make the
    page be rendered fresh and stored by no cache. ``links_stylesheet`` says the view's whole
    pages link css/site.css (every page made from base.html does), for the preload header.

    The headers are what ``@cache_control`` (settings.PAGE_CACHE_CONTROL) and
    ``@vary_on_headers("Accept-Encoding", "HX-Request")`` would write; they are set here
    because the ETag and the compressed body must come from the same stored page.
    """
    personal = PERSONAL_PARAMETERS + fresh_with
    vary = ["Accept-Encoding", "HX-Request"] if varies_on_htmx else ["Accept-Encoding"]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: SiteRequest, *args, **kwargs) -> HttpResponse:
            request.guide = guide = get_guide()
            whole_page = links_stylesheet and not (varies_on_htmx and request.is_fragment)
            if any(name in request.GET for name in personal):
                response = gzip_page(view)(request, *args, **kwargs)
                response["Cache-Control"] = "private, no-store"
                if varies_on_htmx:
                    patch_vary_headers(response, ["HX-Request"])
                if whole_page and response.status_code == 200:
                    response["Link"] = stylesheet_preload()
                return response
            key = _page_key(view, request, args, kwargs, fragment=varies_on_htmx)
            # In development the page goes out uncompressed, so that django-browser-reload can
            # add its reload script (it leaves compressed responses alone).
            encoding = "identity" if settings.DEBUG else negotiate_encoding(request)
            etag, last_modified, last_modified_header = validators(
                guide.version, guide.modified_at, key, encoding
            )
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                page = page_cache.get(guide.version, key)
                if page is None:
                    page = _render(view, request, args, kwargs)
                    if isinstance(page, HttpResponse):
                        return page  # an error or a redirect: never stored
                    page_cache.put(guide.version, key, page)
                response = HttpResponse(page.body(encoding), content_type=page.content_type)
                if encoding != "identity":
                    response["Content-Encoding"] = encoding
            if whole_page:  # on a 304 too, as the 200 it stands for
                response["Link"] = stylesheet_preload()
            response["ETag"] = etag
            response["Last-Modified"] = last_modified_header
            response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
            patch_vary_headers(response, vary)
            return response

        return wrapper

    return decorator


def _page_key(view: Callable, request: SiteRequest, args, kwargs, *, fragment: bool) -> tuple:
    """What makes one stored page differ from another of the same content version."""
    # A view that shows a page differently (embed mode) sets a transform of its HTML.
    transform = request.page_transform
    variant = (fragment and request.is_fragment, transform.__qualname__ if transform else "")
    return (
        view.__name__,
        args,
        tuple(sorted(kwargs.items())),
        variant,
        request.get_host(),
        translation.get_language(),  # /es/… and / run the same view
    )


def _render(view: Callable, request: SiteRequest, args, kwargs) -> CachedPage | HttpResponse:
    """The view's page, transformed, ready to keep; any other answer is returned as it is."""
    rendered = view(request, *args, **kwargs)
    if rendered.status_code != 200 or rendered.streaming:
        return rendered
    content = rendered.content
    if request.page_transform is not None:
        charset = rendered.charset
        content = request.page_transform(content.decode(charset)).encode(charset)
    return CachedPage(content, rendered["Content-Type"])
