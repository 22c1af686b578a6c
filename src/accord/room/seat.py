"""An agent in a delegation's seat of a room, over the room's own HTTP interface.

A seat is taken the way a person takes it: the invitation link is opened, the join form
sent, and from then on the agent reads the room's state and answers each new draft with the
JSON API (`api/state`, `api/drafts/{k}/answers`, `api/drafts/{k}/whole`). The agent is any
`Delegation` of `accord.negotiation` (`sincere`, `boulware`, …), the same interface
`accord simulate`, `practise` and `replay` seat; it answers from its own private view (a
scenario's party), never shown to the room. A mediator can so rehearse a negotiation in the
room, with agents in some or all seats, before holding it (`accord seat`).

What it sends for a draft: a verdict per drafted point (a rejection that crosses the
party's red line says so), and on the draft as a whole whether it could sign it, how it
compares with the earlier draft the mediator named (when the agent was shown that draft)
and the points it wants changed, most important first. Points a draft leaves open are
answered as `replay.OpenPoints` does: the agent judges the text completed its own way and
can live with the open points; a text with open points is not signed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.moves import Answers, Comparison, Consult, Stance
from accord.negotiation.replay import OPEN, OpenPoints
from accord.negotiation.session import one_blas_thread
from accord.negotiation.view import PrivateView



class RoomSeat:
    """A signed-in delegation seat of one room, answering drafts with an agent."""

    def __init__(self, client: httpx.Client, negotiation: str, agent: Delegation,
                 view: PrivateView, rng: np.random.Generator, deadline: int = 50) -> None:
        self.client, self.negotiation, self.view = client, negotiation, view
        self.agent, self.deadline = OpenPoints(agent), max(1, deadline)
        self.agent.start(view, rng)
        self.state = self._get("api/state")
        if self.state.get("role") != "delegation":
            raise UsageError(f"the link signs in as {self.state.get('role')!r}, not as a "
                             "delegation: only a delegation's seat can be taken by an agent")
        self.csrf = self.state["csrf"]
        self._check_agenda(self.state["issues"])
        self.answered: set[int] = set()
        self.shown: set[int] = set()

    @classmethod
    def join(cls, link: str, agent: Delegation, view: PrivateView, rng: np.random.Generator,
             client: httpx.Client | None = None, deadline: int = 50) -> RoomSeat:
        """Take the seat an invitation link opens (as a browser would: the join form)."""
        if client is None:  # the room's address: the link up to /join/ (a path prefix too)
            origin = re.match(r"(https?://[^/]+(?:/[^?#]*?)?)/join/[^/?#]+$", link)
            if origin is None:
                raise UsageError(f"{link}: expected the invitation link the mediator gave "
                                 "(http://host/join/…)")
            client = httpx.Client(base_url=origin.group(1), timeout=60)
        page = client.get(link)
        token = re.search(r'name="token" value="([^"]+)"', page.text)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        if page.status_code != 200 or not token or not csrf:
            raise UsageError(f"{link}: not an open invitation (HTTP {page.status_code}); "
                             "ask the mediator for a new link")
        joined = client.post("join", data={"csrf": csrf.group(1), "token": token.group(1)},
                             follow_redirects=False)
        found = re.search(r"/n/([A-Za-z0-9_\-]+)$", joined.headers.get("location", ""))
        if joined.status_code != 303 or not found:
            raise UsageError(f"{link}: the room did not seat the agent (HTTP "
                             f"{joined.status_code}): {_reason(joined)}")
        return cls(client, found.group(1), agent, view, rng, deadline)

    def _check_agenda(self, issues: list[dict]) -> None:
        """The room's issues and options must be the scenario's, in the same order."""
        agenda = self.view.agenda
        ids = [i["id"] for i in issues]
        if ids != list(agenda.issue_ids):
            raise UsageError("the room's points are not the scenario's: room "
                             f"{', '.join(ids)}; scenario {', '.join(agenda.issue_ids)}")
        for issue, options in zip(issues, agenda.option_ids):
            room = [o["id"] for o in issue["options"]]
            if room != list(options):
                raise UsageError(f"point {issue['id']}: the room's options "
                                 f"({', '.join(room)}) are not the scenario's "
                                 f"({', '.join(options)})")

    def _get(self, path: str) -> Any:
        return _json(self.client.get(f"n/{self.negotiation}/{path}"), path)

    def _post(self, path: str, body: Any) -> Any:
        return _json(self.client.post(f"n/{self.negotiation}/{path}", json=body,
                                      headers={"x-csrf-token": self.csrf}), path)

    def answer_current(self) -> int | None:
        """Answer the current draft if it is new to this seat; its number, or None."""
        self.state = self._get("api/state")
        current = self.state.get("current")
        if current is None or current["number"] in self.answered:
            return None
        number = current["number"]
        package = self._package(current["points"])
        versus = None
        if current.get("versus") in self.shown:
            earlier = self._get(f"api/drafts/{current['versus']}")
            versus = self._package(earlier["points"])
            versus = None if OPEN in versus else versus
        with one_blas_thread():
            reply = self.agent.decide(Consult(min(1.0, (number - 1) / self.deadline),
                                              number - 1, package, False, versus))
        if not isinstance(reply, Answers):
            raise UsageError(f"{self.agent.name} did not answer the draft point by point")
        self._send(number, current["points"], package, reply, versus is not None)
        self.answered.add(number)
        self.shown.add(number)
        return number

    def _package(self, points: list[dict]) -> tuple[int, ...]:
        agenda = self.view.agenda
        chosen = {p["issue"]: p["option"] for p in points}
        return tuple(OPEN if not chosen.get(issue) else options.index(chosen[issue])
                     for issue, options in zip(agenda.issue_ids, agenda.option_ids))

    def _send(self, number: int, points: list[dict], package: tuple[int, ...],
              reply: Answers, compared: bool) -> None:
        issues = self.view.agenda.issue_ids
        red = reply.red_lines or (False,) * len(issues)
        answers = {issue: {"verdict": Stance(int(reply.stances[i])).label,
                           "red_line": bool(red[i]) and int(reply.stances[i]) == 0}
                   for i, issue in enumerate(issues) if package[i] != OPEN}
        self._post(f"api/drafts/{number}/answers", answers)
        self._post(f"api/drafts/{number}/whole", {
            "sign": bool(reply.accept) if OPEN not in package else None,
            "compared": Comparison(int(reply.versus)).label if compared and reply.versus is not None
            else None,
            "priorities": [issues[i] for i in reply.priorities if package[i] != OPEN]})

    def sit(self, drafts: int | None = None, poll: float = 1.0, patience: float | None = None,
            said: Callable[[str], None] = lambda _: None) -> int:
        """Answer each new draft as it is published, until `drafts` are answered or no new
        draft came for `patience` seconds (None: wait on); returns how many were answered.
        `said` is told of each answer (for a progress line)."""
        waited, count = 0.0, 0
        while drafts is None or count < drafts:
            number = self.answer_current()
            if number is not None:
                count, waited = count + 1, 0.0
                said(f"answered draft {number}")
                continue
            if patience is not None and waited >= patience:
                break
            time.sleep(poll)
            waited += poll
        return count


def _reason(response: httpx.Response) -> str:
    """The room's own words for a refusal (its JSON `error`), else the start of the body."""
    try:
        detail = response.json().get("error")
    except (ValueError, AttributeError):
        detail = None
    return str(detail or response.text)[:300]


def _json(response: httpx.Response, path: str) -> Any:
    if response.status_code >= 400:
        raise UsageError(f"the room refused {path}: HTTP {response.status_code}: "
                         f"{_reason(response)}")
    return response.json()
