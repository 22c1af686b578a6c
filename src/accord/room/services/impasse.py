"""What blocks the deal, and who may be told what of it (docs/room.md, "When there is no
deal"). The engine finds the minimal sets of demands in the way and candidate next texts
on every delegation's confidential preferences (`room.engine.impasse`); this module is the
disclosure policy that decides what of that each reader sees:

- the mediator reads a demand by delegation, point and options when the delegation shared
  that part of its preferences (its red lines, or its reservation) or chose `demands`; as
  the delegation's undisclosed demand when it chose `delegation`; otherwise as an
  undisclosed demand of some delegation (counted, never named). A candidate text names the
  delegations it would fail through demands the mediator may attribute (shared ones, or
  any of a delegation that chose `delegation` or `demands`) and counts the other demands
  it would not meet. No margin, utility or valuation is ever shown;
- each delegation reads, privately, which of its own demands are in the way and whether
  relaxing them alone would open a zone, or only together with other delegations' demands
  (never which, nor whose) — for preferences older than the current draft, so that it
  cannot probe the others' by changing its own again and again (one look per draft), and
  only when some demand of its own is in the way (else it learns nothing, not even whether
  there is a zone);
- observers read nothing of it.

Under a decision rule that is not unanimity the zone verdict says whether a package
*passes*, and the coalition that carries it tells who would accept it: derived from
confidential preferences, it follows the same policy (`coalition_view`). A delegation the
package leaves out is named only where a candidate text failing it would name it (some of
its unmet demands shared, or it chose `delegation` or `demands`), else counted; the
carriers are named only when every delegation left out is named (else their names would
name the counted ones by elimination), else counted. Delegations read nothing of it.

`desk` gathers the engine's part of the mediator's page (zone, impasse, agreed text) from
one read of the delegations' preferences.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.room import engine
from accord.room.db import Member
from accord.room.services.common import (
    DELEGATION,
    MEDIATOR,
    BadInput,
    Forbidden,
    NotFound,
    log_event,
    require,
)
from accord.room.services.drafts import current_draft
from accord.room.services.questions import (
    EngineInputs,
    confidential_scenario,
    remembered,
    settlement,
    zone,
)

_UNREAD = object()
DISCLOSURES = ("nothing", "delegation", "demands")
"""What the mediator may be told of a delegation's unshared demands that block a deal:
nothing (they are counted, never named), that this delegation holds one, or which demand."""


def set_disclosure(s: Session, actor: Member, level: str) -> str:
    """A delegation chooses what the mediator may be told of its demands in the way."""
    require(actor, DELEGATION)
    if level not in DISCLOSURES:
        raise BadInput(f"disclosure must be one of {', '.join(DISCLOSURES)}")
    actor.disclosure = level
    log_event(s, actor.negotiation_id, actor, "disclosure-changed", {"disclosure": level})
    return level


def impasse_for(s: Session, actor: Member, known: EngineInputs | None = None,
                current: Any = _UNREAD) -> dict[str, Any] | None:
    """What blocks the deal, as `actor` may read it (see the module's policy); None when
    nothing is known to block it (a zone exists, preferences are missing, or the engine
    cannot run on the stored data). `known` and `current` (the current draft) spare reading
    again what the caller has read."""
    if actor.role not in (MEDIATOR, DELEGATION):
        raise Forbidden("only the mediator and the delegations learn what blocks the deal")
    if actor.role == DELEGATION:
        current = current_draft(s, actor) if current is _UNREAD else current
        if not _settled_before(current, actor):
            return {"pending": True, "mine": [], "disclosure": actor.disclosure}
    scenario, waiting, reason, delegations = known or confidential_scenario(s, actor)
    if scenario is None or waiting or reason:
        return None
    found = remembered("impasse", delegations, scenario.id,
                       lambda: engine.impasse(scenario))
    if found is None:
        return None
    by_party = {m.party_id: m for m in delegations}
    if actor.role == MEDIATOR:
        return _mediator_view(found, by_party)
    view = _delegation_view(found, actor)
    return view if view["mine"] else None


def _settled_before(current: Any, actor: Member) -> bool:
    """Whether the delegation's preferences predate the current draft (one look per draft
    at what of its demands stands in the way); never before the first draft."""
    return current is not None and (actor.preferences_at is None
                                    or actor.preferences_at < current.published_at)


def _shared(demand: engine.Demand, member: Member) -> bool:
    field = "red_lines" if demand.kind == "red-line" else "reservation"
    return field in (member.shared or [])


def _as_mediator_reads(demand: engine.Demand, member: Member) -> dict[str, Any]:
    if _shared(demand, member) or member.disclosure == "demands":
        return {"delegation": member.name, "kind": demand.kind, "point": demand.issue,
                "options": list(demand.options)}
    if member.disclosure == "delegation":
        return {"delegation": member.name, "kind": "undisclosed"}
    return {"kind": "undisclosed"}


def _mediator_view(found: engine.Impasse, by_party: dict[str, Member]) -> dict[str, Any]:
    blocking = [[_as_mediator_reads(d, by_party[d.party]) for d in demands]
                for demands in found.blocking]
    candidates = []
    for candidate in found.candidates:
        named, unnamed = [], 0
        for party, demands in candidate.fails.items():
            member = by_party[party]
            hidden = [d for d in demands if member.disclosure == "nothing"
                      and not _shared(d, member)]
            if len(hidden) < len(demands) or member.disclosure != "nothing":
                named.append(member.name)
            unnamed += len(hidden)
        candidates.append({
            "kind": candidate.kind, "package": candidate.package,
            "relaxes": [_as_mediator_reads(d, by_party[d.party]) for d in candidate.relaxes],
            "fails": named, "fails_undisclosed": unnamed})
    return {"blocking": blocking, "candidates": candidates}


def _delegation_view(found: engine.Impasse, actor: Member) -> dict[str, Any]:
    """The actor's own demands in the way: for each, the sets it is in, as 'alone', 'with
    your …' (its own other demands) and whether other delegations' demands are needed."""
    mine: list[dict[str, Any]] = []
    for demands in found.blocking:
        own = [d for d in demands if d.party == actor.party_id]
        if not own:
            continue
        others = len(own) < len(demands)
        for demand in own:
            entry = next((e for e in mine if e["demand"] == demand), None)
            if entry is None:
                entry = {"demand": demand, "opens": []}
                mine.append(entry)
            entry["opens"].append({"with_own": [_own(d) for d in own if d != demand],
                                   "with_others": others})
    return {"mine": [{"kind": e["demand"].kind, "point": e["demand"].issue,
                      "options": list(e["demand"].options), "opens": e["opens"]}
                     for e in mine],
            "disclosure": actor.disclosure}


def _own(demand: engine.Demand) -> dict[str, Any]:
    return {"kind": demand.kind, "point": demand.issue, "options": list(demand.options)}


def propose_candidate(s: Session, actor: Member, index: int) -> engine.Proposal:
    """Candidate next draft `index` of the mediator's view (to fill the draft form)."""
    require(actor, MEDIATOR)
    view = impasse_for(s, actor)
    candidates = view["candidates"] if view else []
    if not 0 <= index < len(candidates):
        raise NotFound(f"no candidate draft {index}: the preferences may have changed; "
                       "reload the page")
    log_event(s, actor.negotiation_id, actor, "proposal-asked",
              {"found": True, "candidate": candidates[index]["kind"]})
    source = ("The text closest to acceptable for everyone"
              if candidates[index]["kind"] == "closest" else
              "The fair (Nash) package once the demands of candidate "
              f"{index + 1} are set aside")
    return engine.Proposal(candidates[index]["package"], source=source)


