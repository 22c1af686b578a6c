"""Reading and writing scenarios: the YAML format and the shipped scenarios."""

from accord.io.builtin import DEFAULT_SCENARIO, builtin_names, load_builtin, resolve
from accord.io.yaml_scenario import (
    dump_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_to_data,
)

__all__ = [
    "DEFAULT_SCENARIO", "builtin_names", "dump_scenario", "load_builtin", "load_scenario",
    "loads_scenario", "resolve", "save_scenario", "scenario_to_data",
]
