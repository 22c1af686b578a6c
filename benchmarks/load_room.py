"""Load on the negotiation room: N concurrent delegations answering drafts.

Starts `accord.room` under uvicorn on 127.0.0.1 (its own process, a fresh SQLite file, or
--database-url), opens a negotiation, signs in N delegations (default 50) through their
invitation links, then each delegation, concurrently, reads the current draft and answers
every point, round after round, while the mediator publishes a new draft now and then.
Bounded by --rounds per delegation and --seconds overall. Prints throughput and the
p50/p99 latency of the answering requests.

    python benchmarks/load_room.py [--delegations 50] [--rounds 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SERVER = """
import sys, uvicorn
from accord.room import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""
ISSUES = "\n".join(f"Point {k}: option a; option b; option c" for k in range(1, 9))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


async def sign_in_mediator(client: httpx.AsyncClient) -> tuple[str, str]:
    page = await client.get("/")
    opened = await client.post("/open", data={"csrf": csrf_of(page.text), "title": "Load",
                                              "issues": ISSUES}, follow_redirects=True)
    n = str(opened.url).rstrip("/").split("/n/")[1]
    return n, (await client.get(f"/n/{n}/api/state")).json()["csrf"]


async def join(client: httpx.AsyncClient, link: str) -> tuple[str, dict]:
    page = await client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    joined = await client.post("/join", data={"csrf": csrf_of(page.text), "token": token},
                               follow_redirects=True)
    n = str(joined.url).rstrip("/").split("/n/")[1]
    return n, (await client.get(f"/n/{n}/api/state")).json()


async def delegation(base: str, link: str, rounds: int, stop: float, seed: int,
                     latencies: list[float]) -> int:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        n, state = await join(client, link)
        headers = {"x-csrf-token": state["csrf"]}
        done = 0
        for _ in range(rounds):
            if time.monotonic() > stop:
                break
            start = time.perf_counter()
            drafts = (await client.get(f"/n/{n}/api/state")).json()["drafts"]
            current = drafts[-1]
            answers = {p["issue"]: {"verdict": rng.choice(["accept", "can-live-with", "reject"]),
                                    "comment": f"round {done}"} for p in current["points"]}
            response = await client.post(f"/n/{n}/api/drafts/{current['number']}/answers",
                                         json=answers, headers=headers)
            response.raise_for_status()
            latencies.append(time.perf_counter() - start)
            done += 1
        return done


async def mediator_publishes(client: httpx.AsyncClient, n: str, csrf: str, stop: float,
                             every: float) -> int:
    published = 1
    while time.monotonic() < stop:
        await asyncio.sleep(every)
        response = await client.post(f"/n/{n}/api/drafts", json={"title": "next", "options": {}},
                                     headers={"x-csrf-token": csrf})
        response.raise_for_status()
        published += 1
    return published


async def run(base: str, delegations: int, rounds: int, seconds: float) -> None:
    await wait_up(base)
    async with httpx.AsyncClient(base_url=base, timeout=60) as mediator:
        n, csrf = await sign_in_mediator(mediator)
        links = []
        for k in range(delegations):
            response = await mediator.post(f"/n/{n}/api/members", headers={"x-csrf-token": csrf},
                                           json={"role": "delegation", "name": f"D{k}"})
            links.append(response.json()["link"])
        await mediator.post(f"/n/{n}/api/drafts", json={"title": "first", "options": {}},
                            headers={"x-csrf-token": csrf})
        latencies: list[float] = []
        start = time.perf_counter()
        stop = time.monotonic() + seconds
        publisher = asyncio.create_task(mediator_publishes(mediator, n, csrf, stop, 2.0))
        counts = await asyncio.gather(*(delegation(base, link, rounds, stop, k, latencies)
                                        for k, link in enumerate(links)))
        elapsed = time.perf_counter() - start
        publisher.cancel()
    report(delegations, sum(counts), elapsed, latencies)


def report(delegations: int, rounds: int, elapsed: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    print(f"{delegations} delegations, {rounds} answer rounds (read draft + answer every "
          f"point) in {elapsed:.1f} s (includes sign-in)")
    print(f"throughput: {rounds / elapsed:.1f} rounds/s ({2 * rounds / elapsed:.1f} requests/s)")
    print(f"latency per round: p50 {p50:.1f} ms, p99 {p99:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegations", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'room.sqlite3'}"
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
        try:
            asyncio.run(run(f"http://127.0.0.1:{port}", args.delegations, args.rounds,
                            args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
