"""Properties of the alignment on plans drawn from the shipped plans' points."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compare import diff_plans
from accord.compare.align import align, longest_increasing_subsequence, moved_links
from accord.io.plans import builtin_plans
from accord.model.plan import AnnotatedPoint, Plan

POOL = sorted({(p.text, p.topic) for plan in builtin_plans() for p in plan.points
               if plan.language == "en"})


def _plan(items: list[tuple[str, str | None]], plan_id: str = "p") -> Plan:
    return Plan(id=plan_id, points=tuple(AnnotatedPoint(n=k + 1, text=text, topic=topic)
                                         for k, (text, topic) in enumerate(items)))


def _sample(min_size: int = 1, max_size: int = 12):
    return st.lists(st.sampled_from(POOL), min_size=min_size, max_size=max_size, unique=True)


@settings(max_examples=25)
@given(_sample())
def test_a_plan_compared_with_itself_is_carried_over_point_for_point(items):
    plan = _plan(items)
    diff = diff_plans(plan, plan)
    assert len(diff.entries) == len(plan.points)
    for entry in diff.entries:
        assert entry.status == "carried-over" and entry.relation == "one-to-one"
        assert entry.a == (entry.b,)


@settings(max_examples=25)
@given(_sample(2), st.randoms(use_true_random=False))
def test_a_reordered_plan_is_matched_point_for_point_and_moves_are_counted(items, rng):
    shuffled = list(items)
    rng.shuffle(shuffled)
    diff = diff_plans(_plan(items, "a"), _plan(shuffled, "b"))
    origin = [items.index(item) for item in shuffled]
    for entry in diff.entries:
        assert entry.b is not None and entry.status in ("carried-over", "moved")
        assert entry.a[0].n == origin[int(entry.b.n) - 1] + 1
    moved = diff.counts()["moved"]
    assert moved == len(items) - len(longest_increasing_subsequence(origin))


@settings(max_examples=40)
@given(_sample(), _sample())
def test_every_point_is_accounted_for_once_unless_split_or_merged(a_items, b_items):
    a, b = _plan(a_items, "a"), _plan(b_items, "b")
    diff = diff_plans(a, b)
    assert Counter(str(e.b.n) for e in diff.entries if e.b) == Counter(
        str(p.n) for p in b.points)
    uses = Counter(str(p.n) for e in diff.entries for p in e.a)
    assert set(uses) == {str(p.n) for p in a.points}
    for n, count in uses.items():
        holders = [e for e in diff.entries if any(str(p.n) == n for p in e.a)]
        assert sum(e.relation == "split" for e in holders) >= count - 1
    for entry in diff.entries:
        expected = {"one-to-one": 1, "split": 1, "none": 0 if entry.b else 1}
        assert len(entry.a) == expected.get(entry.relation, len(entry.a))
        assert entry.relation != "merge" or len(entry.a) >= 2
        assert (entry.status == "new") == (entry.b is not None and not entry.a)


@given(st.lists(st.integers(0, 50), max_size=30))
def test_longest_increasing_subsequence_is_increasing_and_longest(values):
    chosen = longest_increasing_subsequence(values)
    picked = [values[k] for k in chosen]
    assert chosen == sorted(chosen) and all(x < y for x, y in zip(picked, picked[1:]))
    best = [1] * len(values)  # O(n²) dynamic programme as the oracle
    for j in range(len(values)):
        for i in range(j):
            if values[i] < values[j]:
                best[j] = max(best[j], best[i] + 1)
    assert len(chosen) == max(best, default=0)


@given(st.lists(st.lists(st.floats(0, 1), min_size=4, max_size=4), min_size=1, max_size=6))
def test_alignment_links_every_point_of_b_once(rows):
    import numpy as np

    scores = np.array(rows)
    links = align(scores)
    assert sorted(link.b for link in links if link.b is not None) == list(range(4))
    pairs = [link for link in links if link.relation == "one-to-one"]
    assert len({link.a[0] for link in pairs}) == len(pairs)
    assert all(link.score >= 0.3 for link in links if link.relation != "none")
    assert moved_links(links) <= {link.b for link in pairs}
