"""Pages: thin views that ask the content module for objects and render a template.

An htmx request for one FAQ answer gets only the ``answer`` partial of the FAQ page; every
other request (no JavaScript, a boosted navigation, an htmx history restore) gets a whole page.
The editor status page is for staff only and is never cached. Pages answer GET and HEAD;
any other method gets 405 with a friendly page.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from rls_iron.content import editor_report, get_faq_entry_or_404, get_guide, get_store


def read_only(view):
    """GET and HEAD only; POST, PUT, DELETE and the rest get 405 Method Not Allowed.

    Exempt from the CSRF check, which would otherwise answer a stray POST with 403 before
    the view could say 405: a view that never acts on a POST has nothing for it to protect.
    """
    return csrf_exempt(require_safe(view))


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


@read_only
def guide_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/guide.html", {"guide": get_guide(), "nav": "guide"})


@read_only
def faq_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/faq.html", {"guide": get_guide(), "nav": "faq"})


@read_only
@vary_on_headers("HX-Request")
def faq_answer_page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_guide()
    entry = get_faq_entry_or_404(guide, slug)
    context = {"guide": guide, "entry": entry, "nav": "faq"}
    if _wants_fragment(request):
        return render(request, "pages/faq.html#answer", context)
    return render(request, "pages/faq_answer.html", context)


@read_only
def references_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/references.html", {"guide": get_guide(), "nav": "references"})


@read_only
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
