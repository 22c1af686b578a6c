"""Issue 14, `accord simulate` and `accord practise` as a newcomer runs them: seeds checked
at the door (item 2), defaults that work on the shipped scenarios (item 6), no zone said
in words and progress per round (item 7), transcripts in issue -> option (item 16)."""

from __future__ import annotations

import contextlib
import json

import pytest
from room_helpers import SCENARIO_YAML
from threadpoolctl import threadpool_info
from typer.testing import CliRunner

import accord.cli.simulate_cmd as simulate_cmd
from accord.analysis import compile_space
from accord.cli import app
from accord.cli.simulate_cmd import print_transcript, transcript_rows
from accord.errors import UsageError
from accord.io import resolve
from accord.negotiation import Transcript, agenda_of, negotiate
from accord.negotiation.agents.simple import Sincere

EXAMPLE = "docs/example-scenario.yaml"
runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "80"})


@pytest.fixture()
def two_parties(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO_YAML)
    return str(path)


# ---------------------------------------------------------------- item 2: seeds


@pytest.mark.parametrize("command", [
    ["simulate", EXAMPLE, "--protocol", "single-text", "--seed", "-5"],
    ["practise", EXAMPLE, "--as", "north", "--seed", "-1"],
])
def test_a_negative_seed_is_refused_at_the_door_naming_the_option(command):
    result = invoke(*command)
    assert result.exit_code == 2, result.output
    assert "--seed" in result.output and "greater than or equal to 0" in result.output
    assert "internal error" not in result.output


def test_negotiate_refuses_a_negative_seed_with_a_user_error():
    space = compile_space(resolve(EXAMPLE))
    with pytest.raises(UsageError, match="seed must be a whole number from 0 up, got -5"):
        negotiate(space, "single-text", ["sincere"] * 3, seed=-5)


# ------------------------------------------------ item 6: defaults on the shipped scenarios


@pytest.mark.parametrize("scenario, parties", [("ukraine-2025", 4), ("gaza-2025", 5)])
def test_simulate_picks_a_multilateral_protocol_and_says_which(scenario, parties):
    result = invoke("simulate", scenario, "--deadline", "3")
    assert result.exit_code == 0, result.output
    assert (f"{parties} parties: using the stacked-alternating-offers protocol; "
            "--protocol to choose (mopac, shuttle, single-text)") in result.stderr
    assert "stacked-alternating-offers, seed 0" in result.stdout


def test_practise_picks_a_multilateral_protocol_on_ukraine():
    # ukraine sits third: russia's offer comes first; the person makes their best offer
    result = invoke("practise", "ukraine-2025", "--as", "ukraine", "--deadline", "1",
                    input="best\n")
    assert result.exit_code == 0, result.output
    assert "4 parties: using the stacked-alternating-offers protocol" in result.stderr
    assert "You are ukraine" in result.stdout and "russia offers" in result.stdout
    assert "no agreement after 1 round(s)" in result.stdout


def test_two_parties_keep_alternating_offers_without_a_notice(two_parties):
    result = invoke("simulate", two_parties, "--deadline", "5")
    assert result.exit_code == 0, result.output
    assert "alternating-offers, seed 0" in result.stdout and "parties:" not in result.stderr


@pytest.mark.parametrize("command", [["simulate", "ukraine-2025"],
                                     ["practise", "ukraine-2025", "--as", "ukraine"]])
def test_a_bilateral_protocol_on_more_parties_names_those_that_work(command):
    result = invoke(*command, "--protocol", "alternating-offers")
    assert result.exit_code == 2, result.output
    assert ("alternating-offers is bilateral (two parties); this scenario has 4: use one "
            "of mopac, shuttle, single-text, stacked-alternating-offers") in result.output
    assert "You are" not in result.output  # refused before any seat is taken


# ------------------------------------------- item 7: no zone in words, progress, speed


def test_no_zone_is_said_up_front_and_in_words_not_nan():
    result = invoke("simulate", "ukraine-2025", "--deadline", "2")
    assert result.exit_code == 0, result.output
    assert "ukraine-2025 has no zone of agreement" in result.stderr
    assert "no Nash package: there is no zone of agreement" in result.stdout
    assert "no Pareto frontier: every package crosses some party's red line" in result.stdout
    assert "nan" not in result.stdout


