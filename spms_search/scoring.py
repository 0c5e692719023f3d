"""Where a score is computed: BM25 over Whoosh postings, with coverage and confidence.

For every passage ``d`` and every query group ``g`` (see ``query.py``)::

    term(t, d)   = sum over fields f of  boost_f * idf_f(t) * tf_f(t,d) * (K1 + 1) / (tf_f(t,d) + K1 * (1 - b_f + b_f * len_f(d) / avglen_f))
    alt(a, d)    = weight_a * sum of term(t, d) for t in a   (a phrase counts only where it occurs as a phrase)
    group(g, d)  = max over the alternatives a of g of alt(a, d)
    bm25(d)      = sum over groups of group(g, d)
    coverage(d)  = sum of W(g) * credit(g, d) / sum of W(g)
    score(d)     = bm25(d) * (COVERAGE_BASE + coverage(d))

``idf`` is Robertson-Sparck Jones, ``log((N - df + 0.5) / (df + 0.5))``, floored at
:data:`IDF_FLOOR`: a word found in half the passages or more ("MS", "secondary
progressive", "symptoms" on an MS page) weighs next to nothing and cannot outvote the one
rare word that picks the section. ``W(g)`` is the same idf over whole sections (the
``context`` field), and an unseen word gets the idf of a word found nowhere, so a
question about something the corpus never mentions has low coverage everywhere.
``credit`` is 1 for the user's own words (or their spelling correction) and
:data:`EXPANSION_CREDIT` for a vocabulary expansion.

Taking the best alternative of a group, rather than the sum, keeps a passage that uses
both "physiotherapy" and "physiotherapist" from counting one idea twice; multiplying by
coverage is the "bonus for passages matching more of the question's words".

``coverage`` of the best passage is the confidence: below :data:`CONFIDENCE_THRESHOLD`
the engine declines to answer. Because it is a share of the question's idf weight, it
means the same for any corpus (see docs/ranking.md for how the threshold was set).

Whoosh stores the index (terms, postings, field lengths, phrases); the arithmetic is done
here on cached per-term posting lists, which is both what lets the ranking use coverage
and many times faster than building a Whoosh query tree per question.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh.query import Phrase

from .query import Alternative, Group, QueryPlan

K1 = 1.2
IDF_FLOOR = 0.05
EXPANSION_CREDIT = 0.8
COVERAGE_BASE = 0.25
CONFIDENCE_THRESHOLD = 0.45


@dataclass(frozen=True)
class FieldParams:
    boost: float
    b: float


FIELDS: dict[str, FieldParams] = {
    "heading": FieldParams(boost=2.0, b=0.3),
    "parents": FieldParams(boost=0.3, b=0.3),
    "body": FieldParams(boost=1.0, b=0.75),
    "context": FieldParams(boost=0.5, b=0.75),
}
PHRASE_FIELDS = ("heading", "parents", "body")


@dataclass(frozen=True)
class GroupMatch:
    """How one group matched one passage: for ``--explain``."""

    group: str
    alternative: str
    kind: str
    score: float
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Scored:
    """A passage's final score and its parts."""

    docnum: int
    score: float
    bm25: float
    coverage: float


