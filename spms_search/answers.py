"""Picking the answer: the one sentence (or bullet) of a passage that best answers.

A passage is cut into units: sentences of its paragraphs, and each bullet of a list on
its own. Each unit scores the idf weight of the question groups it contains (an
expansion counts at its lower weight); the best unit wins, the earlier one on a tie.
A list's lead-in ("For example:") is never the answer when a bullet matches. The unit
is returned verbatim, exactly as it stands in the passage.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from .analysis import terms, word_spans
from .query import QueryPlan

_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])")


def split_units(text: str, items: tuple[str, ...] = ()) -> list[str]:
    """Sentences and bullets of a passage, each verbatim."""
    units: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        bullet = line.startswith("\u2022 ")
        body = line[2:] if bullet else line
        if bullet:
            units.append(body)
        else:
            units.extend(s.strip() for s in _SENTENCE_END_RE.split(body) if s.strip())
    return units


@lru_cache(maxsize=65_536)
def unit_terms_of(unit: str) -> tuple[str, ...]:
    """Index terms of one sentence or bullet (cached: the same passages answer again and again)."""
    return tuple(terms(unit))


def _contains(unit_terms: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in unit_terms
    n = len(phrase)
    return any(tuple(unit_terms[i : i + n]) == phrase for i in range(len(unit_terms) - n + 1))


@dataclass(frozen=True)
class AnswerWeights:
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float]) -> AnswerWeights:
        alts = []
        for gi, group in enumerate(plan.groups):
            for alt in group.alternatives:
                w = sum(weight_of.get(t, 1.0) for t in alt.terms) * alt.weight
                alts.append((alt.terms, w, gi))
        return cls(alts)

    def unit_score(self, unit: str) -> float:
        unit_terms = unit_terms_of(unit)
        best: dict[int, float] = {}
        for phrase, weight, gi in self.alternatives:
            if weight > best.get(gi, 0.0) and _contains(unit_terms, phrase):
                best[gi] = weight
        return sum(best.values())

    def matched_terms(self) -> set[str]:
        return {t for phrase, _, _ in self.alternatives for t in phrase}


def best_unit(text: str, items: tuple[str, ...], weights: AnswerWeights) -> str:
    """The unit of ``text`` that best answers; the first non-lead-in unit if none matches."""
    units = split_units(text, items)
    if not units:
        return text
    scored = [(weights.unit_score(u), -i, u) for i, u in enumerate(units)]
    top = max(scored)
    if top[0] > 0:
        return top[2]
    for unit in units:
        if not unit.endswith(":"):
            return unit
    return units[0]


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
