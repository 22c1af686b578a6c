"""A negotiation run on answers alone (issue 17, part 2), on SQLite and PostgreSQL.

Four agent delegations take their seats of a ukraine-2025 room through their invitation
links (`room.seat.RoomSeat`: the join form, then the JSON API, as a person's browser
would), enter no preferences and only answer; the mediator asks the engine for each next
draft (`api/propose`: the engine mediator learning from answers) and publishes it. With
both Donetsk red lines relaxed in the agents' own preferences, a text with at least 98% of
the Nash product is reached within 50 drafts (the issue's goal), and the best text so far,
asked for the last two drafts, keeps at least 90%. Also: the answers on a draft as a whole are
validated at the door and private to their delegation and the mediator; the proposal is
the same after a restart (replayed from the record)."""

from __future__ import annotations

import re

import numpy as np
from fastapi.testclient import TestClient

from accord.analysis import compile_space, relax
from accord.analysis.space import Demand
from accord.io import resolve
from accord.negotiation import make_agent
from accord.negotiation.transcript import nash_share, references
from accord.negotiation.view import agenda_of, view_of
from accord.room import answers_mediator
from accord.room.seat import RoomSeat
from room_helpers import Person, app, postgres_url  # noqa: F401 (fixtures)

DONETSK = "donetsk-remainder"


def relaxed_ukraine():
    space = compile_space(resolve("ukraine-2025"))
    donetsk = space.issue_ids.index(DONETSK)
    return relax(space, tuple(Demand(space.party_ids.index(p), "red-line", donetsk)
                              for p in ("russia", "ukraine")))


def answers_only_room(app, space) -> tuple[Person, dict[str, RoomSeat]]:
    """The mediator of a ukraine-2025 room, and an agent (sincere) in each delegation's
    seat, with its party's relaxed preferences kept on its side."""
    mediator = Person(app)
    mediator.open_shipped("ukraine-2025")
    agenda, seats = agenda_of(space), {}
    for k, seat in enumerate(s for s in mediator.state["roster"] if s["role"] == "delegation"):
        page = mediator.form(f"members/{seat['id']}/invite", {}).text
        link = re.search(r"(/join/[\w-]+)", page).group(1)
        view = view_of(space, space.party_ids.index(seat["party"]), agenda)
        seats[seat["party"]] = RoomSeat.join(link, make_agent("sincere"), view,
                                             np.random.default_rng(k), client=TestClient(app))
    return mediator, seats


def package_of(space, options: dict[str, str]) -> tuple[int, ...]:
    return tuple(space.option_ids[i].index(options[issue])
                 for i, issue in enumerate(space.issue_ids))


def test_agents_reach_the_nash_package_on_answers_alone(app):
    space = relaxed_ukraine()
    refs = references(space)
    mediator, seats = answers_only_room(app, space)
    assert mediator.get("api/zone").json()["verdict"] == "incomplete"
    shares = []
    for number in range(1, 51):
        proposal = mediator.post("api/propose", params={"best": number > 48})
        assert proposal.status_code == 200, proposal.text
        proposal = proposal.json()
        assert proposal["basis"] == "answers" and proposal["package"]
        published = mediator.post("api/drafts", {"title": f"Draft {number}",
                                                 "options": proposal["package"],
                                                 "versus": proposal["versus"]})
        assert published.json() == {"number": number}, published.text
        for seat in seats.values():
            assert seat.answer_current() == number
        shares.append(nash_share(space, package_of(space, proposal["package"]), refs))
    # a text with 98% of the Nash product is reached within 50 drafts; the text the
    # engine rates best at the end is not always that one (docs/room.md: 0.92 to 1.00
    # over seeds 0-4; the shipped seed gives 0.92): answers leave near-ties open
    assert max(shares) >= 0.98, f"best share {max(shares):.3f} in 50 drafts: {shares}"
    assert shares[-1] >= 0.9, f"the best text so far: {shares[-1]:.3f}"
    # the delegations compared drafts when asked, and said whether they could sign
    asked = [k for k in range(1, 51) if mediator.get(f"api/drafts/{k}").json()["versus"]]
    assert asked, "the engine mediator asked for no comparison"
    whole = mediator.get(f"api/drafts/{asked[-1]}/whole").json()["answers"]
    assert len(whole) == 4 and all(w["compared"] in ("better", "same", "worse")
                                   for w in whole.values())
    # the mediator's page says the engine reads answers only, and offers the best text
    page = mediator.get("").text
    assert 'id="answers-only"' in page and "Propose the best text so far" in page


def test_the_proposal_is_replayed_the_same_after_a_restart(app):
    space = relaxed_ukraine()
    mediator, seats = answers_only_room(app, space)
    for number in range(1, 5):
        package = mediator.post("api/propose").json()["package"]
        assert mediator.post("api/drafts", {"options": package}).is_success
        for seat in seats.values():
            seat.answer_current()
    kept = mediator.post("api/propose").json()
    answers_mediator._KEPT.clear()  # a fresh process: replayed from the record
    assert mediator.post("api/propose").json() == kept
    best = mediator.post("api/propose", params={"best": True}).json()
    answers_mediator._KEPT.clear()
    assert mediator.post("api/propose", params={"best": True}).json() == best
    # a late change to an old draft's answers replays the record: the proposal follows it
    ukraine = seats["ukraine"]
    changed = {p: {"verdict": "reject"} for p in space.issue_ids}
    assert ukraine._post("api/drafts/1/answers", changed) == {"ok": True}
    answers_mediator._KEPT.clear()
    again = mediator.post("api/propose").json()
    replayed = mediator.post("api/propose").json()
    assert again == replayed
    # while one request feeds the mediator another is told to wait (409), never queued
    # on a second request thread
    with answers_mediator._WORKING:  # another request is computing
        busy = mediator.post("api/propose")
    assert busy.status_code == 409 and "ask again in a moment" in busy.json()["error"]
    assert mediator.post("api/propose").json() == replayed


