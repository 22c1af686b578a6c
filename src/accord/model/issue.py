"""Issues (the points of a plan) and their options."""

from __future__ import annotations

from pydantic import Field

from accord.model._base import Identifier, Number, Record

TOPICS = (
    "sovereignty", "territory", "security-guarantees", "ceasefire", "military-limits",
    "alliances", "sanctions", "economy-reconstruction", "frozen-assets", "humanitarian",
    "prisoners", "amnesty-justice", "elections-governance", "language-religion-minorities",
    "nuclear-energy", "monitoring-implementation", "other",
)
"""Topic vocabulary of the plan data (PA-X style, see data/plans/README.md)."""


class Option(Record):
    """One way an issue can be settled."""

    id: Identifier
    label: str = Field(min_length=1)
    position: Number | None = Field(default=None, ge=0.0, le=100.0)
    """Place on the 0-100 line of spatial models (0 and 100 are the two extremes)."""
    proposed_by: tuple[str, ...] = ()


class Issue(Record):
    """A point of a plan with a finite set of options."""

    id: Identifier
    title: str = Field(min_length=1)
    topic: str = "other"
    secondary_topics: tuple[str, ...] = ()
    text: str | None = None
    language: str = "en"
    options: tuple[Option, ...] = Field(min_length=1)
    default_if_silent: str | None = None
    """The option a text implies by saying nothing about the issue."""
    note: str | None = None
    plan_refs: tuple[str, ...] = ()

    def option_ids(self) -> list[str]:
        """Ids of the options, in order."""
        return [option.id for option in self.options]

    def option_index(self, option_id: str) -> int:
        """Position of an option in `options`; KeyError when absent."""
        for index, option in enumerate(self.options):
            if option.id == option_id:
                return index
        raise KeyError(option_id)
