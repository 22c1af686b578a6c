"""Where a tournament's negotiations run: here, in local processes, or on a Ray cluster.

The plan (every task with its seed) is made before any work is spread, and results are
put back in plan order, so every runner gives the same table. Tasks go out in chunks
(each worker keeps the compiled scenarios it was sent) to keep the overhead per
negotiation small.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from accord.errors import UsageError
from accord.negotiation.tournament import Bundle, Task, execute

Progress = Callable[[int, int], None]
Rows = list[dict[str, Any]]
CHUNK = 32

_BUNDLES: dict[str, Bundle] = {}
"""The scenarios a worker process was given (set once by the pool's initializer)."""


def run_chunk(tasks: Sequence[Task], bundles: dict[str, Bundle] | None = None) -> list[Rows]:
    bundles = _BUNDLES if bundles is None else bundles
    return [execute(task, bundles[task.scenario]) for task in tasks]


def _install(bundles: dict[str, Bundle]) -> None:
    _BUNDLES.clear()
    _BUNDLES.update(bundles)
    # Ctrl-C reaches every process of the terminal's group: a worker ends at once and
    # quietly (no traceback of its own); the parent reports the interruption
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def _chunks(tasks: Sequence[Task], size: int) -> list[list[Task]]:
    return [list(tasks[k:k + size]) for k in range(0, len(tasks), size)]


def _chunk_size(n_tasks: int, workers: int) -> int:
    return max(1, min(CHUNK, n_tasks // (4 * max(1, workers)) or 1))


def run_serial(tasks: Sequence[Task], bundles: dict[str, Bundle],
               progress: Progress | None = None) -> Rows:
    rows: Rows = []
    for done, task in enumerate(tasks, 1):
        rows.extend(execute(task, bundles[task.scenario]))
        if progress:
            progress(done, len(tasks))
    return rows


def run_local(tasks: Sequence[Task], bundles: dict[str, Bundle], workers: int | None = None,
              progress: Progress | None = None) -> Rows:
    """In this process (1 worker) or a pool of local processes (default: one per core)."""
    workers = os.cpu_count() or 1 if workers is None else workers
    if workers < 1:
        raise UsageError(f"workers must be at least 1, got {workers}")
    if workers == 1:
        return run_serial(tasks, bundles, progress)
    chunks = _chunks(tasks, _chunk_size(len(tasks), workers))
    results: list[list[Rows] | None] = [None] * len(chunks)
    done = 0
    with ProcessPoolExecutor(workers, initializer=_install, initargs=(bundles,)) as pool:
        try:
            futures = {pool.submit(run_chunk, chunk): k for k, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                k = futures[future]
                results[k] = future.result()
                done += len(chunks[k])
                if progress:
                    progress(done, len(tasks))
        except BaseException:  # interrupted or failed: drop the chunks not yet started
            pool.shutdown(cancel_futures=True)
            raise
    return [row for chunk in results for rows in chunk for row in rows]


def run_ray(tasks: Sequence[Task], bundles: dict[str, Bundle], address: str | None = None,
            progress: Progress | None = None, num_cpus: int | None = None) -> Rows:
    """On a Ray cluster: `address` of an existing one, else a local one started here (and
    shut down after). When Ray is already initialised in this process, it is used as is."""
    try:
        import ray
    except ImportError:
        raise UsageError("--engine ray needs Ray: pip install 'accord[ray]'") from None
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "configure_logging": False}
        if address:
            options["address"] = address
        elif num_cpus:
            options["num_cpus"] = num_cpus
        ray.init(**options)
        started = True
    try:
        return _ray_map(ray, tasks, bundles, progress)
    finally:
        if started:
            ray.shutdown()


def _ray_map(ray: Any, tasks: Sequence[Task], bundles: dict[str, Bundle],
             progress: Progress | None) -> Rows:
    remote = ray.remote(run_chunk)
    shared = ray.put(bundles)
    workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    chunks = _chunks(tasks, _chunk_size(len(tasks), workers))
    refs = [remote.remote(chunk, shared) for chunk in chunks]
    index = {ref: k for k, ref in enumerate(refs)}
    results: list[list[Rows] | None] = [None] * len(chunks)
    pending, done = list(refs), 0
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        for ref in ready:
            k = index[ref]
            results[k] = ray.get(ref)
            done += len(chunks[k])
            if progress:
                progress(done, len(tasks))
    return [row for chunk in results for rows in chunk for row in rows]


def run_tournament(tasks: Sequence[Task], bundles: dict[str, Bundle], engine: str = "local",
                   workers: int | None = None, address: str | None = None,
                   progress: Progress | None = None) -> Rows:
    """Dispatch to a runner: `local` (processes) or `ray`."""
    if engine == "local":
        return run_local(tasks, bundles, workers, progress)
    if engine == "ray":
        return run_ray(tasks, bundles, address, progress, num_cpus=workers)
    raise UsageError(f"unknown engine {engine!r}; use local or ray")
