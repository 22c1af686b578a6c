"""The exact analysis engine: pure functions over a compiled scenario.

Knows nothing of files, HTTP or the CLI; depends only on `accord.model`.
"""

from accord.analysis._progress import StageProgress
from accord.analysis.analyze import Analysis, FrontierRequest, Relaxation, analyze, distance
from accord.analysis.bargaining import (
    Solution,
    all_solutions,
    egalitarian,
    ideal_point,
    kalai_smorodinsky,
    nash_bargaining_solution,
    utilitarian,
)
from accord.analysis.blocking import BlockingSet, blocking_sets, relax
from accord.analysis.drafts import DraftProfile, draft_package, profile_draft
from accord.analysis.efficiency import Efficiency, pareto_efficiency
from accord.analysis.pareto import Frontier, frontier_sample, pareto_frontier
from accord.analysis.space import Demand, Space, compile_space
from accord.analysis.utility import utilities
from accord.analysis.zone import ZoneVerdict, zone_of_agreement

__all__ = [
    "Analysis", "BlockingSet", "Demand", "DraftProfile", "Efficiency", "Frontier",
    "FrontierRequest", "Relaxation", "Solution", "StageProgress", "frontier_sample",
    "pareto_frontier",
    "Space", "ZoneVerdict", "all_solutions", "analyze", "blocking_sets", "compile_space",
    "distance", "draft_package", "egalitarian", "ideal_point", "kalai_smorodinsky",
    "nash_bargaining_solution", "pareto_efficiency", "profile_draft", "relax", "utilitarian",
    "utilities", "zone_of_agreement",
]
