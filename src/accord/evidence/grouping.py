"""The same claim from several outlets, grouped; corroboration; contradictions.

Two claims are the same claim when they have the same actor and their sentences are alike
(`claim_similarity`: rapidfuzz's token-set ratio of the content words within one
language; across languages the comparison layer's language-neutral concepts, names and
figures). A group's outlets are the *sources* its members are known through: a claim's
`reported_by` when the text names some (a scoop and its confirmation: two sources), else
the outlet that published it. Corroboration is their number; the earliest member is the
one of the earliest-dated document. Generic contradictions: two groups about the same
actor and the same point whose figures differ, or one denying what the other states
(the scenario-aware version, with options, is `accord.evidence.verdict`'s business).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from accord.compare.entities import name_ids
from accord.compare.figures import extract_figures, figure_similarity
from accord.compare.similarity import concepts, content_words
from accord.evidence.claims import Claim
from accord.evidence.documents import Document

SAME_CLAIM = 0.7
"""Similarity from which two claims of one actor are the same claim."""
SAME_POINT = 0.45
"""Similarity from which two claims of one actor are about the same point."""


@dataclass(frozen=True)
class ClaimGroup:
    """One claim as several outlets (or one) give it."""

    actor: str | None
    members: tuple[Claim, ...]
    outlets: tuple[str, ...]            # distinct sources, earliest first
    published_in: tuple[str, ...]       # the outlets of the members' documents
    earliest: Claim

    @property
    def corroboration(self) -> int:
        """How many distinct outlets give the claim."""
        return len(self.outlets)


@dataclass(frozen=True)
class Contradiction:
    """Two groups about one actor and one point that say different things."""

    actor: str | None
    first: ClaimGroup
    second: ClaimGroup
    reason: str


def claim_sources(claim: Claim, document: Document | None) -> tuple[str, ...]:
    """The outlets a claim is known through: its `reported_by`, else its publisher."""
    if claim.reported_by:
        return claim.reported_by
    outlet = document.outlet if document is not None else None
    return (outlet or claim.document,)


def claim_similarity(a: Claim, b: Claim, language_a: str = "en",
                     language_b: str = "en") -> float:
    """How alike two claims' sentences are, in [0, 1] (any two of it/en).

    The speakers' own names are left out (they are the actor, already compared)."""
    if a.text == b.text:
        return 1.0
    neutral = _neutral(a, language_a, b, language_b)
    if language_a != language_b:
        return neutral or 0.0
    words = fuzz.token_sort_ratio(content_words(a.text), content_words(b.text)) / 100
    return words if neutral is None else (words + neutral) / 2


def _neutral(a: Claim, la: str, b: Claim, lb: str) -> float | None:
    """Concepts, names and figures in common (None when neither names a concept)."""
    ca, cb = concepts(a.text), concepts(b.text)
    if not ca and not cb:
        return None
    own = name_ids(a.speaker) | name_ids(b.speaker) | set(a.reported_by) | set(b.reported_by)
    own |= {w.lower() for o in a.reported_by + b.reported_by for w in o.split()}
    parts = [(0.5, _jaccard(ca, cb)),
             (0.3, _jaccard(name_ids(a.text) - own, name_ids(b.text) - own))]
    figures = figure_similarity(extract_figures(a.text, la), extract_figures(b.text, lb))
    if figures is not None:
        parts.append((0.2, figures))
    known = [(w, v) for w, v in parts if v is not None]
    total = sum(w for w, _ in known)
    return sum(w * v for w, v in known) / total if total else None


def _compatible(a: Claim, b: Claim) -> bool:
    """Kinds that can be one claim: the same, or one a plain statement or confirmation."""
    loose = ("statement", "confirmation")
    return a.kind == b.kind or a.kind in loose or b.kind in loose


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


