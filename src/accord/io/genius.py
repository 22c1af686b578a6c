"""GENIUS XML: read a domain and its utility spaces into a Scenario, and write one back.

GENIUS (the negotiation platform of the ANAC competitions) keeps a *domain* file (root
`negotiation_template`: the issues and their values) and one *utility space* file per party
(root `utility_space`: a weight per issue, an evaluation per value, and optionally a
`reservation` value and a `discount_factor`). A party's utility of a bid is

    u(bid) = Σ_i w_i · eval_i(value_i)

where a discrete issue's evaluation is `evaluation / best evaluation of the issue` (0 when the
best is below 1e-5, as GENIUS does), and an integer or real issue's is a linear function
clamped to [0, 1]. accord reads this exactly: salience = weight × best evaluation of the
issue and valuation = evaluation / best evaluation, so that utilities are GENIUS's to the
last bit and each party's best option on an issue is valued 1 (for discrete issues the
best normalised evaluation is always 1, so salience = weight).

Integer issues give one option per integer when they have at most `integer_limit` values,
else `points` evenly spaced integers; real issues always give `points` evenly spaced values.
The evaluator is applied exactly at those points, and the scenario's description says so.

Non-linear utility spaces (the hyper-rectangles of ANAC 2014) read as terms
(`genius_nonlinear`). Evaluator functions other than linear and constant raise ScenarioError
naming the file and the feature. Writing: `genius_write`. See docs/formats.md.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io._names import (
    number_text,
    readable,
    safe_id,
    split_words,
    unique_ids,
)
from accord.io._discretise import integer_points, real_points
from accord.io._xml import XmlDoc, parse_xml, root_tag
from accord.io.genius_nonlinear import A_OPTION_IDS, index_text, is_nonlinear, read_terms
from accord.model import Scenario

DEFAULT_POINTS = 11
"""Options a real issue (or an integer issue with too many values) is discretised into."""

DEFAULT_INTEGER_LIMIT = 1000
"""Integer issues with at most this many values get one option per value."""

DOMAIN_ROOT = "negotiation_template"
PROFILE_ROOT = "utility_space"

GENIUS_EPSILON = 1e-5
"""GENIUS treats a discrete issue whose best evaluation is below this as worth 0 throughout."""

_DOMAIN_WORDS = {"domain", "template"}
_PROFILE_SUFFIXES = {"utility", "utilityspace", "space"}

# Attributes accord adds when it writes GENIUS files, so that reading them back gives the very
# same ids, titles and names. GENIUS ignores attributes it does not know.
A_ID, A_TITLE, A_DESCRIPTION = "accord_id", "accord_title", "accord_description"
A_NAME, A_LABEL = "accord_name", "accord_label"


# --------------------------------------------------------------------------- reading


@dataclass
class _Issue:
    """An issue of the domain file, with the options accord makes of it."""

    element: ET.Element
    index: str | None
    name: str
    kind: str  # discrete | integer | real
    labels: list[str]
    values: list[str] = field(default_factory=list)  # GENIUS values of a discrete issue
    numbers: list[float] | None = None  # the value of each option (integer and real issues)
    low: float | None = None
    note: str | None = None
    id: str = ""
    option_ids: list[str] = field(default_factory=list)
    given_option_ids: list[str | None] = field(default_factory=list)


@dataclass
class _Profile:
    doc: XmlDoc
    party: dict[str, Any]


def load_genius(domain: str | Path, profiles: Sequence[str | Path] | None = None, *,
                points: int = DEFAULT_POINTS,
                integer_limit: int = DEFAULT_INTEGER_LIMIT) -> Scenario:
    """Read a GENIUS domain file and its utility spaces into a Scenario.

    Without `profiles`, the utility spaces are found beside the domain file (see
    `genius_profiles`). ScenarioError names the file and line of every problem.
    """
    if points < 2:
        raise ValueError("points must be at least 2")
    domain = Path(domain)
    doc = parse_xml(domain)
    if doc.root.tag != DOMAIN_ROOT:
        hint = (" (it is a utility space: pass the domain file or the folder)"
                if doc.root.tag == PROFILE_ROOT else "")
        raise ScenarioError([doc.problem(doc.root, f"not a GENIUS domain: the root element is "
                                         f"<{doc.root.tag}>, expected <{DOMAIN_ROOT}>{hint}")])
    profile_paths = ([Path(p) for p in profiles] if profiles is not None
                     else genius_profiles(domain, doc))
    if not profile_paths:
        raise ScenarioError([doc.problem(doc.root, "no utility-space files (<utility_space> "
                                         "XML) found beside this domain; a scenario needs at "
                                         "least one party")])
    issues = _domain_issues(doc, points, integer_limit)
    party_ids = _party_ids(domain, profile_paths)
    problems: list[Problem] = []
    parsed: list[_Profile] = []
    for path, (party_id, name) in zip(profile_paths, party_ids):
        try:
            parsed.append(_read_profile(path, issues, party_id, name))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    parties = [p.party for p in parsed]
    _unique_party_ids(parties)
    data = {
        "id": doc.root.get(A_ID) or _scenario_id(domain),
        "title": doc.root.get(A_TITLE) or _scenario_title(domain),
        "description": doc.root.get(A_DESCRIPTION) or _description(domain, issues, len(parties)),
        "issues": [{"id": issue.id, "title": issue.element.get(A_TITLE) or issue.name,
                    "options": [{"id": oid, "label": label}
                                for oid, label in zip(issue.option_ids, issue.labels)]}
                   for issue in issues],
        "parties": parties,
    }
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([_locate(p, str(domain), [str(q.doc.path) for q in parsed])
                             for p in error.problems]) from None


def load_genius_folder(folder: str | Path, *, points: int = DEFAULT_POINTS,
                       integer_limit: int = DEFAULT_INTEGER_LIMIT) -> Scenario:
    """Read the one GENIUS domain in a folder and the utility spaces beside it."""
    domain, profiles = genius_files(Path(folder))
    return load_genius(domain, profiles, points=points, integer_limit=integer_limit)


def genius_files(folder: Path) -> tuple[Path, list[Path]]:
    """The domain file of a folder (by its root element) and its utility spaces (see
    `genius_profiles`).

    Files that are not XML at all (GENIUS folders sometimes hold a comma-separated
    `pareto.xml`) and XML files of other kinds (tournament logs) are passed over.
    """
    folder = Path(folder)
    xml_files = sorted(p for p in folder.iterdir()
                       if p.is_file() and p.suffix.lower() == ".xml")
    domains = [p for p in xml_files if root_tag(p) == DOMAIN_ROOT]
    if not domains:
        nested = sorted(p.name for p in folder.iterdir() if p.is_dir()
                        and any(root_tag(q) == DOMAIN_ROOT for q in p.glob("*.xml")))
        hint = (f"; its sub-folders {', '.join(nested)} hold GENIUS domains" if nested else
                "; expected a file whose root element is <negotiation_template>")
        raise ScenarioError([Problem((), f"no GENIUS domain XML in this folder{hint}", None,
                                     str(folder))])
    if len(domains) > 1:
        raise ScenarioError([Problem((), "more than one GENIUS domain in this folder ("
                                     f"{', '.join(p.name for p in domains)}); pass the domain "
                                     "file and its profiles explicitly", None, str(folder))])
    return domains[0], genius_profiles(domains[0])


def genius_profiles(domain: Path, doc: XmlDoc | None = None) -> list[Path]:
    """The utility spaces of a domain file: those its `<agent utility_space=…>` entries name
    when every one of them exists beside it, else every utility-space XML in its folder."""
    doc = doc or parse_xml(domain)
    folder = domain.parent
    named = [agent.get("utility_space", "").strip() for agent in doc.root.iter("agent")]
    named = [name for name in named if name]
    found = [folder / name if (folder / name).is_file() else folder / Path(name).name
             for name in named]
    if named and all(path.is_file() for path in found):
        return list(dict.fromkeys(found))
    return [p for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() == ".xml" and p != domain
            and root_tag(p) == PROFILE_ROOT]


def _domain_issues(doc: XmlDoc, points: int, integer_limit: int) -> list[_Issue]:
    space = doc.root.find(PROFILE_ROOT)
    if space is None:
        raise ScenarioError([doc.problem(doc.root, "the domain has no <utility_space> element "
                                         "holding its issues")])
    problems: list[Problem] = []
    issues: list[_Issue] = []
    for element in space.iter("issue"):
        try:
            issues.append(_domain_issue(doc, element, points, integer_limit))
        except _Bad as bad:
            problems.append(doc.problem(bad.element if bad.element is not None else element,
                                        bad.message))
    if not issues and not problems:
        problems.append(doc.problem(space, "the domain has no issues"))
    indices = [issue.index for issue in issues if issue.index is not None]
    for issue in issues:
        if issue.index is not None and indices.count(issue.index) > 1:
            problems.append(doc.problem(issue.element, f"issue {issue.name!r}: index "
                                        f"{issue.index} is used by more than one issue"))
    if problems:
        raise ScenarioError(problems)
    ids = unique_ids([issue.name for issue in issues], "issue-",
                     [issue.element.get(A_ID) for issue in issues])
    for issue, issue_id in zip(issues, ids):
        issue.id = issue_id
        issue.option_ids = unique_ids(issue.values or issue.labels, "v",
                                      issue.given_option_ids or None)
    return issues


class _Bad(Exception):
    def __init__(self, message: str, element: ET.Element | None = None):
        super().__init__(message)
        self.message = message
        self.element = element


def _kind(element: ET.Element) -> str | None:
    kind = element.get("type") or element.get("etype") or element.get("vtype")
    if kind is None and element.find("item") is not None:
        kind = "discrete"
    return kind.strip().lower() if kind else None


def _domain_issue(doc: XmlDoc, element: ET.Element, points: int,
                  integer_limit: int) -> _Issue:
    name = (element.get("name") or "").strip()
    if not name:
        raise _Bad("an issue has no name (attribute 'name')")
    kind = _kind(element)
    index = index_text(element.get("index"))
    if not index:
        raise _Bad(f"issue {name!r} has no 'index' (GENIUS matches profiles to the domain by "
                   "index)")
    if kind == "discrete":
        items = element.findall("item")
        if not items:
            raise _Bad(f"discrete issue {name!r} has no values (<item value=…>)")
        labels: list[str] = []
        for item in items:
            value = item.get("value")
            if value is None or not value.strip():
                raise _Bad(f"issue {name!r}: an item has no 'value'", item)
            if value in labels:
                raise _Bad(f"issue {name!r}: value {value!r} is listed twice", item)
            labels.append(value)
        return _Issue(element, index, name, "discrete",
                      [item.get(A_LABEL) or value.strip() for item, value in zip(items, labels)],
                      values=[value.strip() for value in labels],
                      given_option_ids=[item.get(A_ID) for item in items])
    if kind in ("integer", "real"):
        low, high = _bounds(element, name, kind == "integer")
        if kind == "integer":
            whole, count = integer_points(low, high, points, integer_limit)
            numbers = [float(v) for v in whole]
            note = None
            if count > integer_limit:
                note = (f"integer issue {name!r} ({number_text(low)}..{number_text(high)}, "
                        f"{count:,} values, more than {integer_limit:,}) is discretised into "
                        f"{len(numbers)} evenly spaced integers; its evaluator is applied "
                        "exactly at those points")
        else:
            numbers = real_points(low, high, points)
            note = (f"real issue {name!r} ({number_text(low)}..{number_text(high)}) is "
                    f"discretised into {len(numbers)} evenly spaced values; its linear "
                    "evaluator is applied exactly at those points")
        given = (element.get(A_OPTION_IDS) or "").split()
        return _Issue(element, index, name, kind, [number_text(v) for v in numbers],
                      numbers=numbers, low=low, note=note,
                      given_option_ids=given if len(given) == len(numbers) else [])
    raise _Bad(f"issue {name!r} has unsupported type {kind!r}; expected discrete, integer or "
               "real" if kind else f"issue {name!r} has no type (attribute 'type')")


def _bounds(element: ET.Element, name: str, integer: bool) -> tuple[float, float]:
    """lowerbound and upperbound, from the issue's attributes or its <range> child."""
    source = element
    if element.get("lowerbound") is None or element.get("upperbound") is None:
        found = element.find("range")
        if found is not None:
            source = found
    texts = source.get("lowerbound"), source.get("upperbound")
    if texts[0] is None or texts[1] is None:
        raise _Bad(f"{'integer' if integer else 'real'} issue {name!r} needs 'lowerbound' and "
                   "'upperbound' (attributes or a <range> element)")
    try:
        low, high = (float(text) for text in texts)  # type: ignore[arg-type]
    except ValueError:
        raise _Bad(f"issue {name!r}: bounds {texts[0]!r}..{texts[1]!r} are not numbers",
                   source) from None
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise _Bad(f"issue {name!r}: bounds {texts[0]}..{texts[1]} are not a range", source)
    if integer and (low != int(low) or high != int(high)):
        raise _Bad(f"integer issue {name!r}: bounds {texts[0]}..{texts[1]} are not whole "
                   "numbers", source)
    if abs(low) > 1e15 or abs(high) > 1e15:
        raise _Bad(f"issue {name!r}: bounds beyond ±1e15 are not supported", source)
    return low, high


