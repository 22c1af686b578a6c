"""What is asked of a seat at the table, and what it may reply.

A protocol asks with a *request*; a delegation (automated agent or human) answers with a
*reply*. Two requests exist:

- `Turn`: in an offer protocol, it is your turn; the standing offer (if any) is attached.
  Reply `Accept()` to accept it or `Offer(package)` to counter.
- `Consult`: in a mediated protocol, the mediator asks your view of a draft. Reply
  `Answers(stances, accept)`: one `Stance` per point and whether you would sign the
  draft as a whole. The mediator may also ask how the draft compares, for you, with an
  earlier text you were shown (`Consult.versus`): reply `Comparison` BETTER, SAME or
  WORSE in `Answers.versus` — the vote of Klein et al.'s single-text protocol (2003),
  where each party says whether it prefers the revised text to the current one.

The point-by-point vocabulary is the room's: accept / can live with / reject. Automated
delegations answer *sincerely* (`sincere_answers`):

- **accept**: the drafted option is already the party's best on this point (given the
  rest of the draft);
- **reject**: it crosses a red line (`red_line=True` is then said too), or what the party
  would gain by having this point its way is more than `REJECT_SHARE` of what the whole
  draft leaves it above its walk-away value (its surplus) — "on this point you ask us to
  give up too much of what the text gives us". A loss exactly at the threshold (within
  `TIE`, as scenarios with round numbers often put it) is lived with, so the answer
  never hangs on rounding;
- **can live with**: otherwise.

With its answers a delegation lists its *priorities*: the points it wants changed, most
important first (by what it would gain from each; losses equal within `TIE`, by point
number) — "our main objections are points 3 and 7" — which is how delegations criticise
a single negotiating text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from accord.negotiation.view import Package, PrivateView

REJECT_SHARE = 0.5
"""A point is rejected when its loss exceeds this share of the draft's surplus."""
TIE = 1e-9
"""Differences of utility below this share of the largest weight are no difference."""


class Stance(enum.IntEnum):
    """A delegation's answer on one point of a draft."""

    REJECT = 0
    CAN_LIVE_WITH = 1
    ACCEPT = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


class Comparison(enum.IntEnum):
    """How a draft compares, for the delegation, with an earlier text it was shown."""

    WORSE = -1
    SAME = 0
    BETTER = 1

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Turn:
    """Your turn in an offer protocol: accept the standing offer or make one."""

    time: float
    step: int
    offer: Package | None = None
    offered_by: int | None = None


@dataclass(frozen=True, slots=True)
class Consult:
    """The mediator asks for point-by-point answers on a draft."""

    time: float
    round: int
    draft: Package
    final: bool = False
    versus: Package | None = None
    """An earlier text this delegation was shown, to compare the draft with (optional)."""


@dataclass(frozen=True, slots=True)
class Accept:
    """Accept the standing offer."""


@dataclass(frozen=True, slots=True)
class Offer:
    """Propose a package."""

    package: Package


@dataclass(frozen=True, slots=True)
class Answers:
    """Point-by-point stances on a draft, the points that cross red lines, and whether
    the delegation would sign the draft as a whole."""

    stances: tuple[Stance, ...]
    accept: bool
    red_lines: tuple[bool, ...] = ()
    priorities: tuple[int, ...] = ()
    """The points the delegation wants changed, most important first (optional)."""
    versus: Comparison | None = None
    """The draft against `Consult.versus`, when the mediator asked (optional)."""


Request = Turn | Consult
Reply = Accept | Offer | Answers


def sincere_answers(view: PrivateView, draft: Package, accept_at: float | None = None,
                    versus: Package | None = None) -> Answers:
    """Truthful answers on a draft (see the module docstring). The draft is signed when it
    crosses no red line and is worth at least `accept_at` (default: the reservation); it
    is compared with `versus` when given."""
    offsets = view.agenda.offsets
    red = tuple(bool(view.veto[offsets[i] + o]) for i, o in enumerate(draft))
    utility = view.utility(draft)
    surplus = utility - view.reservation
    losses = view.point_losses(draft)
    scale = max(1e-12, float(abs(view.weights).max(initial=0.0))) * TIE
    stances = []
    for i in range(len(draft)):
        if red[i] or (losses[i] > scale and losses[i] > REJECT_SHARE * surplus + scale):
            stances.append(Stance.REJECT)
        elif losses[i] <= scale:
            stances.append(Stance.ACCEPT)
        else:
            stances.append(Stance.CAN_LIVE_WITH)
    threshold = view.reservation if accept_at is None else max(view.reservation, accept_at)
    accept = not any(red) and utility >= threshold - 1e-12
    wanted = [i for i in range(len(draft)) if losses[i] > scale and not red[i]]
    priorities = _by_loss(wanted, losses, scale)
    comparison = None
    if versus is not None:
        difference = utility - view.utility(versus)
        comparison = (Comparison.SAME if abs(difference) <= scale else
                      Comparison.BETTER if difference > 0 else Comparison.WORSE)
    return Answers(tuple(stances), accept, red, priorities, comparison)


def _by_loss(points: list[int], losses: np.ndarray, scale: float) -> tuple[int, ...]:
    """The points, largest loss first; losses each within `scale` of the next form a tie,
    listed by point number (so the order never hangs on rounding)."""
    ordered = sorted(points, key=lambda i: (-losses[i], i))
    groups: list[list[int]] = []
    for i in ordered:
        if groups and losses[groups[-1][-1]] - losses[i] <= scale:
            groups[-1].append(i)
        else:
            groups.append([i])
    return tuple(i for group in groups for i in sorted(group))
