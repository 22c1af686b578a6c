"""Figures in a text (600,000; 600k; 600.000 in Italian; 100 days; $100bn; 50%; half) and
what changed between two texts' figures (600,000 → 800,000).

Thousands and decimal separators follow the text's language (`600,000.5` in English,
`600.000,5` in Italian); grouping by spaces is read in both. Numbers that name rather
than count (Article 5, the 28-point plan, G8, days of a date) are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.compare.text import fold


@dataclass(frozen=True)
class Figure:
    """A number with its unit (`""` for a plain count, `%`, `day`, `year`, `usd`, …)."""

    value: float
    unit: str
    text: str

    def same(self, other: Figure) -> bool:
        """Same unit and (to rounding) the same value."""
        scale = max(abs(self.value), abs(other.value), 1.0)
        return self.unit == other.unit and abs(self.value - other.value) <= 1e-9 * scale


@dataclass(frozen=True)
class FigureChange:
    """One figure changed, added (`before` None) or removed (`after` None)."""

    before: Figure | None
    after: Figure | None

    def describe(self) -> str:
        """`600,000 → 800,000`, `+ 50%`, `− 100 days`."""
        if self.before and self.after:
            return f"{self.before.text} → {self.after.text}"
        return f"+ {self.after.text}" if self.after else f"− {self.before.text}"  # type: ignore[union-attr]


_NUMBER = {"en": r"\d{1,3}(?: \d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?",
           "it": r"\d{1,3}(?: \d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"}
_CURRENCY = r"US\$|\$|USD|EUR|€|£|GBP"
_SCALES = {"k": 1e3, "thousand": 1e3, "mila": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6,
           "million": 1e6, "milion": 1e6, "bn": 1e9, "billion": 1e9, "miliard": 1e9,
           "trillion": 1e12}
_SCALE = r"k|thousand|mila|mln|mn|m|millions?|milion[ei]|bn|billions?|miliard[oi]|trillions?"
_UNITS = {"day": "day", "giorn": "day", "week": "week", "settiman": "week", "month": "month",
          "mes": "month", "year": "year", "ann": "year", "hour": "hour", "ore": "hour",
          "km": "km", "kilomet": "km", "chilomet": "km", "%": "%", "per": "%",
          "dollar": "usd", "usd": "usd", "euro": "eur", "eur": "eur", "pound": "gbp",
          "sterlin": "gbp", "decad": "decade", "decenn": "decade"}
_UNIT = (r"days?|giorn[oi]|weeks?|settiman[ae]|months?|mes[ei]|years?|ann[oi]|decades?|"
         r"decenn[io]|hours?|ore|km|kilomet(?:re|er)s?|chilometri|%|per ?cent|per cento|"
         r"dollars?|dollari|euros?|USD|EUR|pounds|sterline")
_CURRENCIES = {"US$": "usd", "$": "usd", "USD": "usd", "EUR": "eur", "€": "eur", "£": "gbp",
               "GBP": "gbp"}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
          "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
          "un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5,
          "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "dodici": 12,
          "quindici": 15, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50,
          "sessanta": 60, "novanta": 90, "cento": 100}
_MONTHS = (r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|genn|febbr|marz|april|magg|"
           r"giugn|lugl|agost|sett|ottob|novem|dicem")
_REFERENCE_BEFORE = re.compile(r"(?:article|art\.|articolo|resolution|risoluzione|point|punto|"
                               r"no\.|n\.|section|paragraph|res\.)[\s-]*$", re.IGNORECASE)
_REFERENCE_AFTER = re.compile(rf"[\s-]?(?:points?|punti|punto)\b|\s(?:{_MONTHS})",
                              re.IGNORECASE)
_HALF = re.compile(r"\b(?:half|halves|equally|fifty-fifty|meta|in parti uguali|equamente)\b",
                   re.IGNORECASE)
_SHARE = re.compile(r"(?<![\d.,])(\d{1,3}) ?/ ?(\d{1,3})(?![\d.,])")
_WORD_FIGURE = re.compile(rf"\b(?P<word>{'|'.join(_WORDS)})(?:[\s-](?P<scale>{_SCALE}))?"
                          rf"(?:[\s-](?:(?:of|di) )?(?P<unit>{_UNIT}))?\b", re.IGNORECASE)


def _pattern(language: str) -> re.Pattern[str]:
    number = _NUMBER.get(language, _NUMBER["en"])
    return re.compile(
        rf"(?:(?P<currency>{_CURRENCY}) ?)?(?<![\w.,/])(?P<number>{number})(?![\d/])"
        rf"(?: ?(?P<scale>{_SCALE})\b)?(?:[\s-]?(?:(?:of|di|in) )?(?P<unit>{_UNIT})(?!\w))?",
        re.IGNORECASE)


_PATTERNS = {language: _pattern(language) for language in _NUMBER}


def extract_figures(text: str, language: str = "en") -> tuple[Figure, ...]:
    """The figures of a text, each once, in order of appearance."""
    text = fold(text)
    found = [*_digit_figures(text, language), *_share_figures(text), *_word_figures(text)]
    unique: list[Figure] = []
    for figure in found:
        if not any(figure.same(seen) for seen in unique):
            unique.append(figure)
    return tuple(unique)


def _digit_figures(text: str, language: str) -> list[Figure]:
    figures = []
    for match in _PATTERNS.get(language, _PATTERNS["en"]).finditer(text):
        if _is_reference(text, match):
            continue
        value = _number(match["number"], language)
        scale, unit = (match["scale"] or "").lower(), _unit(match["unit"], match["currency"])
        if scale == "m" and not unit:
            scale = ""
        value *= _multiplier(scale)
        if not unit and not scale and value.is_integer() and 1900 <= value <= 2100:
            unit = "date"
        figures.append(_normalised(Figure(value, unit, match.group(0).strip())))
    return figures


def _is_reference(text: str, match: re.Match[str]) -> bool:
    """Numbers that name things: Article 5, the 28-point plan, 7 Oct."""
    before = text[max(0, match.start() - 16):match.start()]
    after = text[match.end("number"):match.end("number") + 12]
    return bool(_REFERENCE_BEFORE.search(before) or (
        not match["unit"] and _REFERENCE_AFTER.match(after)))


def _multiplier(scale: str) -> float:
    """1e3 for k/thousand/mila, 1e6 for million/milioni, …; the longest matching key wins."""
    keys = sorted((key for key in _SCALES if scale and scale.startswith(key)), key=len)
    return _SCALES[keys[-1]] if keys else 1.0


def _number(text: str, language: str) -> float:
    text = text.replace(" ", "")
    if language == "it":
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", ""))


def _unit(unit: str | None, currency: str | None) -> str:
    if currency:
        return _CURRENCIES.get(currency.upper(), "usd")
    if not unit:
        return ""
    folded = unit.lower()
    return next((canon for key, canon in _UNITS.items() if folded.startswith(key)), "")


def _normalised(figure: Figure) -> Figure:
    """Decades as years, so that "three decades" equals "30 years"."""
    if figure.unit == "decade":
        return Figure(figure.value * 10, "year", figure.text)
    return figure


def _share_figures(text: str) -> list[Figure]:
    """Halves and splits: "50/50", "split equally", "a metà" are all 50%."""
    figures = [Figure(float(m[1]), "%", m.group(0)) for m in _SHARE.finditer(text)
               if int(m[1]) + int(m[2]) == 100]
    figures += [Figure(50.0, "%", m.group(0)) for m in _HALF.finditer(text)]
    return figures


def _word_figures(text: str) -> list[Figure]:
    """Numbers written as words before a unit or a scale: "three decades", "cento giorni",
    "cento miliardi di dollari" (a bare "one" or "tre" is not a figure)."""
    figures = []
    for m in _WORD_FIGURE.finditer(text):
        if m["unit"] or (m["scale"] and m["scale"].lower() != "m"):
            value = _WORDS[m["word"].lower()] * _multiplier((m["scale"] or "").lower())
            figures.append(_normalised(Figure(float(value), _unit(m["unit"], None), m.group(0))))
    return figures


def figure_changes(before: tuple[Figure, ...], after: tuple[Figure, ...]) -> list[FigureChange]:
    """Figures changed (same unit, other value), removed and added, in text order."""
    left = [f for f in before if not any(f.same(g) for g in after)]
    right = [g for g in after if not any(g.same(f) for f in before)]
    changes = []
    for figure in left:
        partner = next((g for g in right if g.unit == figure.unit), None)
        if partner is not None:
            right.remove(partner)
        changes.append(FigureChange(figure, partner))
    return changes + [FigureChange(None, g) for g in right]


def figure_similarity(a: tuple[Figure, ...], b: tuple[Figure, ...]) -> float | None:
    """Share of figures the two texts have in common (a changed value counts half);
    None when neither text has a figure."""
    if not a and not b:
        return None
    same = sum(1 for f in a if any(f.same(g) for g in b))
    changed = sum(1 for c in figure_changes(a, b) if c.before and c.after)
    return (same + 0.5 * changed) / max(len(a), len(b))
