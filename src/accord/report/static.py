"""The report's figures as SVG or PNG files, rendered offline by vl-convert.

vl-convert runs the same Vega-Lite and Vega as the browser inside the Python package (no
browser, no download), so the files show what the HTML page shows, at fixed widths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from accord.extras import require
from accord.report.content import ReportContent
from accord.report.figures import Figure, build_figures

StaticFormat = Literal["svg", "png"]
PNG_SCALE = 2.0
"""Pixels per CSS pixel in PNG files (sharp on high-density screens and in print)."""


def render_figure(figure: Figure, fmt: StaticFormat) -> bytes:
    """One figure as SVG text (UTF-8) or PNG bytes."""
    require("figures", f"writing {fmt.upper()} figures")
    import vl_convert

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(figure.spec).encode("utf-8")
    return vl_convert.vegalite_to_png(figure.spec, scale=PNG_SCALE)


def write_figures(content: ReportContent, folder: Path, fmt: StaticFormat) -> list[Path]:
    """Write every figure to `folder/<figure id>.<fmt>`; the paths written, in order."""
    require("figures", f"writing {fmt.upper()} figures")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in build_figures(content, static=True):
        path = folder / f"{figure.id}.{fmt}"
        path.write_bytes(render_figure(figure, fmt))
        written.append(path)
    return written
