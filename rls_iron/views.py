"""Pages: thin views that ask the content module for objects and render a template.

An htmx request for one FAQ answer gets only the ``answer`` partial of the FAQ page; every
other request (no JavaScript, a boosted navigation, an htmx history restore) gets a whole page.
The editor status page is for staff only and is never cached.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from rls_iron.content import editor_report, get_faq_entry_or_404, get_guide, get_store
from rls_iron.pagecache import cached_page, is_fragment_request


@require_safe
@cached_page()
def guide_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/guide.html", {"guide": get_guide(), "nav": "guide"})


@require_safe
@cached_page()
def faq_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/faq.html", {"guide": get_guide(), "nav": "faq"})


@require_safe
@cached_page(varies_on_htmx=True)
def faq_answer_page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_guide()
    entry = get_faq_entry_or_404(guide, slug)
    context = {"guide": guide, "entry": entry, "nav": "faq"}
    if is_fragment_request(request):
        return render(request, "pages/faq.html#answer", context)
    return render(request, "pages/faq_answer.html", context)


@require_safe
@cached_page()
def references_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/references.html", {"guide": get_guide(), "nav": "references"})


@require_GET
@never_cache
@staff_member_required
def editor_status_page(request: HttpRequest) -> HttpResponse:
    store = get_store()
    report = editor_report(store)
    return render(
        request,
        "pages/editor.html",
        {
            "guide": report.guide,
            "report": report,
            "rejected": store.rejected,
            "rejected_at": store.rejected_at,
            "nav": "editor",
        },
    )


def hello_world(request: HttpRequest) -> HttpResponse:
    """The smallest Django response, for `make bench` to compare real pages with."""
    return HttpResponse("Hello, world")
