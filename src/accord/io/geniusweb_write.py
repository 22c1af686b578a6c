"""GeniusWeb JSON written from a Scenario: one `LinearAdditiveUtilitySpace` profile per party.

GeniusWeb wants, for each party, weights that sum to exactly 1 (checked in decimal) and a
utility in [0, 1] for every value of every issue; a bid's utility is Σ weight × utility.
accord's additive utility Σ salience × valuation maps onto it issue by issue: the product
`weight × utility` of each option is `salience × valuation`, so reading the files back
(`load_geniusweb`) gives the same utilities, with two exceptions that `geniusweb_losses` names:

- **scale.** A party whose best package is worth S = Σ salience × best valuation > 1 cannot
  be written unscaled (GeniusWeb utilities stop at 1): its utilities and reservation are
  divided by S. The zone, Nash and Kalai–Smorodinsky answers do not depend on a party's scale;
  the utilitarian and egalitarian ones add and compare utilities across parties, so they may
  change when the parties' divisors differ. With S ≤ 1 nothing is rescaled: the unused weight
  1 − S goes to the party's most important issue, whose utilities shrink to match.
- **reservation.** GeniusWeb has no reservation value, only a reservation *bid* whose utility
  is the reservation (GeniusWeb and `load_geniusweb` count the issues a partial bid leaves out
  as 0). accord writes the (partial) bid whose utility, as the reader computes it, is nearest
  to the party's reservation, exact whenever some bid hits it; 0 needs no bid (null).

Issues, options and parties are named by their ids (titles, labels and names are not kept:
GeniusWeb has no place for them), every issue is written as a discrete value set, and the
domain is named by the scenario id. Red lines, interactions, terms, constraints, drafts,
capabilities, discount factors, a decision rule, sources and forecasting data are left out.
"""

from __future__ import annotations

import decimal
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from accord.io._losses import common_losses, red_line_count
from accord.io._names import readable, unique_ids
from accord.model import Party, Scenario

LINEAR = "LinearAdditiveUtilitySpace"
_CONTEXT = decimal.Context(prec=60)
_DIGITS = 17
"""Significant digits of a rescaled weight (a float has at most 17)."""
RESERVATION_STATES = 100_000
"""Partial sums the reservation-bid search keeps per issue (past it, they are thinned)."""
EXACT = 1e-12
TOLERANCE = 1e-7
"""The engine's: a package is acceptable to a party at utility ≥ reservation − TOLERANCE."""
"""A reservation read back within this (relative) distance counts as kept."""
_NUMBER = "@@accord-number:"


# --------------------------------------------------------------------------- one party


def _plan(scenario: Scenario, party: Party) -> tuple[list[Decimal], list[list[float]], float]:
    """Weights (decimal, summing to exactly 1), utilities per issue and option, and the
    divisor applied to the party's utilities (1 unless its best package is worth more)."""
    contributions, utilities = [], []
    for issue in scenario.issues:
        pref = party.preferences.get(issue.id)
        valuations = [pref.valuations[o.id] if pref else 0.0 for o in issue.options]
        best = max(valuations)
        if pref is None or pref.salience == 0 or best <= 0:
            contributions.append(Decimal(0))
            utilities.append([0.0] * len(valuations))
        else:
            contributions.append(Decimal(repr(pref.salience * best)))
            utilities.append([v / best for v in valuations])
    total = _CONTEXT.create_decimal(sum(contributions, Decimal(0)))
    top = max(range(len(contributions)), key=lambda i: contributions[i])
    if total > 1 + Decimal(EXACT):  # (a sum above 1 by float noise alone is not rescaled)
        weights = [_CONTEXT.divide(c, total) for c in contributions]
        weights = [w if w == 0 else w.quantize(_step(w), rounding=decimal.ROUND_HALF_EVEN)
                   for w in weights]
        weights[top] = _CONTEXT.subtract(Decimal(1), sum(
            (w for i, w in enumerate(weights) if i != top), Decimal(0)))
        return weights, utilities, float(total)
    weights = list(contributions)
    if total < 1:  # the unused weight goes to the top issue, whose utilities shrink to match
        weights[top] = _CONTEXT.subtract(Decimal(1), _CONTEXT.subtract(total, contributions[top]))
        share = float(contributions[top]) / float(weights[top])
        utilities[top] = [min(1.0, u * share) for u in utilities[top]]
    return weights, utilities, 1.0


def _step(value: Decimal) -> Decimal:
    """The unit of the last of `_DIGITS` significant digits of `value`."""
    return Decimal(1).scaleb(value.adjusted() - _DIGITS + 1)


