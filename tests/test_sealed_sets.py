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

from spms_search.evaluation import evaluate, load_questions, unseen

from .conftest import DATA, HEADINGS

SEALED = DATA / "sealed"

#: The figures a floor holds, in the order of the rows below.
FIGURES = ("hit_at_1_bar_off", "answer_sentence", "roc_auc", "off_topic_declined", "answered")
#: First-sight figures, rounded down by about two points (see the README for the figures);
#: None where a set has no floor on that figure. Round-241 to round-276 (written in the
#: twenty-second session) at first sight with main as it stood when each batch was judged
#: (round-257 to round-260 with the engine before batch C, as it happened), round-245 to
#: round-248 with the engine of batch B, round-265 to round-268 with that of batch E and
#: round-273 to round-276 with the session's end engine. Round-277 to round-284 (written in
#: the twenty-third session) at first sight with that session's start engine, before the
#: refit they judged; round-285 to round-300 with its end engine (round-289 to round-296
#: judged two variants of that refit, both left out). Round-301 to round-308 (written in
#: the twenty-fourth session) at first sight with that session's start engine, before the
#: batches they judged (round-305 to round-308 the thirteenth vocabulary review, merged).
#: Round-309 to round-316 (written in the twenty-fifth session) at first sight with that
#: session's start engine, before the batches they judged. real-25 (25 real questions, all
#: off-topic: the public pages are nearly used up) at first sight with that session's end
#: engine, whose decision is the start engine's. Round-317 to round-324 (written in the
#: twenty-sixth session) at first sight with that session's start engine, before the batches
#: they judged; round-325 to round-328 (written later in it) with main after its batch C,
#: round-329 to round-332 with main after its batch H, round-333 to round-336 after its
#: batch K. Round-337 to round-344 (written in the twenty-seventh session) at first sight
#: with that session's start engine, before the batches they judged; round-345 to round-348
#: (written later in it) with main after its batches Q and M, round-349 to round-356 with
#: main after its batch HC, round-357 to round-360 with main after batch W was withdrawn
#: (the engine of round-349 to round-356's first sight), round-361 to round-364 with main
#: after its batch W3. Round-365 to round-372 (written in the twenty-eighth session) at
#: first sight with that session's start engine, before the batches they judged; round-373 to
#: round-380 (written later in it) with main after its batches WCBD and WS, round-381 to
#: round-384 with main after its batches VT and IL, round-385 to round-388 with main after
#: its batch WCBD2 and the self-review.
#: (Round-23 to round-31 and
#: round-37 to round-60 became tuning sets in the fifteenth session, round-61 to round-90 in
#: the sixteenth, round-91 to round-240 in the twenty-third: README.)
#:
#: real-retired.jsonl holds the real questions of round-91 to round-240, kept sealed when the
#: rest of those rounds became tuning sets: its floor is the twenty-third session's end
#: figures (a later look, not the first) less two points.
#:
#: "answered" on round-7 is 0.84 less one question (0.836): the eighteenth session removed
#: three vocabulary entries that were not true in general ("what happens next" as the stage
#: after SPMS, docs/vocabulary.md); one round-7 question leaned on one of them.
#:
#: "answered" on round-8 and round-9 is the fifteenth session's first-batch figure less two
#: points. That batch refitted the answer-or-decline model on 8,653 tuning questions with
#: the bar declining as many off-topic tuning questions as the model it replaced. It
#: declined answers from a wrong section far more than right ones (round-77 to round-84,
#: 1,200 questions: right answers 545 -> 533, from a wrong section 104 -> 70, off-topic
#: declined 0.888 -> 0.910). A confident wrong answer is the worse failure, so the trade
#: was taken.
FLOOR_ROWS = [
    # set                   bar off  answer  ROC AUC  declined  answered
    ("round-7.jsonl",        0.79,    0.60,    0.89,    0.74,    0.83),
    ("round-8.jsonl",        0.82,    0.56,    0.88,    0.77,    0.79),
    ("real-questions.jsonl", 0.46,    None,    0.75,    0.65,    None),
    ("round-9.jsonl",        0.80,    0.58,    0.92,    0.78,    0.80),
    ("round-241.jsonl",      0.90,    0.81,    0.95,    0.98,    0.89),
    ("round-242.jsonl",      0.92,    0.82,    0.96,    0.96,    0.88),
    ("round-243.jsonl",      0.90,    0.82,    0.95,    0.96,    0.87),
    ("round-244.jsonl",      0.94,    0.91,    0.97,    0.96,    0.95),
    ("round-245.jsonl",      0.92,    0.84,    0.97,    0.98,    0.91),
    ("round-246.jsonl",      0.94,    0.90,    0.96,    0.96,    0.94),
    ("round-247.jsonl",      0.89,    0.85,    0.97,    0.98,    0.91),
    ("round-248.jsonl",      0.96,    0.86,    0.96,    0.94,    0.93),
    ("round-249.jsonl",      0.94,    0.85,    0.97,    0.92,    0.92),
    ("round-250.jsonl",      0.95,    0.82,    0.97,    0.98,    0.90),
    ("round-251.jsonl",      0.95,    0.89,    0.97,    0.98,    0.93),
    ("round-252.jsonl",      0.90,    0.81,    0.96,    0.92,    0.88),
    ("round-253.jsonl",      0.92,    0.81,    0.96,    0.96,    0.87),
    ("round-254.jsonl",      0.92,    0.79,    0.97,    0.98,    0.90),
    ("round-255.jsonl",      0.87,    0.77,    0.96,    0.96,    0.86),
    ("round-256.jsonl",      0.93,    0.84,    0.97,    0.94,    0.92),
    ("round-257.jsonl",      0.95,    0.89,    0.98,    0.98,    0.96),
    ("round-258.jsonl",      0.93,    0.85,    0.96,    0.98,    0.90),
    ("round-259.jsonl",      0.96,    0.89,    0.98,    0.98,    0.94),
    ("round-260.jsonl",      0.89,    0.77,    0.96,    0.98,    0.87),
    ("round-261.jsonl",      0.95,    0.88,    0.97,    0.98,    0.92),
    ("round-262.jsonl",      0.92,    0.79,    0.97,    0.98,    0.87),
    ("round-263.jsonl",      0.96,    0.92,    0.97,    0.98,    0.95),
    ("round-264.jsonl",      0.93,    0.78,    0.97,    0.96,    0.92),
    ("round-265.jsonl",      0.98,    0.86,    0.97,    0.92,    0.90),
    ("round-266.jsonl",      0.92,    0.82,    0.96,    0.98,    0.89),
    ("round-267.jsonl",      0.93,    0.81,    0.97,    0.98,    0.91),
    ("round-268.jsonl",      0.88,    0.78,    0.96,    0.98,    0.89),
    ("round-269.jsonl",      0.95,    0.89,    0.96,    0.96,    0.95),
    ("round-270.jsonl",      0.94,    0.85,    0.97,    0.98,    0.93),
    ("round-271.jsonl",      0.93,    0.84,    0.97,    0.98,    0.91),
    ("round-272.jsonl",      0.93,    0.88,    0.97,    0.98,    0.94),
    ("round-273.jsonl",      0.94,    0.81,    0.96,    0.94,    0.89),
    ("round-274.jsonl",      0.91,    0.84,    0.97,    0.98,    0.90),
    ("round-275.jsonl",      0.92,    0.81,    0.96,    0.94,    0.88),
    ("round-276.jsonl",      0.92,    0.87,    0.97,    0.98,    0.94),
    ("round-277.jsonl",      0.93,    0.82,    0.97,    0.98,    0.89),
    ("round-278.jsonl",      0.96,    0.78,    0.97,    0.98,    0.87),
    ("round-279.jsonl",      0.92,    0.83,    0.97,    0.98,    0.91),
    ("round-280.jsonl",      0.91,    0.86,    0.96,    0.96,    0.91),
    ("round-281.jsonl",      0.92,    0.81,    0.97,    0.96,    0.90),
    ("round-282.jsonl",      0.93,    0.83,    0.97,    0.96,    0.91),
    ("round-283.jsonl",      0.92,    0.84,    0.96,    0.96,    0.88),
    ("round-284.jsonl",      0.93,    0.83,    0.96,    0.96,    0.89),
    ("round-285.jsonl",      0.96,    0.91,    0.98,    0.98,    0.97),
    ("round-286.jsonl",      0.95,    0.83,    0.97,    0.98,    0.92),
    ("round-287.jsonl",      0.95,    0.83,    0.96,    0.98,    0.91),
    ("round-288.jsonl",      0.95,    0.83,    0.97,    0.98,    0.93),
    ("round-289.jsonl",      0.96,    0.89,    0.97,    0.94,    0.95),
    ("round-290.jsonl",      0.95,    0.90,    0.97,    0.96,    0.94),
    ("round-291.jsonl",      0.96,    0.91,    0.97,    0.98,    0.94),
    ("round-292.jsonl",      0.93,    0.83,    0.97,    0.98,    0.91),
    ("round-293.jsonl",      0.94,    0.84,    0.97,    0.98,    0.93),
    ("round-294.jsonl",      0.95,    0.83,    0.97,    0.96,    0.91),
    ("round-295.jsonl",      0.94,    0.82,    0.97,    0.98,    0.92),
    ("round-296.jsonl",      0.92,    0.83,    0.97,    0.98,    0.92),
    ("round-297.jsonl",      0.96,    0.89,    0.97,    0.98,    0.94),
    ("round-298.jsonl",      0.97,    0.86,    0.98,    0.98,    0.90),
    ("round-299.jsonl",      0.94,    0.87,    0.97,    0.96,    0.94),
    ("round-300.jsonl",      0.90,    0.85,    0.96,    0.98,    0.91),
    ("round-301.jsonl",      0.94,    0.78,    0.97,    0.98,    0.91),
    ("round-302.jsonl",      0.94,    0.91,    0.96,    0.98,    0.95),
    ("round-303.jsonl",      0.92,    0.87,    0.97,    0.98,    0.91),
    ("round-304.jsonl",      0.94,    0.90,    0.97,    0.98,    0.93),
    ("round-305.jsonl",      0.93,    0.84,    0.97,    0.96,    0.91),
    ("round-306.jsonl",      0.92,    0.85,    0.97,    0.98,    0.90),
    ("round-307.jsonl",      0.96,    0.83,    0.97,    0.98,    0.93),
    ("round-308.jsonl",      0.97,    0.89,    0.97,    0.98,    0.97),
    ("round-309.jsonl",      0.94,    0.87,    0.97,    0.98,    0.91),
    ("round-310.jsonl",      0.93,    0.84,    0.96,    0.98,    0.90),
    ("round-311.jsonl",      0.96,    0.90,    0.97,    0.98,    0.96),
    ("round-312.jsonl",      0.95,    0.87,    0.97,    0.98,    0.91),
    ("round-313.jsonl",      0.96,    0.89,    0.97,    0.96,    0.95),
    ("round-314.jsonl",      0.92,    0.87,    0.97,    0.98,    0.93),
    ("round-315.jsonl",      0.94,    0.88,    0.97,    0.98,    0.96),
    ("round-316.jsonl",      0.96,    0.86,    0.98,    0.98,    0.94),
    ("round-317.jsonl",      0.96,    0.87,    0.97,    0.98,    0.95),
    ("round-318.jsonl",      0.96,    0.89,    0.97,    0.98,    0.95),
    ("round-319.jsonl",      0.96,    0.88,    0.97,    0.98,    0.95),
    ("round-320.jsonl",      0.93,    0.87,    0.97,    0.98,    0.92),
    ("round-321.jsonl",      0.97,    0.92,    0.98,    0.98,    0.96),
    ("round-322.jsonl",      0.97,    0.87,    0.97,    0.98,    0.94),
    ("round-323.jsonl",      0.96,    0.84,    0.97,    0.98,    0.94),
    ("round-324.jsonl",      0.94,    0.89,    0.97,    0.98,    0.92),
    ("round-325.jsonl",      0.94,    0.88,    0.97,    0.96,    0.94),
    ("round-326.jsonl",      0.93,    0.87,    0.97,    0.96,    0.97),
    ("round-327.jsonl",      0.96,    0.87,    0.98,    0.98,    0.93),
    ("round-328.jsonl",      0.96,    0.90,    0.97,    0.98,    0.96),
    ("round-329.jsonl",      0.95,    0.89,    0.97,    0.98,    0.96),
    ("round-330.jsonl",      0.95,    0.88,    0.97,    0.98,    0.94),
    ("round-331.jsonl",      0.95,    0.90,    0.97,    0.98,    0.94),
    ("round-332.jsonl",      0.96,    0.88,    0.97,    0.98,    0.93),
    ("round-333.jsonl",      0.95,    0.84,    0.97,    0.96,    0.93),
    ("round-334.jsonl",      0.93,    0.84,    0.97,    0.98,    0.91),
    ("round-335.jsonl",      0.93,    0.87,    0.98,    0.98,    0.96),
    ("round-336.jsonl",      0.95,    0.90,    0.97,    0.98,    0.93),
    ("round-337.jsonl",      0.94,    0.84,    0.97,    0.98,    0.91),
    ("round-338.jsonl",      0.96,    0.90,    0.97,    0.98,    0.95),
    ("round-339.jsonl",      0.95,    0.89,    0.97,    0.98,    0.94),
    ("round-340.jsonl",      0.95,    0.93,    0.98,    0.98,    0.95),
    ("round-341.jsonl",      0.94,    0.84,    0.97,    0.96,    0.93),
    ("round-342.jsonl",      0.98,    0.92,    0.98,    0.98,    0.94),
    ("round-343.jsonl",      0.92,    0.82,    0.96,    0.98,    0.86),
    ("round-344.jsonl",      0.92,    0.84,    0.96,    0.98,    0.91),
    ("round-345.jsonl",      0.92,    0.87,    0.96,    0.98,    0.93),
    ("round-346.jsonl",      0.92,    0.83,    0.96,    0.98,    0.92),
    ("round-347.jsonl",      0.96,    0.88,    0.97,    0.96,    0.95),
    ("round-348.jsonl",      0.93,    0.85,    0.97,    0.96,    0.92),
    ("round-349.jsonl",      0.95,    0.92,    0.97,    0.98,    0.95),
    ("round-350.jsonl",      0.97,    0.89,    0.98,    0.98,    0.94),
    ("round-351.jsonl",      0.94,    0.88,    0.97,    0.98,    0.94),
    ("round-352.jsonl",      0.90,    0.85,    0.96,    0.98,    0.89),
    ("round-353.jsonl",      0.93,    0.88,    0.97,    0.94,    0.95),
    ("round-354.jsonl",      0.94,    0.84,    0.97,    0.98,    0.93),
    ("round-355.jsonl",      0.89,    0.83,    0.96,    0.98,    0.89),
    ("round-356.jsonl",      0.97,    0.94,    0.97,    0.96,    0.95),
    ("round-357.jsonl",      0.94,    0.90,    0.97,    0.98,    0.93),
    ("round-358.jsonl",      0.95,    0.92,    0.98,    0.98,    0.94),
    ("round-359.jsonl",      0.95,    0.89,    0.97,    0.98,    0.92),
    ("round-360.jsonl",      0.87,    0.85,    0.97,    0.98,    0.86),
    ("round-361.jsonl",      0.97,    0.94,    0.97,    0.98,    0.95),
    ("round-362.jsonl",      0.94,    0.90,    0.97,    0.98,    0.94),
    ("round-363.jsonl",      0.95,    0.87,    0.96,    0.94,    0.93),
    ("round-364.jsonl",      0.95,    0.89,    0.97,    0.96,    0.93),
    ("round-365.jsonl",      0.95,    0.87,    0.97,    0.96,    0.92),
    ("round-366.jsonl",      0.91,    0.86,    0.95,    0.96,    0.92),
    ("round-367.jsonl",      0.95,    0.89,    0.98,    0.98,    0.95),
    ("round-368.jsonl",      0.95,    0.91,    0.97,    0.98,    0.95),
    ("round-369.jsonl",      0.96,    0.93,    0.98,    0.98,    0.97),
    ("round-370.jsonl",      0.95,    0.92,    0.97,    0.98,    0.93),
    ("round-371.jsonl",      0.96,    0.92,    0.97,    0.98,    0.96),
    ("round-372.jsonl",      0.95,    0.89,    0.96,    0.98,    0.94),
    ("round-373.jsonl",      0.97,    0.91,    0.98,    0.98,    0.97),
    ("round-374.jsonl",      0.95,    0.91,    0.97,    0.98,    0.94),
    ("round-375.jsonl",      0.96,    0.90,    0.97,    0.98,    0.95),
    ("round-376.jsonl",      0.97,    0.89,    0.97,    0.96,    0.95),
    ("round-377.jsonl",      0.97,    0.89,    0.98,    0.98,    0.96),
    ("round-378.jsonl",      0.94,    0.91,    0.98,    0.98,    0.95),
    ("round-379.jsonl",      0.96,    0.92,    0.97,    0.98,    0.94),
    ("round-380.jsonl",      0.96,    0.87,    0.98,    0.98,    0.92),
    ("round-381.jsonl",      0.95,    0.92,    0.97,    0.98,    0.95),
    ("round-382.jsonl",      0.97,    0.91,    0.97,    0.98,    0.97),
    ("round-383.jsonl",      0.94,    0.86,    0.97,    0.98,    0.97),
    ("round-384.jsonl",      0.98,    0.95,    0.97,    0.96,    0.97),
    ("round-385.jsonl",      0.96,    0.92,    0.97,    0.94,    0.95),
    ("round-386.jsonl",      0.93,    0.85,    0.97,    0.98,    0.92),
    ("round-387.jsonl",      0.95,    0.89,    0.97,    0.98,    0.94),
    ("round-388.jsonl",      0.95,    0.88,    0.97,    0.98,    0.93),
    ("real-25.jsonl",        None,    None,    None,    0.90,    None),
    ("real-retired.jsonl",   0.74,    0.45,    0.87,    0.92,    0.50),
]
FLOORS = {name: {k: v for k, v in zip(FIGURES, values) if v is not None} for name, *values in FLOOR_ROWS}


