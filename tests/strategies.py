"""Hypothesis builders of small random scenarios (the brute-force oracle's domain)."""

from __future__ import annotations

from hypothesis import strategies as st

from accord.model import (
    Constraint,
    Interaction,
    Issue,
    IssuePreference,
    Option,
    Party,
    Scenario,
    Term,
)

GRID = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 1.0])
"""Coarse values make ties likely (the hard cases for tie-breaking and tolerances)."""
VALUE = st.one_of(GRID, st.floats(0.0, 1.0, allow_nan=False))


@st.composite
def scenarios(draw: st.DrawFn, max_issues: int = 5, max_options: int = 4, max_parties: int = 4,
              interactions: bool = True, constraints: bool = True) -> Scenario:
    """A valid scenario with at most max_options ** max_issues packages."""
    n_issues = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(1, max_options)) for _ in range(n_issues)]
    issues = tuple(Issue(id=f"i{i}", title=f"issue {i}",
                         options=tuple(Option(id=f"o{o}", label=f"option {o}") for o in range(n)))
                   for i, n in enumerate(sizes))
    n_parties = draw(st.integers(1, max_parties))
    parties = tuple(draw(_party(p, issues, interactions)) for p in range(n_parties))
    hard = ()
    if constraints:
        hard = tuple(draw(st.lists(_constraint(issues), max_size=2)))
    return Scenario(id="random", title="random", issues=issues, parties=parties, constraints=hard)


def _ref(issues: tuple[Issue, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from([f"{i.id}/{o.id}" for i in issues for o in i.options])


@st.composite
def _party(draw: st.DrawFn, p: int, issues: tuple[Issue, ...], interactions: bool) -> Party:
    preferences = {}
    for issue in issues:
        if draw(st.integers(0, 9)) == 0:
            continue  # the party does not care about this issue
        option_ids = issue.option_ids()
        red = draw(st.lists(st.sampled_from(option_ids), unique=True,
                            max_size=max(0, len(option_ids) - 1)))
        if draw(st.integers(0, 2)) > 0:
            red = []
        preferences[issue.id] = IssuePreference(
            salience=draw(st.one_of(GRID, st.floats(0.0, 2.0))),
            valuations={o: draw(VALUE) for o in option_ids}, red_lines=tuple(red))
    pairs: tuple[Interaction, ...] = ()
    boxes: tuple[Term, ...] = ()
    if interactions:
        pairs = tuple(Interaction(a=draw(_ref(issues)), b=draw(_ref(issues)),
                                  value=draw(st.floats(-0.5, 0.5)))
                      for _ in range(draw(st.integers(0, 2))))
        boxes = tuple(draw(_term(issues)) for _ in range(draw(st.integers(0, 2))))
    return Party(id=f"p{p}", name=f"party {p}", capability=draw(st.floats(0.0, 3.0)),
                 reservation=draw(st.one_of(GRID, st.floats(-0.5, 2.0))),
                 preferences=preferences, interactions=pairs, terms=boxes)


@st.composite
def _term(draw: st.DrawFn, issues: tuple[Issue, ...]) -> Term:
    """A value over a box of one to three issues, inside or outside it."""
    chosen = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=3,
                           unique_by=lambda issue: issue.id))
    when = {issue.id: tuple(draw(st.lists(st.sampled_from(issue.option_ids()), min_size=1,
                                          unique=True)))
            for issue in chosen}
    return Term(value=draw(st.one_of(GRID, st.floats(-0.5, 0.5))), when=when,
                outside=draw(st.booleans()))


@st.composite
def _constraint(draw: st.DrawFn, issues: tuple[Issue, ...]) -> Constraint:
    a, b = draw(_ref(issues)), draw(_ref(issues))
    if draw(st.booleans()):
        return Constraint(option=a, requires=b)
    return Constraint(option=a, excludes=b)


@st.composite
def ruled_scenarios(draw: st.DrawFn, max_issues: int = 4, max_options: int = 3,
                    max_parties: int = 4) -> Scenario:
    """A small scenario with a decision rule other than unanimity (a quorum, veto players
    and sometimes a weighted threshold over a `votes` weight)."""
    from accord.model import Rule, Threshold

    base = draw(scenarios(max_issues, max_options, max_parties))
    n = len(base.parties)
    ids = [party.id for party in base.parties]
    votes = [draw(st.integers(0, 5)) for _ in ids]
    parties = tuple(party.model_copy(update={"weights": {"votes": float(v)}})
                    for party, v in zip(base.parties, votes))
    at_least = draw(st.integers(1, n))
    required = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=max(0, n - 1))))
    thresholds = ()
    if sum(votes) > 0 and draw(st.booleans()):
        thresholds = (Threshold(weight="votes", share=draw(st.sampled_from([0.5, 0.6, 2 / 3]))),)
    rule = Rule(at_least=at_least, required=required, thresholds=thresholds)
    return Scenario.build(base.model_copy(update={"parties": parties, "rule": rule})
                          .model_dump(mode="json", exclude_defaults=True))