class IndexStatistics:
    """Collection statistics and cached posting lists of one open Whoosh index.

    Thread-safe: the underlying Whoosh reader is only touched under a lock, and cached
    lists are never mutated once published.
    """

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = max(self.reader.doc_count(), 1)
        self._lock = threading.RLock()
        self._norms: dict[str, list[float]] = {}
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._phrases: dict[tuple[str, tuple[str, ...]], frozenset[int]] = {}

    # ---------------------------------------------------------------- statistics

    def df(self, field: str, term: str) -> int:
        key = (field, term)
        value = self._df.get(key)
        if value is None:
            with self._lock:
                value = self.reader.doc_frequency(field, term) if key in self.reader else 0
            self._df[key] = value
        return value

    def idf_for(self, df: int) -> float:
        return max(IDF_FLOOR, math.log((self.n - df + 0.5) / (df + 0.5)))

    def idf(self, field: str, term: str) -> float:
        return self.idf_for(self.df(field, term))

    def weight(self, term: str) -> float:
        """W(t): how much a word says about which section is meant (idf over sections)."""
        return self.idf("context", term)

    def _field_norms(self, field: str) -> list[float]:
        norms = self._norms.get(field)
        if norms is None:
            with self._lock:
                params = FIELDS[field]
                avg = (self.reader.field_length(field) / self.n) or 1.0
                length = self.reader.doc_field_length
                norms = [
                    K1 * (1 - params.b + params.b * (length(d, field, 0) or 0) / avg)
                    for d in range(self.reader.doc_count_all())
                ]
            self._norms[field] = norms
        return norms

    def postings(self, field: str, term: str) -> dict[int, float]:
        """Passage number -> saturated term frequency of ``term`` in ``field``."""
        key = (field, term)
        cached = self._postings.get(key)
        if cached is not None:
            return cached
        if self.df(field, term) == 0:
            self._postings[key] = {}
            return self._postings[key]
        norms = self._field_norms(field)
        with self._lock:
            matcher = self.reader.postings(field, term)
            result = {d: w * (K1 + 1) / (w + norms[d]) for d, w in matcher.items_as("weight")}
        self._postings[key] = result
        return result

    def phrase_docs(self, field: str, terms: tuple[str, ...]) -> frozenset[int]:
        key = (field, terms)
        cached = self._phrases.get(key)
        if cached is None:
            if any(self.df(field, t) == 0 for t in terms):
                cached = frozenset()
            else:
                with self._lock:
                    cached = frozenset(Phrase(field, list(terms)).docs(self.searcher))
            self._phrases[key] = cached
        return cached

    # ---------------------------------------------------------------- scoring parts

    def term_scores(self, term: str) -> dict[int, float]:
        """term(t, d) summed over fields, for every passage containing ``term``."""
        out: dict[int, float] = {}
        for field, params in FIELDS.items():
            posts = self.postings(field, term)
            if not posts:
                continue
            factor = params.boost * self.idf(field, term)
            for d, sat in posts.items():
                out[d] = out.get(d, 0.0) + factor * sat
        return out

    def alternative_scores(self, alt: Alternative) -> dict[int, float]:
        """alt(a, d) for every passage matching the alternative."""
        scores: dict[int, float] = {}
        for term in alt.terms:
            for d, s in self.term_scores(term).items():
                scores[d] = scores.get(d, 0.0) + s
        if alt.phrase and len(alt.terms) > 1:
            allowed: set[int] = set()
            for field in PHRASE_FIELDS:
                allowed.update(self.phrase_docs(field, alt.terms))
            scores = {d: s for d, s in scores.items() if d in allowed}
        return {d: s * alt.weight for d, s in scores.items()}

    def group_weight(self, group: Group) -> float:
        return max((self.weight(t) for t in group.terms), default=0.0)


def _credit(alt: Alternative) -> float:
    return EXPANSION_CREDIT if alt.kind == "expansion" else 1.0


def score_groups(stats: IndexStatistics, groups: Iterable[Group]) -> tuple[dict[int, float], dict[int, float]]:
    """bm25(d) and coverage(d) for every passage matching at least one group."""
    groups = list(groups)
    bm25: dict[int, float] = {}
    covered: dict[int, float] = {}
    total = sum(stats.group_weight(g) for g in groups) or 1.0
    for group in groups:
        weight = stats.group_weight(group)
        best: dict[int, float] = {}
        credit: dict[int, float] = {}
        for alt in group.alternatives:
            c = _credit(alt)
            for d, s in stats.alternative_scores(alt).items():
                if s > best.get(d, 0.0):
                    best[d] = s
                if c > credit.get(d, 0.0):
                    credit[d] = c
        for d, s in best.items():
            bm25[d] = bm25.get(d, 0.0) + s
            covered[d] = covered.get(d, 0.0) + weight * credit[d]
    coverage = {d: v / total for d, v in covered.items()}
    return bm25, coverage


def rank(stats: IndexStatistics, plan: QueryPlan, limit: int) -> list[Scored]:
    """The ``limit`` best passages for ``plan``, best first (ties: earlier passage first)."""
    if not plan.groups or limit <= 0:
        return []
    bm25, coverage = score_groups(stats, plan.groups)
    scored = (
        Scored(d, s * (COVERAGE_BASE + coverage[d]), s, coverage[d]) for d, s in bm25.items() if s > 0
    )
    return heapq.nlargest(limit, scored, key=lambda x: (x.score, -x.docnum))


def explain_passage(stats: IndexStatistics, plan: QueryPlan, docnum: int) -> list[GroupMatch]:
    """Which alternative of each group matched ``docnum``, in which fields, for how much."""
    matches = []
    for group in plan.groups:
        best: tuple[float, Alternative] | None = None
        for alt in group.alternatives:
            s = stats.alternative_scores(alt).get(docnum, 0.0)
            if s > 0 and (best is None or s > best[0]):
                best = (s, alt)
        if best is None:
            matches.append(GroupMatch(group.text, "", "none", 0.0, ()))
            continue
        alt = best[1]
        fields = tuple(f for f in FIELDS if any(docnum in stats.postings(f, t) for t in alt.terms))
        matches.append(GroupMatch(group.text, alt.text, alt.kind, best[0], fields))
    return matches
