"""Evaluation: answer-quality figures for a question set, and ranking metrics for benches.

A question set is JSON Lines, one object a line::

    {"question": "can I still get relapses?", "headings": ["Can you still get ..."],
     "answer": "occasional relapse"}
    {"question": "is MS contagious", "off_topic": true}

``headings`` lists the section headings that count as right (the first is the main one);
``answer`` (a string or list of strings) is text the top passage must contain for the
answer to count as found. Off-topic questions are right when the engine declines.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import QueryError

#: Figures the answer-quality goal asks for (issue 5).
GOALS = {"hit_at_1": 0.95, "mrr_at_5": 0.97, "answer_in_top": 0.90, "off_topic_declined": 0.90,
         "answered": 0.98}


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    headings: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    off_topic: bool = False
    kind: str = ""


@dataclass
class EvalReport:
    """Figures over a question set and the questions that missed."""

    answerable: int = 0
    off_topic: int = 0
    hit_at_1: float = 0.0
    mrr_at_5: float = 0.0
    answer_in_top: float = 0.0
    off_topic_declined: float = 0.0
    answered: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in GOALS}

    def meets_goals(self) -> bool:
        return all(self.figures()[k] >= v for k, v in GOALS.items())


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Parse a JSON Lines question set; raise :class:`QueryError` on a malformed line."""
    out = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read question file {path}: {err}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answers = row.get("answer") or []
            out.append(EvalQuestion(
                question=str(row["question"]),
                headings=tuple(row.get("headings") or ([row["heading"]] if "heading" in row else [])),
                answers=tuple([answers] if isinstance(answers, str) else answers),
                off_topic=bool(row.get("off_topic", False)),
                kind=str(row.get("kind", "")),
            ))
        except (ValueError, KeyError, TypeError) as err:
            raise QueryError(f"{path} line {n}: not a question object ({err})") from None
    return out


def evaluate(searcher: Any, questions: Sequence[EvalQuestion], limit: int = 5) -> EvalReport:
    """Run every question through ``searcher.search`` and compute the figures."""
    report = EvalReport()
    hits = rr = found = declined = answered = 0.0
    for q in questions:
        results = searcher.search(q.question, limit)
        if q.off_topic:
            report.off_topic += 1
            if not results:
                declined += 1
            else:
                report.misses.append({"question": q.question, "why": "off-topic but answered",
                                      "got": results[0].heading})
            continue
        report.answerable += 1
        if results:
            answered += 1
        ranks = [r.rank for r in results if r.heading in q.headings]
        if ranks and ranks[0] == 1:
            hits += 1
        if ranks:
            rr += 1.0 / ranks[0]
        top_ok = bool(results) and (not q.answers or any(
            a.casefold() in results[0].text.casefold() for a in q.answers))
        if top_ok:
            found += 1
        if not (ranks and ranks[0] == 1 and top_ok):
            report.misses.append({
                "question": q.question,
                "why": "declined" if not results else ("wrong section" if not ranks or ranks[0] != 1
                                                       else "answer not in top passage"),
                "expected": q.headings[0] if q.headings else "",
                "got": results[0].heading if results else "",
            })
    n = report.answerable or 1
    report.hit_at_1 = hits / n
    report.mrr_at_5 = rr / n
    report.answer_in_top = found / n
    report.answered = answered / n
    report.off_topic_declined = declined / (report.off_topic or 1) if report.off_topic else 1.0
    return report


# --------------------------------------------------------------------------- ranking metrics


def dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, float], k: int = 10) -> float:
    """Normalised discounted cumulative gain of ``ranked`` ids with graded ``relevant`` gains."""
    if not relevant:
        return 0.0
    gains = [relevant.get(doc, 0.0) for doc in ranked[:k]]
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg(gains) / ideal if ideal > 0 else 0.0


def average_precision(ranked: Sequence[str], relevant: Iterable[str], k: int = 100) -> float:
    """Average precision at ``k``: mean precision at each relevant hit, over all relevant."""
    rel = set(relevant)
    if not rel:
        return 0.0
    hits = 0
    total = 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in rel:
            hits += 1
            total += hits / i
    return total / min(len(rel), k)


def precision_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    rel = set(relevant)
    return sum(1 for doc in ranked[:k] if doc in rel) / k
