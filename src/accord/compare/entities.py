"""Named states, organisations, places and people: a gazetteer in English and Italian,
plus any other capitalised name (no model needed).

Each gazetteer entry is an id, a kind and the ways it is written. Adjectives count as the
name (`Russian`, `ucraino`), an office as its holder in the period of the plans (`the US
president` is Trump), a capital as its government only where the texts use it so
(`Kyiv`). Patterns are matched case-sensitively on accent-folded text, longest first, so
that `European Union` is the EU and not Europe, and the pronoun "us" is not the US.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.compare.text import fold

GAZETTEER: dict[str, tuple[str, str]] = {
    "ukraine": ("state", r"[Uu]krain\w*|Ucrain\w*|ucrain[oaie]|Kyiv\w*|Kiev"),
    "russia": ("state", r"Russia\w*|Russians?|[Rr]uss[oaie]|Russian-\w+"),
    "us": ("state", r"US|U\.S\.|USA|United States|Americans?|Stati Uniti|[Aa]merican[oaie]|"
                    r"statunitens[ei]|Washington"),
    "europe": ("state", r"Europe|Europeans?|Europa|[Ee]urope[oaie]|E3"),
    "eu": ("organisation", r"EU|European Union|UE|Unione [Ee]uropea"),
    "nato": ("organisation", r"NATO|Nato|Alleanza [Aa]tlantica|North Atlantic Treaty "
                             r"Organi[sz]ation"),
    "un": ("organisation", r"UN|United Nations|ONU|Nazioni Unite|UN Security Council|UNSC"),
    "iaea": ("organisation", r"IAEA|AIEA|International Atomic Energy Agency"),
    "world-bank": ("organisation", r"World Bank|Banca [Mm]ondiale"),
    "g8": ("organisation", r"G8|G-8"),
    "poland": ("state", r"Poland|Polish|Polonia|polacc[oaih]+"),
    "uk": ("state", r"UK|United Kingdom|Britain|British|Regno Unito|britannic[oaih]+"),
    "france": ("state", r"France|French|Francia|frances[ei]"),
    "germany": ("state", r"Germany|German|Germania|tedesc[oaih]+"),
    "turkey": ("state", r"Turkey|Turkiye|Turkish|Turchia|turc[oaih]+"),
    "china": ("state", r"China|Chinese|Cina|cines[ei]"),
    "belarus": ("state", r"Belarus|Bielorussia"),
    "crimea": ("place", r"Crimea\w*|Sevastopol|Sebastopoli"),
    "donetsk": ("place", r"Donetsk|Donec'?k"),
    "luhansk": ("place", r"Luhansk|Lugansk"),
    "donbas": ("place", r"Donbas\w*"),
    "kherson": ("place", r"Kherson|Cherson"),
    "zaporizhzhia": ("place", r"Zapori\w+|Zaporo\w+"),
    "dnipro": ("place", r"Dnipro|Dnieper|Dnepr|Dnipr\w*"),
    "black-sea": ("place", r"Black Sea|Mar Nero"),
    "moscow": ("place", r"Moscow|Mosca"),
    "st-petersburg": ("place", r"St\.? Petersburg|Saint Petersburg|San Pietroburgo"),
    "arctic": ("place", r"Arctic|Artico"),
    "gaza": ("place", r"Gaza\w*"),
    "israel": ("state", r"Israel\w*|israelian[oaie]|IDF"),
    "hamas": ("organisation", r"Hamas"),
    "palestine": ("state", r"Palestin\w*|palestines[ei]"),
    "egypt": ("state", r"Egypt\w*|Egitto|egizian[oaie]"),
    "jordan": ("state", r"Jordan\w*|Giordania"),
    "qatar": ("state", r"Qatar\w*"),
    "trump": ("person", r"(?:Donald )?Trump|(?:the )?US president|President of the United "
                        r"States|presidente (?:degli Stati Uniti|americano|statunitense|USA)"),
    "putin": ("person", r"(?:Vladimir )?Putin"),
    "zelensky": ("person", r"(?:Volodymyr )?Zelensk\w*|Zelenski\w*"),
    "npt": ("treaty", r"NPT|TNP|Non-Proliferation Treaty"),
    "start": ("treaty", r"(?:New )?START"),
}
"""id → (kind, pattern). Kinds: state, organisation, place, person, treaty."""

_PATTERNS = {entity: re.compile(rf"\b(?:{pattern})\b")
             for entity, (_, pattern) in GAZETTEER.items()}
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*\b|\b[A-Z][a-z]{2,}\b")
_NOT_NAMES = frozenset(
    "The A An And Or If Once Both All Any Each Every It Its This That These Those There "
    "They Their He She We No Not Neither Nor In On At Of For By To From With Without After "
    "Before Until When While As Under Over Also Only Then Further Territory Deleted Clauses "
    "Questions Security Conditions Ceasefire Il La Le Lo Gli Un Una Uno Dei Delle Del Della "
    "Per Con Su Tra Fra Nel Nella Dopo Prima Entro Tutti Tutte Ogni Se Non E Ma USD EUR GBP "
    "President Presidents Prime Minister Secretary Presidente Presidenti"
    .split())


@dataclass(frozen=True)
class Mention:
    """A name found in a text: gazetteer id (or the folded name itself) and its kind."""

    id: str
    kind: str
    text: str


def _spans(folded: str) -> list[tuple[int, int, str]]:
    """Gazetteer matches that do not overlap, the longer winning, in text order."""
    found = sorted(((m.start(), m.end(), entity) for entity, pattern in _PATTERNS.items()
                    for m in pattern.finditer(folded)), key=lambda s: (s[0] - s[1], s[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, entity in found:
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, entity))
    return sorted(kept)


def gazetteer_mentions(text: str) -> list[Mention]:
    """Gazetteer names in a text, longest match first, in text order."""
    folded = fold(text)
    return [Mention(entity, GAZETTEER[entity][0], folded[start:end])
            for start, end, entity in _spans(folded)]


def other_names(text: str) -> list[Mention]:
    """Capitalised words that are not in the gazetteer nor a sentence's first word."""
    folded = fold(text)
    taken = [(start, end) for start, end, _ in _spans(folded)]
    names = []
    for match in _CAPITALISED.finditer(folded):
        start = match.start()
        if any(a <= start < b for a, b in taken) or match.group(0) in _NOT_NAMES:
            continue
        if start == 0 or folded[:start].rstrip().endswith((".", ":", ";", "(", '"')):
            continue
        names.append(Mention(match.group(0).lower(), "name", match.group(0)))
    return names


def entity_ids(text: str) -> frozenset[str]:
    """Ids of the gazetteer names in a text."""
    return frozenset(m.id for m in gazetteer_mentions(text))


def name_ids(text: str) -> frozenset[str]:
    """Gazetteer ids and other capitalised names: what the names channel compares."""
    return entity_ids(text) | frozenset(m.id for m in other_names(text))


def label(entity_id: str) -> str:
    """A readable name for an id (`us` → `US`, `world-bank` → `World Bank`)."""
    special = {"us": "US", "eu": "EU", "un": "UN", "uk": "UK", "nato": "NATO", "iaea": "IAEA",
               "g8": "G8", "npt": "NPT", "start": "START"}
    return special.get(entity_id, entity_id.replace("-", " ").title())
