"""GENIUS's non-linear utility, read straight from the XML: an evaluator written apart from
accord's engine and readers, to check them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path


def scenario_folders(root: Path) -> list[Path]:
    """Every scenario folder of the shared GENIUS collection at `root`: the folders under
    `anac/y20*/` and `other/`, and the sub-folders of a folder that holds no XML itself."""
    if not root.is_dir():
        return []
    folders = sorted(root.glob("anac/y20*/*")) + sorted(root.glob("other/*"))
    folders = [f for f in folders if f.is_dir()]
    nested = [sub for f in folders if not any(f.glob("*.xml"))
              for sub in sorted(f.iterdir()) if sub.is_dir() and any(sub.glob("*.xml"))]
    return folders + nested


def nonlinear_utility(root: ET.Element, bid: dict[str, str], cap: bool = True) -> float:
    """GENIUS's NonlinearUtilitySpace, as its Java source reads: the weighted sum of the
    first <ufun>'s rectangles (and nested ufuns) over `maxutility`, capped at 1 (`cap`). An
    INCLUDES rectangle counts when every bound holds (min <= value <= max), an EXCLUDES one
    when some bound fails, one without bounds always. `bid`: issue index -> value text."""
    utility = next(root.iter("utility"))

    def ufun_value(ufun: ET.Element) -> float:
        total = 0.0
        for rectangle in ufun.findall("hyperRectangle"):
            bounds = list(rectangle)
            inside = all(float(b.get("min")) <= float(bid[b.get("index")]) <= float(b.get("max"))
                         for b in bounds)
            excludes = bool(bounds) and bounds[0].tag == "EXCLUDES"
            if not bounds or (inside != excludes):
                total += float(rectangle.get("utility")) * float(rectangle.get("weight", 1))
        total += sum(ufun_value(inner) for inner in ufun.findall("ufun"))
        return total * float(ufun.get("weight", 1))

    value = ufun_value(utility.find("ufun")) / float(utility.get("maxutility"))
    return min(1.0, value) if cap else value
