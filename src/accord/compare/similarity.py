"""How alike two plans' points are: one score in [0, 1] per pair, from several channels.

Channels (each in [0, 1]; a channel with nothing to say about a pair is left out of its
weighted mean rather than counted as a mismatch):

- `text`: the encoder's cosine (default char-TF-IDF) — within one language unless the
  encoder is multilingual;
- `words`: rapidfuzz's token-set ratio of the content words (one language), which
  rewards a short paraphrase contained in a longer text;
- `concepts`: IDF-weighted cosine of the language-neutral concepts (`_lexicon.CONCEPTS`),
  the bridge between English and Italian;
- `names`: IDF-weighted Jaccard overlap of named states, organisations, places and
  people;
- `figures`: share of figures in common (a changed value counts half);
- `topic`: 1 for the same topic, ½ when one's topic is among the other's secondary ones
  (two points both filed under `other` say nothing);
- `position`: closeness of the two points' relative places in their plans.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from accord.compare._lexicon import CONCEPTS
from accord.compare.encoders import TextEncoder
from accord.compare.entities import name_ids
from accord.compare.figures import Figure, extract_figures, figure_similarity
from accord.compare.text import fold, words
from accord.model.plan import Plan

WEIGHTS = {"text": 0.30, "words": 0.10, "concepts": 0.20, "names": 0.15, "figures": 0.10,
           "topic": 0.15, "position": 0.05}
"""Weight of each channel in a pair's score."""

_CONCEPT_PATTERNS = {name: re.compile("|".join(rf"\b(?:{stem})" for stem in stems))
                     for name, stems in CONCEPTS.items()}
_STOPWORDS = frozenset(
    "a an and the of to in on for by with from at as is are be its it this that their "
    "which who or any all also into under after its s il lo la i gli le un una uno di da "
    "del della dei delle e ed o in con su per tra fra al alla ai agli che non si".split())


@dataclass(frozen=True)
class PointFeatures:
    """What the channels compare of one point."""

    text: str
    language: str
    topics: tuple[str, ...]
    """Primary topic first, then secondary topics (empty when the plan gives none)."""
    concepts: frozenset[str]
    names: frozenset[str]
    figures: tuple[Figure, ...]
    rank: float
    """Relative place in the plan, 0 (first) to 1 (last)."""


def point_features(plan: Plan) -> list[PointFeatures]:
    """The features of every point of a plan, in order."""
    last = max(len(plan.points) - 1, 1)
    return [PointFeatures(
        text=point.text, language=plan.language,
        topics=((point.topic,) if point.topic else ()) + tuple(point.secondary_topics),
        concepts=concepts(point.text), names=name_ids(point.text),
        figures=extract_figures(point.text, plan.language), rank=k / last)
        for k, point in enumerate(plan.points)]


def concepts(text: str) -> frozenset[str]:
    """The language-neutral concepts a text mentions."""
    lower = fold(text).lower()
    return frozenset(name for name, pattern in _CONCEPT_PATTERNS.items() if pattern.search(lower))


def content_words(text: str) -> str:
    """The text's words without function words, for the token-set ratio."""
    return " ".join(w for w in words(text) if w not in _STOPWORDS)


def score_matrix(a: Sequence[PointFeatures], b: Sequence[PointFeatures],
                 encoder: TextEncoder) -> np.ndarray:
    """Weighted mean of the channels for every pair: shape (len(a), len(b))."""
    total = np.zeros((len(a), len(b)))
    weight = np.zeros((len(a), len(b)))
    for name, (values, present) in channels(a, b, encoder).items():
        total += WEIGHTS[name] * np.where(present, values, 0.0)
        weight += WEIGHTS[name] * present
    return np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)


