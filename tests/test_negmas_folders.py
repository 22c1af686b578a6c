"""NegMAS scenario folders: read, written, round-tripped, refused with located errors.

The GENIUS/ANAC scenarios are read in place from ../shared (skipped when absent). NegMAS is
not a dependency of accord: the checks against NegMAS itself run a Python that has it (this
one, `$ACCORD_NEGMAS_PYTHON`, or /tmp/negmas-venv/bin/python) and are skipped without one.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis import (
    compile_space,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining_solution,
    pareto_frontier,
    utilitarian,
    utilities,
    zone_of_agreement,
)
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import load_genius_folder, load_negmas_folder, negmas_losses, resolve, save
from accord.io.negmas_write import save_negmas
from accord.model import Scenario

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
GENIUS_DATA = ROOT.parent / "shared" / "data" / "external" / "genius-anac"
SMALL = ROOT / "tests" / "data" / "negmas" / "small"
ANALYSED_UP_TO = 1_000
"""Packages up to which the round trip is also compared by analysis (zone, the four fair
packages, the Pareto frontier); larger scenarios are compared field by field only (the
scenario read back equals the one written, so its analysis cannot differ). The cut keeps the
test near 15 s: other/pie (1,001 packages) alone takes 16 s for its Nash package."""

EVERY = 4
"""NegMAS evaluates every 4th shared scenario as accord writes it (all of them take NegMAS
about a minute; the non-linear ones are among those kept, and every scenario's round trip
through accord is checked in full)."""


def _negmas_python() -> str | None:
    candidates = [sys.executable, os.environ.get("ACCORD_NEGMAS_PYTHON", ""),
                  "/tmp/negmas-venv/bin/python"]
    for python in candidates:
        if python and Path(python).exists() and subprocess.run(
                [python, "-c", "import negmas.inout"], capture_output=True).returncode == 0:
            return python
    return None


NEGMAS = _negmas_python()
needs_negmas = pytest.mark.skipif(NEGMAS is None, reason="NegMAS is not installed (not an "
                                  "accord dependency; set ACCORD_NEGMAS_PYTHON to a Python "
                                  "that has negmas 0.16)")

_NEGMAS_SCRIPT = textwrap.dedent('''
    import json, sys, warnings
    warnings.filterwarnings("ignore")
    from negmas.inout import Scenario
    out = {}
    for job in json.load(sys.stdin):
        if job.get("genius"):  # NegMAS reads the GENIUS folder and writes its own YAML
            Scenario.load(job["genius"]).dumpas(job["folder"], type="yml")
        s = Scenario.load(job["folder"])
        rows = []
        for u in s.ufuns:
            inner = getattr(u, "ufun", u) if type(u).__name__ == "ExpDiscountedUFun" else u
            reserved = u.reserved_value if u.reserved_value != float("-inf") else \\
                inner.reserved_value
            rows.append({"name": u.name, "reserved": reserved,
                         "discount": getattr(u, "discount", 1.0),
                         "values": [float(inner(tuple(o))) for o in job["outcomes"]]})
        out[job["folder"]] = {"ufuns": rows, "info": s.info.get("accord", {}).get("id")}
    json.dump(out, sys.stdout)
''')


def _run_negmas(jobs: list[dict]) -> dict:
    result = subprocess.run([NEGMAS, "-c", _NEGMAS_SCRIPT], input=json.dumps(jobs),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _folders() -> list[Path]:
    if not GENIUS_DATA.is_dir():
        return []
    folders = sorted(GENIUS_DATA.glob("anac/y20*/*")) + sorted(GENIUS_DATA.glob("other/*"))
    folders = [f for f in folders if f.is_dir()]
    return folders + [sub for f in folders if not any(f.glob("*.xml"))
                      for sub in sorted(f.iterdir()) if sub.is_dir() and any(sub.glob("*.xml"))]


@cache
def _genius(folder: Path) -> Scenario | None:
    try:
        return load_genius_folder(folder)
    except ScenarioError:
        return None  # what GENIUS reading cannot hold (tested in test_genius_formats.py)


def _sample(scenario: Scenario, n: int, seed: int) -> np.ndarray:
    rng = random.Random(seed)
    return np.array([[rng.randrange(len(i.options)) for i in scenario.issues]
                     for _ in range(n)])


def _labels(scenario: Scenario, packages: np.ndarray, folder: Path) -> list[list]:
    """The NegMAS values of packages: the values the domain file lists, by position."""
    import yaml
    domain = next(p for p in folder.glob("*.yml") if "OutcomeSpace" in p.read_text())
    issues = yaml.safe_load(domain.read_text())["issues"]
    def value(k: int, j: int):
        label = scenario.issues[k].options[j].label
        kind = issues[k]["type"]
        return (int(label) if "Contiguous" in kind else float(label) if "Continuous" in kind
                else issues[k]["values"][j])
    return [[value(k, j) for k, j in enumerate(row)] for row in packages]


def _analysis(scenario: Scenario) -> dict:
    space = compile_space(scenario)
    answer: dict = {"zone": zone_of_agreement(space).exists}
    for name, solve in (("nash", nash_bargaining_solution), ("ks", kalai_smorodinsky),
                        ("utilitarian", utilitarian), ("egalitarian", egalitarian)):
        solution = solve(space)
        answer[name] = None if solution is None else np.round(solution.utilities, 9).tolist()
    frontier = pareto_frontier(space)
    answer["frontier"] = (sorted(map(tuple, np.round(frontier.utilities, 9).tolist()))
                          if frontier.complete else None)
    return answer


# ------------------------------------------------------------------ round trips, shared data


def test_every_shared_genius_scenario_survives_a_negmas_folder(tmp_path):
    folders = [f for f in _folders() if _genius(f) is not None]
    if not folders:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    analysed = 0
    for k, folder in enumerate(folders):
        scenario = _genius(folder)
        out = tmp_path / str(k)
        save_negmas(scenario, out)
        back = load_negmas_folder(out)
        if any(term.outside for party in scenario.parties for term in party.terms):
            # a term valued outside its box is written as a bias minus the box: read back
            # as a constant and a box, the same utility (below) but not the same fields
            packages = _sample(scenario, 300, k)
            assert np.allclose(utilities(compile_space(back), packages),
                               utilities(compile_space(scenario), packages), atol=1e-12)
        else:
            assert back == scenario, folder
        assert not negmas_losses(scenario), folder
        if compile_space(scenario).n_packages() <= ANALYSED_UP_TO:
            analysed += 1
            assert _analysis(back) == _analysis(scenario), folder
    assert len(folders) >= 150 and analysed >= 40, analysed


@needs_negmas
def test_negmas_evaluates_accord_written_folders_as_accord_does(tmp_path):
    folders = [f for f in _folders() if _genius(f) is not None][::EVERY]
    if not folders:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    jobs, expected = [], {}
    for k, folder in enumerate(folders):
        scenario = _genius(folder)
        out = tmp_path / str(k)
        save_negmas(scenario, out)
        packages = _sample(scenario, 30, k)
        jobs.append({"folder": str(out), "outcomes": _labels(scenario, packages, out)})
        expected[str(out)] = (scenario, utilities(compile_space(scenario), packages))
    for out, result in _run_negmas(jobs).items():
        scenario, mine = expected[out]
        assert result["info"] == scenario.id
        rows = {row["name"]: row for row in result["ufuns"]}  # NegMAS: in file-name order
        for p, party in enumerate(scenario.parties):
            row = rows[party.id]
            assert np.allclose(row["values"], mine[:, p], atol=1e-9), out
            assert row["reserved"] == pytest.approx(party.reservation)
            assert row["discount"] in (None, 1.0) or row["discount"] == party.discount_factor


@needs_negmas
def test_negmas_written_reference_folders_read_as_negmas_evaluates_them(tmp_path):
    picks = ["anac/y2010/Travel", "anac/y2011/Camera", "anac/y2012/Fitness",
             "other/IntegerDomain", "other/web_service", "other/Domain1",
             "anac/y2014/10issues"]
    picks = [GENIUS_DATA / p for p in picks if (GENIUS_DATA / p).is_dir()]
    if not picks:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    jobs = [{"genius": str(p), "folder": str(tmp_path / p.name), "outcomes": []} for p in picks]
    _run_negmas(jobs)  # NegMAS writes its own folders; now read them and sample packages
    expected = {}
    for job in jobs:
        scenario = load_negmas_folder(job["folder"])
        packages = _sample(scenario, 40, 1)
        job.update(genius=None, outcomes=_labels(scenario, packages, Path(job["folder"])))
        expected[job["folder"]] = (scenario, utilities(compile_space(scenario), packages))
    for folder, result in _run_negmas(jobs).items():
        scenario, mine = expected[folder]
        for p, (party, row) in enumerate(zip(scenario.parties, result["ufuns"])):
            assert np.allclose(row["values"], mine[:, p], atol=1e-9), folder
            assert party.reservation == pytest.approx(row["reserved"])
            assert party.discount_factor == pytest.approx(row["discount"] or 1.0)


# ------------------------------------------------------------------ the hand-written folder


def test_a_hand_written_folder_is_read_exactly():
    scenario = resolve(SMALL)
    assert [i.option_ids() for i in scenario.issues][:2] == [["red", "green", "blue"],
                                                            ["0", "1", "2", "3", "4"]]
    assert len(scenario.issues[2].options) == 11  # a real issue: `points` values
    buyer, seller = scenario.parties
    assert (buyer.reservation, seller.reservation, seller.discount_factor) == (0.25, 0.1, 0.9)
    # share (index 3 = 0.3): the buyer's IdentityFun (left out of `values`), the seller's
    # open interval (0, 0.5) of its third rectangle, its weight 2 and bias -0.05
    got = utilities(compile_space(scenario), np.array([[2, 3, 3], [0, 1, 2]]))
    assert got[0] == pytest.approx([0.5 * 0 + 0.3 * 0.25 + 0.2 * 0.3,
                                    0.4 * 2 + 0.1 * 0.75 + 0.5 * 0.7 + 2 * (0.2 - 0.05)])
    assert got[1] == pytest.approx([0.5 + 0.3 * 0.75 + 0.2 * 0.2,
                                    0.1 * 0.25 + 0.5 * 0.8 + 2 * (0.1 + 0.3 - 0.05)])


def test_yaml_scenario_with_interactions_and_terms_round_trips(tmp_path):
    scenario = resolve(SMALL)
    data = scenario.model_dump()
    data["parties"][0]["interactions"] = [{"a": "colour/red", "b": "days/1", "value": -0.3}]
    data["parties"][0]["terms"] = [{"value": 0.2, "outside": True,
                                    "when": {"colour": ["red"], "share": ["0", "0.1"]}}]
    scenario = Scenario.build(data)
    written = save(scenario, tmp_path / "n", "negmas")
    assert {p.name for p in written} >= {"small_domain.yml", "buyer.yml", "_info.yml"}
    back = resolve(tmp_path / "n")
    packages = _sample(scenario, 200, 3)
    assert np.allclose(utilities(compile_space(back), packages),
                       utilities(compile_space(scenario), packages), atol=1e-12)
    assert back.parties[0].interactions == scenario.parties[0].interactions


# ------------------------------------------------------------------ malformed folders


def _folder(tmp_path: Path) -> Path:
    out = tmp_path / "bad"
    out.mkdir()
    for path in SMALL.iterdir():
        (out / path.name).write_text(path.read_text())
    return out


@pytest.mark.parametrize(("change", "words"), [
    (("buyer.yml", "colour: {type: TableFun, mapping: {red: 1.0, green: 0.5, blue: 0.0}}",
      "colour: {type: TableFun, mapping: {red: 1.0, green: 0.5, blue: 0.0, pink: 1}}"),
     ["buyer.yml:6", "unknown value 'pink' of issue 'colour'"]),
    (("buyer.yml", "reserved_value: 0.25", "reserved_value: [0.25"),
     ["buyer.yml:", "not valid YAML"]),
    (("seller.yml", "discount: 0.9", "discount: high"),
     ["seller.yml:3", "discount", "expected a discount factor"]),
    (("small_domain.yml", "type: ContiguousIssue", "type: MysteryIssue"),
     ["small_domain.yml:9", "unsupported type 'MysteryIssue'"]),
    (("seller.yml", "utilities: [0.2, 0.1, 0.3]", "utilities: [0.2, 0.1]"),
     ["seller.yml:", "outcome_ranges", "lists of the same length"]),
])
def test_malformed_folders_give_located_errors(tmp_path, change, words):
    folder = _folder(tmp_path)
    name, old, new = change
    text = (folder / name).read_text()
    assert old in text
    (folder / name).write_text(text.replace(old, new))
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert "Traceback" not in result.output
    for word in words:
        assert word in flat, flat


def test_a_folder_without_utility_functions_is_refused(tmp_path):
    folder = _folder(tmp_path)
    for name in ("buyer.yml", "seller.yml"):
        (folder / name).unlink()
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert "small_domain.yml" in flat and "no utility-function YAML" in flat


def test_a_folder_with_two_domains_is_refused(tmp_path):
    folder = _folder(tmp_path)
    (folder / "other_domain.yml").write_text((SMALL / "small_domain.yml").read_text())
    with pytest.raises(ScenarioError, match="more than one NegMAS domain"):
        resolve(folder)


# ------------------------------------------------------------------ accord convert --to negmas


def test_convert_refuses_a_lossy_negmas_folder_unless_asked(tmp_path):
    out = tmp_path / "uk"
    refused = runner.invoke(app, ["convert", "ukraine-2025", "--to", "negmas", "-o", f"{out}/"])
    assert refused.exit_code == 2, refused.output
    message = " ".join(refused.stderr.split())
    assert message.startswith("error: converting ukraine-2025 to a NegMAS folder would change "
                              "the analysis: the converted scenario has a zone of agreement")
    assert "32 red line(s)" in message and not out.exists()
    written = runner.invoke(app, ["convert", "ukraine-2025", "--to", "negmas", "-o", f"{out}/",
                                  "--lossy"])
    assert written.exit_code == 0, written.output
    assert "warning: dropped: 32 red line(s)" in " ".join(written.stderr.split())
    assert (out / "_info.yml").is_file()
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_convert_to_negmas_needs_a_folder(tmp_path):
    result = runner.invoke(app, ["convert", str(SMALL), "--to", "negmas",
                                 "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "NegMAS scenario folder" in " ".join(result.output.split())
    ok = runner.invoke(app, ["convert", str(SMALL), "--to", "negmas", "-o", f"{tmp_path}/n/"])
    assert ok.exit_code == 0, ok.output
    back, small = resolve(tmp_path / "n"), resolve(SMALL)
    assert [p.id for p in back.parties] == ["buyer", "seller"]
    everything = np.array(np.meshgrid(*[range(len(i.options)) for i in small.issues],
                                      indexing="ij")).reshape(len(small.issues), -1).T
    assert np.allclose(utilities(compile_space(back), everything),
                       utilities(compile_space(small), everything), atol=1e-12)
