"""Phone numbers that never break across lines: every one is marked ``class="tel"``.

A number split as "1-800-222-" / "1222" on a phone or on paper can be misread or misdialled,
so the rendered Markdown marks each one, and ``.tel { white-space: nowrap }`` in site.css
keeps it whole. The digits and hyphens stay as written, so ``tel:`` links, screen readers
and copy-paste are unchanged. Links (``[1-800-222-1222](tel:18002221222)``) get the class;
a number written as plain text (an admonition's title, say) is wrapped in a span.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CLASS = "tel"
# North American numbers as the content writes them: 1-800-222-1222, 800-222-1222.
PHONE = re.compile(r"(?<![\w-])(?:1-)?\d{3}-\d{3}-\d{4}(?![\w-])")


def _add_class(element: ET.Element) -> None:
    classes = (element.get("class") or "").split()
    if CLASS not in classes:
        element.set("class", " ".join([*classes, CLASS]))


def _spans(text: str) -> tuple[str, list[ET.Element]]:
    """The text before the first number, and one span per number (its tail: what follows)."""
    matches = list(PHONE.finditer(text))
    if not matches:
        return text, []
    spans = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        span = ET.Element("span", {"class": CLASS})
        span.text = match.group()
        span.tail = text[match.end() : following.start() if following else len(text)]
        spans.append(span)
    return text[: matches[0].start()], spans


class PhoneTreeprocessor(Treeprocessor):
    """Marks tel: links and wraps plain-text phone numbers, so CSS can keep them whole."""

    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag == "a":
            if (element.get("href") or "").startswith("tel:"):
                _add_class(element)
            return  # a link's own text is never split into spans
        children = list(element)  # before the new spans, which need no walk of their own
        if element.text:
            element.text, spans = _spans(element.text)
            for offset, span in enumerate(spans):
                element.insert(offset, span)
        for child in children:
            self._walk(child)
            if child.tail:
                child.tail, spans = _spans(child.tail)
                position = list(element).index(child) + 1
                for offset, span in enumerate(spans):
                    element.insert(position + offset, span)


class PhoneExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After "inline" (20), which makes the links, and the glossary (15).
        md.treeprocessors.register(PhoneTreeprocessor(md), "phones", 10)