def channels(a: Sequence[PointFeatures], b: Sequence[PointFeatures],
             encoder: TextEncoder) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each channel's values and where it applies (boolean mask), shape (len(a), len(b))."""
    same = np.array([[x.language == y.language for y in b] for x in a], dtype=bool)
    result = {"text": (_encoder_cosines(a, b, encoder),
                       same | encoder.multilingual),
              "words": (_token_set_ratios(a, b), same),
              "concepts": _concept_cosines(a, b),
              "names": _weighted_jaccard(a, b)}
    for name, pairwise in (("figures", _figures), ("topic", _topic),
                           ("position", _position)):
        result[name] = _pairwise(a, b, pairwise)
    return result


def _pairwise(a: Sequence[PointFeatures], b: Sequence[PointFeatures],
              function) -> tuple[np.ndarray, np.ndarray]:
    values = [[function(x, y) for y in b] for x in a]
    present = np.array([[v is not None for v in row] for row in values], dtype=bool)
    numbers = np.array([[0.0 if v is None else v for v in row] for row in values], dtype=float)
    return numbers.reshape(len(a), len(b)), present.reshape(len(a), len(b))


def _encoder_cosines(a: Sequence[PointFeatures], b: Sequence[PointFeatures],
                     encoder: TextEncoder) -> np.ndarray:
    vectors = encoder.encode([x.text for x in a] + [y.text for y in b])
    return np.clip(vectors[:len(a)] @ vectors[len(a):].T, 0.0, 1.0)


def _token_set_ratios(a: Sequence[PointFeatures], b: Sequence[PointFeatures]) -> np.ndarray:
    ratios = process.cdist([content_words(x.text) for x in a],
                           [content_words(y.text) for y in b], scorer=fuzz.token_set_ratio)
    return np.asarray(ratios, dtype=float) / 100.0


def _idf_indicators(sets: list[frozenset[str]]) -> np.ndarray:
    """Rows of IDF weights of the items each set holds (smoothed IDF over `sets`)."""
    items = sorted(set().union(*sets))
    idf = [math.log((1 + len(sets)) / (1 + sum(item in s for s in sets))) + 1.0
           for item in items]
    return np.array([[w if item in s else 0.0 for item, w in zip(items, idf)] for s in sets]
                    ).reshape(len(sets), len(items))


def _concept_cosines(a: Sequence[PointFeatures],
                     b: Sequence[PointFeatures]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of IDF-weighted concept indicators (IDF over the points of both plans)."""
    matrix = _idf_indicators([p.concepts for p in [*a, *b]])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    present = (norms[:len(a)] > 0) & (norms[len(a):].T > 0)
    return unit[:len(a)] @ unit[len(a):].T, present


def _weighted_jaccard(a: Sequence[PointFeatures],
                      b: Sequence[PointFeatures]) -> tuple[np.ndarray, np.ndarray]:
    """IDF-weighted Jaccard overlap of names: sharing `Ukraine` in a Ukraine plan says
    less than sharing `Zaporizhzhia` (Ioffe 2010, weighted Jaccard)."""
    matrix = _idf_indicators([p.names for p in [*a, *b]])
    x, y = matrix[:len(a), None, :], matrix[None, len(a):, :]
    union = np.maximum(x, y).sum(axis=2)
    common = np.minimum(x, y).sum(axis=2)
    return np.divide(common, union, out=np.zeros_like(union), where=union > 0), union > 0


def _figures(x: PointFeatures, y: PointFeatures) -> float | None:
    return figure_similarity(x.figures, y.figures)


def _topic(x: PointFeatures, y: PointFeatures) -> float | None:
    if not x.topics or not y.topics or x.topics[0] == y.topics[0] == "other":
        return None  # `other` is a catch-all: sharing it says nothing
    if x.topics[0] == y.topics[0]:
        return 1.0
    return 0.5 if x.topics[0] in y.topics or y.topics[0] in x.topics else 0.0


def _position(x: PointFeatures, y: PointFeatures) -> float:
    return 1.0 - abs(x.rank - y.rank)
