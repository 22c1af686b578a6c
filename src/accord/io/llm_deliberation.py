"""LLM-Deliberation games as scenarios (Abdelnabi et al., "Cooperation, Competition, and
Maliciousness: LLM-Stakeholders Interactive Negotiation", NeurIPS 2024 Datasets and
Benchmarks, arXiv 2309.17234; repository S-Abdelnabi/LLM-Deliberation).

A game is a folder (docs/formats.md):

- `config.txt`: one party a line, `name, file name, role, incentive, model`; the role is
  `p1` (the proposing party), `p2` (the other party whose consent is required) or `player`;
- `scores_files/<file name>.txt`: per issue (A, B, …) one line with the scores of its options
  (A1, A2, …), then one line with the party's minimum threshold;
- `global_instructions.txt`: the public description, with the issues (`Issue A: "Title"`)
  and their options (`A1 "label": text`, `A1: text`, `- A1: text ==> …`);
- `initial_deal.txt` (optional): p1's opening deal, `A1,B1,C4,D1,E5`.

Scores become valuations exactly: per issue, salience = the party's highest score and
valuation = score / highest, so a party's utility of a deal is its score in the game, and
its reservation is its threshold. A deal passes when at least n - 1 of the n parties accept
it, p1 and p2 among them (the repository's prompts), which is the scenario's `rule`.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io._names import safe_id, unique_ids
from accord.io._spatial import read_text
from accord.model import Scenario

CONFIG = "config.txt"
SCORES = "scores_files"
INSTRUCTIONS = "global_instructions.txt"
INITIAL_DEAL = "initial_deal.txt"
ROLES = ("p1", "p2", "player")
PAPER = ("Abdelnabi, Gomaa, Sivaprasad, Schönherr and Fritz: Cooperation, Competition, and "
         "Maliciousness: LLM-Stakeholders Interactive Negotiation (NeurIPS 2024 Datasets and "
         "Benchmarks; arXiv 2309.17234)")
REPOSITORY = "https://github.com/S-Abdelnabi/LLM-Deliberation"
PUBLISHED = ("base", "base_rewritten", "base_7players", "game1", "game2", "game3")
"""The games of the repository's `games_descriptions/` folder."""
TITLE_LENGTH = 160

_ISSUE = re.compile(r"^[-*•\s]*Issue\s+([A-Za-z])\s*[:.]\s*(.*)$")
_OPTION = re.compile(r"^[-*•\s]*([A-Z])(\d+)\b\s*:?\s*(.*)$")
_QUOTED_TITLE = re.compile(r'^"(.+?)"(?=\s*$|[.:,;](?:\s|$))\s*[.:,;]?\s*(.*)$')
_PLAIN_TITLE = re.compile(r"^(.+?)(?:[.:]\s+|[.:]?\s*$)(.*)$")
_QUOTED_LABEL = re.compile(r'^"([^"]+)"\s*(:?)\s*(.*)$')
_LABEL_END = re.compile(r"\s+==>\s+|\.\s+|\s+-\s+|:\s+")
_SEPARATOR = re.compile(r"^\s*=+\s*$")


@dataclass
class _Option:
    id: str
    label: str


@dataclass
class _Issue:
    letter: str
    title: str
    line: int
    lines: list[str] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)


@dataclass
class _Member:
    name: str
    file: str
    role: str
    line: int


def is_llm_deliberation_game(folder: str | Path) -> bool:
    """Whether a folder is an LLM-Deliberation game: it holds `config.txt` and
    `scores_files/`."""
    folder = Path(folder)
    return (folder / CONFIG).is_file() and (folder / SCORES).is_dir()


def looks_like_llm_deliberation(folder: str | Path) -> bool:
    """Whether a folder holds part of a game (`scores_files/` or the instructions), so that
    loading it explains what is missing rather than finding no scenario."""
    folder = Path(folder)
    return (folder / SCORES).is_dir() or (folder / INSTRUCTIONS).is_file()


