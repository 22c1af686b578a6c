"""Shipped scenarios, and resolving a name, a file or a folder to a scenario.

Every command that takes a scenario goes through `resolve`, which accepts:

- a YAML scenario file (`.yaml` / `.yml`, or any other file that is not XML or JSON);
- a GENIUS domain file (`.xml`): its utility spaces are found beside it;
- a folder holding one GENIUS domain and its utility spaces, or GeniusWeb JSON profiles;
- an LLM-Deliberation game folder (`config.txt` and `scores_files/`);
- a NegMAS scenario folder (its YAML domain and utility-function files);
- a GeniusWeb JSON profile (`.json`): a one-party scenario;
- the name of a shipped scenario (`ukraine-2025`, `gaza-2025`).

`resolve_many` takes explicit files (a GENIUS domain and its profiles, or several GeniusWeb
profiles); `save` writes a scenario as YAML or as a folder of GENIUS XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

from accord.errors import Problem, ScenarioError, UsageError
from accord.io import genius, geniusweb, llm_deliberation, mopac
from accord.io import negmas as negmas_folder
from accord.io._xml import root_tag
from accord.io.negmas_write import save_negmas
from accord.io.yaml_scenario import load_scenario, loads_scenario, save_scenario
from accord.model import Scenario

DEFAULT_SCENARIO = "ukraine-2025"

SaveFormat = Literal["yaml", "genius", "negmas", "geniusweb"]
SAVE_FORMATS: tuple[str, ...] = ("yaml", "genius", "negmas", "geniusweb")


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


def resolve(source: str | Path, *, points: int = genius.DEFAULT_POINTS,
            integer_limit: int = genius.DEFAULT_INTEGER_LIMIT) -> Scenario:
    """Load a scenario from a file or folder (YAML, GENIUS XML, GeniusWeb JSON profiles or
    MOPAC session settings, an LLM-Deliberation game), or a shipped one by name when no
    such path exists.

    `points` and `integer_limit` control how real and large integer issues of GENIUS and
    GeniusWeb files are discretised (see docs/formats.md).
    """
    path = Path(source)
    text = str(source)
    if path.is_dir():
        return load_folder(path, points=points, integer_limit=integer_limit)
    suffix = path.suffix.lower()
    if path.exists():
        if suffix == ".xml":
            return genius.load_genius(path, points=points, integer_limit=integer_limit)
        if suffix == ".json" and mopac.is_mopac_settings(path):
            return mopac.load_mopac(path, points=points, integer_limit=integer_limit)
        if suffix == ".json":
            return geniusweb.load_geniusweb([path], points=points, integer_limit=integer_limit)
        return load_scenario(path)
    if suffix in (".yaml", ".yml", ".xml", ".json") or "/" in text or "\\" in text:
        raise ScenarioError([Problem((), "file not found", None, text)])
    return load_builtin(text)


def load_folder(folder: str | Path, *, points: int = genius.DEFAULT_POINTS,
                integer_limit: int = genius.DEFAULT_INTEGER_LIMIT) -> Scenario:
    """A folder of GENIUS XML (one domain and its utility spaces), GeniusWeb JSON profiles
    or an LLM-Deliberation game, as one scenario.

    GENIUS and GeniusWeb files are looked for first, so a game's marks (`config.txt` and
    `scores_files/`) never take over a folder of those formats."""
    folder = Path(folder)
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError as error:
        raise ScenarioError([Problem((), f"cannot read the folder: {error.strerror}", None,
                                     str(folder))]) from None
    if any(p.suffix.lower() == ".xml" and root_tag(p) == genius.DOMAIN_ROOT
           for p in files):
        return genius.load_genius_folder(folder, points=points, integer_limit=integer_limit)
    settings = mopac.mopac_settings_in(folder, files)
    if settings is not None:  # a session: its settings say which profiles take part
        return mopac.load_mopac(settings, points=points, integer_limit=integer_limit)
    if any(p.suffix.lower() == ".json" and geniusweb.is_geniusweb_json(p) for p in files):
        return geniusweb.load_geniusweb_folder(folder, points=points,
                                               integer_limit=integer_limit)
    if negmas_folder.is_negmas_folder(folder):  # NegMAS YAML: a domain with …OutcomeSpace
        return negmas_folder.load_negmas_folder(folder, points=points,
                                                integer_limit=integer_limit)
    if llm_deliberation.is_llm_deliberation_game(folder):
        return llm_deliberation.load_llm_deliberation(folder)
    if any(p.suffix.lower() == ".xml" for p in files):
        return genius.load_genius_folder(folder)  # explains what is missing
    if llm_deliberation.looks_like_llm_deliberation(folder):
        return llm_deliberation.load_llm_deliberation(folder)  # explains what is missing
    nested = sorted(p.name for p in folder.iterdir() if p.is_dir()
                    and any(root_tag(q) == genius.DOMAIN_ROOT for q in p.glob("*.xml")))
    hint = (f"; its sub-folders {', '.join(nested)} hold GENIUS domains" if nested else
            "; expected a GENIUS domain XML with its utility spaces, GeniusWeb JSON "
            "profiles, or an LLM-Deliberation game (config.txt and scores_files/; a YAML "
            "scenario is given as its file, not its folder)")
    raise ScenarioError([Problem((), f"no scenario in this folder{hint}", None, str(folder))])


def resolve_many(paths: Sequence[str | Path], *, points: int = genius.DEFAULT_POINTS,
                 integer_limit: int = genius.DEFAULT_INTEGER_LIMIT) -> Scenario:
    """One scenario from explicit files: a GENIUS domain XML and its utility-space XMLs (in
    any order), or GeniusWeb JSON profiles. One path alone is the same as `resolve`."""
    if not paths:
        raise UsageError("no scenario file given")
    if len(paths) == 1:
        return resolve(paths[0], points=points, integer_limit=integer_limit)
    files = [Path(p) for p in paths]
    suffixes = {p.suffix.lower() for p in files}
    if suffixes == {".xml"}:
        domain, profiles = genius.split_genius_files(files)
        return genius.load_genius(domain, profiles, points=points, integer_limit=integer_limit)
    if suffixes == {".json"}:
        for path in files:
            if not path.is_file():
                raise ScenarioError([Problem((), "file not found" if not path.exists()
                                             else "is a folder; expected a JSON file", None,
                                             str(path))])
        return geniusweb.load_geniusweb(files, points=points, integer_limit=integer_limit)
    raise UsageError("several files make one scenario only as a GENIUS domain XML with its "
                     "utility-space XMLs, or as GeniusWeb JSON profiles; got "
                     f"{', '.join(str(p) for p in paths)} (give a YAML scenario on its own)")


def save(scenario: Scenario, path: str | Path, format: SaveFormat = "yaml") -> list[Path]:
    """Write a scenario: `yaml` to the file `path`, `genius` to the folder `path` (one domain
    file and one utility space per party). Returns the files written.

    GENIUS XML cannot hold red lines, interactions, constraints, drafts, capabilities or
    evidence; `accord.io.genius_write.genius_losses(scenario)` lists what a scenario would lose.
    `geniusweb` writes a folder of GeniusWeb JSON (a domain and one profile per party);
    `accord.io.geniusweb_write.geniusweb_losses(scenario)` lists what it loses.
    """
    if format == "yaml":
        save_scenario(scenario, path)
        return [Path(path)]
    if format == "genius":
        from accord.io.genius_write import save_genius
        return save_genius(scenario, path)
    if format == "negmas":  # a NegMAS scenario folder (accord.io.negmas_write)
        return save_negmas(scenario, path)
    if format == "geniusweb":  # a folder of GeniusWeb JSON (accord.io.geniusweb_write)
        from accord.io.geniusweb_write import save_geniusweb
        return save_geniusweb(scenario, path)
    raise UsageError(f"unknown format {format!r}; expected one of {', '.join(SAVE_FORMATS)}")
