"""Review records: the fingerprint of a reviewed body and a copy of that body.

A review is trusted only when three things agree: the file's front matter
(``reviewed_by``, ``last_reviewed``, ``review_fingerprint``), the record written beside the
content by ``manage.py record_review`` (``content/.reviews/<language>/<path>``), and the
body itself. The fingerprint is the SHA-256 of the body after normalising what a reader
never sees (line endings, trailing spaces, blank lines at either end, Unicode form), so
re-saving a file does not void a review, while changing one word does. The record keeps the
reviewed body, so editors see what changed since the review without any git history.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

REVIEW_FOLDER = ".reviews"
FINGERPRINT_PREFIX = "sha256:"
RECORD_FIELDS = ("reviewed_by", "last_reviewed", "review_fingerprint", "file")


def today() -> dt.date:
    """Today's date for every review-due decision (one place, so tests can move the clock)."""
    return dt.date.today()


def normalise_body(body: str) -> str:
    text = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"


def body_fingerprint(body: str) -> str:
    digest = hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()
    return FINGERPRINT_PREFIX + digest


def record_path(root: Path, content_file: Path) -> Path:
    """The record of ``content/<language>/<path>``: ``content/.reviews/<language>/<path>``."""
    relative = Path(content_file).resolve().relative_to(Path(root).resolve())
    return Path(root) / REVIEW_FOLDER / relative


class RecordError(Exception):
    """A review record exists but cannot be read; the message says why."""


@dataclass(frozen=True)
class ReviewRecord:
    reviewed_by: str
    last_reviewed: dt.date
    fingerprint: str
    body: str
    file: str = ""

    @property
    def is_intact(self) -> bool:
        """The kept body is the one the fingerprint was made from."""
        return body_fingerprint(self.body) == self.fingerprint

    def to_text(self) -> str:
        header = {
            "reviewed_by": self.reviewed_by,
            "last_reviewed": self.last_reviewed,
            "review_fingerprint": self.fingerprint,
            "file": self.file,
        }
        front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{front}---\n{normalise_body(self.body)}"


def read_record(path: Path) -> ReviewRecord | None:
    """The record at ``path``; None when there is none. Raises RecordError when it is damaged."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"the review record cannot be read ({error})") from error
    head, separator, body = text.removeprefix("---\n").partition("\n---\n")
    try:
        meta = yaml.safe_load(head) if separator and text.startswith("---\n") else None
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict) or set(meta) != set(RECORD_FIELDS):
        raise RecordError("the review record is damaged (its header is not as written)")
    date = meta["last_reviewed"]
    if not isinstance(date, dt.date) or not isinstance(meta["reviewed_by"], str):
        raise RecordError("the review record is damaged (its name or date is not valid)")
    return ReviewRecord(
        reviewed_by=meta["reviewed_by"],
        last_reviewed=date,
        fingerprint=str(meta["review_fingerprint"]),
        body=body,
        file=str(meta["file"]),
    )


def write_record(path: Path, record: ReviewRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(record.to_text(), encoding="utf-8")
    temporary.replace(path)  # never a half-written record


class ReviewState(StrEnum):
    NONE = "none"  # nothing recorded, or a record the fingerprint does not support
    REVIEWED = "reviewed"  # the body is exactly the one the clinician signed off
    CHANGED = "changed"  # a real review, but the text has changed since


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "context" or "hunk"
    text: str


@dataclass(frozen=True)
class Review:
    """What the site may say about one file's clinical review."""

    state: ReviewState = ReviewState.NONE
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    next_review: dt.date | None = None
    problem: str = ""  # why recorded review fields were not accepted, for editors
    diff: tuple[DiffLine, ...] = ()  # the reviewed body → the body now (CHANGED only)

    @property
    def is_reviewed(self) -> bool:
        return self.state is ReviewState.REVIEWED

    @property
    def is_changed(self) -> bool:
        return self.state is ReviewState.CHANGED

    @property
    def overdue(self) -> bool:
        return self.next_review is not None and self.next_review < today()


def body_diff(reviewed: str, current: str) -> tuple[DiffLine, ...]:
    """A unified diff of the reviewed body and the current one, as plain lines to escape."""
    lines = difflib.unified_diff(
        normalise_body(reviewed).splitlines(),
        normalise_body(current).splitlines(),
        "reviewed",
        "now",
        n=1,
        lineterm="",
    )
    kinds = {"+": "add", "-": "remove", "@": "hunk"}
    # The first two lines name the two sides ("--- reviewed", "+++ now"): not part of the text.
    return tuple(DiffLine(kinds.get(line[:1], "context"), line) for line in list(lines)[2:])


def assess(
    *,
    reviewed_by: str,
    last_reviewed: dt.date | None,
    fingerprint: str,
    next_review: dt.date | None,
    body: str,
    record_file: Path,
) -> Review:
    """What the front matter, the review record and the body together support.

    Any disagreement (a name without a fingerprint, a fingerprint no record backs, a record
    for another name or date, a damaged record) means "not reviewed", with the reason for
    editors: no field alone can make the site claim a review.
    """
    if not reviewed_by and not fingerprint:
        return Review(next_review=next_review)

    def refused(reason: str) -> Review:
        return Review(next_review=next_review, problem=reason)

    if not reviewed_by:
        return refused("It has a review_fingerprint but no reviewed_by.")
    if not fingerprint:
        return refused(f"reviewed_by names '{reviewed_by}', but there is no review_fingerprint.")
    try:
        record = read_record(record_file)
    except RecordError as error:
        return refused(f"It names a reviewer, but {error}.")
    if record is None:
        return refused("It names a reviewer, but there is no review record in content/.reviews/.")
    recorded = (record.reviewed_by, record.last_reviewed, record.fingerprint)
    if recorded != (reviewed_by, last_reviewed, fingerprint) or not record.is_intact:
        return refused("Its review fields do not match its review record.")
    if body_fingerprint(body) == fingerprint:
        state, diff = ReviewState.REVIEWED, ()
    else:
        state, diff = ReviewState.CHANGED, body_diff(record.body, body)
    return Review(state, reviewed_by, last_reviewed, next_review, diff=diff)