@pytest.mark.parametrize("name", sorted(p.name for p in SEALED.glob("*.jsonl")))
def test_a_sealed_set_is_well_formed(name):
    questions = load_questions(SEALED / name)
    answerable = [q for q in questions if not q.off_topic]
    assert questions
    if not name.startswith("real-"):
        # a written round holds both kinds; real questions are what people asked, and the page
        # answers few of them (real-25: none)
        assert answerable and len(answerable) < len(questions)
    for q in answerable:
        assert set(q.headings) <= set(HEADINGS) and q.answers


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_sealed_set_figures_do_not_fall_below_their_first_sight(searcher, name):
    report = evaluate(searcher, load_questions(SEALED / name))
    got = report.to_dict()
    below = {k: round(got[k], 3) for k, floor in FLOORS[name].items() if got[k] < floor}
    assert not below, f"{name}: below the first-sight floor: {below}"


#: The part of round-277 to round-284 that no tuning set holds word for word (about one
#: sealed question in three is a tuning question in the same words, and the engine was
#: tuned on it): pooled first-sight figures at the twenty-third session's start, before the
#: refit they judged (548 answerable + 229 off-topic; bar off 0.929, answer 0.799, ROC AUC
#: 0.985, declined 0.978, answered 0.881), less two points. The honest floor: it holds only
#: what is new to the engine.
UNSEEN_ROUNDS = [f"round-{n}.jsonl" for n in range(277, 285)]
UNSEEN_FLOOR = dict(zip(FIGURES, (0.90, 0.77, 0.96, 0.95, 0.86)))
TUNED_ON = [DATA / "tuning", DATA / "dev_questions.jsonl", DATA / "validation_questions.jsonl"]


