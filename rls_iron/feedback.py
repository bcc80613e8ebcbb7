"""Rules for "Was this page helpful?": which pages may be rated, masking and rate limits.

Kept out of the views so they stay thin and these rules can be tested on their own.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rls_iron.addresses import ANSWER_PAGE, PATIENT_PAGES
from rls_iron.content import Guide
from rls_iron.models import MAX_COMMENT_LENGTH, Feedback

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, allowing spaces, dots, dashes, brackets and a leading +.
PHONE = re.compile(r"(?<![\w(])\+?\(?\d(?:[\s().-]*\d){6,}(?!\w)")
TOKEN_SALT = "rls_iron.feedback"
TOKEN_MAX_AGE = 24 * 60 * 60


class FeedbackError(ValueError):
    """The post cannot be accepted; the message is shown to the reader, in their language."""


def rateable_pages(guide: Guide) -> set[str]:
    """The addresses a reader may give feedback on: every patient page and answer."""
    with translation.override(guide.language):
        pages = {reverse(name) for name in PATIENT_PAGES}
        pages |= {reverse(ANSWER_PAGE, args=[entry.slug]) for entry in guide.faq}
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


class RateLimiter:
    """At most ``limit`` posts per ``window`` seconds per client, kept in memory only."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 10_000:  # forget idle clients so memory stays small
                self._hits = {
                    key: hits for key, hits in self._hits.items() if hits[-1] > now - self.window
                }
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


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
