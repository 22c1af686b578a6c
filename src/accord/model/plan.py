"""Plans and drafts: one option chosen per issue, with the plan's text and sources."""

from __future__ import annotations

from pydantic import Field

from accord.model._base import Identifier, PartialDate, Record
from accord.model.evidence import Evidence


class PlanPoint(Record):
    """One numbered point of a plan's text (a paraphrase)."""

    n: int | str
    text: str = Field(min_length=1)
    topic: str | None = None


class Draft(Record):
    """A plan over the scenario's issues: the option it picks on each issue.

    `options` maps issue id -> option id; `None` means the text is silent, bracketed
    or not reported on that issue.
    """

    id: Identifier
    title: str | None = None
    date: PartialDate | None = None
    proposer: str | None = None
    language: str = "en"
    status: str | None = None
    sources: tuple[Evidence, ...] = ()
    points: tuple[PlanPoint, ...] = ()
    options: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    note: str | None = None

    def label(self) -> str:
        """A short name for tables."""
        return self.id
