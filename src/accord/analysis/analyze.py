"""One call that answers the mediator's questions about a scenario."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from accord.analysis._progress import (
    DRAFTS,
    FRONTIER,
    FRONTIER_SAMPLE,
    RELAXATIONS,
    ZONE,
    StageProgress,
    stage,
)
from accord.analysis.bargaining import (
    SOLUTION_NAMES,
    Solution,
    all_solutions,
    egalitarian,
    solution_tasks,
    solutions_except_egalitarian,
)
from accord.analysis.blocking import BlockingSet, blocking_sets, relax
from accord.analysis.drafts import OPEN, DraftProfile, draft_package, profile_draft
from accord.analysis.pareto import (
    DEFAULT_MAX_STATES,
    Frontier,
    Progress,
    frontier_sample,
    pareto_frontier,
)
from accord.analysis.frontier_solutions import frontier_solutions
from accord.analysis.passing import DraftCoalition, draft_coalition
from accord.analysis.rule import MAX_POWER_PARTIES, Power, power_indices
from accord.analysis.space import Space, compile_space
from accord.analysis.zone import ZoneVerdict, zone_of_agreement
from accord.model import Scenario


@dataclass(frozen=True)
class Relaxation:
    """What a deal would look like if one blocking set were relaxed."""

    blocking: BlockingSet
    solutions: dict[str, Solution]


@dataclass(frozen=True)
class Analysis:
    """Zone verdict, blocking sets, bargaining solutions and draft profiles."""

    scenario: Scenario
    space: Space
    zone: ZoneVerdict
    blocking: list[BlockingSet]
    solutions: dict[str, Solution]
    relaxations: list[Relaxation]
    profiles: list[DraftProfile] = field(default_factory=list)
    frontier: Frontier | None = None
    frontier_red_lines: bool = False
    power: Power | None = None
    """Each party's power under the rule (None past `MAX_POWER_PARTIES` parties)."""
    coalitions: list[DraftCoalition] = field(default_factory=list)
    """Per draft profile: who accepts it, whether they carry it, who is pivotal."""

    @property
    def feasible(self) -> bool:
        """False when red lines and hard constraints leave no package at all, relaxations aside."""
        return self.zone.package is not None or bool(self.blocking)

    def describe(self, package: Solution | DraftProfile | np.ndarray | Sequence[int], *,
                 ids: bool = False) -> dict[str, str | None]:
        """A package as people read it: issue title -> option label, in issue order.

        `package` is a row of option indices (a frontier row, `zone.package`) or anything
        carrying one: a Solution (`analysis.solutions["nash"]`) or a DraftProfile. Issues a
        draft leaves open map to None. With `ids=True`, issue id -> option id instead (as
        `Space.describe_package`, and as `analyze --json` writes packages). Two issues with
        the same title are told apart by their ids in brackets.
        """
        indices = np.asarray(getattr(package, "package", package), dtype=np.int64)
        if indices.shape != (self.space.n_issues,):
            raise ValueError(f"a package has one option index per issue "
                             f"({self.space.n_issues}), got shape {indices.shape}")
        chosen = self.space.describe_package(np.where(indices == OPEN, 0, indices))
        titles = Counter(issue.title for issue in self.scenario.issues)
        named: dict[str, str | None] = {}
        for issue, option_id, index in zip(self.scenario.issues, chosen.values(), indices):
            key = issue.id if ids else (issue.title if titles[issue.title] == 1
                                        else f"{issue.title} ({issue.id})")
            named[key] = (None if index == OPEN else option_id if ids
                          else issue.options[int(index)].label)
        return named

    def reference_solutions(self) -> dict[str, Solution]:
        """Solutions to measure drafts against: the zone's, or the first relaxation's."""
        if self.solutions:
            return self.solutions
        return self.relaxations[0].solutions if self.relaxations else {}


@dataclass(frozen=True)
class FrontierRequest:
    """How to compute the Pareto frontier inside `analyze`."""

    respect_red_lines: bool = False
    max_states: int = DEFAULT_MAX_STATES
    max_work: int = 300_000_000
    sample: int = 50
    progress: Progress | None = None


