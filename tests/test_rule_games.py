"""Issue 18's acceptance on the LLM-Deliberation games: `accord analyze GAME --json` says
whether a deal passes, with a witness and the coalition that carries it, and gives the
utilitarian deal among passing deals, all equal to enumeration of every deal from the raw
score files; a game whose thresholds leave no passing deal gets its blocking sets."""

from __future__ import annotations

import itertools
import json
import shutil

import numpy as np
import pytest
from test_llm_deliberation import DATA, GAMES, needs_data, raw_game, runner

from accord.analysis import blocking_sets, compile_space
from accord.analysis.brute import brute_passing_blocking_sets
from accord.cli import app
from accord.io import resolve


def enumerate_game(raw: dict) -> dict:
    """Every deal's scores, who agrees, and which deals pass under the paper's rule."""
    parties = raw["parties"]
    sizes = [len(row) for row in parties[0]["scores"]]
    deals = list(itertools.product(*[range(s) for s in sizes]))
    scores = np.array([[sum(p["scores"][i][k] for i, k in enumerate(deal)) for p in parties]
                       for deal in deals])
    agrees = scores >= np.array([p["threshold"] for p in parties])
    roles = [p["role"] for p in parties]
    passes = ((agrees.sum(axis=1) >= len(parties) - 1) & agrees[:, roles.index("p1")]
              & agrees[:, roles.index("p2")])
    labels = [[f"{chr(ord('A') + i)}{k + 1}" for i, k in enumerate(deal)] for deal in deals]
    return {"scores": scores, "agrees": agrees, "passes": passes, "labels": labels,
            "files": [p["file"] for p in parties]}


def analyze_json(folder) -> dict:
    result = runner.invoke(app, ["analyze", str(folder), "--json", "--no-frontier"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@needs_data
@pytest.mark.parametrize("name", GAMES)
def test_a_games_verdict_witness_and_utilitarian_deal_equal_enumeration(name):
    folder = DATA / name
    raw, found = raw_game(folder), analyze_json(folder)
    truth = enumerate_game(raw)
    ids = list(found["scenario"]["parties"])
    assert found["zone"]["exists"] == bool(truth["passes"].any())
    witness = [found["zone"]["package"][chr(ord("A") + i)]
               for i in range(len(truth["labels"][0]))]
    k = truth["labels"].index(witness)
    assert truth["passes"][k], "the witness passes"
    assert found["zone"]["coalition"] == [ids[p] for p in np.flatnonzero(truth["agrees"][k])]
    best = truth["scores"][truth["passes"]].sum(axis=1).max()
    utilitarian = found["solutions"]["utilitarian"]
    assert sum(utilitarian["utilities"].values()) == pytest.approx(best, abs=1e-6)
    deal = [utilitarian["package"][chr(ord("A") + i)] for i in range(len(witness))]
    k = truth["labels"].index(deal)
    assert truth["passes"][k]
    assert truth["scores"][k].sum() == pytest.approx(best, abs=1e-6)
    assert utilitarian["coalition"] == [ids[p] for p in np.flatnonzero(truth["agrees"][k])]
    power = found["rule"]["power"]  # the two named parties are the veto players
    vetoes = {party for party, entry in power.items() if entry["veto"]}
    assert vetoes == {ids[i] for i, p in enumerate(raw["parties"]) if p["role"] in ("p1", "p2")}
    shares = [entry["shapley_shubik"] for entry in power.values()]
    assert sum(shares) == pytest.approx(1.0)


@needs_data
def test_a_game_whose_thresholds_leave_no_deal_gets_its_blocking_sets(tmp_path):
    folder = tmp_path / "strict"
    shutil.copytree(DATA / "base", folder)
    for path in (folder / "scores_files").glob("*.txt"):  # every threshold 30 points higher
        rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        rows[-1] = str(min(100, int(float(rows[-1])) + 30))
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    truth = enumerate_game(raw_game(folder))
    assert not truth["passes"].any()
    found = analyze_json(folder)
    assert not found["zone"]["exists"]
    assert found["blocking_sets"], "what blocks a deal is named"
    space = compile_space(resolve(folder))
    expected = brute_passing_blocking_sets(space, max_size=2)
    engine = {frozenset(b.demands) for b in blocking_sets(space, max_sets=1000, max_size=2)}
    assert engine == set(expected)
    for entry in found["blocking_sets"]:
        assert {d["kind"] for d in entry["demands"]} == {"reservation"}  # no red lines here
