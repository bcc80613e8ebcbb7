"""The site's only stored data: anonymous answers to "Was this page helpful?", and counts.

Nothing here can identify a reader: no IP address, no user agent, no cookie, and e-mail
addresses and phone numbers in comments are masked before they are saved. The rate limit
counts posts per client and minute under a keyed hash of the address (never the address
itself), and forgets each count a minute later.
"""

from __future__ import annotations

from django.db import models

MAX_COMMENT_LENGTH = 500


class Feedback(models.Model):
    page = models.CharField(max_length=200, db_index=True, help_text="The page's address.")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=MAX_COMMENT_LENGTH)
    created_on = models.DateField(auto_now_add=True, db_index=True)
    content_version = models.CharField(max_length=32)

    class Meta:
        ordering = ["-id"]
        verbose_name = "feedback answer"
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.page}: {'yes' if self.helpful else 'no'} ({self.created_on})"


class RateLimitCount(models.Model):
    """How many posts one client sent in one period: shared by every worker and server."""

    key = models.CharField(max_length=64, primary_key=True, help_text="A keyed hash.")
    period = models.BigIntegerField(db_index=True, help_text="Whole periods since 1970.")
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key[:8]}: {self.hits} in period {self.period}"
