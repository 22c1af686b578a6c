"""The shipped ukraine-2025 scenario reproduces the estimates file's own sanity check
(shared/data/plans/ukraine-2025-estimates.yaml, notes.sanity_check)."""

from __future__ import annotations

import pytest

import accord
from accord.analysis import analyze

FIVE = {"utilitarian", "nash", "asymmetric-nash", "kalai-smorodinsky", "egalitarian"}


@pytest.fixture(scope="module")
def result():
    return analyze(accord.load("ukraine-2025"))


def test_shape_of_the_scenario(result):
    scenario = result.scenario
    assert [p.id for p in scenario.parties] == ["us", "russia", "ukraine", "europe"]
    assert len(scenario.issues) == 18 and len(scenario.drafts) == 8
    for topic in ("territory", "military-limits", "alliances", "security-guarantees",
                  "sanctions", "frozen-assets", "amnesty-justice", "elections-governance",
                  "language-religion-minorities", "nuclear-energy"):
        assert any(issue.topic == topic for issue in scenario.issues), topic


def test_every_position_cites_sources(result):
    for party in result.scenario.parties:
        for issue_id, pref in party.preferences.items():
            assert pref.evidence, f"{party.id}/{issue_id} has no evidence"
            assert all(e.outlet and e.certainty for e in pref.evidence)


def test_no_deal_and_donetsk_blocks_it(result):
    assert not result.zone.exists
    blocking = [[(d.party, d.kind, d.issue) for d in b.demands] for b in result.blocking]
    donetsk = result.space.issue_ids.index("donetsk-remainder")
    russia, ukraine = result.space.party_ids.index("russia"), result.space.party_ids.index("ukraine")
    assert sorted(blocking) == sorted([[(russia, "red-line", donetsk)],
                                       [(ukraine, "red-line", donetsk)]])


def test_relaxations_match_the_analysts_max_min_margins(result):
    margins = {}
    for relaxation in result.relaxations:
        (demand,) = relaxation.blocking.demands
        assert set(relaxation.solutions) == FIVE
        margins[result.space.party_ids[demand.party]] = relaxation.solutions["egalitarian"].value
    assert margins["russia"] == pytest.approx(0.073, abs=5e-4)
    assert margins["ukraine"] == pytest.approx(0.132, abs=5e-4)


def test_draft_utilities_match_the_estimates_notes(result):
    profiles = {p.draft_id: p for p in result.profiles}
    us, russia, ukraine, europe = profiles["ukraine-28-point-2025-11"].utility_low
    assert (us, russia, ukraine, europe) == pytest.approx((1.00, 0.68, 0.30, 0.33), abs=5e-3)
    e3 = profiles["europe-counterproposal-2025-11"]
    assert tuple(e3.utility_low) == pytest.approx((0.66, 0.21, 0.78, 0.84), abs=5e-3)
    crossed_by_russia = [c for c in e3.red_lines_crossed if c[0] == 1]
    assert len(crossed_by_russia) == 6


def test_partial_drafts_get_ranges_not_points(result):
    geneva = next(p for p in result.profiles if p.draft_id == "ukraine-19-point-geneva-2025-11")
    assert not geneva.complete and geneva.efficiency is None
    assert (geneva.utility_high - geneva.utility_low).min() > 0.3
