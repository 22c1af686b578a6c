"""Who must agree: a scenario's decision rule.

A *coalition* (a set of parties) is *winning* under a rule when it has at least
`at_least` members, holds every party in `required` (veto players) and reaches every
weighted threshold (a share of a named party weight, or an absolute amount). A scenario
without a rule means unanimity: every party must agree, as before rules existed.

`issues` gives points decided by a rule of their own (e.g. a peace plan whose security
guarantees also need the guarantors). A package settles every point at once, so it
passes when the parties that accept it win under the scenario's rule and under the rule
of every point with one (their conjunction); a forecast of one issue uses that issue's
rule alone.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from accord.model._base import Count, Identifier, NonNegative, Record, UnitInterval

MEMBERS = "members"
"""The weight every party has 1 of: a threshold over it counts members (a share of them)."""
CAPABILITY = "capability"
"""The weight read from each party's `capability`."""


class Threshold(Record):
    """The winning side's total of one party weight must reach `share` of the whole (or
    `at_least`, an absolute amount): `{weight: population, share: 0.65}`."""

    weight: Identifier
    """`members`, `capability`, or a key of every party's `weights`."""
    share: UnitInterval | None = None
    """A fraction of the weight's total over all parties (reached or exceeded)."""
    at_least: NonNegative | None = None
    """An absolute amount of the weight (reached or exceeded)."""

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.share is None) == (self.at_least is None):
            raise ValueError("give either share (a fraction of the total) or at_least "
                             "(an absolute amount), not both and not neither")
        return self


class IssueRule(Record):
    """The conditions a winning coalition must meet (one rule, without per-issue parts)."""

    at_least: Count | None = None
    """Parties that must agree, at least."""
    required: tuple[Identifier, ...] = ()
    """Parties whose consent is required (veto players)."""
    thresholds: tuple[Threshold, ...] = ()
    """Weighted thresholds; several at once make a double (or triple) majority."""
    note: str | None = None
    """Where the rule comes from (a treaty article, the talks' format)."""

    @model_validator(mode="after")
    def _says_something(self) -> IssueRule:
        if self.at_least is None and not self.required and not self.thresholds:
            raise ValueError("a rule needs at least one of at_least, required or thresholds "
                             "(leave `rule` out for unanimity)")
        return self


class Rule(IssueRule):
    """A scenario's decision rule, with optional rules for single points."""

    issues: dict[str, IssueRule] = Field(default_factory=dict)
    """Issue id -> the rule that point is decided by, in addition to this one."""

    @model_validator(mode="after")
    def _says_something(self) -> Rule:
        if self.at_least is None and not self.required and not self.thresholds \
                and not self.issues:
            raise ValueError("a rule needs at least one of at_least, required, thresholds or "
                             "issues (leave `rule` out for unanimity)")
        return self
