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


Subject = tuple[tuple[tuple[str, ...], ...], ...]

_COPULA_RE = re.compile(
    r"^\W*(?P<head>[^.;:!?]{1,80}?)\W*\s+(?:here\s+)?(?:is|are|means|refers to|stands for)\s"
)
_CALLED_RE = re.compile(r"\b(?:is|are)\s+(?:called|known as|named|termed)\s+(?P<name>[^.,;:()]{1,80})")
_GLOSS_RE = re.compile(r"\(\W*(?P<name>[^()]{1,60}?)\W*\)")


def _names(found: tuple[str, ...], subject: Subject) -> bool:
    """True when ``found`` is nothing but a way of writing the whole subject."""
    if not found:
        return False
    allowed = {t for group in subject for alt in group for t in alt}
    if not set(found) <= allowed:
        return False
    have = set(found)
    return all(any(alt and set(alt) <= have for alt in group) for group in subject)


@lru_cache(maxsize=65_536)
def defines(unit: str, subject: Subject) -> bool:
    """True when ``unit`` defines the subject of a "what is X?" question.

    Three shapes of definition, the ones patient information uses: "X is a ..." (or "X
    here means ..."), "this is called X", and a gloss in brackets after a description,
    "... stop working ('neurodegeneration')".
    """
    if not subject:
        return False
    low = unit.casefold().replace("\u2019", "'").replace("\u2018", "'")
    match = _COPULA_RE.match(low)
    if match and _names(tuple(terms(match.group("head"))), subject):
        return True
    for pattern in (_CALLED_RE, _GLOSS_RE):
        for match in pattern.finditer(low):
            if _names(tuple(terms(match.group("name"))), subject):
                return True
    return False


def _contains(unit_terms: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in unit_terms
    n = len(phrase)
    return any(tuple(unit_terms[i : i + n]) == phrase for i in range(len(unit_terms) - n + 1))


@dataclass(frozen=True)
class AnswerWeights:
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index
    subject: Subject = ()  # set for "what is X?": a sentence defining X answers best

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float]) -> AnswerWeights:
        alts = []
        for gi, group in enumerate(plan.groups):
            for alt in group.alternatives:
                w = sum(weight_of.get(t, 1.0) for t in alt.terms) * alt.weight
                alts.append((alt.terms, w, gi))
        return cls(alts, plan.subject)

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
    scored = [(defines(u, weights.subject), weights.unit_score(u), -i, u) for i, u in enumerate(units)]
    top = max(scored)
    if top[0] or top[1] > 0:
        return top[3]
    for unit in units:
        if not unit.endswith(":"):
            return unit
    return units[0]


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
