"""Reading-level measurement for patient text.

Patient text must read at about grade 6 (Flesch-Kincaid, textstat 0.7.8). The grade is
measured on what a reader actually reads: the Markdown is rendered, citations and markup
are dropped, and every block (paragraph, list item, heading, table cell) counts as its own
sentence, because a reader takes a bullet point as one thought even without a full stop.
Spanish text is measured with the Fernández-Huerta reading ease (higher is easier; the
target is 70 or more). textstat keeps its language in global state, so both measures set it
under one lock and English stays the language between calls.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

CITATION_PATTERN = re.compile(r"\s*\[@[^\]\n]*\]")
MIN_SPANISH_READING_EASE = 70.0
_textstat_language = threading.Lock()

# Elements whose text a reader takes as a separate unit.
BLOCK_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "div"}
)
SENTENCE_END = (".", "!", "?", ":", ";")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")


class _BlockTextCollector(HTMLParser):
    """Collects the text of each block element as one unit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        # Inside a citation (class "cite": an <a>, or a <span> around several links) its
        # numbers are not read as words; nesting is counted for its own tag only.
        self._skip_tag = ""
        self._skip_depth = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)  # left where a citation was removed
        if text:
            if not text.endswith(SENTENCE_END):
                text += "."
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth += 1
        elif "cite" in (dict(attrs).get("class") or "").split():
            self._skip_tag, self._skip_depth = tag, 1
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth -= 1
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def plain_text_from_html(html: str) -> str:
    """Return the readable text of rendered HTML, one sentence-like unit per block."""
    collector = _BlockTextCollector()
    collector.feed(html)
    collector.close()
    return " ".join(collector.blocks)


def strip_citations(markdown_text: str) -> str:
    """Remove citation markers such as ``[@allen2018]`` from Markdown source."""
    return CITATION_PATTERN.sub("", markdown_text)


def _textstat():
    """textstat, imported on first use: only editors' reports measure text, and the import
    costs each server worker about 6 MB that patients' pages never need."""
    import textstat

    return textstat


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (textstat 0.7.8, English)."""
    if not text.strip():
        return 0.0
    textstat = _textstat()
    with _textstat_language:
        return float(textstat.flesch_kincaid_grade(text))


def spanish_reading_ease(text: str) -> float:
    """Fernández-Huerta reading ease of Spanish plain text (textstat 0.7.8); 70+ is easy."""
    if not text.strip():
        return 100.0
    textstat = _textstat()
    with _textstat_language:
        textstat.set_lang("es")
        try:
            return float(textstat.fernandez_huerta(text))
        finally:
            textstat.set_lang("en")


def word_count(text: str) -> int:
    return len(text.split())
