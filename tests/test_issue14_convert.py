"""`accord convert` as a newcomer meets it (issue 14, item 8).

A conversion that changes the engine's answer (the zone verdict, the Nash package) is
refused unless --lossy, which then says what changed; losses that change nothing still
warn; the output's name and the format agree (inferred when --to is not given).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()
EXAMPLE = str(Path(__file__).parents[1] / "docs" / "example-scenario.yaml")


def _convert(*args: str):
    result = runner.invoke(app, ["convert", *args])
    assert "internal error" not in result.output, result.output
    return result


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_conversion_that_opens_a_zone_is_refused(tmp_path):
    out = tmp_path / "d"
    result = _convert("ukraine-2025", "--to", "genius", "-o", f"{out}/")
    assert result.exit_code == 2, result.output
    message = _flat(result.stderr)
    assert message.startswith("error: converting ukraine-2025 to GENIUS XML would change "
                              "the analysis: the converted scenario has a zone of agreement "
                              "where the original has none")
    assert "32 red line(s)" in message and "8 draft(s)" in message and "--lossy" in message
    assert not out.exists()


def test_lossy_writes_and_says_what_the_loss_changes(tmp_path):
    out = tmp_path / "d"
    result = _convert("ukraine-2025", "--to", "genius", "-o", f"{out}/", "--lossy")
    assert result.exit_code == 0, result.output
    warnings = _flat(result.stderr)
    assert "warning: dropped: 32 red line(s)" in warnings
    assert "warning: dropped: 8 draft(s)" in warnings
    assert ("warning: the converted scenario has a zone of agreement where the original has "
            "none") in warnings
    assert len(list(out.glob("*.xml"))) == 5
    analysed = runner.invoke(app, ["analyze", str(out), "--json", "--no-frontier"])
    assert json.loads(analysed.stdout)["zone"]["exists"] is True


def test_a_conversion_that_moves_the_nash_package_is_refused(tmp_path):
    result = _convert("gaza-2025", "-o", f"{tmp_path / 'g'}/")
    assert result.exit_code == 2, result.output
    assert "the Nash bargaining package changes on" in _flat(result.stderr)
    assert not (tmp_path / "g").exists()


def test_losses_that_change_nothing_still_warn(tmp_path):
    result = _convert(EXAMPLE, "-o", f"{tmp_path / 'ex'}/")
    assert result.exit_code == 0, result.output
    warnings = _flat(result.stderr)
    assert "warning: dropped: 4 red line(s)" in warnings
    assert "warning: dropped: 2 hard constraint(s)" in warnings
    assert "analyses the same" in warnings
    assert (tmp_path / "ex" / "example-ceasefire_domain.xml").is_file()


@pytest.mark.parametrize(("name", "to", "expected"), [
    ("uk.xml", "yaml", "-o 'uk.xml' ends in '.xml' but --to yaml writes YAML"),
    ("uk.yaml", "genius", "-o 'uk.yaml' ends in '.yaml' but --to genius writes GENIUS XML"),
    ("uk.json", "yaml", "-o 'uk.json' ends in '.json' but --to yaml writes YAML"),
    ("uk.txt", "genius", "-o 'uk.txt' ends in '.txt' but --to genius writes GENIUS XML"),
    ("uk", None, "cannot tell the format from -o 'uk'"),
    ("uk.json", None, "cannot tell the format from -o 'uk.json'"),
    ("folder/", "yaml", "-o 'folder/' is a folder, but YAML is written to one file"),
])
def test_the_output_name_must_agree_with_the_format(tmp_path, monkeypatch, name, to, expected):
    monkeypatch.chdir(tmp_path)
    result = _convert("ukraine-2025", "-o", name, *(["--to", to] if to else []))
    assert result.exit_code == 2, result.output
    assert _flat(result.stderr).startswith("error: " + expected), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_yaml_is_inferred_from_the_name(tmp_path):
    result = _convert("ukraine-2025", "-o", str(tmp_path / "uk.yml"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "uk.yml").read_text().lstrip().startswith(("id:", "schema"))
    again = runner.invoke(app, ["validate", str(tmp_path / "uk.yml")])
    assert again.exit_code == 0 and "8 drafts" in again.output


def test_an_xml_name_gets_the_genius_domain_and_its_utility_spaces_beside_it(tmp_path):
    domain = tmp_path / "ex.xml"
    result = _convert(EXAMPLE, "-o", str(domain))
    assert result.exit_code == 0, result.output
    assert domain.read_text().lstrip().startswith("<negotiation_template")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ex.xml", "example-ceasefire_league.xml", "example-ceasefire_north.xml",
        "example-ceasefire_south.xml"]
    again = runner.invoke(app, ["validate", str(domain)])
    assert again.exit_code == 0 and "3 parties" in again.output, again.output


def test_an_unknown_format_is_refused(tmp_path):
    result = _convert("ukraine-2025", "--to", "json", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "unknown format 'json'" in _flat(result.output)
