"""GeniusWeb MOPAC session settings: the parties, their powers and who must agree.

A MOPAC session (GeniusWeb's Multiple Offers Partial Consensus protocol, the ANAC 2021
multilateral league) is set up by a JSON file:

    {"MOPACSettings": {
        "participants": [{"TeamInfo": {"parties": [
            {"party": {"partyref": "...", "parameters": {"power": 2}},
             "profile": "ws://host:8080/profilesserver/websocket/get/DOMAIN/PROFILE"}]}}, ...],
        "deadline": {"DeadlineRounds": {"rounds": 10, "durationms": 10000}},
        "votingevaluator": {"LargestAgreement": {}}}}

(participants are also accepted without the `TeamInfo` wrapper, as some session generators
write them). Each party's `power` parameter is a positive integer (1 when absent). In the
protocol, parties vote on offers with a minimum and maximum group power of their own; a
*consensus group* for a bid is at least two parties whose total power lies within every
member's bounds, and the evaluator picks the group of largest power (GeniusWeb's
`CollectedVotes`). The settings fix neither bound, only that a group has two parties and
that power adds up; so accord reads:

- one party per participant, from its GeniusWeb JSON profile (`geniusweb`), with the weight
  `power`;
- the rule "at least two parties", plus a threshold on `power` when `min_power` is given
  (the bound a session's agents all vote with, when the analyst knows it);
- `LargestAgreementsLoop` (several groups may each settle on their own bid) as the same
  rule for the first agreement, said in the scenario's description.

Profile references are resolved to local files (no network): a relative path or `file:`
URI against the settings file's folder, and a profiles-server URI `.../DOMAIN/PROFILE` as
`DOMAIN/PROFILE.json` under the settings folder, its `domainsrepo/` or `profiles/`
sub-folder, or the same in its parent folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from accord.errors import Problem, ScenarioError
from accord.io.geniusweb import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS, load_geniusweb, read_json
from accord.model import Scenario

SETTINGS = "MOPACSettings"
EVALUATORS = ("LargestAgreement", "LargestAgreementsLoop")


def is_mopac_settings(path: Path) -> bool:
    """Whether a JSON file looks like MOPAC session settings (cheap check on its start)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(256).lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    return head.startswith(b"{") and b'"' + SETTINGS.encode() + b'"' in head


def load_mopac(path: str | Path, *, points: int = DEFAULT_POINTS,
               integer_limit: int = DEFAULT_INTEGER_LIMIT,
               min_power: int | None = None) -> Scenario:
    """The scenario of a MOPAC session: its parties' profiles, powers and rule."""
    path = Path(path)
    data = read_json(path)
    settings = data.get(SETTINGS) if isinstance(data, dict) and len(data) == 1 else None
    if not isinstance(settings, dict):
        raise _error(path, (), f"expected an object with the one key {SETTINGS!r}")
    entries = settings.get("participants")
    if not isinstance(entries, list) or len(entries) < 2:
        raise _error(path, (SETTINGS, "participants"),
                     "expected a list of at least two participants")
    profiles: list[Path] = []
    powers: list[int] = []
    problems: list[Problem] = []
    for k, entry in enumerate(entries):
        where = (SETTINGS, "participants", k)
        try:
            party, where = _party_entry(entry, where)
            powers.append(_power(party, where))
            profiles.append(_profile_file(party.get("profile"), path, where + ("profile",)))
        except _Bad as bad:
            problems.append(Problem(bad.path, bad.message, None, str(path)))
    evaluator = _evaluator(settings.get("votingevaluator"), path, problems)
    if min_power is not None and not 0 < min_power <= sum(powers):
        problems.append(Problem((), f"min_power {min_power} is out of reach: expected 1 to "
                                f"the total power {sum(powers)}", None, str(path)))
    if problems:
        raise ScenarioError(problems)
    base = load_geniusweb(profiles, points=points, integer_limit=integer_limit)
    parties = [party.model_copy(update={"weights": {**party.weights, "power": float(power)}})
               for party, power in zip(base.parties, powers)]
    rule: dict[str, Any] = {"at_least": 2}
    if min_power is not None:
        rule["thresholds"] = [{"weight": "power", "at_least": float(min_power)}]
    note = (f" Read from the MOPAC session {path.name}: {len(parties)} parties with powers "
            f"{', '.join(str(p) for p in powers)}; a deal is a consensus group of at least "
            "two parties" + (f" with power at least {min_power}" if min_power else "") +
            f" (voting evaluator {evaluator}")
    note += (": several groups may each settle, accord analyses one agreement)."
             if evaluator == "LargestAgreementsLoop" else ").")
    dumped = base.model_dump(mode="json", exclude_defaults=True)
    dumped["parties"] = [p.model_dump(mode="json", exclude_defaults=True) for p in parties]
    dumped["rule"] = rule
    dumped["description"] = (base.description or "") + note
    try:
        return Scenario.build(dumped)
    except ScenarioError as error:
        raise ScenarioError([Problem(p.path, p.message, p.line, p.file or str(path))
                             for p in error.problems]) from None