def test_the_questions_no_tuning_set_holds_stay_above_their_first_sight(searcher):
    asked = [q for name in UNSEEN_ROUNDS for q in load_questions(SEALED / name)]
    new = unseen(asked, TUNED_ON)
    # the copies are left out, and they are a minority
    assert len(asked) * 0.6 < len(new) < len(asked)
    got = evaluate(searcher, new).to_dict()
    below = {k: round(got[k], 3) for k, floor in UNSEEN_FLOOR.items() if got[k] < floor}
    assert not below, f"unseen part of round-277 to round-284: below the first-sight floor: {below}"

#: The question-text decision refitted on the retired rounds (twenty-third session, batch
#: R2) as its judges measured it once, before it was merged: the unseen part of round-281 to
#: round-284 (269 answerable + 111 off-topic; bar off 0.948, answer 0.844, ROC AUC 0.989,
#: declined 1.000, answered 0.933), less two points. What the merge bought is held here.
JUDGED_ROUNDS = [f"round-{n}.jsonl" for n in range(281, 285)]
JUDGED_FLOOR = dict(zip(FIGURES, (0.92, 0.82, 0.96, 0.98, 0.91)))


@pytest.mark.parametrize("rounds, floor", [(JUDGED_ROUNDS, JUDGED_FLOOR)],
                         ids=["question-text refit, round-281 to 284"])
def test_a_merged_decision_holds_what_its_judges_measured(searcher, rounds, floor):
    new = unseen([q for name in rounds for q in load_questions(SEALED / name)], TUNED_ON)
    got = evaluate(searcher, new).to_dict()
    below = {k: round(got[k], 3) for k, floor in floor.items() if got[k] < floor}
    assert not below, f"unseen part of {rounds[0]} to {rounds[-1]}: below the judged floor: {below}"
