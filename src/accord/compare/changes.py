"""What changed between a point and its counterpart: figures, names, qualifiers, the
small words that turn a provision round, and the words themselves.

Names and figures are read in what a text affirms: parenthetical notes that deny or
contrast ("(not 'Europe')", "(instead of within 100 days)") say what was there before,
not what the new text says. Negations and qualifiers are compared within one language
only; figures and names in any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

from accord.compare.cues import affirmed_text, negations, qualifiers, revision_notes
from accord.compare.entities import gazetteer_mentions, label
from accord.compare.figures import FigureChange, extract_figures, figure_changes
from accord.compare.text import fold, tokens


@dataclass(frozen=True)
class WordChange:
    """A run of words replaced, deleted or inserted."""

    op: Literal["replace", "delete", "insert"]
    before: str
    after: str


@dataclass(frozen=True)
class PointChanges:
    """Differences between a point of A and its counterpart in B."""

    figures: tuple[FigureChange, ...]
    names_removed: tuple[str, ...]
    names_added: tuple[str, ...]
    qualifiers_removed: tuple[str, ...]
    qualifiers_added: tuple[str, ...]
    negation_changed: bool
    notes: tuple[str, ...]
    """Signs in B's text that it revises A (a negated note, 'instead of', 'dropped' …)
    that A's own text does not carry."""
    words: tuple[WordChange, ...]

    def reasons(self) -> list[str]:
        """Why the pair counts as modified (empty when nothing of substance changed)."""
        reasons = [f"figures: {', '.join(c.describe() for c in self.figures)}"] if self.figures else []
        if self.names_removed or self.names_added:
            reasons.append("names: " + _signed(self.names_removed, self.names_added))
        if self.qualifiers_removed or self.qualifiers_added:
            reasons.append("qualifiers: " + _signed(self.qualifiers_removed,
                                                    self.qualifiers_added))
        if self.negation_changed:
            reasons.append("negation added or removed")
        return reasons + list(self.notes)


def _signed(removed: tuple[str, ...], added: tuple[str, ...]) -> str:
    return ", ".join([f"− {x}" for x in removed] + [f"+ {x}" for x in added])


def point_changes(before: str, after: str, before_language: str = "en",
                  after_language: str = "en") -> PointChanges:
    """Compare a point's text (`before`) with its counterpart's (`after`)."""
    same_language = before_language == after_language
    figures = figure_changes(extract_figures(affirmed_text(before), before_language),
                             extract_figures(affirmed_text(after), after_language))
    names_a, names_b = _substantive_names(before), _substantive_names(after)
    quals_a, quals_b = (qualifiers(before), qualifiers(after)) if same_language else ((), ())
    return PointChanges(
        figures=tuple(figures),
        names_removed=tuple(label(n) for n in sorted(names_a - names_b)),
        names_added=tuple(label(n) for n in sorted(names_b - names_a)),
        qualifiers_removed=tuple(sorted(set(quals_a) - set(quals_b))),
        qualifiers_added=tuple(sorted(set(quals_b) - set(quals_a))),
        negation_changed=same_language and negations(before) != negations(after),
        notes=tuple(n for n in revision_notes(after) if n not in revision_notes(before)),
        words=tuple(word_changes(before, after)) if same_language else ())


def _substantive_names(text: str) -> set[str]:
    """States, organisations, places and people the text says it contains (treaties
    named as examples, like START, are left out)."""
    return {m.id for m in gazetteer_mentions(affirmed_text(text)) if m.kind != "treaty"}


def word_changes(before: str, after: str) -> list[WordChange]:
    """Runs of words replaced, deleted or inserted (Indel opcodes over words, compared
    case- and accent-insensitively; shown as written)."""
    a, b = tokens(before), tokens(after)
    ops = Indel.opcodes([fold(t).lower() for t in a], [fold(t).lower() for t in b])
    changes: list[WordChange] = []
    joined = False
    for op in ops:
        if op.tag == "equal":
            joined = False
            continue
        removed = " ".join(a[op.src_start:op.src_end])
        added = " ".join(b[op.dest_start:op.dest_end])
        if joined and changes[-1].op != "replace":  # a deletion next to an insertion
            last = changes[-1]
            changes[-1] = WordChange("replace", last.before or removed, last.after or added)
        else:
            changes.append(WordChange("delete" if op.tag == "delete" else "insert", removed,
                                      added))
        joined = True
    return changes
