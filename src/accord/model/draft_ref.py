"""Naming drafts the way people read them: the short names tables show, and the references
a user types (`--focus europe-24-point`, `--draft D3`, a unique prefix) mapped back to a draft.

Every command that takes a draft (or plan) reference resolves it here, so what the output
shows is always something the input accepts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.errors import UsageError
from accord.model.plan import Draft
from accord.model.scenario import Scenario

_DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}(-\d{2})?$")
_CODE = re.compile(r"d(\d+)")


def short_name(draft_id: str) -> str:
    """A draft id without its trailing `-YYYY-MM` or `-YYYY-MM-DD` date: the name tables show."""
    return _DATE_SUFFIX.sub("", draft_id)


def match_name(reference: str, ids: Sequence[str]) -> list[str]:
    """The ids `reference` may mean, best evidence first (one id when it is unambiguous).

    Case-insensitive, in this order: an exact id; an exact short name (`short_name`); a
    report code `D<k>` (the k-th id, as the report numbers drafts); a prefix of ids. The
    first rule that matches anything decides; an empty list means no id matches.
    """
    wanted = reference.strip().lower()
    if not wanted:
        return []
    lowered = [(i, i.lower()) for i in ids]
    for rule in (lambda low: low == wanted, lambda low: short_name(low) == wanted):
        found = [i for i, low in lowered if rule(low)]
        if found:
            return found
    code = _CODE.fullmatch(wanted)
    if code and 1 <= int(code.group(1)) <= len(ids):
        return [ids[int(code.group(1)) - 1]]
    return [i for i, low in lowered if low.startswith(wanted)]


def find_draft(scenario: Scenario, reference: str) -> Draft | None:
    """The draft `reference` names unambiguously (see `match_name`), or None."""
    found = match_name(reference, [d.id for d in scenario.drafts])
    return scenario.draft(found[0]) if len(found) == 1 else None


def resolve_draft(scenario: Scenario, reference: str, option: str = "draft") -> Draft:
    """The draft a user's `reference` names: its id, the short name tables show, the report's
    code `D<k>`, or a unique prefix (case-insensitive).

    Raises UsageError, naming `option` and listing the drafts with their names, when the
    reference is unknown or could mean several drafts.
    """
    ids = [d.id for d in scenario.drafts]
    found = match_name(reference, ids)
    if len(found) == 1:
        return scenario.draft(found[0])
    if not ids:
        raise UsageError(f"{option}: scenario {scenario.id} has no drafts, so no draft "
                         f"{reference!r} to show")
    if found:
        head = f"{option}: {reference!r} could mean {' or '.join(found)}"
    else:
        head = f"{option}: no draft {reference!r} in {scenario.id}"
    raise UsageError(f"{head}. Give a draft's id, the name the tables show, a unique prefix "
                     "or the report's code (case does not matter):\n"
                     + draft_listing(scenario.drafts))


def draft_listing(drafts: Sequence[Draft]) -> str:
    """A small table, one line per draft: the report's code, the short name tables show, and
    the id."""
    width = max([len("name")] + [len(short_name(d.id)) for d in drafts])
    rows = [("code", "name", "id")] + [(f"D{k}", short_name(d.id), d.id)
                                       for k, d in enumerate(drafts, 1)]
    return "\n".join(f"  {code:<4} {name:<{width}}  {ident}" for code, name, ident in rows)
