"""Replaying a room's history as a simulation: a real room (SQLite) is driven over HTTP,
its export is replayed seat by seat, and one seat is then taken by an agent."""

from __future__ import annotations

import json

import pytest
import yaml
from room_helpers import SCENARIO_YAML, Person
from typer.testing import CliRunner

from accord.analysis import compile_space
from accord.cli import app as cli
from accord.errors import UsageError
from accord.model import Scenario
from accord.negotiation import Stance, sincere_answers, view_of
from accord.negotiation.replay import RoomRecord, replay
from accord.room import create_app


@pytest.fixture
def exported(tmp_path):
    """A room opened from a scenario; North and South answer two drafts, South leaves a
    point of the second unanswered."""
    room = create_app(f"sqlite:///{tmp_path / 'room.sqlite3'}")
    mediator = Person(room)
    mediator.open(scenario=SCENARIO_YAML.encode())
    people = mediator.seat_delegations(room)
    for title, options in (("One", {"ceasefire": "phased", "sanctions": "eased"}),
                           ("Two", {"ceasefire": "immediate", "sanctions": "kept"})):
        assert mediator.post("api/drafts", {"title": title, "options": options}).is_success

    def answer(who, number, verdicts):
        body = {issue: {"verdict": v, "comment": ""} for issue, v in verdicts.items()}
        assert people[who].post(f"api/drafts/{number}/answers", body).is_success

    answer("north", 1, {"ceasefire": "reject", "sanctions": "can-live-with"})
    answer("north", 1, {"ceasefire": "can-live-with"})  # changes its mind: the last counts
    answer("south", 1, {"ceasefire": "can-live-with", "sanctions": "reject"})
    answer("north", 2, {"ceasefire": "reject", "sanctions": "reject"})
    answer("south", 2, {"ceasefire": "accept"})
    data = mediator.get("export").json()
    room.state.db.dispose()
    return data


def test_the_replay_gives_every_recorded_answer_in_order(exported):
    record = RoomRecord.from_export(exported)
    assert record.draft_ids == ("draft-1", "draft-2")
    assert record.drafts == ((1, 1), (0, 2))
    assert record.unanswered == {"north": 0, "south": 1}
    transcript, result = replay(record)
    assert result is None and transcript.rounds == 2 and transcript.agreement is None
    answers = [(e.step, transcript.parties[e.actor], e.stances, e.accept)
               for e in transcript.events if e.kind == "answers"]
    assert answers == [
        (0, "north", (Stance.CAN_LIVE_WITH, Stance.CAN_LIVE_WITH), True),
        (0, "south", (Stance.CAN_LIVE_WITH, Stance.REJECT), False),
        (1, "north", (Stance.REJECT, Stance.REJECT), False),
        (1, "south", (Stance.ACCEPT, Stance.CAN_LIVE_WITH), False),  # unanswered: not signed
    ]
    assert [e.kind for e in transcript.events if e.actor < 0] == ["draft", "final"]


def test_an_agent_takes_a_seat_and_answers_from_its_own_preferences(exported):
    record = RoomRecord.from_export(exported)
    space = compile_space(Scenario.build(yaml.safe_load(SCENARIO_YAML)))
    transcript, result = replay(record, space, seats={"south": "sincere"})
    south = [e for e in transcript.events if e.kind == "answers" and e.actor == 1]
    view = view_of(space, 1)
    for event, draft in zip(south, record.drafts):
        want = sincere_answers(view, draft)
        assert event.stances == tuple(int(s) for s in want.stances)
        assert event.accept == want.accept
    north = [e.stances for e in transcript.events if e.kind == "answers" and e.actor == 0]
    assert north[1] == (Stance.REJECT, Stance.REJECT)  # still as on record
    assert result is not None and result.rounds == 2


def test_replay_errors_name_the_field(exported):
    broken = json.loads(json.dumps(exported))
    broken["scenario"]["drafts"][1]["options"]["sanctions"] = "abolished"  # open (None) replays
    with pytest.raises(UsageError, match=r"drafts\[1\]\.options\.sanctions: 'abolished' is not"):
        RoomRecord.from_export(broken)
    broken = json.loads(json.dumps(exported))
    answered = next(e for e in broken["history"] if e["kind"] == "answered")
    answered["detail"]["answers"]["ceasefire"] = ["maybe", ""]
    with pytest.raises(UsageError, match=r"history\[\d+\]\.detail\.answers\.ceasefire: "
                                         r"'maybe'; expected one of accept"):
        RoomRecord.from_export(broken)
    with pytest.raises(UsageError, match="export: missing 'scenario'"):
        RoomRecord.from_export({"history": []})
    record = RoomRecord.from_export(exported)
    with pytest.raises(UsageError, match="an agent needs preferences"):
        replay(record, seats={"south": "sincere"})
    with pytest.raises(UsageError, match="no delegation east"):
        replay(record, seats={"east": "sincere"})


def test_cli_replays_an_export(exported, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO_YAML)
    runner = CliRunner()
    shown = runner.invoke(cli, ["replay", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "draft-2" in shown.output and "south" in shown.output
    assert "1 point(s) unanswered by south" in shown.output
    seated = runner.invoke(cli, ["replay", str(path), "--scenario", str(scenario),
                                 "--seat", "south=sincere", "--json"])
    assert seated.exit_code == 0, seated.output
    data = json.loads(seated.output)
    assert data["agents"] == ["recorded:north", "sincere"] and data["rounds"] == 2
    assert len(data["transcript"]) == 6
    bad = runner.invoke(cli, ["replay", str(tmp_path / "missing.json")])
    assert bad.exit_code == 2 and "missing.json" in bad.output and "Traceback" not in bad.output
    path.write_text("{not json")
    bad = runner.invoke(cli, ["replay", str(path)])
    assert bad.exit_code == 2 and "line 1" in bad.output


RULED_YAML = """\
id: three
title: Three delegations under a quorum
issues:
  - id: ceasefire
    title: Ceasefire
    options: [{id: immediate, label: immediate}, {id: phased, label: phased}]
parties:
  - id: north
    name: North
    preferences: {ceasefire: {salience: 1, valuations: {immediate: 1, phased: 0}}}
  - id: south
    name: South
    preferences: {ceasefire: {salience: 1, valuations: {immediate: 1, phased: 0}}}
  - id: east
    name: East
    preferences: {ceasefire: {salience: 1, valuations: {immediate: 0, phased: 1}}}
rule:
  at_least: 2
"""


def test_a_replay_under_a_rule_says_who_carried_the_text(tmp_path):
    room = create_app(f"sqlite:///{tmp_path / 'room.sqlite3'}")
    mediator = Person(room)
    mediator.open(scenario=RULED_YAML.encode())
    people = mediator.seat_delegations(room)
    assert mediator.post("api/drafts", {"title": "One",
                                        "options": {"ceasefire": "immediate"}}).is_success
    for who, verdict in (("north", "accept"), ("south", "accept"), ("east", "reject")):
        body = {"ceasefire": {"verdict": verdict, "comment": ""}}
        assert people[who].post("api/drafts/1/answers", body).is_success
    path = tmp_path / "export.json"
    path.write_text(json.dumps(mediator.get("export").json()))
    room.state.db.dispose()
    shown = CliRunner().invoke(cli, ["replay", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "agreed under the rule: yes, carried by north, south" in shown.output
    assert "signed by all" not in shown.output
