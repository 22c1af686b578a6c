"""Plan comparison: align the points of two plans (in one language or two), say what
became of each — carried over, modified, moved, new, dropped — and what changed; follow a
chain of revisions; find where each point of a plan first appeared; and, for drafts over
one scenario, whom a revision moves towards.

Knows nothing of files or the command line; depends on `accord.model` (and on
`accord.analysis` for the utility of drafts). See docs/diff.md.
"""

from accord.compare.annotations import Agreement, agreement
from accord.compare.classify import STATUSES, Status
from accord.compare.diff import Entry, PlanDiff, diff_plans
from accord.compare.encoders import (
    CharTfidfEncoder,
    TextEncoder,
    encoder_names,
    get_encoder,
    register_encoder,
)
from accord.compare.history import Origin, diff_chain, earlier_plans, first_appearances, lineage
from accord.compare.shift import IssueShift, UtilityShift, utility_shift

__all__ = [
    "STATUSES", "Agreement", "CharTfidfEncoder", "Entry", "IssueShift", "Origin", "PlanDiff",
    "Status", "TextEncoder", "UtilityShift", "agreement", "diff_chain", "diff_plans",
    "earlier_plans", "encoder_names", "first_appearances", "get_encoder", "lineage",
    "register_encoder", "utility_shift",
]
