"""Reading and writing scenarios: accord's YAML format, GENIUS XML, GeniusWeb JSON,
LLM-Deliberation game folders, and the shipped scenarios (see docs/scenario-format.md and
docs/formats.md)."""

from accord.io.builtin import (
    DEFAULT_SCENARIO,
    SAVE_FORMATS,
    builtin_names,
    load_builtin,
    load_folder,
    resolve,
    resolve_many,
    save,
)
from accord.io.genius import load_genius, load_genius_folder
from accord.io.genius_write import genius_losses, save_genius
from accord.io.geniusweb import load_geniusweb, load_geniusweb_folder
from accord.io.geniusweb_ordinal import OrdinalProfile, load_ordinal
from accord.io.geniusweb_write import geniusweb_losses, save_geniusweb
from accord.io.llm_deliberation import is_llm_deliberation_game, load_llm_deliberation
from accord.io.mopac import load_mopac
from accord.io.negmas import is_negmas_folder, load_negmas_folder
from accord.io.negmas_write import negmas_losses, save_negmas
from accord.io.yaml_scenario import (
    dump_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_to_data,
)

__all__ = [
    "DEFAULT_SCENARIO", "SAVE_FORMATS", "builtin_names", "dump_scenario", "genius_losses",
    "is_llm_deliberation_game", "load_builtin", "load_folder", "load_genius",
    "load_genius_folder", "load_geniusweb", "load_geniusweb_folder", "load_llm_deliberation",
    "load_mopac", "load_scenario", "loads_scenario", "resolve", "resolve_many",
    "save", "save_genius", "save_scenario", "scenario_to_data",
    "is_negmas_folder", "load_negmas_folder", "negmas_losses", "save_negmas",
    "OrdinalProfile", "geniusweb_losses", "load_ordinal", "save_geniusweb",
]
