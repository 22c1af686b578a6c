"""GENIUS XML and GeniusWeb JSON: reading, writing, resolving, and refusing what cannot be read.

The GENIUS/ANAC scenarios are read in place from ../shared (they may not be copied into the
repository); the tests that need them skip when that folder is absent. Every other test builds
its own small files.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import scenarios
from typer.testing import CliRunner

import accord
from accord.analysis import compile_space, utilities
from accord.cli import app
from accord.errors import ScenarioError, UsageError
from accord.io import (
    genius_losses,
    load_genius,
    load_genius_folder,
    load_geniusweb,
    resolve,
    resolve_many,
    save,
    save_genius,
    save_scenario,
)
from accord.io.genius import genius_files, genius_profiles
from accord.model import Scenario
from accord.model.synthetic import random_scenario
from genius_reference import nonlinear_utility as _reference_nonlinear
from genius_reference import scenario_folders

GENIUS_DATA = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
               / "genius-anac")

SUPPORTED_FAILURES = (
    "no GENIUS domain XML in this folder; its sub-folders",
)
"""Why a shared scenario folder may fail to load: the folder's own fault, named."""

MIN_LOADED = 174
"""Scenario folders of the shared data that load: 174 of 175 (the 173 folders under
`anac/y20*/` and `other/`, plus the two sub-folders of `other/journal_learning`), the 19
non-linear ANAC-2014-style domains included. The other is the `journal_learning` parent
folder, which holds no domain of its own (its sub-folders do, and the message says so)."""


def _scenario_folders() -> list[Path]:
    return scenario_folders(GENIUS_DATA)


FOLDERS = _scenario_folders()


def _name(folder: Path | None) -> str:
    return "no-shared-data" if folder is None else str(folder.relative_to(GENIUS_DATA))


@cache
def _load(folder: Path) -> Scenario | ScenarioError:
    try:
        return load_genius_folder(folder)
    except ScenarioError as error:
        return error


def _need(folder: Path | None) -> Path:
    if folder is None:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    return folder


# ------------------------------------------------------------- a tiny independent evaluator


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _reference_utility(profile: Path, bid: dict[str, str]) -> float:
    """GENIUS's utility of a bid ({issue index: value text}) read straight from the XML:
    Σ weight × evaluation / max evaluation (discrete), linear clamped to [0, 1] (integer);
    for a non-linear space, `_reference_nonlinear`."""
    root = ET.parse(profile).getroot()
    if root.get("type") == "nonlinear":
        return _reference_nonlinear(root, bid)
    weights = {w.get("index"): float(w.get("value")) for w in root.iter("weight")}
    total = 0.0
    for issue in root.iter("issue"):
        index = issue.get("index")
        weight = weights.get(index, 0.0)
        if weight == 0:
            continue
        value = bid[index]
        items = [i for i in issue.findall("item") if i.get("evaluation") is not None]
        if items:
            table = {i.get("value").strip(): float(i.get("evaluation")) for i in items}
            best = max(table.values())
            if value not in table:  # integer issue given per value
                table = {float(k): v for k, v in table.items()}
                value = float(value)
            evaluation = 0.0 if best < 1e-5 else table[value] / best
        else:
            evaluator, x = issue.find("evaluator"), float(value)
            if evaluator is None:
                evaluation = 0.0
            elif evaluator.get("slope") is not None:
                bounds = issue if issue.get("lowerbound") is not None else issue.find("range")
                low = float(bounds.get("lowerbound"))
                evaluation = _clamp(float(evaluator.get("offset"))
                                    + float(evaluator.get("slope")) * (x - low))
            else:
                evaluation = _clamp(float(evaluator.get("parameter0", 0))
                                    + float(evaluator.get("parameter1", 0)) * x)
        total += weight * evaluation
    return total


def _domain_sizes(domain: Path) -> list[int]:
    sizes = []
    for issue in ET.parse(domain).getroot().iter("issue"):
        if issue.get("type") == "integer":
            bounds = issue if issue.get("lowerbound") is not None else issue.find("range")
            count = int(bounds.get("upperbound")) - int(bounds.get("lowerbound")) + 1
            sizes.append(count if count <= 1000 else 11)
        else:
            sizes.append(len(issue.findall("item")))
    return sizes


# ------------------------------------------------------------------- the shared scenarios


