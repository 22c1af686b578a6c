"""A published draft as a memorandum (Markdown or HTML), and the comparison of two drafts.

A memorandum is dated and carries the sha256 of its draft's canonical JSON (`draft_digest`),
so what was tabled can be shown later; the mediator's copy also records every delegation's
answers and their sha256 (`answers_digest`). Canonical JSON: keys sorted, no spaces,
UTF-8 (`canonical`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from markupsafe import escape

from accord.room.db import DraftRow


def _option_label(issue: dict, option: str | None) -> str:
    for candidate in issue["options"]:
        if candidate["id"] == option:
            return candidate["label"]
    return "(open)"


def canonical(value: Any) -> bytes:
    """JSON with sorted keys and no spaces, UTF-8: the bytes a digest is taken of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def draft_record(draft: DraftRow) -> dict[str, Any]:
    """What a draft's digest covers: number, title, publication time (UTC, seconds), points."""
    return {"number": draft.number, "title": draft.title, "points": draft.points,
            "published": draft.published_at.isoformat(timespec="seconds")}


def seat_name(member_id: int, roster: list[dict]) -> str:
    """A member's name in a memorandum: its name, with "#id" when another seat has the same
    one (a revoked seat and the one added in its place), so no answers overwrite others."""
    names = [m["name"] for m in roster]
    name = next((m["name"] for m in roster if m["id"] == member_id), f"#{member_id}")
    return f"{name} #{member_id}" if names.count(name) > 1 else name


def draft_digest(draft: DraftRow) -> str:
    return hashlib.sha256(canonical(draft_record(draft))).hexdigest()


def answers_digest(answers: dict[str, dict[str, dict]]) -> str:
    """sha256 of delegation name -> issue id -> {verdict, comment}."""
    return hashlib.sha256(canonical(answers)).hexdigest()


def memorandum_markdown(title: str, issues: list[dict], draft: DraftRow,
                        answers: dict[str, dict[str, dict]] | None = None) -> str:
    """The draft's points in order, each with the option it settles on and its text; with
    `answers` (the mediator's copy), every delegation's answers to it."""
    by_id = {i["id"]: i for i in issues}
    lines = [f"# {title}", "", f"## Draft {draft.number}: {draft.title}", "",
             f"Published {draft.published_at.isoformat(timespec='minutes')} UTC.", ""]
    for n, point in enumerate(draft.points, start=1):
        issue = by_id.get(point["issue"], {"title": point["issue"], "options": []})
        lines.append(f"{n}. **{issue['title']}**: {_option_label(issue, point['option'])}.")
        if point["text"]:
            lines.append(f"   {point['text']}")
    if answers is not None:
        lines += ["", "### Answers recorded", ""]
        for name, given in answers.items():
            for issue_id, answer in given.items():
                issue = by_id.get(issue_id, {"title": issue_id})
                comment = f" ({answer['comment']})" if answer["comment"] else ""
                lines.append(f"- {name}, {issue['title']}: {answer['verdict']}{comment}")
        lines += ["", f"Answers sha256: `{answers_digest(answers)}`"]
    lines += ["", f"Draft sha256: `{draft_digest(draft)}` (canonical JSON of its number, "
              "title, publication time and points)"]
    return "\n".join(lines) + "\n"


def memorandum_html(title: str, issues: list[dict], draft: DraftRow,
                    answers: dict[str, dict[str, dict]] | None = None) -> str:
    """The same memorandum as a standalone HTML page (every value escaped), styled with
    the room's stylesheet."""
    by_id = {i["id"]: i for i in issues}
    items = []
    for point in draft.points:
        issue = by_id.get(point["issue"], {"title": point["issue"], "options": []})
        text = f"<p>{escape(point['text'])}</p>" if point["text"] else ""
        items.append(f"<li><strong>{escape(issue['title'])}</strong>: "
                     f"{escape(_option_label(issue, point['option']))}.{text}</li>")
    recorded = ""
    if answers is not None:
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{escape(by_id.get(i, {'title': i})['title'])}</td>"
            f"<td>{escape(a['verdict'])}</td><td>{escape(a['comment'])}</td></tr>"
            for name, given in answers.items() for i, a in given.items())
        recorded = ("<h3>Answers recorded</h3><table><tr><th>Delegation</th><th>Point</th>"
                    f"<th>Answer</th><th>Comment</th></tr>{rows}</table>"
                    f"<p class=digest>Answers sha256: <code>{answers_digest(answers)}</code></p>")
    published = draft.published_at.isoformat(timespec="minutes")
    return ("<!doctype html><html lang=en><meta charset=utf-8><link rel=icon href=\"data:,\">"
            "<link rel=stylesheet href=\"/static/room.css\">"
            f"<title>{escape(title)} — draft {draft.number}</title>"
            f"<body class=memo><main><h1>{escape(title)}</h1>"
            f"<h2>Draft {draft.number}: {escape(draft.title)}</h2>"
            f"<p class=dated>Published {published} UTC.</p>"
            f"<ol>{''.join(items)}</ol>{recorded}"
            f"<p class=digest>Draft sha256: <code>{draft_digest(draft)}</code> (canonical JSON "
            "of its number, title, publication time and points)</p></main></body></html>")


WORDING_COMPARED = 2_000
"""Longest wording of a point compared word by word: the comparison page is open to every
member, observers included, and a word diff of two 20,000-character points on each of 200
points took 14 s."""


def compare_drafts(issues: list[dict], old: DraftRow, new: DraftRow) -> list[dict]:
    """Point by point (drafts share the issues, so points pair by issue): same or modified
    (option or wording), each with the old and new option label and wording; a changed
    wording is read by the product's plan comparison (`accord.compare.changes`: figures,
    names, qualifiers, negation, and the words replaced, deleted or inserted)."""
    from accord.compare.changes import point_changes

    before = {p["issue"]: p for p in old.points}
    rows = []
    for point in new.points:
        issue = next((i for i in issues if i["id"] == point["issue"]),
                     {"title": point["issue"], "options": []})
        prior = before.get(point["issue"], {"option": None, "text": ""})
        changed = prior["option"] != point["option"] or prior["text"] != point["text"]
        reasons, words = [], []
        if prior["option"] != point["option"]:
            reasons.append("option: " + _option_label(issue, prior["option"]) + " → "
                           + _option_label(issue, point["option"]))
        if prior["text"] != point["text"] and max(len(prior["text"]),
                                                  len(point["text"])) > WORDING_COMPARED:
            reasons.append(f"wording (longer than {WORDING_COMPARED:,} characters: not "
                           "compared word by word)")
        elif prior["text"] != point["text"]:
            changes = point_changes(prior["text"], point["text"])
            reasons.extend(changes.reasons() or ["wording"])
            words = [{"op": w.op, "before": w.before, "after": w.after} for w in changes.words]
        rows.append({"issue": issue["title"], "status": "modified" if changed else "same",
                     "old": _option_label(issue, prior["option"]), "old_text": prior["text"],
                     "new": _option_label(issue, point["option"]), "new_text": point["text"],
                     "reasons": reasons, "words": words})
    return rows
