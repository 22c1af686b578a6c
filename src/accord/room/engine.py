"""The bridge to `accord.analysis`: answers the mediator's questions from every delegation's
confidential preferences, returning only a verdict or a package, never anyone's numbers."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analysis import compile_space, nash_bargaining_solution, zone_of_agreement
from accord.model import Scenario


@dataclass(frozen=True)
class ZoneAnswer:
    """`verdict`: 'yes', 'no', 'incomplete' (some delegations have no preferences yet) or
    'unavailable' (the stored data cannot run the engine: `reason` says why and whose)."""

    verdict: str
    waiting_for: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """The next draft the engine suggests: issue id -> option id, or None with a reason."""

    package: dict[str, str] | None
    reason: str = ""


def build_scenario(negotiation_id: str, title: str, issues: list[dict],
                   delegations: list[tuple[str, str, dict]]) -> Scenario:
    """A Scenario from the stored issues and (party id, name, confidential preferences)."""
    parties = [{"id": party_id, "name": name, "reservation": prefs.get("reservation", 0.0),
                "preferences": prefs.get("preferences", {})}
               for party_id, name, prefs in delegations]
    return Scenario.build({"id": scenario_id(negotiation_id), "title": title,
                           "issues": [issue_data(issue) for issue in issues],
                           "parties": parties})


def zone_exists(scenario: Scenario | None, waiting_for: tuple[str, ...],
                reason: str = "") -> ZoneAnswer:
    """Is there a package every delegation prefers to no agreement, crossing no red line?"""
    if reason:
        return ZoneAnswer("unavailable", (), reason)
    if scenario is None or waiting_for:
        return ZoneAnswer("incomplete", waiting_for)
    verdict = zone_of_agreement(compile_space(scenario))
    return ZoneAnswer("yes" if verdict.exists else "no")


def propose_next_draft(scenario: Scenario | None, waiting_for: tuple[str, ...],
                       reason: str = "") -> Proposal:
    """The Nash bargaining package over the zone of agreement (Nash 1950)."""
    if reason:
        return Proposal(None, reason)
    if scenario is None or waiting_for:
        return Proposal(None, "waiting for preferences from: " + ", ".join(waiting_for))
    space = compile_space(scenario)
    solution = nash_bargaining_solution(space)
    if solution is None:
        return Proposal(None, "there is no zone of agreement to propose from")
    return Proposal(space.describe_package(solution.package))


def issue_data(issue: dict) -> dict:
    data = {"id": issue["id"], "title": issue["title"],
            "options": [{"id": o["id"], "label": o["label"]} for o in issue["options"]]}
    if issue.get("text"):
        data["text"] = issue["text"]
    return data


def scenario_id(negotiation_id: str) -> str:
    return "room-" + negotiation_id.lstrip("-_.") if negotiation_id else "room"
