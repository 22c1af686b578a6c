"""Attributed claims from a news article: who is said to say or do what, reported by whom,
how certain, of which kind (docs/evidence.md).

Rules over spaCy's blank pipeline (sentences, tokens with offsets) and simplemma lemmas;
every word list is data (`lexicon/<language>.yaml`, `actors.yaml`, `outlets.yaml`).
A sentence is read in three parts: an optional introduction ("According to the FT,"),
the subject zone (up to the main verb), whose actors are the claim's speakers, and the
rest, where actors are objects unless they meet ("tra X e Y") or head a relative clause
("Erdogan, che ..."). Each actor gets a claim; an actorless sentence with a source or a
hedge is a claim of its outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from accord.compare.entities import GAZETTEER
from accord.compare.text import fold
from accord.errors import EvidenceError
from accord.evidence.documents import LANGUAGES, Document

CERTAINTIES = ("official", "reported", "alleged")
KINDS = ("statement", "demand", "proposal", "denial", "no-comment", "meeting", "confirmation")
_VERB_CUES = ("speech", "no_comment", "denial", "confirmation", "demand", "proposal",
              "meeting_verbs")
_CUE_LISTS = _VERB_CUES + ("hedges", "conditional", "same_sources", "anonymous_sources",
                           "anonymous_heads", "meeting_nouns", "proposal_nouns",
                           "group_anaphora", "meeting_with", "leading_hedges",
                           "on_record_acts")


@dataclass(frozen=True)
class Claim:
    """One attributed claim: a sentence of a document, its speaker and how sure it is."""

    document: str
    start: int
    end: int
    text: str
    speaker: str
    actor: str | None
    reported_by: tuple[str, ...]
    certainty: str
    cue: str | None
    kind: str


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    actor: str | None        # None for an outlet
    outlet: str | None
    source: str              # "compare" (gazetteer of accord.compare), "names", "outlet"


class Lexicon:
    """One language's cue lists, compiled (from `lexicon/<language>.yaml`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.language: str = data["language"]
        self.spacy: str = data.get("spacy", self.language)
        aux = data.get("aux", "")

        def listed(name: str) -> list[str]:
            return [str(p).replace("<aux>", aux) for p in data.get(name) or []]

        self.cues = {name: _compile(listed(name)) for name in _CUE_LISTS}
        self.source_before = _compile(listed("source_before"), tail=True)
        self.source_after = _compile(listed("source_after"))
        self.inherits = bool(data.get("conditional_inherits_source"))
        self.trailing_speech = [re.compile(p) for p in data.get("trailing_speech") or []]
        for name in ("speaker_heads", "document_heads", "pronouns", "auxiliaries",
                     "subordinators", "relative", "prepositions", "articles",
                     "meeting_between", "adverbs", "places", "addressees",
                     "possessives"):
            setattr(self, name, frozenset(str(w) for w in data.get(name) or []))
        self.conditional_stops = frozenset(str(w) for w in data.get(
            "conditional_stops", data.get("subordinators")) or [])
        self.denied_object = _compile(listed("denied_object"))
        self.adjective = re.compile(data["adjective"])
        self.verb_lemma = re.compile(data["verb_lemma"]) if data.get("verb_lemma") else None
        self.verb_suffix = re.compile(data["verb_suffix"]) if data.get("verb_suffix") else None


def _compile(patterns: list[str], tail: bool = False) -> re.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{body})" + (r"\s+(?:(?:the|il|lo|la|l'|i|gli|le|"
                                               r"il sito|the website) )?$" if tail else
                                               r"(?!\w)"))


