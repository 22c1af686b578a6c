"""Claims into the scenario: each claim that bears on a party's issue becomes `Evidence` on
that party's preference for the issue; contradictions are listed, never applied.

No number is ever changed: saliences, valuations, red lines, reservations, capabilities
and certainties stay as the analyst set them. A claim whose party has no preference on
the issue (the scenario holds nothing there) is kept as a scenario-level source with the
same reference, so nothing the news says is lost and nothing is invented. Running the
update twice adds nothing the second time (a claim's `ref` is its identity).

Writing the result is `accord.io.save_scenario` (only `io` writes files).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from accord.errors import UsageError
from accord.evidence.matching import PointMatch, match_in_context, party_of
from accord.evidence.verdict import IssueVerdict, judge_claim
from accord.model import Evidence, Scenario
from accord.model.evidence import Certainty

if TYPE_CHECKING:  # read by field names only: any object with these fields will do
    from accord.evidence.claims import Claim
    from accord.evidence.documents import Document

SKIPPED_KINDS = frozenset({"no-comment"})
"""Kinds of claim that say nothing about a position (a refusal to comment)."""


@dataclass(frozen=True)
class Contradiction:
    """A claim that goes against the scenario's estimate: for the analyst to decide."""

    party: str
    issue: str
    options: tuple[str, ...]
    reason: str
    estimate: str
    sentence: str
    document: str
    start: int
    end: int
    outlet: str
    date: str | None
    certainty: str
    ref: str


@dataclass(frozen=True)
class ScenarioClaim:
    """A claim seen from the scenario: its party, the points it bears on, the verdicts."""

    claim: Claim
    party: str | None
    issues: tuple[str, ...]
    options: dict[str, tuple[str, ...]]
    verdicts: tuple[IssueVerdict, ...]


def claim_ref(claim: Claim) -> str:
    """Where a claim comes from: `article:<document id>#<start>-<end>`."""
    return f"article:{claim.document}#{claim.start}-{claim.end}"


def scenario_claims(scenario: Scenario, claims: Iterable[Claim],
                    documents: Iterable[Document]) -> list[ScenarioClaim]:
    """Each claim with its party, issues, options and verdicts under the scenario."""
    by_id = _documents(documents)
    found = []
    previous: dict[str, PointMatch] = {}  # per document: the last claim's points
    for claim in claims:
        document = _document_of(claim, by_id)
        party = party_of(claim.actor, claim.speaker, scenario)
        match = match_in_context(claim.text, document.language, scenario,
                                 previous.get(claim.document))
        if match.issues:
            previous[claim.document] = match
        verdicts = judge_claim(scenario, party, match.issues, match.options, claim.kind)
        found.append(ScenarioClaim(claim, party, match.issues, dict(match.options),
                                   tuple(verdicts)))
    return found


def update_scenario(scenario: Scenario, claims: Iterable[Claim],
                    documents: Iterable[Document],
                    corroboration: Mapping[str, Sequence[str]] | None = None,
                    ) -> tuple[Scenario, list[Contradiction]]:
    """A copy of the scenario with the claims as evidence, and the contradictions found.

    `corroboration` maps a claim's `claim_ref` to the outlets that carry the same claim
    (from `grouping.group_claims`); without it a claim is corroborated by the outlets the
    text itself cites (`reported_by`).
    """
    documents = list(documents)
    by_id = _documents(documents)
    added: dict[tuple[str, str], list[Evidence]] = {}
    loose: list[Evidence] = []
    contradictions: list[Contradiction] = []
    for item in scenario_claims(scenario, claims, documents):
        claim = item.claim
        if item.party is None or not item.issues or claim.kind in SKIPPED_KINDS:
            continue
        document = _document_of(claim, by_id)
        outlets = (corroboration or {}).get(claim_ref(claim), claim.reported_by)
        evidence = make_evidence(claim, document, outlets)
        party = scenario.party(item.party)
        for verdict in item.verdicts:
            if verdict.issue in party.preferences:
                added.setdefault((item.party, verdict.issue), []).append(evidence)
            elif evidence not in loose:
                loose.append(evidence)
            if verdict.verdict == "contradicts":
                contradictions.append(_contradiction(verdict, claim, evidence))
    return _with_evidence(scenario, added, loose), contradictions


def make_evidence(claim: Claim, document: Document,
                  outlets: Sequence[str] = ()) -> Evidence:
    """The claim as `Evidence`: the document's outlet and date, the claim's certainty,
    the other outlets that carry it, the sentence, and a reference to where it is."""
    outlet = document.outlet or document.id
    try:
        certainty = Certainty(claim.certainty)
    except ValueError:
        raise UsageError(f"claim at {claim_ref(claim)}: certainty {claim.certainty!r} is not "
                         f"one of {', '.join(c.value for c in Certainty)}") from None
    corroborated = tuple(dict.fromkeys(o for o in outlets if o and o != outlet))
    fields = dict(outlet=outlet, speaker=claim.speaker.strip() or None,
                  date=_date(document.date), paraphrase=claim.text.strip(),
                  certainty=certainty, corroborated_by=corroborated, ref=claim_ref(claim))
    try:
        return Evidence(**fields)
    except ValidationError as error:
        field = ".".join(str(x) for x in error.errors()[0]["loc"])
        raise UsageError(f"document {document.id}: cannot record the claim at "
                         f"{claim_ref(claim)} as evidence: bad {field}") from None


def _date(value: str | None) -> str | None:
    """The day of an ISO date or date-time (`2025-11-19T08:00` → `2025-11-19`)."""
    if not value:
        return None
    day = str(value)[:10]
    try:
        Evidence(outlet="x", date=day)
    except ValidationError:
        return None
    return day


def _documents(documents: Iterable[Document]) -> dict[str, Document]:
    return {document.id: document for document in documents}


def _document_of(claim: Claim, by_id: dict[str, Document]) -> Document:
    try:
        return by_id[claim.document]
    except KeyError:
        raise UsageError(f"claim {claim.text[:40]!r} names document {claim.document!r}, "
                         "which is not among the documents given") from None


def _contradiction(verdict: IssueVerdict, claim: Claim,
                   evidence: Evidence) -> Contradiction:
    return Contradiction(verdict.party, verdict.issue, verdict.options, verdict.reason,
                         verdict.estimate, claim.text.strip(), claim.document, claim.start,
                         claim.end, evidence.outlet, evidence.date, evidence.certainty.value,
                         evidence.ref or "")


def _with_evidence(scenario: Scenario, added: dict[tuple[str, str], list[Evidence]],
                   loose: list[Evidence]) -> Scenario:
    """The scenario with evidence appended (items already there, by `ref`, skipped)."""
    parties = []
    for party in scenario.parties:
        preferences = dict(party.preferences)
        for issue_id, preference in party.preferences.items():
            new = _new_items(preference.evidence, added.get((party.id, issue_id), []))
            if new:
                preferences[issue_id] = preference.model_copy(
                    update={"evidence": preference.evidence + new})
        parties.append(party.model_copy(update={"preferences": preferences}))
    sources = scenario.sources + _new_items(scenario.sources, loose)
    return scenario.model_copy(update={"parties": tuple(parties), "sources": sources})


def _new_items(existing: tuple[Evidence, ...], items: list[Evidence]) -> tuple[Evidence, ...]:
    refs = {e.ref for e in existing if e.ref}
    new: list[Evidence] = []
    for item in items:
        if item.ref not in refs:
            refs.add(item.ref)
            new.append(item)
    return tuple(new)
