"""Evaluation: answer-quality figures for a question set, and ranking metrics for benches.

A question set is JSON Lines, one object a line::

    {"question": "can I still get relapses?", "headings": ["Can you still get ..."],
     "answer": "occasional relapse"}
    {"question": "is MS contagious", "off_topic": true}

``headings`` lists the section headings that count as right (the first is the main one);
``answer`` (a string or list of strings) is text that must be shown for the answer to
count as found: in the top passage (``answer_in_top``) and in the one answer sentence
(``answer_sentence``). Off-topic questions are right when the engine declines.

Every question is asked once with the confidence bar off, so the same run gives the
ranking figures with the bar off, the figures with the engine's own bar, and how well
the confidence separates answerable from off-topic questions (ROC AUC and the
answered / declined trade-off at other bars).
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import QueryError

#: Figures the answer-quality goal asks for (issue 11), with the engine's own bar.
GOALS = {"hit_at_1": 0.90, "mrr_at_5": 0.93, "answer_in_top": 0.85, "answer_sentence": 0.75,
         "off_topic_declined": 0.85, "answered": 0.95, "roc_auc": 0.95}
#: Bars at which the answered / declined trade-off is reported.
CURVE_BARS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    headings: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    off_topic: bool = False
    kind: str = ""


@dataclass
class EvalReport:
    """Figures over a question set, the trade-off curve and the questions that missed."""

    answerable: int = 0
    off_topic: int = 0
    hit_at_1: float = 0.0
    mrr_at_5: float = 0.0
    answer_in_top: float = 0.0
    answer_sentence: float = 0.0
    off_topic_declined: float = 0.0
    answered: float = 0.0
    roc_auc: float = 0.0
    #: Hit@1 and MRR@5 with the confidence bar off: the ranking alone.
    hit_at_1_bar_off: float = 0.0
    mrr_at_5_bar_off: float = 0.0
    #: How long the answers shown are (median words), and the share that are their whole
    #: passage: an answer sentence holds the expected answer more easily the longer it is,
    #: so its figure is read with these beside it.
    answer_words: float = 0.0
    answer_is_passage: float = 0.0
    #: Answerable questions answered (above the bar) from a section that is not the right
    #: one: confident wrong answers, the worst failure for a patient, beside ``answered``.
    answered_wrong: float = 0.0
    #: (bar, share of answerable answered, share of off-topic declined)
    curve: list[tuple[float, float, float]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    #: The main figures for each ``kind`` of question a set labels (story, typo, real ...):
    #: which ways of asking fail, without showing a question (usable on a sealed set).
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in GOALS}

    def meets_goals(self) -> bool:
        return all(self.figures()[k] >= v for k, v in GOALS.items())

    def to_dict(self) -> dict[str, Any]:
        return {"answerable": self.answerable, "off_topic": self.off_topic,
                **{k: round(v, 4) for k, v in self.figures().items()},
                "hit_at_1_bar_off": round(self.hit_at_1_bar_off, 4),
                "mrr_at_5_bar_off": round(self.mrr_at_5_bar_off, 4),
                "answer_words": self.answer_words,
                "answer_is_passage": round(self.answer_is_passage, 4),
                "answered_wrong": round(self.answered_wrong, 4),
                "curve": [{"bar": b, "answered": round(a, 4), "off_topic_declined": round(d, 4)}
                          for b, a, d in self.curve],
                "by_kind": self.by_kind,
                "misses": self.misses}


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError(f"{what} must be a string or a list of strings")


def _question(row: Any) -> EvalQuestion:
    if not isinstance(row, dict):
        raise TypeError("a line must be a JSON object")
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise TypeError("'question' must be a non-empty string")
    off_topic = row.get("off_topic", False)
    if not isinstance(off_topic, bool):
        raise TypeError("'off_topic' must be true or false")
    headings = _strings(row.get("headings", row.get("heading")), "'headings'")
    if not off_topic and not headings:
        raise TypeError("an answerable question needs 'headings'")
    return EvalQuestion(question, headings, _strings(row.get("answer"), "'answer'"), off_topic,
                        str(row.get("kind", "")))


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
            out.append(_question(json.loads(line)))
        except (ValueError, TypeError, RecursionError) as err:
            raise QueryError(f"{path} line {n}: not a question object ({err})") from None
    if not out:
        raise QueryError(f"{path} holds no questions: write one JSON object a line")
    return out


#: What two questions share when they are the same words: punctuation and symbols.
_NOT_WORD_RE = re.compile(r"[^\w\s]")


def question_key(text: str) -> str:
    """``text`` with case, punctuation and spacing folded: two questions with the same key
    are the same words ("Can I still get relapses?" and "can i still get relapses")."""
    return " ".join(_NOT_WORD_RE.sub("", text.casefold()).split())


def question_files(paths: Iterable[str | Path]) -> list[Path]:
    """The question files named: a file as it is, a folder as its ``*.jsonl`` files."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                raise QueryError(f"{path} holds no .jsonl question file")
            files.extend(found)
        else:
            files.append(path)
    return files


def unseen(questions: Sequence[EvalQuestion], seen_paths: Iterable[str | Path]) -> list[EvalQuestion]:
    """The questions whose words no question of ``seen_paths`` has.

    Sealed rounds are written by people who never see the tuning questions, yet the most
    common questions come back word for word ("What are the side effects of siponimod?"):
    about one in five of a round. The engine was tuned and its answer-or-decline model
    fitted on those very words, so its figures on them say nothing about questions it has
    not met. Measuring only the rest is the honest figure for a set; a question that is a
    close paraphrase of a tuning question still counts as unseen.
    """
    seen = {question_key(q.question) for path in question_files(seen_paths) for q in load_questions(path)}
    return [q for q in questions if question_key(q.question) not in seen]


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


