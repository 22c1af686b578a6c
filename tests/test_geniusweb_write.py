"""GeniusWeb JSON written (`save_geniusweb`, `accord convert --to geniusweb`) and read back.

The GENIUS/ANAC scenarios are read in place from ../shared (they may not be copied into the
repository); those tests skip when that folder is absent.
"""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import scenarios
from typer.testing import CliRunner

from genius_reference import scenario_folders
from accord.analysis import (
    all_solutions,
    compile_space,
    pareto_frontier,
    utilities,
    zone_of_agreement,
)
from accord.cli import app
from accord.cli.convert_cmd import answer_changes
from accord.errors import ScenarioError
from accord.io import load_genius_folder, load_geniusweb, load_geniusweb_folder, resolve, save
from accord.io.geniusweb_write import geniusweb_losses, geniusweb_round_trip, save_geniusweb
from accord.model import Scenario
from accord.model.synthetic import random_scenario

GENIUS_DATA = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
               / "genius-anac")
EXAMPLE = Path(__file__).parents[1] / "docs" / "example-scenario.yaml"
SOLUTIONS = ("nash", "kalai-smorodinsky", "utilitarian", "egalitarian")
MAX_SOLVED_PARTIES = 10
"""Solutions are compared on scenarios with at most this many parties: the 65- and 70-party
journal_learning scenarios take the engine seconds per solution (their zone and utilities
are still compared)."""
MAX_SOLVED_OPTIONS = 100
"""...and at most this many options per issue: `other/pie` (one issue of 1,001 values) takes
the engine about 40 s for its solutions."""
MAX_SOLVED_PACKAGES = 1_000_000
"""...and at most this many packages (AgentHp2's 5.8 million take 2 s per solve)."""
MAX_FRONTIER_PACKAGES = 100_000
"""Pareto frontiers are compared up to this many packages (group9-killer_robot's 240,000 and
the larger ones take seconds each)."""
runner = CliRunner()


def _folders() -> list[Path]:
    return scenario_folders(GENIUS_DATA)


FOLDERS = _folders()


def _name(folder: Path | None) -> str:
    return "no-shared-data" if folder is None else str(folder.relative_to(GENIUS_DATA))


def _divisors(scenario: Scenario) -> np.ndarray:
    """What save_geniusweb divides each party's utilities by: its best utility, when above 1."""
    best = np.array([sum(pref.salience * max(pref.valuations.values())
                         for pref in party.preferences.values()) for party in scenario.parties])
    return np.where(best > 1 + 1e-12, best, 1.0)


def _random_packages(space, count: int = 40) -> np.ndarray:
    rng = np.random.default_rng(len(space.sizes))
    return np.array([[rng.integers(0, n) for n in space.sizes] for _ in range(count)])


def _same_utilities(original: Scenario, back: Scenario) -> None:
    a, b = compile_space(original), compile_space(back)
    assert list(a.sizes) == list(b.sizes)
    packages = _random_packages(a)
    np.testing.assert_allclose(utilities(b, packages) * _divisors(original),
                               utilities(a, packages), rtol=0, atol=1e-12)


# ------------------------------------------------------------- GENIUS → accord → GeniusWeb


@pytest.mark.parametrize("folder", FOLDERS or [None], ids=_name)
def test_shared_genius_scenarios_survive_geniusweb(folder, tmp_path):
    if folder is None:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    try:
        original = load_genius_folder(folder)
    except ScenarioError as error:
        pytest.skip(f"not a loadable GENIUS scenario: {str(error).splitlines()[1].strip()}")
    terms = sum(len(party.terms) for party in original.parties)
    if terms:
        pytest.skip(f"non-linear ({terms} terms over several issues, ANAC 2014 hyper-"
                    "rectangles): a LinearAdditiveUtilitySpace is additive over issues")
    save_geniusweb(original, tmp_path)
    back = load_geniusweb_folder(tmp_path)
    assert [p.id for p in back.parties] == [p.id for p in original.parties]
    assert [[o.label for o in i.options] for i in back.issues] == \
        [[o.label for o in i.options] for i in original.issues]
    _same_utilities(original, back)
    losses = geniusweb_losses(original)
    divisors = _divisors(original)
    reservation_lost = [loss for loss in losses if loss.startswith("the reservation of")]
    if not reservation_lost:
        assert np.allclose([p.reservation for p in back.parties] * divisors,
                           [p.reservation for p in original.parties], atol=1e-12)
    # the reservation bid written keeps every party's acceptable packages on these scenarios
    assert all("the same packages stay acceptable" in loss for loss in reservation_lost)

    a, b = compile_space(original), compile_space(back)
    zone = zone_of_agreement(a)
    assert zone_of_agreement(b).exists == zone.exists
    if (not zone.exists or len(original.parties) > MAX_SOLVED_PARTIES
            or max(a.sizes) > MAX_SOLVED_OPTIONS or a.n_packages() > MAX_SOLVED_PACKAGES):
        return
    before, after = all_solutions(a), all_solutions(b)
    moved = [name for name in SOLUTIONS
             if not np.array_equal(before[name].package, after[name].package)]
    if not reservation_lost and len(set(divisors)) == 1:
        assert moved == []
    else:  # a shifted reservation or unequal rescaling may move a solution: then said
        assert not moved or reservation_lost or any("utility scale" in x for x in losses)
        assert "nash" not in moved or answer_changes(original, back)
    if a.n_packages() <= MAX_FRONTIER_PACKAGES:
        first, second = pareto_frontier(a), pareto_frontier(b)
        assert first.complete and second.complete
        np.testing.assert_allclose(
            np.array(sorted(map(tuple, second.utilities * divisors))),
            np.array(sorted(map(tuple, first.utilities))), rtol=0, atol=1e-9)


