"""Issue 14, items 9, 10, 11 and 15 (twins): tournaments read scenario paths from the
config's folder, name the config's file and line in errors, say their size and an
estimate before they start and count each agent's negotiations (not its seats); a room
export with open points or a subset of the scenario's parties replays; `accord twins`
says what it can do on the shipped scenarios at its defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from room_helpers import SCENARIO_YAML
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import UsageError
from accord.io import save_scenario
from accord.model.synthetic import random_scenario
from accord.negotiation.runners import run_tournament
from accord.negotiation.tournament import TournamentConfig, load_bundles, plan, summarise

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def two_party_file(tmp_path):
    folder = tmp_path / "configs" / "scenarios"
    folder.mkdir(parents=True)
    save_scenario(random_scenario(3, 3, 2, seed=2, red_line_rate=0.0,
                                  reservation=(0.1, 0.3)), folder / "two.yaml")
    return folder / "two.yaml"


# ------------------------------------------------------------------ item 9: paths, errors


def test_scenario_paths_are_read_from_the_config_folder(two_party_file, tmp_path, monkeypatch):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nscenarios: [scenarios/two.yaml, gaza-2025]\n"
                      "agents: [boulware]\nprotocols: [alternating-offers]\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory has no scenarios/ folder
    settings = TournamentConfig.load(config)
    bundles = load_bundles(settings)  # a relative path and a shipped name
    assert set(bundles) == {"scenarios/two.yaml", "gaza-2025"}
    result = runner.invoke(app, ["tournament", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "scenarios/two.yaml (2 parties) x alternating-offers" in result.output
    assert "gaza-2025 x alternating-offers: skipped" in result.output


def test_a_missing_scenario_names_the_config_file_line_and_field(two_party_file):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nscenarios:\n  - scenarios/two.yaml\n  - scenarios/gone.yaml\n"
                      "agents: [boulware]\n")
    result = runner.invoke(app, ["tournament", str(config)])
    assert result.exit_code == 2, result.output
    assert f"{config}:4: scenarios[1]: scenarios/gone.yaml" in result.output
    assert "file not found" in result.output and "config's folder" in result.output
    assert "internal error" not in result.output
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware, nobody]\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:2: agents[1]: unknown agent")):
        TournamentConfig.load(config)
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware]\nseed: soon\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:3: seed: seed must be")):
        TournamentConfig.load(config)
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware]\n"
                      "relax:\n  scenarios/two.yaml: [narnia]\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:4: relax.scenarios/two.yaml[0]")):
        load_bundles(TournamentConfig.load(config))


def test_the_tournament_says_its_size_and_an_estimate_first(two_party_file):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nrepetitions: 2\nscenarios: [scenarios/two.yaml]\n"
                      "agents: [boulware, conceder]\nprotocols: [alternating-offers]\n")
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("8 negotiation(s)")
    assert "2 agents ^ 2 roles" in result.stderr and "2 repetition(s) = 8" in result.stderr
    assert "the first negotiation took" in result.stderr and "an estimate" in result.stderr
    plan_only = runner.invoke(app, ["tournament", str(config), "--dry-run", "--json"])
    assert plan_only.exit_code == 0 and json.loads(plan_only.stdout)["negotiations"] == 8


def test_the_docs_example_config_runs_and_is_small():
    config = ROOT / "docs" / "examples" / "tournament.yaml"
    assert "docs/examples/tournament.yaml" in (ROOT / "docs" / "negotiation.md").read_text()
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["negotiations"] == 54
    assert {s["agent"] for s in data["summary"]} == {"sincere", "boulware", "conceder"}


# ------------------------------------------------------------- item 10: negotiations counted


def test_the_summary_counts_negotiations_not_seats(two_party_file):
    # 2 agents, 2 roles, every line-up: aa, ab, ba, bb. Each agent sits in 3 of the 4
    # negotiations and holds 4 seats (2 of them in its self-play).
    settings = TournamentConfig.from_dict({
        "seed": 3, "scenarios": [str(two_party_file)], "agents": ["boulware", "hard-liner"],
        "protocols": ["alternating-offers"], "deadline": 10})
    bundles = load_bundles(settings)
    rows = run_tournament(plan(settings, bundles), bundles, workers=1)
    summary = {s["agent"]: s for s in summarise(rows)}
    assert {a: (s["negotiations"], s["seats"]) for a, s in summary.items()} == {
        "boulware": (3, 4), "hard-liner": (3, 4)}
    # hard-liners never concede: their self-play ends without agreement
    hard = [r for r in rows if r["agent"] == "hard-liner"]
    by_negotiation = {r["negotiation"]: r["agreement"] for r in hard}
    assert summary["hard-liner"]["agreement_rate"] == pytest.approx(
        sum(by_negotiation.values()) / 3)
    config = two_party_file.parent / "t.yaml"
    config.write_text(yaml.safe_dump({"seed": 3, "scenarios": ["two.yaml"],
                                      "agents": ["boulware", "hard-liner"],
                                      "protocols": ["alternating-offers"], "deadline": 10}))
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["boulware", "3", "4"] == next(x for x in lines if x and x[0] == "boulware")[:3]


# ------------------------------------------- item 11: open points, a subset of the parties

THREE_PARTIES = SCENARIO_YAML + """\
  - id: east
    name: East
    reservation: 0.1
    preferences:
      ceasefire: {salience: 0.5, valuations: {immediate: 0.8, phased: 1.0, none: 0.0}}
      sanctions: {salience: 0.5, valuations: {lifted: 0.2, eased: 1.0, kept: 0.4}}
