"""The room's SQL per request is fixed: it does not grow with points, delegations or history.

Counted with a `before_cursor_execute` listener on the app's engine (transaction control —
BEGIN, COMMIT, SAVEPOINT — left out, so both databases count alike), on SQLite and
PostgreSQL. A change that adds a query per point, per delegation or per event fails here
(issue 16: an 8-point answer used to cost 20 statements).
"""

from __future__ import annotations

import contextlib

import pytest
from room_helpers import Person  # and its `app` fixture (SQLite and PostgreSQL), a plugin
from sqlalchemy import event

PINNED = {"state": 3, "answer": 4, "publish": 5, "mediator page": 10, "delegation page": 6,
          "history": 3, "history page": 3}
"""Statements per route (at most; raise one only with a reason in the commit). An answer:
the sign-in, the draft, one INSERT .. ON CONFLICT for all its points, the event. Publishing:
the sign-in, the newest number, the draft, the event, and on PostgreSQL its pg_notify (live
updates). The mediator's page: sign-in, current draft, roster, the draft and its answers,
the delegations' preferences for the engine and for the shared view, the agreed text's
answers counted per draft (the last 50 drafts, issue 17), the last events and the names
they carry. A delegation's page: sign-in, current draft, roster, its answers, and the
delegations' preferences for the engine (what of its demands block a deal, issue 17).
(A negotiation's title and issues never change: each process reads
them once.)"""


@contextlib.contextmanager
def counted(app):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT",
                                                     "RELEASE", "ROLLBACK")):
            seen.append(statement)

    event.listen(app.state.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(app.state.db.engine, "before_cursor_execute", count)


def _room(app, points: int, delegations: int):
    issues = "\n".join(f"Point {k}: yes; no; later" for k in range(1, points + 1))
    mediator = Person(app)
    mediator.open(issues=issues)
    people = [Person(app).join(mediator.invite(f"D{k}")) for k in range(delegations)]
    for person in people:  # so the mediator's and the delegations' pages run the engine
        assert person.post("api/preferences", {"reservation": 0.1, "preferences": {
            f"point-{k}": {"salience": 1, "valuations": {"yes": 1, "no": 0, "later": 0.5}}
            for k in range(1, points + 1)}}).status_code == 200
    for k in range(3):
        assert mediator.post("api/drafts", {"title": f"Draft {k}", "options": {}}).status_code \
            == 200
    return mediator, people


def _costs(app, points: int, delegations: int) -> dict[str, int]:
    mediator, people = _room(app, points, delegations)
    delegation = people[0]
    answers = {f"point-{k}": {"verdict": "accept", "comment": "fine"}
               for k in range(1, points + 1)}
    calls = {
        "state": lambda: delegation.get("api/state"),
        "answer": lambda: delegation.post("api/drafts/3/answers", answers),
        "publish": lambda: mediator.post("api/drafts", {"title": "Next", "options": {}}),
        "mediator page": lambda: mediator.get(""),
        "delegation page": lambda: delegation.get(""),
        "history": lambda: mediator.get("api/history"),
        "history page": lambda: mediator.get("history"),
    }
    costs = {}
    for name, call in calls.items():
        assert call().status_code == 200, name  # the first call may warm caches
        with counted(app) as seen:
            response = call()
        assert response.status_code == 200, (name, response.text)
        costs[name] = len(seen)
    return costs


def test_statements_per_route_are_pinned(app):
    costs = _costs(app, points=18, delegations=3)
    over = {name: (cost, PINNED[name]) for name, cost in costs.items() if cost > PINNED[name]}
    assert not over, f"more statements than pinned (got, pinned): {over}"


@pytest.mark.parametrize("database", ["sqlite"])
def test_statements_do_not_grow_with_points_delegations_or_history(tmp_path, database):
    from room_helpers import room_for

    for name in ("small", "large"):
        (tmp_path / name).mkdir()
    small = room_for(database, tmp_path / "small", None)
    large = room_for(database, tmp_path / "large", None)
    few, many = _costs(small, points=2, delegations=1), _costs(large, points=30, delegations=8)
    assert few == many
