"""Plain-text helpers: accent folding, words, parenthetical notes and clauses.

Accents are folded (NFKD, combining marks dropped) so that `Zaporižžja` and `Zaporizzja`,
`metà` and `meta` compare equal; case is kept where names need it.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
                         "\u202f": " ", "\u2009": " "})

_PARENS = re.compile(r"\(([^()]*)\)")
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|St|Art|No|n|cf|vs|Mr|Dr|approx)\.", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[.;!?])\s+|;\s*")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:[-']\w+)*|[^\w\s]")


def fold(text: str) -> str:
    """Text with accents removed and typographic quotes and dashes made plain; case kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case, accent-folded words (letters and digits)."""
    return _WORD.findall(fold(text).lower())


def tokens(text: str) -> list[str]:
    """Words and punctuation marks as written (for showing a word-level diff)."""
    return _TOKEN.findall(text)


def parentheticals(text: str) -> list[str]:
    """The contents of the parentheses in a text: editors' notes in a revision."""
    return _PARENS.findall(text)


def main_text(text: str) -> str:
    """The text without its parenthetical notes."""
    previous = None
    while previous != text:
        previous, text = text, _PARENS.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def clauses(text: str) -> list[str]:
    """Sentences and semicolon-separated clauses of the main text (notes removed)."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(1) + "\x00", main_text(text))
    parts = _CLAUSE_END.split(protected)
    return [p.replace("\x00", ".").strip(" .") for p in parts if p.strip(" .")]


def first_clause(text: str) -> str:
    """The opening clause: where a revision says what happened to a whole point."""
    found = clauses(text)
    return found[0] if found else ""
