"""Each patient file's clinical review, worked out while its language loads.

A file's ``Review`` comes from its front matter, its review record in
``content/.reviews/`` and its body (see ``rls_iron/review/records.py``): no front matter
field alone can make a page claim a review. The warnings tell editors about review fields
nothing backs (W040), text changed since its review (W041) and review dates passed (W005).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rls_iron.content.frontmatter import SourceFile
from rls_iron.content.problems import Collector
from rls_iron.content.sources import Loaded
from rls_iron.review.records import Review, assess, record_path

# source path → (the file, its Review), for every patient file of one language
FileReviews = Mapping[str, tuple[SourceFile, Review]]


def file_reviews(root: Path, files: Iterable[Loaded]) -> FileReviews:
    return {
        source.relative_path: (source, _review(root, source, values)) for source, values in files
    }


def _review(root: Path, source: SourceFile, values: Mapping[str, Any]) -> Review:
    return assess(
        reviewed_by=values.get("reviewed_by", ""),
        last_reviewed=values.get("last_reviewed"),
        fingerprint=values.get("review_fingerprint", ""),
        next_review=values.get("next_review"),
        body=source.body,
        record_file=record_path(root, source.path),
    )


def review_warnings(reviews: Iterable[tuple[SourceFile, Review]], problems: Collector) -> None:
    """W005 a review is due, W040 review fields nothing backs, W041 changed since review."""
    for source, review in reviews:
        line = source.field_lines.get
        if review.problem:
            problems.warning(
                source.relative_path,
                line("reviewed_by", line("review_fingerprint", 2)),
                f"Not shown as reviewed: {review.problem}",
                "Record a review only with manage.py record_review (see content/README.md).",
                "W040",
            )
        if review.is_changed:
            problems.warning(
                source.relative_path,
                line("review_fingerprint", 2),
                f"The text has changed since its clinical review on {review.reviewed_on}.",
                "Ask a clinician to review it again (make review-packet), then record it.",
                "W041",
            )
        if review.overdue:
            problems.warning(
                source.relative_path,
                line("next_review", 2),
                f"The review date {review.next_review.isoformat()} has passed.",
                "Check the text against its sources, then set new review dates.",
                "W005",
            )