def load_llm_deliberation(folder: str | Path) -> Scenario:
    """A game folder as a scenario: issues `A`, `B`, … with options `A1`, `A2`, …, one
    party per line of config.txt, scores as saliences and valuations, thresholds as
    reservations, the n - 1 rule with p1 and p2 required, and p1's opening deal as a draft.
    Every problem names its file and line."""
    folder = Path(folder)
    problems: list[Problem] = []
    members = _members(folder / CONFIG, problems)
    issues, preamble = _instructions(folder / INSTRUCTIONS, members, problems)
    if problems:
        raise ScenarioError(problems)
    ids = unique_ids([m.file for m in members], "party-")
    parties = []
    for member, party_id in zip(members, ids):
        try:
            parties.append(_party(folder / SCORES / f"{member.file}.txt", member, party_id,
                                  issues))
        except ScenarioError as error:
            problems.extend(error.problems)
    draft = _initial_deal(folder / INITIAL_DEAL, issues, problems)
    if problems:
        raise ScenarioError(problems)
    return _scenario(folder, members, ids, issues, preamble, parties, draft)


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the file's lines that are not blank."""
    return [(number, text.strip()) for number, text in
            enumerate(read_text(path).splitlines(), start=1) if text.strip()]


def _members(path: Path, problems: list[Problem]) -> list[_Member]:
    """The parties of config.txt; located problems for short lines, roles, p1 and p2."""
    source, members = str(path), []
    try:
        lines = _lines(path)
    except ScenarioError as error:
        problems.extend(error.problems)
        return []
    for number, text in lines:
        columns = [column.strip() for column in text.split(",")]
        if len(columns) < 3 or not columns[0] or not columns[1]:
            problems.append(Problem((), f"expected at least 3 comma-separated columns: name, "
                                    f"scores file name, role (then incentive and model); got "
                                    f"{text!r}", number, source))
        elif columns[2].lower() not in ROLES:
            problems.append(Problem((), f"unknown role {columns[2]!r}; expected one of "
                                    f"{', '.join(ROLES)}", number, source))
        else:
            members.append(_Member(columns[0], columns[1], columns[2].lower(), number))
    seen: dict[str, int] = {}
    for member in members:
        if member.file in seen:
            problems.append(Problem((), f"scores file name {member.file!r} is already used on "
                                    f"line {seen[member.file]}", member.line, source))
        seen.setdefault(member.file, member.line)
    if not lines:
        problems.append(Problem((), "no parties; expected one line per party: name, scores "
                                "file name, role", None, source))
    for role, what in (("p1", "the proposing party"), ("p2", "the second required party")):
        holders = [m.line for m in members if m.role == role]
        if members and len(holders) != 1:
            listed = f" (lines {', '.join(map(str, holders))})" if holders else ""
            problems.append(Problem((), f"expected exactly one party with role {role} ({what}); "
                                    f"found {len(holders)}{listed}",
                                    holders[1] if len(holders) > 1 else None, source))
    return members


def _instructions(path: Path, members: list[_Member],
                  problems: list[Problem]) -> tuple[list[_Issue], list[str]]:
    """The issues of global_instructions.txt and the paragraphs before them."""
    source = str(path)
    try:
        text = read_text(path)
    except ScenarioError as error:
        problems.extend(error.problems)
        return [], []
    raw = text.splitlines()
    first = next((k for k, line in enumerate(raw) if _ISSUE.match(line)), len(raw))
    preamble = [line.strip() for line in raw[:first] if line.strip()]
    actors = {name.casefold() for line in preamble for name in re.findall(r'"([^"]+)"', line)}
    actors |= {m.name.casefold() for m in members}
    issues: list[_Issue] = []
    for number, line in enumerate(raw[first:], start=first + 1):
        if not line.strip() or _SEPARATOR.match(line):
            continue
        header = _ISSUE.match(line)
        if header:
            letter = header.group(1).upper()
            expected = chr(ord("A") + len(issues))
            if letter != expected:
                problems.append(Problem((), f"expected Issue {expected}: issues are lettered "
                                        "A, B, C, … in order (the scores files follow that "
                                        f"order); got Issue {letter}", number, source))
            title, rest = _issue_title(header.group(2), letter)
            issues.append(_Issue(letter, title, number, [rest] if rest else []))
            continue
        issue = issues[-1]
        option = _OPTION.match(line)
        if option:
            code = f"{issue.letter}{len(issue.options) + 1}"
            if f"{option.group(1)}{int(option.group(2))}" != code:
                problems.append(Problem((), f"expected option {code} of Issue {issue.letter} "
                                        f"(options are numbered 1, 2, … in order); got "
                                        f"{option.group(1)}{option.group(2)}", number, source))
            issue.options.append(_Option(code, _option_label(option.group(3), actors, code)))
            issue.lines.append(line.strip().lstrip("-*• \t"))
        else:
            issue.lines.append(line.strip())
    if not issues:
        problems.append(Problem((), 'no issues; expected blocks that start with a line '
                                '`Issue A: "Title"` followed by option lines `A1 …`, `A2 …`',
                                None, source))
    for issue in issues:
        if not issue.options:
            problems.append(Problem((), f"Issue {issue.letter} has no options; expected lines "
                                    f"{issue.letter}1, {issue.letter}2, … after it",
                                    issue.line, source))
    return issues, preamble


