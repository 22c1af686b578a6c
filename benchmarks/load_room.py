"""Load on the negotiation room: N delegations reading and answering drafts over HTTP.

Starts the room with the CLI (`python -m accord serve`, or the `accord` script next to this
Python) on a free port of 127.0.0.1 and a fresh database, opens a negotiation, signs in N
delegations (default 50) through their invitation links, and drives it while the mediator
publishes a new draft every --publish-every seconds (2). Sign-in is not timed.

--mode closed (default): each delegation, concurrently, reads the state (GET api/state)
    and answers every point of the newest draft, then again, for --rounds rounds (20) or
    --seconds; a slow server slows the load down. The `round` row gives rounds/s.
--mode open: a fixed arrival rate, whatever the server's speed. Each delegation reads the
    state about every --read-every s (0.5) and answers every point of the newest draft it
    has read about every --answer-every s (2.0); arrivals are Poisson (or a fixed schedule
    with a random phase and ±10 % jitter: --arrivals fixed), seeded by --seed. Each request
    is its own task started at its scheduled time, whether earlier ones finished or not,
    and its latency runs from the scheduled time, so queueing shows (no coordinated
    omission). --streams idle SSE connections (200) to GET /n/{n}/events, spread over the
    delegations' cookies, stay open throughout; each should hear of every new draft. The
    `draft event` row has, per stream and draft, the time from the mediator's publish
    returning to the stream's `event: draft` for it or a newer one (events carry the
    newest number); a draft a stream never heard of is an error (the room keeps the newest
    number per server process: with --workers > 1 that may happen, and this shows it).
    "lag" is how late the load generator itself started requests (its own overload).

--database sqlite (default: a new file in a temporary folder), a postgresql:// URL (a new
database bench_room_<random> is created on that server and dropped afterwards, WITH
(FORCE)), or both (SQLite, then PostgreSQL at postgresql+psycopg://postgres@127.0.0.1:5432/
test); --database-url is an alias. --workers N passes --workers to `accord serve` (omitted
for 1). --points: issues per draft (open 18, closed 8).

Per request kind: count (every request made, errors included), done/s (requests completed
within the measured window per second: the throughput, below the offered rate when the
server falls behind), p50/p95/p99/max latency in ms over every request, errors included,
and errors (a non-2xx answer or a transport error; the first few distinct ones are
printed). Requests still in flight at the end get --grace seconds (30) to finish.
--statements prints the SQL statements per route instead (room_statements.py).

    python benchmarks/load_room.py --mode open --seconds 30 --database both
    python benchmarks/load_room.py --mode closed --delegations 50 --rounds 20
    python benchmarks/load_room.py --statements
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from lean_http import LeanClient  # noqa: E402
from room_statements import (  # noqa: E402
    Delegate,
    answers_to,
    database,
    group_cpu_seconds,
    newest_draft,
    open_room,
    server,
    statements_table,
)

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# ---------------------------------------------------------------- measurements

@dataclass
class Kind:
    latencies: list[float] = field(default_factory=list)
    done_at: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


@dataclass
class Recorder:
    kinds: dict[str, Kind] = field(default_factory=lambda: defaultdict(Kind))
    lag: list[float] = field(default_factory=list)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        self.kinds[kind].latencies.append(seconds)
        self.kinds[kind].done_at.append(time.monotonic())
        if error is not None:
            self.kinds[kind].errors[error] += 1


async def timed(rec: Recorder, kind: str, since: float, request) -> httpx.Response | None:
    """Await `request`, record its latency from `since` and any error; the response if 2xx."""
    try:
        response = await request
    except httpx.HTTPError as error:
        rec.add(kind, time.monotonic() - since, f"{type(error).__name__}: {error}"[:160])
        return None
    except asyncio.CancelledError:  # still running when the grace period ended
        rec.add(kind, time.monotonic() - since, "unfinished after the grace period")
        raise
    ok = response.is_success
    rec.add(kind, time.monotonic() - since,
            None if ok else f"HTTP {response.status_code}: {response.text[:120]}")
    return response if ok else None


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    return ordered[max(0, min(len(ordered), math.ceil(q * len(ordered))) - 1)]


# ---------------------------------------------------------------- the loads

@dataclass
class Run:
    """What one run measured."""

    rec: Recorder
    window: tuple[float, float]
    """Start and end of the measured window (time.monotonic())."""
    sign_in: float
    published: list[tuple[int, float]] = field(default_factory=list)
    streams: list[dict[int, float]] = field(default_factory=list)
    """Per SSE stream: draft number -> when its `event: draft` arrived."""
    unfinished: int = 0
    cpu: tuple[float, float] = (0.0, 0.0)
    """CPU seconds used during the window by the server (all its processes) and this one."""


def schedule(rng: random.Random, every: float, start: float, stop: float,
             poisson: bool) -> Iterator[float]:
    """Arrival times in [start, stop): Poisson with mean gap `every`, or every `every`
    seconds from a random phase with ±10 % jitter."""
    t = start + rng.uniform(0, every)
    while t < stop:
        yield t
        t += rng.expovariate(1 / every) if poisson else every * rng.uniform(0.9, 1.1)


async def fire_on(times: Iterator[float], fire, tasks: set, rec: Recorder) -> None:
    """Start `fire(t)` as its own task at each time t, never waiting for earlier ones."""
    async def guarded(t: float) -> None:
        try:
            await fire(t)
        except Exception as error:  # e.g. an answer the benchmark cannot read: say so
            rec.add("benchmark", time.monotonic() - t, f"{type(error).__name__}: {error}")

    for t in times:
        delay = t - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        rec.lag.append(max(0.0, time.monotonic() - t))
        task = asyncio.create_task(guarded(t))
        tasks.add(task)
        task.add_done_callback(tasks.discard)


async def publisher(mediator: httpx.AsyncClient, n: str, csrf: str, run: Run, every: float,
                    start: float, stop: float, tasks: set) -> None:
    async def publish(t: float) -> None:
        response = await timed(run.rec, "publish", t, mediator.post(
            f"/n/{n}/api/drafts", json={"title": "next", "options": {}},
            headers={"x-csrf-token": csrf}))
        if response is not None:
            run.published.append((response.json()["number"], time.monotonic()))

    await fire_on(iter(start + every * k for k in range(1, math.ceil((stop - start) / every))),
                  publish, tasks, run.rec)


async def stream(delegate: Delegate, n: str, since: int, seen: dict[int, float], rec: Recorder,
                 opened: asyncio.Event) -> None:
    """Hold GET /n/{n}/events open, collecting the numbers of `event: draft` messages."""
    start, name = time.monotonic(), ""
    try:
        async with delegate.client.stream("GET", f"/n/{n}/events", params={"since": since},
                                          timeout=httpx.Timeout(60, read=None)) as response:
            rec.add("stream open", time.monotonic() - start,
                    None if response.is_success else f"HTTP {response.status_code}")
            opened.set()
            if not response.is_success:
                return
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:") and name == "draft":
                    seen[int(line[5:])] = time.monotonic()
                elif not line:
                    name = ""
    except httpx.HTTPError as error:
        kind = "stream" if opened.is_set() else "stream open"
        rec.add(kind, time.monotonic() - start, f"{type(error).__name__}: {error}"[:160])
    finally:
        opened.set()


async def closed_loop(d: Delegate, n: str, rounds: int, stop: float, seed: int,
                      rec: Recorder) -> None:
    """Today's loop: read the state, answer every point of the newest draft, again."""
    rng = random.Random(seed)
    for k in range(rounds):
        if time.monotonic() > stop:
            return
        start = time.monotonic()
        state = await timed(rec, "state read", start, (d.fast or d.client).get(f"/n/{n}/api/state"))
        answered = None
        if state is not None:
            d.draft = newest_draft(state.json())
            answered = await timed(rec, "answer", time.monotonic(), (d.fast or d.client).post(
                f"/n/{n}/api/drafts/{d.draft['number']}/answers",
                json=answers_to(d.draft, rng, f"round {k}"), headers={"x-csrf-token": d.csrf}))
        rec.add("round", time.monotonic() - start, None if answered else "read or answer failed")


