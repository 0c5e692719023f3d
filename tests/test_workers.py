"""A build writes its segments side by side in worker processes: the same index, the same
errors, nothing left behind (``workers.py``)."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

import spms_search
from spms_search import segments, workers
from spms_search.errors import IndexNotWritableError

from .test_incremental import _segment_content, manifest, write_corpus

FORKING = "fork" in __import__("multiprocessing").get_all_start_methods() and os.name == "posix"
needs_fork = pytest.mark.skipif(not FORKING, reason="no fork here: builds run in one process")


@pytest.fixture(autouse=True)
def _forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even when an earlier test left a thread running (its own, harmless here), and
    group this few-KiB corpus by file count alone (five segments), as a large corpus is."""
    monkeypatch.setattr(workers, "can_fork", lambda: FORKING)
    monkeypatch.setattr(segments, "MIN_GROUP_BYTES", 0)


def _pid(job: int) -> tuple[int, int]:
    return job * job, os.getpid()


@needs_fork
def test_every_job_runs_once_in_worker_processes():
    got = dict(workers.run(list(range(20)), _pid, 2))
    assert sorted(got) == list(range(20))
    assert [square for square, _pid in (got[i] for i in range(20))] == [i * i for i in range(20)]
    assert os.getpid() not in {pid for _square, pid in got.values()}
    assert list(workers.run(list(range(5)), _pid, 1)) == [(i, (i * i, os.getpid())) for i in range(5)]


def _fails_at_three(job: int) -> int:
    if job == 3:
        raise OSError(errno.ENOSPC, "No space left on device")
    return job


def _dies_at_three(job: int) -> int:
    if job == 3:
        os._exit(3)
    return job


@needs_fork
def test_a_job_s_error_is_raised_here_and_a_dead_worker_is_one_clear_error():
    with pytest.raises(OSError, match="No space left") as raised:
        list(workers.run(list(range(8)), _fails_at_three, 2))
    assert raised.value.errno == errno.ENOSPC
    dead = r"^a build worker process ended unexpectedly \(exit code 3\)$"
    with pytest.raises(workers.WorkerDied, match=dead):
        list(workers.run(list(range(8)), _dies_at_three, 2))


def test_no_workers_while_other_threads_run_or_when_told_one(monkeypatch):
    monkeypatch.undo()  # the real can_fork
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert workers.worker_count(8) == 1  # a forked child would get this thread's locks, not it
    finally:
        release.set()
        other.join()
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    assert workers.worker_count(8) == 1
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    default = min(workers.usable_cores(), workers.MAX_WORKERS)
    for junk in ("three", "0", "-2"):  # not a whole number of at least 1: the default
        monkeypatch.setenv(workers.WORKERS_ENV, junk)
        assert workers.worker_count(8) == default


@needs_fork
def test_segments_written_side_by_side_are_the_index_one_process_writes(tmp_path, monkeypatch):
    """Five segments written by two worker processes hold every posting, length and stored
    field one process writes, with the same spelling words and stems beside them, in the
    same groups; progress counts every passage; no temporary folder is left."""
    corpus = write_corpus(tmp_path / "corpus")
    seen: list[tuple[int, int]] = []
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    side = tmp_path / "side"
    stats = spms_search.build_index(corpus_dir=corpus, index_dir=side,
                                    progress=lambda done, total: seen.append((done, total)))
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    one = tmp_path / "one"
    spms_search.build_index(corpus_dir=corpus, index_dir=one)
    assert len(manifest(side)["groups"]) == 5
    assert [(g["files"], g["passages"]) for g in manifest(side)["groups"]] == \
        [(g["files"], g["passages"]) for g in manifest(one)["groups"]]
    (side_gen,), (one_gen,) = ([p for p in ix.iterdir() if p.name.startswith("gen-")] for ix in (side, one))
    assert _segment_content(side_gen) == _segment_content(one_gen)
    for name in ("spelling-words.txt", "corpus-stems.pickle"):
        assert (side_gen / name).read_bytes() == (one_gen / name).read_bytes()
    assert sorted(p.read_text() for p in side_gen.glob("*.words")) == \
        sorted(p.read_text() for p in one_gen.glob("*.words"))
    assert seen[-1] == (stats.passages, stats.passages)
    for gen in (side_gen, one_gen):
        assert not [p for p in gen.iterdir() if p.is_dir()]


@needs_fork
def test_a_full_disk_in_a_worker_is_an_index_error_and_the_old_index_still_answers(tmp_path, monkeypatch):
    from whoosh.writing import SegmentWriter

    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    for page in sorted(corpus.glob("*.md")):  # every group changes: every segment is new
        page.write_text(page.read_text() + "\nA cooling vest can help.\n")

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "_finalize_segment", full)
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    with pytest.raises(IndexNotWritableError, match="No space left"):
        spms_search.build_index(corpus_dir=corpus, index_dir=index)
    with spms_search.open_index(index_dir=index) as searcher:  # tries again: the disk is still full
        assert "No space left" in (searcher.stale_warning or "")
        # the old index: it answers, and the edit that failed to build is not in it
        assert searcher.search("steroids")[0].heading == "Steroids"
        assert not any("A cooling vest can help." in r.text
                       for r in searcher.search("cooling vest", limit=10, min_confidence=0.0))
    assert not [p for p in Path(index).iterdir() if p.name.startswith(".build-")]


KILLED_WORKER = """
import os, sys
from spms_search import segments
segments.MIN_GROUP_BYTES = 0
real = segments.BuildWriter.add_document
def add_document(self, **fields):
    if os.getpid() != PARENT:  # a worker dies as the out-of-memory killer would end it
        os._exit(137)
    real(self, **fields)
segments.BuildWriter.add_document = add_document
PARENT = os.getpid()
from spms_search.cli import main
sys.argv = ["spms-search", *sys.argv[1:]]
main()
"""


@needs_fork
def test_a_killed_worker_is_exit_3_in_one_line_and_the_old_index_answers(tmp_path, monkeypatch):
    import subprocess
    import sys

    from click.testing import CliRunner

    from spms_search.cli import main

    from .conftest import cli_env

    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    for page in sorted(corpus.glob("*.md")):
        page.write_text(page.read_text() + "\nA cooling vest can help.\n")
    before = sorted(p.name for p in index.iterdir())
    args = ["rebuild", "--corpus", str(corpus), "--index", str(index)]
    proc = subprocess.run([sys.executable, "-c", KILLED_WORKER, *args], capture_output=True, text=True,
                          timeout=120, env=cli_env(SPMS_SEARCH_BUILD_WORKERS="2"))
    want = (f"spms-search: error: could not build the index at {index}: a build worker process ended "
            f"unexpectedly (exit code 137): rebuild again, or set SPMS_SEARCH_BUILD_WORKERS=1 to build "
            f"in one process")
    assert (proc.returncode, proc.stderr.strip()) == (3, want), proc.stderr
    assert "Traceback" not in proc.stderr
    # the old index is left as it was (opening it here would rebuild it in this process)
    assert sorted(p.name for p in index.iterdir()) == before

    parent = os.getpid()
    real = segments.BuildWriter.add_document

    def dies_in_a_worker(self, **fields):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(137)
        real(self, **fields)

    monkeypatch.setattr(segments.BuildWriter, "add_document", dies_in_a_worker)
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3 and result.output.strip() == want, result.output
    monkeypatch.setenv(workers.WORKERS_ENV, "1")  # told to build in one process: it does
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not [p for p in index.iterdir() if p.name.startswith(".build-")]
