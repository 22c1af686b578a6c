"""`accord evidence` as an analyst runs it: the table, the JSON, --update, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.io import load_scenario, resolve

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "tests" / "data" / "articles"
runner = CliRunner()


@pytest.fixture(scope="module")
def development() -> list[Path]:
    folder = ROOT.parent / "shared" / "data" / "articles"
    if not folder.is_dir():
        pytest.skip("../shared/data/articles is not here")
    return sorted(folder.glob("*.yaml"))


def _run(*args: str):
    return runner.invoke(app, ["evidence", *args], catch_exceptions=False,
                         env={"COLUMNS": "160"})


def test_the_table_names_speakers_parties_cues_outlets_and_points(development):
    result = _run(*map(str, development), "--scenario", "ukraine-2025")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for expected in ("speaker → party", "certainty (cue)", "Witkoff → us", "alleged",
                     "avrebbero", "no-comment", "Axios, Wall Street Journal",
                     "donetsk-remainder", "The same claim from several outlets"):
        assert expected in text, expected


def test_the_json_is_exact_and_says_what_the_issue_asks(development):
    italian = next(p for p in development if p.name.startswith("it-"))
    result = _run(str(italian), *map(str, development), "--scenario", "ukraine-2025",
                  "--json")
    assert result.exit_code == 2 and "given twice" in result.output
    result = _run(*map(str, development), "--scenario", "ukraine-2025", "--json")
    data = json.loads(result.output)
    assert data["schema"] == "accord.evidence/1" and data["scenario"] == "ukraine-2025"
    texts = {d["id"]: d["text"] for d in data["documents"]}
    for claim in data["claims"]:
        assert texts[claim["document"]][claim["start"]:claim["end"]] == claim["text"]
        assert claim["certainty"] in ("official", "reported", "alleged")
    claims = data["claims"]
    # the scoop and its confirmation: one claim per party, each from two outlets
    scoop = [c for c in claims if c["text"].startswith("Washington e Mosca avrebbero")]
    assert {c["speaker"]["party"] for c in scoop} == {"us", "russia"}
    for claim in scoop:
        group = data["groups"][claim["group"]]
        assert group["corroboration"] == 2 and set(group["outlets"]) == {
            "Axios", "Wall Street Journal"}
        assert claim["certainty"] == "alleged"
    peskov = next(c for c in claims if "Peskov" in c["text"])
    assert peskov["kind"] == "no-comment" and peskov["speaker"]["party"] == "russia"
    conditional = [c for c in claims if "sarebbe" in c["text"] or "avrebbe" in c["text"]]
    assert conditional and all(c["certainty"] == "alleged" for c in conditional)
    donbas = next(c for c in claims if "ritiri da tutto il Donbass" in c["text"])
    assert "donetsk-remainder" in donbas["issues"] and donbas["verdict"] == "supports"


def test_update_writes_a_scenario_that_validates_analyses_and_reports(tmp_path):
    article = OWN / "it-ginevra-controproposta-2025-11-24.yaml"
    out = tmp_path / "news.yaml"
    result = _run(str(article), "--scenario", "ukraine-2025", "--update", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    updated, original = load_scenario(out), resolve("ukraine-2025")
    added = [e for p in updated.parties for pref in p.preferences.values()
             for e in pref.evidence if (e.ref or "").startswith("article:")]
    assert added and all(e.speaker for e in added)
    # no number changed: the scenario without its evidence is the original without its own
    assert _numbers(updated) == _numbers(original)
    for item in data["contradictions"]:  # each listed against what the scenario holds
        assert item["estimate"] and item["reason"]
    analysed = runner.invoke(app, ["analyze", str(out), "--json"])
    assert analysed.exit_code == 0
    report = tmp_path / "news.md"
    made = runner.invoke(app, ["report", str(out), "--format", "md", "--output", str(report)])
    assert made.exit_code == 0, made.output
    assert "## What the sources say" in report.read_text(encoding="utf-8")


def _numbers(scenario) -> list[float]:
    values: list[float] = []
    for party in scenario.parties:
        values += [party.capability, party.reservation]
        for issue, pref in sorted(party.preferences.items()):
            values.append(pref.salience)
            values += [v for _, v in sorted(pref.valuations.items())]
    return values


@pytest.mark.parametrize("name, content, words", [
    ("empty.txt", b"", "empty"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "binary"),
    ("bonjour.txt", "Le gouvernement a annoncé hier que les discussions reprendront la "
                    "semaine prochaine à Genève avec toutes les délégations.".encode(),
     "unknown language"),
    ("page.html", b"<!doctype html><html><head><title>x</title></head></html>",
     "HTML without a body"),
])
def test_bad_input_is_a_clear_error_naming_the_file(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["evidence", str(path)])
    assert result.exit_code == 2
    assert name in result.output and words in result.output
    assert "Traceback" not in result.output


def test_update_needs_a_scenario_and_files_are_needed(tmp_path):
    result = runner.invoke(app, ["evidence", str(OWN / "en-kyiv-response-2025-11-27.yaml"),
                                 "--update", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "--scenario" in result.output
    result = runner.invoke(app, ["evidence"])
    assert result.exit_code == 2 and "article" in result.output


def test_a_saved_page_gives_its_outlet_and_date(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(
        "<!doctype html><html lang='en'><head><title>Talks</title>"
        "<meta property='og:site_name' content='The Harbour Post'>"
        "<meta property='article:published_time' content='2025-11-26T08:00:00Z'>"
        "</head><body><article><h1>Talks in Abu Dhabi</h1>"
        "<p>The Kremlin said on Wednesday that it had received the revised plan.</p>"
        "<p>Russian officials reportedly want the Donbas clause kept as it was in the "
        "first draft.</p><p>The White House declined to comment on the talks.</p>"
        "</article></body></html>", encoding="utf-8")
    result = _run(str(page), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (document,) = data["documents"]
    assert document["outlet"] == "The Harbour Post" and document["date"] == "2025-11-26"
    kinds = {(c["speaker"]["actor"], c["kind"], c["certainty"]) for c in data["claims"]}
    assert ("us", "no-comment", "official") in kinds
    assert any(actor == "russia" and certainty == "alleged" for actor, _, certainty in kinds)


def test_two_outlets_giving_one_point_different_options_are_listed(tmp_path):
    """The Zaporizhzhia plant in the European counter-proposal, as two outlets tell it."""
    stories = {
        "ft.md": ("ft-znpp", "Financial Times", "The European counter-proposal would return "
                  "the Zaporizhzhia nuclear plant to Ukrainian control, according to the "
                  "Financial Times."),
        "reuters.md": ("reuters-znpp", "Reuters", "The European counter-proposal would have "
                       "the Zaporizhzhia nuclear plant restarted under IAEA supervision, with "
                       "its power split between Russia and Ukraine, Reuters reported."),
    }
    paths = []
    for name, (doc_id, outlet, sentence) in stories.items():
        path = tmp_path / name
        path.write_text(f"---\nid: {doc_id}\noutlet: {outlet}\ndate: 2025-11-24\n---\n"
                        f"{sentence}\n", encoding="utf-8")
        paths.append(str(path))
    data = json.loads(_run(*paths, "--scenario", "ukraine-2025", "--json").output)
    (item,) = data["disagreements"]
    assert item["actor"] == "europe" and item["reason"].startswith("znpp:")
    assert {"ukrainian-control", "iaea-restart-shared"} <= set(
        item["reason"].replace(",", " ").replace("/", " ").split())
    outlets = [set(data["groups"][g]["outlets"]) for g in item["groups"]]
    assert outlets == [{"Financial Times"}, {"Reuters"}]
    table = _run(*paths, "--scenario", "ukraine-2025").output
    assert "Sources that disagree" in table


def test_a_folder_is_read_as_its_articles(tmp_path):
    data = json.loads(_run(str(OWN), "--json").output)
    names = sorted(p.stem for p in OWN.glob("*.yaml"))
    assert sorted(d["id"] for d in data["documents"]) == names  # README.md is no article
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = runner.invoke(app, ["evidence", str(empty)])
    assert result.exit_code == 2 and "no articles in this folder" in result.output
