"""Scenarios shipped inside the package, and resolving a name or a path to a scenario."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from accord.errors import UsageError
from accord.io.yaml_scenario import load_scenario, loads_scenario
from accord.model import Scenario

DEFAULT_SCENARIO = "ukraine-2025"


def builtin_names() -> list[str]:
    """Names of the shipped scenarios."""
    folder = resources.files("accord.data") / "scenarios"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def load_builtin(name: str) -> Scenario:
    """A shipped scenario by name (e.g. `ukraine-2025`)."""
    if name not in builtin_names():
        raise UsageError(f"no shipped scenario named {name!r}; shipped: "
                         f"{', '.join(builtin_names())}")
    resource = resources.files("accord.data") / "scenarios" / f"{name}.yaml"
    return loads_scenario(resource.read_bytes(), f"accord:{name}")


def resolve(source: str | Path) -> Scenario:
    """Load a scenario from a path, or a shipped one by name when no such file exists."""
    path = Path(source)
    if path.exists() or str(source).endswith((".yaml", ".yml")) or "/" in str(source):
        return load_scenario(path)
    return load_builtin(str(source))
