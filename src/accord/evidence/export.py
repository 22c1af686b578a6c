"""The JSON of `accord evidence` (schema `accord.evidence/1`, docs/evidence.md).

Plain data only: documents with their text (so offsets can be checked), claims with their
speaker, party, outlets, certainty and kind, and, with a scenario, the points each bears
on and its verdict; groups of the same claim across outlets; sources that disagree with
each other (`disagreements`) and claims that go against the scenario (`contradictions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from accord.evidence.claims import Claim
from accord.evidence.documents import Document
from accord.evidence.grouping import ClaimGroup
from accord.evidence.grouping import Contradiction as Disagreement
from accord.evidence.update import Contradiction, ScenarioClaim, claim_ref
from accord.evidence.verdict import overall

SCHEMA = "accord.evidence/1"


def evidence_data(documents: Sequence[Document], claims: Sequence[Claim],
                  groups: Sequence[ClaimGroup],
                  seen: Sequence[ScenarioClaim] | None = None,
                  contradictions: Iterable[Contradiction] = (),
                  scenario_id: str | None = None,
                  updated: str | None = None,
                  disagreements: Sequence[Disagreement] = ()) -> dict[str, Any]:
    """Everything `accord evidence` found, as JSON-ready data."""
    # a sentence naming two parties holds one claim per party: claims are told apart by
    # identity (the same object in claims, groups and `seen`), not by where they stand
    index = {id(c): k for k, c in enumerate(claims)}
    group_of = {id(m): g for g, group in enumerate(groups) for m in group.members}
    views = {id(item.claim): item for item in seen or ()}
    group_index = {id(group): g for g, group in enumerate(groups)}
    refs = {(claim_ref(item.claim), item.party): index[id(item.claim)] for item in seen or ()
            if id(item.claim) in index}
    return {
        "schema": SCHEMA,
        "scenario": scenario_id,
        "documents": [{"id": d.id, "path": d.path, "outlet": d.outlet, "date": d.date,
                       "language": d.language, "text": d.text} for d in documents],
        "claims": [_claim(c, views.get(id(c)), group_of.get(id(c)),
                          scenario_id is not None) for c in claims],
        "groups": [{"claims": [index[id(m)] for m in group.members],
                    "outlets": list(group.outlets),
                    "published_in": list(group.published_in),
                    "corroboration": group.corroboration,
                    "earliest": index[id(group.earliest)]} for group in groups],
        "disagreements": [{"actor": d.actor, "groups": [group_index[id(d.first)],
                                                        group_index[id(d.second)]],
                           "reason": d.reason} for d in disagreements],
        "contradictions": [_contradiction(c, refs) for c in contradictions],
        "updated": updated,
    }


def _claim(claim: Claim, seen: ScenarioClaim | None, group: int | None,
           with_scenario: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "document": claim.document, "start": claim.start, "end": claim.end,
        "text": claim.text,
        "speaker": {"name": claim.speaker, "actor": claim.actor,
                    "party": seen.party if seen else None},
        "reported_by": list(claim.reported_by), "certainty": claim.certainty,
        "cue": claim.cue, "kind": claim.kind, "group": group,
    }
    if with_scenario and seen is not None:
        data["issues"] = list(seen.issues)
        data["options"] = {issue: list(options) for issue, options in seen.options.items()}
        data["verdict"] = overall(list(seen.verdicts))
        data["verdicts"] = [{"party": v.party, "issue": v.issue, "options": list(v.options),
                             "verdict": v.verdict, "reason": v.reason,
                             "estimate": v.estimate} for v in seen.verdicts]
    else:
        data |= {"issues": [], "options": {}, "verdict": None, "verdicts": []}
    return data


def _contradiction(item: Contradiction, refs: dict[tuple[str, str | None], int],
                   ) -> dict[str, Any]:
    return {"claim": refs.get((item.ref, item.party)), "party": item.party, "issue": item.issue,
            "options": list(item.options), "reason": item.reason,
            "estimate": item.estimate, "outlet": item.outlet, "date": item.date,
            "certainty": item.certainty, "sentence": item.sentence}
