"""Random scenarios for tests, benchmarks and teaching (`accord generate`).

Drawn from a seeded numpy generator (never global random state): saliences from a
Dirichlet distribution, valuations uniform in [0, 1] with each issue's best option at 1,
red lines on a share of the issues (never every option of an issue), optional pairwise
interactions and hard constraints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from accord.model.constraint import Constraint
from accord.model.issue import Issue, Option
from accord.model.party import Interaction, IssuePreference, Party
from accord.model.plan import Draft
from accord.model.scenario import Scenario


def random_scenario(n_issues: int, n_options: int, n_parties: int, seed: int = 0,
                    red_line_rate: float = 0.1, reservation: tuple[float, float] = (0.3, 0.5),
                    n_interactions: int = 0, n_constraints: int = 0,
                    n_drafts: int = 2) -> Scenario:
    """A valid scenario of the given size; the same seed gives the same scenario."""
    fields: dict[str, Any] = {"parties": []}
    for key, value in scenario_sections(n_issues, n_options, n_parties, seed, red_line_rate,
                                        reservation, n_interactions, n_constraints, n_drafts):
        if key == "parties":
            fields["parties"].append(value)
        else:
            fields[key] = value
    return Scenario(**fields)


def scenario_sections(n_issues: int, n_options: int, n_parties: int, seed: int = 0,
                      red_line_rate: float = 0.1,
                      reservation: tuple[float, float] = (0.3, 0.5), n_interactions: int = 0,
                      n_constraints: int = 0, n_drafts: int = 2) -> Iterator[tuple[str, Any]]:
    """`random_scenario`'s fields in the order of the file, one party at a time.

    Yields `(field, value)`: id, title, issues, then `("parties", party)` once per party,
    then constraints and drafts. A writer can stream a very large scenario this way
    without holding every party (`accord generate` does).
    """
    rng = np.random.default_rng(seed)
    issues = tuple(
        Issue(id=f"i{i}", title=f"Issue {i}",
              options=tuple(Option(id=f"o{o}", label=f"Option {o} of issue {i}",
                                   position=100.0 * o / max(1, n_options - 1))
                            for o in range(n_options)))
        for i in range(n_issues))
    yield "id", f"random-{n_issues}x{n_options}x{n_parties}-s{seed}"
    yield "title", (f"Random scenario: {n_issues} issues x {n_options} options x "
                    f"{n_parties} parties (seed {seed})")
    yield "issues", issues
    for p in range(n_parties):
        yield "parties", _party(rng, p, issues, red_line_rate, reservation, n_interactions)
    yield "constraints", tuple(_constraint(rng, n_issues, n_options)
                               for _ in range(n_constraints))
    yield "drafts", tuple(
        Draft(id=f"draft-{k}", title=f"Random draft {k}",
              options={f"i{i}": f"o{int(rng.integers(n_options))}" for i in range(n_issues)})
        for k in range(n_drafts))


def _party(rng: np.random.Generator, p: int, issues: tuple[Issue, ...], red_line_rate: float,
           reservation: tuple[float, float], n_interactions: int) -> Party:
    saliences = rng.dirichlet(np.ones(len(issues)))
    preferences = {}
    for issue, salience in zip(issues, saliences):
        values = rng.random(len(issue.options))
        values = values / values.max()
        red = ()
        if len(issue.options) > 1 and rng.random() < red_line_rate:
            red = (issue.options[int(np.argmin(values))].id,)
        preferences[issue.id] = IssuePreference(
            salience=round(float(salience), 6),
            valuations={o.id: round(float(v), 6) for o, v in zip(issue.options, values)},
            red_lines=red)
    interactions = tuple(
        Interaction(a=_random_ref(rng, issues), b=_random_ref(rng, issues),
                    value=round(float(rng.uniform(-0.1, 0.1)), 6))
        for _ in range(n_interactions))
    return Party(id=f"p{p}", name=f"Party {p}", capability=round(float(rng.uniform(0.5, 2)), 6),
                 reservation=round(float(rng.uniform(*reservation)), 6),
                 preferences=preferences, interactions=interactions)


def _random_ref(rng: np.random.Generator, issues: tuple[Issue, ...]) -> str:
    issue = issues[int(rng.integers(len(issues)))]
    return f"{issue.id}/{issue.options[int(rng.integers(len(issue.options)))].id}"


def _constraint(rng: np.random.Generator, n_issues: int, n_options: int) -> Constraint:
    a, b = rng.choice(n_issues, size=2, replace=n_issues < 2)
    left = f"i{a}/o{int(rng.integers(n_options))}"
    right = f"i{b}/o{int(rng.integers(n_options))}"
    if rng.random() < 0.5:
        return Constraint(option=left, requires=right)
    return Constraint(option=left, excludes=right)
