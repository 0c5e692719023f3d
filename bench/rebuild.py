"""Bench section 5: an incremental rebuild against a full build of the same corpus.

A synthetic corpus of 2,000 Markdown files (``synthetic.make_corpus``, eight passages a file)
is built in full, then one file in the middle is edited and the index rebuilt, again and
again. The figure is the median incremental rebuild as a share of the median full build
measured in the same run (full builds and edits interleaved, so both see the same load).
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from .synthetic import make_corpus

Row = tuple[str, str, str, str]  # figure, value, reference / ratio, goal
#: About 3 KiB a file: runs of 45 files (the square root of 2,000) pass the 128 KiB floor
#: of a segment (``segments.MIN_GROUP_BYTES``), as a corpus of web pages would.
PASSAGES_PER_FILE = 8
GOAL = 0.05


def bench_incremental(files: int, full_runs: int, edits_per_run: int, workdir: Path) -> list[Row]:
    import spms_search

    corpus = workdir / f"incremental-{files}"
    make_corpus(corpus, files * PASSAGES_PER_FILE, per_file=PASSAGES_PER_FILE)
    names = sorted(p.name for p in corpus.iterdir())
    edited = corpus / names[len(names) // 2]
    original = edited.read_text("utf-8")
    full: list[float] = []
    incremental: list[float] = []
    read: list[int] = []
    passages = 0
    for run in range(full_runs):
        index = workdir / f"incremental-index-{run}"
        started = time.perf_counter()
        passages = spms_search.build_index(corpus_dir=corpus, index_dir=index).passages
        full.append(time.perf_counter() - started)
        for edit in range(edits_per_run):
            edited.write_text(f"{original}\nAn edited paragraph, run {run} edit {edit}.\n", "utf-8")
            started = time.perf_counter()
            stats = spms_search.build_index(corpus_dir=corpus, index_dir=index)
            incremental.append(time.perf_counter() - started)
            read.append(stats.files_read)
        shutil.rmtree(index)
    share = statistics.median(incremental) / statistics.median(full)
    return [(
        f"One edited file in a {files:,}-file corpus",
        f"rebuild {statistics.median(incremental):.2f} s, {statistics.median(read):.0f} of {files:,} "
        f"files indexed again (median of {len(incremental)})",
        f"full build of the same {passages:,} passages {statistics.median(full):.2f} s (median of "
        f"{len(full)}); ratio {share:.1%}",
        f"<= {GOAL:.0%}: {'met' if share <= GOAL else 'MISSED'}",
    )]
