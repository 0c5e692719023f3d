"""Evaluation: metric code on hand-checked cases, and the development question set."""

from __future__ import annotations

import json
import math

import pytest

from spms_search.errors import QueryError
from spms_search.evaluation import (
    GOALS,
    average_precision,
    evaluate,
    load_questions,
    ndcg_at_k,
    precision_at_k,
)

from .conftest import DATA, HEADINGS


def test_ndcg_of_a_perfect_ranking_is_one_and_of_a_miss_is_zero():
    assert ndcg_at_k(["a", "b"], {"a": 2, "b": 1}) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], {"a": 1}) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0


def test_ndcg_by_hand():
    # gains [0, 1] at ranks 1, 2 -> dcg = 1/log2(3); ideal [1] -> 1
    assert ndcg_at_k(["x", "a"], {"a": 1}) == pytest.approx(1 / math.log2(3))
    # graded: ranked b(1), a(3); ideal a(3), b(1)
    got = 1 + 3 / math.log2(3)
    ideal = 3 + 1 / math.log2(3)
    assert ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(got / ideal)


def test_average_precision_by_hand():
    # relevant at ranks 1 and 3 of 2 relevant: (1/1 + 2/3) / 2
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)
    # a relevant document never retrieved still counts in the denominator
    assert average_precision(["a"], {"a", "b"}) == pytest.approx(0.5)
    assert average_precision(["x"], set()) == 0.0


def test_precision_at_k_by_hand():
    assert precision_at_k(["a", "x", "b", "y"], {"a", "b"}, k=4) == 0.5
    assert precision_at_k(["a"], {"a"}, k=10) == 0.1


def test_question_files_are_validated(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok"}\nnot json\n')
    with pytest.raises(QueryError, match="line 2"):
        load_questions(bad)
    with pytest.raises(QueryError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")


def test_the_development_set_covers_every_section_and_phrasing():
    questions = load_questions(DATA / "dev_questions.jsonl")
    answerable = [q for q in questions if not q.off_topic]
    assert len(answerable) >= 80 and len(questions) - len(answerable) >= 15
    assert {q.headings[0] for q in answerable} | {h for q in answerable for h in q.headings} >= set(HEADINGS)
    kinds = {q.kind for q in answerable}
    assert {"lay", "abbrev", "brand", "spelling", "typo", "oneword", "long"} <= kinds
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS), q.question


def test_development_set_meets_the_goal(searcher):
    report = evaluate(searcher, load_questions(DATA / "dev_questions.jsonl"))
    below = {k: round(v, 3) for k, v in report.figures().items() if v < GOALS[k]}
    assert not below, f"figures fell below the goal: {below}; misses: {json.dumps(report.misses)[:2000]}"


# The validation set (tests/data/validation_questions.jsonl) was written in six rounds,
# each before looking at how the engine answered it (README: "Answer quality"). These are
# its figures today, less a little; the goal is GOALS. Raise them when the figures rise.
VALIDATION_FLOORS = {"hit_at_1": 0.91, "mrr_at_5": 0.94, "answer_in_top": 0.89,
                     "off_topic_declined": 0.81, "answered": 0.98}


def test_validation_set_is_well_formed():
    questions = load_questions(DATA / "validation_questions.jsonl")
    answerable = [q for q in questions if not q.off_topic]
    assert len(answerable) >= 250 and len(questions) - len(answerable) >= 60
    assert {h for q in answerable for h in q.headings} == set(HEADINGS)
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS), q.question
    dev = {q.question.casefold() for q in load_questions(DATA / "dev_questions.jsonl")}
    assert not dev & {q.question.casefold() for q in questions}, "the two sets share questions"


def test_validation_set_figures_do_not_fall(searcher):
    report = evaluate(searcher, load_questions(DATA / "validation_questions.jsonl"))
    below = {k: round(v, 3) for k, v in report.figures().items() if v < VALIDATION_FLOORS[k]}
    assert not below, f"figures fell below their floors: {below}; misses: {json.dumps(report.misses)[:2000]}"
    assert set(VALIDATION_FLOORS) == set(GOALS)
