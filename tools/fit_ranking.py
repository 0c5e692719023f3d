"""Fit the ranking constants of ``rules.Parameters`` on the tuning questions, with k-fold CV.

    python tools/fit_ranking.py [--folds 5] [QUESTIONS.jsonl ...]

The constants were round numbers set by hand on the tuning questions. This script asks
whether other values rank better on questions they were NOT chosen on:

1. One sweep: every fitted constant at a few multiples of its present value, the others
   as they are; each setting answers every answerable tuning question once with the bar
   off, and the per-question outcomes are kept: is the right section first, does the top
   passage hold the expected words, does the answer.
2. For each of k folds: on the other k-1 folds, each constant takes the value with the
   best summed outcome, if it beats the present value by at least ``MARGIN`` of the
   training questions; the chosen values together are then asked on the held-out fold
   and compared with the present values there.
3. The same choice on all questions is printed, with the cross-validated difference, so
   the values are only adopted (by editing ``rules.Parameters``) when the held-out folds
   say they help.

The answer-or-decline model is not involved (the bar is off); after adopting new values,
refit it with ``tools/fit_answerability.py``. Sealed sets are refused.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from fit_answerability import DEFAULT_SETS  # noqa: E402

from spms_search.evaluation import EvalQuestion, holds, load_questions  # noqa: E402
from spms_search.index import open_built_index  # noqa: E402
from spms_search.rules import Parameters  # noqa: E402
from spms_search.search import Searcher  # noqa: E402

#: The constants fitted: every float of ``Parameters`` that weighs evidence in ranking or
#: answer picking.
FITTED = ("expansion_weight", "related_weight", "bag_weight", "expansion_credit", "related_credit",
          "context_credit", "coverage_base", "coverage_power", "heading_bonus", "lead_bonus",
          "lead_heading_bonus", "definition_bonus", "expected_kind_bonus", "proximity_bonus",
          "story_emphasis", "expected_share", "heading_share")
#: The multiples of the present value tried.
MULTIPLES = (0.5, 0.75, 1.5, 2.0)
#: A value is chosen over the present one only when it gains at least this share of the
#: training questions' outcomes (about two questions in 670): less is noise.
MARGIN = 0.003
#: Values that are shares stay at most 1.
SHARES = {"expansion_credit", "related_credit", "context_credit", "bag_weight", "bag_credit",
          "story_emphasis"}

Outcomes = list[tuple[int, int, int]]  # per answerable question: section first, top holds, answer holds


def outcomes(params: Parameters, questions: list[EvalQuestion]) -> Outcomes:
    """Per question, with the bar off: right section first; top passage and answer hold it."""
    out: Outcomes = []
    with Searcher(open_built_index(None, None), parameters=params) as searcher:
        for q in questions:
            results = searcher.ask(q.question, 5, min_confidence=0.0).results
            if not results:
                out.append((0, 0, 0))
                continue
            top = results[0]
            first = int(top.heading in q.headings)
            out.append((first, int(first and (not q.answers or holds(top.text, q.answers))),
                        int(first and (not q.answers or holds(top.answer, q.answers)))))
    return out


def total(result: Outcomes, rows: list[int]) -> int:
    return sum(sum(result[i]) for i in rows)


def candidates(base: Parameters) -> list[tuple[str, float]]:
    out = []
    for name in FITTED:
        value = getattr(base, name)
        for m in MULTIPLES:
            v = round(value * m, 4)
            if name in SHARES:
                v = min(v, 1.0)
            if v != value:
                out.append((name, v))
    return out


def choose(sweep: dict[tuple[str, float], Outcomes], present: Outcomes,
           rows: list[int]) -> dict[str, float]:
    """For each constant, the value best on ``rows``, when it beats the present by MARGIN."""
    need = MARGIN * 3 * len(rows)
    base = total(present, rows)
    chosen: dict[str, float] = {}
    for name in FITTED:
        best_gain, best_value = need, None
        for (n, v), result in sweep.items():
            if n == name and total(result, rows) - base >= best_gain:
                best_gain, best_value = total(result, rows) - base, v
        if best_value is not None:
            chosen[name] = best_value
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if any("sealed" in p.parts for p in args.questions):
        sys.exit("fit_ranking.py: sealed sets judge the engine; never fit on them")
    questions = [q for p in args.questions for q in load_questions(p) if not q.off_topic]
    base = Parameters()
    print(f"{len(questions)} answerable questions; present values: "
          + ", ".join(f"{n}={getattr(base, n)}" for n in FITTED), flush=True)
    present = outcomes(base, questions)
    sweep: dict[tuple[str, float], Outcomes] = {}
    for name, value in candidates(base):
        sweep[(name, value)] = outcomes(base._replace(**{name: value}), questions)
        gain = total(sweep[(name, value)], list(range(len(questions)))) - total(
            present, list(range(len(questions))))
        print(f"  {name:20s} {value:<8} {gain:+d}", flush=True)

    order = list(range(len(questions)))
    random.Random(args.seed).shuffle(order)
    folds = [order[i::args.folds] for i in range(args.folds)]
    held_gain = 0
    for k, held in enumerate(folds):
        train = [i for i in order if i not in set(held)]
        chosen = choose(sweep, present, train)
        fitted = outcomes(base._replace(**chosen), [questions[i] for i in held]) if chosen else \
            [present[i] for i in held]
        gain = sum(map(sum, fitted)) - total(present, held)
        held_gain += gain
        print(f"fold {k + 1}: chose {chosen or 'nothing'}; held-out outcomes {gain:+d} "
              f"of {3 * len(held)}", flush=True)
    print(f"cross-validated: {held_gain:+d} outcomes over {len(questions)} questions "
          f"({held_gain / (3 * len(questions)):+.4f} per outcome)")
    everything = choose(sweep, present, order)
    if everything:
        result = outcomes(base._replace(**everything), questions)
        print(f"on all questions: chose {everything}; outcomes "
              f"{total(result, order) - total(present, order):+d} (tuned, not a held-out figure)")
    fitted_names = set(Parameters._fields)
    assert set(FITTED) <= fitted_names


if __name__ == "__main__":
    main()
