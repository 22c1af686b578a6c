"""Issues (the points of a plan) and their options."""

from __future__ import annotations

from pydantic import Field, field_validator

from accord.model._base import Finite, Identifier, Number, Record

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
    reference_point: Number | None = Field(default=None, ge=0.0, le=100.0)
    """Status quo (reversion point) on the issue's 0-100 line, where known; the
    disagreement point of the spatial Nash bargaining solution."""
    outcome: Number | None = Field(default=None, ge=0.0, le=100.0)
    """The decision actually taken, on the 0-100 line (for validating forecasts)."""
    scale: tuple[Finite, Finite] | None = None
    """The issue's native values at 0 and at 100 (e.g. years `[4, 10]`), to report
    forecasts in the units of the source."""
    dossier: str | None = None
    """Issues with the same dossier are negotiated together (the exchange model trades
    between them only); issues without one form one dossier."""

    @field_validator("scale")
    @classmethod
    def _scale_has_length(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] == value[1]:
            raise ValueError("the values at 0 and at 100 must differ")
        return value

    def option_ids(self) -> list[str]:
        """Ids of the options, in order."""
        return [option.id for option in self.options]

    def option_index(self, option_id: str) -> int:
        """Position of an option in `options`; KeyError when absent."""
        for index, option in enumerate(self.options):
            if option.id == option_id:
                return index
        raise KeyError(option_id)
