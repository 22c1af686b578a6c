"""The decision rule of each issue, for forecasts of one issue at a time.

`accord.analysis.rule.compile_rule` joins a scenario's rule with every per-issue rule,
because a package settles every point at once. A forecast of one issue needs that
issue's rule alone: the scenario's rule joined with the issue's own rule, if it has one
(`accord.model.rule`). A scenario without a rule means unanimity.
"""

from __future__ import annotations

from accord.analysis.rule import WinningRule, compile_rule
from accord.model import Scenario


def issue_rule(scenario: Scenario, issue_id: str) -> WinningRule:
    """The rule deciding one issue: the scenario's rule and that issue's own rule (the
    other issues' rules left out), over all the scenario's parties in their order."""
    if scenario.rule is None:
        return WinningRule.unanimity(len(scenario.parties))
    own = scenario.rule.issues.get(issue_id)
    alone = scenario.rule.model_copy(update={"issues": {issue_id: own} if own else {}})
    return compile_rule(scenario.model_copy(update={"rule": alone}))


def issue_rules(scenario: Scenario) -> tuple[WinningRule, ...]:
    """`issue_rule` of every issue, in the scenario's order."""
    return tuple(issue_rule(scenario, issue.id) for issue in scenario.issues)
