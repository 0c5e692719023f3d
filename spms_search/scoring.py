"""Where a score is computed: BM25 over Whoosh postings, with synonym groups and coverage.

A question is a list of groups (see ``query.py``); each group is one thing the user asked
about with every way of saying it (their own words, spelling fixes, vocabulary
expansions). Each group is scored as one pseudo-term, the way Lucene's SynonymQuery does,
so a concept is weighed by how rare the *concept* is, not by how rare one spelling of it
is. For a passage ``d``, a group ``g`` and a field ``f``::

    tf(g, f, d)  = sum over alternatives a of g of  weight_a * tf(a, f, d)
                   (a phrase's tf is the smallest tf of its words, where the phrase occurs)
    df(g, f)     = number of passages where any alternative of g occurs in f
    idf(g, f)    = max(IDF_FLOOR, log(1 + (N - df + 0.5) / (df + 0.5)))       (Lucene's BM25 idf)
    part(g,f,d)  = boost_f * idf(g, f) * tf * (K1 + 1) / (tf + K1 * (1 - b_f + b_f * len_f(d) / avglen_f))
    bm25(d)      = sum over groups and fields of part(g, f, d)
    coverage(d)  = sum of W(g) * credit(g, d) / sum of W(g)
    score(d)     = bm25(d) * (coverage_base + coverage(d)) ** 3 * (1 + heading match)

then, over the best ``rerank_depth`` (``rules.Parameters``), times the sentence bonus and the opening-passage
bonus (see :func:`rank`). The idf of anything found in nearly every passage ("MS",
"secondary progressive", "symptoms" on an MS page) is close to zero, so such words cannot
outvote the one rare word that picks the section. ``W(g)`` is the same idf over whole
sections (the ``context`` field). A word the corpus never uses weighs as much as its
everyday-English rarity says (``english.py``), and everyday words are capped at
``common_word_weight``, so a question about something the corpus never mentions has
low coverage everywhere. ``credit`` is 1 for the user's own words (or their spelling fix),
``expansion_credit`` for a synonym and ``related_credit`` for a broader term.

Coverage of the best passage is one piece of evidence for the decision to answer, which
``answerability.py`` makes: a share of the question's own idf weight, so it means the
same for any corpus.

Whoosh stores the index (terms, postings, field lengths, positions for phrases); the
arithmetic is done here on cached posting lists, which is what lets the ranking treat
synonym groups and coverage properly, and is many times faster than building and running
a Whoosh query tree per question.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Set as AbstractSet
from itertools import pairwise
from typing import Any

from whoosh.query import Phrase, Term
from whoosh.query.spans import SpanNear2
from whoosh.scoring import WeightingModel, WeightScorer

from .analysis import INDEX_STOP_WORDS, terms
from .answers import leans_on_previous
from .english import informativeness, is_everyday
from .postings import SegmentTerms
from .query import Alternative, Group, QueryPlan
from .records import FrozenRecord
from .rules import DEFAULT, Parameters
from .sentences import (
    GAPPED_PHRASE_SHARE,
    PHRASE_GAP,
    Subject,
    answers_kind,
    defines,
    defines_next,
    glosses_word,
    phrase_share,
    split_units,
    unit_terms_of,
)

K1 = 1.2
IDF_FLOOR = 0.05
#: How many words apart the words of a phrase may stand, in any order, to count as it.
BAG_WINDOW = 5
#: How many other words may stand between the two words of a neighbouring pair (proximity).
PROXIMITY_GAP = 1
#: Every other constant, and which rules are on, is in ``rules.Parameters``.


class FieldParams(FrozenRecord):
    boost: float
    b: float

    __slots__ = _fields = ("boost", "b")

    def __init__(self, boost: float, b: float) -> None:
        object.__setattr__(self, "boost", boost)
        object.__setattr__(self, "b", b)


FIELDS: dict[str, FieldParams] = {
    "heading": FieldParams(boost=1.5, b=0.3),
    "parents": FieldParams(boost=0.3, b=0.3),
    "body": FieldParams(boost=1.0, b=0.75),
    "context": FieldParams(boost=0.5, b=0.75),
}
PHRASE_FIELDS = ("heading", "parents", "body")


_GROUP_WORD_RE = re.compile(r"[^\W_]+")


def credit_of(alt: Alternative, params: Parameters = DEFAULT) -> float:
    """How much matching ``alt`` counts towards covering its group.

    The user's own words count fully, a synonym from the vocabulary a little less, and a
    broader term ("baclofen" => "drug treatments") only half: a page that speaks of drug
    treatments in general does not answer a question about one drug.
    """
    if alt.kind == "expansion":
        return params.expansion_credit
    if alt.kind == "related":
        return params.related_credit
    if alt.kind == "narrower":
        return params.narrower_credit
    if alt.kind == "bag":
        return params.bag_credit
    return alt.weight


def _names_a_concept(group: Group) -> bool:
    """True for everyday words the vocabulary knows as something specific.

    "come off" is two everyday words, but the vocabulary knows it as "discontinue", and
    "money" as "financial": the words are as telling as their least everyday synonym.
    """
    return any(
        alt.kind == "expansion" and any(informativeness(w) >= 1.0 for w in _content_words(alt.text))
        for alt in group.alternatives
    )


def _content_words(text: str) -> list[str]:
    return [w for w in _GROUP_WORD_RE.findall(text.lower()) if w not in INDEX_STOP_WORDS]


def group_words(group: Group) -> list[str]:
    """The user's own words of a group, unstemmed (for English-frequency look-ups)."""
    return _content_words(group.text)