@pytest.mark.parametrize("folder", FOLDERS or [None], ids=_name)
def test_shared_scenario_loads_or_names_what_is_unsupported(folder):
    result = _load(_need(folder))
    if isinstance(result, ScenarioError):
        message = str(result)
        assert any(reason in message for reason in SUPPORTED_FAILURES), message
        assert str(folder) in message  # names the file or folder
        return
    scenario = result
    domain, _ = genius_files(folder)
    profiles = genius_profiles(domain)
    assert len(scenario.parties) == len(profiles)
    space = compile_space(scenario)
    assert space.n_packages() == int(np.prod(_domain_sizes(domain), dtype=object))

    # utilities of random bids: accord's engine against the XML read independently
    indices = [issue.get("index") for issue in ET.parse(domain).getroot().iter("issue")]
    rng = np.random.default_rng(zlib.crc32(_name(folder).encode()))
    packages = np.array([[rng.integers(0, int(n)) for n in space.sizes] for _ in range(6)])
    ours = utilities(space, packages)
    for k, package in enumerate(packages):
        bid = {indices[i]: scenario.issues[i].options[o].label for i, o in enumerate(package)}
        for p, profile in enumerate(profiles):
            # GENIUS caps a non-linear space's utility at 1 (its `maxutility` is an estimate
            # some bids exceed); accord keeps the sum (docs/formats.md)
            mine = min(1.0, ours[k, p]) if scenario.parties[p].terms else ours[k, p]
            assert mine == pytest.approx(_reference_utility(profile, bid), abs=1e-9), \
                (profile.name, bid)

    for party, profile in zip(scenario.parties, profiles):
        root = ET.parse(profile).getroot()
        reservation = root.find(".//reservation")
        discount = root.find(".//discount_factor")
        assert party.reservation == (float(reservation.get("value")) if reservation is not None
                                     else 0.0)
        d = float(discount.get("value")) if discount is not None else 1.0
        assert party.discount_factor == (d if 0 < d <= 1 else 1.0)
        assert party.capability == 1.0


def test_shared_scenarios_summary():
    if not FOLDERS:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    results = {_name(f): _load(f) for f in FOLDERS}
    loaded = [name for name, r in results.items() if isinstance(r, Scenario)]
    failed = {name: str(r) for name, r in results.items() if isinstance(r, ScenarioError)}
    assert len(loaded) >= MIN_LOADED, sorted(failed)
    assert sorted(failed) == ["other/journal_learning"], sorted(failed)
    # every ANAC 2014 domain is non-linear, and loads
    assert sum(1 for name in loaded if name.startswith("anac/y2014/")) == 12


def test_itex_cypress_names_values_and_reservation():
    folder = _need(GENIUS_DATA / "anac" / "y2010" / "ItexvsCypress"
                   if GENIUS_DATA.is_dir() else None)
    scenario = resolve(folder / "ItexvsCypress_domain.xml")
    assert [p.id for p in scenario.parties] == ["cypress", "itex"]
    assert [p.name for p in scenario.parties] == ["Cypress", "Itex"]
    price = scenario.issue("Price")
    assert price.title == "Price"
    assert [(o.id, o.label) for o in price.options][:2] == [("4.37", "$4.37"), ("4.12", "$4.12")]
    returns = scenario.issue("Returns")
    assert returns.options[1].id == "5-spoilage-allowed"
    # Cypress: weights 0.470..., evaluations 1..40 over 5 prices -> valuation 40/40 = 1
    cypress = scenario.party("cypress").preferences
    assert cypress["Price"].salience == pytest.approx(0.4700166576535899)
    assert cypress["Price"].valuations["3.47"] == 1.0
    assert cypress["Price"].valuations["4.37"] == pytest.approx(1 / 40)
    assert accord.analyze(scenario).zone.exists


def test_integer_issues_linear_evaluator_and_discretisation():
    folder = _need(GENIUS_DATA / "other" / "web_service" if GENIUS_DATA.is_dir() else None)
    scenario = resolve(folder)
    (issue,) = scenario.issues
    assert [o.label for o in issue.options] == [str(v) for v in range(0, 2001, 200)]
    assert "discretised into 11 evenly spaced integers" in scenario.description
    a, b = scenario.parties
    assert a.preferences[issue.id].valuations["200"] == pytest.approx(0.9)
    assert b.preferences[issue.id].valuations["2000"] == 1.0
    # a tighter limit also discretises the small integer issues; more points, finer
    small = load_genius_folder(GENIUS_DATA / "other" / "IntegerDomain", integer_limit=5, points=3)
    assert [o.label for o in small.issues[0].options] == ["-5", "0", "5"]
    assert [o.id for o in small.issues[0].options] == ["minus-5", "0", "5"]


def test_utility_spaces_named_by_the_domain_are_used():
    folder = _need(GENIUS_DATA / "other" / "laptopdomain" if GENIUS_DATA.is_dir() else None)
    scenario = resolve(folder)  # the domain names seller and buyer; laptop_test.xml is left out
    assert [p.id for p in scenario.parties] == ["seller", "buyer"]


def test_explicit_domain_and_profiles_in_any_order():
    folder = _need(GENIUS_DATA / "anac" / "y2012" / "CarA" if GENIUS_DATA.is_dir() else None)
    files = [folder / "Car-A-prof2.xml", folder / "Car-A-domain.xml", folder / "Car-A-prof1.xml"]
    scenario = resolve_many([str(f) for f in files])
    assert [p.id for p in scenario.parties] == ["prof2", "prof1"]
    assert scenario == load_genius(folder / "Car-A-domain.xml",
                                   [folder / "Car-A-prof2.xml", folder / "Car-A-prof1.xml"])


