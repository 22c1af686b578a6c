"""Tables that use the width there is and never cut a number or a name.

Rich shrinks a table that is too wide by cutting cells (`0.17…`) or folding words mid-way
(`donetsk-remainde r`). `fitted_table` sizes the columns itself instead: numbers are never
broken, names break only after a hyphen between letters or digits (`palestinian-` /
`authority`) or at spaces, prose columns keep a readable width; and when even that cannot
fit it returns None, so the caller can lay the same facts out as a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

Kind = Literal["number", "label", "prose"]
_HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")


@dataclass(frozen=True)
class Column:
    """One column: its header, and how its cells may be broken.

    `number`: cells are never broken (the header may be); `label`: names, broken after
    hyphens and at spaces, never inside a word; `prose`: like label, but kept at least
    `least` cells wide (a one-word-wide paragraph is unreadable).
    """

    header: str
    kind: Kind = "label"
    justify: Literal["left", "right", "center"] = "left"
    least: int = 0


Cell = str | Text


def _spans(line: str) -> list[tuple[int, int, int]]:
    """(start of the spaces before it, start, end) of each unbreakable piece of a line:
    words, split after their inner hyphens (`donetsk-remainder` -> `donetsk-`,
    `remainder`; `-0.17`, `+0.05` and `0.19–0.98` stay whole)."""
    spans = []
    for match in re.finditer(r"(\s*)(\S+)", line):
        start, end = match.span(2)
        cuts = [start] + [start + m.start() for m in _HYPHEN_BREAK.finditer(match.group(2))]
        for k, cut in enumerate(cuts):
            spans.append((match.start(1) if k == 0 else cut, cut,
                          cuts[k + 1] if k + 1 < len(cuts) else end))
    return spans


def break_text(cell: Cell, width: int) -> Text:
    """`cell` on lines of at most `width` cells, broken only between pieces (see `_spans`;
    a piece wider than `width` keeps a line of its own); styles are kept, the spaces at a
    break are dropped."""
    text = cell if isinstance(cell, Text) else Text(cell)
    plain, lines, origin = text.plain, [], 0
    for line in plain.split("\n"):
        begin, used = origin, 0
        for lead, start, end in _spans(line):
            lead, start, end = lead + origin, start + origin, end + origin
            if used and used + cell_len(plain[lead:end]) > width:
                lines.append(text[begin:lead])
                begin, used = start, cell_len(plain[start:end])
            else:
                used += cell_len(plain[(lead if used else begin):end])
        lines.append(text[begin:origin + len(line)])
        origin += len(line) + 1
    return Text("\n").join(lines) if len(lines) > 1 else text


def width_of(cell: Cell) -> int:
    """The widest line of a cell, in terminal cells."""
    plain = cell.plain if isinstance(cell, Text) else cell
    return max(cell_len(line) for line in plain.split("\n"))


def _narrowest(cell: Cell) -> int:
    """The widest unbreakable piece of a cell (a leading indent counts with its piece)."""
    plain = cell.plain if isinstance(cell, Text) else cell
    widths = [cell_len(line[(lead if k == 0 else start):end])
              for line in plain.split("\n")
              for k, (lead, start, end) in enumerate(_spans(line))]
    return max(widths, default=0)


def fitted_table(width: int, columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
                 section_ends: Sequence[int] = (), **table_options: Any) -> Table | None:
    """A table of `rows` at most `width` cells wide, or None when it cannot be that narrow
    without breaking a number, a word, or a prose column below its `least` width.

    Columns get their natural width when all fit; otherwise breakable columns shrink (in
    proportion to what they could give up) and their cells are broken between pieces.
    `section_ends`: indices of rows after which a section line is drawn.
    """
    natural, floor = [], []
    for c, column in enumerate(columns):
        cells = [row[c] for row in rows if c < len(row)]
        natural.append(max([width_of(column.header)] + [width_of(x) for x in cells]))
        least = _narrowest(column.header)
        for cell in cells:
            least = max(least, width_of(cell) if column.kind == "number" else _narrowest(cell))
        if column.kind == "prose":
            least = max(least, min(column.least, natural[-1]))
        floor.append(min(least, natural[-1]))
    room = width - _overhead(len(columns), table_options)
    if sum(floor) > room:
        return None
    widths = _shrink(natural, floor, [_GIVES_FIRST[c.kind] for c in columns], room)
    table = Table(**table_options)
    for column, w in zip(columns, widths):
        table.add_column(break_text(column.header, w), justify=column.justify, width=w,
                         no_wrap=True, overflow="fold")
    ends = set(section_ends)
    for k, row in enumerate(rows):
        cells = [break_text(cell, w) if column.kind != "number" else _text(cell)
                 for cell, column, w in zip(row, columns, widths)]
        table.add_row(*cells, end_section=k in ends)
    return table


def _text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


_GIVES_FIRST = {"prose": 0, "number": 1, "label": 2}
"""Which columns narrow first: prose (down to its `least`), then a number column's header,
then names."""


def _shrink(natural: list[int], floor: list[int], order: list[int], room: int) -> list[int]:
    """Widths between `floor` and `natural` summing to at most `room`: columns give up width
    by `order` (lowest first), within one order in proportion to how much each can."""
    widths = list(natural)
    for rank in sorted(set(order)):
        excess = sum(widths) - room
        if excess <= 0:
            break
        group = [k for k in range(len(widths)) if order[k] == rank]
        slack = {k: widths[k] - floor[k] for k in group}
        total = sum(slack.values())
        if total <= excess:
            for k in group:
                widths[k] = floor[k]
            continue
        cut = {k: (slack[k] * excess) // total for k in group}
        left = excess - sum(cut.values())
        for k in sorted(group, key=lambda k: -(slack[k] - cut[k])):  # the remainder
            if left and cut[k] < slack[k]:
                cut[k], left = cut[k] + 1, left - 1
        for k in group:
            widths[k] -= cut[k]
    return widths


def _overhead(n_columns: int, table_options: dict[str, Any]) -> int:
    """Cells a table of these options draws besides its columns' contents (edges, padding,
    dividers), measured on a probe table."""
    probe = Table(**table_options)
    for _ in range(n_columns):
        probe.add_column(width=1, no_wrap=True)
    probe.add_row(*["x"] * n_columns)
    probe.title = probe.caption = None
    measured = Console(width=10_000).measure(probe).maximum
    return measured - n_columns