class GroupMatch(FrozenRecord):
    """How one group matched one passage: for ``--explain``."""

    group: str
    alternative: str
    kind: str
    score: float
    fields: tuple[str, ...]

    __slots__ = _fields = ("group", "alternative", "kind", "score", "fields")

    def __init__(
        self,
        group: str,
        alternative: str,
        kind: str,
        score: float,
        fields: tuple[str, ...],
    ) -> None:
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "alternative", alternative)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "fields", fields)


class Scored(FrozenRecord):
    """A passage's final score and its parts."""

    docnum: int
    score: float
    bm25: float
    coverage: float

    __slots__ = _fields = ("docnum", "score", "bm25", "coverage")

    def __init__(self, docnum: int, score: float, bm25: float, coverage: float) -> None:
        object.__setattr__(self, "docnum", docnum)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "bm25", bm25)
        object.__setattr__(self, "coverage", coverage)


#: The most entries a per-term cache of an open index keeps (terms, phrases, their
#: postings): a server answering thousands of different questions must not grow without
#: bound. Past it the cache starts again empty, which costs a few recomputations.
TERM_CACHE_LIMIT = 20_000
#: The most passages whose stored fields an open index keeps decoded (:meth:`IndexStatistics.stored`):
#: the passages questions keep returning are read once, and a large corpus stays bounded.
STORED_CACHE_LIMIT = 4096
#: The most groups whose statistics and bm25 parts an open index keeps; past it the
#: least recently stored is dropped (:meth:`IndexStatistics._keep_group`).
GROUP_CACHE_LIMIT = 4096


