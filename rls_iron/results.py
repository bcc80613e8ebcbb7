"""What a patient's own ferritin and TSAT mean: the guide's ladder of iron levels, in one place.

The four limits below are the only place the site's code holds these numbers: the results
page, the ladder figure's words and the tests all read them from here, and the content check
makes sure the guide's own ladder (section "When iron is suggested") says the same numbers.
Reading the two values is strict on purpose: a comma, another unit or an absurd number gets
a kind message saying what to type, never a guess, because a wrong guess would put the
reader on the wrong step. Nothing a reader types is stored, logged or sent anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# The ladder (fact sheet §18). Ferritin in ng/mL, the same number as µg/L; TSAT in percent.
FERRITIN_LOW = 75  # at or below: pills or a drip may be offered (AASM 2024)
FERRITIN_DRIP_MAX = 100  # over 75 and up to this: a drip may be offered, not pills (IRLSSG)
TSAT_LOW = 20  # below this: pills or a drip may be offered (AASM 2024)
TSAT_NO_DRIP = 45  # at or above this: no iron drip (IRLSSG)

# The names content uses for them: "[limit: ferritin-low]" (rls_iron/content/limits.py).
LIMITS = {
    "ferritin-low": FERRITIN_LOW,
    "ferritin-drip-max": FERRITIN_DRIP_MAX,
    "tsat-low": TSAT_LOW,
    "tsat-no-drip": TSAT_NO_DRIP,
}

# The largest values the page will explain; a bigger number is almost always a typing slip.
FERRITIN_MAX = 5000
TSAT_MAX = 100
MAX_INPUT_LENGTH = 20

# The sources of the ladder, as reference keys in content/<lang>/references/.
LADDER_SOURCES = ("winkelman2025", "allen2018")

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Units a reader may copy from a report along with the number, in lower case, without spaces.
_FERRITIN_UNITS = ("ng/ml", "µg/l", "μg/l", "ug/l", "mcg/l")
_THOUSANDS_DOT = re.compile(r"\d{1,3}\.\d{3}")
_OTHER_UNIT = re.compile(r"[a-zµμ/]", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """One value as the reader typed it, and either its number or what to tell them."""

    text: str
    value: Decimal | None = None
    problem: str = ""


@dataclass(frozen=True)
class Step:
    """A step of the ladder: which one, what guidelines say there, what to ask the doctor."""

    key: str
    title: str
    meaning: str
    ask: tuple[str, ...]
    notes: tuple[str, ...] = ()


def _number(text: str, units: tuple[str, ...], unit_problem: str) -> Decimal | str:
    """The number in ``text``, or a message: a comma or a unit we do not read is a message."""
    compact = text.replace(" ", "").lower()
    if "," in compact:
        return _("Type the number without a comma. Use a dot for a decimal, like 18.5.")
    for unit in units:
        compact = compact.removesuffix(unit)
    if not any(character.isdigit() for character in compact):
        return _("Type a number only, like 48.")
    if _OTHER_UNIT.search(compact):
        return unit_problem
    if _THOUSANDS_DOT.fullmatch(compact):
        # 1.200 means 1200 in much of the Spanish-speaking world, and 1.2 elsewhere.
        return _("Type the number without a dot between thousands, like 1200.")
    if compact.startswith("-"):
        return _("The number must be more than 0.")
    if not _NUMBER.fullmatch(compact):
        return _("Type a number only, like 48.")
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern above only lets numbers through
        return _("Type a number only, like 48.")


def read_ferritin(text: str) -> Reading:
    """The reader's ferritin in ng/mL (or µg/L, the same number)."""
    text = text.strip()
    if not text:
        return Reading(text, problem=_("Type your ferritin number."))
    if len(text) > MAX_INPUT_LENGTH:
        return Reading(text[:MAX_INPUT_LENGTH], problem=_("Type a number only, like 48."))
    unit_problem = _(
        "This page reads ferritin in ng/mL (the same number as µg/L). If your report uses "
        "another unit, ask your clinic for the number in ng/mL."
    )
    number = _number(text, _FERRITIN_UNITS, unit_problem)
    if isinstance(number, str):
        return Reading(text, problem=number)
    if number <= 0:
        return Reading(text, problem=_("The number must be more than 0."))
    if number > FERRITIN_MAX:
        return Reading(
            text,
            problem=_(
                "This page explains ferritin up to %(max)s. Check the number on your report. "
                "If it is right, ask your doctor what it means."
            )
            % {"max": FERRITIN_MAX},
        )
    return Reading(text, value=number)


def read_tsat(text: str) -> Reading:
    """The reader's transferrin saturation in percent; leaving it out is fine."""
    text = text.strip()
    if not text:
        return Reading(text)
    if len(text) > MAX_INPUT_LENGTH:
        return Reading(text[:MAX_INPUT_LENGTH], problem=_("Type a number only, like 18."))
    unit_problem = _("Type TSAT as a percent, like 18 or 18%.")
    number = _number(text, ("%",), unit_problem)
    if isinstance(number, str):
        return Reading(text, problem=number)
    if number <= 0:
        return Reading(text, problem=_("The number must be more than 0."))
    if number > TSAT_MAX:
        return Reading(text, problem=_("TSAT is a percent, so it is 100 or less."))
    return Reading(text, value=number)


