"""The front matter fields each kind of content file has, and how a value is checked.

A ``FieldSpec`` says a field's type, whether it is required and, for lists such as
``aliases:`` and ``codes:``, which parser turns the YAML value into the clean one.
``coerce`` applies a spec to one value and raises ``ValueError`` with a reason written for
editors, which the front matter check turns into a problem on the field's line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rls_iron.codes import Code, code_system
from rls_iron.content.models import ALIAS_PATTERN


@dataclass(frozen=True)
class FieldSpec:
    kind: type
    required: bool = True
    allow_empty: bool = False
    # For structured values (lists): turns the YAML value into the clean one, or raises
    # ValueError with a plain reason.
    parse: Callable[[Any], Any] | None = None


def parse_aliases(value: Any) -> tuple[str, ...]:
    """``aliases:``: old addresses of a page, each a path such as ``/iron-pills/``."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("must be a list of old addresses, each on a line starting with '- '")
    aliases = []
    for item in items:
        alias = item.strip()
        if not ALIAS_PATTERN.match(alias) or "/../" in alias + "/" or "/./" in alias + "/":
            raise ValueError(
                f"has '{alias}', which is not an address on this site: write the path only, "
                "starting with /, for example /iron-pills/"
            )
        if alias in aliases:
            raise ValueError(f"lists '{alias}' twice")
        aliases.append(alias)
    return tuple(aliases)


def parse_codes(value: Any) -> tuple[Code, ...]:
    """``codes:``: diagnosis codes this page answers, for the Infobutton endpoint."""
    hint = "must be a list of entries with 'system' and 'code', for example system: ICD-10-CM"
    if not isinstance(value, list):
        raise ValueError(hint)
    codes = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"system", "code"}:
            raise ValueError(hint)
        system_name, written = str(item["system"]), str(item["code"]).strip()
        system = code_system(system_name)
        if system is None:
            raise ValueError(
                f"has the code system '{system_name}', which the site does not know; "
                "use ICD-10-CM or SNOMED CT"
            )
        code = Code(system=system, code=written, key=system.normalise(written))
        if any(c.system == system and c.key == code.key for c in codes):
            raise ValueError(f"lists {code.label} twice")
        codes.append(code)
    return tuple(codes)


# A day, or a month alone: labels print their revision as a month, and a page read
# "in November 2026" has no truer day.
SOURCE_DATE_PATTERN = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?$")


def parse_source_date(value: Any) -> str:
    """``accessed:`` and ``revised:`` of a source: ``2026-11-27`` or ``2026-11``."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if not SOURCE_DATE_PATTERN.match(text):
        raise ValueError("must be a date written as YYYY-MM-DD or YYYY-MM, for example 2026-11")
    if len(text) > 7:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"is '{text}', which is not a real date") from None
    return text


# Any patient file may record a clinical review (``manage.py record_review`` writes these);
# sections must carry the dates and the reviewer's name (empty until a real review).
REVIEW_FIELDS: Mapping[str, FieldSpec] = {
    "reviewed_by": FieldSpec(str, required=False, allow_empty=True),
    "last_reviewed": FieldSpec(dt.date, required=False),
    "next_review": FieldSpec(dt.date, required=False),
    "review_fingerprint": FieldSpec(str, required=False, allow_empty=True),
}
PAGE_LINK_FIELDS: Mapping[str, FieldSpec] = {
    "aliases": FieldSpec(tuple, required=False, parse=parse_aliases),
    "codes": FieldSpec(tuple, required=False, parse=parse_codes),
}


SECTION_FIELDS: Mapping[str, FieldSpec] = {
    "title": FieldSpec(str),
    "summary": FieldSpec(str),
    "order": FieldSpec(int),
    "slug": FieldSpec(str),
    "last_reviewed": FieldSpec(dt.date),
    "next_review": FieldSpec(dt.date),
    "reviewed_by": FieldSpec(str, allow_empty=True),
    **PAGE_LINK_FIELDS,
    "checklist": FieldSpec(bool, required=False),
}
FAQ_FIELDS: Mapping[str, FieldSpec] = {
    "question": FieldSpec(str),
    "slug": FieldSpec(str),
    "order": FieldSpec(int),
    **PAGE_LINK_FIELDS,
}
REFERENCE_FIELDS: Mapping[str, FieldSpec] = {
    "key": FieldSpec(str),
    "title": FieldSpec(str),
    **{
        name: FieldSpec(str, required=False)
        for name in ("authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid")
    },
    **{name: FieldSpec(str, required=False) for name in ("pmcid", "url")},
    # When a web page was read, and a drug label's own revision date (web pages change).
    **{
        name: FieldSpec(str, required=False, parse=parse_source_date)
        for name in ("accessed", "revised")
    },
}
SITE_FIELDS: Mapping[str, FieldSpec] = {
    "site_title": FieldSpec(str),
    "title": FieldSpec(str),
    "summary": FieldSpec(str),
    **PAGE_LINK_FIELDS,
}
NOTICE_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str)}
GLOSSARY_FIELDS: Mapping[str, FieldSpec] = {
    "term": FieldSpec(str),
    "slug": FieldSpec(str),
    "also": FieldSpec(tuple, required=False),
}
QUESTIONS_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str)}
SYNONYMS_FIELDS: Mapping[str, FieldSpec] = {"title": FieldSpec(str, required=False)}


def coerce(value: Any, spec: FieldSpec) -> Any:
    """Return the value as the field's type, or raise ValueError with a plain reason."""
    if spec.parse is not None:
        return spec.parse(value)
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if spec.kind is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError("must be a date written as YYYY-MM-DD, for example 2026-11-27")
    if spec.kind is tuple:
        # A YAML list ([TSAT, iron saturation]) or, easier to type, words split by commas.
        items = value.split(",") if isinstance(value, str) else value
        if value is None:
            return ()
        if not isinstance(items, list) or not all(
            isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in items
        ):
            raise ValueError("must be a list of words split by commas, for example: TSAT, iron")
        return tuple(str(item).strip() for item in items if str(item).strip())
    if spec.kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number, for example 3")
        return value
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ValueError("must be plain text")
