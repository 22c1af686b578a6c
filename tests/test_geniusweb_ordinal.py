"""GeniusWeb DefaultPartialOrdering profiles: read as a ranking of bids, never as numbers.

The fixtures in tests/data/geniusweb/ are hand-written in the shape of GeniusWeb's wiki
example (`name`, `domain`, `bids`, `better` pairs [i, j] meaning bids[i] ≥ bids[j], and a
reservation bid spelled `reservationBid` or `reservationbid`).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import ScenarioError
from accord.io import resolve, resolve_many
from accord.io.geniusweb_ordinal import load_ordinal

DATA = Path(__file__).parent / "data" / "geniusweb"
runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_ranking_is_read_as_a_ranking():
    ranking = load_ordinal(DATA / "jobs-ranking.json")
    assert (ranking.name, ranking.domain, len(ranking.bids)) == ("jobs-ranking", "jobs", 5)
    assert ranking.issues == ("salary", "lease car", "fte")
    assert ranking.bids[0] == {"salary": "3000", "lease car": "yes", "fte": "1"}
    assert ranking.reservation == {"salary": "2000", "lease car": "no", "fte": "0.6"}
    # transitive: 0 ≥ 1 ≥ 3 ≥ 4, so 0 ≥ 4; 1 and 2 are not compared
    assert ranking.is_better(0, 4) and ranking.is_strictly_better(0, 4)
    assert not ranking.is_better(4, 0)
    assert not ranking.is_better(1, 2) and not ranking.is_better(2, 1)
    assert ranking.ranking() == [[0], [1, 2], [3], [4]]
    assert ranking.incomparable_pairs() == 1 and not ranking.is_total()
    assert ranking.ties() == []


def test_pairs_both_ways_are_ties_not_errors():
    """GeniusWeb's relation is ≥ (isPreferredOrEqual): green ≥ blue ≥ green says they are
    equally good, as GeniusWeb's own documentation reads it."""
    ranking = load_ordinal(DATA / "ties.json")
    assert ranking.ties() == [(1, 2)]
    assert ranking.is_better(1, 2) and ranking.is_better(2, 1)
    assert not ranking.is_strictly_better(1, 2)
    assert ranking.ranking() == [[0], [1, 2], [3]]
    assert ranking.is_total()


def test_analysis_refuses_an_ordinal_profile_naming_the_file():
    path = DATA / "jobs-ranking.json"
    with pytest.raises(ScenarioError) as info:
        resolve(path)
    message = str(info.value)
    assert f"{path}: DefaultPartialOrdering: GeniusWeb profile type 'DefaultPartialOrdering' " \
           "is not supported for analysis: it is an ordinal profile (a ranking of 5 bid(s), " \
           "not utilities)" in message
    assert "need a utility for every package" in message
    assert f"accord validate {path}" in message


def test_an_ordinal_profile_among_linear_ones_is_named(tmp_path):
    linear = {"LinearAdditiveUtilitySpace": {
        "name": "a", "domain": {"name": "colours", "issuesValues": {
            "colour": {"values": ["red", "green", "blue", "grey"]}}},
        "issueWeights": {"colour": 1}, "issueUtilities": {"colour": {
            "DiscreteValueSetUtilities": {"valueUtilities": {"red": 1, "green": 0.5}}}}}}
    (tmp_path / "a.json").write_text(json.dumps(linear), encoding="utf-8")
    (tmp_path / "b.json").write_text((DATA / "ties.json").read_text(), encoding="utf-8")
    for load in (lambda: resolve(tmp_path), lambda: resolve_many(sorted(tmp_path.iterdir()))):
        with pytest.raises(ScenarioError) as info:
            load()
        assert f"{tmp_path / 'b.json'}: DefaultPartialOrdering" in str(info.value)
        assert "a ranking of 4 bid(s)" in str(info.value)


def test_validate_reports_the_ranking_and_analyze_refuses_it():
    result = runner.invoke(app, ["validate", str(DATA / "jobs-ranking.json")])
    assert result.exit_code == 0, result.output
    out = _flat(result.stdout)
    assert "a valid GeniusWeb DefaultPartialOrdering — an ordinal profile: 5 bid(s) over 3 " \
           "issue(s) of the domain 'jobs', 6 'better' pair(s), 4 rank(s), a partial order: 1 " \
           "pair(s) of bids not compared" in out
    assert "gives them no utilities" in out
    result = runner.invoke(app, ["validate", str(DATA / "ties.json")])
    assert "2 bid(s) tied in 1 group(s), a total order" in _flat(result.stdout)
    for command in (["analyze"], ["convert", "-o", "x.yaml"]):
        result = runner.invoke(app, [*command, str(DATA / "jobs-ranking.json")])
        assert result.exit_code == 2, result.output
        assert "is not supported for analysis: it is an ordinal profile" in _flat(result.stderr)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("name, located", [
    ("bad-index.json", [
        "DefaultPartialOrdering.better[1][1]: bid index 5 does not exist: there are 2 bid(s), "
        "numbered 0 to 1",
        "DefaultPartialOrdering.better[2][0]: expected a bid index (a whole number), got 0.5",
        "DefaultPartialOrdering.better[3]: expected a pair [i, j] of bid indices, got a list "
        "of 3"]),
    ("bad-bids.json", [
        "DefaultPartialOrdering.bids[0].issuevalues.colour: unknown value \"purple\"; expected "
        "one of red, green",
        "DefaultPartialOrdering.bids[1].issuevalues.size: issue 'size' is not in the domain",
        "DefaultPartialOrdering.bids[2]: expected {\"issuevalues\": {issue: value, …}}",
        "DefaultPartialOrdering.bids[4]: the same bid as bids[3]; each bid is listed once",
        "DefaultPartialOrdering.better: missing or not a list of [better, worse] bid-index "
        "pairs"]),
    ("no-domain.json", ["DefaultPartialOrdering.domain: missing or not an object"]),
])
def test_malformed_rankings_name_file_and_field(name, located):
    path = DATA / name
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    for text in located:
        assert f"{path}: {text}" in _flat(result.stderr), result.stderr
    result = runner.invoke(app, ["analyze", str(path)])  # refused, and the flaws listed too
    assert result.exit_code == 2
    assert "is not supported for analysis" in result.stderr and "malformed too" in result.stderr
    assert all(text.split(":")[0] in result.stderr for text in located)


def test_a_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"DefaultPartialOrdering": {\n "bids": [\n}', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and f"{path}:3: not valid JSON" in result.stderr


def test_mutated_rankings_load_or_fail_cleanly(tmp_path):
    text = (DATA / "jobs-ranking.json").read_text()
    rng = random.Random(5)
    for k in range(120):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(chars))
            chars[at] = rng.choice('{}[],:"0123456789 -.aeynx')
        path = tmp_path / f"{k}.json"
        path.write_text("".join(chars), encoding="utf-8")
        for load in (load_ordinal, resolve):
            try:
                load(path)
            except ScenarioError as error:
                assert str(path) in str(error)
