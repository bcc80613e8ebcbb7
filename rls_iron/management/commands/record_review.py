"""`manage.py record_review FILE... --reviewer "Name, credentials" --date YYYY-MM-DD`.

Records a clinician's sign-off of the exact text of each file: writes ``reviewed_by``,
``last_reviewed`` and ``review_fingerprint`` (and ``next_review`` when given) into the front
matter, changing no other line, and keeps a copy of the reviewed body in
``content/.reviews/`` so editors can see later what changed since the review. Everything is
checked before anything is written: one bad file, name or date and no file is touched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rls_iron.content import LANGUAGES, ContentError, load_guide
from rls_iron.review.frontmatter import FrontMatterError, body_of, set_fields, split
from rls_iron.review.packet import broken_content_message, patient_files
from rls_iron.review.records import ReviewRecord, body_fingerprint, record_path, write_record

MAX_REVIEWER_LENGTH = 200


def clean_reviewer(value: str) -> str:
    name = " ".join((value or "").split())
    if not name or not any(character.isalpha() for character in name):
        raise CommandError('--reviewer is empty: give a name and credentials ("Jane Doe, MD").')
    if len(name) > MAX_REVIEWER_LENGTH:
        raise CommandError(f"--reviewer is longer than {MAX_REVIEWER_LENGTH} characters.")
    return name


def clean_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option} '{value}' is not a date written as YYYY-MM-DD, for example 2026-12-01."
        ) from None


class Command(BaseCommand):
    help = "Record a clinician's review of content files, tied to their exact text."
    # It reports content problems itself, file by file, before writing anything.
    requires_system_checks: tuple = ()

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="content files reviewed")
        parser.add_argument("--reviewer", required=True, help='"Name, credentials"')
        parser.add_argument("--date", required=True, help="the day of the review, YYYY-MM-DD")
        parser.add_argument("--next-review", help="when it must be reviewed again, YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        reviewer = clean_reviewer(options["reviewer"])
        date = clean_date(options["date"], "--date")
        if date > dt.date.today():
            raise CommandError(f"--date {date.isoformat()} is in the future.")
        values: dict = {"reviewed_by": reviewer, "last_reviewed": date}
        if options["next_review"]:
            next_review = clean_date(options["next_review"], "--next-review")
            if next_review <= date:
                raise CommandError("--next-review must be after --date.")
            values["next_review"] = next_review
        root = Path(settings.CONTENT_DIR).resolve()
        planned = [self.plan(root, name, values) for name in dict.fromkeys(options["files"])]
        for path, new_bytes, record in planned:
            write_record(record_path(root, path), record)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_bytes(new_bytes)
            shutil.copymode(path, temporary)
            os.replace(temporary, path)
            self.stdout.write(
                f"Recorded: {record.file} reviewed by {reviewer} on {date.isoformat()} "
                f"(fingerprint {record.fingerprint[:19]}…)"
            )

    def plan(self, root: Path, name: str, values: dict) -> tuple[Path, bytes, ReviewRecord]:
        """The checked new bytes and record of one file; raises CommandError otherwise."""
        path = self.find(root, name)
        language = path.relative_to(root).parts[0]
        try:
            guide = load_guide(root, language)
        except ContentError as error:
            raise CommandError(f"{name}: {broken_content_message(error, language)}") from error
        if path not in {item.resolve() for item in patient_files(guide, root)}:
            raise CommandError(
                f"{name} is not patient text (search words, notes): it needs no clinical review."
            )
        raw = path.read_bytes()
        try:
            body = body_of(raw.decode("utf-8"))
            new_bytes = set_fields(raw, {**values, "review_fingerprint": body_fingerprint(body)})
            head, new_body = split(new_bytes.decode("utf-8"))
            meta = yaml.safe_load(head)
        except (FrontMatterError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise CommandError(f"{name}: {error}.") from error
        if new_body != body or any(meta.get(key) != value for key, value in values.items()):
            raise CommandError(f"{name}: its front matter could not be edited safely.")
        record = ReviewRecord(
            reviewed_by=values["reviewed_by"],
            last_reviewed=values["last_reviewed"],
            fingerprint=body_fingerprint(body),
            body=body,
            file=path.relative_to(root).as_posix(),
        )
        return path, new_bytes, record

    def find(self, root: Path, name: str) -> Path:
        """The file, given from here, from the project or from the content folder."""
        candidates = [Path(name), Path(settings.BASE_DIR) / name, root / name]
        path = next((item.resolve() for item in candidates if item.is_file()), None)
        if path is None:
            raise CommandError(f"{name}: no such file.")
        languages = {(root / language).resolve() for language in LANGUAGES}
        if not any(folder in path.parents for folder in languages):
            raise CommandError(
                f"{name} is not in content/en/ or content/es/: only patient files are reviewed."
            )
        return path
