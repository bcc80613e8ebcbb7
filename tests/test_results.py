"""The results page and its ladder (rls_iron/results.py): every step, every boundary, bad input.

The thresholds are read from rls_iron.results, never typed here, so a change of a limit moves
the test's boundaries with it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from rls_iron import results
from rls_iron.results import FERRITIN_DRIP_MAX, FERRITIN_LOW, TSAT_LOW, TSAT_NO_DRIP
from tests.helpers import element_by_id, first_element, links_by_href, start_tags

LOW, HIGH = Decimal(FERRITIN_LOW), Decimal(FERRITIN_DRIP_MAX)
STEP = Decimal("0.1")


@pytest.mark.parametrize(
    ("ferritin", "tsat", "step"),
    [
        # Typical values.
        (Decimal(20), None, "low"),
        (Decimal(48), Decimal(25), "low"),
        (Decimal(90), None, "drip"),
        (Decimal(250), Decimal(30), "above"),
        (Decimal(400), Decimal(60), "tsat-high"),
        # Ferritin boundaries: 75 is on the low step, 100 on the drip step.
        (LOW, None, "low"),
        (LOW + STEP, None, "drip"),
        (HIGH, None, "drip"),
        (HIGH + STEP, None, "above"),
        # TSAT boundaries: below 20 with ferritin over 75 is its own row; 45 or more, no drip.
        (LOW + STEP, Decimal(TSAT_LOW) - STEP, "low-tsat"),
        (HIGH + 50, Decimal(TSAT_LOW) - STEP, "low-tsat"),
        (HIGH + 50, Decimal(TSAT_LOW), "above"),
        (LOW, Decimal(TSAT_LOW) - STEP, "low"),
        (HIGH, Decimal(TSAT_LOW), "drip"),
        (LOW - 10, Decimal(TSAT_NO_DRIP) - STEP, "low"),
        (LOW - 10, Decimal(TSAT_NO_DRIP), "tsat-high"),
        (HIGH + 50, Decimal(TSAT_NO_DRIP), "tsat-high"),
    ],
)
def test_each_value_lands_on_exactly_one_step(ferritin, tsat, step):
    assert results.step_for(ferritin, tsat).key == step


def test_every_step_says_what_to_ask_and_the_inflammation_caveat():
    keys = set()
    pairs = ((LOW, None), (HIGH, None), (HIGH + 1, None), (LOW, TSAT_NO_DRIP), (HIGH, TSAT_LOW - 1))
    for ferritin, tsat in pairs:
        step = results.step_for(ferritin, tsat if tsat is None else Decimal(tsat))
        keys.add(step.key)
        assert step.ask
        assert step.meaning
        assert any("inflammation" in note for note in step.notes)
    assert keys == {key for key, _ in results.ladder()}


def test_a_low_tsat_with_a_high_ferritin_says_it_may_be_inflammation():
    step = results.step_for(HIGH + 100, Decimal(TSAT_LOW) - 5)
    assert step.key == "low-tsat"
    assert step.notes[0] == "A low TSAT with a high ferritin may mean inflammation."
    assert step.notes[1].startswith("Not all experts agree on this row.")


def test_without_tsat_the_reader_is_told_to_ask_for_it():
    assert (
        results.step_for(Decimal(48)).notes[0] == "Ask for your TSAT too. It helps find your step."
    )


def test_the_ladder_names_the_limits_from_the_module():
    rows = dict(results.ladder())
    assert rows["low"] == f"Ferritin {FERRITIN_LOW} or lower, TSAT under {TSAT_NO_DRIP}%"
    assert rows["low-tsat"] == f"Ferritin over {FERRITIN_LOW}, TSAT under {TSAT_LOW}%"
    assert rows["drip"] == (
        f"Ferritin over {FERRITIN_LOW} and up to {FERRITIN_DRIP_MAX},"
        f" TSAT {TSAT_LOW}% to under {TSAT_NO_DRIP}%"
    )
    assert (
        rows["above"]
        == f"Ferritin over {FERRITIN_DRIP_MAX}, TSAT {TSAT_LOW}% to under {TSAT_NO_DRIP}%"
    )
    assert rows["tsat-high"] == f"Any ferritin, TSAT {TSAT_NO_DRIP}% or more"


@pytest.mark.parametrize(
    ("text", "value"),
    [("48", 48), (" 48 ", 48), ("48.5", Decimal("48.5")), ("48 ng/mL", 48), ("48µg/L", 48)],
)
def test_ferritin_reads_plain_numbers_with_the_units_it_knows(text, value):
    assert results.read_ferritin(text).value == Decimal(value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Type your ferritin number."),
        ("abc", "Type a number only, like 48."),
        ("1,200", "Type the number without a comma."),
        ("48,5", "Type the number without a comma."),
        ("1.200", "Type the number without a dot between thousands"),
        ("-3", "The number must be more than 0."),
        ("0", "The number must be more than 0."),
        (str(results.FERRITIN_MAX + 1), "This page explains ferritin up to 5000."),
        ("48 µg/dL", "This page reads ferritin in ng/mL"),
        ("48 pmol/L", "This page reads ferritin in ng/mL"),
        ("4" * 40, "Type a number only, like 48."),
        ("1e3", "This page reads ferritin in ng/mL"),
    ],
)
def test_bad_ferritin_gets_a_message_and_no_guess(text, problem):
    reading = results.read_ferritin(text)
    assert reading.value is None
    assert reading.problem.startswith(problem)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("120", "TSAT is a percent, so it is 100 or less."),
        ("0", "The number must be more than 0."),
        ("-5", "The number must be more than 0."),
        ("18,5", "Type the number without a comma."),
        ("18 mg", "Type TSAT as a percent"),
    ],
)
def test_bad_tsat_gets_a_message_and_no_guess(text, problem):
    reading = results.read_tsat(text)
    assert reading.value is None
    assert reading.problem.startswith(problem)


def test_tsat_may_be_left_out_or_carry_a_percent_sign():
    assert results.read_tsat("").problem == ""
    assert results.read_tsat("18%").value == Decimal(18)


# --------------------------------------------------------------------------- the page


def test_the_empty_page_shows_the_form_and_the_ladder_and_is_cached(client: Client):
    response = client.get("/results/")
    assertContains(response, "<h1>What do my results mean?</h1>", html=True)
    assertContains(response, '<label for="results-ferritin">Ferritin</label>', html=True)
    assertNotContains(response, "Your step:")
    assert "ETag" in response
    for _, title in results.ladder():
        assertContains(response, title)


def test_the_page_with_numbers_shows_the_step_and_is_never_stored(client: Client):
    response = client.get("/results/", {"ferritin": "90", "tsat": "25"})
    assertInHTML(
        '<h2 id="results-step-title">'
        "Your step: Ferritin over 75 and up to 100, TSAT 20% to under 45%</h2>",
        response.content.decode(),
    )
    assertContains(response, "Is an iron drip right for me?")
    tags = start_tags(response.content.decode())
    # The ladder marks one rung, this one, as the reader's step.
    assert [attrs.get("data-step") for _, attrs in tags if attrs.get("aria-current") == "step"] == [
        "drip"
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_bad_input_is_a_kind_message_on_a_200_page_with_the_field_marked(client: Client):
    response = client.get("/results/", {"ferritin": "48 µg/dL"})
    assert response.status_code == 200
    assertContains(response, "This page reads ferritin in ng/mL")
    assert element_by_id(response.content.decode(), "results-ferritin")["aria-invalid"] == "true"
    assertNotContains(response, "Your step:")


def test_an_htmx_request_gets_only_the_answer(client: Client):
    response = client.get("/results/", {"ferritin": "150", "tsat": "50"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    tags = {tag for tag, _ in start_tags(text)}
    assert "html" not in tags
    assert "form" not in tags
    assertInHTML('<h2 id="results-step-title">Your step: Any ferritin, TSAT 45% or more</h2>', text)
    assert "HX-Request" in response["Vary"]


def test_the_spanish_page_answers_in_spanish(client: Client):
    response = client.get("/es/results/", {"ferritin": "48"})
    assert first_element(response.content.decode(), "html")["lang"] == "es"
    with translation.override("es"):
        title = dict(results.ladder())["low"]
    assert title != dict(results.ladder())["low"]
    assertContains(response, title)


def test_the_page_cites_both_guidelines(client: Client):
    response = client.get("/results/")
    links = links_by_href(response.content.decode())
    for key in results.LADDER_SOURCES:
        assert f"/references/#ref-{key}" in links


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_guides_ladder_names_the_limits_instead_of_typing_them(settings, language):
    source = settings.CONTENT_DIR / language / "sections" / "03-when-iron-is-suggested.md"
    rows = [line for line in source.read_text().splitlines() if line.startswith("| ")][1:]
    assert len(rows) == len(results.ladder())
    for row in rows:
        limits_column = " | ".join(row.split(" | ")[:2])
        assert not any(str(number) in limits_column for number in results.LIMITS.values()), row
    assert "[figure: iron-ladder]" in source.read_text()
