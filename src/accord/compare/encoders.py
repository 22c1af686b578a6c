"""Text encoders: texts → vectors whose dot products say how alike two texts are.

The default, `char-tfidf`, needs no model: TF-IDF over character n-grams within word
boundaries (scikit-learn), fitted on the texts being compared, which catches shared
stems, names and numbers across paraphrases of one language. A stronger encoder is a
plug-in: anything with `name`, `multilingual` and `encode(texts) -> np.ndarray`
(L2-normalised rows), registered by name with `register_encoder` or through the entry
point group `accord.text_encoders`. `sentence-transformers` is registered when that
package is installed; it loads a model from the local cache or a local path only, since
accord never downloads model weights.
"""

from __future__ import annotations

import os
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
        """Fit on `texts` and return their normalised TF-IDF rows (dense)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not any(text.strip() for text in texts):
            return np.zeros((len(texts), 1))
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range,
                                     sublinear_tf=True, strip_accents="unicode", lowercase=True)
        return vectorizer.fit_transform(list(texts)).toarray()


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
