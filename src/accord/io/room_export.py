"""Reading a negotiation room's export: the JSON its mediator downloads (`accord serve`),
replayed by `accord.negotiation.replay`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.errors import UsageError


def read_room_export(path: Path) -> Any:
    """The export's data; a clear error naming the file (and line) when it cannot be read
    or is not JSON. Its content is checked field by field by `RoomRecord.from_export`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot read the export ({error.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a text file (expected the room's JSON export)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: line {error.lineno}, column {error.colno}: not JSON "
                         f"({error.msg})") from None
