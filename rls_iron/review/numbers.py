"""Find the clinical numbers in a Markdown body, each with the sources of its sentence.

A clinical number is a figure a patient could act on or be harmed by if it were wrong: a
figure with a unit (``75 ng/mL``, ``65 mg``, ``20%``, ``24 hours``, ``3 months``), a range
(``20 to 200``, ``de 20 a 200``, ``2-3``), a proportion (``1 in 10``, ``1 de cada 10``) or a
figure after a limit word (``under 6``, ``more than 300``, ``menos de 20``). Bare figures
(a year, a list number, 911, a code such as G25.81, a phone number) are not. Each number
gets the citations of the sentence it stands in: that is the source the reviewer checks it
against, and a number whose sentence cites nothing is shown as such.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rls_iron.content import citation_keys

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNITS = (
    r"%|percent|per\s+cent|por\s+ciento|"
    r"ng/mL|ng/ml|µg/L|ug/L|mcg/L|mg/dL|g/dL|g/L|mmol/L|µmol/L|pg/mL|mg/kg|"
    r"mg|mcg|µg|g|kg|mL|ml|"
    r"seconds?|minutes?|min|hours?|hrs?|days?|nights?|weeks?|months?|years?|"
    r"segundos?|minutos?|horas?|días?|dias?|noches?|semanas?|mes|meses|años?|"
    r"times|veces|doses?|dosis|pills?|tablets?|pastillas?|infusions?|infusiones|"
    r"people|patients|personas|pacientes|adults|adultos|children|niños"
)
_LIMITS = (
    r"under|over|below|above|less\s+than|more\s+than|fewer\s+than|at\s+least|at\s+most|"
    r"up\s+to|about|around|nearly|almost|within|after|"
    r"menos\s+de|más\s+de|mas\s+de|mayor(?:es)?\s+de|menor(?:es)?\s+de|hasta|al\s+menos|"
    r"unos|unas|cerca\s+de|casi|antes\s+de|después\s+de|dentro\s+de|"
    r"por\s+debajo\s+de|por\s+encima\s+de"
)
CLINICAL_NUMBER = re.compile(
    rf"""
    (?<![\w.,/-])                                   # not inside a word, code or phone number
    (?P<limit>(?:{_LIMITS})\s+)?
    (?P<first>{_NUMBER})
    (?:
        (?P<ratio>\s+(?:in|out\s+of|de\s+cada|de)\s+{_NUMBER})
      | (?P<second>\s*(?:-|\u2013|\u2014|\s to\s|\s a\s|\s y\s|\s or\s|\s o\s)\s*{_NUMBER})
    )?
    (?P<unit>\s?(?:{_UNITS}))?
    (?![\w/-]*\d)(?!\w)                             # the whole figure, not the start of one
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Where sentences and blocks start: Markdown structure that is never part of a sentence.
BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|\||!!!\s|>)")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”»)]*\s+")
# Link targets and citation keys hold digits that are not figures in the text.
HIDDEN = re.compile(r"\]\([^)]*\)|\[@[^\]\n]*\]|<[^>]*>|`[^`]*`")


@dataclass(frozen=True)
class ClinicalNumber:
    line: int  # the line in the file
    start: int  # where it starts and ends in that line
    end: int
    text: str
    citations: tuple[str, ...]  # source keys of its sentence, in order
    nearby: tuple[str, ...] = ()  # when its sentence cites nothing: the keys of its paragraph


def _is_clinical(match: re.Match) -> bool:
    return any(match.group(name) for name in ("limit", "ratio", "second", "unit"))


def _blocks(lines: list[str]) -> list[list[int]]:
    """Indexes of the lines of each paragraph, list item, heading or table row."""
    blocks: list[list[int]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            blocks.append([])
        elif BLOCK_START.match(line) or not blocks or not blocks[-1] or line.startswith("|"):
            blocks.append([index])
        else:
            blocks[-1].append(index)
    return [block for block in blocks if block]


def clinical_numbers(body: str, first_line: int = 1) -> list[ClinicalNumber]:
    """Every clinical number in ``body``; ``first_line`` is the body's first line in the file."""
    lines = body.split("\n")
    found: list[ClinicalNumber] = []
    for block in _blocks(lines):
        text = "\n".join(lines[index] for index in block)
        starts = []  # offset of each block line in ``text``
        offset = 0
        for index in block:
            starts.append(offset)
            offset += len(lines[index]) + 1
        masked = HIDDEN.sub(lambda m: " " * len(m.group()), text)
        tabular = text.lstrip().startswith("|")
        bounds = [0, *(m.end() for m in SENTENCE_END.finditer(masked))] if not tabular else [0]
        bounds.append(len(text) + 1)
        block_keys = tuple(dict.fromkeys(citation_keys(text)))
        for start, end in itertools.pairwise(bounds):
            keys = tuple(dict.fromkeys(citation_keys(text[start:end])))
            for match in CLINICAL_NUMBER.finditer(masked, start, min(end, len(masked))):
                if not _is_clinical(match):
                    continue
                row = max(i for i, s in enumerate(starts) if s <= match.start())
                column = match.start() - starts[row]
                found.append(
                    ClinicalNumber(
                        line=first_line + block[row],
                        start=column,
                        end=column + len(match.group().rstrip()),
                        text=match.group().strip(),
                        citations=keys,
                        nearby=() if keys else block_keys,
                    )
                )
    return found
