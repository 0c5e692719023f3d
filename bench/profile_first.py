"""Where the time of questions asked for the first time goes, as the bench times them.

    python -m bench.profile_first med                  # also: cranfield, cisi
    python -m bench.profile_first med --keep DIR       # keep (or reuse) the corpus and index in DIR
    python -m bench.profile_first med --top 40 --sort tottime

The collection is written as one Markdown file per abstract (as ``bench/run.py`` does)
and indexed; then, in a new process, the index is opened, one untimed question of two
everyday words is asked (what every process pays once is not counted), and the judged
questions are asked once each under cProfile: the figure ``bench/run.py`` reports as
"asked for the first time", with the functions that took the time. A profile is for
finding where the time goes; its total is not the bench's (cProfile slows Python calls).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from .run import DEFAULT_CISI, DEFAULT_CRANFIELD, DEFAULT_MED, ROOT

#: Results asked for, as the bench asks (issue 14).
K = {"cranfield": 10, "med": 100, "cisi": 100}

PROFILE_CHILD = """
import cProfile, json, pstats, sys, time
from pathlib import Path
import spms_search
index, corpus, k, top, sort = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
queries = json.loads(sys.stdin.read())
searcher = spms_search.open_index(index, corpus)
searcher.search("general results", k, min_confidence=0.0)
profile = cProfile.Profile()
started = time.perf_counter()
profile.enable()
for q in queries:
    [Path(r.document).stem for r in searcher.search(q, k, min_confidence=0.0)]
profile.disable()
print(f"{len(queries)} questions asked for the first time in {time.perf_counter() - started:.2f} s under cProfile")
pstats.Stats(profile).sort_stats(sort).print_stats(top)
"""


def _load(name: str) -> tuple[list, list[tuple[str, str]], dict]:
    from . import cranfield, medcisi

    if name == "cranfield":
        return cranfield.load(DEFAULT_CRANFIELD)
    return medcisi.load_med(DEFAULT_MED) if name == "med" else medcisi.load_cisi(DEFAULT_CISI)


def _prepare(name: str, folder: Path) -> tuple[Path, Path, list[str]]:
    """The collection's corpus and index in ``folder`` (written when missing), and its
    judged questions."""
    import spms_search

    docs, queries, qrels = _load(name)
    corpus, index = folder / f"{name}-corpus", folder / f"{name}-index"
    if not corpus.is_dir():
        corpus.mkdir(parents=True)
        for doc in docs:  # as bench/run.py writes them
            heading = f"# {doc.title}\n\n" if doc.title else ""
            (corpus / f"{int(doc.doc_id):04d}.md").write_text(f"{heading}{doc.text or doc.title}\n", "utf-8")
    spms_search.build_index(corpus, index)  # builds nothing when the index is fresh
    return corpus, index, [text for qid, text in queries if qid in qrels]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_first", description=__doc__.split("\n\n")[0])
    parser.add_argument("collection", choices=sorted(K))
    parser.add_argument("--keep", type=Path, help="folder to keep (or reuse) the corpus and index in")
    parser.add_argument("--top", type=int, default=30, help="functions to list [30]")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key [cumulative]")
    args = parser.parse_args(argv)
    import json

    with tempfile.TemporaryDirectory(prefix="spms-profile-") as tmp:
        folder = args.keep or Path(tmp)
        corpus, index, questions = _prepare(args.collection, folder)
        subprocess.run([sys.executable, "-c", PROFILE_CHILD, str(index), str(corpus), str(K[args.collection]),
                        str(args.top), args.sort], input=json.dumps(questions), text=True, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