def open_loop(d: Delegate, n: str, args: argparse.Namespace, seed: int, start: float,
              stop: float, rec: Recorder, tasks: set) -> list:
    """The two arrival streams of one delegation: state reads and answers."""
    rng, poisson = random.Random(seed), args.arrivals == "poisson"

    async def read(t: float) -> None:
        response = await timed(rec, "state read", t, (d.fast or d.client).get(f"/n/{n}/api/state"))
        if response is not None:
            newest = newest_draft(response.json())
            if newest["number"] > d.draft["number"]:
                d.draft = newest

    async def answer(t: float) -> None:
        await timed(rec, "answer", t, (d.fast or d.client).post(
            f"/n/{n}/api/drafts/{d.draft['number']}/answers",
            json=answers_to(d.draft, rng, "open loop"), headers={"x-csrf-token": d.csrf}))

    return [fire_on(schedule(rng, args.read_every, start, stop, poisson), read, tasks, rec),
            fire_on(schedule(rng, args.answer_every, start, stop, poisson), answer, tasks, rec)]


async def drive(base: str, server_pid: int, args: argparse.Namespace) -> Run:
    began = time.monotonic()
    mediator, n, csrf, delegates = await open_room(base, args.points, args.delegations)
    if args.client == "lean":
        for d in delegates:
            d.fast = LeanClient(base, d.client.cookies)
    run, tasks = Run(Recorder(), (0.0, 0.0), time.monotonic() - began), set()
    run.streams = [{} for _ in range(args.streams)]
    opened = [asyncio.Event() for _ in range(args.streams)]
    streams = [asyncio.create_task(stream(delegates[k % len(delegates)], n, 1, seen, run.rec,
                                          opened[k]))  # since draft 1, published already
               for k, seen in enumerate(run.streams)]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened)), 120)
    start, cpu = time.monotonic(), (group_cpu_seconds(server_pid), time.process_time())
    stop = start + args.seconds
    publishing = asyncio.create_task(
        publisher(mediator, n, csrf, run, args.publish_every, start, stop, tasks))
    if args.mode == "closed":
        await asyncio.gather(*(closed_loop(d, n, args.rounds, stop, args.seed * 100_003 + k,
                                           run.rec) for k, d in enumerate(delegates)))
        stop = min(stop, time.monotonic())  # the delegations are done: so is the window
        publishing.cancel()
    else:
        await asyncio.gather(*(arrivals for k, d in enumerate(delegates) for arrivals in
                               open_loop(d, n, args, args.seed * 100_003 + k, start, stop,
                                         run.rec, tasks)))
    await asyncio.gather(publishing, return_exceptions=True)
    run.window = (start, stop)
    run.cpu = (group_cpu_seconds(server_pid) - cpu[0], time.process_time() - cpu[1])
    if tasks:
        _, pending = await asyncio.wait(set(tasks), timeout=args.grace)
        run.unfinished = len(pending)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)  # each records its error
    await asyncio.sleep(1.0)  # a stream polls 4 times a second: let the last draft arrive
    for task in streams:
        task.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    notices(run)
    await asyncio.gather(mediator.aclose(), *(d.client.aclose() for d in delegates),
                         *(d.fast.aclose() for d in delegates if d.fast is not None))
    return run


