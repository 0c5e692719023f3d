"""Load on ``spms-search serve`` over loopback: concurrent clients, zero errors, p50 and p99.

``python -m bench.serve_load [--clients 8] [--requests 200]`` starts a real ``serve``
process on a free loopback port, lets every client send its requests one after another
(``/api/search`` with questions in turn, some answered, some declined), then does the same
against ``/healthz`` as the reference measured in the same run: the search figures are
given as ratios to it, because milliseconds on a shared machine say little.
``tests/test_serve.py`` runs the same load and passes on zero errors only, never on time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "can I still get relapses?",
    "who helps with balance problems?",
    "is there a drug for active SPMS?",
    "steriods for a relapse",
    "how is SPMS diagnosed",
    "best pizza recipe",
    "what is HSCT",
    "how do I renew my passport",
]


@dataclass
class Load:
    """What one load run saw: every latency, and every failure with its reason."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@contextmanager
def serving(corpus: Path, index: Path, *extra: str, timeout: float = 120.0) -> Iterator[str]:
    """A real ``spms-search serve`` on a free loopback port; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "spms_search", "serve", "--port", "0", "--quiet",
         "--corpus", str(corpus), "--index", str(index), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(timeout)
    try:
        if not line or not line[0].startswith("Serving "):
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise RuntimeError(f"serve did not start: {line[0] if line else '(no output)'} {err.strip()}")
        yield line[0].split()[1].rstrip("/")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """Status and body of a GET (an HTTP error status is returned, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def run_load(base: str, clients: int, requests: int, paths: Sequence[str]) -> Load:
    """``clients`` threads, each sending ``requests`` GETs in turn; a non-200 is an error."""
    load = Load()
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        start.wait()
        for i in range(requests):
            path = paths[(n + i) % len(paths)]
            t0 = time.perf_counter()
            try:
                status, body = get(base + path)
                ok = status == 200 and (path == "/healthz" or "results" in json.loads(body))
                problem = "" if ok else f"{path}: HTTP {status}"
            except (OSError, ValueError) as err:
                problem = f"{path}: {type(err).__name__}: {err}"
            elapsed = time.perf_counter() - t0
            with lock:
                if problem:
                    load.errors.append(problem)
                else:
                    load.latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load


def search_paths(limit: int = 3) -> list[str]:
    return [f"/api/search?{urlencode({'q': q, 'limit': limit})}" for q in QUESTIONS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients [8]")
    parser.add_argument("--requests", type=int, default=200, help="requests per client [200]")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=None, help="index folder [a temporary one]")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "ix"
        with serving(args.corpus, index) as base:
            get(base + "/healthz")
            t0 = time.perf_counter()
            search = run_load(base, args.clients, args.requests, search_paths())
            seconds = time.perf_counter() - t0
            reference = run_load(base, args.clients, args.requests, ["/healthz"])
    p50, p99 = percentile(search.latencies, 50), percentile(search.latencies, 99)
    r50, r99 = percentile(reference.latencies, 50), percentile(reference.latencies, 99)
    print(f"{args.clients} clients x {args.requests} requests on loopback "
          f"({search.requests} searches, {search.requests / seconds:.0f} per second)")
    print(f"{'figure':<28}{'search':>12}{'/healthz':>12}{'ratio':>8}")
    print(f"{'p50 latency':<28}{p50 * 1000:>10.2f}ms{r50 * 1000:>10.2f}ms{p50 / r50:>8.1f}")
    print(f"{'p99 latency':<28}{p99 * 1000:>10.2f}ms{r99 * 1000:>10.2f}ms{p99 / r99:>8.1f}")
    print(f"{'errors':<28}{len(search.errors):>12}{len(reference.errors):>12}")
    for problem in (search.errors + reference.errors)[:5]:
        print(f"  {problem}")
    return 1 if search.errors or reference.errors else 0


if __name__ == "__main__":
    sys.exit(main())
