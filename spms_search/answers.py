"""Picking the answer: the one sentence (or bullet) of a passage that best answers.

A passage is cut into units: sentences of its paragraphs, and each bullet of a list on
its own. Each unit scores the idf weight of the question groups it contains (an
expansion counts at its lower weight); the best unit wins, the earlier one on a tie.
For "what is X?" a unit that defines X (:func:`defines`) wins over all others.
A list's lead-in ("For example:") is never the answer when a bullet matches. The unit
is returned verbatim, exactly as it stands in the passage.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .analysis import terms, word_spans
from .query import QueryPlan
from .rules import DEFAULT, Parameters
from .sentences import Subject, answers_kind, defines, phrase_share, split_units, unit_terms_of

#: A sentence that opens by referring back ("Its name is siponimod.", "This is because ...")
#: finishes the sentence before it; the two are offered together when together they answer
#: better than either alone.
_REFERS_BACK_RE = re.compile(r"^(?:it|its|it's|this|these|that|those|they|their|them|such)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AnswerWeights:
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index
    subject: Subject = ()  # set for "what is X?": a sentence defining X answers best
    expects: str | None = None  # the kind of answer asked for ("person" for "who ...?")
    expects_weight: float = 0.0  # what saying that kind of thing adds to a matching unit
    names: frozenset[tuple[str, ...]] = frozenset()  # medicines that answer a "drug" question
    params: Parameters = DEFAULT

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float],
                  params: Parameters = DEFAULT) -> AnswerWeights:
        alts = []
        best: dict[int, float] = {}
        for gi, group in enumerate(plan.groups):
            for alt in group.alternatives:
                w = sum(weight_of.get(t, 1.0) for t in alt.terms) * alt.weight
                alts.append((alt.terms, w, gi))
                best[gi] = max(best.get(gi, 0.0), w)
        expects_weight = params.expected_share * max(best.values(), default=0.0)
        return cls(alts, plan.subject, plan.expects, expects_weight, plan.answer_names, params)

    def group_credits(self, unit: str, topic: frozenset[int] = frozenset()) -> dict[int, float]:
        """Each question group's best weight in ``unit``.

        A group of ``topic`` (one naming the passage's own heading, :meth:`heading_groups`)
        counts ``heading_share``: the whole passage is about it, so it picks no sentence
        within it (rule "heading-topic").
        """
        unit_terms = unit_terms_of(unit)
        best: dict[int, float] = {}
        for phrase, weight, gi in self.alternatives:
            if gi in topic:
                weight *= self.params.heading_share
            if weight > best.get(gi, 0.0):
                weight *= phrase_share(unit_terms, phrase)
                if weight > best.get(gi, 0.0):
                    best[gi] = weight
        return best

    def heading_groups(self, heading: str) -> frozenset[int]:
        """The groups that name the heading's subject, in any of their ways of saying it."""
        if not heading or not self.params.on("heading-topic"):
            return frozenset()
        words = frozenset(terms(heading))
        return frozenset(gi for phrase, _, gi in self.alternatives
                         if phrase and all(t in words for t in phrase))

    def says_kind(self, unit: str) -> bool:
        return answers_kind(unit, self.expects, self.names)

    def score(self, credits: dict[int, float], says_kind: bool) -> float:
        """A unit's score: its groups' weights, and the kind bonus when it matches at all."""
        total = sum(credits.values())
        if total > 0 and says_kind:
            total += self.expects_weight
        return total

    def matched_terms(self) -> set[str]:
        return {t for phrase, _, _ in self.alternatives for t in phrase}


def best_unit(text: str, items: tuple[str, ...], weights: AnswerWeights, heading: str = "") -> str:
    """The unit of ``text`` that best answers; the first non-lead-in unit if none matches.

    A unit is a sentence or bullet, or a sentence with the next one when that one refers
    back to it ("... one DMT can slow down how fast your disability gets worse. Its name is
    siponimod (Mayzent)."), chosen only when the pair answers better than either alone.
    """
    units = split_units(text, items)
    if not units:
        return text
    topic = weights.heading_groups(heading)
    credits = [weights.group_credits(u, topic) for u in units]
    kinds = [weights.says_kind(u) for u in units]
    scored = [(defines(u, weights.subject), weights.score(credits[i], kinds[i]), -i, u)
              for i, u in enumerate(units)]
    top = max(scored)
    if top[0]:
        return top[3]
    pairs = weights.params.on("referring-pair")
    for i in range(len(units) - 1 if pairs else 0):
        if _REFERS_BACK_RE.match(units[i + 1]) and not units[i].endswith(":"):
            a, b = credits[i], credits[i + 1]
            joined = {gi: max(a.get(gi, 0.0), b.get(gi, 0.0)) for gi in a.keys() | b.keys()}
            pair = weights.score(joined, kinds[i] or kinds[i + 1])
            if pair > max(scored[i][1], scored[i + 1][1]) and pair > top[1]:
                top = (False, pair, -i, f"{units[i]} {units[i + 1]}")
    if top[1] > 0:
        return _with_follow_on(top[3], units, -top[2], pairs)
    for unit in units:
        if not unit.endswith(":"):
            return unit
    return units[0]


#: The most words a follow-on sentence may have to be joined to the answer before it.
FOLLOW_ON_WORDS = 12


def _with_follow_on(answer: str, units: list[str], index: int, pairs: bool) -> str:
    """The answer with the sentence after it when that one is short and refers back to it.

    "... one DMT can slow down how fast your disability gets worse." is half an answer
    without "Its name is siponimod (Mayzent).": a short sentence that opens by pointing
    back finishes the one before (rule "referring-pair").
    """
    last = index + (1 if answer != units[index] else 0)
    if not pairs or last + 1 >= len(units):
        return answer
    follow = units[last + 1]
    if _REFERS_BACK_RE.match(follow) and len(follow.split()) <= FOLLOW_ON_WORDS:
        return f"{answer} {follow}"
    return answer


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
