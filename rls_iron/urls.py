"""URLs of the patient guide. Addresses are stable: clinics print and link them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from rls_iron import views

urlpatterns = [
    path("", views.guide_page, name="guide"),
    path("faq/", views.faq_page, name="faq"),
    path("faq/<slug:slug>/", views.faq_answer_page, name="faq-answer"),
    path("references/", views.references_page, name="references"),
    path("glossary/", views.glossary_page, name="glossary"),
    path("questions/", views.questions_page, name="questions"),
    path("editor/", views.editor_status_page, name="editor"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("__reload__/", include("django_browser_reload.urls")))
