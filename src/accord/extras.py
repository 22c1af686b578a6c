"""Optional parts of accord, installed as extras, and the message that asks for them.

The core install (analysis, comparison, forecasts, simulation, the room, Markdown and
HTML reports) needs none of these. A feature that does names its extra:

- `fast`: what only makes things faster, with the same answers: numba, compiling the
  frontier's sweeps for three or more parties (without it a vectorised numpy sweep gives
  the same frontier, slower on large ones), and uvloop and httptools, which uvicorn uses
  for the room when they are installed (else asyncio's loop and h11);
- `figures`: vl-convert, which ships Vega for the HTML report's charts and renders SVG
  and PNG figures (without it the HTML report has its tables and no charts);
- `evidence`: spaCy (blank pipelines), simplemma and trafilatura, for reading articles
  (`accord evidence`);
- `all`: every one of them.
"""

from __future__ import annotations

import importlib.util

from accord.errors import UsageError

EXTRAS: dict[str, tuple[str, ...]] = {
    "fast": ("numba", "uvloop", "httptools"),
    "figures": ("vl_convert",),
    "evidence": ("spacy", "simplemma", "trafilatura"),
}
"""Modules each extra provides (import names)."""
DISTRIBUTIONS = {"numba": "numba", "uvloop": "uvloop", "httptools": "httptools",
                 "vl_convert": "vl-convert-python", "spacy": "spacy", "simplemma": "simplemma",
                 "trafilatura": "trafilatura"}


def missing(extra: str) -> list[str]:
    """The packages of `extra` that are not installed (distribution names)."""
    return [DISTRIBUTIONS[module] for module in EXTRAS[extra]
            if importlib.util.find_spec(module) is None]


def installed(extra: str) -> bool:
    """Whether every package of `extra` is installed."""
    return not missing(extra)


def install_hint(extra: str) -> str:
    """What to type to install `extra`."""
    return f"pip install 'accord[{extra}]'"


def require(extra: str, feature: str) -> None:
    """Raise a `UsageError` naming the extra when `feature` cannot run without it."""
    absent = missing(extra)
    if absent:
        raise UsageError(f"{feature} needs the optional package{'s' if len(absent) > 1 else ''} "
                         f"{', '.join(absent)}: {install_hint(extra)}")
