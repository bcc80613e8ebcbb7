"""The review packet for editors: staff only, never cached, read fresh from the files."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache

from rls_iron.content import ContentError, get_store
from rls_iron.review.packet import build_packet
from rls_iron.views import read_only


@read_only
@never_cache
@staff_member_required
def editor_review_packet(request: HttpRequest, language: str) -> HttpResponse:
    """The review packet of one language, read fresh from the files, for the browser's print."""
    store = get_store()
    try:
        if language not in store.languages:
            raise Http404("There is no content in that language.")
        packet = build_packet(store.root, language)
    except ContentError as error:
        # No packet of a version patients do not see; the page says what to fix instead.
        context = {"rejected": error, "rejected_at": store.rejected_at}
        return render(request, "review/packet_unavailable.html", context, status=409)
    context = {"packet": packet, "stylesheet": static("css/packet.css")}
    with translation.override(language):
        return render(request, "review/packet.html", context)
