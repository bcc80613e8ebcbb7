"""Rewrite a few front matter lines of a content file and leave every other byte alone.

``record_review`` must not reformat an editor's file: only the ``name: value`` lines it
sets change (with any indented continuation lines of the old value), and a missing one is
added just before the closing ``---``. Line endings (LF or CRLF) and a leading byte order
mark are kept. Values are written as YAML double-quoted strings (a JSON string is one), so a
name with a colon or a quote cannot break the front matter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping


class FrontMatterError(ValueError):
    """The file has no front matter block to edit."""


def yaml_value(value: str | dt.date) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _field_name(line: str) -> str | None:
    if not line or line[0] in " \t-#":
        return None
    name, colon, _ = line.partition(":")
    return name.strip() if colon else None


def set_fields(raw: bytes, values: Mapping[str, str | dt.date]) -> bytes:
    """The file's bytes with each of ``values`` set in its front matter."""
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix(bom)
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("the file does not start with a --- line")
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if closing is None:
        raise FrontMatterError("the front matter is never closed with a --- line")
    head, rest = lines[1:closing], lines[closing:]
    pending = dict(values)
    edited: list[str] = []
    skipping = False
    for line in head:
        name = _field_name(line)
        if skipping and name is None and line[:1] in (" ", "\t"):
            continue  # an indented continuation of a value we replaced
        skipping = False
        if name in pending:
            edited.append(f"{name}: {yaml_value(pending.pop(name))}")
            skipping = True
            continue
        edited.append(line)
    edited += [f"{name}: {yaml_value(value)}" for name, value in pending.items()]
    return (bom + newline.join(["---", *edited, *rest])).encode("utf-8")


def split(text: str) -> tuple[str, str]:
    """The front matter and the Markdown after it, read as the content loader reads them."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if not lines or lines[0].strip() != "---" or closing is None:
        raise FrontMatterError("the file has no front matter between two --- lines")
    return "\n".join(lines[1:closing]), "\n".join(lines[closing + 1 :])


def body_of(text: str) -> str:
    return split(text)[1]
