"""LLM-Deliberation games (Abdelnabi et al., NeurIPS 2024 D&B) as scenarios.

The six games are read in place from ../shared (never copied into the project; skipped
when absent): every deal of every game is scored by a small parser of the raw files written
here, independent of the loader, and must equal accord's utility for every party; who
accepts and whether a deal passes must be the game's. Malformed games (written into
tmp_path from a small game of our own) give errors naming the file, the line and what was
expected; the CLI validates and analyses a game folder.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED
from typer.testing import CliRunner

from accord.analysis import compile_space, utilities, zone_of_agreement
from accord.analysis.zone import TOLERANCE
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import dump_scenario, load_folder, loads_scenario, resolve, save
from accord.io.llm_deliberation import is_llm_deliberation_game, load_llm_deliberation
from accord.model.synthetic import random_scenario

DATA = SHARED / "data" / "external" / "llm-deliberation"
GAMES = ("base", "base_rewritten", "base_7players", "game1", "game2", "game3")
needs_data = pytest.mark.skipif(not (DATA / "base" / "config.txt").is_file(),
                                reason=f"LLM-Deliberation games not found at {DATA} "
                                       "(../shared/data/external/llm-deliberation)")
runner = CliRunner()


# ------------------------------------------------- an independent reading of the raw files

def raw_game(folder: Path) -> dict:
    """The game as the paper's code reads it: parties (name, file, role) in config order,
    each party's score table and threshold, and the initial deal."""
    parties = []
    for line in (folder / "config.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, file, role = (cell.strip() for cell in line.split(",")[:3])
            rows = [r for r in (folder / "scores_files" / f"{file}.txt")
                    .read_text(encoding="utf-8").splitlines() if r.strip()]
            scores = [[float(x) for x in row.split(",")] for row in rows[:-1]]
            parties.append({"name": name, "file": file, "role": role, "scores": scores,
                            "threshold": float(rows[-1])})
    deal = (folder / "initial_deal.txt").read_text(encoding="utf-8").strip().split(",")
    return {"parties": parties, "deal": [d.strip() for d in deal]}


@pytest.fixture(scope="module", params=GAMES)
def game(request):
    if not (DATA / request.param).is_dir():
        pytest.skip(f"LLM-Deliberation game {request.param} not found under {DATA}")
    folder = DATA / request.param
    return folder, raw_game(folder), resolve(folder)


# ------------------------------------------------------------------------ the six games

@needs_data
def test_every_game_is_detected_and_loads():
    for name in GAMES:
        assert is_llm_deliberation_game(DATA / name)
        scenario = load_folder(DATA / name)
        assert scenario.id == name and scenario.title
        assert "arXiv 2309.17234" in scenario.sources[0].outlet
        assert scenario.sources[1].url == "https://github.com/S-Abdelnabi/LLM-Deliberation"
        assert loads_scenario(dump_scenario(scenario)) == scenario  # YAML keeps all of it


def test_utilities_are_the_papers_scores_for_every_deal(game):
    folder, raw, scenario = game
    parties = raw["parties"]
    sizes = [len(row) for row in parties[0]["scores"]]
    for issue, size, letter in zip(scenario.issues, sizes, "ABCDEFGHIJ"):
        assert issue.id == letter
        assert issue.option_ids() == [f"{letter}{k}" for k in range(1, size + 1)]
    assert len(scenario.issues) == len(sizes)
    assert [(p.name, p.id) for p in scenario.parties] == [(p["name"], p["file"]) for p in parties]
    deals = np.array(list(itertools.product(*[range(s) for s in sizes])))
    expected = np.array([[sum(p["scores"][i][k] for i, k in enumerate(deal)) for p in parties]
                         for deal in deals])
    got = utilities(compile_space(scenario), deals)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    for party, p in zip(scenario.parties, parties):
        assert party.reservation == p["threshold"]
        for issue, row in zip(scenario.issues, p["scores"]):
            preference = party.preferences[issue.id]
            assert preference.salience == max(row)
            if max(row) == 0:
                assert set(preference.valuations.values()) == {0.0}
            else:
                assert max(preference.valuations.values()) == 1.0


def test_who_accepts_and_what_passes_are_the_games(game):
    folder, raw, scenario = game
    parties = raw["parties"]
    sizes = [len(row) for row in parties[0]["scores"]]
    space = compile_space(scenario)
    deals = np.array(list(itertools.product(*[range(s) for s in sizes])))
    scores = np.array([[sum(p["scores"][i][k] for i, k in enumerate(deal)) for p in parties]
                       for deal in deals])
    agrees = scores >= np.array([p["threshold"] for p in parties])
    accepts = utilities(space, deals) >= space.reservation - TOLERANCE
    assert (accepts == agrees).all()
    roles = [p["role"] for p in parties]
    n = len(parties)
    passes = ((agrees.sum(axis=1) >= n - 1) & agrees[:, roles.index("p1")]
              & agrees[:, roles.index("p2")])
    assert (space.rule.is_winning(accepts) == passes).all()
    assert zone_of_agreement(space).exists == bool(passes.any())


def test_rule_thresholds_and_initial_deal(game):
    folder, raw, scenario = game
    parties = raw["parties"]
    n = len(parties)
    p1 = next(p["file"] for p in parties if p["role"] == "p1")
    p2 = next(p["file"] for p in parties if p["role"] == "p2")
    assert scenario.rule.at_least == n - 1 and scenario.rule.required == (p1, p2)
    assert not scenario.rule.thresholds and "n - 1" in scenario.rule.note
    assert [p.reservation for p in scenario.parties] == [p["threshold"] for p in parties]
    (draft,) = scenario.drafts
    assert draft.id == "initial-deal"
    assert sorted(v for v in draft.options.values()) == sorted(raw["deal"])
    assert all(v.startswith(k) for k, v in draft.options.items())


@needs_data
def test_titles_and_labels_as_in_the_instructions():
    base = resolve(DATA / "base")
    assert base.issue("A").title == "Infrastructure Mix"
    assert base.issue("A").options[0].label == "water-based"
    assert base.issue("C").options[3].label == "No Union preference"
    assert base.issue("D").options[0].label == "$3 billion"
    assert base.issue("E").options[0].label.startswith('"SportCo" pays $600 million')
    assert "A1 \"water-based\": new buildings" in base.issue("A").text
    rewritten = resolve(DATA / "base_rewritten")
    assert rewritten.issue("D").title == 'Compensation to "neighbouring cities"'
    assert rewritten.issue("B").options[0].label == "offshore"
    assert rewritten.issue("E").options[3].label == "No Union preference"
    game1 = resolve(DATA / "game1")
    assert game1.issue("B").title == "Budget"
    assert game1.issue("B").options[0].label == "very low budget of $300 million"
    assert game1.issue("D").options[2].label == "Moderate assessment"  # a tab-indented line
    game3 = resolve(DATA / "game3")
    assert game3.issue("A").title == "The location of the airport"
    assert [len(i.options) for i in game3.issues] == [4, 3, 4, 5, 3]  # not the "There are N"
    assert game3.issue("D").options[1].label == "Low compensation"
    assert resolve(DATA / "base_7players").issue("F").options[3].label == "No Action"


@needs_data
def test_cli_validates_and_analyses_a_game_folder():
    folder = DATA / "base"
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "5 issues, 6 parties, 1 drafts" in result.output
    result = runner.invoke(app, ["analyze", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    raw = raw_game(folder)
    deal = [int(code[1:]) - 1 for code in raw["deal"]]
    (draft,) = data["drafts"]
    assert draft["id"] == "initial-deal"
    for p in raw["parties"]:
        score = sum(p["scores"][i][k] for i, k in enumerate(deal))
        assert draft["utilities"][p["file"]]["low"] == pytest.approx(score, abs=1e-9)


# ------------------------------------------------------------- detection and bad input

MINI = {
    "config.txt": "Seller,seller,p1,greedy,m\nBuyer,buyer,p2,cooperative,m\n"
                  "Town,town,player,cooperative,m\n",
    "global_instructions.txt": (
        '"Seller" sells a shop to "Buyer"; the "Town" watches.\n\n'
        'Issue A: "Price"\nHow much is paid.\nA1: $10.\nA2: $20.\n=====\n'
        'Issue B: "Hours"\nB1 "long": open late.\nB2 "short": closed at six.\n'
        'B3 "none": closed.\n'),
    "initial_deal.txt": "A2,B1",
    "scores_files/seller.txt": "0, 60\n40, 20, 0\n50\n",
    "scores_files/buyer.txt": "60, 0\n10, 40, 0\n30\n",
    "scores_files/town.txt": "0, 0\n0, 50, 100\n20\n",
}


def write_game(folder: Path, changes: dict[str, str | None] | None = None) -> Path:
    """A small game of our own in `folder`, with some files replaced (None: left out)."""
    files = {**MINI, **(changes or {})}
    for name, text in files.items():
        if text is not None:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    (folder / "scores_files").mkdir(exist_ok=True)
    return folder


def error_of(folder: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        resolve(folder)
    return str(caught.value)


def test_a_small_game_loads_with_its_scores(tmp_path):
    scenario = resolve(write_game(tmp_path / "mini"))
    assert scenario.id == "mini" and [p.id for p in scenario.parties] == ["seller", "buyer", "town"]
    assert scenario.issue("B").options[0].label == "long"
    assert scenario.issue("A").options[1].label == "$20"
    town = scenario.party("town")
    assert town.preferences["A"].salience == 0 and town.reservation == 20
    assert town.preferences["B"].valuations == {"B1": 0.0, "B2": 0.5, "B3": 1.0}
    got = utilities(compile_space(scenario), np.array([[1, 0], [0, 2]]))
    np.testing.assert_allclose(got, [[100, 10, 0], [0, 60, 100]])
    assert scenario.drafts[0].options == {"A": "A2", "B": "B1"}


@pytest.mark.parametrize("changes, file, line, words", [
    ({"scores_files/seller.txt": "0, 60\n40, 20, 0\n"}, "scores_files/seller.txt", 2,
     "expected 3 lines: the scores of issues A–B"),
    ({"scores_files/seller.txt": "0, 60\n40, 20, 0\n1, 2\n50\n"}, "scores_files/seller.txt", 4,
     "expected 3 lines"),
    ({"scores_files/buyer.txt": "60, lots\n10, 40, 0\n30\n"}, "scores_files/buyer.txt", 1,
     "issue A: expected a score (a number >= 0), got 'lots'"),
    ({"scores_files/buyer.txt": "60, 0\n10, 40\n30\n"}, "scores_files/buyer.txt", 2,
     "issue B has 3 options (B1–B3)"),
    ({"scores_files/buyer.txt": "60, 0\n10, 40, 0\nthirty\n"}, "scores_files/buyer.txt", 3,
     "expected the minimum threshold (one number) on the last line, got 'thirty'"),
    ({"config.txt": "Seller,seller,p1\nBuyer,buyer\nTown,town,player\n"}, "config.txt", 2,
     "expected at least 3 comma-separated columns"),
    ({"config.txt": "Seller,seller,p1\nBuyer,buyer,p2\nTown,town,mayor\n"}, "config.txt", 3,
     "unknown role 'mayor'; expected one of p1, p2, player"),
    ({"config.txt": "Seller,seller,p1\nBuyer,buyer,p1\nTown,town,p2\n"}, "config.txt", 2,
     "expected exactly one party with role p1 (the proposing party); found 2 (lines 1, 2)"),
    ({"global_instructions.txt": 'Issue A: "Price"\nA1: $10.\nA3: $20.\nIssue B: "H"\nB1: x\n'},
     "global_instructions.txt", 3, "expected option A2 of Issue A"),
    ({"initial_deal.txt": "A2,B4"}, "initial_deal.txt", 1, "unknown option 'B4'"),
])
def test_bad_input_names_file_line_and_what_was_expected(tmp_path, changes, file, line, words):
    folder = write_game(tmp_path / "mini", changes)
    message = error_of(folder)
    assert f"{folder / file}:{line}:" in message and words in message, message


def test_no_p2_and_missing_files_are_named(tmp_path):
    folder = write_game(tmp_path / "nop2", {"config.txt": "Seller,seller,p1\nBuyer,buyer,player\n"
                                                          "Town,town,player\n"})
    message = error_of(folder)
    assert f"{folder / 'config.txt'}: expected exactly one party with role p2" in message
    folder = write_game(tmp_path / "noscores", {"scores_files/town.txt": None})
    message = error_of(folder)
    assert f"{folder / 'scores_files' / 'town.txt'}: file not found" in message
    assert "config.txt line 3" in message
    folder = write_game(tmp_path / "noinstructions", {"global_instructions.txt": None})
    assert f"{folder / 'global_instructions.txt'}: file not found" in error_of(folder)
    folder = write_game(tmp_path / "noconfig", {"config.txt": None})  # still a game's folder
    assert f"{folder / 'config.txt'}: file not found" in error_of(folder)
    assert resolve(write_game(tmp_path / "nodeal", {"initial_deal.txt": None})).drafts == ()


@needs_data
def test_a_broken_copy_of_a_real_game(tmp_path):
    folder = tmp_path / "base"
    shutil.copytree(DATA / "base", folder)
    scores = folder / "scores_files" / "mayor.txt"
    scores.write_text(scores.read_text().replace("24, 18, 12, 0", "24, 18, twelve, 0"))
    message = error_of(folder)
    assert f"{scores}:3: issue C: expected a score" in message and "'twelve'" in message


def test_detection_leaves_genius_folders_alone(tmp_path):
    scenario = random_scenario(3, 2, 2, seed=1)
    folder = tmp_path / "genius"
    save(scenario, folder, "genius")
    write_game(folder)  # a game's marks beside a GENIUS domain: still the GENIUS domain
    loaded = resolve(folder)
    assert loaded.id == scenario.id and len(loaded.parties) == len(scenario.parties)
    assert not is_llm_deliberation_game(tmp_path) and is_llm_deliberation_game(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no scenario in this folder" in error_of(empty)
    assert "LLM-Deliberation game" in error_of(empty)


def test_loader_is_the_one_resolve_uses(tmp_path):
    folder = write_game(tmp_path / "mini")
    assert load_llm_deliberation(folder) == resolve(folder) == resolve(str(folder))