def coalition_view(answer: engine.ZoneAnswer,
                   delegations: list[Member]) -> dict[str, Any] | None:
    """Who carries the package that passes under the rule, and who it leaves out, as the
    mediator may read it (the module's policy); None under unanimity or when none passes."""
    if not answer.under_rule or answer.verdict != "yes":
        return None
    by_party = {m.party_id: m for m in delegations}
    named, counted = [], 0
    for party, demands in answer.left_out.items():
        member = by_party[party]
        if member.disclosure != "nothing" or any(_shared(d, member) for d in demands):
            named.append(member.name)
        else:
            counted += 1
    carriers = [by_party[party].name for party in answer.carried_by]
    return {"carried_by": carriers if not counted else [], "carriers": len(carriers),
            "delegations": len(delegations), "left_out": named,
            "left_out_undisclosed": counted}


def zone_report(s: Session, actor: Member) -> dict[str, Any]:
    """`api/zone`: the verdict, who is still missing, why the engine cannot run, and under
    a rule that is not unanimity `under_rule` (the verdict says whether a package passes)
    and the coalition as the mediator may read it (mediator). Under unanimity the answer
    is what it was before rules existed."""
    require(actor, MEDIATOR)
    known = confidential_scenario(s, actor)
    answer = zone(s, actor, known)
    found = {"verdict": answer.verdict, "waiting_for": list(answer.waiting_for)}
    found |= {"reason": answer.reason} if answer.reason else {}
    if answer.under_rule:
        found |= {"under_rule": True, "coalition": coalition_view(answer, known[3])}
    return found


def desk(s: Session, actor: Member, current: Any = None) -> dict[str, Any]:
    """The engine's part of the mediator's page — the zone verdict (and under a rule who
    carries a passing package), what blocks a deal when there is none, the agreed text and
    a better one — from one read of the delegations (and of `current`, the current draft,
    when the caller has read it)."""
    require(actor, MEDIATOR)
    known = confidential_scenario(s, actor)
    verdict = zone(s, actor, known)
    return {"zone": verdict, "coalition": coalition_view(verdict, known[3]),
            "settlement": settlement(s, actor, known, current),
            "impasse": impasse_for(s, actor, known) if verdict.verdict == "no" else None}