def analyze(scenario: Scenario, max_blocking_sets: int = 10, max_relaxations: int = 3,
            profile_drafts: bool = True, workers: int | None = None,
            frontier: FrontierRequest | None = None, at_time: float = 0.0,
            progress: StageProgress | None = None) -> Analysis:
    """Exact analysis of a scenario.

    Under a decision rule other than unanimity (`Scenario.rule`), "a zone" means a package
    that passes and the solutions are those over passing packages (`passing`); `power`
    and `coalitions` say who carries what. When no zone exists the solutions are empty, and `relaxations` gives the five
    solutions for each of the first `max_relaxations` minimal blocking sets relaxed.
    With `frontier`, the Pareto frontier too (exact, or a faithful sample when it is
    beyond the request's budget). `at_time`: evaluate with GENIUS discounting at that
    normalised time (see `compile_space`). Independent programs run on `workers` threads (HiGHS
    and the frontier kernels release the GIL); results do not depend on their number.
    `progress(stage, done, total)` hears each stage start, advance and end (zone, ideal points,
    each solution, blocking sets, relaxations, drafts, frontier; see analysis._progress),
    from worker threads.
    """
    space = compile_space(scenario, at_time)
    workers = workers or min(2, os.cpu_count() or 1)
    defaults = _defaults(scenario)
    with _pool(workers) as pool:
        zone_job = pool.submit(_zone, space, progress)
        solved, tasks = pool.submit(_solutions_start, space, progress).result()
        task_jobs = {name: pool.submit(tasks[name])  # the longest programs first
                     for name in sorted(tasks, key=_LONGEST_FIRST.index)}
        frontier_job = pool.submit(_frontier, space, frontier, progress) if frontier else None
        profile_jobs = _counted(progress, DRAFTS, [
            pool.submit(profile_draft, space, d.id, draft_package(space, d.options, defaults))
            for d in (scenario.drafts if profile_drafts else ())])
        zone = zone_job.result()
        egal = None
        if zone.exists and "egalitarian" not in solved:  # not read off a frontier
            with stage(progress, "egalitarian"):  # here, while the pool runs the others
                egal = egalitarian(space, zone.package)
        solutions = solved | {name: found for name in tasks  # in the order they are reported
                              if (found := task_jobs[name].result()) is not None}
        blocking, relaxations = [], []
        if zone.exists:
            if egal is not None:
                solutions["egalitarian"] = egal
        else:
            solutions.pop("egalitarian", None)  # as the programs' path: only with a zone
            blocking = blocking_sets(space, max_sets=max_blocking_sets, progress=progress)
            relaxed = blocking[:max_relaxations]
            relaxed_jobs = zip(relaxed, _counted(progress, RELAXATIONS, [
                pool.submit(all_solutions, relax(space, b.demands)) for b in relaxed]))
            relaxations = [Relaxation(b, job.result()) for b, job in relaxed_jobs]
        profiles = [job.result() for job in profile_jobs]
        found_frontier = frontier_job.result() if frontier_job else None
    power = (power_indices(space.winning_rule) if space.n_parties <= MAX_POWER_PARTIES
             else None)
    coalitions = [draft_coalition(space, p.draft_id, p.utility_low, p.red_lines_crossed)
                  for p in profiles]
    return Analysis(scenario, space, zone, blocking, solutions, relaxations, profiles,
                    found_frontier, bool(frontier and frontier.respect_red_lines), power,
                    coalitions)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool for `analyze`'s programs. When the caller is interrupted (Ctrl-C) or a
    program fails, the queued programs are dropped and the error raised at once, instead of
    after every queued program has run (minutes on a large space)."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


_LONGEST_FIRST = ("kalai-smorodinsky", "asymmetric-nash", "nash")
"""The order in which `analyze` queues the solutions' programs: usually their order of cost
(two max-min programs, then outer approximations), so that the longest starts first."""


def _solutions_start(space: Space, progress: StageProgress | None,
                     ) -> tuple[dict[str, Solution], dict[str, Callable[[], Solution | None]]]:
    """All five solutions from a small exact frontier (`frontier_solutions`), or those of a
    decision rule; else the utilitarian one and the other programs as tasks
    (`solution_tasks`), but for the egalitarian one, whose program starts from the zone's
    witness (`analyze` runs it)."""
    if space.unanimous:
        found = frontier_solutions(space, SOLUTION_NAMES, progress)
        if found is not None:
            return found, {}
        util, tasks = solution_tasks(space, progress)
        return ({} if util is None else {"utilitarian": util}), tasks
    return solutions_except_egalitarian(space, progress, frontier=False), {}


def _zone(space: Space, progress: StageProgress | None) -> ZoneVerdict:
    with stage(progress, ZONE):
        return zone_of_agreement(space)


def _counted(progress: StageProgress | None, name: str, jobs: list[Future]) -> list[Future]:
    """Report stage `name` as its jobs finish (from whichever thread finishes them)."""
    if progress is None or not jobs:
        return jobs
    lock, finished = threading.Lock(), [0]

    def one_more(_: Future) -> None:
        with lock:
            finished[0] += 1
            progress(name, finished[0], len(jobs))

    progress(name, 0, len(jobs))
    for job in jobs:
        job.add_done_callback(one_more)
    return jobs


def _frontier(space: Space, request: FrontierRequest,
              progress: StageProgress | None = None) -> Frontier:
    size = [1]

    def report(done: int, total: int) -> None:
        size[0] = total
        if request.progress is not None:
            request.progress(done, total)
        if progress is not None and done < total:  # the stage ends below, once
            progress(FRONTIER, done, total)

    if progress is not None:
        progress(FRONTIER, 0, None)
    exact = pareto_frontier(space, request.respect_red_lines, request.max_states,
                            request.max_work, report)
    found = exact
    if not exact.complete and not exact.size:
        with stage(progress, FRONTIER_SAMPLE):
            sample = frontier_sample(space, request.sample, seed=0,
                                     respect_red_lines=request.respect_red_lines)
        found = Frontier(sample.packages, sample.utilities, False, exact.states_reached,
                         exact.reason, "sample")
    if progress is not None:
        progress(FRONTIER, size[0], size[0])
    return found


def _defaults(scenario: Scenario) -> dict[str, str | None]:
    return {issue.id: issue.default_if_silent for issue in scenario.issues}


def distance(profile: DraftProfile, solution: Solution) -> np.ndarray:
    """Per-party utility of the draft (midpoint of its range) minus the solution's."""
    return (profile.utility_low + profile.utility_high) / 2 - solution.utilities
