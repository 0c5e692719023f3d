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
#: None where a set has no floor on that figure. Round-91 to round-94: first sight at the
#: sixteenth session's start (written at the fifteenth's end). Round-95 to round-100: first
#: sight at the sixteenth session's start, before the batch they judge; round-101 to
#: round-104 at first sight in the same session, before its first batch; round-105 to
#: round-108 at first sight after its second batch, before that batch's mend; round-109 to
#: round-116 at first sight at the seventeenth session's start, and round-117 to round-124
#: (written in that session before any change to the engine) at first sight with the same
#: engine; round-125 to round-138 (written after its second batch) at first sight with
#: the engine of that batch, which is the session's end engine; round-139 to round-148
#: (written in the eighteenth session) at first sight with the seventeenth session's end
#: engine, before the eighteenth session's vocabulary change (three entries removed);
#: round-149 to round-160 (written in that session) at first sight with main as it stood
#: when each batch was written, before the question-text decision was merged; round-161 to
#: round-164 (written after it was merged) at first sight with it, before the session's
#: last vocabulary batch; round-165 to round-172 (written at the nineteenth session's
#: start) at first sight with that session's start engine; round-173 to round-192 (written
#: in that session after its passage-level words model was merged) at first sight with
#: main as it stood when each batch was written; round-193 to round-212 (written in the
#: twentieth session) and round-213 to round-220 at first sight with main as it stood when
#: each batch was written, the last four with the session's end engine; round-221 to
#: round-240 (written in the twenty-first session) likewise, round-221 to round-224 with the
#: session's start engine and round-237 to round-240 with its end engine; round-241 to
#: round-276 (written in the twenty-second session) with main as it stood when each batch
#: was judged (round-257 to round-260 with the engine before batch C, as it happened),
#: round-245 to round-248 with the engine of batch B, round-265 to round-268 with that of
#: batch E and round-273 to round-276 with the session's end engine. (Round-23 to
#: round-31 and round-37 to round-60 became tuning sets in the fifteenth session, round-61
#: to round-90 in the sixteenth: README.)
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
#:
#: Round-125's, round-131's and round-167's "declined" are the nineteenth session's passage-level
#: decision's figures less two points. Its judges (the unseen part of round-169 to
#: round-172) gained four right answers for one more confident wrong one, and the top
#: passage held the answer far more often (0.821 -> 0.891); on these three rounds it answered
#: two, one and two more off-topic questions (0.98 -> 0.94, 0.96 -> 0.94, 1.00 -> 0.96),
#: with the same right answers on the first two and three more on round-167.
#:
#: Round-166's "declined" and round-176's "answer" are the twentieth session's refit's
#: figures less two points. That refit (today's rules and vocabulary, words model C 16, bar
#: 0.64) was judged on the unseen part of round-193 to round-196: right answers 309 -> 312,
#: confident wrong 9 -> 8. On round-166 it answered one more off-topic question (0.98 ->
#: 0.96); on round-176 the answer sentence held the answer in two questions fewer (0.91 ->
#: 0.89).
#:
#: "answered" on round-167, round-178, round-179, round-184, round-186 and round-190, and
#: "answer" on round-179, round-186 and round-190, are the twentieth session's second refit's
#: figures less two points. That refit (after the tenth and eleventh reviews changed how
#: questions are read; the tool's rule picked W 1 and the bar 0.75) was judged on the unseen
#: part of round-205 to round-208: right answers 300 -> 294, confident wrong 5 -> 5; on the
#: real questions (second look) confident wrong 14 -> 10, right 7 both. Over round-165 to
#: round-204 unseen (4,753) it gave 63 fewer right answers and 30 fewer confident wrong ones
#: (87 -> 57): it declines where it used to answer, on these six rounds most. Round-195's
#: and round-197's "answered", written in the same session and first seen before it, are its
#: figures less two points too (0.99 -> 0.95 and 0.94 -> 0.91).
#:
#: Round-92's "declined" and round-96's "answered" are the sixteenth session's first-batch
#: figures less two points. That batch refitted the model on 13,153 tuning questions (thirty
#: more retired sealed rounds). Over round-91 to round-100 pooled (1,000 answerable + 500
#: off-topic, both floors' rounds among them) it gave six more right answers (709 -> 715)
#: and four fewer confident wrong ones (from a wrong section 81 -> 75, off-topic answered 50
#: -> 52). Round-92 declined three fewer off-topic questions (0.92 -> 0.86) and round-96
#: answered three fewer answerable ones (0.87 -> 0.84).
FLOOR_ROWS = [
    # set                   bar off  answer  ROC AUC  declined  answered
    ("round-7.jsonl",        0.79,    0.60,    0.89,    0.74,    0.83),
    ("round-8.jsonl",        0.82,    0.56,    0.88,    0.77,    0.79),
    ("real-questions.jsonl", 0.46,    None,    0.75,    0.65,    None),
    ("round-9.jsonl",        0.80,    0.58,    0.92,    0.78,    0.80),
    ("round-91.jsonl",       0.75,    0.60,    0.89,    0.86,    0.75),
    ("round-92.jsonl",       0.84,    0.70,    0.91,    0.84,    0.79),
    ("round-93.jsonl",       0.80,    0.66,    0.94,    0.90,    0.78),
    ("round-94.jsonl",       0.84,    0.64,    0.87,    0.80,    0.74),
    ("round-95.jsonl",       0.78,    0.60,    0.92,    0.92,    0.75),
    ("round-96.jsonl",       0.80,    0.68,    0.93,    0.92,    0.82),
    ("round-97.jsonl",       0.82,    0.64,    0.90,    0.88,    0.77),
    ("round-98.jsonl",       0.78,    0.64,    0.91,    0.90,    0.78),
    ("round-99.jsonl",       0.81,    0.69,    0.90,    0.86,    0.78),
    ("round-100.jsonl",      0.71,    0.56,    0.87,    0.86,    0.71),
    ("round-101.jsonl",      0.68,    0.56,    0.93,    0.96,    0.76),
    ("round-102.jsonl",      0.71,    0.63,    0.90,    0.84,    0.78),
    ("round-103.jsonl",      0.80,    0.61,    0.91,    0.92,    0.70),
    ("round-104.jsonl",      0.75,    0.60,    0.89,    0.92,    0.73),
    ("round-105.jsonl",      0.83,    0.63,    0.92,    0.90,    0.76),
    ("round-106.jsonl",      0.80,    0.67,    0.93,    0.86,    0.82),
    ("round-107.jsonl",      0.75,    0.60,    0.89,    0.88,    0.67),
    ("round-108.jsonl",      0.86,    0.71,    0.92,    0.84,    0.87),
    ("round-109.jsonl",      0.77,    0.66,    0.91,    0.88,    0.75),
    ("round-110.jsonl",      0.79,    0.68,    0.92,    0.90,    0.76),
    ("round-111.jsonl",      0.69,    0.59,    0.90,    0.86,    0.76),
    ("round-112.jsonl",      0.78,    0.62,    0.93,    0.92,    0.75),
    ("round-113.jsonl",      0.82,    0.66,    0.93,    0.90,    0.80),
    ("round-114.jsonl",      0.80,    0.58,    0.91,    0.92,    0.66),
    ("round-115.jsonl",      0.82,    0.70,    0.94,    0.96,    0.84),
    ("round-116.jsonl",      0.78,    0.62,    0.92,    0.88,    0.78),
    ("round-117.jsonl",      0.74,    0.60,    0.91,    0.92,    0.67),
    ("round-118.jsonl",      0.77,    0.66,    0.91,    0.90,    0.77),
    ("round-119.jsonl",      0.83,    0.65,    0.93,    0.90,    0.78),
    ("round-120.jsonl",      0.74,    0.55,    0.89,    0.90,    0.71),
    ("round-121.jsonl",      0.71,    0.56,    0.92,    0.94,    0.71),
    ("round-122.jsonl",      0.76,    0.60,    0.89,    0.84,    0.71),
    ("round-123.jsonl",      0.79,    0.61,    0.90,    0.88,    0.69),
    ("round-124.jsonl",      0.76,    0.69,    0.87,    0.84,    0.76),
    ("round-125.jsonl",      0.79,    0.57,    0.92,    0.92,    0.70),
    ("round-126.jsonl",      0.80,    0.64,    0.93,    0.88,    0.80),
    ("round-127.jsonl",      0.82,    0.67,    0.92,    0.90,    0.82),
    ("round-128.jsonl",      0.76,    0.68,    0.95,    0.98,    0.80),
    ("round-129.jsonl",      0.82,    0.64,    0.91,    0.86,    0.74),
    ("round-130.jsonl",      0.80,    0.68,    0.91,    0.86,    0.79),
    ("round-131.jsonl",      0.77,    0.57,    0.91,    0.92,    0.71),
    ("round-132.jsonl",      0.78,    0.64,    0.92,    0.90,    0.78),
    ("round-133.jsonl",      0.81,    0.64,    0.92,    0.90,    0.74),
    ("round-134.jsonl",      0.78,    0.67,    0.92,    0.90,    0.78),
    ("round-135.jsonl",      0.82,    0.69,    0.93,    0.84,    0.85),
    ("round-136.jsonl",      0.80,    0.70,    0.91,    0.90,    0.80),
    ("round-137.jsonl",      0.81,    0.61,    0.91,    0.92,    0.72),
    ("round-138.jsonl",      0.77,    0.62,    0.92,    0.92,    0.80),
    ("round-139.jsonl",      0.73,    0.60,    0.91,    0.92,    0.72),
    ("round-140.jsonl",      0.75,    0.66,    0.90,    0.88,    0.76),
    ("round-141.jsonl",      0.73,    0.59,    0.94,    0.92,    0.77),
    ("round-142.jsonl",      0.81,    0.64,    0.90,    0.90,    0.74),
    ("round-143.jsonl",      0.75,    0.62,    0.90,    0.88,    0.73),
    ("round-144.jsonl",      0.75,    0.65,    0.92,    0.86,    0.82),
    ("round-145.jsonl",      0.80,    0.61,    0.91,    0.88,    0.73),
    ("round-146.jsonl",      0.75,    0.61,    0.92,    0.90,    0.73),
    ("round-147.jsonl",      0.79,    0.69,    0.94,    0.92,    0.77),
    ("round-148.jsonl",      0.78,    0.66,    0.92,    0.90,    0.76),
    ("round-149.jsonl",      0.79,    0.66,    0.93,    0.90,    0.81),
    ("round-150.jsonl",      0.78,    0.63,    0.90,    0.90,    0.71),
    ("round-151.jsonl",      0.80,    0.67,    0.91,    0.84,    0.79),
    ("round-152.jsonl",      0.82,    0.69,    0.94,    0.92,    0.82),
    ("round-153.jsonl",      0.77,    0.63,    0.93,    0.94,    0.77),
    ("round-154.jsonl",      0.85,    0.64,    0.92,    0.88,    0.76),
    ("round-155.jsonl",      0.80,    0.67,    0.93,    0.90,    0.77),
    ("round-156.jsonl",      0.78,    0.64,    0.89,    0.88,    0.78),
    ("round-157.jsonl",      0.73,    0.63,    0.91,    0.92,    0.74),
    ("round-158.jsonl",      0.77,    0.62,    0.91,    0.90,    0.70),
    ("round-159.jsonl",      0.77,    0.63,    0.90,    0.88,    0.75),
    ("round-160.jsonl",      0.78,    0.59,    0.86,    0.78,    0.72),
    ("round-161.jsonl",      0.89,    0.72,    0.95,    0.98,    0.87),
    ("round-162.jsonl",      0.90,    0.77,    0.96,    0.94,    0.93),
    ("round-163.jsonl",      0.95,    0.82,    0.98,    0.98,    0.92),
    ("round-164.jsonl",      0.92,    0.75,    0.96,    0.94,    0.91),
    ("round-165.jsonl",      0.91,    0.73,    0.96,    0.94,    0.89),
    ("round-166.jsonl",      0.87,    0.77,    0.96,    0.94,    0.83),
    ("round-167.jsonl",      0.88,    0.78,    0.96,    0.94,    0.86),
    ("round-168.jsonl",      0.88,    0.72,    0.95,    0.96,    0.85),
    ("round-169.jsonl",      0.89,    0.78,    0.97,    0.98,    0.89),
    ("round-170.jsonl",      0.88,    0.77,    0.95,    0.92,    0.88),
    ("round-171.jsonl",      0.92,    0.80,    0.97,    0.98,    0.93),
    ("round-172.jsonl",      0.93,    0.83,    0.97,    0.96,    0.94),
    ("round-173.jsonl",      0.94,    0.83,    0.97,    0.96,    0.89),
    ("round-174.jsonl",      0.91,    0.78,    0.96,    0.96,    0.85),
    ("round-175.jsonl",      0.95,    0.90,    0.97,    0.96,    0.94),
    ("round-176.jsonl",      0.94,    0.87,    0.97,    0.98,    0.94),
    ("round-177.jsonl",      0.93,    0.86,    0.96,    0.98,    0.92),
    ("round-178.jsonl",      0.93,    0.89,    0.97,    0.98,    0.92),
    ("round-179.jsonl",      0.95,    0.82,    0.97,    0.98,    0.88),
    ("round-180.jsonl",      0.92,    0.85,    0.96,    0.98,    0.92),
    ("round-181.jsonl",      0.92,    0.84,    0.96,    0.94,    0.91),
    ("round-182.jsonl",      0.97,    0.84,    0.97,    0.98,    0.94),
    ("round-183.jsonl",      0.94,    0.83,    0.96,    0.96,    0.93),
    ("round-184.jsonl",      0.94,    0.87,    0.97,    0.96,    0.88),
    ("round-185.jsonl",      0.94,    0.87,    0.97,    0.98,    0.92),
    ("round-186.jsonl",      0.93,    0.81,    0.97,    0.98,    0.89),
    ("round-187.jsonl",      0.95,    0.86,    0.97,    0.94,    0.96),
    ("round-188.jsonl",      0.94,    0.88,    0.96,    0.94,    0.95),
    ("round-189.jsonl",      0.94,    0.87,    0.96,    0.98,    0.93),
    ("round-190.jsonl",      0.91,    0.80,    0.97,    0.96,    0.87),
    ("round-191.jsonl",      0.89,    0.79,    0.96,    0.96,    0.90),
    ("round-192.jsonl",      0.94,    0.86,    0.96,    0.92,    0.94),
    ("round-193.jsonl",      0.92,    0.85,    0.96,    0.94,    0.94),
    ("round-194.jsonl",      0.95,    0.85,    0.97,    0.98,    0.94),
    ("round-195.jsonl",      0.95,    0.91,    0.97,    0.98,    0.93),
    ("round-196.jsonl",      0.94,    0.86,    0.97,    0.98,    0.90),
    ("round-197.jsonl",      0.91,    0.84,    0.96,    0.92,    0.89),
    ("round-198.jsonl",      0.93,    0.82,    0.96,    0.96,    0.89),
    ("round-199.jsonl",      0.95,    0.90,    0.97,    0.96,    0.95),
    ("round-200.jsonl",      0.90,    0.76,    0.96,    0.96,    0.83),
    ("round-201.jsonl",      0.95,    0.91,    0.97,    0.94,    0.96),
    ("round-202.jsonl",      0.95,    0.85,    0.97,    0.96,    0.91),
    ("round-203.jsonl",      0.89,    0.81,    0.96,    0.96,    0.88),
    ("round-204.jsonl",      0.93,    0.81,    0.96,    0.98,    0.90),
    ("round-205.jsonl",      0.95,    0.85,    0.97,    0.98,    0.90),
    ("round-206.jsonl",      0.94,    0.84,    0.97,    0.98,    0.94),
    ("round-207.jsonl",      0.91,    0.83,    0.95,    0.96,    0.92),
    ("round-208.jsonl",      0.96,    0.88,    0.97,    0.96,    0.94),
    ("round-209.jsonl",      0.92,    0.81,    0.95,    0.94,    0.90),
    ("round-210.jsonl",      0.91,    0.82,    0.97,    0.98,    0.88),
    ("round-211.jsonl",      0.93,    0.83,    0.97,    0.96,    0.87),
    ("round-212.jsonl",      0.93,    0.82,    0.97,    0.98,    0.88),
    ("round-213.jsonl",      0.93,    0.83,    0.96,    0.98,    0.87),
    ("round-214.jsonl",      0.95,    0.82,    0.96,    0.94,    0.87),
    ("round-215.jsonl",      0.87,    0.79,    0.95,    0.98,    0.83),
    ("round-216.jsonl",      0.92,    0.79,    0.95,    0.98,    0.88),
    ("round-217.jsonl",      0.96,    0.85,    0.97,    0.96,    0.93),
    ("round-218.jsonl",      0.92,    0.84,    0.97,    0.98,    0.90),
    ("round-219.jsonl",      0.94,    0.85,    0.97,    0.94,    0.95),
    ("round-220.jsonl",      0.93,    0.85,    0.96,    0.96,    0.92),
    ("round-221.jsonl",      0.92,    0.81,    0.96,    0.96,    0.91),
    ("round-222.jsonl",      0.94,    0.89,    0.96,    0.94,    0.92),
    ("round-223.jsonl",      0.91,    0.80,    0.96,    0.96,    0.90),
    ("round-224.jsonl",      0.95,    0.85,    0.97,    0.96,    0.93),
    ("round-225.jsonl",      0.92,    0.81,    0.97,    0.98,    0.87),
    ("round-226.jsonl",      0.90,    0.82,    0.97,    0.96,    0.90),
    ("round-227.jsonl",      0.95,    0.86,    0.97,    0.98,    0.93),
    ("round-228.jsonl",      0.94,    0.87,    0.95,    0.96,    0.95),
    ("round-229.jsonl",      0.94,    0.82,    0.96,    0.92,    0.91),
    ("round-230.jsonl",      0.95,    0.85,    0.96,    0.98,    0.92),
    ("round-231.jsonl",      0.94,    0.88,    0.97,    0.98,    0.94),
    ("round-232.jsonl",      0.96,    0.86,    0.97,    0.98,    0.91),
    ("round-233.jsonl",      0.89,    0.85,    0.96,    0.98,    0.89),
    ("round-234.jsonl",      0.92,    0.77,    0.95,    0.98,    0.86),
    ("round-235.jsonl",      0.93,    0.85,    0.97,    0.98,    0.91),
    ("round-236.jsonl",      0.94,    0.84,    0.97,    0.96,    0.93),
    ("round-237.jsonl",      0.92,    0.85,    0.97,    0.98,    0.95),
    ("round-238.jsonl",      0.90,    0.81,    0.96,    0.98,    0.85),
    ("round-239.jsonl",      0.96,    0.89,    0.97,    0.96,    0.95),
    ("round-240.jsonl",      0.94,    0.83,    0.97,    0.98,    0.93),
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


#: The part of round-109 to round-124 that no tuning set holds word for word (about one
#: sealed question in five is a tuning question in the same words, and the engine was
#: tuned on it): pooled first-sight figures at the seventeenth session's start (1,299
#: answerable + 591 off-topic; bar off 0.763, answer 0.590, ROC AUC 0.912, declined 0.893,
#: answered 0.727), less two points. The honest floor: it holds only what is new to the
#: engine.
UNSEEN_ROUNDS = [f"round-{n}.jsonl" for n in range(109, 125)]
UNSEEN_FLOOR = dict(zip(FIGURES, (0.74, 0.57, 0.89, 0.87, 0.70)))
TUNED_ON = [DATA / "tuning", DATA / "dev_questions.jsonl", DATA / "validation_questions.jsonl"]


def test_the_questions_no_tuning_set_holds_stay_above_their_first_sight(searcher):
    asked = [q for name in UNSEEN_ROUNDS for q in load_questions(SEALED / name)]
    new = unseen(asked, TUNED_ON)
    # the copies are left out, and they are a minority
    assert len(asked) * 0.6 < len(new) < len(asked)
    got = evaluate(searcher, new).to_dict()
    below = {k: round(got[k], 3) for k, floor in UNSEEN_FLOOR.items() if got[k] < floor}
    assert not below, f"unseen part of round-109 to round-124: below the first-sight floor: {below}"

#: The question-text decision (eighteenth session, batch 6) as its judges measured it once,
#: before it was merged: the unseen part of round-157 to round-160 (313 answerable + 150
#: off-topic; bar off 0.917, answer 0.748, ROC AUC 0.981, declined 0.987, answered 0.898),
#: less two points. What the merge bought is held here.
JUDGED_ROUNDS = [f"round-{n}.jsonl" for n in range(157, 161)]
JUDGED_FLOOR = dict(zip(FIGURES, (0.89, 0.72, 0.96, 0.96, 0.87)))


#: The passage-level words model (nineteenth session, batch 2) as its judges measured it
#: once, before it was merged: the unseen part of round-169 to round-172 (329 answerable +
#: 160 off-topic; bar off 0.927, answer 0.851, ROC AUC 0.981, declined 0.969, answered
#: 0.930), less two points.
PASSAGE_JUDGED_ROUNDS = [f"round-{n}.jsonl" for n in range(169, 173)]
PASSAGE_JUDGED_FLOOR = dict(zip(FIGURES, (0.90, 0.83, 0.96, 0.94, 0.91)))


@pytest.mark.parametrize("rounds, floor", [(JUDGED_ROUNDS, JUDGED_FLOOR),
                                           (PASSAGE_JUDGED_ROUNDS, PASSAGE_JUDGED_FLOOR)],
                         ids=["question-text, round-157 to 160", "passages, round-169 to 172"])
def test_a_merged_decision_holds_what_its_judges_measured(searcher, rounds, floor):
    new = unseen([q for name in rounds for q in load_questions(SEALED / name)], TUNED_ON)
    got = evaluate(searcher, new).to_dict()
    below = {k: round(got[k], 3) for k, floor in floor.items() if got[k] < floor}
    assert not below, f"unseen part of {rounds[0]} to {rounds[-1]}: below the judged floor: {below}"