def _read_nonlinear_profile(doc: XmlDoc, issues: list[_Issue], party_id: str,
                            name: str) -> _Profile:
    """A party from a non-linear utility space: its hyper-rectangles as terms."""
    problems: list[Problem] = []
    additive = next((e for e in doc.root.iter() if e.tag in ("weight", "evaluator")
                     or (e.tag == "item" and e.get("evaluation") is not None)), None)
    if additive is not None:
        problems.append(doc.problem(additive, f"<{additive.tag}> in a non-linear utility space: "
                                    "GENIUS reads a space as additive or as hyper-rectangles, "
                                    "never both"))
    try:
        terms = read_terms(doc, issues)
    except ScenarioError as error:
        problems += error.problems
        terms = []
    reservation = _scalar(doc, "reservation", 0.0, problems)
    discount = _scalar(doc, "discount_factor", 1.0, problems)
    if not (0 < discount <= 1):
        discount = 1.0
    if problems:
        raise ScenarioError(problems)
    return _Profile(doc, {
        "id": doc.root.get(A_ID) or party_id, "name": doc.root.get(A_NAME) or name,
        "capability": 1.0, "reservation": reservation, "discount_factor": discount,
        "preferences": {}, "terms": terms})


def _read_profile(path: Path, issues: list[_Issue], party_id: str, name: str) -> _Profile:
    doc = parse_xml(path)
    if doc.root.tag != PROFILE_ROOT:
        raise ScenarioError([doc.problem(doc.root, f"not a GENIUS utility space: the root "
                                         f"element is <{doc.root.tag}>, expected "
                                         f"<{PROFILE_ROOT}>")])
    if is_nonlinear(doc) or (doc.root.get("type") or "").strip().lower() == "constraint":
        return _read_nonlinear_profile(doc, issues, party_id, name)
    problems: list[Problem] = []
    by_index = {issue.index: issue for issue in issues if issue.index is not None}
    preferences: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for parent in doc.root.iter():
        elements = [child for child in parent if child.tag == "issue"]
        if not elements:
            continue
        weights = _weights(doc, parent, problems)
        for element in elements:
            label = element.get("name") or "?"
            if not (element.get("index") or "").strip():
                problems.append(doc.problem(element, f"issue {label!r} has no 'index'; GENIUS "
                                            "matches issues and weights by index"))
                continue
            issue = _match(element, by_index)
            if issue is None:
                problems.append(doc.problem(element, f"issue {label!r} (index "
                                            f"{element.get('index')}) is not in the domain"))
                continue
            if issue.id in seen:
                problems.append(doc.problem(element, f"issue {issue.name!r} is given twice"))
                continue
            seen.add(issue.id)
            weight = weights.get(index_text(element.get("index")))
            if weight is None or weight == 0:
                continue  # GENIUS: an issue without a weight has no evaluator; weight 0: no say
            try:
                values = _evaluations(element, issue)
            except _Bad as bad:
                problems.append(doc.problem(bad.element if bad.element is not None
                                            else element, bad.message))
                continue
            best = max(values)
            if best > 0:
                salience, valuations = weight * best, [v / best for v in values]
            else:
                salience, valuations = weight, [0.0] * len(values)
            preferences[issue.id] = {"salience": salience,
                                     "valuations": dict(zip(issue.option_ids, valuations))}
    reservation = _scalar(doc, "reservation", 0.0, problems)
    discount = _scalar(doc, "discount_factor", 1.0, problems)
    if not (0 < discount <= 1):
        discount = 1.0  # GENIUS discards a discount factor outside (0, 1] and uses 1
    if problems:
        raise ScenarioError(problems)
    party = {
        "id": doc.root.get(A_ID) or party_id,
        "name": doc.root.get(A_NAME) or name,
        "capability": 1.0,
        "reservation": reservation,
        "discount_factor": discount,
        "preferences": {issue.id: preferences[issue.id] for issue in issues
                        if issue.id in preferences},
    }
    return _Profile(doc, party)


