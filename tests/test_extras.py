"""The core install without its extras (accord/extras.py), as a user of `pip install accord`.

Each command runs in a fresh process in which the extras' modules cannot be imported (a
`sitecustomize` marks them absent, as an uninstalled package is: `import` fails and
`importlib.util.find_spec` says None). What the core does must give the same answers as
with the extras; what needs an extra must say which, never a traceback.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.extras import EXTRAS, install_hint, missing, require
from accord.errors import UsageError

HIDDEN = ["numba", "llvmlite", "uvloop", "httptools", "vl_convert", "spacy", "simplemma",
          "trafilatura", "sklearn"]
ACCORD = Path(sys.executable).with_name("accord")
ARTICLE = Path(__file__).parent / "data" / "articles" / "en-abu-dhabi-talks-2025-11-26.yaml"


@pytest.fixture(scope="module")
def hide(tmp_path_factory) -> dict[str, str]:
    """Environment in which the extras' modules are absent."""
    folder = tmp_path_factory.mktemp("hide")
    (folder / "sitecustomize.py").write_text(
        "import os, sys\n"
        "for name in os.environ['ACCORD_TEST_HIDE'].split(','):\n"
        "    sys.modules[name] = None\n")
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "ACCORD_TEST_HIDE": ",".join(HIDDEN)}


def run(args: list[str], env: dict[str, str] | None, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACCORD), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def test_the_hiding_works(hide, tmp_path):
    probe = ("import importlib.util, sys\n"
             f"print([importlib.util.find_spec(m) is None for m in {HIDDEN!r}])\n"
             "from accord.extras import missing\n"
             "print(missing('fast'), missing('figures'), missing('evidence'))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=hide, cwd=tmp_path, check=True).stdout.splitlines()
    assert out[0] == str([True] * len(HIDDEN))
    assert out[1] == ("['numba', 'uvloop', 'httptools'] ['vl-convert-python'] "
                      "['spacy', 'simplemma', 'trafilatura']")


@pytest.mark.parametrize("parties", [3, 4, 5])
def test_analysis_without_numba_gives_the_same_json(hide, tmp_path, parties):
    """The frontier for three or more parties by the numpy sweep: the same frontier, the
    same solutions, the same everything."""
    scenario = tmp_path / "s.yaml"
    size = {3: "9", 4: "7", 5: "6"}[parties]
    run(["generate", "-o", str(scenario), "--issues", size, "--options", "3", "--parties",
         str(parties), "--seed", "1"], None, tmp_path).check_returncode()
    core = run(["analyze", str(scenario), "--json"], hide, tmp_path)
    full = run(["analyze", str(scenario), "--json"], None, tmp_path)
    assert core.returncode == 0, core.stderr
    assert json.loads(core.stdout)["frontier"]["complete"]
    assert json.loads(core.stdout) == json.loads(full.stdout)


def test_html_report_without_figures_has_its_tables_and_says_how_to_get_charts(hide, tmp_path):
    result = run(["report", "ukraine-2025", "-o", str(tmp_path / "r.html")], hide, tmp_path)
    assert result.returncode == 0, result.stderr
    page = html.unescape((tmp_path / "r.html").read_text("utf-8"))
    assert install_hint("figures") in page and "This page has no charts" in page
    assert "vegaEmbed" not in page and "<table" in page


def test_static_figures_and_evidence_name_their_extra(hide, tmp_path):
    png = run(["report", "ukraine-2025", "--format", "png", "-o", str(tmp_path / "figs")],
              hide, tmp_path)
    assert png.returncode == 2 and "Traceback" not in png.stderr + png.stdout
    assert "vl-convert-python" in png.stderr and "accord[figures]" in png.stderr
    evidence = run(["evidence", str(ARTICLE)], hide, tmp_path)
    assert evidence.returncode == 2 and "Traceback" not in evidence.stderr + evidence.stdout
    assert ("accord evidence needs the optional packages spacy, simplemma, trafilatura: "
            "pip install 'accord[evidence]'") in " ".join(evidence.stderr.split())


def test_diff_without_scikit_learn_gives_the_same_comparison(hide, tmp_path):
    args = ["diff", "ukraine-28-point-2025-11", "europe-counterproposal-2025-11", "--json"]
    core, full = run(args, hide, tmp_path), run(args, None, tmp_path)
    assert core.returncode == 0, core.stderr
    assert json.loads(core.stdout) == json.loads(full.stdout)


def test_the_room_serves_without_uvloop_and_httptools(hide, tmp_path):
    """uvicorn falls back to asyncio's loop and h11: a mediator can open a room."""
    from room_helpers import free_port, stop_server

    port = free_port()
    server = subprocess.Popen([str(ACCORD), "serve", "--port", str(port), "--data-dir",
                               str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**hide, "PYTHONUNBUFFERED": "1"})
    try:
        line = server.stdout.readline()
        assert line.startswith(f"accord room on http://127.0.0.1:{port}/"), line
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200 and "<form" in page.text
    finally:
        stop_server(server)


def test_require_names_the_extra_and_its_packages(monkeypatch):
    for extra, modules in EXTRAS.items():
        for module in modules:
            monkeypatch.setitem(sys.modules, module, None)
        with pytest.raises(UsageError, match=rf"accord\[{extra}\]"):
            require(extra, "this feature")
        assert len(missing(extra)) == len(modules)


words = st.text(st.sampled_from("aàbçeéiïoöuü nñßﬁ②\t\n.,'-0123456789ΣσЖж"), max_size=30)


@settings(max_examples=150)
@given(st.lists(words, min_size=1, max_size=6))
def test_char_tfidf_equals_scikit_learns(texts):
    """The core's TF-IDF encoder is scikit-learn's TfidfVectorizer, vector for vector."""
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    from accord.compare.encoders import CharTfidfEncoder

    mine = CharTfidfEncoder().encode(texts)
    if not any(t.strip() for t in texts):
        assert not mine.any()
        return
    vectorizer = sklearn_text.TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                              sublinear_tf=True, strip_accents="unicode")
    try:
        reference = vectorizer.fit_transform(texts).toarray()
    except ValueError:  # scikit-learn: "empty vocabulary" (no word of the texts)
        assert not mine.any() or mine.shape[1] == 0
        return
    assert mine.shape == reference.shape
    assert np.allclose(mine, reference, atol=1e-12)