def _keep(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Store ``value`` in a per-term cache, emptying it first when it is full."""
    if len(cache) >= TERM_CACHE_LIMIT:
        cache.clear()
    cache[key] = value


class GroupStats(FrozenRecord):
    """Per-field weighted term frequencies and idf of one group (a pseudo-term)."""

    tf: dict[str, dict[int, float]]
    share: dict[str, dict[int, float]]  # weighted share of the tf: 1 for the user's words
    idf: dict[str, float]
    credit: dict[int, float]
    best: dict[int, Alternative]
    weight: float

    __slots__ = _fields = ("tf", "share", "idf", "credit", "best", "weight")

    def __init__(
        self,
        tf: dict[str, dict[int, float]],
        share: dict[str, dict[int, float]],
        idf: dict[str, float],
        credit: dict[int, float],
        best: dict[int, Alternative],
        weight: float,
    ) -> None:
        object.__setattr__(self, "tf", tf)
        object.__setattr__(self, "share", share)
        object.__setattr__(self, "idf", idf)
        object.__setattr__(self, "credit", credit)
        object.__setattr__(self, "best", best)
        object.__setattr__(self, "weight", weight)


class _Unscored(WeightingModel):  # type: ignore[misc]
    """A Whoosh weighting for matching without scores: every scorer is a constant one.

    Which documents a query matches does not depend on its weighting; only their scores
    and the order of a scored search do, and :class:`IndexStatistics` asks for neither.
    """

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: float = 1) -> WeightScorer:
        return WeightScorer(1.0)


class IndexStatistics:
    """Collection statistics and cached posting lists of one open Whoosh index.

    Thread-safe: the Whoosh reader is only touched under a lock, and cached values are
    never mutated once published.

    ``index`` is the opened index (``index.PinnedIndex``: its ``reader()`` and
    ``searcher()``). The Whoosh searcher is made when a phrase is first looked up: most
    questions need none, and importing ``whoosh.searching`` is part of every start-up.
    """

    def __init__(self, index: Any, params: Parameters = DEFAULT) -> None:
        self._index = index
        self._searcher: Any = None
        self.params = params
        self.reader = index.reader()
        self.segment_terms = SegmentTerms(self.reader)
        self.n = max(self.reader.doc_count(), 1)
        self._lock = threading.RLock()
        self._norms: dict[str, list[float]] = {}
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._phrases: dict[tuple[str, tuple[str, ...]], frozenset[int]] = {}  # also ("bag", terms)
        self._groups: OrderedDict[Group, GroupStats] = OrderedDict()
        self._group_scores: OrderedDict[Group, dict[int, float]] = OrderedDict()
        self._heading_terms: dict[int, frozenset[str]] = {}
        self._path_terms: dict[int, frozenset[str]] = {}
        self._units: dict[int, list[tuple[dict[str, list[int]], tuple[str, ...]]]] = {}
        self._unit_words: dict[int, list[tuple[frozenset[str], tuple[str, ...]]]] = {}
        self._texts: dict[int, list[str]] = {}
        self._heading_idf: dict[int, tuple[dict[str, tuple[int, float]], float]] = {}
        self._lead: dict[int, bool] = {}
        self._stored: dict[int, dict[str, Any]] = {}

    # ---------------------------------------------------------------- raw statistics

    def df(self, field: str, term: str) -> int:
        key = (field, term)
        value = self._df.get(key)
        if value is None:
            with self._lock:
                value = self.segment_terms.doc_frequency(field, term)
            _keep(self._df, key, value)
        return value

    def idf_for(self, df: int) -> float:
        return max(IDF_FLOOR, math.log(1 + (self.n - df + 0.5) / (df + 0.5)))

    def norms(self, field: str) -> list[float]:
        """K1 * (1 - b + b * len / avglen) for every passage: the BM25 length part."""
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
        """Passage number -> raw frequency of ``term`` in ``field``."""
        key = (field, term)
        cached = self._postings.get(key)
        if cached is None:
            if self.df(field, term) == 0:
                cached = {}
            else:
                with self._lock:
                    cached = self.segment_terms.postings(field, term)
            _keep(self._postings, key, cached)
        return cached

    @property
    def searcher(self) -> Any:
        """The Whoosh searcher on :attr:`reader`, made on first use (callers hold the lock).

        It only says which passages hold a phrase (``Query.docs``), never a score, so it
        scores nothing (:class:`_Unscored`): Whoosh's default BM25F sets up a scorer for
        every word of a phrase in every segment, reading collection statistics each time.
        """
        with self._lock:
            if self._searcher is None:
                self._searcher = self._index.searcher(weighting=_Unscored())
            return self._searcher

    def close(self) -> None:
        """Close the Whoosh searcher, if one was made (the reader belongs to the index)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()

    def phrase_docs(self, field: str, terms: tuple[str, ...], gap: int = 0) -> frozenset[int]:
        """Passages whose ``field`` holds ``terms`` in order, at most ``gap`` words between."""
        key = (f"{field}~{gap}", terms)
        cached = self._phrases.get(key)
        if cached is None:
            if any(self.df(field, t) == 0 for t in terms):
                cached = frozenset()
            else:
                with self._lock:
                    found = self.segment_terms.phrase_docs(field, terms, gap + 1)
                    if found is None:
                        found = frozenset(Phrase(field, list(terms), slop=gap + 1).docs(self.searcher))
                    cached = found
            _keep(self._phrases, key, cached)
        return cached

    def alternative_tf(self, alt: Alternative, field: str) -> dict[int, float]:
        """Passage -> frequency of one alternative in ``field``.

        One word: its frequency. A phrase: its rarest word's frequency, where the words
        stand together (in any field); where they stand with a word between ("getting
        steadily worse"), :data:`GAPPED_PHRASE_SHARE` of it. A bag (the user's own
        multi-word wording, in any order): the mean frequency of its words, where all of
        them stand close together in the passage.
        """
        if len(alt.terms) == 1:
            return self.postings(field, alt.terms[0])
        lists = [self.postings(field, t) for t in alt.terms]
        if alt.phrase:
            if field in PHRASE_FIELDS:
                exact: AbstractSet[int] = self.phrase_docs(field, alt.terms)
                near: AbstractSet[int] = self.phrase_docs(field, alt.terms, PHRASE_GAP)
            else:  # the whole section: its words, where the phrase stands in the passage
                exact = self.phrase_union(alt.terms, 0)
                near = {d for d in self.phrase_union(alt.terms, PHRASE_GAP) if all(d in p for p in lists)}
            return {d: min(p.get(d, 0.0) for p in lists) * (1.0 if d in exact else GAPPED_PHRASE_SHARE)
                    for d in near}
        allowed = self.bag_docs(alt.terms)
        present = set().union(*(set(p) for p in lists)) & allowed
        return {d: sum(p.get(d, 0.0) for p in lists) / len(lists) for d in present}

    def phrase_union(self, terms: tuple[str, ...], gap: int = 0) -> set[int]:
        return {d for f in PHRASE_FIELDS for d in self.phrase_docs(f, terms, gap)}

    def bag_docs(self, terms: tuple[str, ...]) -> set[int]:
        """Passages whose heading or text holds every one of ``terms`` close together.

        Within :data:`BAG_WINDOW` words, in any order: "weakness in the muscles" holds
        "muscle weakness", but "other" in one sentence and "MS" in the next do not make
        "others with MS".
        """
        key = ("bag", terms)
        cached = self._phrases.get(key)
        if cached is None:
            found: set[int] = set()
            for field in ("heading", "body"):
                if any(self.df(field, t) == 0 for t in terms):
                    continue
                near = SpanNear2([Term(field, t) for t in terms], slop=BAG_WINDOW, ordered=False)
                with self._lock:
                    found.update(near.docs(self.searcher))
            cached = frozenset(found)
            _keep(self._phrases, key, cached)
        return set(cached)

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a passage, decoded once and kept (up to :data:`STORED_CACHE_LIMIT`).

        Why: Whoosh decompresses and unpickles a passage's fields on every reading, and a
        question asking for 100 results reads 100 passages, mostly the same ones from one
        question to the next. The dict is shared: callers read it and never change it.
        """
        found = self._stored.get(docnum)
        if found is None:
            with self._lock:
                found = self.reader.stored_fields(docnum)
            if len(self._stored) >= STORED_CACHE_LIMIT:
                self._stored.clear()
            self._stored[docnum] = found
        return found

    def _headings(self, docnum: int) -> list[str]:
        """The stored heading path of a passage (its title when it has none)."""
        stored = self.stored(docnum)
        return list(stored.get("headings") or [stored.get("title", "")])

    def heading_terms(self, docnum: int) -> frozenset[str]:
        """Distinct index terms of a passage's own heading."""
        cached = self._heading_terms.get(docnum)
        if cached is None:
            cached = frozenset(terms(self._headings(docnum)[-1]))
            self._heading_terms[docnum] = cached
        return cached

    def path_terms(self, docnum: int) -> frozenset[str]:
        """Distinct index terms of a passage's whole heading path: what it is about."""
        cached = self._path_terms.get(docnum)
        if cached is None:
            cached = frozenset(t for h in self._headings(docnum) for t in terms(h))
            self._path_terms[docnum] = cached
        return cached

    def unit_texts(self, docnum: int) -> list[str]:
        """The sentences and bullets of a passage, verbatim."""
        cached = self._texts.get(docnum)
        if cached is None:
            text = self.stored(docnum).get("text", "")
            cached = split_units(text)
            self._texts[docnum] = cached
        return cached

    def unit_terms(self, docnum: int) -> list[tuple[dict[str, list[int]], tuple[str, ...]]]:
        """Index terms of each sentence or bullet of a passage: where each stands, and in order."""
        cached = self._units.get(docnum)
        if cached is None:
            cached = []
            for unit_terms in self._stored_unit_terms(docnum):
                positions: dict[str, list[int]] = {}
                for i, term in enumerate(unit_terms):
                    positions.setdefault(term, []).append(i)
                cached.append((positions, unit_terms))
            self._units[docnum] = cached
        return cached

    def unit_words(self, docnum: int) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """The distinct terms of each sentence or bullet of a passage, and the terms in order.

        Why: :func:`proximity` first asks which of a question's words a sentence holds,
        and most sentences hold fewer than two; a set is made in C, where the places of
        every word (:meth:`unit_terms`) take a Python loop over the sentence. The places
        of the asked words are then found by scanning (``_places_in``), only in the
        sentences that can hold a pair.
        """
        cached = self._unit_words.get(docnum)
        if cached is None:
            cached = [(frozenset(ordered), ordered) for ordered in self._stored_unit_terms(docnum)]
            self._unit_words[docnum] = cached
        return cached

    def _stored_unit_terms(self, docnum: int) -> list[tuple[str, ...]]:
        """The terms of each sentence or bullet, as the build stored them (``units``).

        A passage stored without them (an index written by other code) has its sentences
        analysed here, which gives the same terms (``sentences.stored_unit_terms``).
        """
        stored = self.stored(docnum).get("units")
        if stored is None:
            return [unit_terms_of(unit) for unit in self.unit_texts(docnum)]
        return stored  # type: ignore[no-any-return]

    def heading_idf(self, docnum: int) -> tuple[dict[str, tuple[int, float]], float]:
        """Each term of a passage's own heading -> (its place among them, its idf), and
        the sum heading matches divide by.

        A heading made only of words found everywhere (a page title) names no subject, so
        the sum never falls below the idf of a word found in a quarter of the passages.
        The place is the order :func:`heading_matches` adds the terms' parts in.
        """
        cached = self._heading_idf.get(docnum)
        if cached is None:
            # in sorted order: a set's order changes with the process's string hash seed,
            # and a float sum with its order (to the last bit)
            words = sorted(self.heading_terms(docnum))
            pairs = tuple((t, max(self.word_weight(t), IDF_FLOOR)) for t in words)
            total = max(sum(w for _, w in pairs), self.idf_for(self.n // 4))
            cached = ({t: (i, w) for i, (t, w) in enumerate(pairs)}, total)
            self._heading_idf[docnum] = cached
        return cached

    def is_lead(self, docnum: int) -> bool:
        """True for the first passage of its section."""
        cached = self._lead.get(docnum)
        if cached is None:
            cached = bool(self.stored(docnum).get("lead"))
            self._lead[docnum] = cached
        return cached

    # ---------------------------------------------------------------- groups

    def word_weight(self, term: str) -> float:
        """W for one index term: its idf over sections."""
        return self.idf_for(self.df("context", term))

    def group(self, group: Group) -> GroupStats:
        cached = self._groups.get(group)
        if cached is not None:
            return cached
        tf: dict[str, dict[int, float]] = {}
        share: dict[str, dict[int, float]] = {}
        idf: dict[str, float] = {}
        credit: dict[int, float] = {}
        best: dict[int, Alternative] = {}
        for field in FIELDS:
            field_tf: dict[int, float] = {}
            weighted: dict[int, float] = {}
            for alt in group.alternatives:
                c = credit_of(alt, self.params) * (self.params.context_credit if field == "context" else 1.0)
                for d, f in self.alternative_tf(alt, field).items():
                    field_tf[d] = field_tf.get(d, 0.0) + f
                    weighted[d] = weighted.get(d, 0.0) + alt.weight * f
                    if c > credit.get(d, 0.0):
                        credit[d] = c
                        best[d] = alt
            tf[field] = field_tf
            share[field] = {d: weighted[d] / f for d, f in field_tf.items() if f > 0}
            idf[field] = self.idf_for(len(field_tf))
        context_df = len(tf["context"])
        words = group_words(group)
        if context_df:
            weight = self.idf_for(context_df)
        else:
            # never used here: as telling as the word is in everyday English ("said" little,
            # "contagious" much), so an off-topic question covers little of any passage
            weight = self.idf_for(0) * max((informativeness(w) for w in words), default=1.0)
            if group.story:
                # a word of the story before a long question: the teller's life, not the ask
                weight *= self.params.story_unknown_share
        if context_df and words and all(is_everyday(w) for w in words) and not _names_a_concept(group):
            # everyday words ("keep", "take", "now") are weak evidence even when rare here
            # and the more everyday, the weaker ("now" less than "keep"); one the corpus
            # never uses ("drive") keeps its weight above: the page cannot answer it
            p = self.params
            cap = p.common_word_weight * max(p.everyday_min_share, max(informativeness(w) for w in words))
            weight = min(weight, cap)
            idf = {f: min(v, p.common_word_weight) for f, v in idf.items()}
        if group.emphasis != 1.0:
            weight *= group.emphasis
            idf = {f: v * group.emphasis for f, v in idf.items()}
        stats = GroupStats(tf, share, idf, credit, best, weight)
        self._keep_group(self._groups, group, stats)
        return stats

    def _keep_group(self, cache: OrderedDict[Group, Any], group: Group, value: Any) -> None:
        """Store a per-group value, dropping the oldest past :data:`GROUP_CACHE_LIMIT`."""
        with self._lock:
            cache[group] = value
            if len(cache) > GROUP_CACHE_LIMIT:
                cache.popitem(last=False)

    def group_weight(self, group: Group) -> float:
        return self.group(group).weight

    def group_scores(self, group: Group, stats: GroupStats | None = None) -> dict[int, float]:
        """bm25 part of one group for every passage it occurs in (``stats``: its :meth:`group`).

        Kept with the group's statistics: a question asked again, or another sharing a
        group, does not walk the group's postings again. The dict is shared: read only.
        """
        cached = self._group_scores.get(group)
        if cached is not None:
            return cached
        out = self._compute_group_scores(stats if stats is not None else self.group(group))
        self._keep_group(self._group_scores, group, out)
        return out

    def _compute_group_scores(self, stats: GroupStats) -> dict[int, float]:
        out: dict[int, float] = {}
        for field, params in FIELDS.items():
            field_tf = stats.tf[field]
            if not field_tf:
                continue
            norms = self.norms(field)
            share = stats.share[field]
            factor = params.boost * stats.idf[field] * (K1 + 1)
            get = out.get
            for d, f in field_tf.items():
                out[d] = get(d, 0.0) + factor * share[d] * f / (f + norms[d])
        return out


def score_groups(stats: IndexStatistics, groups: list[Group]) -> tuple[dict[int, float], dict[int, float]]:
    """bm25(d) and coverage(d) for every passage matching at least one group."""
    bm25: dict[int, float] = {}
    covered: dict[int, float] = {}
    group_stats = [stats.group(g) for g in groups]
    total = sum(gs.weight for g, gs in zip(groups, group_stats) if not g.combined) or 1.0
    for group, gs in zip(groups, group_stats):
        scores = stats.group_scores(group, gs)
        get = bm25.get
        for d, s in scores.items():
            bm25[d] = get(d, 0.0) + s
        if not group.combined:
            weight, credit, got = gs.weight, gs.credit, covered.get
            for d in scores:
                covered[d] = got(d, 0.0) + weight * credit.get(d, 0.0)
    return bm25, {d: covered.get(d, 0.0) / total for d in bm25}


def combined_coverage(stats: IndexStatistics, groups: list[Group],
                      coverage: dict[int, float]) -> dict[int, float]:
    """Coverage for ranking: ``coverage`` with the groups a combined entry joins covered,
    at a broader term's credit, in the passages that say the entry.

    Why: "stop my Ocrevus" holds the entry "stop DMT", and a passage about coming off a
    DMT says it ("coming off it"), though neither "stop" nor "Ocrevus" stands there; read
    word by word it covered neither, and lost to a passage that names only the class of
    drug. Said as a whole, the entry covers each thing it joins as a broader term does
    (``related_credit``): the passage speaks of the class, not of the one drug asked
    about. Found only elsewhere in the section, ``context_credit`` of that. Ranking only:
    the decision's evidence keeps the plain coverage (a combined group never changes the
    confidence of a passage).
    """
    p = stats.params
    plain = [i for i, g in enumerate(groups) if not g.combined]
    stats_of = {i: stats.group(groups[i]) for i in plain}
    total = sum(gs.weight for gs in stats_of.values()) or 1.0
    raised: dict[tuple[int, int], float] = {}
    for group in groups:
        members = _joined(group, groups, plain) if group.combined else []
        if not members:
            continue
        gs = stats.group(group)
        inside = {d for field in PHRASE_FIELDS for d in gs.tf[field]}
        for d in gs.credit:
            credit = p.related_credit * (1.0 if d in inside else p.context_credit)
            for i in members:
                have = stats_of[i].credit.get(d, 0.0)
                if credit > have:
                    gain = stats_of[i].weight * (credit - have)
                    raised[d, i] = max(raised.get((d, i), 0.0), gain)
    if not raised:
        return coverage
    out = dict(coverage)
    for (d, _i), gain in raised.items():
        out[d] = out.get(d, 0.0) + gain / total
    return out


def _joined(combined: Group, groups: list[Group], plain: list[int]) -> list[int]:
    """The groups a combined group joins: those whose terms, in order, make up its terms
    (``QueryRewriter._combinations`` builds them so)."""
    want = combined.terms

    def walk(at: int, start: int) -> list[int] | None:
        if at == len(want):
            return []
        for k in range(start, len(plain)):
            terms = groups[plain[k]].terms
            if terms and want[at:at + len(terms)] == terms:
                rest = walk(at + len(terms), k + 1)
                if rest is not None:
                    return [plain[k], *rest]
        return None

    return walk(0, 0) or []


def query_term_weights(plan: QueryPlan) -> dict[str, float]:
    """Every index term the question can match, with the weight of its best alternative."""
    weights: dict[str, float] = {}
    for group in plan.groups:
        for alt in group.alternatives:
            for term in alt.terms:
                weights[term] = max(weights.get(term, 0.0), alt.weight)
    return weights


def heading_matches(stats: IndexStatistics, weights: dict[str, float],
                    only: AbstractSet[int] | None = None) -> dict[int, float]:
    """Share of each passage's own heading that the question names (0 to 1), for every
    passage whose heading holds a question term.

    A question naming a section's subject ("steroids", "what is SPMS?") covers most of
    that section's heading, so the section's passages move up. Each heading word counts
    by its idf, so the words a heading shares with every other heading ("secondary
    progressive MS") count for little and the word that names the subject ("diagnosed",
    "steroids") for much. Walks the ``heading`` postings of the question's terms, so its
    cost grows with the passages that match, not with the corpus.

    A passage's share is the sum, over its heading's terms in their order, of the
    question's weight times the term's idf, over the heading's sum. Only the terms the
    question names add anything, so those parts are gathered term by term and added in
    the heading's order (the same sum, to the last bit), not every heading term of every
    passage walked for every question. ``only``: the passages to work it out for (the
    others are left out), all when None.
    """
    parts: dict[int, list[tuple[int, float]]] = {}
    heading_idf = stats.heading_idf
    for term, weight in weights.items():
        for d in stats.postings("heading", term):
            if only is not None and d not in only:
                continue
            found = heading_idf(d)[0].get(term)
            got = parts.setdefault(d, [])
            if found is not None:
                got.append((found[0], weight * found[1]))
    out = {}
    for d, got in parts.items():
        places, total = heading_idf(d)
        got.sort()
        out[d] = sum(part for _place, part in got) / total if places else 0.0
    return out


class PlanTerms(FrozenRecord):
    """What the per-sentence measures need of a question, computed once a ranking."""

    weights: list[float]  # each group's weight, 0 for combined groups
    alternatives: list[tuple[int, tuple[str, ...], float, bool]]  # group, terms, credit, phrase

    __slots__ = _fields = ("weights", "alternatives")

    def __init__(
        self,
        weights: list[float],
        alternatives: list[tuple[int, tuple[str, ...], float, bool]],
    ) -> None:
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "alternatives", alternatives)


def plan_terms(stats: IndexStatistics, plan: QueryPlan) -> PlanTerms:
    weights = [0.0 if g.combined else max(stats.group_weight(g), IDF_FLOOR) for g in plan.groups]
    alternatives = [(gi, alt.terms, credit_of(alt, stats.params), alt.phrase)
                    for gi, group in enumerate(plan.groups) if weights[gi] > 0
                    for alt in group.alternatives]
    return PlanTerms(weights, alternatives)


def sentence_coverage(stats: IndexStatistics, docnum: int, plan: QueryPlan,
                      terms: PlanTerms | None = None) -> float:
    """Best share of the question's weight that one sentence (or bullet) of the passage holds.

    Proximity in its simplest form: a passage that answers tends to say the asked-about
    things in one sentence, one that merely repeats the words spreads them around.
    """
    if terms is None:
        terms = plan_terms(stats, plan)
    weights = terms.weights
    total = sum(weights) or 1.0
    best = 0.0
    texts = stats.unit_texts(docnum) if plan.ranking_kind else []
    for ui, (positions, ordered) in enumerate(stats.unit_terms(docnum)):
        credit = [0.0] * len(weights)
        for gi, alt_terms, alt_credit, phrase in terms.alternatives:
            if alt_credit <= credit[gi] or not all(t in positions for t in alt_terms):
                continue
            got_credit = alt_credit * (phrase_share(ordered, alt_terms) if phrase else 1.0)
            if got_credit > credit[gi]:
                credit[gi] = got_credit
        share = sum(w * c for w, c in zip(weights, credit)) / total
        if share > 0 and texts and answers_kind(texts[ui], plan.ranking_kind, plan.answer_names):
            # says the kind of thing asked for ("who" -> a person): part of the way to a full answer
            share += stats.params.expected_sentence_share * (1 - share)
        best = max(best, share)
    return best


class ProximityPairs(FrozenRecord):
    """What :func:`proximity` needs of a question, worked out once a ranking, not per passage."""

    pairs: list[tuple[int, int]]  # neighbouring asked groups
    weights: list[float]  # each pair's weight: the smaller of its groups' weights
    total: float  # what the found pairs' weights are divided by
    by_first: dict[str, set[int]]  # first word of an alternative -> the asked groups it opens

    __slots__ = _fields = ("pairs", "weights", "total", "by_first")

    def __init__(self, pairs: list[tuple[int, int]], weights: list[float], total: float,
                 by_first: dict[str, set[int]]) -> None:
        object.__setattr__(self, "pairs", pairs)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "by_first", by_first)


def proximity_pairs(stats: IndexStatistics, plan: QueryPlan,
                    terms: PlanTerms | None = None) -> ProximityPairs:
    """The neighbouring word pairs of the question and their weights (for :func:`proximity`)."""
    asked = [i for i, g in enumerate(plan.groups) if not g.combined]
    pairs = list(pairwise(asked))
    if not pairs:
        return ProximityPairs([], [], 1.0, {})
    weights = (terms or plan_terms(stats, plan)).weights
    pair_weights = [min(weights[a], weights[b]) for a, b in pairs]
    # an alternative stands in a sentence only where its first word does: a pair one of
    # whose groups has no first word there is not said there, without looking (same result)
    by_first: dict[str, set[int]] = {}
    for g in asked:
        for alt in plan.groups[g].alternatives:
            if alt.terms:
                by_first.setdefault(alt.terms[0], set()).add(g)
    return ProximityPairs(pairs, pair_weights, sum(pair_weights) or 1.0, by_first)


def proximity(stats: IndexStatistics, docnum: int, plan: QueryPlan,
              terms: PlanTerms | None = None, asked: ProximityPairs | None = None) -> float:
    """Share of the question's neighbouring word pairs that a sentence says in order, close.

    The sequential dependence idea (Metzler and Croft): "no new lesions" asked is best
    met by a sentence saying "no new lesions", not by one saying "no" and, later, "new
    lesions"; "managing relapses" by the link of that name. Each pair of neighbouring
    groups weighs the smaller of their weights. ``asked`` is :func:`proximity_pairs` of
    the question, when the caller has it (a ranking measures many passages).
    """
    if asked is None:
        asked = proximity_pairs(stats, plan, terms)
    pairs = asked.pairs
    if not pairs:
        return 0.0
    by_first = asked.by_first
    found = [False] * len(pairs)
    left = len(pairs)
    groups = plan.groups
    for words, ordered in stats.unit_words(docnum):
        present: set[int] = set()
        for word in words & by_first.keys():
            present |= by_first[word]
        if len(present) < 2:  # a pair needs both of its groups in the sentence
            continue
        # the pairs not yet found whose both groups are here (finding one changes no other)
        todo = [k for k, (a, b) in enumerate(pairs) if not found[k] and a in present and b in present]
        if not todo:
            continue
        places: dict[int, tuple[set[int], set[int]]] = {}
        for k in todo:
            a, b = pairs[k]
            if a not in places:
                places[a] = _places_in(ordered, words, groups[a])
            ends = places[a][1]
            if not ends:
                continue
            if b not in places:
                places[b] = _places_in(ordered, words, groups[b])
            if any(0 <= s - e <= PROXIMITY_GAP for e in ends for s in places[b][0]):
                found[k] = True
                left -= 1
        if not left:  # every pair found: later sentences cannot add any
            break
    return sum(w for w, f in zip(asked.weights, found) if f) / asked.total


def _places_in(ordered: tuple[str, ...], words: AbstractSet[str],
               group: Group) -> tuple[set[int], set[int]]:
    """Where any alternative of ``group`` starts, and just after where it ends, in a
    sentence: found with the sentence's distinct words (``words``) and ``index`` scans for
    the first word of each alternative that stands there, in C, instead of a map of where
    every word of the sentence stands, built in Python (a test holds them equal)."""
    starts: set[int] = set()
    ends: set[int] = set()
    for alt in group.alternatives:
        terms = alt.terms
        if not terms or not all(t in words for t in terms):
            continue
        n = len(terms)
        first = terms[0]
        i = ordered.index(first)
        while True:
            if n == 1 or ordered[i : i + n] == terms:
                starts.add(i)
                ends.add(i + n)
            try:
                i = ordered.index(first, i + 1)
            except ValueError:
                break
    return starts, ends


def says_expected_kind(stats: IndexStatistics, docnum: int, plan: QueryPlan) -> bool:
    """True when a sentence of the passage says the kind of thing the question asks for.

    Answer typing as question-answering systems do it: a "who ...?" question is answered
    by a passage that names a person or service, "is there a drug ...?" by one that names
    a medicine, "how long ...?" by one that gives a span of time.
    """
    kind = plan.ranking_kind
    return kind is not None and any(answers_kind(unit, kind, plan.answer_names)
                                    for unit in stats.unit_texts(docnum))


def kind_credit(stats: IndexStatistics, docnum: int, plan: QueryPlan,
                terms: PlanTerms | None = None) -> float:
    """How much the passage says the kind of thing asked for, for ranking: 1.0 when a
    sentence says it about a thing asked, ``kind_elsewhere_share`` when it says it only
    about something else, 0.0 when it never says it.

    Why: a "when ...?" question is answered by a time said of what it asks about; a
    passage whose only time ("in 2022") is said of something else is no better an answer
    for having one. A sentence that leans on the one before ("Its name is siponimod.")
    says its kind of the thing named there, so the two are read together. A thing asked
    counts only when it weighs more than a word found in nearly every passage ("MS").
    An answer-only kind (``QueryPlan.ranking_kind`` None) ranks nothing.
    """
    kind = plan.ranking_kind
    if kind is None:
        return 0.0
    if terms is None:
        terms = plan_terms(stats, plan)
    texts = stats.unit_texts(docnum)
    units = stats.unit_terms(docnum)
    said = False
    for ui, text in enumerate(texts):
        if not answers_kind(text, kind, plan.answer_names):
            continue
        said = True
        if any(_names_asked(units[uj][0], terms) for uj in read_with(texts, ui)):
            return 1.0
    return stats.params.kind_elsewhere_share if said else 0.0


def read_with(texts: list[str], ui: int) -> tuple[int, ...]:
    """Sentence ``ui`` of a passage and, when it leans on the one before ("Its name is
    siponimod."), that one too: what it says is said of the thing named there."""
    return (ui, ui - 1) if ui > 0 and leans_on_previous(texts[ui]) else (ui,)


def _names_asked(positions: dict[str, list[int]], terms: PlanTerms) -> bool:
    """True when a sentence (its terms' places) holds a way of saying a thing asked that
    weighs more than a word found in nearly every passage."""
    return any(terms.weights[gi] > IDF_FLOOR and all(t in positions for t in alt_terms)
               for gi, alt_terms, _credit, _phrase in terms.alternatives)


def defines_subject(stats: IndexStatistics, docnum: int, subject: Subject) -> bool:
    """True when a sentence of the passage defines what a "what is X?" question asks about.

    A subject that is a qualifier before the page's own subject ("active MS", "progressive
    multiple sclerosis", the last words found in nearly every passage) is defined where
    the page says what the qualifier means as a word: "'Active' here means your immune
    system is still attacking ..." says what active MS is on a page about MS. A sentence
    about a relapse does not say what relapsing MS is, so only such a gloss counts.
    """
    if not subject:
        return False
    units = stats.unit_texts(docnum)
    if any(defines(unit, subject) for unit in units) or any(
            defines_next(unit, after, subject) for unit, after in pairwise(units)):
        return True
    lead = _qualifier(stats, subject)
    return bool(lead) and any(glosses_word(unit, lead) for unit in units)


def _qualifier(stats: IndexStatistics, subject: Subject) -> Subject:
    """``subject`` without the words at its end that are found in nearly every passage (the
    page's own subject, "MS"), as groups of ways of saying; () when nothing is left out.

    Whole groups at the end go first ("progressive | multiple sclerosis" -> "progressive"),
    then such words at the end of each way of saying the last group ("active ms" ->
    "active"). The first word always stays: it is what qualifies.
    """
    def everywhere(term: str) -> bool:
        return stats.word_weight(term) <= IDF_FLOOR

    def cut_alt(alt: tuple[str, ...]) -> tuple[str, ...]:
        n = len(alt)
        while n > 1 and everywhere(alt[n - 1]):
            n -= 1
        return alt[:n]

    cut = len(subject)
    while cut > 1 and any(alt and all(map(everywhere, alt)) for alt in subject[cut - 1]):
        cut -= 1
    last = tuple(dict.fromkeys(cut_alt(alt) for alt in subject[cut - 1]))
    qualifier = (*subject[: cut - 1], last)
    return qualifier if qualifier != subject else ()


#: How far a computed heading share may stand above its true bound (the sums' rounding).
_SHARE_MARGIN = 1e-9


def could_rank(plain: dict[int, float], depth: int, bonus: float,
               weights: dict[str, float]) -> set[int] | None:
    """The passages whose first-pass score could reach the best ``depth``, whatever their
    heading match; None when every one could (MaxScore-style, so the result is the same).

    ``plain`` is each passage's score before the heading factor ``1 + bonus * share``. A
    share is at most the largest weight of a question term (it is a mean of the weights
    of the heading's terms, by idf, over at least their sum), so a passage scores between
    ``plain`` and ``plain * (1 + bonus * that)``. One whose most is below the
    ``depth``-th best least cannot be among the best ``depth``: its heading match, the
    costliest part of the first pass for a question asked for the first time (the
    headings read, their words' frequencies looked up), is not worked out.
    """
    if len(plain) <= depth or bonus < 0 or not weights or min(weights.values()) < 0:
        return None
    least = heapq.nlargest(depth, plain.values())[-1]
    factor = 1 + bonus * max(weights.values()) * (1 + _SHARE_MARGIN)
    return {d for d, s in plain.items() if s * factor >= least}


def rank(stats: IndexStatistics, plan: QueryPlan, limit: int) -> list[Scored]:
    """The ``limit`` best passages for ``plan``, best first (ties: earlier passage first).

    First pass: bm25 x coverage x heading match over every matching passage. Second
    pass, over the best ``rerank_depth``: the lead-passage prior, the
    definition and answer-kind bonuses and proximity. ``stats.params`` holds every
    constant, and a rule switched off there contributes nothing (``rules.py``).
    """
    if not plan.groups or limit <= 0:
        return []
    p = stats.params
    bm25, coverage = score_groups(stats, plan.groups)
    weights = query_term_weights(plan)
    base, power, bonus = p.coverage_base, p.coverage_power, p.heading_bonus
    ranking = combined_coverage(stats, plan.groups, coverage) if p.on("combined-entries") else coverage
    plain = {d: s * (base + ranking[d]) ** power for d, s in bm25.items() if s > 0}
    depth = max(limit, p.rerank_depth)
    named = (heading_matches(stats, weights, could_rank(plain, depth, bonus, weights))
             if p.on("heading-match") else {})
    heading = named.get
    # scores first, a Scored only for the passages that go on (one left out by could_rank
    # scores its least here, below the best ``depth`` either way)
    first = {d: s * (1 + bonus * heading(d, 0.0)) for d, s in plain.items()}
    best = heapq.nlargest(depth, first.items(), key=lambda item: (item[1], -item[0]))
    top = [Scored(d, score, bm25[d], coverage[d]) for d, score in best]
    subject = plan.subject
    terms = plan_terms(stats, plan)
    lead = p.on("lead-passage")
    near = p.proximity_bonus * p.on("proximity")
    asked = proximity_pairs(stats, plan, terms) if near else None
    # The most each sentence measure can multiply a score by. Candidates come best first;
    # one whose score times those (in the same order, so rounding cannot undercut) cannot
    # beat the limit-th best so far is not measured (MaxScore-style): it could not enter
    # the top, so the result is the same.
    # (a measure the question cannot meet multiplies by 1: no subject, no kind, no word pair)
    pairs = sum(not g.combined for g in plan.groups) > 1
    most = (max(1.0, 1 + p.definition_bonus) if subject else 1.0,
            max(1.0, 1 + p.expected_kind_bonus) if plan.ranking_kind is not None else 1.0,
            max(1.0, 1 + near) if pairs else 1.0)
    kept: list[tuple[float, int]] = []  # the limit best (score, -docnum) so far, a min-heap
    reranked = []
    for x in top:
        led = x.score * (1 + lead * stats.is_lead(x.docnum)
                         * (p.lead_bonus + p.lead_heading_bonus * named.get(x.docnum, 0.0)))
        if len(kept) == limit and led >= 0 and (led * most[0] * most[1] * most[2], -x.docnum) < kept[0]:
            continue
        scored = Scored(
            x.docnum,
            led
            * (1 + p.definition_bonus * defines_subject(stats, x.docnum, subject))
            * (1 + p.expected_kind_bonus * kind_credit(stats, x.docnum, plan, terms))
            * (1 + near * (proximity(stats, x.docnum, plan, terms, asked) if near else 0.0)),
            x.bm25,
            x.coverage,
        )
        reranked.append(scored)
        if len(kept) < limit:
            heapq.heappush(kept, (scored.score, -scored.docnum))
        elif (scored.score, -scored.docnum) > kept[0]:
            heapq.heapreplace(kept, (scored.score, -scored.docnum))
    return heapq.nlargest(limit, reranked, key=lambda x: (x.score, -x.docnum))


def explain_passage(stats: IndexStatistics, plan: QueryPlan, docnum: int) -> list[GroupMatch]:
    """Which alternative of each group matched ``docnum``, in which fields, for how much."""
    matches = []
    for group in plan.groups:
        gs = stats.group(group)
        score = stats.group_scores(group).get(docnum, 0.0)
        alt = gs.best.get(docnum)
        if alt is None or score <= 0:
            matches.append(GroupMatch(group.text, "", "none", 0.0, ()))
            continue
        fields = tuple(f for f in FIELDS if docnum in gs.tf[f])
        matches.append(GroupMatch(group.text, alt.text, alt.kind, score, fields))
    return matches
