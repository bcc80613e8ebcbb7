"""Rules for "Was this page helpful?": who may post, which pages, masking and rate limits.

Kept out of the views so they stay thin and these rules can be tested on their own: the
views call ``check_post``, ``vote`` and ``comment``, and render the ``Thanks`` they return
or the ``FeedbackError`` they raise. A post must come from a page of this site (the Origin
header, so pages need no CSRF token or cookie), stay small, and stay under the rate limit,
which is counted in the database (``RateLimit``) so that every worker and every server
shares one count per client, keyed on the client's real address (rls_iron.client_address).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import connections, router
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rls_iron.addresses import ANSWER_PAGE, READING_PAGES, language_of_path
from rls_iron.client_address import client_address
from rls_iron.content import Guide, get_guide
from rls_iron.models import MAX_COMMENT_LENGTH, Feedback, RateLimitCount

# The query parameters of the page a reader comes back to after a post without JavaScript:
# the thank-you state, and the token that lets them add a comment. pagecache.py renders such
# pages fresh; context_processors.feedback hands them to includes/feedback.html.
PARAMETER = "feedback"
TOKEN_PARAMETER = "ref"
MAX_BYTES = 4096

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, allowing spaces, dots, dashes, brackets and a leading +.
PHONE = re.compile(r"(?<![\w(])\+?\(?\d(?:[\s().-]*\d){6,}(?!\w)")
TOKEN_SALT = "rls_iron.feedback"
TOKEN_MAX_AGE = 24 * 60 * 60


class FeedbackError(ValueError):
    """The post cannot be accepted; the message is shown to the reader, in their language."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Thanks:
    """What the reader sees after a post: the state of the form, in the page's language."""

    page: str
    state: str  # "yes", "no" (a comment may follow) or "done"
    token: str = ""

    @property
    def language(self) -> str:
        return language_of_path(self.page)

    @property
    def redirect_url(self) -> str:
        query = {PARAMETER: self.state, **({TOKEN_PARAMETER: self.token} if self.token else {})}
        return f"{self.page}?{urlencode(query)}#feedback"

    def context(self) -> dict:
        return {"state": self.state, "token": self.token, "feedback_page": self.page}


def is_same_origin(request: HttpRequest) -> bool:
    """The post comes from a page of this site (the Origin header, else the Referer).

    We check the origin instead of using Django's CSRF token so that patient pages carry no
    token and no cookie, and can be cached and shared by every reader: a cross-site form
    cannot forge an Origin, and browsers send one with every POST.
    """
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("Referer", "")
    return referer == own or referer.startswith(own + "/")


def check_post(request: HttpRequest) -> None:
    """Refuse posts from other sites, too big or too many, before the body is read.

    The refusal is in the language of the address (/es/feedback/ for Spanish pages).
    """
    if not is_same_origin(request):
        raise FeedbackError(_("Please answer from a page of this site."), 403)
    if int(request.headers.get("Content-Length") or 0) > MAX_BYTES:
        raise FeedbackError(_("That was too much text to send."), 413)
    if not feedback_rate_limit().allow(client_address(request)):
        message = _("You have sent a lot of answers. Please wait a minute and try again.")
        raise FeedbackError(message, 429)


def vote(*, page: str, vote: str) -> Thanks:
    """Store a vote about a page of the guide in that page's language."""
    guide = get_guide(language_of_path(page))
    page, helpful = clean_vote(page=page, vote=vote, guide=guide)
    feedback = record_vote(page=page, helpful=helpful, version=guide.version)
    if helpful:
        return Thanks(page, "yes")
    return Thanks(page, "no", comment_token(feedback))


def comment(*, token: str, text: str) -> Thanks:
    feedback = add_comment(token=token, comment=text)
    return Thanks(feedback.page, "done")


def rateable_pages(guide: Guide) -> set[str]:
    """The addresses a reader may give feedback on: every patient page and answer."""
    with translation.override(guide.language):
        pages = {reverse(name) for name in READING_PAGES}
        pages |= {reverse(ANSWER_PAGE, args=[entry.slug]) for entry in guide.faq}
    pages |= {section.path for section in guide.sections}
    return pages


def mask_personal_details(comment: str) -> str:
    """Hide e-mail addresses and phone numbers before anything is stored."""
    return PHONE.sub("[phone removed]", EMAIL.sub("[email removed]", comment))


def clean_vote(*, page: str, vote: str, guide: Guide) -> tuple[str, bool]:
    if page not in rateable_pages(guide):
        raise FeedbackError(_("We could not tell which page this is about."))
    if vote not in ("yes", "no"):
        raise FeedbackError(_("Please choose Yes or No."))
    return page, vote == "yes"


def clean_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise FeedbackError(
            _("Your comment is %(length)d characters long; please keep it to %(limit)d.")
            % {"length": len(comment), "limit": MAX_COMMENT_LENGTH}
        )
    return mask_personal_details(comment)


def record_vote(*, page: str, helpful: bool, version: str) -> Feedback:
    return Feedback.objects.create(page=page, helpful=helpful, content_version=version)


def comment_token(feedback: Feedback) -> str:
    """A signed reference to one answer, so only its reader can add a comment to it."""
    return signing.dumps(feedback.pk, salt=TOKEN_SALT)


def add_comment(*, token: str, comment: str) -> Feedback:
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise FeedbackError(_("This comment form has expired. Thank you all the same.")) from None
    feedback = Feedback.objects.filter(pk=pk, comment="").first()
    if feedback is None:
        raise FeedbackError(_("A comment was already sent for this answer. Thank you."))
    feedback.comment = clean_comment(comment)
    feedback.save(update_fields=["comment"])
    return feedback


class RateLimit:
    """At most ``limit`` posts per ``period`` seconds per client, counted in the database.

    One row per client and period, under a keyed hash of the address (no address is
    stored), counted up in one statement (an upsert), so that no two workers or servers
    can both read the old count; old periods are deleted as new ones start.
    """

    def __init__(self, name: str, limit: int, period: int = 60) -> None:
        self.name = name
        self.limit = limit
        self.period = period

    def allow(self, client: str) -> bool:
        period = int(time.time() // self.period)
        message = f"{self.name}:{period}:{client}".encode()
        key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
        hits = self._count(key, period)
        if hits == 1:  # the first post of a period: forget the periods before it
            RateLimitCount.objects.filter(period__lt=period).delete()
        return hits <= self.limit

    @staticmethod
    def _count(key: str, period: int) -> int:
        connection = connections[router.db_for_write(RateLimitCount)]
        table = connection.ops.quote_name(RateLimitCount._meta.db_table)
        hits = connection.ops.quote_name("hits")
        # INSERT … ON CONFLICT … RETURNING: PostgreSQL 9.5+, SQLite 3.35+.
        sql = (
            f'INSERT INTO {table} ("key", "period", {hits}) VALUES (%s, %s, 1) '
            f'ON CONFLICT ("key") DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, period])
            return cursor.fetchone()[0]


def feedback_rate_limit() -> RateLimit:
    return RateLimit("feedback", settings.FEEDBACK_RATE_LIMIT)


@dataclass(frozen=True)
class PageSummary:
    page: str
    yes: int
    no: int
    comments: int

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def yes_share(self) -> int:
        return round(100 * self.yes / self.total) if self.total else 0


def summary_by_page() -> list[PageSummary]:
    rows = (
        Feedback.objects.values("page")
        .annotate(
            yes=Count("id", filter=Q(helpful=True)),
            no=Count("id", filter=Q(helpful=False)),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by("page")
    )
    return [PageSummary(**row) for row in rows]