def _reservation_bid(scenario: Scenario, weights: list[Decimal], utilities: list[list[float]],
                     target: float) -> tuple[dict[str, str] | None, float, bool]:
    """The (partial) reservation bid to write for a party whose reservation is `target` (on
    the written scale), its utility as `load_geniusweb` computes it, and whether every
    package stays exactly as acceptable to the party as before.

    Preferred: the bid nearest to `target` among those that leave every package exactly as
    acceptable as before (a package is acceptable at utility ≥ reservation − TOLERANCE);
    else the nearest bid of all.
    """
    if target <= 0:
        return None, 0.0, True  # utilities are ≥ 0: every package stays acceptable
    rows = [[float(w) * u for u in row] for w, row in zip(weights, utilities)]
    floor = target - TOLERANCE
    low, _, high, _ = _nearest_sums(rows, floor, partial=False)
    below, below_choice, above, above_choice = _nearest_sums(rows, target, partial=True)
    keeps_zone = (-np.inf if low is None else low + TOLERANCE,
                  np.inf if high is None else high + TOLERANCE)
    candidates = [(value, choice) for value, choice in ((below, below_choice),
                                                        (above, above_choice))
                  if value is not None]
    inside = [c for c in candidates if keeps_zone[0] < c[0] <= keeps_zone[1]]
    value, picked = min(inside or candidates, key=lambda c: (abs(c[0] - target), c[0] < target))
    bid = {issue.id: issue.options[int(o)].id for issue, o in zip(scenario.issues, picked)
           if o >= 0}
    return (bid or None), value, bool(inside)


def _nearest_sums(rows: list[list[float]], target: float, partial: bool,
                  ) -> tuple[float | None, np.ndarray, float | None, np.ndarray]:
    """The largest sum ≤ `target` and the smallest > it of one value per row (or none of a
    row, when `partial`), added in row order from 0.0 as `load_geniusweb` adds them, each
    with its choice per row (-1: left out).

    Row by row: sums above the target only grow, so each is a candidate and is not
    extended; sums at or below it are kept, thinned past RESERVATION_STATES to the largest
    in each of as many equal slices below the target (then the answer may be near, not
    nearest).
    """
    n = len(rows)
    all_steps = [np.array(([0.0] if partial else []) + row) for row in rows]
    offset = -1 if partial else 0  # step index → option index
    sums = np.zeros(1)
    choices = np.zeros((1, 0), dtype=np.int32)
    above: tuple[float, np.ndarray] | None = None
    for k, steps in enumerate(all_steps):
        grown = (sums[:, None] + steps[None, :]).ravel()
        parent, option = np.divmod(np.arange(len(grown)), len(steps))

        def choice(at: np.ndarray) -> np.ndarray:
            return np.column_stack([choices[parent[at]], option[at] + offset])

        over = np.flatnonzero(grown > target)
        if len(over):  # completed with the smallest step of every later row
            at = over[np.argmin(grown[over])]
            value, full = float(grown[at]), np.full(n, -1, dtype=np.int32)
            full[:k + 1] = choice(np.array([at]))[0]
            for j in range(k + 1, n):
                cheapest = int(np.argmin(all_steps[j]))
                value += float(all_steps[j][cheapest])
                full[j] = cheapest + offset
            if above is None or value < above[0]:
                above = (value, full)
        under = np.flatnonzero(grown <= target)
        values, first = np.unique(grown[under], return_index=True)
        under = under[first]
        if len(values) > RESERVATION_STATES:
            slices = np.floor(values / max(abs(target), 1e-300) * RESERVATION_STATES)
            _, last = np.unique(slices[::-1], return_index=True)
            chosen = np.sort(len(values) - 1 - last)  # the largest sum in each slice
            values, under = values[chosen], under[chosen]
        sums, choices = values, choice(under)
        if not len(sums) or (partial and sums[-1] == target):
            break
    below_choice = np.full(n, -1, dtype=np.int32)
    if not len(sums):
        below = None
    else:
        below = float(sums[-1])
        below_choice[:choices.shape[1]] = choices[-1]
        if not partial and choices.shape[1] < n:
            below = None
    if above is None:
        return below, below_choice, None, below_choice
    return below, below_choice, above[0], above[1]


@dataclass(frozen=True)
class _Profile:
    """What `save_geniusweb` writes for one party, and what reading it back gives."""

    weights: list[Decimal]
    utilities: list[list[float]]
    divisor: float
    reservation_bid: dict[str, str] | None
    reservation: float
    """The party's reservation as the written files give it (on the written scale)."""
    same_zone: bool
    """Whether that reservation leaves the same packages acceptable to the party."""