def holds(text: str, answers: Sequence[str]) -> bool:
    """True when ``text`` shows one of ``answers`` (case, quotes and spacing folded)."""
    folded = _norm(text)
    return any(_norm(a) in folded for a in answers)


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not positives or not negatives:
        return 0.0
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def evaluate(searcher: Any, questions: Sequence[EvalQuestion], limit: int = 5,
             bar: float | None = None) -> EvalReport:
    """Ask every question once with the bar off and compute the figures.

    ``bar`` is the confidence below which the engine declines (default: the searcher's
    own ``confidence_bar``).
    """
    bar = searcher.confidence_bar if bar is None else bar
    report = EvalReport()
    hits = rr = hits_open = rr_open = found = sentence = answered = declined = wrong = 0.0
    pos: list[float] = []
    neg: list[float] = []
    lengths: list[int] = []
    whole = 0
    outcomes: list[tuple[str, dict[str, bool]]] = []
    for q in questions:
        response = searcher.ask(q.question, limit, min_confidence=0.0)
        confidence = response.confidence
        results = response.results if confidence >= bar else []
        first = bool(response.results) and response.results[0].heading in q.headings
        outcomes.append((q.kind, _outcome(q, response.results, bool(results), first)))
        if q.off_topic:
            report.off_topic += 1
            neg.append(confidence)
            if not results:
                declined += 1
            else:
                report.misses.append({"question": q.question, "why": "off-topic but answered",
                                      "got": results[0].heading, "confidence": round(confidence, 3)})
            continue
        report.answerable += 1
        pos.append(confidence)
        ranks = [r.rank for r in response.results if r.heading in q.headings]
        if ranks:
            rr_open += 1.0 / ranks[0]
            hits_open += ranks[0] == 1
        if not results:
            report.misses.append({"question": q.question, "why": "declined",
                                  "expected": q.headings[0], "got": "",
                                  "confidence": round(confidence, 3)})
            continue
        answered += 1
        lengths.append(len(results[0].answer.split()))
        whole += results[0].answer.strip() == results[0].text.strip()
        hits += bool(ranks) and ranks[0] == 1
        wrong += not (ranks and ranks[0] == 1)
        rr += 1.0 / ranks[0] if ranks else 0.0
        top_ok = not q.answers or holds(results[0].text, q.answers)
        sentence_ok = not q.answers or holds(results[0].answer, q.answers)
        found += top_ok
        sentence += sentence_ok
        if not (ranks and ranks[0] == 1 and top_ok and sentence_ok):
            why = ("wrong section" if not ranks or ranks[0] != 1 else
                   "answer not in top passage" if not top_ok else "answer not in answer sentence")
            report.misses.append({"question": q.question, "why": why, "expected": q.headings[0],
                                  "got": results[0].heading, "answer": results[0].answer,
                                  "confidence": round(confidence, 3)})
    n = report.answerable or 1
    report.hit_at_1, report.mrr_at_5 = hits / n, rr / n
    report.hit_at_1_bar_off, report.mrr_at_5_bar_off = hits_open / n, rr_open / n
    report.answer_in_top, report.answer_sentence = found / n, sentence / n
    report.answered = answered / n
    report.answered_wrong = wrong / n
    report.answer_words = float(statistics.median(lengths)) if lengths else 0.0
    report.answer_is_passage = whole / len(lengths) if lengths else 0.0
    report.off_topic_declined = declined / report.off_topic if report.off_topic else 1.0
    report.roc_auc = roc_auc(pos, neg) if pos and neg else 1.0
    report.curve = [(b, sum(c >= b for c in pos) / n,
                     sum(c < b for c in neg) / len(neg) if neg else 1.0) for b in CURVE_BARS]
    report.by_kind = _by_kind(outcomes)
    return report


def _outcome(q: EvalQuestion, results: Sequence[Any], answered: bool, first: bool) -> dict[str, bool]:
    """What happened to one question, as the flags :func:`_by_kind` counts."""
    if q.off_topic:
        return {"off_topic": True, "declined": not answered}
    sentence = answered and first and (not q.answers or holds(results[0].answer, q.answers))
    return {"off_topic": False, "bar_off": first, "hit": answered and first, "answered": answered,
            "wrong": answered and not first, "sentence": sentence}


def _by_kind(outcomes: Sequence[tuple[str, dict[str, bool]]]) -> dict[str, dict[str, float]]:
    """Per kind of question: how many, Hit@1 (with and without the bar), the answer sentence,
    answered, answered from a wrong section, and off-topic declined."""
    table: dict[str, dict[str, float]] = {}
    for kind in sorted({k for k, _ in outcomes if k}):
        answerable = [o for k, o in outcomes if k == kind and not o["off_topic"]]
        off = [o for k, o in outcomes if k == kind and o["off_topic"]]
        row: dict[str, float] = {"answerable": len(answerable), "off_topic": len(off)}
        for name, key in (("hit_at_1", "hit"), ("hit_at_1_bar_off", "bar_off"),
                          ("answer_sentence", "sentence"), ("answered", "answered"),
                          ("answered_wrong", "wrong")):
            if answerable:
                row[name] = round(sum(o[key] for o in answerable) / len(answerable), 4)
        if off:
            row["off_topic_declined"] = round(sum(o["declined"] for o in off) / len(off), 4)
        table[kind] = row
    return table


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
