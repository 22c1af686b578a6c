"""`accord convert`: a scenario from one format to another.

The output's name and the format must agree: `.yaml`/`.yml` is YAML; a folder (an existing
one, or a name ending in `/`) or a `.xml` file is GENIUS XML (a `.xml` file gets the domain,
its utility spaces are written beside it). Without `--to` the format follows from the name.
`--to geniusweb` writes GeniusWeb JSON into a folder (a domain and one profile per party), or
with a `.json` name one profile file, for a one-party scenario only (never inferred: a folder
without `--to` is GENIUS XML).

GENIUS XML cannot hold everything (red lines, drafts, …: `genius_losses`). Every loss is
warned about; a loss that changes the engine's answer — whether there is a zone of agreement,
and which package the Nash bargaining solution picks — is refused unless `--lossy` is given,
and then the change is said in words.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape

from accord.cli.app import (
    IntegerLimitOpt,
    PointsOpt,
    ScenarioArg,
    app,
    load_sources,
    reports_errors,
    writing,
)
from accord.cli.progress import progress_bar, stderr_console
from accord.errors import SolverLimit, UsageError
from accord.io import save
from accord.io.genius import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS, load_genius_folder
from accord.io.genius_write import (
    genius_domain_xml,
    genius_file_names,
    genius_losses,
    genius_profile_xml,
    save_genius,
)
from accord.io.geniusweb_write import (
    geniusweb_losses,
    geniusweb_round_trip,
    save_geniusweb_profile,
)
from accord.io.negmas_write import negmas_losses, negmas_round_trip
from accord.model import Issue, Scenario

FORMATS = ("yaml", "genius", "negmas", "geniusweb")
YAML_SUFFIXES = (".yaml", ".yml")
NASH_NODE_LIMIT = 50_000
"""Branch-and-bound nodes for each Nash package compared (past it the comparison is skipped)."""
SHOWN_CHANGES = 5
LABEL_WIDTH = 60


@app.command()
@reports_errors
def convert(
    scenario: ScenarioArg,
    output: Annotated[str, typer.Option(
        "--output", "-o", help="Where to write: a .yaml/.yml file (YAML), or a folder (an "
        "existing one or a name ending in /) or a .xml file (GENIUS XML; the utility spaces "
        "are written beside it).", show_default=False)],
    to: Annotated[str | None, typer.Option(
        help="Output format: yaml, genius or negmas (a NegMAS scenario folder; default: "
        "from the output's name), or geniusweb (a folder of GeniusWeb JSON profiles, or a "
        ".json file for a one-party scenario).",
        show_default=False)] = None,
    lossy: Annotated[bool, typer.Option(
        "--lossy", help="Write even when what the format cannot hold changes the analysis "
        "(the change is reported).")] = False,
    points: PointsOpt = DEFAULT_POINTS,
    integer_limit: IntegerLimitOpt = DEFAULT_INTEGER_LIMIT,
) -> None:
    """Convert between formats: YAML, GENIUS XML, NegMAS folders (read and write), GeniusWeb
    JSON (read)."""
    if to is not None and to not in FORMATS:
        raise typer.BadParameter(f"unknown format {to!r}; expected {', '.join(FORMATS)}",
                                 param_hint="--to")
    target = output_format(output, to)
    loaded = load_sources(scenario, points, integer_limit)
    if target == "genius":
        _check_genius_losses(loaded, lossy)
    if target == "negmas":  # a NegMAS scenario folder: same warnings and refusal as GENIUS
        check_losses(loaded, lossy, "a NegMAS folder", negmas_losses(loaded), negmas_round_trip)
    if target == "geniusweb":  # GeniusWeb JSON: same warnings and refusal as GENIUS
        _check_geniusweb(loaded, output, lossy)
    path = Path(output).expanduser()
    with writing(path):
        if target == "genius" and path.suffix.lower() == ".xml" and not path.is_dir():
            written = save_genius_domain_file(loaded, path)
        elif target == "geniusweb" and path.suffix.lower() == ".json" and not path.is_dir():
            written = save_geniusweb_profile(loaded, path)
        else:
            written = save(loaded, path, target)  # type: ignore[arg-type]
    Console(highlight=False).print(f"wrote {len(written)} file(s): "
                                   + ", ".join(escape(str(p)) for p in written))


def output_format(output: str, to: str | None) -> str:
    """The format to write `output` in: `to` when it agrees with the name, else a UsageError;
    without `to`, the format the name says (.yaml/.yml: yaml; a folder or .xml: genius)."""
    path = Path(output).expanduser()
    folder = output.endswith(("/", os.sep)) or path.is_dir()
    suffix = "" if folder else path.suffix.lower()
    if to is None:
        if folder or suffix == ".xml":
            return "genius"
        if suffix in YAML_SUFFIXES:
            return "yaml"
        raise UsageError(f"cannot tell the format from -o {output!r}: name a .yaml or .yml "
                         "file (YAML), a .xml file or a folder ending in / (GENIUS XML), or "
                         "give --to " + "|".join(FORMATS) + " (--to geniusweb for GeniusWeb "
                         "JSON: a folder, or a .json file for a one-party scenario)")
    if to == "yaml" and folder:
        raise UsageError(f"-o {output!r} is a folder, but YAML is written to one file: name "
                         "a .yaml file (e.g. -o " + str(Path(output) / "scenario.yaml") + ")")
    if to == "yaml" and suffix not in (*YAML_SUFFIXES, ""):
        raise UsageError(f"-o {output!r} ends in {suffix!r} but --to yaml writes YAML: name a "
                         ".yaml or .yml file" + (" (or use --to genius for GENIUS XML)"
                                                 if suffix == ".xml" else ""))
    if to == "geniusweb" and suffix not in ("", ".json"):
        raise UsageError(f"-o {output!r} ends in {suffix!r} but --to geniusweb writes GeniusWeb "
                         "JSON: give a folder (e.g. -o profiles/), or a .json file for a "
                         "one-party scenario")
    if to == "negmas" and suffix:
        raise UsageError(f"-o {output!r} ends in {suffix!r} but --to negmas writes a NegMAS "
                         "scenario folder: give a folder (e.g. -o scenario/)")
    if to == "genius" and suffix not in ("", ".xml"):
        raise UsageError(f"-o {output!r} ends in {suffix!r} but --to genius writes GENIUS XML: "
                         "give a folder or a .xml file for the domain"
                         + (" (or use --to yaml for YAML)" if suffix in YAML_SUFFIXES else ""))
    return to


def _check_geniusweb(scenario: Scenario, output: str, lossy: bool) -> None:
    """A .json output holds one profile: refuse more parties; then warn about every loss and
    refuse one that changes the answer (unless `lossy`), as for GENIUS XML."""
    path = Path(output).expanduser()
    if path.suffix.lower() == ".json" and not path.is_dir() and len(scenario.parties) != 1:
        raise UsageError(f"-o {output!r} is one GeniusWeb profile file, but {scenario.id} has "
                         f"{len(scenario.parties)} parties: give a folder (e.g. -o "
                         f"{path.with_suffix('')}/) for a domain and one profile per party")
    check_losses(scenario, lossy, "GeniusWeb JSON", geniusweb_losses(scenario),
                 geniusweb_round_trip)


def save_genius_domain_file(scenario: Scenario, domain: Path) -> list[Path]:
    """GENIUS XML with the domain in the file `domain` and the utility spaces beside it (named
    as `save_genius` names them; the domain's <agent> entries point at them)."""
    domain.parent.mkdir(parents=True, exist_ok=True)
    domain.write_text(genius_domain_xml(scenario), encoding="utf-8")
    written = [domain]
    for party, name in zip(scenario.parties, genius_file_names(scenario)[1]):
        path = domain.parent / name
        path.write_text(genius_profile_xml(scenario, party.id), encoding="utf-8")
        written.append(path)
    return written


def _check_genius_losses(scenario: Scenario, lossy: bool) -> None:
    """Warn about what GENIUS drops; refuse (unless `lossy`) when it changes the answer."""
    check_losses(scenario, lossy, "GENIUS XML", genius_losses(scenario), genius_round_trip)


def check_losses(scenario: Scenario, lossy: bool, format_name: str, losses: list[str],
                 round_trip: Callable[[Scenario], Scenario]) -> None:
    """Warn about every loss of a format (`losses`, as its `…_losses` names them); refuse
    (unless `lossy`) when the scenario `round_trip` gives back analyses differently."""
    if not losses:
        return
    with progress_bar(f"checking what {format_name} would change in the analysis", None):
        changes = answer_changes(scenario, round_trip(scenario))
    dropped = "; ".join(losses)
    if changes and not lossy:
        raise UsageError(
            f"converting {scenario.id} to {format_name} would change the analysis: "
            + "; ".join(changes) + f".\n  {format_name} cannot hold (would drop): {dropped}."
            "\n  Nothing was written. Convert to YAML to keep everything, or pass --lossy "
            "to write it anyway.")
    err = stderr_console()
    for loss in losses:
        err.print(f"[yellow]warning:[/] dropped: {escape(loss)}", soft_wrap=True)
    for change in changes:
        err.print(f"[yellow]warning:[/] {escape(change)} (written anyway: --lossy)",
                  soft_wrap=True)
    if not changes:
        err.print("[dim]The converted scenario analyses the same: the zone verdict and the "
                  "Nash bargaining package are unchanged.[/]", soft_wrap=True)


def genius_round_trip(scenario: Scenario) -> Scenario:
    """The scenario as GENIUS XML would give it back (written and read in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="accord-convert-") as folder:
        save_genius(scenario, folder)
        return load_genius_folder(folder)


def answer_changes(original: Scenario, converted: Scenario) -> list[str]:
    """What the engine answers differently for `converted`: the zone verdict and, when both
    have a zone, the Nash bargaining package (issue by issue, in labels). Empty: no change."""
    from accord.analysis import compile_space, nash_bargaining_solution, zone_of_agreement

    spaces = compile_space(original), compile_space(converted)
    had, has = (zone_of_agreement(space).exists for space in spaces)
    if had != has:
        return ["the converted scenario has a zone of agreement where the original has none"
                if has else
                "the converted scenario has no zone of agreement where the original has one"]
    if not had:
        return []
    try:
        nash = [nash_bargaining_solution(space, node_limit=NASH_NODE_LIMIT) for space in spaces]
    except SolverLimit:
        return []
    if nash[0] is None or nash[1] is None:
        return []
    before = _chosen(original, nash[0].package)
    after = _chosen(converted, nash[1].package)
    moved = [issue for issue in original.issues if before[issue.id] != after.get(issue.id)]
    if not moved:
        return []
    shown = [f"{issue.title}: {_label(issue, before[issue.id])} → "
             f"{_label(issue, after.get(issue.id))}" for issue in moved[:SHOWN_CHANGES]]
    more = f"; … and {len(moved) - SHOWN_CHANGES} more" if len(moved) > SHOWN_CHANGES else ""
    return [f"the Nash bargaining package changes on {len(moved)} of {len(original.issues)} "
            f"issue(s) ({'; '.join(shown)}{more})"]


def _chosen(scenario: Scenario, package: np.ndarray) -> dict[str, str]:
    """Issue id → option id of a package (one option index per issue)."""
    return {issue.id: issue.options[int(k)].id for issue, k in zip(scenario.issues, package)}


def _label(issue: Issue, option_id: str | None) -> str:
    for option in issue.options:
        if option.id == option_id:
            return textwrap.shorten(option.label, LABEL_WIDTH, placeholder=" …")
    return str(option_id)
