"""Feedback in Django's admin: filters for editors and a CSV export."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpResponse

from rls_iron.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("page", "helpful", "comment", "created_on", "content_version")
    list_filter = ("helpful", "created_on", "page")
    search_fields = ("page", "comment")
    date_hierarchy = "created_on"
    readonly_fields = ("page", "helpful", "comment", "created_on", "content_version")
    actions = ["export_csv"]

    def has_add_permission(self, request) -> bool:
        return False  # answers come only from readers

    @admin.action(description="Export the selected answers as CSV")
    def export_csv(self, request, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
        writer = csv.writer(response)
        writer.writerow(["page", "helpful", "comment", "date", "content version"])
        for item in queryset.order_by("id"):
            writer.writerow(
                [
                    item.page,
                    "yes" if item.helpful else "no",
                    _safe_cell(item.comment),
                    item.created_on.isoformat(),
                    item.content_version,
                ]
            )
        return response


def _safe_cell(text: str) -> str:
    """Keep spreadsheet programs from running a comment as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
