"""Which issues and options of a scenario a sentence bears on, and which party a speaker is.

One way to match text to plan points: the comparison layer's features (`accord.compare`:
the English/Italian concept lexicon, the gazetteer of names, figures) are extracted from
the sentence and from each issue's *profile* — its title, its options' labels and the
plan points its `plan_refs` cite (the scenario's drafts hold those points). A feature
counts for an issue by how specific it is to that issue among all issues (an inverse
document frequency over the issues, so `Ukraine` or `war`, found everywhere, say little)
and by where the issue holds it (title and labels count fully, cited plan points half).
An issue is matched when its score passes a floor and is near the best issue's score.

Options are then told apart inside each matched issue the same way (labels and the points
of the plans that propose the option), figures first: "600,000 troops" is `cap-600k`. A
sentence that reports a text dropped, or a party rejecting something, names no option it
supports (docs/evidence.md).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import yaml

from accord.compare._lexicon import DELETIONS
from accord.compare.entities import gazetteer_mentions, name_ids, other_names
from accord.compare.figures import extract_figures
from accord.compare.similarity import concepts, content_words
from accord.compare.text import fold
from accord.model import Scenario
from accord.model.issue import Issue, Option

LABEL_WEIGHT = 1.0
"""Weight of a feature found in an issue's title or an option's label."""
POINT_WEIGHT = 0.5
"""Weight of a feature found only in a plan point the issue cites."""
ISSUE_FLOOR = 1.2
"""Lowest score that matches an issue (one specific concept or name scores about 2). 1.8
removed some false matches but lost more right ones on unseen articles (docs/evidence.md)."""
ISSUE_RATIO = 0.75
"""An issue is kept when its score is at least this share of the best issue's."""
OPTION_FLOOR = 1.0
"""Lowest score that names an option."""
OPTION_RATIO = 0.9
"""Options within this share of the issue's best option are named too."""
OPTION_ISSUE_RATIO = 0.9
"""Options are looked for only on issues scoring at least this share of the best issue."""
FIGURE_BONUS = 3.0
"""A figure shared with an option's label or points is close to decisive."""

REJECTIONS = (r"\breject", r"\brefus", r"\boppos", r"\bruled? out\b", r"\brespin[gt]",
              r"\brifiut", r"\bescl[ud]", r"\bcontrari[oaie]\b")
"""Verbs by which a party turns against what it names (English, Italian)."""
_AGAINST = re.compile("|".join(f"(?:{p})" for p in (*DELETIONS, *REJECTIONS)))
"""A text reported dropped (the comparison's `DELETIONS`) or rejected: the sentence then
supports no option it names."""


_ACTOR_KINDS = frozenset({"state", "person"})
_ACTOR_PLACES = frozenset({"moscow"})


@dataclass(frozen=True)
class _Profile:
    """Feature -> weight (1 in a label, ½ in a cited point) for one issue or option."""

    weights: dict[str, float]


FRAMING = frozenset({"treaty", "dialogue", "war", "working-group", "cooperation"})
"""Concepts every story about peace talks uses ("talks", "a draft agreement", "the war"):
they count a quarter, so that they never match an issue alone."""
FRAMING_WEIGHT = 0.25


def features(text: str, language: str) -> frozenset[str]:
    """The comparison layer's features of a text, as tags: concepts, gazetteer names other
    than actors (states, people, a capital standing for its government: they say who
    speaks, not about what), other capitalised names, and figures."""
    found = {f"c:{c}" for c in concepts(text)}
    found |= {f"n:{m.id}" for m in gazetteer_mentions(text)
              if m.kind not in _ACTOR_KINDS and m.id not in _ACTOR_PLACES}
    found |= {f"n:{m.id}" for m in other_names(text)}
    found |= {f"f:{f.unit}:{f.value:g}" for f in extract_figures(text, language)}
    return frozenset(found)


def option_features(text: str, language: str) -> frozenset[str]:
    """`features` plus word stems (first six letters of content words), which tell an
    issue's options apart in the language of their labels ("de facto", "snap-back")."""
    stems = {f"w:{w[:6]}" for w in content_words(text).split() if len(w) > 3}
    return features(text, language) | stems


