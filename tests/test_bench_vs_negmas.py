"""benchmarks/bench_vs_negmas.py's children answer in JSON (accord's always; NegMAS's and the
agreement check when /tmp/negmas-venv is here), and its parent kills a child past its time.
No timings are asserted: speed is the benchmark's business (docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHILD = ROOT / "benchmarks" / "_vs_negmas_children.py"
LAPTOP = ROOT.parent / "shared" / "data" / "external" / "genius-anac" / "anac" / "y2011" / "Laptop"
NEGMAS_PYTHON = Path("/tmp/negmas-venv/bin/python")
SOLUTIONS = {"utilitarian", "nash", "asymmetric-nash", "kalai-smorodinsky", "egalitarian"}
needs_shared = pytest.mark.skipif(not LAPTOP.is_dir(),
                                  reason="../shared/data/external/genius-anac is not here")


def _child(python: Path | str, *args: str) -> dict:
    done = subprocess.run([str(python), str(CHILD), *args], capture_output=True, text=True,
                          cwd=CHILD.parent, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def accord_answer(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    answer = _child(sys.executable, "accord", str(LAPTOP))
    path = tmp_path_factory.mktemp("vs-negmas") / "accord.json"
    path.write_text(json.dumps(answer))
    return answer, path


@needs_shared
def test_accord_child_prints_frontier_and_five_solutions(accord_answer) -> None:
    answer, _ = accord_answer
    assert answer["side"] == "accord" and answer["complete"] is True
    assert answer["load"] > 0 and answer["compute"] > 0
    frontier = answer["frontier"]
    assert frontier and all(len(point) == 2 for point in frontier)
    assert set(answer["solutions"]) == SOLUTIONS
    for utilities in answer["solutions"].values():  # each solution is a frontier point
        assert any(max(abs(a - b) for a, b in zip(utilities, p)) <= 1e-9 for p in frontier)


@needs_shared
@pytest.mark.skipif(not NEGMAS_PYTHON.exists(), reason="no NegMAS at /tmp/negmas-venv")
def test_negmas_child_agrees_with_accord(accord_answer, tmp_path: Path) -> None:
    _, accord_path = accord_answer
    negmas = _child(NEGMAS_PYTHON, "negmas", str(LAPTOP), "genius")
    assert negmas["side"] == "negmas" and negmas["normalised"] is True
    (tmp_path / "negmas.json").write_text(json.dumps(negmas))
    verdict = _child(sys.executable, "check", str(LAPTOP), str(accord_path),
                     str(tmp_path / "negmas.json"))
    assert verdict["verdict"] == "yes", verdict
    assert verdict["frontier"] == "same" and verdict["nash"] == "same"


def test_parent_kills_a_child_past_its_time() -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_vs_negmas", ROOT / "benchmarks" / "bench_vs_negmas.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    finished = bench.run_child([sys.executable, "-c", 'print(\'{"x": 1}\')'], 30, 4096)
    assert finished["status"] == "ok" and finished["answer"] == {"x": 1}
    assert finished["rss"] > 0 and finished["wall"] > 0
    killed = bench.run_child([sys.executable, "-c", "import time; time.sleep(30)"], 0.3, 4096)
    assert killed["status"] == "timeout"
