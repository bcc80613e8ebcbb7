"""Live preview for `make dev`: a saved content file reloads the open browser tab.

Django's development server watches ``content/`` (see ``apps.py``). When a Markdown file
changes, the server is not restarted: like a production worker, the running content store
picks the edit up and keeps the last good content if the edit is broken. Once the store has
taken the change, django-browser-reload tells the open tabs to reload. A rejected edit is
shown at the top of every page, so the editor sees what is wrong and where without leaving
the browser. None of this is installed unless DEBUG is on.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from rls_iron.content import get_store

# How long a save may take to settle before the tab is reloaded anyway.
GIVE_UP_AFTER_SECONDS = 10.0
BODY_START = re.compile(r"<body[^>]*>", re.IGNORECASE)


def on_file_changed(*, file_path: Path, **kwargs) -> bool | None:
    """Reload the browser for a content file instead of restarting the server."""
    content_dir = Path(settings.CONTENT_DIR).resolve()
    if content_dir not in Path(file_path).resolve().parents:
        return None  # code and settings still restart the server as usual
    threading.Thread(target=_reload_when_content_is_taken, daemon=True).start()
    return True  # True tells Django's autoreloader not to restart


def _reload_when_content_is_taken() -> None:
    from django_browser_reload.views import trigger_reload_soon

    deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
    # A file saved less than the settle time ago is not loaded yet: ask again shortly.
    while not get_store().refresh() and time.monotonic() < deadline:
        time.sleep(0.1)
    trigger_reload_soon()


def rejected_edit_middleware(get_response):
    """Show a rejected content edit at the top of every HTML page while developing."""

    def middleware(request: HttpRequest) -> HttpResponse:
        store = get_store()
        if store.rejected is not None:
            # The page's ETag follows the content in use, which a rejected edit leaves
            # unchanged: drop the validators so the browser gets the page with the notice.
            request.META.pop("HTTP_IF_NONE_MATCH", None)
            request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
        response = get_response(request)
        if store.rejected is None or not _is_plain_html(response):
            return response
        notice = render_to_string(
            "includes/rejected_edit.html",
            {"rejected": store.rejected, "rejected_at": store.rejected_at},
        )
        html = response.content.decode(response.charset)
        html = BODY_START.sub(lambda match: match[0] + notice, html, count=1)
        response.content = html.encode(response.charset)
        # Nor may the browser keep this page: once the edit is fixed, it must fetch afresh.
        del response["ETag"]
        del response["Last-Modified"]
        response["Cache-Control"] = "no-store"
        if "Content-Length" in response:
            response["Content-Length"] = len(response.content)
        return response

    return middleware


def _is_plain_html(response: HttpResponse) -> bool:
    return (
        not response.streaming
        and not response.get("Content-Encoding")
        and response.get("Content-Type", "").startswith("text/html")
    )