# ------------------------------------------------------------------- YAML scenarios


@pytest.mark.parametrize("name", ["ukraine-2025", "gaza-2025"])
def test_shipped_scenarios_keep_ids_utilities_and_reservations(name, tmp_path):
    original = resolve(name)
    written = save(original, tmp_path, "geniusweb")
    assert written[0].name == f"{original.id}.json"
    assert len(written) == 1 + len(original.parties)
    back = resolve(tmp_path)
    assert [i.id for i in back.issues] == [i.id for i in original.issues]
    assert [i.option_ids() for i in back.issues] == [i.option_ids() for i in original.issues]
    assert [p.id for p in back.parties] == [p.id for p in original.parties]
    assert [p.reservation for p in back.parties] == \
        pytest.approx([p.reservation for p in original.parties], abs=1e-12)
    _same_utilities(original, back)
    losses = geniusweb_losses(original)
    assert any("red line(s)" in loss for loss in losses)
    assert any("draft(s)" in loss for loss in losses)
    assert any("option label(s)" in loss for loss in losses)
    assert not any("reservation" in loss or "scale" in loss for loss in losses)


def _weights_and_utilities(path: Path) -> tuple[list[Decimal], list[Decimal]]:
    body = json.loads(path.read_text(), parse_float=Decimal, parse_int=Decimal)[
        "LinearAdditiveUtilitySpace"]
    utils = [u for spec in body["issueUtilities"].values()
             for u in spec["DiscreteValueSetUtilities"]["valueUtilities"].values()]
    return list(body["issueWeights"].values()), utils


@settings(max_examples=40, deadline=None)
@given(scenarios(interactions=False, constraints=False))
def test_any_additive_scenario_survives_geniusweb(scenario):
    with tempfile.TemporaryDirectory() as folder:
        files = save_geniusweb(scenario, folder)
        for path in files[1:]:  # what GeniusWeb itself demands of a profile
            weights, utils = _weights_and_utilities(path)
            assert sum(weights) == 1 and all(w >= 0 for w in weights)
            assert all(0 <= u <= 1 for u in utils)
        back = load_geniusweb_folder(folder)
    _same_utilities(scenario, back)
    losses = geniusweb_losses(scenario)
    for party, read in zip(scenario.parties, back.parties):
        wanted = party.reservation / _divisors(scenario)[scenario.parties.index(party)]
        if not any(loss.startswith(f"the reservation of {party.id}:") for loss in losses):
            assert read.reservation == pytest.approx(wanted, abs=1e-9)


def test_scale_above_one_is_divided_and_said(tmp_path):
    data = random_scenario(3, 3, 2, seed=4, red_line_rate=0.0, n_drafts=0).model_dump()
    for k, party in enumerate(data["parties"]):
        party["capability"] = 1.0
        party["reservation"] = 0.0
        for pref in party["preferences"].values():
            pref["salience"] = 2.0 + k  # best utility 6 and 9: divided by them
            pref["valuations"] = {o: (1.0 if j == 0 else 0.5) for j, o in
                                  enumerate(pref["valuations"])}
    scenario = Scenario.build(data)
    losses = geniusweb_losses(scenario)
    (scale,) = [loss for loss in losses if loss.startswith("the utility scale")]
    assert "÷ 6" in scale and "÷ 9" in scale and "utilitarian and egalitarian" in scale
    back = geniusweb_round_trip(scenario)
    _same_utilities(scenario, back)
    space = compile_space(back)
    every = np.array(np.meshgrid(*[range(n) for n in space.sizes])).reshape(len(space.sizes), -1).T
    assert utilities(space, every).max(axis=0) == pytest.approx([1.0, 1.0], abs=1e-12)