def _profiles(scenario: Scenario) -> list[_Profile]:
    profiles = []
    for party in scenario.parties:
        weights, utilities, divisor = _plan(scenario, party)
        found = _reservation_bid(scenario, weights, utilities, party.reservation / divisor)
        profiles.append(_Profile(weights, utilities, divisor, *found))
    return profiles


def _names(texts: list[str], ids: list[str], prefix: str) -> list[str]:
    """`texts` when they are distinct, non-empty and reading them back gives `ids` again
    (`load_geniusweb` makes ids of names), else `ids`: ids always survive."""
    if all(t.strip() for t in texts) and len(set(texts)) == len(texts) \
            and unique_ids(texts, prefix) == ids:
        return list(texts)
    return list(ids)


def _domain(scenario: Scenario) -> tuple[dict[str, Any], list[str], list[list[str]]]:
    """The GeniusWeb domain, the issue names and each issue's value names."""
    issue_names = _names([i.title for i in scenario.issues], [i.id for i in scenario.issues],
                         "issue-")
    values = [_names([o.label for o in i.options], i.option_ids(), "v")
              for i in scenario.issues]
    domain = {"name": scenario.id,
              "issuesValues": {name: {"values": list(vals)}
                               for name, vals in zip(issue_names, values)}}
    return domain, issue_names, values


def geniusweb_profile(scenario: Scenario, party_id: str) -> dict[str, Any]:
    """One party's `LinearAdditiveUtilitySpace` as JSON data (weights as exact decimals)."""
    k = [p.id for p in scenario.parties].index(party_id)
    return _profile_data(scenario, k, _profiles(scenario)[k])


def _profile_data(scenario: Scenario, k: int, profile: _Profile) -> dict[str, Any]:
    domain, issue_names, values = _domain(scenario)
    party_names = _names([p.name for p in scenario.parties], [p.id for p in scenario.parties],
                         "party-")
    by_option = {(issue.id, option.id): value for issue, vals in zip(scenario.issues, values)
                 for option, value in zip(issue.options, vals)}
    issue_name = dict(zip([i.id for i in scenario.issues], issue_names))
    bid = profile.reservation_bid
    return {LINEAR: {
        "domain": domain,
        "name": party_names[k],
        "issueWeights": {name: f"{_NUMBER}{w}" for name, w in zip(issue_names,
                                                                  profile.weights)},
        "issueUtilities": {name: {"DiscreteValueSetUtilities": {"valueUtilities": dict(
            zip(vals, row))}} for name, vals, row in zip(issue_names, values,
                                                         profile.utilities)},
        "reservationBid": None if bid is None else {"issuevalues": {
            issue_name[i]: by_option[(i, o)] for i, o in bid.items()}},
    }}


def geniusweb_json(data: dict[str, Any]) -> str:
    """JSON text of profile data, the exact decimal weights written as numbers."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return re.sub(r'"' + re.escape(_NUMBER) + r'([-+0-9.eE]+)"', r"\1", text) + "\n"


def geniusweb_file_names(scenario: Scenario) -> tuple[str, list[str]]:
    """`<id>.json` for the domain and `<id>_<k>_<party>.json` per party, numbered so that
    reading the folder (in name order) gives the parties in their order."""
    width = len(str(len(scenario.parties)))
    return (f"{scenario.id}.json",
            [f"{scenario.id}_{k:0{width}d}_{party.id}.json"
             for k, party in enumerate(scenario.parties, start=1)])


def save_geniusweb(scenario: Scenario, folder: str | Path) -> list[Path]:
    """Write the scenario as GeniusWeb JSON into `folder` (created if needed): the domain
    and one LinearAdditiveUtilitySpace profile per party. Returns the files, domain first.

    What GeniusWeb cannot hold is left out or changed; `geniusweb_losses` lists it.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    domain_file, profile_files = geniusweb_file_names(scenario)
    written = [folder / domain_file]
    written[0].write_text(geniusweb_json(_domain(scenario)[0]), encoding="utf-8")
    for k, (profile, name) in enumerate(zip(_profiles(scenario), profile_files)):
        path = folder / name
        path.write_text(geniusweb_json(_profile_data(scenario, k, profile)), encoding="utf-8")
        written.append(path)
    return written


