"""accord: analysis, comparison and simulation of multi-party negotiations over plans.

    >>> import accord
    >>> scenario = accord.load("ukraine-2025")
    >>> result = accord.analyze(scenario)
    >>> result.zone.exists
    False
"""

from accord.analysis import Analysis, analyze
from accord.errors import AccordError, ScenarioError
from accord.io import load_scenario, resolve
from accord.model import Scenario

__version__ = "0.1.0"


def load(source: str) -> Scenario:
    """Load a scenario: a YAML file, a GENIUS XML domain file or folder, GeniusWeb JSON
    profiles (file or folder), an LLM-Deliberation game folder, or a shipped scenario by name
    (see docs/formats.md)."""
    return resolve(source)


__all__ = ["AccordError", "Analysis", "Scenario", "ScenarioError", "analyze", "load",
           "load_scenario", "__version__"]
