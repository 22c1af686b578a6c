"""Plans and drafts: one option chosen per issue, with the plan's text and sources;
and plans as plan files give them (numbered points with annotations, no options)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from accord.model._base import Identifier, PartialDate, Record
from accord.model.evidence import Evidence
from accord.model.issue import TOPICS


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


CHANGES = ("same", "modified", "deleted", "new", "bracketed", "moved")
"""Values of a plan point's `change` annotation (data/plans/README.md)."""

PlanChange = Literal["same", "modified", "deleted", "new", "bracketed", "moved"]


class AnnotatedPoint(PlanPoint):
    """A point of a plan file: the text plus the annotations of the plan-file schema.

    `base_n` and `change` say how a revision treats the point of the plan it is
    `based_on`; they are the ground truth that `accord.compare` is measured against.
    """

    secondary_topics: tuple[str, ...] = ()
    subpoints: tuple[str, ...] = ()
    base_n: int | str | None = None
    change: PlanChange | None = None
    verification: str | None = None
    certainty: str | None = None
    order_uncertain: bool = False
    unresolved: bool = False
    document: str | None = None
    note: str | None = None

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, topic: str | None) -> str | None:
        if topic is not None and topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}; expected one of {', '.join(TOPICS)}")
        return topic

    @field_validator("secondary_topics")
    @classmethod
    def _known_topics(cls, topics: tuple[str, ...]) -> tuple[str, ...]:
        for topic in topics:
            cls._known_topic(topic)
        return topics


class PlanSource(Record):
    """Where a plan's text was found."""

    outlet: str = Field(min_length=1)
    date: PartialDate | None = None
    url: str | None = None
    note: str | None = None


class PlanDocument(Record):
    """One of several documents a plan file holds (its points say which by `document`)."""

    id: Identifier
    note: str | None = None


class Plan(Record):
    """A plan as numbered points with its metadata (the plan-file schema of
    data/plans/README.md); a scenario's `Draft` converts to one with `Plan.of_draft`."""

    id: Identifier
    title: str | None = None
    date: PartialDate | None = None
    proposer: str | None = None
    language: str = "en"
    status: str | None = None
    confidence: str | None = None
    based_on: Identifier | None = None
    modelled_on: Identifier | None = None
    related: tuple[Identifier, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[PlanSource, ...] = ()
    documents: tuple[PlanDocument, ...] = ()
    points: tuple[AnnotatedPoint, ...] = Field(min_length=1)

    @classmethod
    def of_draft(cls, draft: Draft) -> Plan:
        """The text of a scenario's draft as a plan (its points without annotations)."""
        points = tuple(AnnotatedPoint(n=p.n, text=p.text, topic=p.topic) for p in draft.points)
        return cls(id=draft.id, title=draft.title, date=draft.date, proposer=draft.proposer,
                   language=draft.language, status=draft.status, points=points)

    def point(self, n: int | str) -> AnnotatedPoint:
        """The point numbered `n` (KeyError when absent)."""
        for point in self.points:
            if str(point.n) == str(n):
                return point
        raise KeyError(n)
