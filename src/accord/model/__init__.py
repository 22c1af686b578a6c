"""Domain model of accord: issues, options, parties, drafts, evidence, scenarios.

Depends on nothing else in accord except the error types.
"""

from accord.model.constraint import Constraint
from accord.model.evidence import Certainty, Evidence
from accord.model.issue import TOPICS, Issue, Option
from accord.model.party import Interaction, IssuePreference, OptionRef, Party, Term
from accord.model.plan import Draft, PlanPoint
from accord.model.rule import IssueRule, Rule, Threshold
from accord.model.scenario import Scenario

__all__ = [
    "TOPICS", "Certainty", "Constraint", "Draft", "Evidence", "Interaction", "Issue", "Term",
    "IssuePreference", "IssueRule", "Option", "OptionRef", "Party", "PlanPoint", "Rule",
    "Scenario", "Threshold",
]
