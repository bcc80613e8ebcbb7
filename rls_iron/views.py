"""Pages: thin views that ask the content module for objects and render a template.

An htmx request for one FAQ answer gets only the ``answer`` partial of the FAQ page; every
other request (no JavaScript, a boosted navigation, an htmx history restore) gets a whole page.
The editor status page is for staff only and is never cached. Feedback posts are checked
for origin, size and rate, and answer with a fragment for htmx or a redirect back otherwise.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from rls_iron.content import editor_report, get_faq_entry_or_404, get_guide, get_store
from rls_iron.feedback import (
    FeedbackError,
    RateLimiter,
    add_comment,
    clean_vote,
    comment_token,
    record_vote,
    summary_by_page,
)
from rls_iron.pagecache import cached_page, is_fragment_request
from rls_iron.seo import absolute_url


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
            "feedback_summary": summary_by_page(),
            "nav": "editor",
        },
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Patient pages may be indexed; editor, admin and form endpoints may not."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(request, reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


def hello_world(request: HttpRequest) -> HttpResponse:
    """The smallest Django response, for `make bench` to compare real pages with."""
    return HttpResponse("Hello, world")


# --------------------------------------------------------------------------- feedback

FEEDBACK_MAX_BYTES = 4096
feedback_limiter = RateLimiter(settings.FEEDBACK_RATE_LIMIT)


def _is_same_origin(request: HttpRequest) -> bool:
    """The post comes from a page of this site (the Origin header, else the Referer).

    We check the origin instead of using Django's CSRF token so that patient pages carry no
    token and no cookie, and can be cached and shared by every reader: a cross-site form
    cannot forge an Origin, and browsers send one with every POST.
    """
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("Referer", "")
    return referer == own or referer.startswith(own + "/")


def _feedback_refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    template = "includes/feedback.html#problem" if request.htmx else "pages/feedback_problem.html"
    return render(request, template, {"message": message}, status=status)


def _feedback_guard(request: HttpRequest) -> HttpResponse | None:
    if not _is_same_origin(request):
        return _feedback_refusal(request, "Please answer from a page of this site.", 403)
    if int(request.headers.get("Content-Length") or 0) > FEEDBACK_MAX_BYTES:
        return _feedback_refusal(request, "That was too much text to send.", 413)
    if not feedback_limiter.allow(request.META.get("REMOTE_ADDR", "")):
        return _feedback_refusal(
            request, "You have sent a lot of answers. Please wait a minute and try again.", 429
        )
    return None


@require_POST
@csrf_exempt  # protected by the same-origin check in _feedback_guard instead (see there)
def feedback_vote(request: HttpRequest) -> HttpResponse:
    if refusal := _feedback_guard(request):
        return refusal
    guide = get_guide()
    try:
        page, helpful = clean_vote(
            page=request.POST.get("page", ""), vote=request.POST.get("vote", ""), guide=guide
        )
    except FeedbackError as error:
        return _feedback_refusal(request, str(error), 400)
    feedback = record_vote(page=page, helpful=helpful, version=guide.version)
    token = "" if helpful else comment_token(feedback)
    if request.htmx:
        context = {"state": "yes" if helpful else "no", "token": token, "feedback_page": page}
        return render(request, "includes/feedback.html#thanks", context)
    query = {"feedback": "yes"} if helpful else {"feedback": "no", "ref": token}
    return redirect(f"{page}?{urlencode(query)}#feedback")


@require_POST
@csrf_exempt  # protected by the same-origin check in _feedback_guard instead (see there)
def feedback_comment(request: HttpRequest) -> HttpResponse:
    if refusal := _feedback_guard(request):
        return refusal
    try:
        feedback = add_comment(
            token=request.POST.get("ref", ""), comment=request.POST.get("comment", "")
        )
    except FeedbackError as error:
        return _feedback_refusal(request, str(error), 400)
    if request.htmx:
        return render(request, "includes/feedback.html#thanks", {"state": "done"})
    return redirect(f"{feedback.page}?feedback=done#feedback")