def test_no_zone_in_json_is_null_with_zone_false():
    result = invoke("simulate", "ukraine-2025", "--deadline", "2", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # neither notices nor bars with --json
    data = json.loads(result.stdout)
    assert data["zone"] is False and data["protocol"] == "stacked-alternating-offers"
    assert data["nash_share"] is None and data["distance_nash"] is None


def test_a_zone_keeps_the_numbers(two_parties):
    data = json.loads(invoke("simulate", two_parties, "--json").stdout)
    assert data["zone"] is True and data["nash_share"] is not None
    result = invoke("simulate", two_parties)
    assert "distance to the Nash package: " in result.stdout
    assert "share of the Nash product: " in result.stdout


@pytest.mark.parametrize("protocol, deadline", [("single-text", 4), ("shuttle", 3),
                                                ("stacked-alternating-offers", 5)])
def test_negotiate_reports_every_round(protocol, deadline):
    space = compile_space(resolve(EXAMPLE))
    seen = []
    _, result = negotiate(space, protocol, ["hard-liner"] * 3, deadline=deadline,
                          progress=lambda done, total: seen.append((done, total)))
    assert not result.agreement  # hard-liners never move: every round is played
    assert seen == [(k, deadline) for k in range(1, deadline + 1)]


def test_simulate_draws_a_bar_over_the_deadline_rounds(monkeypatch):
    bars = []

    @contextlib.contextmanager
    def fake_bar(label, total, *, quiet=False, unit=""):
        updates = []
        bars.append((label, total, unit, updates))
        yield lambda done, total=None: updates.append((done, total))

    monkeypatch.setattr(simulate_cmd, "progress_bar", fake_bar)
    result = invoke("simulate", EXAMPLE, "--protocol", "single-text", "--agents",
                    "hard-liner", "--deadline", "4")
    assert result.exit_code == 0, result.output
    label, total, unit, updates = bars[-1]
    assert (label, total, unit) == ("single-text, seed 0", 4, "rounds")
    assert updates == [(k, 4) for k in range(1, 5)]


def test_the_negotiation_runs_on_one_blas_thread():
    """Small matrices on many BLAS threads made the README's simulation 10x slower on a
    busy machine; one thread gives the same transcript."""
    threads = []

    class Counting(Sincere):
        def decide(self, request):
            threads.append(max(i["num_threads"] for i in threadpool_info()
                               if i["user_api"] == "blas"))
            return super().decide(request)

    space = compile_space(resolve(EXAMPLE))
    negotiate(space, "single-text", [Counting(), "sincere", "sincere"], deadline=2)
    assert threads and set(threads) == {1}


@pytest.mark.slow
def test_the_readme_simulation_says_there_is_no_zone():
    result = invoke("simulate", "ukraine-2025", "--protocol", "single-text", "--agents",
                    "sincere")
    assert result.exit_code == 0, result.output
    assert "no agreement after 50 round(s) — single-text, seed 0" in result.stdout
    assert "no Nash package: there is no zone of agreement" in result.stdout
    assert "nan" not in result.stdout and "has no zone of agreement" in result.stderr


# ------------------------------------------------- item 16: transcripts people can read


def test_the_transcript_reads_issue_to_option_within_80_columns():
    result = invoke("simulate", EXAMPLE, "--protocol", "single-text", "--agents", "sincere",
                    "--deadline", "6", "--transcript")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ("round 1: the mediator tables draft 1: line → north-line, monitors → none,"
            in out)
    assert "  league: does not sign · rejects monitors, prisoners; accepts the rest" in out
    assert "finds it better than draft 1" in out
    assert "(0, " not in out and "(1, " not in out  # no index tuples
    assert max(len(line) for line in out.splitlines()) <= 80


def test_offers_read_as_changes_from_the_last_text():
    result = invoke("simulate", EXAMPLE, "--agents", "boulware,conceder,linear",
                    "--deadline", "4", "--transcript")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "move 1: north makes offer 1: line → north-line, monitors → none," in out
    assert "move 3: league accepts offer 2" in out
    assert "move 4: north makes offer 1 again" in out
    # (the League's three-point term in the example makes South's offers change earlier)
    assert "move 8: south makes offer 4: offer 3 with monitors → league" in out


def test_json_transcripts_keep_indices_and_add_the_options():
    result = invoke("simulate", EXAMPLE, "--protocol", "single-text", "--agents", "sincere",
                    "--deadline", "3", "--transcript", "--json")
    rows = json.loads(result.stdout)["transcript"]
    first = rows[0]
    assert first["kind"] == "draft" and len(first["package"]) == 3
    space = compile_space(resolve(EXAMPLE))
    assert first["options"] == space.describe_package(first["package"])
    compared = next(r for r in rows if r["versus"] is not None)
    assert compared["versus_options"] == space.describe_package(compared["versus"])


def test_a_replayed_draft_with_an_open_point_reads_open():
    from rich.console import Console

    space = compile_space(resolve(EXAMPLE))
    transcript = Transcript("single-text", space.party_ids, ("a", "b", "c"), 0)
    transcript.record(0, -1, "final", (1, -1, 0))
    console = Console(width=80, record=True)
    print_transcript(console, transcript, agenda_of(space), ["draft-1"])
    text = console.export_text()
    assert ("round 1: the mediator tables draft-1 as final: line → contact-line, "
            "monitors → (open), prisoners → all-for-all") in " ".join(text.split("\n    "))
    assert transcript_rows(transcript, space)[0]["options"] == {
        "line": "contact-line", "monitors": None, "prisoners": "all-for-all"}
