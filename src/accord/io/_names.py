"""Ids and labels for data imported from other formats (GENIUS XML, GeniusWeb JSON).

accord ids are letters, digits, `_`, `.` and `-`, starting with a letter or digit; names in
other formats are free text. These helpers turn any text into such an id, deterministically,
and make the ids of one list unique.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

MAX_ID_LENGTH = 120
"""Longer texts are cut (the model allows 200; a suffix may still be added for uniqueness)."""

_BAD = re.compile(r"[^A-Za-z0-9_.\-]+")
_DASHES = re.compile(r"-{2,}")
_NEGATIVE = re.compile(r"^\s*-\s*(?=\d|\.\d)")
_SEPARATORS = re.compile(r"[_\-\s.]+")


def safe_id(text: str, fallback: str) -> str:
    """An accord id made from `text`, or `fallback` when nothing usable is left.

    Accents are dropped (`é` → `e`), runs of other characters become one `-`, and a leading
    minus sign of a number becomes `minus-` (so that `-5` and `5` stay apart).
    """
    text = str(text)
    prefix = "minus-" if _NEGATIVE.match(text) else ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _DASHES.sub("-", _BAD.sub("-", ascii_text.strip()))
    cleaned = cleaned.lstrip("_.-").rstrip("-")
    cleaned = (prefix + cleaned)[:MAX_ID_LENGTH].rstrip("-")
    return cleaned or fallback


def unique_ids(texts: Iterable[str], fallback_prefix: str,
               given: Iterable[str | None] | None = None) -> list[str]:
    """Ids for a list of texts, unique within the list (`-2`, `-3`, … added on a clash).

    `given` may hold an id per text to use as is when it is a valid id not yet taken
    (ids accord wrote itself and reads back).
    """
    texts = list(texts)
    wanted = list(given) if given is not None else [None] * len(texts)
    result: list[str] = []
    seen: set[str] = set()
    for k, text in enumerate(texts):
        explicit = wanted[k] if k < len(wanted) else None
        if explicit and is_id(explicit) and explicit not in seen:
            candidate = explicit
        else:
            base = safe_id(text, f"{fallback_prefix}{k + 1}")
            candidate, n = base, 2
            while candidate in seen:
                candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        result.append(candidate)
    return result


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def is_id(text: str) -> bool:
    """Whether `text` is a valid accord id."""
    return bool(_ID.match(text)) and len(text) <= 200


def number_text(value: float | int | Decimal) -> str:
    """A short exact-enough text for a number: `3`, `0.25`, `1e-07`; no float noise (`0.3`)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if isinstance(value, int) or (math.isfinite(value) and value == int(value)
                                  and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.12g}"


def split_words(text: str) -> list[str]:
    """Words of a file stem, split on `_`, `-`, `.` and spaces."""
    return [word for word in _SEPARATORS.split(text) if word]


def readable(text: str) -> str:
    """`buyer_utility` → `Buyer utility`: separators as spaces, first letter capitalised."""
    words = " ".join(split_words(text)) or text
    return words[:1].upper() + words[1:]


def distinct_names(texts: list[str], fallback: list[str]) -> list[str]:
    """`texts` (stripped) when they are distinct and non-empty, else `fallback`: names a
    format keys things by (GENIUS issue names and values, NegMAS values) must differ."""
    cleaned = [t.strip() for t in texts]
    return cleaned if all(cleaned) and len(set(cleaned)) == len(cleaned) else list(fallback)
