"""The sentence-level rules of the claim reader (see claims.py for the overview).

`SentenceReader.read` takes one sentence (accent-folded, same length as the original) and
gives the claims it holds, with what the article's next sentences need: the sources it
named (a later hedged sentence keeps them), the outlets confirming an earlier scoop, and
its actors (for "the two delegations", "he").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import simplemma

from accord.evidence._cues import CueRules, _first, _incidental, _previous_word, _token_after
from accord.evidence.claims import _VERB_CUES as _VERB_CUE_NAMES
from accord.evidence.claims import Lexicon, _Mention, find_mentions

_PARTICIPLE = re.compile(r"(?:at|it|ut|ss|tt|st|rt|ns|es)[oaie]$")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Found:
    """One claim of a sentence, before offsets are added."""

    speaker: str
    actor: str | None
    reported_by: tuple[str, ...]
    certainty: str
    cue: tuple[int, int] | None
    kind: str


@dataclass
class Reading:
    """What one sentence gave."""

    claims: list[Found] = field(default_factory=list)
    explicit_sources: tuple[str, ...] = ()
    confirms: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Actor:
    actor: str
    speaker: str
    clause: tuple[int, int]          # where its verb, cues and kind are looked for
    named: bool                       # a named person/body (not "an official")
    document_head: bool = False       # "the European text": the party's proposal
    partner: bool = False             # the other side of a meeting (an object)


class SentenceReader(CueRules):
    """Reads the sentences of one document in order (keeps the context between them)."""

    def __init__(self, lex: Lexicon, nlp, outlet: str | None) -> None:  # noqa: ANN001
        self.lex = lex
        self.nlp = nlp
        self.outlet = outlet
        self.last_sources: tuple[str, ...] = ()     # kept by a chain of conditionals
        self.named_sources: tuple[str, ...] = ()    # for "per le stesse fonti"
        self.prev_actors: list[_Actor] = []
        self.prev_group: list[_Actor] = []
        self.prev_document: _Actor | None = None
        self.since_document = 0
        self.learned: dict[str, str] = {}           # names met after a role: name -> actor
        self.last_anonymous: list[_Actor] = []      # "a US official": for "the official said"

    # -- the parts of a sentence -------------------------------------------------------
    def read(self, original: str, text: str) -> Reading:
        """The claims of one sentence; `text` is `original` accent-folded (same length)."""
        lex = self.lex
        low = text.lower()
        tokens = [(t.idx, t.idx + len(t.text), t.text.lower())
                  for t in self.nlp.make_doc(original) if not t.is_space]
        capitalised = {t[0] for i, t in enumerate(tokens)
                       if i and original[t[0]:t[0] + 1].isupper()}
        cues = {name: [m.span() for m in pattern.finditer(low)]
                for name, pattern in lex.cues.items() if pattern is not None}
        mentions = self._with_learned(find_mentions(text), text)
        actors_m = [m for m in mentions if m.actor]
        denied = _first(cues.get("denial", []))
        outlets = [m for m in mentions if m.outlet and not (
            denied and denied[1] <= m.start < denied[1] + 50 and lex.denied_object is not None and
            lex.denied_object.search(low[denied[1]:m.start]))]
        sources = tuple(dict.fromkeys(m.outlet for m in outlets if m.outlet))
        verb_starts = self._verb_starts(tokens, cues, capitalised, mentions)
        zone_start = self._intro_end(tokens, actors_m, verb_starts)
        for s, e in cues.get("leading_hedges", []):
            if s <= zone_start + 1:
                zone_start = next((t[0] for t in tokens if t[0] >= e), e)
        subordinate = next((s for s, _, w in tokens if s >= zone_start and
                            w in lex.subordinators), len(text))
        zone_end = min([subordinate] + [s for s in verb_starts if s > zone_start])
        relatives = self._relative_clauses(text, tokens, actors_m, zone_end)
        main_clause = (0, min([len(text)] + [r[1][0] for r in relatives]))
        actors = self._trailing_speakers(text, actors_m, main_clause) or self._zone_actors(
            text, low, tokens, actors_m, zone_start, zone_end, cues, main_clause)
        if not actors and subordinate < len(text) and (sources or cues.get("anonymous_sources"))\
                and any(m.start < subordinate for m in outlets):
            actors = self._reported_actors(text, low, tokens, actors_m, subordinate, cues)
        for mention, clause in relatives:
            actors.append(_Actor(mention.actor, mention.text, clause, True))
        actors += self._meeting_actors(tokens, actors_m, cues, zone_end, main_clause)
        actors = _unique(actors)

        hedged_all = _first(cues.get("hedges", []))
        if sources and (hedged_all or cues.get("conditional")):
            # what an outlet says a party's text contains is the outlet's claim
            actors = [a for a in actors if not a.document_head]
        same = cues.get("same_sources", [])
        stop = next((s for s, _, w in tokens if s >= zone_start and
                     w in lex.conditional_stops), len(text))
        conditional_end = min([stop] + [r[1][0] for r in relatives])
        conditional = [c for c in cues.get("conditional", []) if c[0] < conditional_end]
        anonymous = cues.get("anonymous_sources", []) + [
            c for c in cues.get("anonymous_heads", []) if c[0] < max(zone_end, 1) or (
                lex.source_before is not None and lex.source_before.search(low[:c[0]]))]
        inherited: tuple[str, ...] = ()
        if not sources and same:
            inherited = self.named_sources
        elif not sources and conditional and lex.inherits:
            inherited = self.last_sources
        reported_by = sources or inherited
        reading = Reading(explicit_sources=sources)
        kinds_of_sentence = self._kind(low, cues, (0, len(text)), zone_end, with_actor=False)
        incidental = _incidental(tokens, self.lex.relative | self.lex.prepositions)
        main_cues = {name: [c for c in spans if not any(a <= c[0] < b for a, b in incidental)]
                     for name, spans in cues.items()}
        if sources and kinds_of_sentence == "confirmation" and not actors:
            reading.confirms = sources

        for actor in actors:
            clause_cond = [c for c in cues.get("conditional", [])
                           if actor.clause[0] <= c[0] < actor.clause[1]]
            if actor.clause[0] > 0:
                hedge = _first(clause_cond + [c for c in cues.get("hedges", [])
                                              if actor.clause[0] <= c[0] < actor.clause[1]])
            else:
                hedge = hedged_all or _first(conditional)
            certainty, cue = self._certainty(cues, actor, hedge, sources or inherited,
                                             anonymous, outlets, low)
            kind = self._kind(low, main_cues if actor.clause[0] == 0 else cues, actor.clause,
                              zone_end, with_actor=True,
                              document_head=actor.document_head, partner=actor.partner)
            reading.claims.append(Found(actor.speaker, actor.actor, reported_by, certainty,
                                        cue, kind))
        if not actors and (sources or hedged_all or conditional or same or anonymous):
            hedge = hedged_all or _first(conditional)
            if hedge:
                certainty, cue = "alleged", hedge
            else:
                certainty, cue = "reported", self._source_cue(_first(
                    [(m.start, m.end) for m in outlets]) or _first(anonymous), low)
            speaker = (sources[0] if sources else inherited[0] if inherited
                       else self.outlet or "the outlet")
            reading.claims.append(Found(speaker, None, reported_by, certainty, cue,
                                        kinds_of_sentence))
        if sources and not reading.confirms:
            self.last_sources = self.named_sources = sources
        elif not (sources or conditional or hedged_all or same):
            self.last_sources = ()      # the chain of conditionals is broken
        self.since_document += 1
        if self.since_document > 3:
            self.prev_document = None
        for actor in actors:
            if actor.document_head:
                self.prev_document, self.since_document = actor, 0
        unnamed = [_Actor(m.actor, text[a:b], main_clause, False) for a, b in
                   cues.get("anonymous_heads", []) for m in actors_m if a <= m.start < b]
        if unnamed or actors:
            self.last_anonymous = unnamed
        if actors:
            self.prev_actors = actors
            if len({a.actor for a in actors}) > 1:
                self.prev_group = actors
        return reading

    def _intro_end(self, tokens: list, actors_m: list[_Mention], verbs: list[int]) -> int:
        """Where the subject zone starts: after a leading "According to X," or "Earlier,"."""
        for i, (start, _, word) in enumerate(tokens[:9]):
            if word == ",":
                short = i <= 4 and tokens[0][2] not in self.lex.pronouns
                if i and not any(m.start < start for m in actors_m) and (short or not any(
                        tokens[0][0] < v < start for v in verbs)):
                    return tokens[i + 1][0] if i + 1 < len(tokens) else start
                return 0
            if word in self.lex.subordinators:
                return 0
        return 0

    def _verb_starts(self, tokens: list, cues: dict, capitalised: set[int],
                     mentions: list[_Mention]) -> list[int]:
        """Offsets where a verb (or a verb cue) begins (names are never verbs)."""
        lex = self.lex
        starts = [span[0] for name in _VERB_CUE_NAMES for span in cues.get(name, [])]
        starts += [span[0] for span in cues.get("conditional", [])]
        for i, (start, _, word) in enumerate(tokens):
            prev = tokens[i - 1][2] if i else ""
            if start in capitalised or any(m.start <= start < m.end for m in mentions):
                continue
            if word in lex.auxiliaries or (prev in lex.adverbs and i > 1
                                           and _WORD.match(word)):
                starts.append(start)
            elif lex.verb_suffix is not None and lex.verb_suffix.search(word) and len(word) > 4 \
                    and prev not in lex.articles and prev not in lex.prepositions:
                starts.append(start)
            elif lex.verb_lemma is not None and len(word) > 3 and not _PARTICIPLE.search(word):
                lemma = simplemma.lemmatize(word, lang=lex.language)
                if lemma != word and lex.verb_lemma.search(lemma):
                    starts.append(start)
        return starts

    def _zone_actors(self, text: str, low: str, tokens: list, actors_m: list[_Mention],
                     start: int, end: int, cues: dict, clause: tuple[int, int]) -> list[_Actor]:
        """The speakers named before the main verb (and those "the two delegations" means)."""
        lex = self.lex
        found: list[_Actor] = []
        anonymous = [c for c in cues.get("anonymous_heads", []) if c[0] < end]
        words = [(s, e, w) for s, e, w in tokens if start <= s < end]
        for m in actors_m:
            if not (start <= m.start < end):
                continue
            index = next((i for i, t in enumerate(tokens) if t[0] >= m.start), 0)
            before = _previous_word(tokens, index, lex.articles)
            at = index - 1
            while at > 0 and tokens[at][2] in lex.articles:
                at -= 1
            if before in lex.prepositions and not (
                    before in ("da", "dal", "dalla", "from") and index <= 1) and not (
                    _previous_word(tokens, at, lex.articles) in lex.speaker_heads):
                continue
            head = None
            if " " not in m.text and self._adjectival(m, tokens):
                head = self._head(m, tokens, index, actors_m)
                if head is None:
                    continue
            named = not any(a[0] <= m.start < a[1] + 25 for a in anonymous)
            speaker = m.text if head is None else text[min(m.start, tokens[head][0]):
                                                         max(m.end, tokens[head][1])]
            name = None if head is None else self._learn(text, tokens, max(index, head), m)
            speaker = name or speaker
            found.append(_Actor(m.actor, speaker, clause, named,
                                document_head=head is not None and
                                tokens[head][2] in lex.document_heads))
        if not found and self.prev_document is not None and words:
            heads = [i for i, t in enumerate(words[:4]) if t[2] in lex.document_heads]
            if heads and any(t[2] in lex.articles for t in words[:heads[0]]):
                found.append(replace_clause(self.prev_document, clause))
        for s, e in cues.get("group_anaphora", []):
            if start <= s < end and self.prev_group and not found:
                objects = {m.actor for m in actors_m if m.start >= end and
                           self._addressee(m, tokens)}
                found += [_Actor(a.actor, text[s:e], clause, True) for a in self.prev_group
                          if a.actor not in objects]
        if not found and len({a.actor for a in self.prev_actors}) == 1 and len(words) > 1 and \
                any(w in lex.possessives for _, _, w in words[:2]) and any(
                    w in lex.speaker_heads for _, _, w in words[1:4]):
            head = self.prev_actors[0]        # "Its prime minister": the state just named
            found.append(_Actor(head.actor, text[words[0][0]:words[-1][1]], clause, True))
        if not found and self.prev_actors and words:
            first = words[0][2]
            if first in lex.pronouns and len(words) <= 2:
                found += [_Actor(a.actor, text[words[0][0]:words[0][1]], clause, a.named)
                          for a in self.prev_actors]
        if not found and self.prev_actors and not any(_WORD.match(w) for _, _, w in words) \
                and cues.get("speech") and lex.language != "en":
            found += [replace_clause(a, clause) for a in self.prev_actors]
        return found

    def _reported_actors(self, text: str, low: str, tokens: list, actors_m: list[_Mention],
                         subordinate: int, cues: dict) -> list[_Actor]:
        """"Le Monde reported that Paris had asked ...": the party the outlet reports on."""
        start = next((t[0] for t in tokens if t[0] > subordinate), len(text))
        verbs = self._verb_starts(tokens, cues, set(), actors_m)
        end = min([s for s in verbs if s > start] + [len(text)])
        return self._zone_actors(text, low, tokens, actors_m, start, end, cues,
                                 (start, len(text)))

    def _learn(self, text: str, tokens: list, last: int, m: _Mention) -> str | None:
        """"il primo ministro estone Kristen Michal": the name after an actor's role is
        that actor for the rest of the document ("Michal ha detto ...")."""
        i = last + 1
        if i < len(tokens) and tokens[i][2] == ",":
            i += 1
        words = []
        while i < len(tokens) and len(words) < 3 and text[tokens[i][0]:tokens[i][0] + 1].isupper() \
                and tokens[i][2].isalpha():
            words.append(i)
            i += 1
        if not words:
            return None
        name = text[tokens[words[0]][0]:tokens[words[-1]][1]]
        for key in {name, text[tokens[words[-1]][0]:tokens[words[-1]][1]]}:
            if len(key) > 3:
                self.learned[key] = m.actor or ""
        return name

    def _with_learned(self, mentions: list[_Mention], text: str) -> list[_Mention]:
        """The names learned earlier in the document, as mentions of their actor."""
        found = list(mentions)
        for name, actor in sorted(self.learned.items(), key=lambda kv: -len(kv[0])):
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                if actor and all(match.end() <= k.start or match.start() >= k.end
                                 for k in found):
                    found.append(_Mention(match.start(), match.end(), name, actor, None,
                                          "names"))
        return sorted(found, key=lambda k: k.start)

    def _addressee(self, m: _Mention, tokens: list) -> bool:
        """"chiesto a Zelensky", "urged Zelensky": one spoken to, not among the speakers."""
        index = next((i for i, t in enumerate(tokens) if t[0] >= m.start), 0)
        return _previous_word(tokens, index, frozenset()) in self.lex.addressees and \
            not self._adjectival(m, tokens)

    def _trailing_speakers(self, text: str, actors_m: list[_Mention],
                           clause: tuple[int, int]) -> list[_Actor]:
        """"..., Peskov said." / "..., ha detto Peskov.": the speaker at the end."""
        for pattern in self.lex.trailing_speech:
            match = pattern.search(text)
            who = match.group("who").lower().split() if match else []
            if match and len(who) <= 6 and not set(who) & self.lex.subordinators:
                a, b = match.span("who")
                named = [_Actor(m.actor, m.text, clause, True) for m in actors_m
                         if a <= m.start < b]
                if not named and who[0] in self.lex.articles and \
                        who[-1] in self.lex.speaker_heads:
                    # "..., the official said.": the speaker of the sentence before
                    return [replace(p, speaker=text[a:b], clause=clause, named=False)
                            for p in self.last_anonymous or self.prev_actors]
                return named
        return []

    def _adjectival(self, m: _Mention, tokens: list) -> bool:
        nxt = _token_after(tokens, m.end)
        if nxt in ("'s", "’s") or "-" in m.text:
            return True
        return bool(self.lex.adjective.fullmatch(m.text))

    def _head(self, m: _Mention, tokens: list, index: int,
              actors_m: list[_Mention]) -> int | None:
        """The speaker noun an adjective or possessive belongs to, if any."""
        lex = self.lex
        skip = {"and", "e", ",", "'s", "’s"}
        inside = {i for i, t in enumerate(tokens) for a in actors_m if a.start <= t[0] < a.end}
        directions = (1, -1) if lex.language != "en" else (1,)
        for step in directions:
            i = index + step
            while 0 <= i < len(tokens) and i in inside:
                i += step
            for _ in range(4):
                if not 0 <= i < len(tokens):
                    break
                word = tokens[i][2]
                if i + 2 < len(tokens) and tokens[i + 1][2] == "-" and \
                        tokens[i + 1][0] == tokens[i][1]:
                    word = f"{word}-{tokens[i + 2][2]}"      # "counter-proposal"
                    if word in lex.speaker_heads:
                        return i + 2
                if word in lex.speaker_heads:
                    return i
                if word not in skip and i not in inside and not (
                        step == 1 and lex.language == "en" and word.isalpha() and word.islower()
                        and word not in lex.auxiliaries and word not in lex.prepositions):
                    break
                i += step
        return None

    def _relative_clauses(self, text: str, tokens: list, actors_m: list[_Mention],
                          zone_end: int) -> list[tuple[_Mention, tuple[int, int]]]:
        """"Erdogan, che si è detto pronto ...": the actor of a relative clause."""
        found = []
        for m in actors_m:
            if m.start < zone_end:
                continue
            i = next((i for i, t in enumerate(tokens) if t[0] >= m.end), None)
            if i is None or i + 1 >= len(tokens) or tokens[i][2] != ",":
                continue
            if tokens[i + 1][2] in self.lex.relative:
                start = tokens[i + 1][0]
                stop = next((t[0] for t in tokens[i + 2:] if t[2] in (",", ";", ":")),
                            len(text))
                found.append((m, (start, stop)))
        return found

    def _meeting_actors(self, tokens: list, actors_m: list[_Mention], cues: dict,
                        zone_end: int, clause: tuple[int, int]) -> list[_Actor]:
        """Both sides of a meeting: "tra X e Y", "between X and Y", "met (with) X"."""
        if not (cues.get("meeting_nouns") or cues.get("meeting_verbs")):
            return []
        found = []
        windows = []
        for i, (start, _, word) in enumerate(tokens):
            if word in self.lex.meeting_between and start >= zone_end:
                stop = next((t[0] for t in tokens[i + 1:i + 26]
                             if t[2] in (";", ":", ".") or t[2] in self.lex.subordinators),
                            tokens[min(i + 25, len(tokens) - 1)][1])
                windows.append((start, stop))
        for s, e in cues.get("meeting_with", []):
            stop = next((t[0] for t in tokens if t[0] > e and t[2] in (",", ";", ".")),
                        tokens[-1][1])
            windows.append((e, min(stop, e + 60)))
        for m in actors_m:
            index = next((i for i, t in enumerate(tokens) if t[0] >= m.start), 0)
            if _previous_word(tokens, index, self.lex.articles) in self.lex.places:
                continue
            if any(a <= m.start < b for a, b in windows) and self._not_adjective(m, tokens):
                found.append(_Actor(m.actor, m.text, clause, True, partner=True))
        return found

    def _not_adjective(self, m: _Mention, tokens: list) -> bool:
        index = next((i for i, t in enumerate(tokens) if t[0] >= m.start), 0)
        return " " in m.text or not self._adjectival(m, tokens) or \
            self._head(m, tokens, index, []) is not None


def replace_clause(actor: _Actor, clause: tuple[int, int]) -> _Actor:
    """The same actor, its cues looked for in another clause."""
    return replace(actor, clause=clause)


def _unique(actors: list[_Actor]) -> list[_Actor]:
    """One per actor, in order; the speaker named most fully ("Dan Driscoll", not "US")."""
    seen: dict[str, _Actor] = {}
    for actor in actors:
        kept = seen.setdefault(actor.actor, actor)
        if kept is not actor and kept.clause == actor.clause and \
                _fullness(actor.speaker) > _fullness(kept.speaker):
            seen[actor.actor] = replace(kept, speaker=actor.speaker)
    return list(seen.values())


def _fullness(speaker: str) -> tuple[int, int]:
    words = speaker.split()
    return (sum(1 for w in words if w[:1].isupper() and len(w) > 3), len(speaker))