def _issue_title(rest: str, letter: str) -> tuple[str, str]:
    """An issue's title (quoted, possibly with quotes inside, or up to the first full stop)
    and the rest of its line."""
    rest = rest.strip()
    match = _QUOTED_TITLE.match(rest) if rest.startswith('"') else _PLAIN_TITLE.match(rest)
    if not match or not match.group(1).strip():
        return f"Issue {letter}", rest
    return match.group(1).strip(), match.group(2).strip()


def _option_label(rest: str, actors: set[str], code: str) -> str:
    """An option's short label: its quoted label (`A1 "water-based": …`), unless the quote
    is a party's name (`E1: "SportCo" pays …`); else its text up to `==>`, a full stop, ` - `
    or a colon."""
    rest = rest.strip()
    quoted = _QUOTED_LABEL.match(rest)
    if quoted and (quoted.group(2) or quoted.group(1).casefold() not in actors):
        return quoted.group(1).strip() or code
    return _LABEL_END.split(rest, maxsplit=1)[0].strip().rstrip(".").strip() or code


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _party(path: Path, member: _Member, party_id: str, issues: list[_Issue]) -> dict[str, Any]:
    """One party's data from its scores file: saliences, valuations and reservation."""
    source, problems = str(path), []
    try:
        lines = _lines(path)
    except ScenarioError as error:
        raise ScenarioError([replace(p, message=f"{p.message} (the scores of {member.name!r}, "
                                     f"config.txt line {member.line})")
                             for p in error.problems]) from None
    letters = f"{issues[0].letter}–{issues[-1].letter}" if len(issues) > 1 else issues[0].letter
    if len(lines) != len(issues) + 1:
        at = lines[len(issues) + 1][0] if len(lines) > len(issues) + 1 else \
            (lines[-1][0] if lines else None)
        raise ScenarioError([Problem((), f"expected {len(issues) + 1} lines: the scores of "
                                     f"issues {letters} (one line each, as in {INSTRUCTIONS}) "
                                     f"and then the minimum threshold; got {len(lines)}",
                                     at, source)])
    preferences: dict[str, Any] = {}
    for issue, (number, text) in zip(issues, lines):
        cells = [cell.strip() for cell in text.rstrip(",").split(",")]
        scores = [_number(cell) for cell in cells]
        for cell, score in zip(cells, scores):
            if score is None or score < 0:
                problems.append(Problem((), f"issue {issue.letter}: expected a score (a number "
                                        f">= 0), got {cell!r}", number, source))
        if len(cells) != len(issue.options):
            problems.append(Problem((), f"issue {issue.letter} has {len(issue.options)} options "
                                    f"({issue.options[0].id}–{issue.options[-1].id}) in "
                                    f"{INSTRUCTIONS}; expected {len(issue.options)} "
                                    f"comma-separated scores, got {len(cells)}", number, source))
        if problems:
            continue
        best = max(scores)
        preferences[issue.letter] = {
            "salience": best,
            "valuations": {option.id: (score / best if best > 0 else 0.0)
                           for option, score in zip(issue.options, scores)},
            "certainty": "official",
        }
    number, text = lines[-1]
    threshold = _number(text.rstrip(","))
    if threshold is None:
        problems.append(Problem((), f"expected the minimum threshold (one number) on the last "
                                f"line, got {text!r}", number, source))
    if problems:
        raise ScenarioError(problems)
    return {"id": party_id, "name": member.name, "reservation": threshold,
            "reservation_rationale": f"minimum threshold of {SCORES}/{path.name}: a deal "
                                     "scoring below it is worse than no deal",
            "preferences": preferences}


