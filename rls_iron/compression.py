"""Compression for the whole site, done one way: Brotli or gzip at their best settings.

The page cache compresses each rendered page once per content version (``negotiate_encoding``
picks what the client accepts), and the export writes ``.gz`` and ``.br`` copies for static
servers; both call ``compress``, so a page has the same bytes whichever one serves it. gzip
runs with ``mtime=0`` so the same page always gives the same file.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

import brotli
from django.http import HttpRequest


def compress(content: bytes, encoding: str) -> bytes:
    """``content`` compressed as ``encoding`` ("br" or "gzip"), smallest rather than fastest."""
    if encoding == "br":
        return brotli.compress(content, quality=11)
    if encoding == "gzip":
        return gzip.compress(content, compresslevel=9, mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")


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
