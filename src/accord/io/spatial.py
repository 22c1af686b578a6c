"""Any input of the forecasting command: a scenario (every format `resolve` reads) or one
of the spatial tables of the forecasting literature (DEU III, Decide, actor tables).

`detect_format` reads the start of a `.csv`, `.tsv` or `.txt` file: Decide records
(`#A`, `#P`, ...), the DEU header (`prnr`, `isnr`, ... `out`), or an actor table's
columns. Everything else goes to `accord.io.resolve`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from accord.errors import Problem, ScenarioError, UsageError
from accord.io._spatial import read_text
from accord.io.actor_table import is_actor_table, load_actor_table
from accord.io.builtin import resolve
from accord.io.decide import is_decide, load_decide
from accord.io.deu import Capability, load_deu
from accord.model import Scenario

Format = Literal["auto", "scenario", "deu", "decide", "actors"]
FORMATS: tuple[str, ...] = ("auto", "scenario", "deu", "decide", "actors")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")


def detect_format(source: str | Path) -> str:
    """`deu`, `decide`, `actors` for a recognised table file, else `scenario`."""
    path = Path(source)
    if path.suffix.lower() not in TABLE_SUFFIXES or not path.is_file():
        return "scenario"
    text = read_text(path)
    if is_decide(text):
        return "decide"
    first = next((line for line in text.splitlines() if line.strip()), "")
    cells = {cell.strip().strip('"').lower() for cell in first.split("\t")}
    if {"prnr", "isnr", "out"} <= cells:
        return "deu"
    if is_actor_table(text):
        return "actors"
    raise ScenarioError([Problem((), "unrecognised table: expected a DEU III table, a Decide "
                                 "input file (#A/#P/#M/#D records) or an actor table "
                                 "(Actor, Capability, Position, Salience columns)", 1,
                                 str(source))])


def load_forecast_input(source: str | Path, format: Format = "auto",
                        capability: Capability = "equal") -> Scenario:
    """The scenario behind any forecasting input; `capability` is the DEU proxy."""
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    kind = detect_format(source) if format == "auto" else format
    if kind == "deu":
        return load_deu(source, capability)
    if kind == "decide":
        return load_decide(source)
    if kind == "actors":
        return load_actor_table(source)
    return resolve(source)