def test_the_engine_waits_for_every_answer_to_the_newest_draft(app):
    space = relaxed_ukraine()
    mediator, seats = answers_only_room(app, space)
    first = mediator.post("api/propose").json()["package"]
    assert mediator.post("api/drafts", {"options": first}).is_success
    for party in ("russia", "ukraine"):
        seats[party].answer_current()
    waiting = mediator.post("api/propose").json()
    assert waiting["package"] is None and waiting["basis"] == "answers"
    assert "answers to draft 1" in waiting["reason"]
    assert "Russian" not in waiting["reason"] and "Ukraine" not in waiting["reason"]
    assert mediator.post("api/propose", params={"best": True}).json()["package"]
    for seat in seats.values():
        seat.answer_current()
    assert mediator.post("api/propose").json()["package"]


def test_answers_on_the_whole_draft_are_checked_and_private(app):
    space = relaxed_ukraine()
    mediator, seats = answers_only_room(app, space)
    first = mediator.post("api/propose").json()["package"]
    assert mediator.post("api/drafts", {"options": first}).is_success
    second = dict(first, **{DONETSK: next(o for o in space.option_ids[
        space.issue_ids.index(DONETSK)] if o != first[DONETSK])})
    assert mediator.post("api/drafts", {"options": second, "versus": 1}).is_success
    russia, ukraine = seats["russia"], seats["ukraine"]
    assert russia.answer_current() == 2
    # no comparison for a draft that asks none; only known points; each once
    bad = [("api/drafts/1/whole", {"compared": "better"}),
           ("api/drafts/2/whole", {"compared": "much better"}),
           ("api/drafts/2/whole", {"priorities": ["no-such-point"]}),
           ("api/drafts/2/whole", {"priorities": [DONETSK, DONETSK]}),
           ("api/drafts/2/whole", {"sign": "yes"}),
           ("api/drafts/2/answers", {DONETSK: {"verdict": "accept", "red_line": True}})]
    for path, body in bad:
        response = russia.client.post(f"/n/{russia.negotiation}/{path}", json=body,
                                      headers={"x-csrf-token": russia.csrf})
        assert 400 <= response.status_code < 500, (path, body, response.text)
    # publishing: versus must name an earlier draft
    for versus in (3, 0, 99):
        assert mediator.post("api/drafts", {"options": first, "versus": versus}
                             ).status_code in (400, 422)
    # a delegation reads its own whole answer only; the mediator everyone's; observers none
    own = ukraine.client.get(f"/n/{ukraine.negotiation}/api/drafts/2/whole").json()
    assert own == {"answers": {}}
    mine = russia.client.get(f"/n/{russia.negotiation}/api/drafts/2/whole").json()["answers"]
    assert list(mine) == [str(russia.state["member"])]
    everyone = mediator.get("api/drafts/2/whole").json()["answers"]
    assert list(everyone) == [str(russia.state["member"])]
    observer = Person(app).join(mediator.invite("Press", "observer"))
    assert observer.get("api/drafts/2/whole").status_code == 403
    # the delegation's page shows its answer on the whole; the mediator's the matrix row
    assert 'name="sign" value="yes"' in russia.client.get(f"/n/{russia.negotiation}").text
    assert "As a whole; against draft 1" in mediator.get("").text
    # the form takes an answer on the whole back: "not saying" and no ranks
    page = ukraine.client.get(f"/n/{ukraine.negotiation}").text
    assert re.search(r'name="sign" value="" checked', page)  # nothing said yet
    form = {"csrf": ukraine.csrf, "whole": "1", "sign": "yes", "compared": "better",
            f"rank-{DONETSK}": "1"}
    url = f"/n/{ukraine.negotiation}/drafts/2/answers"
    assert ukraine.client.post(url, data=form).status_code == 200
    said = mediator.get("api/drafts/2/whole").json()["answers"][str(ukraine.state["member"])]
    assert said == {"sign": True, "compared": "better", "priorities": [DONETSK]}
    assert ukraine.client.post(url, data={"csrf": ukraine.csrf, "whole": "1", "sign": ""}
                               ).status_code == 200
    said = mediator.get("api/drafts/2/whole").json()["answers"][str(ukraine.state["member"])]
    assert said == {"sign": None, "compared": None, "priorities": []}


def test_a_published_draft_replaces_the_engines_suggestion_in_its_memory():
    """`EngineMediator.tabled_instead`: what the room published is what the mediator
    remembers having asked (so it never 'repeats' a question it did not ask, and may ask
    again the one it suggested but the room did not publish)."""
    from accord.negotiation.mediator import Draft, EngineMediator

    space = relaxed_ukraine()
    mediator = EngineMediator()
    mediator.start(agenda_of(space), np.random.default_rng(0), 50)
    suggested = mediator.decide(None)
    published = tuple((o + 1) % int(n) for o, n in zip(suggested.package, space.sizes))
    mediator.tabled_instead(Draft(published, versus=None))
    assert mediator.tabled == [published]
    assert mediator.asked == {(published, None)}
    again = Draft(published, versus=None)  # asked before: stays asked when replaced again
    mediator.table(again)
    mediator.tabled_instead(Draft(suggested.package, versus=None))
    assert (published, None) in mediator.asked and (suggested.package, None) in mediator.asked