def _initial_deal(path: Path, issues: list[_Issue],
                  problems: list[Problem]) -> dict[str, str | None] | None:
    """p1's opening deal (issue -> option), None when the game has no initial_deal.txt."""
    if not path.exists():
        return None
    source = str(path)
    try:
        lines = _lines(path)
    except ScenarioError as error:
        problems.extend(error.problems)
        return None
    known = {option.id: issue.letter for issue in issues for option in issue.options}
    chosen: dict[str, str | None] = {}
    for number, text in lines:
        for token in filter(None, re.split(r"[,;\s]+", text)):
            code = token.strip().upper()
            if code not in known:
                problems.append(Problem((), f"unknown option {token!r}; expected options such "
                                        f"as {', '.join(i.options[0].id for i in issues)}",
                                        number, source))
            elif chosen.get(known[code]):
                problems.append(Problem((), f"issue {known[code]} is given twice "
                                        f"({chosen[known[code]]} and {code})", number, source))
            else:
                chosen[known[code]] = code
    if not lines:
        problems.append(Problem((), "empty; expected p1's opening deal as comma-separated "
                                "options, e.g. A1,B1,C1", None, source))
    return {issue.letter: chosen.get(issue.letter) for issue in issues}


def _scenario(folder: Path, members: list[_Member], ids: list[str], issues: list[_Issue],
              preamble: list[str], parties: list[dict[str, Any]],
              deal: dict[str, str | None] | None) -> Scenario:
    """Validate the parts as a Scenario; problems name the folder."""
    role = {m.role: (m, party_id) for m, party_id in zip(members, ids) if m.role != "player"}
    (p1, p1_id), (p2, p2_id) = role["p1"], role["p2"]
    n = len(members)
    name = Path(os.path.abspath(folder)).name  # the name given, not a symlink's target
    intro = [line for line in preamble if not line.startswith("Each of you is an expert")]
    data: dict[str, Any] = {
        "id": safe_id(name, "llm-deliberation-game"),
        "title": _title(preamble, name),
        "description": (
            f"Game {name} of LLM-Deliberation ({PAPER}): {n} parties, {len(issues)} issues. "
            "A party's utility of a deal is its score in the game (salience = its highest "
            "score on an issue, valuation = score / highest), its reservation the game's "
            f"minimum threshold; a deal passes if at least {n - 1} of the {n} parties accept "
            f"it, {p1.name} (p1) and {p2.name} (p2) among them.\n\n" + "\n\n".join(intro)),
        "sources": [
            {"outlet": PAPER, "date": "2024", "url": "https://arxiv.org/abs/2309.17234",
             "certainty": "official", "ref": f"game:{name}"},
            {"outlet": "GitHub repository S-Abdelnabi/LLM-Deliberation (MIT licence)",
             "url": REPOSITORY, "certainty": "official",
             "ref": f"games_descriptions/{name}" if name in PUBLISHED else None},
        ],
        "issues": [{"id": issue.letter, "title": issue.title, "text": "\n".join(issue.lines)
                    or None, "options": [{"id": o.id, "label": o.label} for o in issue.options]}
                   for issue in issues],
        "parties": parties,
        "rule": {"at_least": n - 1, "required": [p1_id, p2_id],
                 "note": f"LLM-Deliberation: a deal passes if at least n - 1 = {n - 1} of the "
                         f"{n} parties agree, including p1 ({p1.name}) and p2 ({p2.name})"},
    }
    if deal is not None:
        data["drafts"] = [{
            "id": "initial-deal", "title": f"Opening deal of {p1.name} (p1)",
            "proposer": p1.name, "options": deal,
            "note": f"{INITIAL_DEAL}: the deal p1 proposes at the start of the negotiation"}]
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([replace(p, file=p.file or str(folder))
                             for p in error.problems]) from None


def _title(preamble: list[str], name: str) -> str:
    """The first sentence of the instructions, cut at a word within TITLE_LENGTH."""
    if not preamble:
        return f"LLM-Deliberation game {name}"
    sentence = re.split(r"(?<=[.!?])\s+", preamble[0], maxsplit=1)[0].rstrip(".").strip()
    if len(sentence) > TITLE_LENGTH:
        sentence = sentence[:TITLE_LENGTH].rsplit(" ", 1)[0] + " …"
    return sentence or f"LLM-Deliberation game {name}"
