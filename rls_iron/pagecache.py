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
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page

from rls_iron import feedback
from rls_iron.content import get_guide

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
            if encoding == "br":
                self.compressed[encoding] = brotli.compress(self.content, quality=11)
            else:
                self.compressed[encoding] = gzip.compress(self.content, compresslevel=9, mtime=0)
        return self.compressed[encoding]


def negotiate_encoding(request: HttpRequest) -> str:
    """The best compression the client accepts: Brotli, then gzip, else none."""
    return _best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)  # browsers send a handful of distinct values
def _best_encoding(accept_encoding: str) -> str:
    accepted = set()
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        if parameters.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip().lower())
    if "br" in accepted:
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return "identity"


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


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx swap of part of a page (not a boosted navigation or a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


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


def cached_page(*, varies_on_htmx: bool = False, fresh_with: tuple[str, ...] = ()) -> Callable:
    """Serve a GET view from memory, with ETag, Last-Modified and Cache-Control headers.

    ``fresh_with`` names the view's own personal query parameters (a search), which, like
    ``PERSONAL_PARAMETERS``, make the page be rendered fresh and stored by no cache.
    """
    personal = PERSONAL_PARAMETERS + fresh_with

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if any(name in request.GET for name in personal):
                response = gzip_page(view)(request, *args, **kwargs)
                response["Cache-Control"] = "private, no-store"
                if varies_on_htmx:
                    patch_vary_headers(response, ["HX-Request"])
                return response
            guide = get_guide()
            fragment = varies_on_htmx and is_fragment_request(request)
            # A view that shows a page differently (embed mode) sets a transform of its HTML.
            transform = getattr(request, "page_transform", None)
            variant = (fragment, transform.__qualname__ if transform else "")
            key = (
                view.__name__,
                args,
                tuple(sorted(kwargs.items())),
                variant,
                request.get_host(),
                translation.get_language(),  # /es/… and / run the same view
            )
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
                    rendered = view(request, *args, **kwargs)
                    if rendered.status_code != 200 or rendered.streaming:
                        return rendered
                    content = rendered.content
                    if transform is not None:
                        charset = rendered.charset
                        content = transform(content.decode(charset)).encode(charset)
                    page = CachedPage(content, rendered["Content-Type"])
                    page_cache.put(guide.version, key, page)
                response = HttpResponse(page.body(encoding), content_type=page.content_type)
                if encoding != "identity":
                    response["Content-Encoding"] = encoding
            response["ETag"] = etag
            response["Last-Modified"] = last_modified_header
            response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
            patch_vary_headers(
                response,
                ["Accept-Encoding", "HX-Request"] if varies_on_htmx else ["Accept-Encoding"],
            )
            return response

        return wrapper

    return decorator
