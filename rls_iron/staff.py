"""The addresses on the pages for clinic staff (/clinicians/, /handout/), worked out in Python.

Templates only print these: the public address of each page, its embed address, its QR
code, the working Infobutton links, and one real knowledge request with the answer this
site gives it (made by the Infobutton code itself, so the example cannot go stale).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from rls_iron import infobutton, qr
from rls_iron.addresses import absolute_url
from rls_iron.content import DEFAULT_LANGUAGE, Guide, get_guide
from rls_iron.embed import EMBED_PREFIX


def qr_path(path: str) -> str:
    return reverse("qr", args=[qr.qr_name(path)])


@dataclass(frozen=True)
class HandoutAddresses:
    guide_url: str
    guide_qr: str
    references_url: str
    results_url: str
    diary_url: str


@dataclass(frozen=True)
class StaffAddresses:
    site_url: str
    guide_url: str
    guide_embed: str
    faq_embed: str
    answer_embed: str  # "" when the guide has no answers yet
    embed_snippet_src: str
    infobutton_url: str
    infobutton_examples: tuple[infobutton.ExampleLink, ...]
    sample_request: str  # a MedlinePlus-style request as a portal sends it
    sample_answer: str  # this site's JSON answer to it, as sent (indented to read)
    handout_path: str
    guide_qr: str
    guide_qr_url: str
    faq_qr: str
    answer_qr: str
    handout_qr: str
    embed_origins: tuple[str, ...]


def handout_addresses(request: HttpRequest) -> HandoutAddresses:
    return HandoutAddresses(
        guide_url=absolute_url(request, reverse("guide")),
        guide_qr=qr_path(reverse("guide")),
        references_url=absolute_url(request, reverse("references")),
        results_url=absolute_url(request, reverse("results")),
        diary_url=absolute_url(request, reverse("diary")),
    )


def _sample(request: HttpRequest, guide: Guide) -> tuple[str, str]:
    """A request for the guide's first code, as JSON in the page's language, and our answer."""
    # Codes are declared once, in the English content (see infobutton.answers).
    codes = [code for page in get_guide(DEFAULT_LANGUAGE).pages for code in page.codes]
    if not codes:
        return "", ""
    params = {
        infobutton.SYSTEM_PARAM: codes[0].system.oid,
        infobutton.CODE_PARAM: codes[0].code,
        infobutton.DISPLAY_NAME_PARAM: guide.site.title,
        "informationRecipient": "PAT",
        infobutton.LANGUAGE_PARAM: guide.language,
        infobutton.RESPONSE_TYPE_PARAM: infobutton.JSON,
    }
    path = reverse("infobutton") + "?" + urlencode(params)
    answer = infobutton.answer(
        QueryDict(urlencode(params)),
        default_type=infobutton.JSON,
        absolute=lambda page: absolute_url(request, page),
    )
    document = json.loads(answer.body) if isinstance(answer, infobutton.Document) else {}
    return absolute_url(request, path), json.dumps(document, indent=2, ensure_ascii=False)


def staff_addresses(request: HttpRequest, guide: Guide) -> StaffAddresses:
    """Every address the staff page shows, in the page's language."""
    site_url = absolute_url(request, "/").rstrip("/")
    guide_path, faq_path = reverse("guide"), reverse("faq")
    first_answer = guide.faq[0].path if guide.faq else ""
    faq_qr = qr_path(faq_path)
    sample_request, sample_answer = _sample(request, guide)
    return StaffAddresses(
        site_url=site_url,
        guide_url=site_url + guide_path,
        guide_embed=site_url + EMBED_PREFIX + guide_path,
        faq_embed=site_url + EMBED_PREFIX + faq_path,
        answer_embed=site_url + EMBED_PREFIX + first_answer if first_answer else "",
        embed_snippet_src=site_url + EMBED_PREFIX + guide_path,
        infobutton_url=site_url + reverse("infobutton"),
        infobutton_examples=tuple(infobutton.example_links(guide)),
        sample_request=sample_request,
        sample_answer=sample_answer,
        handout_path=reverse("handout"),
        guide_qr=qr_path(guide_path),
        guide_qr_url=site_url + qr_path(guide_path),
        faq_qr=faq_qr,
        answer_qr=faq_qr.removesuffix(".svg") + "/<" + _("answer") + ">.svg",
        handout_qr=qr_path(reverse("handout")),
        embed_origins=tuple(settings.EMBED_ORIGINS),
    )


def handout_context(request: HttpRequest) -> dict[str, object]:
    """The handout page's context: the guide in the address's language and its addresses."""
    return {"guide": get_guide(), "addresses": handout_addresses(request)}


def clinicians_context(request: HttpRequest) -> dict[str, object]:
    """The staff page's context: the guide in the address's language and every address it shows."""
    guide = get_guide()
    return {"guide": guide, "addresses": staff_addresses(request, guide)}
