"""Shared pydantic configuration of the domain types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=ID_PATTERN),
]
"""An id: letters, digits, `-`, `_` and `.`; no spaces and no `/` (used in references)."""

def _date_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value) if isinstance(value, int) else value


def _real_day(value: str) -> str:
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"no such day {value!r} ({error}); expected a date as "
                             "YYYY-MM-DD") from None
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_date_text),
    StringConstraints(pattern=DATE_PATTERN),
    AfterValidator(_real_day),
]
"""A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: sources are not always dated to the day."""

def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, got true/false "
                         "(YAML reads yes/no/on/off as true/false)")
    return value


Number = Annotated[float, BeforeValidator(_not_bool)]
Count = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=1_000_000)]
"""A count from 1 (e.g. of parties that must agree), never true/false."""
"""A float that refuses true/false (pydantic would read them as 1.0 and 0.0)."""
UnitInterval = Annotated[Number, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[Number, Field(ge=0.0, le=1e9)]
Finite = Annotated[Number, Field(ge=-1e9, le=1e9)]


class Record(BaseModel):
    """Immutable, strict about unknown fields, finite numbers only."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
    )