def _profile(parts: list[tuple[str, str, float]],
             extract: Callable[[str, str], frozenset[str]] = features) -> _Profile:
    """Each part is (text, language, weight); a feature keeps its best weight."""
    weights: dict[str, float] = {}
    for text, language, weight in parts:
        for feature in extract(text, language):
            scaled = weight * (FRAMING_WEIGHT if feature[2:] in FRAMING else 1.0)
            weights[feature] = max(weights.get(feature, 0.0), scaled)
    return _Profile(weights)


def _cited_points(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """`draft#n` -> (point text, language) for every point of the scenario's drafts."""
    return {f"{draft.id}#{point.n}": (point.text, draft.language)
            for draft in scenario.drafts for point in draft.points}


def _issue_profile(issue: Issue, points: dict[str, tuple[str, str]]) -> _Profile:
    parts = [(issue.title, issue.language, LABEL_WEIGHT)]
    parts += [(option.label, issue.language, LABEL_WEIGHT) for option in issue.options]
    parts += [(*points[ref], POINT_WEIGHT) for ref in issue.plan_refs if ref in points]
    return _profile(parts)


def _option_profile(issue: Issue, option: Option,
                    points: dict[str, tuple[str, str]]) -> _Profile:
    parts = [(option.label, issue.language, LABEL_WEIGHT)]
    parts += [(*points[ref], POINT_WEIGHT) for ref in issue.plan_refs
              if ref in points and ref.partition("#")[0] in option.proposed_by]
    return _profile(parts, option_features)


def _idf(profiles: list[_Profile]) -> dict[str, float]:
    """Smoothed inverse frequency of each feature over the profiles (weights summed)."""
    counts: dict[str, float] = {}
    for profile in profiles:
        for feature, weight in profile.weights.items():
            counts[feature] = counts.get(feature, 0.0) + weight
    return {f: math.log((1 + len(profiles)) / (1 + count)) for f, count in counts.items()}


@dataclass(frozen=True)
class _Index:
    issues: tuple[Issue, ...]
    profiles: tuple[_Profile, ...]
    idf: dict[str, float]
    options: tuple[tuple[tuple[_Profile, ...], dict[str, float]], ...]
    """Per issue: its options' profiles and their IDF within the issue."""


_CACHE: dict[int, tuple[Scenario, _Index]] = {}


def _index(scenario: Scenario) -> _Index:
    """Profiles of a scenario's issues and options (cached per scenario object: scenarios
    are immutable; the cache holds the scenario so its id cannot be reused)."""
    cached = _CACHE.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    if len(_CACHE) >= 8:
        _CACHE.clear()
    index = _build_index(scenario)
    _CACHE[id(scenario)] = (scenario, index)
    return index


def _build_index(scenario: Scenario) -> _Index:
    points = _cited_points(scenario)
    profiles = tuple(_issue_profile(issue, points) for issue in scenario.issues)
    options = []
    for issue in scenario.issues:
        option_profiles = tuple(_option_profile(issue, o, points) for o in issue.options)
        options.append((option_profiles, _idf(list(option_profiles))))
    return _Index(tuple(scenario.issues), profiles, _idf(list(profiles)), tuple(options))


def _score(found: frozenset[str], profile: _Profile, idf: dict[str, float],
           figure_bonus: float = 0.0) -> float:
    score = 0.0
    for feature in found & profile.weights.keys():
        bonus = figure_bonus if feature.startswith("f:") else 0.0
        score += profile.weights[feature] * (max(idf[feature], 0.0) + bonus)
    return score


def _kept(scores: list[float], floor: float, ratio: float) -> list[int]:
    best = max(scores, default=0.0)
    if best < floor:
        return []
    return [k for k, s in enumerate(scores) if s >= floor and s >= ratio * best]


def issue_scores(text: str, language: str, scenario: Scenario) -> dict[str, float]:
    """Every issue's score for a sentence (for inspection and tuning)."""
    index = _index(scenario)
    found = features(text, language)
    return {issue.id: _score(found, profile, index.idf, FIGURE_BONUS)
            for issue, profile in zip(index.issues, index.profiles)}


@dataclass(frozen=True)
class PointMatch:
    """What a sentence bears on: issue ids, best first, and per issue the option ids it
    names (option ids repeat across issues, e.g. `de-jure-russian`, so they are kept by
    issue)."""

    issues: tuple[str, ...]
    options: dict[str, tuple[str, ...]]

    def option_ids(self) -> list[str]:
        """Every option named, each once, in the order of the issues."""
        seen: list[str] = []
        for issue in self.issues:
            seen += [o for o in self.options.get(issue, ()) if o not in seen]
        return seen


def match_text(text: str, language: str, scenario: Scenario) -> PointMatch:
    """The issues a sentence bears on and the options it names, per issue.

    Options are given only for a sentence that names an option's content and does not
    turn against it (a rejection or a dropped text supports no option).
    """
    index = _index(scenario)
    found = features(text, language)
    scores = [_score(found, profile, index.idf, FIGURE_BONUS) for profile in index.profiles]
    kept = sorted(_kept(scores, ISSUE_FLOOR, ISSUE_RATIO), key=lambda k: -scores[k])
    issues = tuple(index.issues[k].id for k in kept)
    if _AGAINST.search(fold(text).lower()):
        return PointMatch(issues, {})
    options: dict[str, tuple[str, ...]] = {}
    found = option_features(text, language)
    for k in kept:
        if scores[k] < OPTION_ISSUE_RATIO * scores[kept[0]]:
            continue
        profiles, idf = index.options[k]
        option_scores = [_score(found, p, idf, FIGURE_BONUS) for p in profiles]
        chosen = _kept(option_scores, OPTION_FLOOR, OPTION_RATIO)
        if 0 < len(chosen) < len(profiles):
            ranked = sorted(chosen, key=lambda o: -option_scores[o])
            options[index.issues[k].id] = tuple(index.issues[k].options[o].id for o in ranked)
    return PointMatch(issues, options)


def match_points(text: str, language: str, scenario: Scenario) -> tuple[list[str], list[str]]:
    """The issue ids and option ids a sentence bears on, best first (`match_text`,
    flattened)."""
    found = match_text(text, language, scenario)
    return list(found.issues), found.option_ids()


def party_of(actor: str | None, speaker: str, scenario: Scenario) -> str | None:
    """The scenario party an actor id or a speaker's name belongs to, or None.

    The actor (a gazetteer id such as `russia`) matches a party with that id or whose name
    names it; otherwise a party whose id or name appears in the speaker's words.
    """
    if actor:
        for party in scenario.parties:
            if party.id == actor or actor in name_ids(party.name):
                return party.id
    said = set(name_ids(speaker)) | {w.lower() for w in re.findall(r"\w+", fold(speaker))}
    for party in scenario.parties:
        names = {party.id} | {fold(party.name).lower()} | set(name_ids(party.name))
        if names & said or fold(party.name).lower() in fold(speaker).lower():
            return party.id
    return None


@functools.cache
def _back_references() -> dict[str, re.Pattern[str]]:
    text = resources.files("accord.evidence").joinpath(
        "lexicon", "back_references.yaml").read_text("utf-8")
    return {language: re.compile("|".join(f"(?:{p})" for p in patterns))
            for language, patterns in yaml.safe_load(text).items()}


def refers_back(text: str, language: str) -> bool:
    """Whether a sentence refers back to what its article was talking about ("the plan",
    "la proposta"; `lexicon/back_references.yaml`)."""
    pattern = _back_references().get(language)
    return bool(pattern and pattern.search(fold(text).lower()))


def match_in_context(text: str, language: str, scenario: Scenario,
                     previous: PointMatch | None) -> PointMatch:
    """`match_text`, and for a sentence that names no point but refers back ("the
    proposal", "il piano"), the points of the claim before it in the same article (its
    options are not carried: the sentence does not name them)."""
    found = match_text(text, language, scenario)
    if not found.issues and previous is not None and previous.issues and \
            refers_back(text, language):
        return PointMatch(previous.issues, {})
    return found
