"""Pages: thin views that ask the content module for objects and render a template.

An htmx request for one FAQ answer gets only the ``answer`` partial of the FAQ page, and a
live FAQ search only its ``results`` partial; every other request (no JavaScript, a boosted
navigation, an htmx history restore) gets a whole page. Search words are never logged or
stored. The editor status page is for staff only and is never cached.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import replace_url

from rls_iron.content import editor_report, get_faq_entry_or_404, get_guide, get_store


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


@require_GET
def guide_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/guide.html", {"guide": get_guide(), "nav": "guide"})


@require_GET
@vary_on_headers("HX-Request")
def faq_page(request: HttpRequest) -> HttpResponse:
    guide = get_guide()
    results = guide.search_faq(request.GET.get("q", ""))
    context = {"guide": guide, "results": results, "nav": "faq"}
    if _wants_fragment(request):
        response = render(request, "pages/faq.html#results", {**context, "fragment": True})
        # An emptied search box shares as the plain list, not as "/faq/?q=".
        return response if results.text else replace_url(response, reverse("faq"))
    return render(request, "pages/faq.html", context)


@require_GET
@vary_on_headers("HX-Request")
def faq_answer_page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_guide()
    entry = get_faq_entry_or_404(guide, slug)
    context = {"guide": guide, "entry": entry, "nav": "faq"}
    if _wants_fragment(request):
        return render(request, "pages/faq.html#answer", context)
    return render(request, "pages/faq_answer.html", context)


@require_GET
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


@require_GET
def glossary_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/glossary.html", {"guide": get_guide(), "nav": "glossary"})


@require_GET
def questions_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/questions.html", {"guide": get_guide(), "nav": "questions"})
