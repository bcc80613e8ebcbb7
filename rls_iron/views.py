"""Pages: thin views that ask the content module for objects and render a template.

An htmx request for one FAQ answer gets only the ``answer`` partial of its own page, and a
live FAQ search only its ``results`` partial; every other request (no JavaScript, a boosted
navigation, an htmx history restore) gets a whole page. Search words are never logged or
stored, and search results are never cached.
The editor status page is for staff only and is never cached. Feedback posts are checked
for origin, size and rate by rls_iron.feedback, and answer with a fragment for htmx or a
redirect back otherwise; a locked-out editor log-in gets its own page (django-axes).
The views for clinic staff and patient portals (the Infobutton endpoint, embed mode, the
handout, QR codes and /clinicians/) come last; their protocols and addresses live in
infobutton/, embed.py, qr.py and staff.py. Pages answer GET and HEAD; any other method gets
405 with a friendly page (the Infobutton endpoint also takes POST and the CORS preflight).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import replace_url

from rls_iron import embed, feedback, qr, results, staff
from rls_iron import infobutton as infobutton_protocol
from rls_iron.addresses import absolute_url, language_of_path
from rls_iron.content import (
    editor_report,
    get_faq_entry_or_404,
    get_guide,
    get_store,
    get_topic_or_404,
)
from rls_iron.feedback import summary_by_page
from rls_iron.middleware import cross_origin_resource
from rls_iron.pagecache import cached_page
from rls_iron.site_request import SiteRequest


def read_only(view):
    """GET and HEAD only; POST, PUT, DELETE and the rest get 405 Method Not Allowed.

    Exempt from the CSRF check, which would otherwise answer a stray POST with 403 before
    the view could say 405: a view that never acts on a POST has nothing for it to protect.
    """
    return csrf_exempt(require_safe(view))


@read_only
@cached_page()
def guide_page(request: SiteRequest) -> HttpResponse:
    """The overview: the guide's introduction and a card per topic."""
    return render(request, "pages/guide.html", {"guide": request.guide, "nav": "guide"})


@read_only
@cached_page()
def whole_guide_page(request: SiteRequest) -> HttpResponse:
    """Every topic on one page, for those who search or print the whole guide."""
    return render(request, "pages/guide_all.html", {"guide": request.guide, "nav": "guide"})


@read_only
@cached_page()
def guide_section_page(request: SiteRequest, slug: str) -> HttpResponse:
    topic = get_topic_or_404(request.guide, slug)
    context = {"guide": request.guide, "topic": topic, "nav": "guide"}
    return render(request, "pages/guide_section.html", context)


@read_only
@cached_page(varies_on_htmx=True, fresh_with=("q",))
def faq_page(request: SiteRequest) -> HttpResponse:
    guide = request.guide
    results = guide.search_faq(request.GET.get("q", ""))
    context = {"guide": guide, "results": results, "nav": "faq"}
    if request.is_fragment:
        response = render(request, "pages/faq.html#results", {**context, "fragment": True})
        # An emptied search box shares as the plain list, not as "/faq/?q=".
        return response if results.text else replace_url(response, reverse("faq"))
    return render(request, "pages/faq.html", context)


@read_only
@cached_page(varies_on_htmx=True)
def faq_answer_page(request: SiteRequest, slug: str) -> HttpResponse:
    entry = get_faq_entry_or_404(request.guide, slug)
    template = "pages/faq_answer.html#answer" if request.is_fragment else "pages/faq_answer.html"
    context = {"guide": request.guide, "entry": entry, "nav": "faq"}
    return render(request, template, context)


@read_only
@cached_page()
def references_page(request: SiteRequest) -> HttpResponse:
    return render(request, "pages/references.html", {"guide": request.guide, "nav": "references"})


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
            "feedback_summary": summary_by_page(),
            "packet_languages": store.languages,
            "nav": "editor",
        },
    )


