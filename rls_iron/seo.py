"""What search engines and link previews read: structured data (JSON-LD) for each page.

Each patient page describes itself as a schema.org ``MedicalWebPage`` about restless legs
syndrome, for patients, with its review date; ``reviewedBy`` appears only once a real
clinician is recorded in the content.
"""

from __future__ import annotations

import json

from rls_iron.content import Guide

CONDITION = {
    "@type": "MedicalCondition",
    "name": "Restless legs syndrome",
    "alternateName": "Willis-Ekbom disease",
    "code": {"@type": "MedicalCode", "code": "G25.81", "codingSystem": "ICD-10-CM"},
}
# Inside <script>, these characters could end the element or start markup.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def medical_web_page(*, guide: Guide, title: str, description: str, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": guide.language,
        "about": CONDITION,
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "isPartOf": {"@type": "WebSite", "name": guide.site.site_title},
    }
    if guide.last_reviewed:
        data["lastReviewed"] = guide.last_reviewed.isoformat()
    if guide.clinically_reviewed:
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in guide.reviewers]
    return data


def json_for_script(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_SCRIPT_ESCAPES)
