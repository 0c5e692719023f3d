"""The same question gives the same scores and confidence in every process.

Python salts the hash of a string afresh in each process (PYTHONHASHSEED), so a float sum
taken over a set of words comes out in another order, and can differ in its last bit, from
one run to the next. A confidence next to the bar, or two passages scoring alike, would
then answer one day and decline the next. Every score and confidence is compared to the
last bit across processes with different seeds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from spms_search.evaluation import load_questions

from .conftest import CORPUS, DATA

_QUESTIONS = DATA / "validation_questions.jsonl"

_PROGRAM = """
import json, sys
from spms_search import build_index, open_index
from spms_search.evaluation import load_questions
build_index(sys.argv[1], sys.argv[2])
out = []
with open_index(sys.argv[2], sys.argv[1]) as s:
    # what a heading match is divided by: a sum over the heading's words
    out.append([s.stats.heading_idf(d)[1].hex() for d in range(s.stats.n)])
    for q in load_questions(sys.argv[3]):
        r = s.ask(q.question, 5, min_confidence=0)
        out.append([r.confidence.hex()] + [(x.heading, x.score.hex()) for x in r.results])
print(json.dumps(out))
"""


def _scores(seed: str, tmp_path) -> list:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(CORPUS), str(tmp_path / f"ix-{seed}"),
         str(_QUESTIONS)],
        env=env, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


def test_scores_and_confidence_do_not_depend_on_the_hash_seed(tmp_path):
    first, second = _scores("1", tmp_path), _scores("2", tmp_path)
    assert len(first) == len(second) == 1 + len(load_questions(_QUESTIONS))
    differ = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    assert not differ, f"{differ[:5]}: rows that differ under another hash seed (0: heading sums)"
