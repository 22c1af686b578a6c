"""Certainty and kind of one claim (the rules of docs/evidence.md, "Certainty", "Kind"),
shared by the sentence reader (`_reader.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.evidence.claims import _VERB_CUES as _VERB_CUE_NAMES
from accord.evidence.claims import Lexicon, _Mention

if TYPE_CHECKING:
    from accord.evidence._reader import _Actor


class CueRules:
    """How sure a claim is and of which kind, from the cues found in its clause."""

    lex: Lexicon

    def _certainty(self, cues: dict, actor: _Actor, hedge: tuple[int, int] | None,
                   sources: tuple[str, ...], anonymous: list, outlets: list[_Mention],
                   low: str) -> tuple[str, tuple[int, int] | None]:
        if hedge:
            return "alleged", hedge
        if sources or anonymous or not actor.named or actor.partner:
            cue = _first([(m.start, m.end) for m in outlets]) or _first(anonymous)
            return "reported", self._source_cue(cue, low)
        a, b = actor.clause
        for name in ("speech", "no_comment", "denial", "confirmation", "on_record_acts"):
            inside = [c for c in cues.get(name, []) if a <= c[0] < b]
            if inside:
                return "official", inside[0]
        return "reported", None

    def _source_cue(self, cue: tuple[int, int] | None, low: str) -> tuple[int, int] | None:
        """Widen an outlet's span to its cue: "secondo Reuters", "Bloomberg reported"."""
        if cue is None:
            return None
        start, end = cue
        before = self.lex.source_before.search(low[:start]) if self.lex.source_before else None
        if before:
            start = before.start()
        after = self.lex.source_after.match(low, end + 1) if self.lex.source_after else None
        if after and low[end:end + 1] == " ":
            end = after.end()
        return (start, end)

    def _kind(self, low: str, cues: dict, clause: tuple[int, int], zone_end: int,
              with_actor: bool, document_head: bool = False, partner: bool = False) -> str:
        a, b = clause

        def has(name: str) -> bool:
            return any(a <= s < b for s, _ in cues.get(name, []))

        for name, kind in (("no_comment", "no-comment"), ("denial", "denial"),
                           ("confirmation", "confirmation")):
            if has(name):
                return kind
        if not with_actor:
            return "statement"
        if partner:
            return "meeting"
        if has("demand"):
            return "demand"
        if has("proposal"):
            return "proposal"
        if has("meeting_verbs"):
            return "meeting"
        speech = [s for s, _ in cues.get("speech", []) if a <= s < b]
        verbs = [s for name in _VERB_CUE_NAMES for s, _ in cues.get(name, []) if a <= s < b]
        if speech and min(speech) <= min(verbs + [zone_end]):
            return "statement"
        if document_head:
            return "proposal"
        if has("meeting_nouns"):
            return "meeting"
        if has("proposal_nouns"):
            return "proposal"
        return "statement"


def _first(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return min(spans) if spans else None


def _previous_word(tokens: list, index: int, skip: frozenset[str]) -> str:
    i = index - 1
    while i >= 0 and tokens[i][2] in skip:
        i -= 1
    return tokens[i][2] if i >= 0 else ""


def _token_after(tokens: list, offset: int) -> str:
    return next((w for s, _, w in tokens if s >= offset), "")


def _incidental(tokens: list, openers: frozenset[str]) -> list[tuple[int, int]]:
    """", who sat in on the talks,", ", in visita a Kiev,": an aside between commas, opened
    by one of `openers` (a relative word, a preposition), is not the main verb's clause."""
    spans = []
    for i, (start, _, word) in enumerate(tokens[:-1]):
        if word == "," and tokens[i + 1][2] in openers:
            stop = next((t[0] for t in tokens[i + 2:] if t[2] in (",", ";", ":")), None)
            if stop is not None:
                spans.append((tokens[i + 1][0], stop))
    return spans
