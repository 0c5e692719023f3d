"""Jobs shared among forked worker processes: the new segments of a build, side by side.

Why: a build writes one Whoosh segment per group of files (``segments.py``), and the
segments are independent of one another, so on a machine with several cores they can be
written at the same time, each by its own process; the parent then lists them, in
corpus order, in the generation's table of contents. That is Whoosh's own way
(``whoosh.multiproc``: sub-writers each writing a segment), without its final merge of
the segments into one, which the incremental rebuilds need kept apart.

The workers are made by ``fork``, so a job is any function and its data need no
pickling; only each job's result (a small segment record) and any error it raised come
back through a pipe. Where ``fork`` is missing (Windows), unsafe (macOS), or the process
runs other threads (a web server rebuilding while it answers: a forked child gets only
the calling thread, and a lock another thread held would never be released in it), the
jobs run one after another in this process, with the same results.

``SPMS_SEARCH_BUILD_WORKERS`` sets the number of worker processes (1: none); by default
one per core this process may use, at most :data:`MAX_WORKERS`.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

#: The environment variable that sets the number of worker processes of a build.
WORKERS_ENV = "SPMS_SEARCH_BUILD_WORKERS"
#: Most worker processes by default: a build also reads and writes the disk, and each
#: worker holds a posting pool of its own.
MAX_WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(RuntimeError):
    """A worker process ended without reporting (killed, out of memory): its job is lost."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system says it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """How many worker processes ``jobs`` jobs get: :data:`WORKERS_ENV` when it holds a
    whole number of at least 1 (anything else is ignored), else one per usable core, at
    most :data:`MAX_WORKERS`; never more than the jobs, and 1 where forking is not safe."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    count = int(wanted) if wanted.isdigit() and int(wanted) >= 1 else min(usable_cores(), MAX_WORKERS)
    return max(1, min(count, jobs)) if can_fork() else 1


def can_fork() -> bool:
    """True where worker processes may be forked from this process now (see the module)."""
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def run(jobs: Sequence[T], work: Callable[[T], R], workers: int) -> Iterator[tuple[int, R]]:
    """``(i, work(jobs[i]))`` for every job, as each finishes (in order when run here).

    With ``workers`` above 1 the jobs are handed out one at a time to that many forked
    processes, so a long job does not hold up the rest. The first error a job raises is
    raised here, the same exception, once the other workers are stopped.
    """
    if workers <= 1 or len(jobs) <= 1 or not can_fork():
        for i, job in enumerate(jobs):
            yield i, work(job)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    tasks = ctx.SimpleQueue()  # no feeder thread: nothing but this thread is forked
    results = ctx.SimpleQueue()
    for i in range(len(jobs)):
        tasks.put(i)
    count = min(workers, len(jobs))
    for _ in range(count):
        tasks.put(None)

    def serve(me: int) -> None:
        while (i := tasks.get()) is not None:
            try:
                results.put((i, True, work(jobs[i])))
            except BaseException as err:  # noqa: BLE001 - sent to the parent, which raises it
                results.put((i, False, _sendable(err)))
                return
        results.put((None, True, me))

    from multiprocessing.connection import wait

    processes = [ctx.Process(target=serve, args=(k,), daemon=True) for k in range(count)]
    finished: set[int] = set()
    try:
        for process in processes:
            process.start()
        reader = results._reader  # type: ignore[attr-defined]  # the pipe's end the parent reads
        while len(finished) < count:
            if not reader.poll():  # nothing sent yet: wait for a message or an end
                wait([reader, *(p.sentinel for k, p in enumerate(processes) if k not in finished)])
                if not reader.poll():
                    ended = [p.exitcode for k, p in enumerate(processes)
                             if k not in finished and p.exitcode is not None]
                    if ended:
                        raise WorkerDied(f"a build worker process ended unexpectedly (exit code {ended[0]})")
                    continue  # ended but not yet reaped: look again
            i, ok, value = results.get()
            if i is None:
                finished.add(value)
            elif not ok:
                raise value
            else:
                yield i, value
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _sendable(err: BaseException) -> BaseException:
    """``err`` when it survives pickling (to be raised in the parent), else a RuntimeError
    saying what it was."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # noqa: BLE001 - an exception class that cannot be rebuilt
        return RuntimeError(f"{type(err).__name__}: {err}")
    return err


