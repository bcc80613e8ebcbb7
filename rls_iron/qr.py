"""QR codes as SVG (segno) for the site's own pages, for the handout and the staff page.

A QR code is asked for by page, ``/qr/faq/is-iron-a-cure.svg`` for ``/faq/is-iron-a-cure/``
(``/qr/index.svg`` for the guide itself, ``/qr/es.svg`` for the Spanish one), never by
text or URL: only pages that exist get a code, so the site cannot be made to print a code
that leads somewhere else.
"""

from __future__ import annotations

import io
from functools import lru_cache

from django.urls import Resolver404, resolve
from django.utils import translation

from rls_iron.addresses import (
    ANSWER_PAGE,
    PATIENT_PAGES,
    SECTION_PAGE,
    STAFF_PAGES,
    language_of_path,
)
from rls_iron.content import Guide, get_guide

HOME_NAME = "index"
# URL names of the pages a printed code may lead to.
QR_PAGES = frozenset({*PATIENT_PAGES, ANSWER_PAGE, SECTION_PAGE, *STAFF_PAGES})


def qr_name(path: str) -> str:
    """The name under /qr/ of a page path: ``/faq/`` → ``faq``, ``/`` → ``index``."""
    return path.strip("/") or HOME_NAME


def page_path(guide: Guide, name: str) -> str | None:
    """The site path a QR name stands for, or None when it is not a page of this site."""
    if name == HOME_NAME:
        return "/"
    if not name or name.startswith("/") or "//" in name or name.endswith("/"):
        return None
    path = f"/{name}/"
    # A Spanish page (/es/…) resolves only with Spanish active, and is in the Spanish guide.
    language = language_of_path(path)
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in QR_PAGES:
        return None
    if match.url_name == ANSWER_PAGE:
        pages = guide if guide.language == language else get_guide(language)
        if pages.faq_entry(match.kwargs["slug"]) is None:
            return None
    if match.url_name == SECTION_PAGE:
        pages = guide if guide.language == language else get_guide(language)
        if pages.section(match.kwargs["slug"]) is None:
            return None
    return path


@lru_cache(maxsize=256)  # a pure function of its arguments: drawn once per address
def qr_svg(url: str, *, title: str) -> bytes:
    """A QR code for ``url``: black on a white square, so it scans on a dark screen too."""
    # Imported here: segno costs each worker about 9 MB, and only the staff pages, the handout
    # and the export show QR codes.
    import segno

    buffer = io.BytesIO()
    # Error correction M survives a crease or a smudge on paper; a 4-module quiet zone is
    # what the QR standard asks for.
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=4, dark="#000", light="#fff", title=title
    )
    return buffer.getvalue()