def notices(run: Run) -> None:
    """Record, per stream and per draft published, how long after the mediator's publish
    returned the stream heard of it or of a newer draft (events carry the newest number:
    drafts landing within one poll of a stream arrive as one). Streams stay open until
    every request is done, and one second more."""
    for seen in run.streams:
        arrivals = sorted(seen.items())
        for number, published in sorted(run.published):
            heard = [at for got, at in arrivals if got >= number]
            if heard:  # an event may beat the publish response to the client: 0
                run.rec.add("draft event", max(0.0, min(heard) - published))
            else:
                run.rec.add("draft event", time.monotonic() - published,
                            "a stream never heard of a draft (nor of a newer one)")


# ---------------------------------------------------------------- report

def table(rows: list[tuple[str, Run]], args: argparse.Namespace) -> str:
    head = (f"{'database':<11} {'kind':<11} {'count':>7} {'done/s':>8} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    lines = [head, "-" * len(head)]
    order = ["round", "state read", "answer", "publish", "stream open", "draft event",
             "stream"]
    for label, run in rows:
        for kind in sorted(run.rec.kinds, key=lambda k: order.index(k) if k in order else 99):
            data = run.rec.kinds[kind]
            ordered = sorted(data.latencies)
            ms = [percentile(ordered, q) * 1000 for q in (0.5, 0.95, 0.99, 1.0)]
            start, stop = run.window
            rate = (f"{sum(start <= t <= stop for t in data.done_at) / (stop - start):.1f}"
                    if stop > start and kind not in ("stream open", "stream", "draft event")
                    else "-")
            lines.append(f"{label:<11} {kind:<11} {len(ordered):>7} {rate:>8} "
                         + " ".join(f"{v:>8.1f}" for v in ms)
                         + f" {sum(data.errors.values()):>7}")
    lines.append("")
    for label, run in rows:
        lag, window = sorted(run.rec.lag) or [0.0], run.window[1] - run.window[0]
        lines.append(f"{label}: window {window:.1f} s, after signing "
                     f"in {args.delegations} delegations in {run.sign_in:.1f} s; "
                     f"{len(run.published)} drafts published; {run.unfinished} requests "
                     f"unfinished after the {args.grace:.0f} s grace")
        lines.append(f"{label}: generator lag (how late requests left) p99 "
                     f"{percentile(lag, 0.99) * 1000:.1f} ms, max {lag[-1] * 1000:.1f} ms; "
                     f"CPU during the window: server {run.cpu[0] / window:.0%} of a core, "
                     f"load generator {run.cpu[1] / window:.0%}")
        if run.streams:
            received = sum(len(seen) for seen in run.streams)
            lines.append(f"{label}: SSE: {received} `event: draft` messages received on "
                         f"{len(run.streams)} streams, for {len(run.published)} drafts "
                         f"published ({len(run.published) * len(run.streams)} if none "
                         "coalesced); "
                         f"'draft event' = publish returned -> stream heard of it")
        errors = Counter()
        for kind, data in run.rec.kinds.items():
            errors.update({f"{kind}: {e}": c for e, c in data.errors.items()})
        for error, count in errors.most_common(5):
            lines.append(f"{label}: error x{count}: {error}")
    return "\n".join(lines)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    add = parser.add_argument
    add("--mode", choices=["closed", "open"], default="closed")
    add("--delegations", type=int, default=50)
    add("--points", type=int, default=None, help="issues per draft (open 18, closed 8)")
    add("--rounds", type=int, default=20, help="closed mode: rounds per delegation")
    add("--seconds", type=float, default=60.0, help="length of the measured window")
    add("--read-every", type=float, default=0.5, help="open mode: mean seconds between reads")
    add("--answer-every", type=float, default=2.0, help="open mode: mean s between answers")
    add("--publish-every", type=float, default=2.0, help="mediator: seconds between drafts")
    add("--arrivals", choices=["poisson", "fixed"], default="poisson")
    add("--streams", type=int, default=None, help="idle SSE streams (open 200, closed 0)")
    add("--seed", type=int, default=1)
    add("--grace", type=float, default=30.0, help="s to wait for requests still in flight")
    add("--workers", type=int, default=1, help="server processes (accord serve --workers)")
    add("--database", "--database-url", dest="database", default="sqlite",
        help="sqlite, both, or a sqlite:/// or postgresql:// URL")
    add("--statements", action="store_true", help="print SQL statements per route, and stop")
    add("--client", choices=["lean", "httpx"], default="lean",
        help="the delegations' reads and answers: lean_http (little CPU) or httpx")
    args = parser.parse_args()
    args.points = args.points or (18 if args.mode == "open" or args.statements else 8)
    args.streams = args.streams if args.streams is not None else (
        200 if args.mode == "open" else 0)
    if min(args.delegations, args.points, args.workers) < 1 or args.streams < 0:
        parser.error("--delegations, --points and --workers must be at least 1, "
                     "--streams at least 0")
    if min(args.seconds, args.read_every, args.answer_every, args.publish_every) <= 0:
        parser.error("--seconds and the --*-every intervals must be positive")
    return args


def main() -> None:
    args = parse()
    specs = ["sqlite", POSTGRES] if args.database == "both" else [args.database]
    if args.statements:
        for spec in specs:
            with tempfile.TemporaryDirectory() as folder, \
                    database(spec, Path(folder)) as (_, url):
                print(statements_table(url, sorted({1, args.delegations}), args.points) + "\n")
    else:
        rows = []
        for spec in specs:
            with tempfile.TemporaryDirectory() as folder, \
                    database(spec, Path(folder)) as (label, url), \
                    server(url, args.workers, Path(folder) / "server.log") as (base, pid):
                run = asyncio.run(drive(base, pid, args))
                log = [line for line in (Path(folder) / "server.log").read_text().splitlines()
                       if line.strip() and not line.startswith("accord room on")]
            rows.append((label, run))
            print(table([(label, run)], args) + "\n", flush=True)
            if log:
                print(f"{label}: server log ({len(log)} lines), last lines:\n  "
                      + "\n  ".join(log[-8:]) + "\n")
        if len(rows) > 1:
            print(table(rows, args) + "\n")
        print(f"{args.mode} loop, {args.delegations} delegations, {args.points} points per "
              f"draft, {args.streams} SSE streams, {args.workers} worker(s), "
              f"{args.client} client; offered: "
              + (f"{args.delegations / args.read_every:.0f} state reads/s, "
                 f"{args.delegations / args.answer_every:.0f} answers/s ({args.arrivals}), "
                 if args.mode == "open" else f"{args.rounds} rounds per delegation, ")
              + f"a draft every {args.publish_every:g} s")
    print(f"{provenance()}; reproduce: {shlex.join([sys.executable, *sys.argv])}")


def provenance() -> str:
    """Which accord was measured: its folder, and the commit when it is this repository's."""
    import accord

    here, source = Path(__file__).resolve().parent, Path(accord.__file__).resolve().parent

    def git(*words: str) -> str:
        return subprocess.run(["git", *words], capture_output=True, text=True,
                              cwd=here).stdout.strip()

    if source != here.parent / "src" / "accord":
        return f"accord from {source} (not this repository's src/)"
    dirty = " with uncommitted changes in src/" if git("status", "--porcelain", "--", "../src") \
        else ""
    return f"accord at commit {git('rev-parse', '--short', 'HEAD') or '?'}{dirty}"


if __name__ == "__main__":
    main()