@read_only
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Patient pages may be indexed; editor, admin and form endpoints may not."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(request, reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@read_only
@cached_page()
def glossary_page(request: SiteRequest) -> HttpResponse:
    return render(request, "pages/glossary.html", {"guide": request.guide, "nav": "glossary"})


@read_only
@cached_page()
def questions_page(request: SiteRequest) -> HttpResponse:
    return render(request, "pages/questions.html", {"guide": request.guide, "nav": "questions"})


@read_only
@cached_page(varies_on_htmx=True, fresh_with=("ferritin", "tsat"))
def results_page(request: SiteRequest) -> HttpResponse:
    """The reader's step on the ladder. Their numbers arrive in the query string, so the
    page with them is never stored; the access log leaves query strings out."""
    guide = request.guide
    sources = {reference.key: reference for reference in guide.references}
    context = {
        "guide": guide,
        "nav": "results",
        "answer": results.answer(request.GET.get("ferritin"), request.GET.get("tsat")),
        "ladder": results.ladder(),
        "sources": [sources[key] for key in results.LADDER_SOURCES if key in sources],
        "results_qr": reverse("qr", args=[qr.qr_name(reverse("results"))]),
    }
    if request.is_fragment:
        return render(request, "pages/results.html#answer", {**context, "fragment": True})
    return render(request, "pages/results.html", context)


# The printable diary: one row per day of one week, each with the same plain prompts.
DIARY_DAYS = range(1, 8)


@read_only
@cached_page()
def diary_page(request: SiteRequest) -> HttpResponse:
    return render(request, "pages/diary.html", {"guide": request.guide, "days": DIARY_DAYS})


@read_only
@cached_page(links_stylesheet=False)
def figure_image(request: SiteRequest, name: str) -> HttpResponse:
    """A figure's SVG, as an image only: the site's CSP and nosniff go with it, as everywhere."""
    figure = request.guide.figures.get(name)
    if figure is None:
        raise Http404("No such figure.")
    return HttpResponse(figure.svg, content_type="image/svg+xml")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' answer to a log-in refused for too many wrong passwords (settings.py)."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "locked_out.html", {"minutes": minutes}, status=429)


def hello_world(request: HttpRequest) -> HttpResponse:
    """The smallest Django response, for `make bench` to compare real pages with."""
    return HttpResponse("Hello, world")


# --------------------------------------------------------------------------- feedback
# The rules (origin, size, rate, which pages) live in rls_iron.feedback.


def _feedback_refusal(request: HttpRequest, error: feedback.FeedbackError) -> HttpResponse:
    template = "includes/feedback.html#problem" if request.htmx else "pages/feedback_problem.html"
    # No language switch: the other language's /feedback/ only takes posts.
    context = {"message": str(error), "other_languages": []}
    return render(request, template, context, status=error.status)


def _feedback_thanks(request: HttpRequest, thanks: feedback.Thanks) -> HttpResponse:
    translation.activate(thanks.language)  # the language middleware restores the thread's
    if request.htmx:
        return render(request, "includes/feedback.html#thanks", thanks.context())
    return redirect(thanks.redirect_url)


@require_POST
@csrf_exempt  # protected by feedback.check_post's same-origin check instead (see there)
def feedback_vote(request: HttpRequest) -> HttpResponse:
    # The thanks are in the language of the page the vote is about, even when a page cached
    # before the forms posted to their own language's address sends it to /feedback/.
    try:
        feedback.check_post(request)
        thanks = feedback.vote(page=request.POST.get("page", ""), vote=request.POST.get("vote", ""))
    except feedback.FeedbackError as error:
        return _feedback_refusal(request, error)
    return _feedback_thanks(request, thanks)


@require_POST
@csrf_exempt  # protected by feedback.check_post's same-origin check instead (see there)
def feedback_comment(request: HttpRequest) -> HttpResponse:
    try:
        feedback.check_post(request)
        thanks = feedback.comment(
            token=request.POST.get("ref", ""), text=request.POST.get("comment", "")
        )
    except feedback.FeedbackError as error:
        return _feedback_refusal(request, error)
    return _feedback_thanks(request, thanks)


