"""Parties and their preferences over options."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from accord.model._base import Finite, Identifier, NonNegative, Number, Record, UnitInterval
from accord.model.evidence import Certainty, Evidence

Position = Annotated[Number, Field(ge=0.0, le=100.0)]
"""A place on an issue's 0-100 line."""


class IssuePreference(Record):
    """How a party weighs one issue and values each of its options."""

    salience: NonNegative
    valuations: dict[str, UnitInterval]
    """Option id -> value in [0, 1]; every option of the issue must be valued."""
    red_lines: tuple[str, ...] = ()
    """Options the party vetoes outright."""
    certainty: Certainty = Certainty.ESTIMATE
    evidence: tuple[Evidence, ...] = ()
    rationale: str | None = None


class OptionRef(Record):
    """A reference `issue-id/option-id`, parsed."""

    issue: Identifier
    option: Identifier

    @classmethod
    def parse(cls, text: str) -> OptionRef:
        """Parse `issue/option`; ValueError when the form is wrong."""
        issue, sep, option = str(text).partition("/")
        if not sep or not issue or not option:
            raise ValueError(f"expected 'issue-id/option-id', got {text!r}")
        return cls(issue=issue, option=option)

    def __str__(self) -> str:
        return f"{self.issue}/{self.option}"


class Interaction(Record):
    """A bonus (or, if negative, a penalty) when two options come together."""

    a: str
    b: str
    value: Finite
    note: str | None = None


class Term(Record):
    """A value a party gets when a package falls inside a box of options: every point in
    `when` takes one of the options listed for it (a GENIUS hyper-rectangle). With
    `outside`, the value comes when the package is outside the box instead (some listed
    point takes an option not listed: GENIUS's EXCLUDES rectangles)."""

    value: Finite
    when: Annotated[dict[str, Annotated[tuple[str, ...], Field(min_length=1)]],
                    Field(min_length=1)]
    """Issue id -> the options (any of them) the issue must take."""
    outside: bool = False
    note: str | None = None


class Party(Record):
    """A negotiating party: power, fallback, preferences and red lines."""

    id: Identifier
    name: str = Field(min_length=1)
    capability: NonNegative = 1.0
    """Relative power weight (used by asymmetric Nash and the forecasting models)."""
    weights: dict[str, NonNegative] = {}
    """Named weights a decision rule may count (votes, population): name -> amount."""
    reservation: Finite = 0.0
    """Utility of no agreement (BATNA), on the party's utility scale."""
    capability_rationale: str | None = None
    reservation_rationale: str | None = None
    discount_factor: UnitInterval = 1.0
    """GENIUS discount factor d: at normalised time t in [0, 1] utilities (and the
    reservation value) are worth u * d**t. 1 = no discounting; static analysis uses t = 0."""
    preferences: dict[str, IssuePreference] = {}
    """Issue id -> preference; an issue left out has salience 0 for this party."""
    interactions: tuple[Interaction, ...] = ()
    terms: tuple[Term, ...] = ()
    """Values over several points at once (see `Term`); added to the additive utility."""
    positions: dict[str, Position] = {}
    """Issue id -> the party's ideal point on the issue's 0-100 line (spatial models). When
    absent, forecasting takes the position of the party's best-valued option."""
