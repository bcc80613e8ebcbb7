"""The real patient content: it loads cleanly, reads at grade 6 and cites its sources."""

from __future__ import annotations

import re
import statistics

import pytest
from django.conf import settings

from rls_iron.content import load_guide

MAX_GRADE = 7.0
MAX_MEAN_GRADE = 6.0

REQUIRED_SECTIONS = {
    "iron-and-the-brain",
    "getting-tested",
    "when-iron-is-suggested",
    "iron-pills",
    "iron-through-a-vein",
    "how-long-it-takes",
    "safety",
    "food-and-iron",
    "other-things-that-worsen-rls",
    "pregnancy-and-children",
    "questions-for-your-doctor",
    "when-to-get-help",
}


@pytest.fixture(scope="module")
def guide():
    return load_guide(settings.CONTENT_DIR)


def readable_items(guide):
    return [*guide.sections, *guide.faq]


def test_real_content_loads_without_errors_or_warnings(guide):
    assert guide.warnings == ()


def test_guide_has_every_required_section(guide):
    assert {section.slug for section in guide.sections} >= REQUIRED_SECTIONS


def test_faq_has_at_least_twelve_questions(guide):
    assert len(guide.faq) >= 12
    assert all(entry.question.endswith("?") for entry in guide.faq)


CONTENT_FILES = sorted(
    path.relative_to(settings.BASE_DIR).as_posix()
    for folder in ("sections", "faq")
    for path in (settings.CONTENT_DIR / "en" / folder).glob("*.md")
)


@pytest.mark.parametrize("source_path", CONTENT_FILES)
def test_each_section_and_answer_reads_at_grade_seven_or_below(guide, source_path):
    (item,) = [item for item in readable_items(guide) if item.source_path == source_path]
    assert item.reading_grade <= MAX_GRADE, f"{source_path} reads at {item.reading_grade:.1f}"


def test_average_reading_grade_is_six_or_below(guide):
    mean = statistics.mean(item.reading_grade for item in readable_items(guide))
    assert mean <= MAX_MEAN_GRADE


def test_every_reference_is_cited(guide):
    assert [ref.key for ref in guide.references if not ref.is_cited] == []


def test_the_site_says_truthfully_that_no_clinician_has_reviewed_it_yet(guide):
    # Until an editor records a real reviewer, reviewed_by stays empty everywhere.
    assert guide.clinically_reviewed is False
    assert all(section.reviewed_by == "" for section in guide.sections)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"µg/dL|mcg/dL|ug/dL", "ferritin is in ng/mL (µg/L), never µg/dL"),
        (r"(?<!not )\bbanned\b", "dopamine drugs are advised against for standard use, not banned"),
        (r"(?<!not )FDA[- ]approved (?:for|to treat) RLS", "IV iron is off-label for RLS"),
        (r"\b325 mg of (?:elemental )?iron\b", "325 mg is the tablet; it holds 65 mg of iron"),
        (
            r"\b(?:RLS|restless legs)\b[^.]{0,20}\b(?:is|means|=)\s+(?:caused by\s+)?low dopamine",
            "RLS is not simply low dopamine",
        ),
    ],
)
def test_content_avoids_known_mistakes(guide, pattern, why):
    texts = [item.plain_text for item in readable_items(guide)]
    texts.append(guide.site.intro_html)
    offenders = [text[:60] for text in texts if re.search(pattern, text, re.IGNORECASE)]
    assert offenders == [], why


@pytest.mark.parametrize("slug", ["iron-pills", "safety"])
def test_oral_iron_pages_carry_the_child_poisoning_warning(guide, slug):
    text = guide.section(slug).plain_text
    assert "children" in text.lower()
    assert "1-800-222-1222" in text or "911" in text
