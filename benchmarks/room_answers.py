"""A negotiation run on answers alone in the room, measured: the share of the Nash product
of the drafts the engine proposes, per seed of the room's engine mediator.

Opens a ukraine-2025 room in process (SQLite in a temporary folder), seats a sincere agent
in each of the four delegations' seats through its invitation link (`room.seat.RoomSeat`,
the agents' preferences with both Donetsk red lines lifted, never sent to the room), and
has the mediator publish the engine's proposal `--drafts` times (the best text so far for
the last two). Prints, per seed: the best draft's share and its number, the final text's
share, and seconds.

    python benchmarks/room_answers.py                 # seeds 0-4
    python benchmarks/room_answers.py --seeds 0 --drafts 50
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time

import numpy as np


def run(seed: int, drafts: int) -> tuple[float, int, float, float]:
    from fastapi.testclient import TestClient

    from accord.analysis import compile_space, relax
    from accord.analysis.space import Demand
    from accord.io import resolve
    from accord.negotiation import make_agent
    from accord.negotiation.transcript import nash_share, references
    from accord.negotiation.view import agenda_of, view_of
    from accord.room import answers_mediator, create_app
    from accord.room.seat import RoomSeat

    space = compile_space(resolve("ukraine-2025"))
    donetsk = space.issue_ids.index("donetsk-remainder")
    space = relax(space, tuple(Demand(space.party_ids.index(p), "red-line", donetsk)
                               for p in ("russia", "ukraine")))
    refs = references(space)
    answers_mediator.SEED = seed
    answers_mediator._KEPT.clear()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{folder}/room.sqlite3")
        mediator = TestClient(app)
        csrf = re.search(r'name="csrf" value="([^"]+)"', mediator.get("/").text).group(1)
        opened = mediator.post("/open", data={"csrf": csrf, "title": "28 points",
                                              "shipped": "ukraine-2025"})
        n = str(opened.url).rstrip("/").split("/n/")[1]
        state = mediator.get(f"/n/{n}/api/state").json()
        headers = {"x-csrf-token": state["csrf"]}
        seats = []
        for k, seat in enumerate(s for s in state["roster"] if s["role"] == "delegation"):
            page = mediator.post(f"/n/{n}/members/{seat['id']}/invite",
                                 data={"csrf": state["csrf"]}).text
            link = re.search(r"(/join/[\w-]+)", page).group(1)
            view = view_of(space, space.party_ids.index(seat["party"]), agenda_of(space))
            seats.append(RoomSeat.join(link, make_agent("sincere"), view,
                                       np.random.default_rng(k), client=TestClient(app)))
        shares, started = [], time.perf_counter()
        for number in range(1, drafts + 1):
            proposal = mediator.post(f"/n/{n}/api/propose", headers=headers,
                                     params={"best": number > drafts - 2}).json()
            mediator.post(f"/n/{n}/api/drafts", headers=headers,
                          json={"options": proposal["package"], "versus": proposal["versus"]})
            for seat in seats:
                seat.answer_current()
            package = tuple(space.option_ids[i].index(proposal["package"][issue])
                            for i, issue in enumerate(space.issue_ids))
            shares.append(nash_share(space, package, refs))
        app.state.drafts.stop()
    best = int(np.argmax(shares))
    return shares[best], best + 1, shares[-1], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--drafts", type=int, default=50)
    args = parser.parse_args()
    print(f"{'seed':>4}  {'best draft':>10}  {'its number':>10}  {'final text':>10}  "
          f"{'seconds':>8}")
    for seed in args.seeds:
        best, number, final, seconds = run(seed, args.drafts)
        print(f"{seed:>4}  {best:>10.3f}  {number:>10}  {final:>10.3f}  {seconds:>8.1f}",
              flush=True)


if __name__ == "__main__":
    main()
