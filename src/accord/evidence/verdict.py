"""A claim set against the scenario: does the news support the analyst's estimate of a
party's position on an issue, contradict it, or tell something the scenario does not hold?

The rules (docs/evidence.md), for a claim by party p naming options O on issue i:

- the scenario holds nothing for p on i (no preference, or salience 0 with no valuations
  that tell options apart) → `new`;
- p *wants* O (a demand, proposal, statement or confirmation): `supports` when some named
  option is among p's best (valuation within `BEST_MARGIN` of p's best on i) or, with an
  ideal point (`positions`), within `POSITION_MARGIN` of it; `contradicts` when every
  named option is a red line of p or valued at least `FAR_MARGIN` below p's best (a
  clearly different position); between the two, `supports` (an acceptable option);
- p *rejects* O (a denial): the mirror image — `contradicts` when a named option is among
  p's best, `supports` when every named option is a red line or far from its best;
- no option named, a meeting, a no-comment, or no party: no verdict (None): there is
  nothing to set against a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from accord.model import Scenario
from accord.model.party import IssuePreference, Party

VerdictName = Literal["supports", "contradicts", "new"]
VERDICTS: tuple[VerdictName, ...] = ("supports", "contradicts", "new")

BEST_MARGIN = 0.25
"""An option valued within this of the party's best on the issue is among its best."""
FAR_MARGIN = 0.5
"""An option valued this far below the party's best is a clearly different position."""
POSITION_MARGIN = 25.0
"""An option this close to the party's ideal point (0-100 line) agrees with it."""

WANTING = frozenset({"demand", "proposal", "statement", "confirmation"})
REJECTING = frozenset({"denial"})


@dataclass(frozen=True)
class IssueVerdict:
    """The verdict of one claim on one issue for one party, and why."""

    party: str
    issue: str
    options: tuple[str, ...]
    verdict: VerdictName | None
    reason: str
    estimate: str
    """The scenario's estimate in words: the party's best options and red lines on the issue."""


def estimate_text(scenario: Scenario, party: Party, issue_id: str) -> str:
    """The party's best options and red lines on an issue, as the scenario holds them."""
    preference = party.preferences.get(issue_id)
    if preference is None or not preference.valuations:
        return f"the scenario holds no position for {party.id} on {issue_id}"
    labels = {o.id: o.id for o in scenario.issue(issue_id).options}
    best = ", ".join(labels.get(o, o) for o in _best(preference))
    text = f"{party.id} values {best} most on {issue_id}"
    if preference.red_lines:
        text += f"; red lines: {', '.join(preference.red_lines)}"
    return text


def _best(preference: IssuePreference) -> list[str]:
    top = max(preference.valuations.values())
    return [o for o, v in preference.valuations.items() if v >= top - BEST_MARGIN]


def _holds_nothing(preference: IssuePreference | None) -> bool:
    if preference is None or not preference.valuations:
        return True
    values = preference.valuations.values()
    return preference.salience == 0 and max(values) == min(values) and not preference.red_lines


def _fit(scenario: Scenario, party: Party, issue_id: str, option: str) -> str:
    """How one option sits with the party's estimate: `best`, `far` or `between`."""
    preference = party.preferences[issue_id]
    if option in preference.red_lines:
        return "far"
    ideal = party.positions.get(issue_id)
    position = next((o.position for o in scenario.issue(issue_id).options if o.id == option),
                    None)
    if ideal is not None and position is not None:
        gap = abs(position - ideal)
        return "best" if gap <= POSITION_MARGIN else "far" if gap >= 2 * POSITION_MARGIN else \
            "between"
    top = max(preference.valuations.values())
    value = preference.valuations.get(option)
    if value is None:
        return "between"
    return "best" if value >= top - BEST_MARGIN else "far" if value <= top - FAR_MARGIN else \
        "between"


def judge_issue(scenario: Scenario, party_id: str, issue_id: str,
                options: tuple[str, ...], kind: str) -> IssueVerdict:
    """The verdict of a claim by `party_id` naming `options` (of this issue) on one issue."""
    party = scenario.party(party_id)
    estimate = estimate_text(scenario, party, issue_id)
    known = {o.id for o in scenario.issue(issue_id).options}
    options = tuple(o for o in options if o in known)

    def verdict(name: VerdictName | None, reason: str) -> IssueVerdict:
        return IssueVerdict(party_id, issue_id, options, name, reason, estimate)

    if kind not in WANTING | REJECTING:
        return verdict(None, f"a {kind} states no position")
    if _holds_nothing(party.preferences.get(issue_id)):
        return verdict("new", f"the scenario holds no position for {party_id} on {issue_id}")
    if not options:
        return verdict(None, "the claim names no option of the issue")
    fits = {o: _fit(scenario, party, issue_id, o) for o in options}
    named = ", ".join(options)
    if kind in REJECTING:
        if any(f == "best" for f in fits.values()):
            return verdict("contradicts", f"{party_id} is said to reject {named}, among its "
                                          "best options in the scenario")
        if all(f == "far" for f in fits.values()):
            return verdict("supports", f"{party_id} rejects {named}, far from its best")
        return verdict(None, f"{party_id} rejects {named}, neither its best nor far from it")
    if any(f == "best" for f in fits.values()):
        return verdict("supports", f"{party_id} wants {named}, among its best options")
    if all(f == "far" for f in fits.values()):
        return verdict("contradicts", f"{party_id} is said to want {named}, a red line or "
                                      "far from its best in the scenario")
    return verdict("supports", f"{party_id} wants {named}, an acceptable option for it")


def judge_claim(scenario: Scenario, party_id: str | None, issues: Sequence[str],
                options: Mapping[str, Sequence[str]], kind: str) -> list[IssueVerdict]:
    """One verdict per issue the claim bears on (`options`: issue id -> the option ids it
    names there, as `matching.match_text` gives them); empty without a scenario party."""
    if party_id is None or party_id not in {p.id for p in scenario.parties}:
        return []
    return [judge_issue(scenario, party_id, issue_id, tuple(options.get(issue_id, ())), kind)
            for issue_id in issues]


def overall(verdicts: list[IssueVerdict]) -> VerdictName | None:
    """A claim's verdict: contradicts if any issue does, else supports, else new, else None."""
    names = {v.verdict for v in verdicts}
    return next((name for name in ("contradicts", "supports", "new") if name in names), None)
