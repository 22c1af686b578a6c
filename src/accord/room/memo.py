"""A published draft as a memorandum (Markdown or HTML), and the comparison of two drafts."""

from __future__ import annotations

from markupsafe import escape

from accord.room.db import DraftRow


def _option_label(issue: dict, option: str | None) -> str:
    for candidate in issue["options"]:
        if candidate["id"] == option:
            return candidate["label"]
    return "(open)"


def memorandum_markdown(title: str, issues: list[dict], draft: DraftRow) -> str:
    """The draft's points in order, each with the option it settles on and its text."""
    by_id = {i["id"]: i for i in issues}
    lines = [f"# {title}", "", f"## Draft {draft.number}: {draft.title}", "",
             f"Published {draft.published_at.isoformat(timespec='minutes')} UTC.", ""]
    for n, point in enumerate(draft.points, start=1):
        issue = by_id.get(point["issue"], {"title": point["issue"], "options": []})
        lines.append(f"{n}. **{issue['title']}**: {_option_label(issue, point['option'])}.")
        if point["text"]:
            lines.append(f"   {point['text']}")
    return "\n".join(lines) + "\n"


def memorandum_html(title: str, issues: list[dict], draft: DraftRow) -> str:
    """The same memorandum as a standalone HTML page (every value escaped)."""
    by_id = {i["id"]: i for i in issues}
    items = []
    for point in draft.points:
        issue = by_id.get(point["issue"], {"title": point["issue"], "options": []})
        text = f"<p>{escape(point['text'])}</p>" if point["text"] else ""
        items.append(f"<li><strong>{escape(issue['title'])}</strong>: "
                     f"{escape(_option_label(issue, point['option']))}.{text}</li>")
    return ("<!doctype html><html lang=en><meta charset=utf-8><link rel=icon href=\"data:,\">"
            f"<title>{escape(title)} — draft {draft.number}</title>"
            f"<h1>{escape(title)}</h1><h2>Draft {draft.number}: {escape(draft.title)}</h2>"
            f"<ol>{''.join(items)}</ol></html>")


def compare_drafts(issues: list[dict], old: DraftRow, new: DraftRow) -> list[dict]:
    """Point by point (drafts share the issues): same, modified (option or text), each with
    the old and new option label and text."""
    before = {p["issue"]: p for p in old.points}
    rows = []
    for point in new.points:
        issue = next((i for i in issues if i["id"] == point["issue"]),
                     {"title": point["issue"], "options": []})
        prior = before.get(point["issue"], {"option": None, "text": ""})
        changed = prior["option"] != point["option"] or prior["text"] != point["text"]
        rows.append({"issue": issue["title"], "status": "modified" if changed else "same",
                     "old": _option_label(issue, prior["option"]), "old_text": prior["text"],
                     "new": _option_label(issue, point["option"]), "new_text": point["text"]})
    return rows