def test_a_profile_given_as_the_scenario_is_explained():
    folder = _need(GENIUS_DATA / "anac" / "y2012" / "CarA" if GENIUS_DATA.is_dir() else None)
    with pytest.raises(ScenarioError, match="it is a utility space: pass the domain file or "
                                            "the folder"):
        resolve(folder / "Car-A-prof1.xml")


def test_journal_learning_parent_folder_points_to_its_sub_folders():
    folder = _need(GENIUS_DATA / "other" / "journal_learning" if GENIUS_DATA.is_dir() else None)
    with pytest.raises(ScenarioError, match="sub-folders four_issues, six_issues hold GENIUS"):
        resolve(folder)


# ----------------------------------------------------------------------- round trips


def _same_preferences(a: Scenario, b: Scenario) -> None:
    """Same utilities (compiled weights), reservations and discount factors."""
    assert [p.id for p in a.parties] == [p.id for p in b.parties]
    assert [p.name for p in a.parties] == [p.name for p in b.parties]
    assert [p.reservation for p in a.parties] == [p.reservation for p in b.parties]
    assert [p.discount_factor for p in a.parties] == [p.discount_factor for p in b.parties]
    np.testing.assert_allclose(compile_space(a).weights, compile_space(b).weights,
                               rtol=0, atol=1e-12)


def _same_space(a: Scenario, b: Scenario) -> None:
    assert [(i.id, i.title) for i in a.issues] == [(i.id, i.title) for i in b.issues]
    assert [[(o.id, o.label) for o in i.options] for i in a.issues] == \
        [[(o.id, o.label) for o in i.options] for i in b.issues]


@pytest.mark.parametrize("name", ["ukraine-2025", "gaza-2025"])
def test_yaml_to_genius_and_back_keeps_issues_options_and_utilities(name, tmp_path):
    original = resolve(name)
    written = save(original, tmp_path / "genius", "genius")
    assert written[0].name == f"{original.id}_domain.xml" and len(written) == 1 + len(
        original.parties)
    back = resolve(tmp_path / "genius")
    _same_space(original, back)
    _same_preferences(original, back)
    assert (back.id, back.title, back.description) == (original.id, original.title,
                                                       original.description)
    for a, b in zip(original.parties, back.parties):  # best option valued 1: saliences kept
        for issue_id, pref in a.preferences.items():
            assert b.preferences[issue_id].salience == pytest.approx(pref.salience, abs=1e-12)
            assert b.preferences[issue_id].valuations == pytest.approx(pref.valuations,
                                                                       abs=1e-12)
    losses = genius_losses(original)
    assert any("red line" in loss for loss in losses) and any("draft" in loss for loss in losses)
    assert not back.drafts and not any(pref.red_lines for p in back.parties
                                       for pref in p.preferences.values())


def test_random_yaml_scenario_round_trip_is_exact(tmp_path):
    original = random_scenario(6, 4, 3, seed=7, red_line_rate=0.0, n_drafts=0)
    save_scenario(original, tmp_path / "random.yaml")
    loaded = resolve(tmp_path / "random.yaml")
    save(loaded, tmp_path / "xml", "genius")
    back = resolve(tmp_path / "xml")
    _same_space(original, back)
    for a, b in zip(original.parties, back.parties):
        assert (a.id, a.name, a.reservation) == (b.id, b.name, b.reservation)
        assert {k: (p.salience, p.valuations) for k, p in a.preferences.items()} == \
            {k: (p.salience, p.valuations) for k, p in b.preferences.items()}
    assert genius_losses(original) == ["capabilities: GENIUS has no power weights"]


@settings(max_examples=40, deadline=None)
@given(scenarios(interactions=False, constraints=False))
def test_any_scenario_survives_genius_with_its_utilities(scenario):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        back = load_genius_folder(save_genius(scenario, folder)[0].parent)
    _same_space(scenario, back)
    _same_preferences(scenario, back)


def test_genius_to_accord_to_genius_is_identical(tmp_path):
    loaded = [(f, s) for f in FOLDERS for s in [_load(f)] if isinstance(s, Scenario)]
    if not loaded:
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    for k, (folder, scenario) in enumerate(loaded):
        out = tmp_path / str(k)
        save_genius(scenario, out)
        again = load_genius_folder(out)
        assert again == scenario, _name(folder)
        save_genius(again, tmp_path / f"{k}-again")
        for first, second in zip(sorted(out.iterdir()), sorted((tmp_path / f"{k}-again")
                                                               .iterdir())):
            assert first.read_bytes() == second.read_bytes(), first.name


# ---------------------------------------------------------------- small GENIUS files

DOMAIN = """<negotiation_template>
<utility_space number_of_issues="3">
<objective index="0" etype="objective" type="objective" name="root">
  <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Colour">
    <item index="1" value="red"/><item index="2" value="green"/><item index="3" value="blue"/>
  </issue>
  <issue index="2" type="integer" etype="integer" vtype="integer" name="Days" lowerbound="1"
         upperbound="5"/>
  <issue index="3" type="real" etype="real" vtype="real" name="Share">
    <range lowerbound="0" upperbound="1"/>
  </issue>
</objective>
</utility_space>
</negotiation_template>
"""

