"""URLs of the patient guide. Addresses are stable: clinics print and link them."""

from django.urls import path

from rls_iron import views

urlpatterns = [
    path("", views.guide_page, name="guide"),
    path("faq/", views.faq_page, name="faq"),
    path("faq/<slug:slug>/", views.faq_answer_page, name="faq-answer"),
    path("references/", views.references_page, name="references"),
]