def group_claims(claims: Iterable[Claim],
                 documents: Iterable[Document] | Mapping[str, Document]) -> list[ClaimGroup]:
    """Group the same claim across documents, earliest report first."""
    docs = dict(documents) if isinstance(documents, Mapping) else {d.id: d for d in documents}
    order = {doc_id: k for k, doc_id in enumerate(docs)}

    def when(claim: Claim) -> tuple[str, int, int]:
        doc = docs.get(claim.document)
        return ((doc.date if doc and doc.date else "9999-99-99"),
                order.get(claim.document, len(order)), claim.start)

    def language(claim: Claim) -> str:
        doc = docs.get(claim.document)
        return doc.language if doc else "en"

    groups: list[list[Claim]] = []
    for claim in sorted(claims, key=when):
        best, best_score = None, SAME_CLAIM
        for members in groups:
            head = members[0]
            if head.actor != claim.actor or not _compatible(head, claim) or \
                    claim.document in {m.document for m in members}:
                continue
            score = claim_similarity(head, claim, language(head), language(claim))
            if score >= best_score:
                best, best_score = members, score
        if best is None:
            groups.append([claim])
        else:
            best.append(claim)
    return [_group(members, docs) for members in groups]


def _group(members: list[Claim], docs: Mapping[str, Document]) -> ClaimGroup:
    outlets: dict[str, None] = {}
    published: dict[str, None] = {}
    for claim in members:
        doc = docs.get(claim.document)
        outlets.update(dict.fromkeys(claim_sources(claim, doc)))
        published[(doc.outlet if doc and doc.outlet else claim.document)] = None
    return ClaimGroup(actor=members[0].actor, members=tuple(members), outlets=tuple(outlets),
                      published_in=tuple(published), earliest=members[0])


def contradictions(groups: list[ClaimGroup],
                   documents: Iterable[Document] | Mapping[str, Document] = (),
                   named: Callable[[Claim], Mapping[str, Sequence[str]]] | None = None,
                   ) -> list[Contradiction]:
    """Pairs of groups about one actor and one point that disagree: different figures for
    the same thing, or a denial of a statement; with `named` (a claim's options per issue
    of a scenario, `matching.match_text`), sources naming different options for one
    issue (two outlets giving the Zaporizhzhia plant to different hands)."""
    docs = dict(documents) if isinstance(documents, Mapping) else {d.id: d for d in documents}

    def language(claim: Claim) -> str:
        doc = docs.get(claim.document)
        return doc.language if doc else "en"

    found = []
    for i, first in enumerate(groups):
        for second in groups[i + 1:]:
            if first.actor != second.actor:
                continue
            a, b = first.earliest, second.earliest
            la, lb = language(a), language(b)
            differing = _different_options(a, b, named) if named is not None and \
                set(first.outlets) != set(second.outlets) else None
            if differing:
                found.append(Contradiction(first.actor, first, second, differing))
                continue
            if claim_similarity(a, b, la, lb) < SAME_POINT:
                continue
            fa, fb = extract_figures(a.text, la), extract_figures(b.text, lb)
            if fa and fb and not any(f.same(g) for f in fa for g in fb) and \
                    {f.unit for f in fa} & {g.unit for g in fb}:
                found.append(Contradiction(first.actor, first, second, "different figures: "
                                           f"{', '.join(f.text for f in fa)} / "
                                           f"{', '.join(g.text for g in fb)}"))
            elif (a.kind == "denial") != (b.kind == "denial"):
                found.append(Contradiction(first.actor, first, second, "denied"))
    return found


def _different_options(a: Claim, b: Claim,
                       named: Callable[[Claim], Mapping[str, Sequence[str]]]) -> str | None:
    """"ISSUE: x / y" when the two claims name options of one issue and share none."""
    first, second = named(a), named(b)
    for issue, options in first.items():
        others = second.get(issue, ())
        if options and others and not set(options) & set(others):
            return f"{issue}: {', '.join(options)} / {', '.join(others)}"
    return None