def test_reservations_nearest_bid_and_negative(tmp_path):
    scenario = resolve(EXAMPLE)
    losses = geniusweb_losses(scenario)
    assert ("the reservation of north: 0.35 becomes 0.36, the utility of the nearest "
            "reservation bid (GeniusWeb has a reservation bid, not a value); the same packages "
            "stay acceptable to it") in losses
    data = scenario.model_dump()
    data["parties"][1]["reservation"] = -0.25
    negative = Scenario.build(data)
    assert any(loss.startswith("the reservation of south: -0.25 becomes 0, as GeniusWeb "
                               "utilities are at least 0") for loss in geniusweb_losses(negative))
    profile = json.loads(save_geniusweb(negative, tmp_path)[2].read_text())
    assert profile["LinearAdditiveUtilitySpace"]["reservationBid"] is None


def test_a_one_party_scenario_is_one_profile_file(tmp_path):
    data = resolve(EXAMPLE).model_dump()
    data["parties"] = data["parties"][:1]
    data["drafts"], data["constraints"] = [], []
    for pref in data["parties"][0]["preferences"].values():
        pref["red_lines"] = []
    data["parties"][0]["interactions"] = []
    one = tmp_path / "one.yaml"
    save(Scenario.build(data), one)
    result = runner.invoke(app, ["convert", str(one), "-o", str(tmp_path / "north.json"),
                                 "--to", "geniusweb"])
    assert result.exit_code == 0, result.output
    back = load_geniusweb([tmp_path / "north.json"])
    assert [p.id for p in back.parties] == ["north"]


# ------------------------------------------------------------------------------ CLI


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_convert_refuses_a_loss_that_changes_the_answer(tmp_path):
    out = tmp_path / "uk"
    result = runner.invoke(app, ["convert", "ukraine-2025", "--to", "geniusweb", "-o", f"{out}/"])
    assert result.exit_code == 2, result.output
    message = _flat(result.stderr)
    assert message.startswith("error: converting ukraine-2025 to GeniusWeb JSON would change "
                              "the analysis: the converted scenario has a zone of agreement "
                              "where the original has none")
    assert "32 red line(s)" in message and "--lossy" in message and "Traceback" not in message
    assert not out.exists()
    result = runner.invoke(app, ["convert", "ukraine-2025", "--to", "geniusweb", "-o",
                                 f"{out}/", "--lossy"])
    assert result.exit_code == 0, result.output
    assert "warning: dropped: 32 red line(s): GeniusWeb has no vetoes" in _flat(result.stderr)
    assert len(list(out.glob("*.json"))) == 5
    analysed = runner.invoke(app, ["analyze", str(out), "--json", "--no-frontier"])
    assert json.loads(analysed.stdout)["zone"]["exists"] is True


def test_convert_warns_and_writes_when_the_answer_stays(tmp_path):
    result = runner.invoke(app, ["convert", str(EXAMPLE), "--to", "geniusweb", "-o",
                                 str(tmp_path / "ex")])
    assert result.exit_code == 0, result.output
    warnings = _flat(result.stderr)
    assert "warning: dropped: 4 red line(s)" in warnings
    assert "the zone verdict and the Nash bargaining package are unchanged" in warnings
    assert runner.invoke(app, ["validate", str(tmp_path / "ex")]).exit_code == 0


@pytest.mark.parametrize("args, words", [
    (["gaza-2025", "--to", "geniusweb", "-o", "g.json"],
     "-o 'g.json' is one GeniusWeb profile file, but gaza-2025 has 5 parties: give a folder"),
    (["gaza-2025", "--to", "geniusweb", "-o", "g.xml"],
     "-o 'g.xml' ends in '.xml' but --to geniusweb writes GeniusWeb JSON"),
    (["gaza-2025", "-o", "g.json"],
     "cannot tell the format from -o 'g.json'"),
])
def test_convert_names_that_disagree_with_geniusweb_are_refused(args, words, tmp_path,
                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["convert", *args])
    assert result.exit_code == 2, result.output
    assert words in _flat(result.stderr)
    assert not list(tmp_path.iterdir())
