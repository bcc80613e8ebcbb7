"""The real patient content: it loads cleanly, reads at grade 6 and cites its sources."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.conf import settings

from rls_iron.content import load_guide
from rls_iron.readability import plain_text_from_html

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


# --------------------------------------------------------------------------- the ladder

# How a cell of the ladder in "When iron is suggested" states a bound, in each language.
BOUNDS = (
    (r"(?:over|más de) (\d+)", lambda limit, value: value > limit),
    (r"(\d+)%? (?:or more|o más)", lambda limit, value: value >= limit),
    (r"(?:up to|hasta) (\d+)|(\d+) (?:or lower|o menos)", lambda limit, value: value <= limit),
    (r"(?:under|menor de) (\d+)", lambda limit, value: value < limit),
)
HOW_TO_USE_THE_LADDER = {
    "en": "Find your ferritin and TSAT on your lab report, then find your row.",
    "es": "Busque su ferritina y su TSAT en el informe del laboratorio. Luego busque su fila.",
}


def bounds(cell: str) -> list[tuple[float, Callable[[float, float], bool]]]:
    """The bounds a cell states ("over 75 and up to 100"): each a limit and its test."""
    return [
        (float(next(group for group in match.groups() if group)), test)
        for pattern, test in BOUNDS
        for match in re.finditer(pattern, cell)
    ]


def values_to_try(cells: list[str]) -> list[float]:
    """Every limit the cells name, and a half above and below it: where rows could overlap."""
    limits = {limit for cell in cells for limit, _ in bounds(cell)}
    return sorted({0.0, 1000.0} | {limit + step for limit in limits for step in (-0.5, 0, 0.5)})


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_ferritin_and_tsat_pair_finds_exactly_one_row_of_the_ladder(language):
    section = load_guide(settings.CONTENT_DIR, language).section("when-iron-is-suggested")
    html = str(section.body_html)
    assert HOW_TO_USE_THE_LADDER[language] in plain_text_from_html(html)
    table = html[html.index("<table") : html.index("</table>")]
    body = table[table.index("<tbody>") :]
    rows = [
        [plain_text_from_html(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]
    assert len(rows) == 5
    ladder = [(bounds(row[0]), bounds(row[1]), row) for row in rows]
    for ferritin in values_to_try([row[0] for row in rows]):
        for tsat in values_to_try([row[1] for row in rows]):
            found = [
                row
                for ferritin_bounds, tsat_bounds, row in ladder
                if all(test(limit, ferritin) for limit, test in ferritin_bounds)
                and all(test(limit, tsat) for limit, test in tsat_bounds)
            ]
            assert len(found) == 1, f"ferritin {ferritin}, TSAT {tsat}%: rows {found}"


# Signs of bleeding in the gut, in each language. They must sit under a "Call 911" or
# "Get care today" heading, never under "See your doctor soon" (issue 14).
GUT_BLEEDING_SIGNS = {
    "en": {
        "coffee grounds": r"coffee.grounds",
        "black tarry stools": r"\btar\b|\btarry\b",
        "blood in stools": r"blood in (?:your )?stools|bloody stools",
    },
    "es": {
        "coffee grounds": r"café molido",
        "black tarry stools": r"alquitrán",
        "blood in stools": r"sangre en (?:sus |las )?heces",
    },
}
CARE_NOW_HEADING = re.compile(
    r"call 911|get care today|llame al 911|atención hoy mismo", re.IGNORECASE
)
SEE_DOCTOR_HEADING = re.compile(r"see (?:your|a) doctor|vea a (?:su|un) médico", re.IGNORECASE)


class HeadedBlocks(HTMLParser):
    """Splits a page into blocks of text, each with the heading a reader sees above it.

    A warning box is one block under its own title; other text belongs to the nearest
    heading before it (h1 to h6) or to the page's emergency box heading.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []  # [heading, text]
        self.heading = ""
        self.capture: list[str] | None = None  # text of a heading being read
        self.box_depth = 0  # nesting of <div> inside the current box
        self.box: list[str] | None = None
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.box is not None and tag == "div":
            self.box_depth += 1
        elif tag == "div" and "admonition" in classes:
            self.box = ["", ""]
            self.blocks.append(self.box)
            self.box_depth = 1
        elif tag == "p" and "admonition-title" in classes and self.box is not None:
            self.in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.capture = []

    def handle_endtag(self, tag):
        if tag == "div" and self.box is not None:
            self.box_depth -= 1
            if self.box_depth == 0:
                self.box = None
        elif tag == "p" and self.in_title:
            self.in_title = False
        elif re.fullmatch(r"h[1-6]", tag) and self.capture is not None:
            self.heading = "".join(self.capture).strip()
            self.capture = None
            if self.box is None:
                self.blocks.append([self.heading, ""])

    def handle_data(self, data):
        if self.capture is not None:
            self.capture.append(data)
        elif self.box is not None:
            self.box[0 if self.in_title else 1] += data
        elif self.blocks:
            self.blocks[-1][1] += data
        else:
            self.blocks.append(["", data])


def patient_pages(client, prefix: str) -> dict[str, str]:
    guide = load_guide(settings.CONTENT_DIR, language="es" if prefix else "en")
    paths = [f"{prefix}/", f"{prefix}/faq/", f"{prefix}/handout/"]
    paths += [f"{prefix}/faq/{entry.slug}/" for entry in guide.faq]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


@pytest.mark.parametrize(("language", "prefix"), [("en", ""), ("es", "/es")])
def test_gut_bleeding_signs_sit_only_under_911_or_care_today_headings(client, language, prefix):
    found: dict[str, set[str]] = {sign: set() for sign in GUT_BLEEDING_SIGNS[language]}
    wrong = []
    for path, html in patient_pages(client, prefix).items():
        parser = HeadedBlocks()
        parser.feed(html)
        for heading, text in parser.blocks:
            for sign, pattern in GUT_BLEEDING_SIGNS[language].items():
                if re.search(pattern, text, re.IGNORECASE):
                    found[sign].add(path)
                    if not CARE_NOW_HEADING.search(heading) or SEE_DOCTOR_HEADING.search(heading):
                        wrong.append((path, sign, heading))
    assert wrong == []
    # Every sign is shown, on the guide and on the handout a clinic prints.
    assert all({f"{prefix}/", f"{prefix}/handout/"} <= pages for pages in found.values()), found
