"""Hard constraints between options ("option X of point 3 requires option Y of point 7")."""

from __future__ import annotations

from pydantic import model_validator

from accord.model._base import Record


class Constraint(Record):
    """`option` requires `requires`, or `option` excludes `excludes` (exactly one of the two)."""

    option: str
    requires: str | None = None
    excludes: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Constraint:
        if (self.requires is None) == (self.excludes is None):
            raise ValueError("give exactly one of 'requires' or 'excludes'")
        return self

    @property
    def other(self) -> str:
        """The option referred to by `requires` or `excludes`."""
        return self.requires if self.requires is not None else self.excludes  # type: ignore[return-value]
