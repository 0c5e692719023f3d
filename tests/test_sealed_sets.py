"""Sealed question sets: written before the changes they judge, never tuned on.

Each file under tests/data/sealed/ was written by someone who read only the page, before
the engine was changed for the batch it judges (README, "Answer quality"). Nothing is
fitted to them: `tools/fit_answerability.py` refuses them. The floors below are the
figures each set gave at first sight, less a small margin, so that a later change that
loses ground on questions nobody tuned for fails here. A failure prints only figures,
never the questions, so the sets stay sealed for the next reader.
"""

from __future__ import annotations

import pytest

from spms_search.evaluation import evaluate, load_questions

from .conftest import DATA, HEADINGS

SEALED = DATA / "sealed"

#: The figures a floor holds, in the order of the rows below.
FIGURES = ("hit_at_1_bar_off", "answer_sentence", "roc_auc", "off_topic_declined", "answered")
#: First-sight figures, rounded down by about two points (see the README for the figures);
#: None where a set has no floor on that figure. Since the ninth session's decision trees,
#: answered on round-9, -23, -25, -26, -27, -29, -31 and -34 and declined on round-26 and
#: round-30 are the trees' figure less two points. The trees withhold answers from a wrong
#: section and answer fewer off-topic questions: on the thirteen sealed sets written before
#: them, wrong-section answers fell on eleven, off-topic declined rose on eight and fell on
#: three (round-30 0.82 -> 0.76), right answers (Hit@1) rose or held on eleven and fell by
#: at most two on two; the bar-off, answer and ROC AUC floors still hold. (Round-33 to
#: round-36, first sight in the ninth session, became tuning sets in the eleventh: README.)
#: Round-37 to round-42: first
#: sight in the tenth session less two points (round-37 and round-38 measured at its start,
#: round-39 and round-40 before its second batch, round-41 and round-42 before its third).
#: Round-43 to round-50: first sight in the eleventh session less two points, each pair
#: measured before the batch it judged (round-43 and round-44 at the session's start).
#: Round-51 to round-60: first sight less two points (round-51 and round-52 at the end of
#: the eleventh session, round-53 and round-54 at the twelfth's start, round-55 and round-56
#: before its second batch, round-57 and round-58 before its fourth, round-59 and round-60
#: before its fifth). Round-61 to round-66: first sight less two points, all six measured at
#: the thirteenth session's start (written then, before its first batch). Round-67 and
#: round-68: first sight at the thirteenth session's end (written after its third batch).
#: Round-69 to round-72: first sight less two points, all four measured at the fourteenth
#: session's start (written then, before its first batch). Round-73 and round-74: first
#: sight before the fourteenth session's third batch; round-75 and round-76: first sight at
#: its end (written before its third batch, measured only then).
FLOOR_ROWS = [
    # set                   bar off  answer  ROC AUC  declined  answered
    ("round-7.jsonl",        0.79,   0.60,   0.89,    0.74,     0.84),
    # answered 0.85 -> 0.84 and the two below (fourteenth session): "useful" became a stem of
    # its own, no longer "use"/"used"; over every sealed set 4 fewer confident wrong answers
    # (tuning 3 fewer), 2 fewer right ones (both here); README "Fourteenth session"
    ("round-8.jsonl",        0.82,   0.56,   0.88,    0.77,     0.84),
    ("real-questions.jsonl", 0.46,   None,   0.75,    0.65,     None),
    ("round-9.jsonl",        0.80,   0.58,   0.92,    0.78,     0.86),
    # answered: 0.84 at first sight, 0.81 once the fourth batch declined answers from a wrong
    # section (0.24 -> 0.20, Hit@1 0.60 -> 0.61): the floor is set below the later figure
    ("round-23.jsonl",       0.66,   0.53,   0.86,    0.80,     0.75),
    ("round-24.jsonl",       0.72,   0.52,   0.82,    0.70,     0.73),
    ("round-25.jsonl",       0.68,   0.54,   0.79,    0.72,     0.72),
    ("round-26.jsonl",       0.72,   0.62,   0.85,    0.78,     0.76),
    ("round-27.jsonl",       0.76,   0.58,   0.83,    0.74,     0.76),
    ("round-28.jsonl",       0.71,   0.55,   0.91,    0.90,     0.82),
    ("round-29.jsonl",       0.78,   0.63,   0.89,    0.74,     0.79),  # answered: see round-8
    ("round-30.jsonl",       0.74,   0.52,   0.83,    0.74,     0.70),
    ("round-31.jsonl",       0.69,   0.54,   0.84,    0.74,     0.74),
    ("round-37.jsonl",       0.65,   0.48,   0.80,    0.80,     0.64),
    ("round-38.jsonl",       0.72,   0.46,   0.82,    0.72,     0.69),
    ("round-39.jsonl",       0.65,   0.48,   0.81,    0.80,     0.65),
    ("round-40.jsonl",       0.80,   0.57,   0.85,    0.86,     0.72),
    ("round-41.jsonl",       0.75,   0.63,   0.87,    0.78,     0.75),
    ("round-42.jsonl",       0.73,   0.50,   0.82,    0.80,     0.73),
    ("round-43.jsonl",       0.69,   0.52,   0.82,    0.72,     0.75),
    ("round-44.jsonl",       0.73,   0.56,   0.81,    0.74,     0.77),
    ("round-45.jsonl",       0.77,   0.55,   0.86,    0.84,     0.68),  # declined: see round-8
    ("round-46.jsonl",       0.76,   0.52,   0.84,    0.80,     0.72),
    ("round-47.jsonl",       0.75,   0.62,   0.89,    0.80,     0.79),
    ("round-48.jsonl",       0.84,   0.66,   0.90,    0.82,     0.82),
    ("round-49.jsonl",       0.78,   0.59,   0.88,    0.80,     0.75),
    ("round-50.jsonl",       0.77,   0.63,   0.90,    0.88,     0.80),
    ("round-51.jsonl",       0.84,   0.64,   0.90,    0.92,     0.74),
    ("round-52.jsonl",       0.78,   0.65,   0.89,    0.90,     0.75),
    ("round-53.jsonl",       0.76,   0.57,   0.90,    0.92,     0.72),
    ("round-54.jsonl",       0.73,   0.60,   0.88,    0.84,     0.79),
    ("round-55.jsonl",       0.75,   0.63,   0.89,    0.84,     0.80),
    ("round-56.jsonl",       0.76,   0.62,   0.85,    0.80,     0.80),
    ("round-57.jsonl",       0.75,   0.54,   0.88,    0.84,     0.72),
    ("round-58.jsonl",       0.76,   0.64,   0.94,    0.92,     0.76),
    ("round-59.jsonl",       0.76,   0.65,   0.91,    0.88,     0.76),
    ("round-60.jsonl",       0.73,   0.53,   0.89,    0.90,     0.72),
    ("round-61.jsonl",       0.73,   0.62,   0.87,    0.84,     0.75),
    ("round-62.jsonl",       0.70,   0.50,   0.89,    0.90,     0.71),
    ("round-63.jsonl",       0.81,   0.64,   0.92,    0.92,     0.75),
    ("round-64.jsonl",       0.75,   0.56,   0.87,    0.80,     0.77),
    ("round-65.jsonl",       0.74,   0.60,   0.91,    0.88,     0.76),
    ("round-66.jsonl",       0.76,   0.64,   0.86,    0.80,     0.83),
    ("round-67.jsonl",       0.75,   0.63,   0.93,    0.88,     0.84),
    ("round-68.jsonl",       0.72,   0.52,   0.88,    0.90,     0.69),
    ("round-69.jsonl",       0.81,   0.67,   0.90,    0.86,     0.82),
    ("round-70.jsonl",       0.75,   0.59,   0.92,    0.90,     0.76),
    ("round-71.jsonl",       0.80,   0.61,   0.89,    0.86,     0.77),
    ("round-72.jsonl",       0.81,   0.64,   0.92,    0.88,     0.82),
    ("round-73.jsonl",       0.82,   0.65,   0.89,    0.80,     0.75),
    ("round-74.jsonl",       0.78,   0.64,   0.91,    0.88,     0.79),
    ("round-75.jsonl",       0.74,   0.63,   0.88,    0.86,     0.82),
    ("round-76.jsonl",       0.79,   0.65,   0.92,    0.88,     0.79),
]
FLOORS = {name: {k: v for k, v in zip(FIGURES, values) if v is not None} for name, *values in FLOOR_ROWS}


@pytest.mark.parametrize("name", sorted(p.name for p in SEALED.glob("*.jsonl")))
def test_a_sealed_set_is_well_formed(name):
    questions = load_questions(SEALED / name)
    answerable = [q for q in questions if not q.off_topic]
    assert answerable and len(answerable) < len(questions)
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS) and q.answers


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_sealed_set_figures_do_not_fall_below_their_first_sight(searcher, name):
    report = evaluate(searcher, load_questions(SEALED / name))
    got = report.to_dict()
    below = {k: round(got[k], 3) for k, floor in FLOORS[name].items() if got[k] < floor}
    assert not below, f"{name}: below the first-sight floor: {below}"
