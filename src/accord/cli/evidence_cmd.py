"""`accord evidence`: who is said to hold what in the news, how sure, and what it means for
a scenario (docs/evidence.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.cli.app import app, reports_errors
from accord.errors import UsageError
from accord.extras import require

FilesArg = Annotated[list[Path] | None, typer.Argument(
    help="News articles: plain text (.txt), Markdown (.md), saved web pages (.html/.htm) "
         "or annotated YAML, or folders of them; Italian or English (detected).",
    show_default=False)]
ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", help="A scenario (file or shipped name): each claim gets its party, the "
    "points it bears on and whether it supports, contradicts or is new to the scenario.")]
UpdateOpt = Annotated[Path | None, typer.Option(
    "--update", metavar="OUT.yaml", help="Write a copy of --scenario with the claims added "
    "as evidence on the positions they bear on; no number is changed (contradictions are "
    "listed for you to decide).")]
OutletOpt = Annotated[str | None, typer.Option(
    "--outlet", help="The outlet of articles whose page or front matter names none.")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="The date (YYYY-MM-DD) of articles whose page or front matter gives none.")]
LanguageOpt = Annotated[str | None, typer.Option(
    "--language", help="it or en, instead of detecting it.")]
JsonOpt = Annotated[bool, typer.Option(
    "--json", help="Print JSON (schema accord.evidence/1, docs/evidence.md).")]


@reports_errors
def evidence(files: FilesArg = None, scenario: ScenarioOpt = None, update: UpdateOpt = None,
             outlet: OutletOpt = None, date: DateOpt = None, language: LanguageOpt = None,
             as_json: JsonOpt = False) -> None:
    """Read news articles into attributed claims: speaker, party, outlets, certainty."""
    require("evidence", "accord evidence")
    from accord.evidence import extract_claims, group_claims, read_document
    from accord.evidence.export import evidence_data
    from accord.evidence.grouping import contradictions as contradictions_between
    from accord.evidence.update import claim_ref, scenario_claims, update_scenario

    if not files:
        raise UsageError("give one or more article files (.txt, .md, .html or .yaml)")
    if update is not None and scenario is None:
        raise UsageError("--update writes a copy of a scenario: give it with --scenario")
    documents = [read_document(path, outlet=outlet, date=date, language=language)
                 for path in _articles(files)]
    _refuse_repeated_ids(documents)
    claims = [claim for document in documents for claim in extract_claims(document)]
    groups = group_claims(claims, documents)
    loaded = seen = None
    contradictions: list = []
    added = 0
    if scenario is not None:
        from accord.io import resolve

        loaded = resolve(scenario)
        seen = scenario_claims(loaded, claims, documents)
        outlets = {claim_ref(member): tuple(group.outlets)
                   for group in groups for member in group.members}
        updated, contradictions = update_scenario(loaded, claims, documents, outlets)
        if update is not None:
            from accord.io import save_scenario

            save_scenario(updated, update)
            added = _kept_claims(updated) - _kept_claims(loaded)
    named = {id(item.claim): item.options for item in seen or ()}
    disagreements = contradictions_between(groups, documents,
                                           lambda claim: named.get(id(claim), {}))
    data = evidence_data(documents, claims, groups, seen, contradictions,
                         loaded.id if loaded else None, str(update) if update else None,
                         disagreements)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    _render(Console(highlight=False), data, loaded is not None)
    if update is not None:
        Console(highlight=False).print(
            f"Wrote {escape(str(update))}: the scenario with {added} piece(s) of evidence "
            "from the articles on its positions; no number changed.")


app.command(name="evidence")(evidence)


ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".yaml", ".yml")


def _articles(paths: list[Path]) -> list[Path]:
    """The files given, with each folder replaced by the articles in it (by name)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(p for p in path.iterdir()
                        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                        and p.name.lower() not in ("readme.md", "readme.txt"))
        if not inside:
            raise UsageError(f"{path}: no articles in this folder (expected files ending in "
                             f"{', '.join(ARTICLE_SUFFIXES)})")
        found += inside
    return found


