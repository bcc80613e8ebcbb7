"""Reading a knowledge request as the HL7 URL-based implementation guide (Release 4) writes it.

The parameters come from the query string of a GET or the form body of a POST (Rule #6,
Rule #7). Repeated criteria carry a number after their name (Rule #3: ``mainSearchCriteria.v.c``,
``mainSearchCriteria.v.c1``, …); each numbered group is one criterion, and a criterion may
name a diagnosis only in words (``.v.dn``, Rule #2.3). ``knowledgeResponseType`` is a MIME
type (SOA guide §3.1), compared without case and without parameters after ``;``. Every
problem is collected, so the explanation lists all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from rls_iron.codes import CODE_SYSTEMS, OID_PATTERN, code_system
from rls_iron.content import DEFAULT_LANGUAGE, LANGUAGES

CRITERIA_PREFIX = "mainSearchCriteria.v."
CODE_PARAM = CRITERIA_PREFIX + "c"
SYSTEM_PARAM = CRITERIA_PREFIX + "cs"
DISPLAY_NAME_PARAM = CRITERIA_PREFIX + "dn"
CRITERION_PARAM = re.compile(r"^mainSearchCriteria\.v\.(c|cs|dn)([0-9]{0,3})$")
LANGUAGE_PARAM = "informationRecipient.languageCode.c"
RECIPIENT_PARAM = "informationRecipient"
RESPONSE_TYPE_PARAM = "knowledgeResponseType"
CALLBACK_PARAM = "callback"

HTML, XML, JSON, JSONP = "text/html", "text/xml", "application/json", "application/javascript"
# The three of SOA §3.1, and text/html: the page itself, for a clinician's click.
RESPONSE_TYPES = (XML, JSON, JSONP, HTML)
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
RECIPIENTS = ("PAT", "PROV", "PAYOR")
# A JavaScript name or a dotted path of names (jQuery's "jQuery3600_1700", "app.show"):
# nothing that could end the call or start another statement.
CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}$")
MAX_CODE_LENGTH = 64
MAX_DISPLAY_NAME_LENGTH = 200
MAX_CRITERIA = 20


class InfobuttonRequestError(ValueError):
    """The request is missing a parameter or has a malformed one; the message explains.

    ``response_type`` is the format to explain it in: the one asked for when that is valid,
    else JSON (an unknown type, a bad callback: nothing to reflect).
    """

    def __init__(self, problems: Iterable[str], response_type: str, callback: str = "") -> None:
        self.problems = tuple(problems)
        self.response_type = response_type
        self.callback = callback
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Criterion:
    """One ``mainSearchCriteria``: a code in a code system, a display name, or both."""

    suffix: str  # "" for the first, "1", "2", … for the next (Rule #3)
    system_oid: str
    code: str  # as sent
    code_key: str  # normalised for matching; equal to code for unknown systems
    display_name: str

    @property
    def system_name(self) -> str:
        system = code_system(self.system_oid)
        return system.name if system else self.system_oid

    @property
    def label(self) -> str:
        return f"{self.system_name} {self.code}" if self.code else self.display_name


@dataclass(frozen=True)
class InfobuttonQuery:
    criteria: tuple[Criterion, ...]
    recipient: str  # PAT, PROV, PAYOR, or "" when not sent
    requested_language: str
    language: str  # the language answered in: the requested one, or the default
    response_type: str
    callback: str = ""

    @property
    def display_name(self) -> str:
        """The first name a criterion gave in words, for the "no page about …" message."""
        return next((c.display_name for c in self.criteria if c.display_name), "")


def _single(params: QueryDict, name: str, problems: list[str]) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        problems.append(
            _("Send %(name)s once; it was sent %(count)d times.")
            % {"name": name, "count": len(values)}
        )
    return values[0].strip() if values else ""


def answer_language(params: Mapping) -> str:
    """The language to answer in: the one asked for (``es-US`` → ``es``) if the site has it."""
    requested = (params.getlist(LANGUAGE_PARAM) or [""])[0].strip()
    primary = requested.split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def media_type(value: str) -> str:
    """``Application/JSON; charset=utf-8`` → ``application/json``."""
    return value.split(";", 1)[0].strip().lower()


def response_format(params: QueryDict, default: str) -> tuple[str, str]:
    """The response type and JSONP callback; raises InfobuttonRequestError in JSON when bad."""
    problems: list[str] = []
    response_type = media_type(_single(params, RESPONSE_TYPE_PARAM, problems)) or default
    callback = _single(params, CALLBACK_PARAM, problems) if response_type == JSONP else ""
    if response_type not in RESPONSE_TYPES:
        problems.append(
            _("%(name)s must be one of %(types)s.")
            % {"name": RESPONSE_TYPE_PARAM, "types": ", ".join(RESPONSE_TYPES)}
        )
    elif response_type == JSONP and not CALLBACK.match(callback):
        # Never echoed: the name goes into a script the portal runs.
        problems.append(
            _("%(type)s needs a %(name)s parameter: a JavaScript function name, like showList.")
            % {"type": JSONP, "name": CALLBACK_PARAM}
        )
    if problems:
        raise InfobuttonRequestError(problems, JSON)
    return response_type, callback


def _criterion_groups(params: QueryDict, problems: list[str]) -> dict[str, dict[str, str]]:
    """``{"": {"c": …, "cs": …}, "1": {…}}``: the criteria by suffix, in suffix order."""
    groups: dict[str, dict[str, str]] = {}
    for name in params:
        if match := CRITERION_PARAM.match(name):
            part, suffix = match.groups()
            groups.setdefault(suffix, {})[part] = _single(params, name, problems)
    return dict(sorted(groups.items(), key=lambda item: int(item[0] or -1)))


def _system_problems(system_oid: str) -> list[str]:
    examples = ", ".join(
        _("%(oid)s for %(system)s") % {"oid": system.oid, "system": system.name}
        for system in CODE_SYSTEMS
    )
    if not system_oid:
        return [
            _("%(name)s (the code system) is missing: use %(examples)s.")
            % {"name": SYSTEM_PARAM, "examples": examples}
        ]
    if not OID_PATTERN.match(system_oid) or len(system_oid) > MAX_CODE_LENGTH:
        return [
            _("%(name)s must be a code system OID, such as %(examples)s.")
            % {"name": SYSTEM_PARAM, "examples": examples}
        ]
    return []


def _code_key(system_oid: str, code: str, problems: list[str]) -> str:
    """The code in the form it is matched in, or "" with a problem noted."""
    if len(code) > MAX_CODE_LENGTH or not re.fullmatch(r"[A-Za-z0-9.\-]+", code):
        problems.append(
            _("%(name)s must be a code of letters, digits and dots.") % {"name": CODE_PARAM}
        )
        return ""
    system = code_system(system_oid) if OID_PATTERN.match(system_oid) else None
    if system is None:
        return code
    try:
        return system.normalise(code)
    except ValueError:
        # Our own words rather than the ValueError's, which editors read in English.
        problems.append(
            _("%(name)s: “%(code)s” is not a valid %(system)s code, for example %(example)s.")
            % {"name": CODE_PARAM, "code": code, "system": system.name, "example": system.example}
        )
        return ""


def _criterion(suffix: str, parts: dict[str, str], problems: list[str]) -> Criterion:
    system_oid, code = parts.get("cs", ""), parts.get("c", "")
    display_name = parts.get("dn", "")
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        problems.append(
            _("%(name)s is longer than %(limit)d letters.")
            % {"name": DISPLAY_NAME_PARAM, "limit": MAX_DISPLAY_NAME_LENGTH}
        )
    code_key = ""
    if code or system_oid or not display_name:
        # A code needs its code system (Rule #2.2); a name alone is a valid criterion.
        problems += _system_problems(system_oid)
        if not code:
            problems.append(_("%(name)s (the diagnosis code) is missing.") % {"name": CODE_PARAM})
        else:
            code_key = _code_key(system_oid, code, problems)
    return Criterion(suffix, system_oid, code, code_key, display_name)


def _criteria(params: QueryDict, problems: list[str]) -> tuple[Criterion, ...]:
    groups = _criterion_groups(params, problems) or {"": {}}
    if len(groups) > MAX_CRITERIA:
        problems.append(
            _("Send at most %(limit)d diagnoses in one request.") % {"limit": MAX_CRITERIA}
        )
        return ()
    return tuple(_criterion(suffix, parts, problems) for suffix, parts in groups.items())


def parse_query(params: QueryDict, *, default_type: str = XML) -> InfobuttonQuery:
    """Read the Infobutton parameters; raise InfobuttonRequestError listing every problem.

    ``default_type`` answers a request without ``knowledgeResponseType``: the page for a
    browser, the Atom feed for any other client (as MedlinePlus Connect does).
    """
    response_type, callback = response_format(params, default_type)
    problems: list[str] = []
    criteria = _criteria(params, problems)
    recipient = _single(params, RECIPIENT_PARAM, problems).upper()
    if recipient and recipient not in RECIPIENTS:
        problems.append(
            _("%(name)s must be one of %(values)s.")
            % {"name": RECIPIENT_PARAM, "values": ", ".join(RECIPIENTS)}
        )
    requested_language = _single(params, LANGUAGE_PARAM, problems) or DEFAULT_LANGUAGE
    if not LANGUAGE_TAG.match(requested_language):
        problems.append(
            _("%(name)s must be a language code such as en or es.") % {"name": LANGUAGE_PARAM}
        )
    if problems:
        raise InfobuttonRequestError(problems, response_type, callback)
    return InfobuttonQuery(
        criteria=criteria,
        recipient=recipient,
        requested_language=requested_language,
        language=answer_language(params),
        response_type=response_type,
        callback=callback,
    )
