"""Server CPU per request, one request at a time: what each kind of request costs the room
when nothing competes with it (the floor under the closed loop of load_room.py).

Starts `accord serve` on a fresh database (SQLite by default, or --database URL / both),
opens a negotiation with --delegations delegations (5) and a --points-point draft (8), and
sends --requests requests (1000) of each kind, sequentially, on one keep-alive connection
(the lean client): `signed out` (a state read without a session: the HTTP path, a
connection and the 401), `state` (GET api/state) and `answer` (every point of the draft).
Prints wall time and the server's CPU time per request (user + system, from /proc) and,
on a PostgreSQL server on this machine, the CPU its backends spent per request (SQLite
runs inside the server process, so its cost is in the server's column): what a request
costs the machine's cores in all.

    python benchmarks/room_cpu.py
    python benchmarks/room_cpu.py --database both --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from lean_http import LeanClient  # noqa: E402
from room_statements import (  # noqa: E402
    answers_to,
    database,
    group_cpu_seconds,
    named_cpu_seconds,
    open_room,
    server,
)

KINDS = ("signed out", "state", "answer")
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


async def measure(base: str, pid: int, args: argparse.Namespace
                  ) -> dict[str, tuple[float, float, float]]:
    _, n, _, delegates = await open_room(base, args.points, args.delegations)
    delegate = delegates[0]
    client, anonymous = LeanClient(base, delegate.client.cookies), LeanClient(base, {})
    rng = random.Random(args.seed)
    number = delegate.draft["number"]

    async def once(kind: str):
        if kind == "signed out":
            return await anonymous.get(f"/n/{n}/api/state")
        if kind == "state":
            return await client.get(f"/n/{n}/api/state")
        return await client.post(f"/n/{n}/api/drafts/{number}/answers",
                                 json=answers_to(delegate.draft, rng, "probe"),
                                 headers={"x-csrf-token": delegate.csrf})

    costs = {}
    for kind in KINDS:
        for _ in range(20):  # warm the caches and the connection
            await once(kind)
        wall, cpu, database_cpu = (time.perf_counter(), group_cpu_seconds(pid),
                                   named_cpu_seconds("postgres"))
        for _ in range(args.requests):
            response = await once(kind)
            if response.status_code != (401 if kind == "signed out" else 200):
                raise SystemExit(f"{kind}: HTTP {response.status_code}: {response.text[:300]}")
        costs[kind] = ((time.perf_counter() - wall) / args.requests,
                       (group_cpu_seconds(pid) - cpu) / args.requests,
                       (named_cpu_seconds("postgres") - database_cpu) / args.requests)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite",
                        help="sqlite (default), a postgresql:// URL, or both")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--delegations", type=int, default=5)
    parser.add_argument("--points", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'database':12}{'request':12}{'wall ms':>10}{'server CPU ms':>15}"
          f"{'database CPU ms':>17}")
    specs = ["sqlite", POSTGRES] if args.database == "both" else [args.database]
    for spec in specs:
        with tempfile.TemporaryDirectory() as folder, \
                database(spec, Path(folder)) as (label, url), \
                server(url, 1, Path(folder) / "server.log") as (base, pid):
            for kind, (wall, cpu, database_cpu) in asyncio.run(measure(base, pid, args)).items():
                in_server = label == "sqlite"
                database_column = "in server" if in_server else f"{database_cpu * 1e3:.2f}"
                print(f"{label:12}{kind:12}{wall * 1e3:10.2f}{cpu * 1e3:15.2f}"
                      f"{database_column:>17}", flush=True)


if __name__ == "__main__":
    main()
