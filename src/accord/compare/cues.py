"""What a revision says about its own text: editorial notes ("deleted", "left in brackets",
"moved to a separate track") and the small words that change a provision (a negation, a
scope or timing qualifier, "instead of").

Revisions reported by the press are often notes on the text they revise rather than the
text itself ("The blanket amnesty is dropped"). A note on the whole point is read in its
opening clause; a note in parentheses or later in the text reports a partial change.
"""

from __future__ import annotations

import re
from typing import Literal

from accord.compare import _lexicon as lex
from accord.compare.text import first_clause, fold, main_text, parentheticals

Editorial = Literal["dropped", "bracketed", "moved-out"]


def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_NEGATION = _any(lex.NEGATIONS)
_CONTRAST = _any(lex.CONTRASTS)
_DELETION = _any(lex.DELETIONS)
_DELETION_WITH_ALTERNATIVE = re.compile(f"(?:{_DELETION.pattern}){lex.ALTERNATIVE}")
_BRACKETS = _any(lex.BRACKETS)
_RELOCATION = _any(lex.RELOCATIONS)
_CHANGE = re.compile(r"(?<!not )(?<!non )(?<!never )\b(?:is|are|was|were|been|be|being|get|gets|"
                     r"viene|vengono|e|sono|stat[oaie])\s+(?:\w+(?:ly|mente)\s+)?(?:"
                     + "|".join(lex.CHANGE_VERBS) + r")")
_QUALIFIERS = {name: _any(patterns) for name, patterns in lex.QUALIFIERS.items()}


def _lower(text: str) -> str:
    return fold(text).lower()


def editorial_status(text: str) -> Editorial | None:
    """What the opening clause of a revision's point says happened to the whole point:
    left in brackets, moved to another text, or dropped; None for an ordinary text."""
    opening = _lower(first_clause(text))
    if _BRACKETS.search(opening):
        return "bracketed"
    if _RELOCATION.search(opening):
        return "moved-out"
    if _DELETION.search(opening) and not _DELETION_WITH_ALTERNATIVE.search(opening):
        return "dropped"
    return None


def affirmed_text(text: str) -> str:
    """The main text plus the parenthetical notes that affirm rather than deny or contrast
    ("(development fund, World Bank financing)" stays, "(not 'Europe')" goes): what the
    text says it contains."""
    kept = [note for note in parentheticals(text)
            if not _NEGATION.search(_lower(note)) and not _CONTRAST.search(_lower(note))]
    return " ".join([main_text(text), *kept])


def negations(text: str) -> int:
    """Number of negations in the main text (parenthetical notes left out)."""
    return len(_NEGATION.findall(_lower(main_text(text))))


def qualifiers(text: str) -> frozenset[str]:
    """Scope and timing qualifiers of the main text (`permanent`, `after`, `only`, …)."""
    lower = _lower(main_text(text))
    return frozenset(name for name, pattern in _QUALIFIERS.items() if pattern.search(lower))


def revision_notes(text: str) -> list[str]:
    """Signs in a revised text that it changes what it revises: a negation or contrast in
    a parenthetical note, a contrast phrase, a partial deletion or a change verb."""
    notes = []
    lower = _lower(text)
    for note in parentheticals(text):
        if _NEGATION.search(_lower(note)) or _CONTRAST.search(_lower(note)):
            notes.append(f"note: ({note.strip()})")
    if _CONTRAST.search(_lower(main_text(text))):
        notes.append("says what it replaces")
    if _DELETION.search(lower) and editorial_status(text) is None:
        notes.append("drops part of the text")
    if _CHANGE.search(lower):
        notes.append("reports a change")
    return notes