def _weights(doc: XmlDoc, parent: ET.Element, problems: list[Problem]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for element in parent:
        if element.tag != "weight":
            continue
        index, text = index_text(element.get("index")), element.get("value")
        try:
            value = float(text)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            problems.append(doc.problem(element, f"weight of issue index {index}: {text!r} is "
                                        "not a number"))
            continue
        if not math.isfinite(value) or value < 0:
            problems.append(doc.problem(element, f"weight of issue index {index}: {text} is "
                                        "not a finite number ≥ 0"))
            continue
        weights[index] = value
    return weights


def _match(element: ET.Element, by_index: dict[str | None, _Issue]) -> _Issue | None:
    """The domain issue a profile's issue refers to: by index, as GENIUS does. The names are
    not compared: some published profiles name their issues differently from the domain."""
    return by_index.get(index_text(element.get("index")))


def _number(element: ET.Element, attribute: str, what: str) -> float:
    text = element.get(attribute)
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad(f"{what}: {attribute}={text!r} is not a number", element) from None
    if not math.isfinite(value):
        raise _Bad(f"{what}: {attribute}={text} is not finite", element)
    return value


def _evaluations(element: ET.Element, issue: _Issue) -> list[float]:
    """GENIUS's evaluation (in [0, 1]) of each of the issue's options for one profile."""
    what = f"issue {issue.name!r}"
    items = [item for item in element.findall("item") if item.get("evaluation") is not None]
    if items:
        table: dict[str, float] = {}
        for item in items:
            value = _number(item, "evaluation", f"{what}, value {item.get('value')!r}")
            if value < 0:
                raise _Bad(f"{what}, value {item.get('value')!r}: negative evaluation {value} "
                           "is not supported (GENIUS evaluations are ≥ 0)", item)
            table[(item.get("value") or "").strip()] = value
        best = max(table.values())
        if issue.numbers is not None:
            numeric = {}
            for key, value in table.items():
                try:
                    numeric[float(key)] = value
                except ValueError:
                    pass
            raw = [numeric.get(x) for x in issue.numbers]
        else:
            raw = [table.get(value) for value in issue.values]
        missing = [label for label, value in zip(issue.labels, raw) if value is None]
        if missing:
            raise _Bad(f"{what}: no evaluation for value(s) {', '.join(map(repr, missing[:5]))}"
                       f"{' …' if len(missing) > 5 else ''}; every value needs one")
        return [0.0 if best < GENIUS_EPSILON else value / best for value in raw]  # type: ignore[operator]
    if issue.kind == "discrete":
        raise _Bad(f"{what}: no evaluations (<item value=… evaluation=…>)")
    evaluator = element.find("evaluator")
    if evaluator is None:
        return [0.0] * len(issue.labels)  # GENIUS: slope and offset default to 0
    ftype = (evaluator.get("ftype") or "linear").strip().lower()
    assert issue.numbers is not None and issue.low is not None
    if ftype == "constant":
        constant = _number(evaluator, "parameter0", what)
        return [_clamp(constant)] * len(issue.numbers)
    if ftype != "linear":
        raise _Bad(f"{what}: evaluator function {ftype!r} is not supported (only linear and "
                   "constant evaluators are)", evaluator)
    if evaluator.get("slope") is not None or evaluator.get("offset") is not None:
        # GENIUS: offset + slope * (x - lowerbound), the bound read from the profile's issue
        slope = _number(evaluator, "slope", what) if evaluator.get("slope") else 0.0
        offset = _number(evaluator, "offset", what) if evaluator.get("offset") else 0.0
        low = issue.low
        low_text = element.get("lowerbound")
        if low_text is None and element.find("range") is not None:
            low_text = element.find("range").get("lowerbound")  # type: ignore[union-attr]
        if low_text is not None:
            try:
                low = float(low_text)
            except ValueError:
                raise _Bad(f"{what}: lowerbound {low_text!r} is not a number", element) from None
        return [_clamp(offset + slope * (x - low)) for x in issue.numbers]
    # parameter form (real issues, older files): parameter0 + parameter1 * x
    constant = _number(evaluator, "parameter0", what) if evaluator.get("parameter0") else 0.0
    slope = _number(evaluator, "parameter1", what) if evaluator.get("parameter1") else 0.0
    return [_clamp(constant + slope * x) for x in issue.numbers]


def _clamp(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else value


def _scalar(doc: XmlDoc, tag: str, default: float, problems: list[Problem]) -> float:
    element = next(doc.root.iter(tag), None)
    if element is None or element.get("value") is None:
        return default
    text = element.get("value")
    try:
        value = float(text)  # type: ignore[arg-type]
    except ValueError:
        problems.append(doc.problem(element, f"{tag}: {text!r} is not a number"))
        return default
    if not math.isfinite(value) or abs(value) > 1e9:
        problems.append(doc.problem(element, f"{tag}: {text} is not a finite number"))
        return default
    return value


# --------------------------------------------------------------------------- names


def _words_with_spans(stem: str) -> list[tuple[str, int, int]]:
    result = []
    position = 0
    for word in split_words(stem):
        start = stem.index(word, position)
        position = start + len(word)
        result.append((word, start, position))
    return result


def _party_part(stem: str, domain_stem: str) -> str:
    """What a profile's file name adds to the domain's: `ItexvsCypress_Cypress` → `Cypress`."""
    words = _words_with_spans(stem)
    domain_words = [w.lower() for w in split_words(domain_stem)]
    common = 0
    while (common < len(words) - 1 and common < len(domain_words)
           and words[common][0].lower() == domain_words[common]):
        common += 1
    end = len(words)
    if end - common > 1 and words[end - 1][0].lower() in _PROFILE_SUFFIXES:
        end -= 1
    if common >= end:
        return stem
    return stem[words[common][1]:words[end - 1][2]]


def _party_ids(domain: Path, profiles: Sequence[Path]) -> list[tuple[str, str]]:
    parts = [_party_part(p.stem, domain.stem) for p in profiles]
    ids = unique_ids([part.lower() for part in parts], "party-")
    return [(party_id, readable(part)) for party_id, part in zip(ids, parts)]


def _unique_party_ids(parties: list[dict[str, Any]]) -> None:
    ids = unique_ids([p["id"] for p in parties], "party-")
    for party, party_id in zip(parties, ids):
        party["id"] = party_id


def _domain_name(domain: Path) -> str:
    words = [w for w in split_words(domain.stem) if w.lower() not in _DOMAIN_WORDS]
    return " ".join(words) if words else domain.parent.name or "genius"


def _scenario_id(domain: Path) -> str:
    return safe_id(_domain_name(domain).lower(), "genius")


def _scenario_title(domain: Path) -> str:
    return readable(_domain_name(domain))


def _description(domain: Path, issues: list[_Issue], n_parties: int) -> str:
    notes = [issue.note for issue in issues if issue.note]
    text = (f"Imported from the GENIUS domain {domain.name} and {n_parties} utility "
            f"space(s). Utility = Σ weight × evaluation, a discrete issue's evaluation divided "
            "by its best (GENIUS's linear additive utility); salience = weight × the best "
            "evaluation of the issue, valuation = evaluation / best, so utilities are exactly "
            "GENIUS's. Reservation values and discount factors as given; capability 1 each.")
    if notes:
        text += " Discretised: " + "; ".join(notes) + "."
    return text


def _locate(problem: Problem, domain: str, profiles: list[str]) -> Problem:
    file = domain
    if len(problem.path) > 1 and problem.path[0] == "parties" and isinstance(problem.path[1], int):
        if problem.path[1] < len(profiles):
            file = profiles[problem.path[1]]
    return Problem(problem.path, problem.message, problem.line, problem.file or file)


def split_genius_files(paths: Iterable[Path]) -> tuple[Path, list[Path]]:
    """Domain and profiles among explicitly given GENIUS files (by root element)."""
    paths = [Path(p) for p in paths]
    domains, profiles, other = [], [], []
    for path in paths:
        if not path.is_file():
            raise ScenarioError([Problem((), "file not found" if not path.exists()
                                         else "is a folder; expected a GENIUS XML file", None,
                                         str(path))])
        tag = root_tag(path)
        (domains if tag == DOMAIN_ROOT else profiles if tag == PROFILE_ROOT else other).append(path)
    if other:
        # parse to report the real cause (not XML, or an unexpected root element)
        doc = parse_xml(other[0])
        raise ScenarioError([doc.problem(doc.root, f"not a GENIUS file: the root element is "
                                         f"<{doc.root.tag}>, expected <{DOMAIN_ROOT}> or "
                                         f"<{PROFILE_ROOT}>")])
    if len(domains) != 1:
        found = ", ".join(p.name for p in domains) or "none"
        raise ScenarioError([Problem((), f"expected exactly one GENIUS domain file among the "
                                     f"files given (found: {found})", None,
                                     str(domains[0] if domains else paths[0]))])
    return domains[0], profiles