def _kept_claims(scenario) -> int:
    """How many pieces of evidence read from articles a scenario keeps."""
    items = [e for party in scenario.parties for pref in party.preferences.values()
             for e in pref.evidence] + list(scenario.sources)
    return sum(1 for e in items if (e.ref or "").startswith("article:"))


def _refuse_repeated_ids(documents: list) -> None:
    seen: dict[str, str | None] = {}
    for document in documents:
        if document.id in seen and seen[document.id] == document.path:
            raise UsageError(f"{document.path} is given twice")
        if document.id in seen:
            raise UsageError(f"two articles have the id {document.id!r} ({seen[document.id]} "
                             f"and {document.path}): give one an `id` in its front matter")
        seen[document.id] = document.path


def _render(console: Console, data: dict, with_scenario: bool) -> None:
    """A table of claims per article, then corroborated claims and contradictions."""
    claims = data["claims"]
    for document in data["documents"]:
        mine = [(k, c) for k, c in enumerate(claims) if c["document"] == document["id"]]
        title = (f"{document['id']} · {document['outlet'] or 'outlet unknown'} · "
                 f"{document['date'] or 'undated'} · {document['language']}")
        table = Table(title=escape(title), title_justify="left", pad_edge=False,
                      expand=True)
        table.add_column("#", no_wrap=True, justify="right")
        table.add_column("speaker → party" if with_scenario else "speaker → actor", ratio=3)
        table.add_column("certainty (cue)", ratio=3)
        table.add_column("kind", ratio=2)
        table.add_column("reported by", ratio=3)
        if with_scenario:
            table.add_column("points · verdict", ratio=4)
        for k, claim in mine:
            who = claim["speaker"]
            belongs = (who["party"] if with_scenario else who["actor"]) or "—"
            certainty = claim["certainty"] + (f" ({claim['cue']})" if claim["cue"] else "")
            row = [str(k + 1), f"{who['name']} → {belongs}", certainty, claim["kind"],
                   ", ".join(claim["reported_by"]) or "—"]
            if with_scenario:
                row.append(_points(claim) + (f" · {claim['verdict']}" if claim["verdict"]
                                             else ""))
            table.add_row(*(escape(cell) for cell in row))
        if mine:
            console.print(table)
        else:
            console.print(escape(title))
            console.print("  no claims found")
        for k, claim in mine:
            console.print(f"  [dim]{k + 1}.[/] {escape(' '.join(claim['text'].split()))}",
                          soft_wrap=False)
        console.print()
    corroborated = [g for g in data["groups"] if g["corroboration"] > 1]
    if corroborated:
        console.print("[bold]The same claim from several outlets[/]")
        for group in corroborated:
            first = claims[group["earliest"]]
            console.print(f"  • {escape(first['speaker']['name'])}: "
                          f"{escape(' '.join(first['text'].split())[:100])} — "
                          f"{group['corroboration']} outlets: {escape(', '.join(group['outlets']))}")
        console.print()
    if data["disagreements"]:
        console.print("[bold]Sources that disagree[/]")
        for item in data["disagreements"]:
            first, second = (data["groups"][g] for g in item["groups"])
            console.print(f"  • {escape(item['actor'] or 'no party')}: {escape(item['reason'])} "
                          f"({escape(', '.join(first['outlets']))} / "
                          f"{escape(', '.join(second['outlets']))})")
        console.print()
    if with_scenario:
        if data["contradictions"]:
            console.print("[bold]Against the scenario's estimates[/] (for you to decide; "
                          "no number was changed)")
            for item in data["contradictions"]:
                console.print(f"  • {escape(item['party'])} on {escape(item['issue'])}: "
                              f"{escape(item['reason'])} (scenario: {escape(item['estimate'])};"
                              f" {escape(item['outlet'])}, {item['certainty']})")
        else:
            console.print("No claim contradicts the scenario's estimates.")


def _points(claim: dict) -> str:
    parts = []
    for issue in claim["issues"]:
        options = claim["options"].get(issue)
        parts.append(issue + (f" → {', '.join(options)}" if options else ""))
    return "; ".join(parts) or "—"