class _Bad(Exception):
    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path, self.message = path, message


def _error(path: Path, where: tuple, message: str) -> ScenarioError:
    return ScenarioError([Problem(where, message, None, str(path))])


def _party_entry(entry: Any, where: tuple) -> tuple[dict[str, Any], tuple]:
    """The one party of a participant (`{"TeamInfo": {"parties": [...]}}` or bare)."""
    if isinstance(entry, dict) and "TeamInfo" in entry:
        team = entry["TeamInfo"]
        members = team.get("parties") if isinstance(team, dict) else None
        if not isinstance(members, list) or len(members) != 1:
            raise _Bad(where + ("TeamInfo", "parties"),
                       "expected a list with one party (MOPAC teams have one member)")
        entry, where = members[0], where + ("TeamInfo", "parties", 0)
    if not isinstance(entry, dict) or "profile" not in entry:
        raise _Bad(where, "expected a party with its 'party' and 'profile'")
    return entry, where


def _power(entry: dict[str, Any], where: tuple) -> int:
    party = entry.get("party")
    parameters = party.get("parameters", {}) if isinstance(party, dict) else {}
    if not isinstance(parameters, dict):
        raise _Bad(where + ("party", "parameters"), "expected an object")
    power = parameters.get("power", 1)
    whole = (isinstance(power, (int, Decimal)) and not isinstance(power, bool)
             and power == int(power) and power >= 1)
    if not whole:
        shown = str(power) if isinstance(power, Decimal) else repr(power)
        raise _Bad(where + ("party", "parameters", "power"),
                   f"expected a positive whole number, got {shown}")
    return int(power)


def _profile_file(reference: Any, settings: Path, where: tuple) -> Path:
    """The local file of a profile reference (see the module docstring)."""
    if not isinstance(reference, str) or not reference.strip():
        raise _Bad(where, "expected the profile's reference (a path or URI)")
    parsed = urlparse(reference)
    if parsed.query:
        raise _Bad(where, f"{reference!r} asks for part of a profile ({parsed.query}); "
                   "accord reads whole profiles: give the profile itself")
    folder = settings.parent
    if parsed.scheme in ("", "file"):
        target = Path(unquote(parsed.path if parsed.scheme else reference))
        candidate = target if target.is_absolute() else folder / target
        if candidate.is_file():
            return candidate
        raise _Bad(where, f"profile file {str(candidate)!r} not found")
    parts = [p for p in unquote(parsed.path).split("/") if p]
    if len(parts) < 2:
        raise _Bad(where, f"{reference!r}: expected a profiles-server URI ending in "
                   "DOMAIN/PROFILE")
    domain, profile = parts[-2], parts[-1]
    name = profile if profile.endswith(".json") else profile + ".json"
    tried = []
    for root in (folder, folder.parent):
        for sub in ("", "domainsrepo", "profiles"):
            candidate = root / sub / domain / name
            tried.append(candidate)
            if candidate.is_file():
                return candidate
    raise _Bad(where, f"{reference!r} is a profiles-server URI and accord reads no network: "
               f"put the profile at {tried[0]} (or under domainsrepo/ or profiles/)")


def _evaluator(spec: Any, path: Path, problems: list[Problem]) -> str:
    where = (SETTINGS, "votingevaluator")
    if spec is None:
        return EVALUATORS[0]
    name = next(iter(spec), None) if isinstance(spec, dict) and len(spec) == 1 else None
    if name not in EVALUATORS:
        problems.append(Problem(where, f"expected one of {', '.join(EVALUATORS)} (as "
                                "{\"LargestAgreement\": {}})", None, str(path)))
        return EVALUATORS[0]
    return str(name)


def mopac_settings_in(folder: Path, files: Sequence[Path]) -> Path | None:
    """The MOPAC settings file among a folder's files (None when there is none; an error
    naming them when there are several: which session is meant?)."""
    found = sorted(p for p in files if p.suffix.lower() == ".json" and is_mopac_settings(p))
    if len(found) > 1:
        raise _error(folder, (), f"{len(found)} MOPAC session settings in this folder "
                     f"({', '.join(p.name for p in found)}): give the one meant as a file")
    return found[0] if found else None
