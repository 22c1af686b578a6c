"""Evidence: the sources behind a claimed position."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from accord.model._base import PartialDate, Record


class Certainty(str, Enum):
    """How well a claim is attested."""

    OFFICIAL = "official"  # the party's own statement or document
    REPORTED = "reported"  # media report, leaked text, anonymous officials
    ALLEGED = "alleged"  # claimed but unverified (e.g. from memory, single partisan source)
    ESTIMATE = "estimate"  # an analyst's judgement or inference


class Evidence(Record):
    """One source for a position: who said it, when, where, and how sure we are."""

    outlet: str = Field(min_length=1)
    speaker: str | None = None
    """Who the source says holds or said it, as it names them (`Peskov`, `il Cremlino`)."""
    date: PartialDate | None = None
    url: str | None = None
    paraphrase: str | None = None
    certainty: Certainty = Certainty.REPORTED
    corroborated_by: tuple[str, ...] = ()
    ref: str | None = None
    """Where in the source data the item comes from (e.g. `plan:ukraine-28-point-2025-11#21`)."""
