"""Evaluation: metric code on hand-checked cases, and the development question set."""

from __future__ import annotations

import math

import pytest

from spms_search.errors import QueryError
from spms_search.evaluation import (
    average_precision,
    evaluate,
    holds,
    load_questions,
    ndcg_at_k,
    precision_at_k,
    question_key,
    roc_auc,
    unseen,
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
    bad.write_text('{"question": "ok", "off_topic": true}\nnot json\n')
    with pytest.raises(QueryError, match="line 2"):
        load_questions(bad)
    with pytest.raises(QueryError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")


@pytest.mark.parametrize("line, why", [
    ('["a list"]', "JSON object"),
    ('{"question": null, "off_topic": true}', "non-empty string"),
    ('{"question": "is MS contagious", "off_topic": "no"}', "true or false"),
    ('{"question": "steroids?", "headings": [1, 2]}', "list of strings"),
    ('{"question": "steroids?"}', "needs 'headings'"),
    ('[' * 100_000 + ']' * 100_000, "line 1"),
])
def test_a_question_line_that_is_json_but_not_a_question_is_refused(tmp_path, line, why):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line + "\n")
    with pytest.raises(QueryError, match=why):
        load_questions(bad)


def test_an_empty_question_file_is_an_error_not_a_row_of_zeros(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(QueryError, match="no questions"):
        load_questions(empty)


def test_one_heading_may_be_given_as_a_string(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "steroids?", "headings": "Steroids", "answer": "treated"}\n')
    assert load_questions(f)[0].headings == ("Steroids",)


def test_roc_auc_by_hand():
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.1], [0.9]) == 0.0
    # one of two positives above the negative, the other tied: (1 + 0.5) / 2
    assert roc_auc([0.9, 0.5], [0.5]) == pytest.approx(0.75)


def test_an_answer_is_found_whatever_its_case_quotes_and_spacing():
    assert holds("It’s  called Active SPMS.", ["it's called active"])
    assert not holds("It is called active SPMS.", ["it's called active"])


def test_the_development_set_covers_every_section_and_phrasing():
    questions = load_questions(DATA / "dev_questions.jsonl")
    answerable = [q for q in questions if not q.off_topic]
    assert len(answerable) >= 80 and len(questions) - len(answerable) >= 15
    assert {q.headings[0] for q in answerable} | {h for q in answerable for h in q.headings} >= set(HEADINGS)
    kinds = {q.kind for q in answerable}
    assert {"lay", "abbrev", "brand", "spelling", "typo", "oneword", "long"} <= kinds
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS), q.question


def test_validation_set_is_well_formed():
    questions = load_questions(DATA / "validation_questions.jsonl")
    answerable = [q for q in questions if not q.off_topic]
    assert len(answerable) >= 250 and len(questions) - len(answerable) >= 60
    assert {h for q in answerable for h in q.headings} == set(HEADINGS)
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS), q.question
    dev = {q.question.casefold() for q in load_questions(DATA / "dev_questions.jsonl")}
    assert not dev & {q.question.casefold() for q in questions}, "the two sets share questions"




def test_evaluate_judges_the_answer_sentence_and_the_confidence(searcher, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(
        '{"question": "can I still get relapses?", "headings": '
        '["Can you still get relapses with secondary progressive MS (SPMS)?"], '
        '"answer": "occasional relapse"}\n'
        '{"question": "can I still get relapses?", "headings": '
        '["Can you still get relapses with secondary progressive MS (SPMS)?"], '
        '"answer": "text that is on no page"}\n'
        '{"question": "how do I renew my driving licence", "off_topic": true}\n')
    report = evaluate(searcher, load_questions(f))
    assert (report.answerable, report.off_topic) == (2, 1)
    assert report.hit_at_1 == 1.0 and report.answer_sentence == 0.5
    assert report.off_topic_declined == 1.0 and report.roc_auc == 1.0
    assert [m["why"] for m in report.misses] == ["answer not in top passage"]
    assert report.answered_wrong == 0.0


def test_evaluate_counts_a_confident_answer_from_the_wrong_section(searcher, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "can I still get relapses?", "headings": ["Steroids"]}\n'
                 '{"question": "can I still get relapses?", "headings": '
                 '["Can you still get relapses with secondary progressive MS (SPMS)?"]}\n')
    report = evaluate(searcher, load_questions(f))
    assert report.answered == 1.0 and report.answered_wrong == 0.5
    assert report.to_dict()["answered_wrong"] == 0.5


def test_evaluate_breaks_the_figures_down_by_the_kind_of_question(searcher, tmp_path):
    # which ways of asking fail, without printing a question: usable on a sealed set
    relapses = '["Can you still get relapses with secondary progressive MS (SPMS)?"]'
    f = tmp_path / "q.jsonl"
    f.write_text(f'{{"question": "can I still get relapses?", "headings": {relapses}, "kind": "plain"}}\n'
                 f'{{"question": "can I still get relapses?", "headings": ["Steroids"], "kind": "typo"}}\n'
                 '{"question": "how do I renew my driving licence", "off_topic": true, "kind": "typo"}\n'
                 f'{{"question": "can I still get relapses?", "headings": {relapses}}}\n')
    table = evaluate(searcher, load_questions(f)).by_kind
    assert set(table) == {"plain", "typo"}  # a question without a kind is in no row
    assert table["plain"]["hit_at_1"] == 1.0 and "off_topic_declined" not in table["plain"]
    assert table["typo"]["answered_wrong"] == 1.0 and table["typo"]["off_topic_declined"] == 1.0
    assert (table["typo"]["answerable"], table["typo"]["off_topic"]) == (1, 1)


def test_a_question_tuned_on_word_for_word_is_not_unseen(tmp_path):
    # Case, punctuation and spacing do not make a question new; one changed word does.
    assert question_key("  What's  SPMS?") == question_key("whats spms") == "whats spms"
    tuned = tmp_path / "tuned.jsonl"
    tuned.write_text('{"question": "What are the side effects of siponimod?", "off_topic": true}\n')
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "what are the side effects of Siponimod", "off_topic": true}\n'
                    '{"question": "what are the side effects of ozanimod?", "off_topic": true}\n')
    asked = load_questions(path)
    assert [q.question for q in unseen(asked, [tuned])] == ["what are the side effects of ozanimod?"]
    assert unseen(asked, [path]) == []