def save_geniusweb_profile(scenario: Scenario, path: str | Path) -> list[Path]:
    """Write a one-party scenario as a single GeniusWeb profile file `path`."""
    if len(scenario.parties) != 1:
        raise ValueError("one profile file holds one party; write a folder for "
                         f"{len(scenario.parties)} parties")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(geniusweb_json(_profile_data(scenario, 0, _profiles(scenario)[0])),
                    encoding="utf-8")
    return [path]


# --------------------------------------------------------------------------- losses


def geniusweb_losses(scenario: Scenario) -> list[str]:
    """What GeniusWeb JSON cannot hold of this scenario (dropped or changed by
    `save_geniusweb`), in words; empty when the files read back the same."""
    parties = scenario.parties
    losses = []
    red = red_line_count(scenario)
    if red:
        losses.append(f"{red} red line(s): GeniusWeb has no vetoes")
    interactions = sum(len(party.interactions) for party in parties)
    if interactions:
        losses.append(f"{interactions} interaction(s): a LinearAdditiveUtilitySpace is "
                      "additive over issues")
    terms = sum(len(party.terms) for party in parties)
    if terms:
        losses.append(f"{terms} term(s) over several points (non-linear utility): a "
                      "LinearAdditiveUtilitySpace is additive over issues")
    if scenario.constraints:
        losses.append(f"{len(scenario.constraints)} hard constraint(s)")
    if scenario.drafts:
        losses.append(f"{len(scenario.drafts)} draft(s)")
    if scenario.rule is not None:
        losses.append("the decision rule (read back, every party must agree)")
    if any(party.capability != 1.0 for party in parties):
        losses.append("capabilities: GeniusWeb profiles have no power weights")
    if any(party.discount_factor != 1.0 for party in parties):
        losses.append("discount factors: a GeniusWeb profile has none")
    profiles = _profiles(scenario)
    for party, profile in zip(parties, profiles):
        wanted = party.reservation / profile.divisor
        if abs(profile.reservation - wanted) > EXACT * max(1.0, abs(wanted)):
            losses.append(f"the reservation of {party.id}: {_num(wanted)} becomes "
                          f"{_num(profile.reservation)}, " + (
                              "as GeniusWeb utilities are at least 0 (no reservation bid)"
                              if wanted < 0 else "the utility of the nearest reservation "
                              "bid (GeniusWeb has a reservation bid, not a value)") + (
                              "; the same packages stay acceptable to it"
                              if profile.same_zone else ""))
    scaled = [(party.id, profile.divisor) for party, profile in zip(parties, profiles)
              if profile.divisor != 1.0]
    if scaled:
        divisors = {d for _, d in scaled}
        same = len(scaled) == len(parties) and len(divisors) == 1
        losses.append(
            "the utility scale: GeniusWeb utilities are at most 1, so the utilities and "
            "reservation of " + ", ".join(f"{p} (÷ {_num(d)})" for p, d in scaled)
            + " are divided by the party's best utility; " + (
                "the same divisor for every party changes no answer" if same else
                "the utilitarian and egalitarian packages, which add and compare utilities "
                "across parties, may change"))
    names = _lost_names(scenario)
    if names:
        losses.append(f"names GeniusWeb has no place for: {names} (written as ids)")
    return losses + [loss for loss in common_losses(scenario)
                     if not loss.endswith(("hard constraint(s)", "draft(s)"))]


def _lost_names(scenario: Scenario) -> str:
    domain, issue_names, values = _domain(scenario)
    parts = []
    if scenario.title != readable(scenario.id) or scenario.description:
        parts.append("the scenario's title and description")
    titles = sum(1 for i, n in zip(scenario.issues, issue_names) if i.title != n)
    labels = sum(1 for i, vals in zip(scenario.issues, values)
                 for o, v in zip(i.options, vals) if o.label != v)
    party_names = _names([p.name for p in scenario.parties], [p.id for p in scenario.parties],
                         "party-")
    names = sum(1 for p, n in zip(scenario.parties, party_names) if p.name != n)
    for count, what in ((titles, "issue title(s)"), (labels, "option label(s)"),
                        (names, "party name(s)")):
        if count:
            parts.append(f"{count} {what}")
    return ", ".join(parts)


def _num(value: float) -> str:
    return f"{value:.6g}"


def geniusweb_round_trip(scenario: Scenario) -> Scenario:
    """The scenario as GeniusWeb JSON gives it back (written and read in a temporary folder)."""
    import tempfile

    from accord.io.geniusweb import load_geniusweb_folder

    with tempfile.TemporaryDirectory(prefix="accord-convert-") as folder:
        save_geniusweb(scenario, folder)
        return load_geniusweb_folder(folder)