PROFILE = """<utility_space number_of_issues="3">
<reservation value="0.25"/>
<discount_factor value="0.9"/>
<objective index="0" etype="objective" type="objective" name="root">
  <issue index="1" type="discrete" name="Colour">
    <item index="1" value="red" evaluation="2"/>
    <item index="2" value="green" evaluation="8"/>
    <item index="3" value="blue" evaluation="4"/>
  </issue>
  <issue index="2" type="integer" name="Days" lowerbound="1" upperbound="5">
    <evaluator ftype="linear" slope="0.2" offset="0.1"/>
  </issue>
  <issue index="3" type="real" name="Share">
    <range lowerbound="0" upperbound="1"/>
    <evaluator ftype="linear" parameter0="0.5" parameter1="-0.5"/>
  </issue>
  <weight index="1" value="0.5"/>
  <weight index="2" value="0.3"/>
  <weight index="3" value="0.2"/>
</objective>
</utility_space>
"""


def _small(tmp_path: Path, domain: str = DOMAIN, profile: str = PROFILE,
           other: str | None = None) -> Path:
    folder = tmp_path / "small"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shop_domain.xml").write_text(domain, encoding="utf-8")
    (folder / "shop_buyer.xml").write_text(profile, encoding="utf-8")
    if other is not None:
        (folder / "shop_seller.xml").write_text(other, encoding="utf-8")
    (folder / "pareto.xml").write_text("0.1, 0.9\n0.5, 0.5\n", encoding="utf-8")  # not XML
    return folder


