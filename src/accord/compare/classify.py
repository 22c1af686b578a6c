"""What became of each point: carried over, modified, moved, new, dropped, bracketed or
moved out (to another text).

The rules, in order, for a point of B:

1. no counterpart in A: **new**;
2. its opening clause is an editor's note on the whole point ("… is dropped", "… left in
   brackets", "… moved to a separate track") that A's counterpart does not already make:
   **dropped**, **bracketed** or **moved-out**;
3. one of several pieces of a split point, or one text for several merged points:
   **modified**;
4. a figure, a named state, organisation, place or person, a scope or timing qualifier or
   a negation differs, the text flags a change (a negated note, "instead of", a partial
   deletion, "are strengthened"), or the pair fits only loosely (score below
   `LOOSE_FIT`): **modified**;
5. out of order relative to the other one-to-one pairs: **moved**;
6. otherwise **carried-over**.

A point of A with no counterpart is **dropped**, or **not-mentioned** when B is a list of
reported changes rather than a full text.
"""

from __future__ import annotations

from typing import Literal

from accord.compare.align import Link
from accord.compare.changes import PointChanges
from accord.compare.cues import editorial_status

Status = Literal["carried-over", "moved", "modified", "bracketed", "moved-out", "dropped",
                 "not-mentioned", "new"]
STATUSES: tuple[Status, ...] = ("carried-over", "moved", "modified", "bracketed", "moved-out",
                                "dropped", "not-mentioned", "new")

LOOSE_FIT = 0.6
"""A one-to-one pair scoring below this has been rewritten, whatever else it keeps."""


def status_of_b(link: Link, b_text: str, a_text: str, changes: PointChanges | None,
                moved: bool) -> Status:
    """The status of a point of B linked to A's points by `link` (`a_text`: theirs)."""
    if link.relation == "none":
        return "new"
    note = editorial_status(b_text)
    if note is not None and note != editorial_status(a_text):  # news only if A did not say it
        return note
    if link.relation in ("split", "merge") or link.score < LOOSE_FIT:
        return "modified"
    if changes is not None and changes.reasons():
        return "modified"
    return "moved" if moved else "carried-over"


def status_of_unlinked_a(b_lists_changes_only: bool) -> Status:
    """The status of a point of A that nothing in B refers to."""
    return "not-mentioned" if b_lists_changes_only else "dropped"
