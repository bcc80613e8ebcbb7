"""Search for the FAQ: plain functions and an index built once per content version.

A reader types a question in their own words ("can I take iron with my thyroid tablet?",
"¿puedo tomar hierro con café?"). Everything here works in the language of the content it
searches, English or Spanish. Words are compared without case or accents, by their stem
(Snowball's English or Spanish stemmer, so "tablets" finds "tablet" and "tomo" finds "tome"
and "tomar"), and through the synonym groups editors keep in ``content/<language>/synonyms.md``
("pill, tablet"). Small words such as "can", "my", "me" or "el" are left out of the match. A
question matches when every remaining word is found in the question or its answer; the last
word also matches as the start of a word, so results appear while the reader is still typing
it. Nothing here knows about files, HTTP or HTML: highlighted text comes back as
(text, is_match) parts that the template escapes.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from snowballstemmer.basestemmer import BaseStemmer
from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.spanish_stemmer import SpanishStemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MIN_PREFIX_LENGTH = 3
SNIPPET_WORDS_BEFORE = 8
SNIPPET_WORDS_AFTER = 22
QUESTION_WEIGHT = 3.0
ANSWER_WEIGHT = 1.0

RIGHT_QUOTE = "\u2019"  # typed by phones for an apostrophe: "don\u2019t"
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

# The Snowball algorithm for each language of the content. Named classes rather than
# snowballstemmer.stemmer(name), which switches to PyStemmer's C code when that is installed:
# the stems stay the same whatever else is installed. (This saves no memory: importing any
# module of the package runs its __init__, which loads every language.)
STEMMERS: dict[str, type[BaseStemmer]] = {"en": EnglishStemmer, "es": SpanishStemmer}

# Words too common to tell two questions apart, in each language, folded (no accents) as the
# words they are compared with. Kept short on purpose: words that change the meaning of a
# question stay searchable ("no", "not", "without"; "no", "ni", "nunca", "sin").
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset({
        "a", "about", "after", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
        "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "get",
        "gets", "got", "had", "has", "have", "having", "he", "her", "hers", "him", "his", "how",
        "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just", "me", "might", "more",
        "most", "much", "my", "myself", "of", "on", "or", "our", "ours", "she", "should", "so",
        "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
        "this", "those", "to", "too", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    }),
    # Not "te": folded, it is also "té" (tea).
    "es": frozenset({
        "a", "al", "como", "con", "cual", "cuales", "cuando", "cuanto", "de", "debe", "debo",
        "del", "donde", "e", "el", "ella", "ellas", "ellos", "en", "es", "esa", "ese", "eso",
        "esta", "estan", "estar", "estas", "este", "esto", "estoy", "estos", "ha", "hace", "hacer",
        "hago", "han", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mis",
        "muy", "nos", "o", "para", "pero", "por", "porque", "puede", "pueden", "puedo", "que",
        "quien", "se", "ser", "si", "son", "su", "sus", "tengo", "tiene", "tu", "tus", "u", "un",
        "una", "unas", "unos", "usted", "va", "voy", "y", "yo",
    }),
}  # fmt: skip


# --------------------------------------------------------------------------- words


def fold(text: str) -> str:
    """Lower case without accents: 'Café' and 'CAFE' both become 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", text.replace(RIGHT_QUOTE, "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@lru_cache(maxsize=8192)