"""


@pytest.fixture
def open_room(tmp_path):
    """A real room opened from a 3-party scenario on two of its parties (north, south);
    draft 1 settles both points, draft 2 leaves sanctions open (the room's "leave open")
    and is the last one."""
    from room_helpers import Person, form_csrf

    from accord.room import create_app

    room = create_app(f"sqlite:///{tmp_path / 'room.sqlite3'}")
    mediator = Person(room)
    csrf = form_csrf(mediator.client.get("/").text)
    response = mediator.client.post(
        "/open", data={"csrf": csrf, "title": "Talks", "issues": "", "parties": "north south"},
        files={"scenario": ("s.yaml", THREE_PARTIES.encode(), "application/yaml")})
    assert response.status_code == 200, response.text
    mediator.n = str(response.url).rstrip("/").split("/n/")[1]
    mediator._signed_in()
    people = mediator.seat_delegations(room)
    assert set(people) == {"north", "south"}
    for title, options in (("One", {"ceasefire": "phased", "sanctions": "eased"}),
                           ("Two", {"ceasefire": "immediate", "sanctions": ""})):
        assert mediator.post("api/drafts", {"title": title, "options": options}).is_success
    for who, number, verdicts in (("north", 1, {"ceasefire": "can-live-with",
                                                "sanctions": "accept"}),
                                  ("south", 1, {"ceasefire": "can-live-with",
                                                "sanctions": "can-live-with"}),
                                  ("north", 2, {"ceasefire": "reject",
                                                "sanctions": "can-live-with"}),
                                  ("south", 2, {"ceasefire": "accept",
                                                "sanctions": "accept"})):
        body = {issue: {"verdict": v, "comment": ""} for issue, v in verdicts.items()}
        assert people[who].post(f"api/drafts/{number}/answers", body).is_success
    data = mediator.get("export").json()
    room.state.db.dispose()
    scenario = tmp_path / "three.yaml"
    scenario.write_text(THREE_PARTIES)
    return data, scenario


def test_a_draft_with_open_points_replays_and_is_not_signed(open_room):
    from accord.negotiation.replay import OPEN, RoomRecord, replay

    data, _ = open_room
    assert data["scenario"]["drafts"][1]["options"]["sanctions"] is None  # as the room says
    record = RoomRecord.from_export(data)
    assert record.drafts == ((1, 1), (0, OPEN))
    assert record.open_points(1) == ("sanctions",)
    transcript, result = replay(record)
    assert result is None and transcript.rounds == 2 and transcript.agreement is None
    answers = [(e.step, e.actor, e.accept) for e in transcript.events if e.kind == "answers"]
    # south accepted every point of draft 2, but nothing is agreed until everything is
    assert answers == [(0, 0, True), (0, 1, True), (1, 0, False), (1, 1, False)]


def test_an_agent_judges_the_drafted_points_as_if_the_open_ones_went_its_way(open_room):
    from accord.analysis import compile_space
    from accord.model import Scenario
    from accord.negotiation import Stance, sincere_answers, view_of
    from accord.negotiation.replay import RoomRecord, best_completion, replay, restrict

    data, _ = open_room
    record = RoomRecord.from_export(data)
    space = compile_space(Scenario.build(yaml.safe_load(THREE_PARTIES)))
    transcript, result = replay(record, space, seats={"south": "sincere"})
    assert transcript.parties == ("north", "south") and len(result.utilities) == 2
    two = restrict(space, ("north", "south"))
    view = view_of(two, 1)
    completed = best_completion(view, record.drafts[1])
    assert completed == (0, 2)  # south's best sanctions option: kept
    want = sincere_answers(view, completed)
    south = [e for e in transcript.events if e.kind == "answers" and e.actor == 1]
    assert south[1].stances == (int(want.stances[0]), int(Stance.CAN_LIVE_WITH))
    assert south[1].accept is False and south[0].accept == sincere_answers(
        view, record.drafts[0]).accept
    # the cut-down scenario is the room's two parties, with their own preferences
    alone = compile_space(Scenario.build({**yaml.safe_load(THREE_PARTIES), "parties":
                                          yaml.safe_load(THREE_PARTIES)["parties"][:2]}))
    assert (two.weights == alone.weights).all() and (two.veto == alone.veto).all()
    assert (two.reservation == alone.reservation).all()


def test_cli_replays_a_room_with_open_points_on_some_of_the_parties(open_room, tmp_path):
    data, scenario = open_room
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    shown = runner.invoke(app, ["replay", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "draft-2 leaves 1 point(s) open (sanctions" in shown.output
    assert "draft-2 signed by all: no (points left open)" in shown.output
    seated = runner.invoke(app, ["replay", str(path), "--scenario", str(scenario),
                                 "--seat", "south=boulware"])
    assert seated.exit_code == 0, seated.output
    assert "the room seated north, south of the scenario's 3 parties" in seated.stderr
    assert "utilities: north" in seated.stdout and "east" not in seated.stdout
    as_json = runner.invoke(app, ["replay", str(path), "--scenario", str(scenario),
                                  "--seat", "south=sincere", "--json"])
    assert as_json.exit_code == 0, as_json.output
    result = json.loads(as_json.stdout)
    assert result["open_points"] == {"draft-2": ["sanctions"]}
    assert set(result["utilities"]) == {"north", "south"} and not result["agreement"]


# ------------------------------------------------------- item 15 (twins): at its defaults


def test_twins_on_ukraine_at_its_defaults_says_there_is_no_zone_and_what_opens_one():
    result = runner.invoke(app, ["twins", "ukraine-2025"])
    assert result.exit_code == 0, result.output
    assert "No zone of agreement in ukraine-2025" in result.output
    assert "russia/donetsk-remainder" in result.output
    assert "12,230,590,464 here" in result.output and "internal error" not in result.output
    data = json.loads(runner.invoke(app, ["twins", "ukraine-2025", "--json"]).stdout)
    assert data["zone"] is False and "ukraine/donetsk-remainder" in data[
        "relax_to_open_a_zone"]
    relaxed = runner.invoke(app, ["twins", "ukraine-2025", "--relax",
                                  "russia/donetsk-remainder"])
    assert relaxed.exit_code == 2 and "No limit makes that practical" in relaxed.output


def test_twins_explain_the_limit_and_how_to_raise_it():
    result = runner.invoke(app, ["twins", "gaza-2025", "--max-packages", "5000"])
    assert result.exit_code == 2, result.output
    assert "11,664 here, more than --max-packages 5,000" in result.output
    assert "--max-packages 11664" in result.output


def test_twin_search_reports_progress():
    from accord.analysis import compile_space
    from accord.negotiation.twins import find_twin
    from accord.negotiation.view import agenda_of, view_of

    space = compile_space(random_scenario(1, 9, 2, seed=4, red_line_rate=0.0,
                                          reservation=(0.1, 0.3)))
    agenda = agenda_of(space)
    seen = []
    twin = find_twin([view_of(space, k, agenda) for k in range(2)], targets=3,
                     progress=lambda done, total: seen.append((done, total)))
    assert twin is not None
    assert seen[0] == (0, 2 * 4) and seen[-1] == (8, 8)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.slow
def test_twins_on_gaza_at_its_defaults_runs():
    result = runner.invoke(app, ["twins", "gaza-2025", "--targets", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert "twin" in json.loads(result.stdout)
