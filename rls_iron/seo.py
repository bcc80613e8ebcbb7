"""What search engines and link previews read: structured data (JSON-LD) for each page.

Each patient page describes itself as a schema.org ``MedicalWebPage`` about restless legs
syndrome (named in the page's language, with its ICD-10-CM code as a ``MedicalCode``), for
patients, with its review date; the staff page says it is for clinicians instead.
``reviewedBy`` appears only once a real clinician is recorded in the content. A page shown
inside a portal's frame (``/embed/…``) points search engines at the page itself and asks
not to be indexed, so the two addresses never compete.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _

from rls_iron.content import Guide
from rls_iron.embed import EMBED_PREFIX

# https://schema.org/MedicalCode: codeValue and codingSystem (``code`` is not one of its
# properties). MedicalAudienceType values: https://schema.org/MedicalAudienceType
RLS_CODE = {"@type": "MedicalCode", "codeValue": "G25.81", "codingSystem": "ICD-10-CM"}
PATIENT, CLINICIAN = "Patient", "Clinician"
# Inside <script>, these characters could end the element or start markup.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


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
