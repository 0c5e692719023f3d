"""What each named rule is worth: the tuning questions with the rule switched off.

    python tools/rule_values.py [QUESTIONS.jsonl ...]

Pools the tuning question sets (default: as ``fit_answerability.py``; never a sealed set),
asks them once with every rule on and once with each rule of ``rules.RULES`` off, and
prints a table of the differences: Hit@1 with the bar off (the ranking alone), the answer
sentence, and the ROC AUC of the confidence. The answer-or-decline model is not refitted
without the rule, so the AUC column says what the rule is worth to the model as fitted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from fit_answerability import DEFAULT_SETS  # noqa: E402

from spms_search.evaluation import EvalQuestion, EvalReport, evaluate, load_questions  # noqa: E402
from spms_search.index import open_built_index  # noqa: E402
from spms_search.rules import RULES, Parameters  # noqa: E402
from spms_search.search import Searcher  # noqa: E402


def measure(params: Parameters, questions: list[EvalQuestion]) -> EvalReport:
    with Searcher(open_built_index(None, None), parameters=params) as searcher:
        return evaluate(searcher, questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="*", type=Path, default=DEFAULT_SETS)
    args = parser.parse_args()
    if any("sealed" in p.parts for p in args.questions):
        parser.error("a sealed set judges changes; it is not for measuring rules while tuning")
    questions = [q for path in args.questions for q in load_questions(path)]
    base = measure(Parameters(), questions)
    print(f"{base.answerable} answerable and {base.off_topic} off-topic tuning questions; "
          f"all rules on: Hit@1 bar off {base.hit_at_1_bar_off:.3f}, answer sentence "
          f"{base.answer_sentence:.3f}, ROC AUC {base.roc_auc:.3f}")
    print("| rule switched off | stage | Hit@1, bar off | answer sentence | ROC AUC |")
    print("|---|---|---|---|---|")
    for name, rule in RULES.items():
        r = measure(Parameters().without(name), questions)
        print(f"| `{name}` | {rule.stage} | {r.hit_at_1_bar_off - base.hit_at_1_bar_off:+.3f} | "
              f"{r.answer_sentence - base.answer_sentence:+.3f} | {r.roc_auc - base.roc_auc:+.3f} |")


if __name__ == "__main__":
    main()
