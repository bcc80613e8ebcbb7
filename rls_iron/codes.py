"""Diagnosis code systems that content pages and the Infobutton endpoint understand.

Editors write a code system by name (``ICD-10-CM``) in front matter; portals send it as an
HL7 OID (``2.16.840.1.113883.6.90``). Both lead to one ``CodeSystem``, which also decides
what a well-formed code looks like and how two spellings of a code compare: ICD-10 and ICD-9
codes match with or without the dot and in any case (``G25.81`` = ``g2581``, ``333.94`` =
``33394``). ICD-9-CM is retired in the US but older records and MedlinePlus Connect still send it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OID_PATTERN = re.compile(r"^[0-2](?:\.(?:0|[1-9][0-9]*))+$")


@dataclass(frozen=True)
class CodeSystem:
    name: str
    oid: str
    pattern: re.Pattern
    example: str
    ignore_dots_and_case: bool = False

    def normalise(self, code: str) -> str:
        """The form codes are compared in; raises ValueError when the code is malformed."""
        code = code.strip()
        if self.ignore_dots_and_case:
            code = code.upper()
        if not self.pattern.match(code):
            raise ValueError(
                f"'{code}' is not a valid {self.name} code, for example {self.example}"
            )
        return code.replace(".", "") if self.ignore_dots_and_case else code


ICD10CM = CodeSystem(
    name="ICD-10-CM",
    oid="2.16.840.1.113883.6.90",
    # A letter, a digit, a character, then up to four more after an optional dot: G25.81.
    pattern=re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$"),
    example="G25.81",
    ignore_dots_and_case=True,
)
SNOMED_CT = CodeSystem(
    name="SNOMED CT",
    oid="2.16.840.1.113883.6.96",
    # SNOMED CT identifiers are 6 to 18 digits, never starting with 0.
    pattern=re.compile(r"^[1-9][0-9]{5,17}$"),
    example="32914008",
)
ICD9CM = CodeSystem(
    name="ICD-9-CM",
    oid="2.16.840.1.113883.6.103",
    # Three digits (or V and two digits, or E and three), then up to two after the dot: 333.94.
    pattern=re.compile(r"^(?:[0-9]{3}|V[0-9]{2}|E[0-9]{3})(?:\.?[0-9]{1,2})?$"),
    example="333.94",
    ignore_dots_and_case=True,
)
CODE_SYSTEMS: tuple[CodeSystem, ...] = (ICD10CM, SNOMED_CT, ICD9CM)


def _name_key(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text).lower()


def code_system(name_or_oid: str) -> CodeSystem | None:
    """The code system called this (``SNOMED CT``, ``snomed-ct``) or with this OID."""
    wanted = name_or_oid.strip()
    for system in CODE_SYSTEMS:
        if wanted == system.oid or _name_key(wanted) == _name_key(system.name):
            return system
    return None


@dataclass(frozen=True)
class Code:
    """One diagnosis code a page answers, as an editor declared it."""

    system: CodeSystem
    code: str  # as written, for display: G25.81
    key: str  # normalised, for matching: G2581

    @property
    def label(self) -> str:
        return f"{self.system.name} {self.code}"