def _inflammation_note() -> str:
    return _(
        "Ferritin goes up with inflammation, infection, liver disease and some cancers. So a "
        "normal or high ferritin can hide low iron. Your doctor may test again when you are well."
    )


def step_for(ferritin: Decimal, tsat: Decimal | None = None) -> Step:
    """The ladder row for these values: the five rows of the guide's table, which never
    overlap. Without a TSAT, the row is found from ferritin alone and the reader is asked
    to get their TSAT too."""
    titles = dict(ladder())
    notes = [_inflammation_note()]
    if tsat is None:
        notes.insert(0, _("Ask for your TSAT too. It helps find your step."))
    if tsat is not None and tsat >= TSAT_NO_DRIP:
        return Step(
            key="tsat-high",
            title=titles["tsat-high"],
            meaning=_(
                "Guidelines say not to give an iron drip when TSAT is this high. A high TSAT, "
                "mainly with a high ferritin, can mean the body holds too much iron. Do not "
                "take iron unless your doctor says so."
            ),
            ask=(
                _("Could I have too much iron? Should I be checked for it?"),
                _("Should I stop any iron pills or vitamins with iron?"),
            ),
            notes=tuple(notes),
        )
    if ferritin <= FERRITIN_LOW:
        return _low_step("low", titles, notes)
    if tsat is not None and tsat < TSAT_LOW:
        notes.insert(0, _("A low TSAT with a high ferritin may mean inflammation."))
        notes.insert(1, _("Not all experts agree on this row. Ask which rule your doctor follows."))
        return _low_step("low-tsat", titles, notes)
    if ferritin <= FERRITIN_DRIP_MAX:
        return Step(
            key="drip",
            title=titles["drip"],
            meaning=_("Guidelines say an iron drip may be offered. Iron pills are not suggested."),
            ask=(
                _("Is an iron drip right for me?"),
                _("Which drip would I get, and what are its risks?"),
                _("When should I have my blood tested again?"),
            ),
            notes=tuple(notes),
        )
    return Step(
        key="above",
        title=titles["above"],
        meaning=_(
            "Iron is usually not suggested for RLS at this level. Your doctor may talk with you "
            "about other RLS treatments."
        ),
        ask=(
            _("My iron is not low. What other RLS treatments could help me?"),
            _("Could something else be making my RLS worse?"),
        ),
        notes=tuple(notes),
    )


def _low_step(key: str, titles: dict[str, str], notes: list[str]) -> Step:
    return Step(
        key=key,
        title=titles[key],
        meaning=_(
            "Guidelines say iron pills or an iron drip may be offered for RLS. Low iron "
            "also needs its cause found."
        ),
        ask=(
            _("Should I take iron pills, or is an iron drip better for me?"),
            _("What could be causing my low iron?"),
            _("When should I have my blood tested again?"),
        ),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class Answer:
    """What the results page shows for one visit: the readings and, when they are good, a step."""

    ferritin: Reading
    tsat: Reading
    step: Step | None

    @property
    def asked(self) -> bool:
        return bool(self.ferritin.text or self.tsat.text)


def answer(ferritin_text: str | None, tsat_text: str | None) -> Answer:
    """Read both fields of the form; a step only when every value given is a good one."""
    if not (ferritin_text or "").strip() and not (tsat_text or "").strip():
        return Answer(Reading(""), Reading(""), None)  # an empty form: nothing to say yet
    ferritin = read_ferritin(ferritin_text or "")
    tsat = read_tsat(tsat_text or "")
    step = None
    if ferritin.value is not None and not tsat.problem:
        step = step_for(ferritin.value, tsat.value)
    return Answer(ferritin, tsat, step)


def ladder() -> tuple[tuple[str, str], ...]:
    """The ladder's rows (key, title) in order, as the guide's table has them."""
    values = {
        "low": FERRITIN_LOW,
        "high": FERRITIN_DRIP_MAX,
        "tsat": TSAT_LOW,
        "no_drip": TSAT_NO_DRIP,
    }
    return (
        ("low", _("Ferritin %(low)s or lower, TSAT under %(no_drip)s%%") % values),
        ("low-tsat", _("Ferritin over %(low)s, TSAT under %(tsat)s%%") % values),
        (
            "drip",
            _("Ferritin over %(low)s and up to %(high)s, TSAT %(tsat)s%% to under %(no_drip)s%%")
            % values,
        ),
        ("above", _("Ferritin over %(high)s, TSAT %(tsat)s%% to under %(no_drip)s%%") % values),
        ("tsat-high", _("Any ferritin, TSAT %(no_drip)s%% or more") % values),
    )