# --------------------------------------------------------------------------- clinic staff
# Deep links, old addresses, the Infobutton endpoint, embed mode, the handout and QR codes.


@csrf_exempt  # a read-only query: a POST is only its long form (URL guide Rule #6)
@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
@never_cache  # a portal may put patient context in the query string: keep it out of caches
@gzip_page  # rendered per request, so compressed per request (Django pads it against BREACH)
def infobutton(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":  # a CORS preflight, before a portal's script may POST
        preflight = HttpResponse(status=204, headers=infobutton_protocol.CORS_PREFLIGHT)
        del preflight["Content-Type"]  # no body
        return preflight
    params = request.POST if request.method == "POST" else request.GET
    # Without knowledgeResponseType a browser gets the page, any other client the Atom feed.
    prefers_html = request.get_preferred_type(infobutton_protocol.NEGOTIATED) == "text/html"
    # The whole answer, a bad request's explanation too, is in the language asked for.
    language = infobutton_protocol.answer_language(params)
    with translation.override(language):
        result = infobutton_protocol.answer(
            params,
            default_type=infobutton_protocol.HTML if prefers_html else infobutton_protocol.XML,
            absolute=partial(absolute_url, request),
        )
        if isinstance(result, infobutton_protocol.Document):
            response = HttpResponse(result.body, result.content_type, status=result.status)
        elif isinstance(result, infobutton_protocol.Redirect):
            response = redirect(result.path)
            if request.method == "POST":
                response.status_code = 303  # See Other: the page, fetched with GET
        else:
            response = render(request, result.template, result.context, status=result.status)
    response.headers["Content-Language"] = language
    for name, value in infobutton_protocol.CORS.items():
        response[name] = value
    patch_vary_headers(response, ["Accept"])
    return response


@cross_origin_resource  # a portal frames it
def embed_page(request: SiteRequest, path: str = "") -> HttpResponse:
    """A patient page for a portal's frame: no header or navigation, links stay inside."""
    match = embed.embeddable_match("/" + path)
    if match is None:
        target = get_guide().redirects.get("/" + path)
        if target and embed.embeddable_match(target.partition("#")[0]):
            return HttpResponsePermanentRedirect(embed.EMBED_PREFIX + target)
        raise Http404("This page cannot be shown in a frame.")
    request.is_embedded = True
    # Every embeddable page is a cached_page view: it applies this rewrite once per content
    # version and keeps the result, so framed pages are as fast as the others.
    request.page_transform = embed.rewrite_links
    view = csp_override(embed.frame_ancestors_policy())(match.func)
    if settings.EMBED_ORIGINS:
        # X-Frame-Options cannot name origins; the CSP frame-ancestors above decides.
        view = xframe_options_exempt(view)
    with translation.override(language_of_path("/" + path)):
        return view(request, *match.args, **match.kwargs)


@read_only
@cached_page()
def handout_page(request: HttpRequest) -> HttpResponse:
    """The handout in the address's language: /es/handout/ is for a Spanish-speaking patient."""
    return render(request, "pages/handout.html", staff.handout_context(request))


@read_only
@cross_origin_resource  # a clinic's page or a portal may show it as an image
@cache_control(public=True, max_age=24 * 60 * 60)
def qr_code(request: HttpRequest, name: str) -> HttpResponse:
    path = qr.page_path(get_guide(), name)
    if path is None:
        raise Http404("QR codes are made only for pages of this site.")
    url = absolute_url(request, path)
    return HttpResponse(qr.qr_svg(url, title=f"QR code for {url}"), "image/svg+xml")


@read_only
@cached_page()
def clinicians_page(request: HttpRequest) -> HttpResponse:
    """The staff page in the address's language: its links and codes lead to that language."""
    return render(request, "pages/clinicians.html", staff.clinicians_context(request))
