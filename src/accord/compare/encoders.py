"""Text encoders: texts → vectors whose dot products say how alike two texts are.

The default, `char-tfidf`, needs no model: TF-IDF over character n-grams within word
boundaries, fitted on the texts being compared, which catches shared stems, names and
numbers across paraphrases of one language. It is scikit-learn's `TfidfVectorizer(
analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")`
written out in numpy and scipy (the tests check they give the same vectors), so the core
install does without scikit-learn. A stronger encoder is a
plug-in: anything with `name`, `multilingual` and `encode(texts) -> np.ndarray`
(L2-normalised rows), registered by name with `register_encoder` or through the entry
point group `accord.text_encoders`. `sentence-transformers` is registered when that
package is installed; it loads a model from the local cache or a local path only, since
accord never downloads model weights.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Protocol, runtime_checkable

import numpy as np

from accord.errors import UsageError

DEFAULT_ENCODER = "char-tfidf"
SENTENCE_MODEL = "paraphrase-multilingual-MiniLM-L12-v2"
"""Model the `sentence-transformers` backend loads unless told otherwise
(`sentence-transformers:NAME-OR-PATH`, or the environment variable ACCORD_SENTENCE_MODEL)."""


@runtime_checkable
class TextEncoder(Protocol):
    """Turns texts into L2-normalised row vectors."""

    name: str
    multilingual: bool
    """True when texts in different languages land near each other (then the comparison
    trusts the encoder across languages; otherwise only within one language)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text; rows have unit length (or are zero for an empty text)."""
        ...


class CharTfidfEncoder:
    """TF-IDF over character 3- to 5-grams inside word boundaries, sublinear term
    frequencies, accents stripped; fitted on the texts it is given (Salton & Buckley
    1988, "Term-weighting approaches in automatic text retrieval")."""

    name = "char-tfidf"
    multilingual = False

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Fit on `texts` and return their normalised TF-IDF rows (dense): smoothed
        inverse document frequencies, 1 + log of each count, rows of unit length."""
        from scipy.sparse import csr_matrix

        if not any(text.strip() for text in texts):
            return np.zeros((len(texts), 1))
        grams = [self._ngrams(text) for text in texts]
        vocabulary = {gram: column for column, gram in enumerate(sorted(set().union(*grams)))}
        rows, columns, counts = [], [], []
        for row, document in enumerate(grams):
            found: dict[int, int] = {}
            for gram in document:
                column = vocabulary[gram]
                found[column] = found.get(column, 0) + 1
            rows += [row] * len(found)
            columns += found.keys()
            counts += found.values()
        matrix = csr_matrix((np.log(np.asarray(counts, dtype=float)) + 1.0, (rows, columns)),
                            shape=(len(texts), len(vocabulary)))
        document_frequency = np.bincount(columns, minlength=len(vocabulary))
        idf = np.log((len(texts) + 1) / (document_frequency + 1)) + 1.0
        dense = matrix.multiply(idf).toarray()
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)

    def _ngrams(self, text: str) -> list[str]:
        """Character n-grams of each word padded with one space on each side, after
        lower-casing and stripping accents; a word shorter than n gives itself once."""
        text = _WHITESPACE_RUNS.sub(" ", _strip_accents(text.lower()))
        low, high = self.ngram_range
        grams = []
        for word in text.split():
            word = f" {word} "
            for n in range(low, high + 1):
                if len(word) <= n:
                    grams.append(word)
                    break
                grams.extend(word[i:i + n] for i in range(len(word) - n + 1))
        return grams


_WHITESPACE_RUNS = re.compile(r"\s\s+")


def _strip_accents(text: str) -> str:
    """Decompose (NFKD) and drop combining marks, as scikit-learn's `strip_accents="unicode"`."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class SentenceTransformerEncoder:
    """Sentence embeddings from the optional `sentence-transformers` package, loaded
    from the local model cache or a local path (never downloaded)."""

    multilingual = True

    def __init__(self, model: str | None = None) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise UsageError("the sentence-transformers encoder needs the optional package "
                             "`sentence-transformers` (pip install sentence-transformers) "
                             "and a model in the local cache") from None
        model = model or os.environ.get("ACCORD_SENTENCE_MODEL", SENTENCE_MODEL)
        try:
            self._model = SentenceTransformer(model, local_files_only=True)
        except Exception as error:  # the library raises many kinds for a missing model
            raise UsageError(f"cannot load the sentence model {model!r} from the local "
                             f"cache or path ({type(error).__name__}); accord does not "
                             "download models") from None
        self.name = f"sentence-transformers:{model}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised embeddings, one row per text."""
        vectors = self._model.encode(list(texts), normalize_embeddings=True)
        return np.asarray(vectors, dtype=float)


EncoderFactory = Callable[[str | None], TextEncoder]
_REGISTRY: dict[str, EncoderFactory] = {
    "char-tfidf": lambda _option: CharTfidfEncoder(),
    "sentence-transformers": lambda option: SentenceTransformerEncoder(option),
}


def register_encoder(name: str, factory: EncoderFactory) -> None:
    """Make an encoder available by name; `factory(option)` gets the text after a colon
    in `name:option` (or None)."""
    _REGISTRY[name] = factory


def encoder_names() -> list[str]:
    """Names of the registered encoders (entry-point plug-ins included)."""
    _load_entry_points()
    return sorted(_REGISTRY)


def get_encoder(spec: str | None = None) -> TextEncoder:
    """The encoder named `spec` (`NAME` or `NAME:OPTION`); the default when None."""
    name, _, option = (spec or DEFAULT_ENCODER).partition(":")
    if name not in _REGISTRY:
        _load_entry_points()
    if name not in _REGISTRY:
        raise UsageError(f"unknown text encoder {name!r}; registered: "
                         f"{', '.join(encoder_names())}")
    return _REGISTRY[name](option or None)


def _load_entry_points() -> None:
    """Register encoders that installed packages declare under `accord.text_encoders`."""
    for entry in metadata.entry_points(group="accord.text_encoders"):
        if entry.name not in _REGISTRY:
            _REGISTRY[entry.name] = entry.load()