def test_small_genius_scenario_is_read_exactly(tmp_path):
    scenario = resolve(_small(tmp_path))
    assert scenario.id == "shop" and scenario.title == "Shop"
    assert [i.id for i in scenario.issues] == ["Colour", "Days", "Share"]
    assert [o.id for o in scenario.issue("Share").options] == [
        "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    assert "real issue 'Share' (0..1) is discretised into 11 evenly spaced values" in \
        scenario.description
    (buyer,) = scenario.parties
    assert (buyer.id, buyer.name, buyer.reservation, buyer.discount_factor) == (
        "buyer", "Buyer", 0.25, 0.9)
    prefs = buyer.preferences
    assert prefs["Colour"].salience == 0.5
    assert prefs["Colour"].valuations == {"red": 0.25, "green": 1.0, "blue": 0.5}
    # Days: 0.1 + 0.2 (x - 1) -> 0.1 .. 0.9, so salience 0.3 x 0.9 and valuations / 0.9
    assert prefs["Days"].salience == pytest.approx(0.27)
    assert prefs["Days"].valuations["5"] == 1.0
    assert prefs["Days"].valuations["1"] == pytest.approx(0.1 / 0.9)
    # Share: 0.5 - 0.5 x -> 0.5 at 0, 0 at 1: salience 0.2 x 0.5
    assert prefs["Share"].salience == pytest.approx(0.1)
    assert prefs["Share"].valuations["0"] == 1.0 and prefs["Share"].valuations["1"] == 0.0
    space = compile_space(scenario)
    package = space.package_from_ids({"Colour": "blue", "Days": "3", "Share": "0.4"})
    expected = 0.5 * 4 / 8 + 0.3 * (0.1 + 0.2 * 2) + 0.2 * (0.5 - 0.5 * 0.4)
    assert utilities(space, package)[0, 0] == pytest.approx(expected, abs=1e-12)


def _error(source) -> str:
    with pytest.raises(ScenarioError) as info:
        resolve(source)
    return str(info.value)


@pytest.mark.parametrize("text, line, words", [
    ("<negotiation_template>\n<utility_space>\n<objective>\n</utility_space>", 4,
     "not valid XML: mismatched tag"),
    ("<negotiation_template>\n<utility_space", 2, "not valid XML"),
    ("", 1, "not valid XML: no element found"),
    ("<negotiation_template>\n\n  <x a='1' a='2'/></negotiation_template>", 3,
     "not valid XML: duplicate attribute"),
    ("\x00\x01garbage", 1, "not valid XML"),
])
def test_malformed_domain_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "broken_domain.xml"
    path.write_text(text, encoding="latin-1")
    message = _error(path)
    assert f"{path}:{line}: {words}" in message


def test_entity_bombs_and_external_entities_are_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<negotiation_template>&lol2;</negotiation_template>')
    path = tmp_path / "bomb.xml"
    path.write_text(bomb)
    assert "refused: the XML declares entities" in _error(path)
    external = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<negotiation_template>&e;</negotiation_template>')
    path.write_text(external)
    assert "refused" in _error(path)


@pytest.mark.parametrize("old, new, words", [
    ('<weight index="2" value="0.3"/>', '<weight index="2" value="heavy"/>',
     "weight of issue index 2: 'heavy' is not a number"),
    ('<weight index="2" value="0.3"/>', '<weight index="2" value="-0.3"/>',
     "is not a finite number ≥ 0"),
    ('<item index="3" value="blue" evaluation="4"/>', '',
     "issue 'Colour': no evaluation for value(s) 'blue'"),
    ('evaluation="4"', 'evaluation="-4"', "negative evaluation -4.0 is not supported"),
    ('evaluation="4"', 'evaluation="four"', "evaluation='four' is not a number"),
    ('ftype="linear" slope', 'ftype="exponential" slope',
     "evaluator function 'exponential' is not supported"),
    ('<issue index="3" type="real" name="Share">', '<issue index="9" type="real" name="Share">',
     "issue 'Share' (index 9) is not in the domain"),
    ('<reservation value="0.25"/>', '<reservation value="lots"/>',
     "reservation: 'lots' is not a number"),
    ('<utility_space number_of_issues="3">', '<utility_space type="nonlinear">',
     "<item> in a non-linear utility space: GENIUS reads a space as additive or as "
     "hyper-rectangles, never both"),
    ('<utility_space number_of_issues="3">', '<utility_space type="constraint">',
     "a constraint-based utility space (GENIUS 'type=\"constraint\"'"),
])
def test_bad_profiles_name_file_line_and_problem(tmp_path, old, new, words):
    assert old in PROFILE
    folder = _small(tmp_path, profile=PROFILE.replace(old, new, 1))
    message = _error(folder)
    assert words in message
    profile = folder / "shop_buyer.xml"
    assert f"{profile}:" in message


NONLINEAR = """<utility_space type="nonlinear">
<discount_factor value="0.9"/>
<objective index="0" etype="objective" type="objective" name="root">
  <utility maxutility="10">
    <ufun type="PlainUfun" weight="1" aggregation="sum">
      <hyperRectangle utility="3"><INCLUDES index="2" min="2" max="3"/></hyperRectangle>
      <hyperRectangle utility="4"><EXCLUDES index="2" min="1" max="4"/></hyperRectangle>
      <hyperRectangle utility="1"></hyperRectangle>
      <ufun type="PlainUfun" weight="2" aggregation="sum">
        <hyperRectangle utility="1" weight="0.5"><INCLUDES index="2" min="5" max="9"/>
        </hyperRectangle>
      </ufun>
    </ufun>
  </utility>
</objective>
</utility_space>
"""


def test_a_hyper_rectangle_profile_reads_as_terms_with_genius_utilities(tmp_path):
    scenario = load_genius_folder(_small(tmp_path, profile=NONLINEAR))
    party = next(p for p in scenario.parties if p.terms)
    assert party.preferences == {} and party.discount_factor == 0.9
    space = compile_space(scenario)
    days = [i for i, issue in enumerate(scenario.issues) if issue.title == "Days"][0]
    root = ET.fromstring(NONLINEAR)
    p = scenario.parties.index(party)
    for option in range(5):  # Days = 1..5, the other issues at their first option
        package = np.zeros(space.n_issues, dtype=np.int64)
        package[days] = option
        index = next(i.get("index") for i in ET.fromstring(DOMAIN).iter("issue")
                     if i.get("name") == "Days")
        expected = _reference_nonlinear(root, {index: str(option + 1)})
        assert utilities(space, package)[0, p] == pytest.approx(expected, abs=1e-12)
    # by hand: 1 (no bounds) + 3 on days 2-3, + 4 outside 1..4 (day 5), + 2 * 0.5 * 1 on day 5
    by_day = [utilities(space, np.where(np.arange(space.n_issues) == days, o, 0))[0, p] * 10
              for o in range(5)]
    assert by_day == pytest.approx([1, 4, 4, 1, 6])


@pytest.mark.parametrize("old, new, words", [
    ('<INCLUDES index="2" min="2" max="3"/>', '<INCLUDES index="1" min="2" max="3"/>',
     "bound on discrete issue 'Colour': GENIUS's hyper-rectangles bound integer issues only"),
    ('<INCLUDES index="2" min="2" max="3"/>',
     '<INCLUDES index="2" min="2" max="3"/><EXCLUDES index="2" min="1" max="1"/>',
     "a hyperRectangle mixing INCLUDES and EXCLUDES bounds has no GENIUS meaning"),
    ('aggregation="sum">\n      <hyperRectangle utility="3">',
     'aggregation="max">\n      <hyperRectangle utility="3">',
     "<ufun aggregation='max'>: only a sum of its parts maps"),
    ('<hyperRectangle utility="3">', '<hyperRectangle utility="three">',
     "hyperRectangle utility 'three' is not a number"),
    ('<utility maxutility="10">', '<utility maxutility="0">', "maxutility 0 must be above 0"),
    ('index="2" min="2"', 'index="7" min="2"', "bound on issue index '7', which is not in the domain"),
    ('min="2" max="3"', 'min="two" max="3"', "bound 'min' 'two' is not a number"),
])
def test_bad_hyper_rectangles_name_file_line_and_problem(tmp_path, old, new, words):
    assert old in NONLINEAR
    bad = NONLINEAR.replace(old, new, 1)
    message = _error(_small(tmp_path, profile=bad))
    assert words in message, message
    assert "shop_buyer.xml:" in message


@pytest.mark.parametrize("old, new, words", [
    ('<item index="3" value="blue"/>', '<item index="3" value="red"/>',
     "value 'red' is listed twice"),
    ('lowerbound="1"\n         upperbound="5"', 'lowerbound="1"',
     "integer issue 'Days' needs 'lowerbound' and 'upperbound'"),
    ('upperbound="5"', 'upperbound="0"', "bounds 1..0 are not a range"),
    ('name="Colour"', 'name=""', "an issue has no name"),
    ('type="real" etype="real" vtype="real"', 'type="complex"',
     "unsupported type 'complex'"),
    ('<issue index="2" type="integer"', '<issue type="integer"', "has no 'index'"),
])
def test_bad_domains_name_file_line_and_problem(tmp_path, old, new, words):
    assert old in DOMAIN
    folder = _small(tmp_path, domain=DOMAIN.replace(old, new, 1))
    message = _error(folder)
    assert words in message and f"{folder / 'shop_domain.xml'}:" in message


def test_folder_without_domain_or_profiles(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no scenario in this folder" in _error(empty)
    only_domain = tmp_path / "only"
    only_domain.mkdir()
    (only_domain / "d.xml").write_text(DOMAIN)
    assert "no utility-space files" in _error(only_domain)
    two = _small(tmp_path)
    (two / "second_domain.xml").write_text(DOMAIN)
    assert "more than one GENIUS domain in this folder" in _error(two)


def test_missing_and_unknown_sources(tmp_path):
    assert "file not found" in _error(tmp_path / "nope.xml")
    assert "file not found" in _error(tmp_path / "nope.json")
    with pytest.raises(UsageError, match="no shipped scenario named 'atlantis'"):
        resolve("atlantis")
    folder = _small(tmp_path)
    with pytest.raises(UsageError, match="GENIUS domain XML with its utility-space XMLs"):
        resolve_many([str(folder / "shop_domain.xml"), str(tmp_path / "x.yaml")])
    with pytest.raises(ScenarioError, match="expected exactly one GENIUS domain"):
        resolve_many([folder / "shop_buyer.xml", folder / "shop_buyer.xml"])
    with pytest.raises(ScenarioError, match="not valid XML"):
        resolve_many([folder / "shop_domain.xml", folder / "pareto.xml"])


def _mutations(text: str, rng: random.Random, count: int) -> list[str]:
    result = []
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            if not chars:
                break
            kind, at = rng.random(), rng.randrange(len(chars))
            if kind < 0.4:
                del chars[at:at + rng.randint(1, 20)]
            elif kind < 0.7:
                chars.insert(at, rng.choice('<>"=/&;x9.-# \n'))
            else:
                chars = chars[:at]
        result.append("".join(chars))
    return result


def _never_a_traceback(tmp_path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for k, (domain, profile) in enumerate(zip(_mutations(DOMAIN, rng, count),
                                              _mutations(PROFILE, rng, count))):
        which = rng.random()
        folder = _small(tmp_path / str(k), domain=domain if which < 0.5 else DOMAIN,
                        profile=profile if which >= 0.3 else PROFILE)
        try:
            resolve(folder / "shop_domain.xml")
        except ScenarioError as error:
            assert str(folder) in str(error)


def test_mutated_genius_files_load_or_fail_cleanly(tmp_path):
    _never_a_traceback(tmp_path, 150, seed=1)


@pytest.mark.slow
def test_many_mutated_genius_files_load_or_fail_cleanly(tmp_path):
    _never_a_traceback(tmp_path, 2000, seed=2)


# ----------------------------------------------------------------------------- GeniusWeb

JOBS_DOMAIN = {"name": "jobs", "issuesValues": {
    "salary": {"values": ["2000", "2500", "3000"]},
    "fte": {"range": {"low": 0.6, "high": 1.0, "step": 0.2}},
    "lease car": {"values": ["yes", "no"]},
}}


def _profile(name: str, weights: dict, utils: dict, reservation: dict | None = None,
             domain: dict = JOBS_DOMAIN) -> dict:
    return {"LinearAdditiveUtilitySpace": {
        "domain": domain, "name": name, "issueWeights": weights, "issueUtilities": utils,
        "reservationBid": None if reservation is None else {"issuevalues": reservation}}}


EMPLOYER = _profile(
    "employer", {"salary": 0.5, "fte": 0.3, "lease car": 0.2},
    {"salary": {"DiscreteValueSetUtilities": {"valueUtilities": {
        "2000": 1, "2500": 0.5, "3000": 0}}},
     "fte": {"NumberValueSetUtilities": {"lowValue": 0.6, "lowUtility": 0.2,
                                         "highValue": 1.0, "highUtility": 0.8}},
     "lease car": {"DiscreteValueSetUtilities": {"valueUtilities": {"yes": 0, "no": 1}}}},
    reservation={"salary": "2500", "fte": 0.8})
EMPLOYEE = _profile(
    "employee", {"salary": 0.6, "fte": 0.1, "lease car": 0.3},
    {"salary": {"DiscreteValueSetUtilities": {"valueUtilities": {
        "2000": 0, "2500": 0.25, "3000": 1}}},
     "fte": {"DiscreteValueSetUtilities": {"valueUtilities": {"0.6": 1, "0.8": 0.5}}},
     "lease car": {"DiscreteValueSetUtilities": {"valueUtilities": {"yes": 1, "no": 0}}}})


def _write_json(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _geniusweb_utility(profile: dict, bid: dict) -> float:
    body = profile["LinearAdditiveUtilitySpace"]
    total = 0.0
    for issue, weight in body["issueWeights"].items():
        kind, spec = next(iter(body["issueUtilities"][issue].items()))
        value = bid[issue]
        if kind == "DiscreteValueSetUtilities":
            u = spec["valueUtilities"].get(value, 0.0)
        else:
            x = float(value)
            lo, hi = spec["lowValue"], spec["highValue"]
            u = 0.0 if not lo <= x <= hi else spec["lowUtility"] + (
                spec["highUtility"] - spec["lowUtility"]) * (x - lo) / (hi - lo)
        total += weight * u
    return total


def test_geniusweb_profiles_are_read_exactly(tmp_path):
    folder = tmp_path / "jobs"
    _write_json(folder, "employer.json", EMPLOYER)
    _write_json(folder, "employee.json", EMPLOYEE)
    _write_json(folder, "jobs.json", JOBS_DOMAIN)  # the domain alone: checked, no party
    scenario = resolve(folder)
    assert scenario.id == "jobs"
    assert sorted(p.id for p in scenario.parties) == ["employee", "employer"]
    fte = scenario.issue("fte")
    assert [o.label for o in fte.options] == ["0.6", "0.8", "1"]
    employer = scenario.party("employer")
    # reservation bid: 0.5 x 0.5 (salary 2500) + 0.3 x 0.5 (fte 0.8); lease car left out
    assert employer.reservation == pytest.approx(0.25 + 0.15)
    assert employer.preferences["fte"].salience == pytest.approx(0.3 * 0.8)
    assert scenario.party("employee").reservation == 0.0
    space = compile_space(scenario)
    profiles = {"employer": EMPLOYER, "employee": EMPLOYEE}
    for salary in ("2000", "2500", "3000"):
        for fte_value in ("0.6", "0.8", "1"):
            for car in ("yes", "no"):
                package = space.package_from_ids({"salary": salary, "fte": fte_value,
                                                  "lease-car": car})
                ours = utilities(space, package)[0]
                bid = {"salary": salary, "fte": fte_value, "lease car": car}
                for p, party in enumerate(scenario.parties):
                    assert ours[p] == pytest.approx(_geniusweb_utility(profiles[party.id], bid),
                                                    abs=1e-12)
    assert resolve_many([folder / "employer.json", folder / "employee.json"]).parties == \
        tuple(sorted(scenario.parties, key=lambda p: p.id != "employer"))


def test_geniusweb_large_range_is_discretised(tmp_path):
    domain = {"name": "big", "issuesValues": {"price": {"range": {"low": 0, "high": 5000,
                                                                  "step": 1}}}}
    profile = _profile("p", {"price": 1}, {"price": {"NumberValueSetUtilities": {
        "lowValue": 0, "lowUtility": 1, "highValue": 5000, "highUtility": 0}}}, domain=domain)
    scenario = load_geniusweb([_write_json(tmp_path, "p.json", profile)])
    assert [o.label for o in scenario.issues[0].options] == [str(v) for v in
                                                             range(0, 5001, 500)]
    assert "discretised into 11 evenly spaced values" in scenario.description
    assert scenario.parties[0].preferences["price"].valuations["500"] == pytest.approx(0.9)


@pytest.mark.parametrize("mutate, words", [
    (lambda p: p["LinearAdditiveUtilitySpace"]["issueWeights"].pop("fte"),
     "no weight for issue 'fte'"),
    (lambda p: p["LinearAdditiveUtilitySpace"]["issueUtilities"]["salary"][
        "DiscreteValueSetUtilities"]["valueUtilities"].update({"2000": 1.5}),
     "utility 1.5 is outside [0, 1]"),
    (lambda p: p["LinearAdditiveUtilitySpace"].update(
        {"reservationBid": {"issuevalues": {"salary": "9000"}}}), "unknown value \"9000\""),
    (lambda p: p["LinearAdditiveUtilitySpace"]["issueUtilities"].update(
        {"fte": {"SplineUtilities": {}}}), "utility function 'SplineUtilities' is not supported"),
    (lambda p: p["LinearAdditiveUtilitySpace"].update({"domain": {"name": "jobs", "issuesValues": {
        "salary": {"values": ["2000"]}}}}), "the domain differs from that of"),
])
def test_bad_geniusweb_profiles_name_file_and_field(tmp_path, mutate, words):
    second = json.loads(json.dumps(EMPLOYER))
    mutate(second)
    first = _write_json(tmp_path, "a.json", EMPLOYEE)
    path = _write_json(tmp_path, "b.json", second)
    with pytest.raises(ScenarioError) as info:
        resolve_many([first, path])
    assert words in str(info.value) and str(path) in str(info.value)


def test_unsupported_and_malformed_geniusweb_files(tmp_path):
    ordering = _write_json(tmp_path, "o.json", {"DefaultPartialOrdering": {"better": []}})
    assert "'DefaultPartialOrdering' is not supported" in _error(ordering)
    broken = tmp_path / "broken.json"
    broken.write_text('{"LinearAdditiveUtilitySpace": {\n  "domain": [1, 2,\n}', "utf-8")
    assert f"{broken}:3: not valid JSON" in _error(broken)
    nan = tmp_path / "nan.json"
    nan.write_text('{"LinearAdditiveUtilitySpace": {"issueWeights": {"a": NaN}}}', "utf-8")
    assert "not valid JSON" in _error(nan)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    assert "not UTF-8" in _error(latin)
    other = _write_json(tmp_path, "other.json", [1, 2, 3])
    assert "not a GeniusWeb profile" in _error(other)


def test_mutated_geniusweb_files_load_or_fail_cleanly(tmp_path):
    rng = random.Random(3)
    text = json.dumps(EMPLOYER, indent=1)
    for k, mutated in enumerate(_mutations(text, rng, 150)):
        path = tmp_path / f"{k}.json"
        path.write_text(mutated, encoding="utf-8")
        try:
            resolve(path)
        except ScenarioError as error:
            assert str(path) in str(error)


# ------------------------------------------------------------ saving, resolution, CLI


def test_save_yaml_and_genius(tmp_path):
    scenario = resolve(_small(tmp_path))
    (yaml_file,) = save(scenario, tmp_path / "out.yaml", "yaml")
    assert resolve(yaml_file) == scenario
    files = save(scenario, tmp_path / "out-genius", "genius")
    assert [f.name for f in files] == ["shop_domain.xml", "shop_buyer.xml"]
    assert resolve(files[0]) == scenario
    with pytest.raises(UsageError, match="unknown format 'csv'"):
        save(scenario, tmp_path / "x", "csv")  # type: ignore[arg-type]


def test_cli_reads_genius_folders_and_files(tmp_path):
    runner = CliRunner()
    folder = _small(tmp_path, other=PROFILE.replace('evaluation="8"', 'evaluation="1"'))
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "valid — 3 issues, 2 parties" in " ".join(result.output.split())
    result = runner.invoke(app, ["analyze", str(folder / "shop_domain.xml"), "--json"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["zone"]) >= {"exists"}
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "d.xml").write_text("<negotiation_template><utility_space>")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 2 and "not valid XML" in result.output


@pytest.mark.slow
def test_shared_scenarios_analyse_end_to_end():
    picks = ["anac/y2010/ItexvsCypress", "anac/y2013/Kitchen", "anac/y2015/group2-dinner",
             "anac/y2016/AgentHp2", "other/AMPOvsCity"]
    if not GENIUS_DATA.is_dir():
        pytest.skip(f"shared GENIUS data not found at {GENIUS_DATA}")
    for name in picks:
        result = accord.analyze(resolve(GENIUS_DATA / name))
        assert result.space.n_packages() > 0


def test_integer_given_per_value_and_constant_real_evaluators(tmp_path):
    profile = PROFILE.replace(
        '<evaluator ftype="linear" slope="0.2" offset="0.1"/>',
        '<item value="1" evaluation="1"/><item value="2" evaluation="4"/>'
        '<item value="3" evaluation="2"/><item value="4" evaluation="0"/>'
        '<item value="5" evaluation="0"/>').replace(
        '<evaluator ftype="linear" parameter0="0.5" parameter1="-0.5"/>',
        '<evaluator ftype="constant" parameter0="0.4"/>')
    scenario = resolve(_small(tmp_path, profile=profile))
    prefs = scenario.parties[0].preferences
    assert prefs["Days"].valuations == {"1": 0.25, "2": 1.0, "3": 0.5, "4": 0.0, "5": 0.0}
    assert prefs["Days"].salience == 0.3
    assert set(prefs["Share"].valuations.values()) == {1.0}
    assert prefs["Share"].salience == pytest.approx(0.2 * 0.4)


def test_repeated_titles_and_labels_survive_genius(tmp_path):
    scenario = random_scenario(2, 3, 2, seed=1, red_line_rate=0.0, n_drafts=0)
    data = scenario.model_dump()
    for issue in data["issues"]:
        issue["title"] = "Same title"
        for option in issue["options"]:
            option["label"] = "Same label"
    repeated = Scenario.build(data)
    back = resolve(save(repeated, tmp_path / "g", "genius")[0])
    _same_space(repeated, back)
    _same_preferences(repeated, back)
