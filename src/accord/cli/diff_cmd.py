"""`accord diff`: what changed between plans, and what is really new in one."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from accord.cli.app import app, reports_errors
from accord.errors import UsageError
from accord.model import Scenario
from accord.model.plan import Plan

PlansArg = Annotated[list[str] | None, typer.Argument(
    help="Two or more plans, oldest first: plan YAML files, ids of shipped plans (or of "
         "plans in --plans), or ids of drafts in --scenario.", show_default=False)]
AgainstAllOpt = Annotated[str | None, typer.Option(
    "--against-all", metavar="PLAN", help="Compare PLAN with every earlier plan in the "
    "plans folder and say where each of its points first appeared.")]
ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", help="A scenario (file or shipped name) whose drafts can be named; when "
    "both plans are its drafts, the diff says which party each change moves towards.")]
FolderOpt = Annotated[Path | None, typer.Option(
    "--plans", help="A folder of plan files (default: the shipped plans).")]
EncoderOpt = Annotated[str, typer.Option(
    help="Text encoder: char-tfidf (default, no model), sentence-transformers[:MODEL] "
         "(optional package, local model), or a registered plug-in.")]
ChangesOnlyOpt = Annotated[bool, typer.Option(
    "--changes-only", help="The later plans list changes or answers only: what they do not "
    "mention is 'not mentioned', not 'dropped' (automatic for status text-not-published).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (schema accord.diff/1, "
                                       "docs/diff.md).")]


@reports_errors
def diff(plans: PlansArg = None, against_all: AgainstAllOpt = None,
         scenario: ScenarioOpt = None, plans_folder: FolderOpt = None,
         encoder: EncoderOpt = "char-tfidf", changes_only: ChangesOnlyOpt = False,
         as_json: JsonOpt = False) -> None:
    """Compare plans point by point: carried over, modified, moved, new, dropped."""
    from accord.compare.encoders import get_encoder

    sources = list(plans or [])
    if against_all is not None and sources:
        raise UsageError("give either plans to compare or --against-all PLAN, not both")
    if against_all is None and len(sources) < 2:
        raise UsageError("give two plans or more to compare (oldest first), or "
                         "--against-all PLAN")
    loaded = _scenario(scenario)
    chosen = get_encoder(encoder)
    if against_all is not None:
        result = _against_all(against_all, loaded, plans_folder, chosen, as_json)
    else:
        result = _chain([_plan(s, loaded, plans_folder) for s in sources], loaded, chosen,
                        as_json, changes_only or None)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


app.command(name="diff")(diff)


def _scenario(source: str | None) -> Scenario | None:
    if source is None:
        return None
    from accord.io import resolve

    return resolve(source)


def _plan(source: str, scenario: Scenario | None, folder: Path | None) -> Plan:
    """A plan file, id or draft; failing those, the draft or plan the name (as the tables
    show it: without the date, a unique prefix, any case) stands for."""
    from accord.io.plans import builtin_plans, load_plan_folder, resolve_plan
    from accord.model.draft_ref import match_name

    try:
        return resolve_plan(source, scenario, folder)
    except UsageError:
        drafts = {d.id: d for d in scenario.drafts} if scenario is not None else {}
        plans = {p.id: p for p in (load_plan_folder(folder) if folder is not None
                                   else builtin_plans())}
        for named in (drafts, plans):  # a scenario's drafts first, as resolve_plan does
            found = match_name(source, list(named))
            if len(found) == 1:
                chosen = named[found[0]]
                return Plan.of_draft(chosen) if named is drafts else chosen
            if found:
                raise UsageError(f"{source!r} could mean {' or '.join(found)}; give more "
                                 "of the name") from None
        raise


def _chain(plans: list[Plan], scenario: Scenario | None, encoder: Any, as_json: bool,
           changes_only: bool | None) -> dict[str, Any] | None:
    """Diff each plan with the next; with drafts of one scenario, the utility shifts."""
    from accord.compare import export
    from accord.compare.history import diff_chain, lineage

    diffs = diff_chain(plans, encoder, changes_only)
    shifts = [_shift(scenario, d.a, d.b) for d in diffs]
    rows = lineage(diffs) if len(plans) > 2 else None
    if as_json:
        return export.document(
            "pair" if len(plans) == 2 else "chain", encoder.name, plans,
            comparisons=[export.diff_data(d, s) for d, s in zip(diffs, shifts)],
            lineage=export.lineage_data(rows) if rows is not None else None)
    _render_chain(plans, diffs, shifts, rows)
    return None


def _render_chain(plans: list[Plan], diffs: list[Any], shifts: list[Any],
                  rows: list[Any] | None) -> None:
    from accord.cli.diff_render import render_diff, render_lineage

    console = Console(highlight=False)
    for k, (d, s) in enumerate(zip(diffs, shifts)):
        if k:
            console.print()
        render_diff(console, d, s)
    if rows is not None:
        console.print()
        render_lineage(console, plans, rows)


def _shift(scenario: Scenario | None, a: Plan, b: Plan) -> Any:
    """The utility shift from draft a to draft b, when both are drafts of the scenario."""
    if scenario is None or not {a.id, b.id} <= {d.id for d in scenario.drafts}:
        return None
    from accord.compare.shift import utility_shift

    return utility_shift(scenario, a.id, b.id)


def _against_all(source: str, scenario: Scenario | None, folder: Path | None, encoder: Any,
                 as_json: bool) -> dict[str, Any] | None:
    """Where each point of the plan first appeared among the earlier plans of the folder."""
    from accord.compare import export
    from accord.compare.history import earlier_plans, first_appearances
    from accord.io.plans import builtin_plans, load_plan_folder

    plan = _plan(source, scenario, folder)
    if plan.date is None:
        raise UsageError(f"plan {plan.id!r} has no date, so no plan can be placed before it; "
                         "give it a `date`")
    earlier = earlier_plans(plan, load_plan_folder(folder) if folder else builtin_plans())
    origins = first_appearances(plan, earlier, encoder)
    if as_json:
        new = sum(1 for o in origins if o.first is None)
        return export.document("against-all", encoder.name, [plan],
                               earlier=[export.plan_summary(p) for p in earlier],
                               origins=export.origins_data(origins),
                               counts={"new": new, "seen": len(origins) - new})
    from accord.cli.diff_render import render_origins

    render_origins(Console(highlight=False), plan, earlier, origins)
    return None
