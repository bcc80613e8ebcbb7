"""What search engines and link previews read: canonical addresses and structured data.

Each patient page describes itself as a schema.org ``MedicalWebPage`` about restless legs
syndrome (named in the page's language, with its ICD-10-CM code as a ``MedicalCode``), for
patients, with its review date; the staff page says it is for clinicians instead.
``reviewedBy`` appears only once a real clinician is recorded in the content. A page shown
inside a portal's frame (``/embed/…``) points search engines at the page itself and asks
not to be indexed, so the two addresses never compete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rls_iron.content import Guide
from rls_iron.embed import EMBED_PREFIX

# https://schema.org/MedicalCode: codeValue and codingSystem (``code`` is not one of its
# properties). MedicalAudienceType values: https://schema.org/MedicalAudienceType
RLS_CODE = {"@type": "MedicalCode", "codeValue": "G25.81", "codingSystem": "ICD-10-CM"}
PATIENT, CLINICIAN = "Patient", "Clinician"
# Inside <script>, these characters could end the element or start markup.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(request: HttpRequest, path: str) -> str:
    """The public address of a path: RLS_IRON_SITE_URL when set, else the request's host."""
    base = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return base.rstrip("/") + path


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "English", "Español"
    path: str
    current: bool


def language_versions(request: HttpRequest) -> list[LanguageVersion]:
    """The same page in each language, or nothing for a page that exists in one language only.

    Used for the language switch and the hreflang links. Every address comes from
    ``reverse()`` on the URL the request resolved to, never from the raw path, which may be
    anything a client sent (``//[/`` broke ``translate_url``; ``//evil.example/faq/`` would
    have become a link to another site).
    """
    current = translation.get_language()
    match = request.resolver_match
    if match is None:  # no URL matched: the 404 page
        return _not_found_versions(request.path_info, current)
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:  # an unnamed URL (the benchmark's hello-world)
                return []
    if len(set(paths.values())) < len(paths):
        return []  # the page has no language prefix: the staff pages, for example
    return [
        LanguageVersion(code, name, paths[code], code == current)
        for code, name in settings.LANGUAGES
    ]


def _not_found_versions(path: str, current: str) -> list[LanguageVersion]:
    """For a 404: the same address in the other language if it exists, else its home page.

    Only the other languages: a 404 page has no address of its own worth linking to.
    """
    prefix = f"/{current}/"
    rest = (
        path[len(prefix) - 1 :]
        if current != settings.LANGUAGE_CODE and path.startswith(prefix)
        else path
    )
    versions = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        candidate = rest if code == settings.LANGUAGE_CODE else f"/{code}{rest}"
        with translation.override(code):
            try:
                found = resolve(candidate)
                target = reverse(found.view_name, args=found.args, kwargs=found.kwargs)
            except (Resolver404, NoReverseMatch):
                target = reverse("guide")
        versions.append(LanguageVersion(code, name, target, current=False))
    return versions


def condition() -> dict:
    """Restless legs syndrome, named in the active language."""
    return {
        "@type": "MedicalCondition",
        "name": _("Restless legs syndrome"),
        "alternateName": _("Willis-Ekbom disease"),
        "code": RLS_CODE,
    }


def canonical_path(request: HttpRequest) -> str:
    """The address search engines should list: a framed page's own page (no ``/embed``)."""
    if getattr(request, "is_embedded", False):
        return request.path.removeprefix(EMBED_PREFIX) or "/"
    return request.path


def medical_web_page(
    *, guide: Guide, title: str, description: str, url: str, audience: str = PATIENT
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": guide.language,
        "about": condition(),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": audience},
        "isPartOf": {"@type": "WebSite", "name": guide.site.site_title},
    }
    if guide.last_reviewed:
        data["lastReviewed"] = guide.last_reviewed.isoformat()
    if guide.clinically_reviewed:
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in guide.reviewers]
    return data


def json_for_script(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_SCRIPT_ESCAPES)
