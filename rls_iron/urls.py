"""URLs of the patient guide. Addresses are stable: clinics print and link them."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from rls_iron import offline, views
from rls_iron.review import views as review_views
from rls_iron.sitemaps import PatientPagesSitemap

# Every page in every language: English at /, Spanish at /es/. The feedback forms post to
# their page's language too (/es/feedback/), so even a refusal answers in that language.
translated_pages = i18n_patterns(
    # "/" is the overview: what the guide is, its key points and a card per topic.
    path("", views.guide_page, name="guide"),
    # Each topic under guide/ (not at /<slug>/): a topic's slug comes from a content file, and
    # under its own prefix it can never take the address of a page such as /faq/ or /results/.
    path("guide/", views.whole_guide_page, name="guide-all"),
    path("guide/<slug:slug>/", views.guide_section_page, name="guide-section"),
    path("faq/", views.faq_page, name="faq"),
    path("faq/<slug:slug>/", views.faq_answer_page, name="faq-answer"),
    path("references/", views.references_page, name="references"),
    path("glossary/", views.glossary_page, name="glossary"),
    path("questions/", views.questions_page, name="questions"),
    # "What do my results mean?": the reader's own ferritin and TSAT on the guide's ladder.
    path("results/", views.results_page, name="results"),
    # The guide's pictures, per language (their words are translated): always as <img>.
    path("figures/<slug:name>.svg", views.figure_image, name="figure"),
    path("diary/", views.diary_page, name="diary"),
    path("feedback/", views.feedback_vote, name="feedback"),
    path("feedback/comment/", views.feedback_comment, name="feedback-comment"),
    # For clinic staff and patient portals (see /clinicians/); a clinic prints the handout
    # in the patient's language.
    path("clinicians/", views.clinicians_page, name="clinicians"),
    path("handout/", views.handout_page, name="handout"),
    path("manifest.webmanifest", offline.web_manifest, name="manifest"),
    prefix_default_language=False,
)

urlpatterns = [
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"patient": PatientPagesSitemap}},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    # At the root, so the offline reading worker's scope is the whole site (see offline.py).
    path("sw.js", offline.service_worker, name="service-worker"),
    path("editor/", views.editor_status_page, name="editor"),
    path(
        "editor/review-packet/<slug:language>/",
        review_views.editor_review_packet,
        name="editor-review-packet",
    ),
    path("admin/", admin.site.urls),
    path("infobutton", views.infobutton, name="infobutton"),
    path("embed/", views.embed_page, name="embed"),
    path("embed/<path:path>", views.embed_page, name="embed"),
    path("qr/<path:name>.svg", views.qr_code, name="qr"),
    *translated_pages,
]

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.append(path("bench/hello/", views.hello_world))

if settings.DEBUG:
    urlpatterns.append(path("__reload__/", include("django_browser_reload.urls")))