def _load(name: str) -> dict[str, Any]:
    text = resources.files("accord.evidence").joinpath("lexicon", name).read_text("utf-8")
    return yaml.safe_load(text)


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of a language ("it", "en")."""
    return Lexicon(_load(f"{language}.yaml"))


@cache
def _names() -> tuple[list[tuple[re.Pattern[str], str | None, str | None, str]], dict]:
    """(pattern, actor, outlet, source) for every actor and outlet name."""
    actors = _load("actors.yaml")
    outlets = _load("outlets.yaml")["outlets"]
    table: list[tuple[re.Pattern[str], str | None, str | None, str]] = []
    for entity, actor in actors["compare"].items():
        table.append((re.compile(rf"\b(?:{GAZETTEER[entity][1]})\b"), actor, None, "compare"))
    for actor, patterns in actors["names"].items():
        for pattern in patterns:
            table.append((re.compile(rf"\b(?:{pattern})\b"), actor, None, "names"))
    for outlet, pattern in outlets.items():
        table.append((re.compile(rf"\b(?:{pattern})\b"), None, outlet, "outlet"))
    return table, actors


def fold_same_length(text: str) -> str:
    """Accent-folded text of exactly the same length (offsets stay valid)."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def find_mentions(text: str) -> list[_Mention]:
    """Actor and outlet names in a text (folded, same length), longest match first."""
    table, _ = _names()
    found = []
    for pattern, actor, outlet, source in table:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), actor, outlet, source))
    found.sort(key=lambda f: (f[0] - f[1], f[4] != "outlet", f[0]))
    kept: list[_Mention] = []
    for start, end, actor, outlet, source in found:
        if all(end <= k.start or start >= k.end for k in kept):
            kept.append(_Mention(start, end, text[start:end], actor, outlet, source))
    return sorted(kept, key=lambda k: k.start)


@cache
def _pipeline(language: str):  # noqa: ANN202 - spaCy Language
    import spacy

    nlp = spacy.blank(lexicon(language).spacy)
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(document: Document) -> list[tuple[int, int]]:
    """Character spans of the sentences (whitespace trimmed; blank lines always split)."""
    nlp = _pipeline(document.language)
    spans = []
    for offset, block in _blocks(document.text):
        for sent in nlp(block).sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            text = document.text[start:end]
            lead = len(text) - len(text.lstrip())
            if text.strip():
                spans.append((start + lead, start + len(text.rstrip())))
    return spans


_HEADLINE = 100


def _blocks(text: str) -> list[tuple[int, str]]:
    """Paragraphs (split at blank lines) and headlines (a short line without a final stop
    followed by a capitalised line) with their offsets."""
    blocks: list[tuple[int, str]] = []
    for para in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*\Z)", text, re.DOTALL):
        start = para.start()
        lines = list(re.finditer(r"[^\n]+", para.group(0)))
        begin = 0
        for line, following in zip(lines, lines[1:]):
            body = line.group(0).strip()
            if len(body) <= _HEADLINE and not re.search(r"[.!?:;,»\"”')]$", body) and \
                    following.group(0).lstrip()[:1].isupper():
                blocks.append((start + begin, para.group(0)[begin:line.end()]))
                begin = following.start()
        blocks.append((start + begin, para.group(0)[begin:]))
    return blocks


def extract_claims(document: Document) -> list[Claim]:
    """Every attributed claim of a document, in text order (one per sentence and actor)."""
    from accord.evidence._reader import SentenceReader

    if document.language not in LANGUAGES:
        raise EvidenceError(f"{document.path or document.id}: no lexicon for the language "
                            f"{document.language!r}; expected one of {', '.join(LANGUAGES)}")

    reader = SentenceReader(lexicon(document.language), _pipeline(document.language),
                            document.outlet)
    claims: list[Claim] = []
    previous_sourced: list[int] = []
    for start, end in sentences(document):
        text = document.text[start:end]
        found = reader.read(text, fold_same_length(text))
        made = [Claim(document.id, start, end, text, f.speaker, f.actor, f.reported_by,
                      f.certainty, _original(text, f.cue), f.kind) for f in found.claims]
        if found.confirms and previous_sourced:
            for index in previous_sourced:
                old = claims[index]
                extra = tuple(o for o in found.confirms if o not in old.reported_by)
                claims[index] = replace(old, reported_by=old.reported_by + extra)
        if found.explicit_sources and made:
            previous_sourced = list(range(len(claims), len(claims) + len(made)))
        claims.extend(made)
    return claims


def _original(text: str, cue: tuple[int, int] | None) -> str | None:
    return None if cue is None else text[cue[0]:cue[1]]