def stem(word: str, *, language: str) -> str:
    """The stem of one folded word. A stemmer object keeps state, so each call makes its own."""
    return STEMMERS[language]().stemWord(word)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text, where it is, and the forms it is compared by."""

    start: int
    end: int
    folded: str
    stem: str


@lru_cache(maxsize=65536)
def _forms(word: str, language: str) -> tuple[str, str]:
    """A word as typed, folded and stemmed: worked out once per distinct word, since
    folding every word anew was a quarter of the load time of a large content folder."""
    # Interned: a word appears many times in the content, and each worker keeps every
    # token of it in memory, so each distinct word is stored once.
    folded = sys.intern(fold(word))
    # Stem the folded word, never the typed one: Snowball's Spanish stemmer takes accents off
    # only some endings ("después" gives "despues", "despues" gives "despu"), so stemming
    # before folding would part a reader's unaccented typing from the accented text.
    return folded, stem(folded, language=language)


def tokens(text: str, *, language: str) -> list[Token]:
    found = []
    for match in WORD.finditer(text):
        folded, stemmed = _forms(match.group(), language)
        found.append(Token(match.start(), match.end(), folded, stemmed))
    return found


# --------------------------------------------------------------------------- synonyms


@dataclass(frozen=True)
class Synonyms:
    """Groups of words a reader may use for the same thing, compared by stem."""

    groups: tuple[frozenset[str], ...] = ()

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]], *, language: str) -> Synonyms:
        stemmed = []
        for group in groups:
            stems = frozenset(
                stem(fold(word.strip()), language=language) for word in group if word.strip()
            )
            if len(stems) > 1:
                stemmed.append(stems)
        return cls(tuple(stemmed))

    def expand(self, word_stem: str) -> frozenset[str]:
        expanded = {word_stem}
        for group in self.groups:
            if word_stem in group:
                expanded |= group
        return frozenset(expanded)


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Term:
    """One word of the query: the stems that count as a match, and maybe a word start."""

    word: str
    stems: frozenset[str]
    prefix: str = ""

    def matches(self, token: Token) -> bool:
        if token.stem in self.stems:
            return True
        return bool(self.prefix) and token.folded.startswith(self.prefix)


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]
    language: str
    was_shortened: bool = False

    def matches(self, token: Token) -> bool:
        return any(term.matches(token) for term in self.terms)


def parse_query(text: str, synonyms: Synonyms, *, language: str) -> Query:
    """Turn what the reader typed into terms. Bad input gives an empty query, never an error."""
    # The last word may be half typed; a space after it means the reader has finished it.
    finished = text[-1:].isspace()
    text = " ".join(text.split())
    was_shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = tokens(text, language=language)
    meaningful = [token for token in words if token.folded not in STOPWORDS[language]]
    chosen = (meaningful or words)[:MAX_QUERY_WORDS]
    typing = words[-1] if words and words[-1].end == len(text) and not finished else None
    terms = []
    for token in chosen:
        prefix = token.folded if token is typing and len(token.folded) >= MIN_PREFIX_LENGTH else ""
        terms.append(Term(token.folded, synonyms.expand(token.stem), prefix))
    unique = tuple({(term.stems, term.prefix): term for term in terms}.values())
    return Query(text=text, terms=unique, language=language, was_shortened=was_shortened)


# --------------------------------------------------------------------------- highlighting

Parts = tuple[tuple[str, bool], ...]


def highlight(text: str, query: Query, text_tokens: Sequence[Token] | None = None) -> Parts:
    """Split text into (text, is_match) parts; the template marks the matches."""
    parts: list[tuple[str, bool]] = []
    position = 0
    if text_tokens is None:
        text_tokens = tokens(text, language=query.language)
    for token in text_tokens:
        if query.matches(token):
            if token.start > position:
                parts.append((text[position : token.start], False))
            parts.append((text[token.start : token.end], True))
            position = token.end
    if position < len(text):
        parts.append((text[position:], False))
    return tuple(parts)


def snippet(text: str, query: Query, text_tokens: Sequence[Token]) -> Parts:
    """A short piece of text around its first match, highlighted; empty without a match."""
    first = next((index for index, token in enumerate(text_tokens) if query.matches(token)), None)
    if first is None:
        return ()
    start_index = max(0, first - SNIPPET_WORDS_BEFORE)
    end_index = min(len(text_tokens) - 1, first + SNIPPET_WORDS_AFTER)
    start = text_tokens[start_index].start if start_index else 0
    end = text_tokens[end_index].end if end_index < len(text_tokens) - 1 else len(text)
    window = text_tokens[start_index : end_index + 1]
    shifted = [
        Token(token.start - start, token.end - start, token.folded, token.stem) for token in window
    ]
    parts = list(highlight(text[start:end], query, shifted))
    if start:
        parts.insert(0, ("… ", False))
    if end < len(text):
        parts.append((" …", False))
    return tuple(parts)


# --------------------------------------------------------------------------- index


@dataclass(frozen=True)
class Document:
    """One searchable item: the object it stands for, its title and its body text."""

    item: Any
    title: str
    body: str
    title_tokens: tuple[Token, ...]
    body_tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Hit:
    item: Any
    title_parts: Parts
    snippet_parts: Parts
    score: float


@dataclass(frozen=True)
class SearchResults:
    """What a search found. ``hits`` match every word; ``near`` match some, for suggestions."""

    query: Query
    hits: tuple[Hit, ...]
    near: tuple[Hit, ...] = ()

    @property
    def text(self) -> str:
        return self.query.text

    @property
    def is_search(self) -> bool:
        return bool(self.query.terms)

    @property
    def count(self) -> int:
        return len(self.hits)


class SearchIndex:
    """The words of every document, tokenised once when the content is loaded."""

    def __init__(
        self, documents: Iterable[tuple[Any, str, str]], synonyms: Synonyms, *, language: str
    ) -> None:
        self.synonyms = synonyms
        self.language = language
        self.documents = tuple(
            Document(
                item,
                title,
                body,
                tuple(tokens(title, language=language)),
                tuple(tokens(body, language=language)),
            )
            for item, title, body in documents
        )

    def _score(self, document: Document, query: Query) -> tuple[int, float]:
        """How many terms the document has, and a score that favours rare words in titles."""
        found = 0
        score = 0.0
        for term in query.terms:
            in_title = any(term.matches(token) for token in document.title_tokens)
            in_body = any(term.matches(token) for token in document.body_tokens)
            if in_title or in_body:
                found += 1
                rarity = math.log(1 + len(self.documents) / self._frequency(term))
                score += rarity * (QUESTION_WEIGHT * in_title + ANSWER_WEIGHT * in_body)
        return found, score

    def _frequency(self, term: Term) -> int:
        return max(
            1,
            sum(
                any(term.matches(token) for token in document.title_tokens + document.body_tokens)
                for document in self.documents
            ),
        )

    def _hit(self, document: Document, query: Query, score: float) -> Hit:
        return Hit(
            item=document.item,
            title_parts=highlight(document.title, query, document.title_tokens),
            snippet_parts=snippet(document.body, query, document.body_tokens),
            score=score,
        )

    def search(self, text: str, *, suggestions: int = 3) -> SearchResults:
        query = parse_query(text, self.synonyms, language=self.language)
        if not query.terms:
            every = tuple(Hit(doc.item, ((doc.title, False),), (), 0.0) for doc in self.documents)
            return SearchResults(query, every)
        scored = []
        for order, document in enumerate(self.documents):
            found, score = self._score(document, query)
            if found:
                scored.append((found, score, order, document))
        # Best first; documents keep their editors' order when they score the same.
        scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
        wanted = len(query.terms)
        hits = tuple(
            self._hit(doc, query, score) for found, score, _, doc in scored if found == wanted
        )
        near = ()
        if not hits:
            near = tuple(self._hit(doc, query, score) for _, score, _, doc in scored[:suggestions])
        return SearchResults(query, hits, near)
