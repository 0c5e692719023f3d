"""The search API: open an index once, answer many questions, return results with headings.

``open_index`` returns a :class:`Searcher` that is safe to share between threads;
``search`` is the one-call convenience. ``Searcher.ask`` returns the whole
:class:`Response` (results, spelling suggestion, how the question was read, whether the
engine declined), which the command line renders; ``Searcher.search`` returns only the
results, which is what most embedding tools want.
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import threading
import zlib
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import MISSING as dataclasses_MISSING
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from itertools import pairwise
from reprlib import recursive_repr
from typing import Any
from urllib.parse import quote, urldefrag, urljoin

from .analysis import install_corpus_stems, matched_spans
from .answerability import (
    Evidence,
    Model,
    capped_for_missing_value,
    capped_for_place_only,
    gather,
    holds_a_thing_asked,
    load_model,
)
from .answers import AnswerWeights, best_unit, highlight_spans
from .errors import (
    IndexCorruptError,
    InternalError,
    QueryError,
    SearcherClosedError,
    SpmsSearchError,
)
from .index import (
    OpenedIndex,
    corpus_changed,
    open_built_index,
    read_corpus_stems,
    read_marker,
    read_spelling_words,
)
from .locations import legacy_paths
from .query import QueryPlan, QueryRewriter, asked_medicine_class, names_the_class_only
from .questiontext import (
    TextDecision,
    capped_for_kind_not_said,
    favourite_joins,
    fused_order,
    load_decision,
    passage_keys,
    section_key,
    words_favourites,
    words_read,
)
from .rules import DEFAULT, Parameters
from .scoring import (
    GroupMatch,
    IndexStatistics,
    Scored,
    explain_passage,
    rank,
)
from .vocabulary import Vocabulary, load_vocabulary

#: What reading damaged index files raises (Whoosh unpickles and unpacks them).
_READ_FAULTS = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error)

#: Most results one call returns; larger limits are clamped to it.
MAX_LIMIT = 100
#: Most sections offered for browsing when no confident answer exists.
BROWSE_LIMIT = 12
#: Version of the JSON contract (``Response.to_dict``, ``--json``, the web API). Adding a
#: key keeps it; removing or changing the meaning of one raises it (``docs/json-contract.md``).
CONTRACT_VERSION = 1
#: Where the corpus files are published, when the caller names no ``base_url``.
BASE_URL_ENV = "SPMS_SEARCH_BASE_URL"

Span = tuple[int, int]
#: A field left to its ``default_factory`` (as ``@dataclass`` marks one in ``__init__``).
_FACTORY: Any = type("_Factory", (), {"__repr__": lambda self: "<factory>"})()


# The public result classes stay frozen (or plain) dataclasses: ``fields``, ``asdict``,
# ``replace`` and ``is_dataclass`` work on them as before, and assigning to a field of a
# frozen one raises ``FrozenInstanceError``. Their ``__init__``, ``__repr__``, ``__eq__``
# and ``__hash__`` are written out below, exactly as ``@dataclass`` would generate them
# (``init``, ``repr`` and ``eq`` are therefore passed as False): generating them runs
# ``exec`` at import, about 3 ms of every command-line answer for these three classes.
# A test holds each equal to the generated one.


class _ComparedByFields:
    """``__eq__`` and ``__hash__`` over ``_field_values()``, as ``@dataclass`` makes them."""

    __slots__ = ()

    def _field_values(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._field_values() == other._field_values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._field_values())


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Result(_ComparedByFields):
    """One answer: a passage under its heading path, with the sentence that answers."""

    rank: int
    score: float
    document: str
    heading: str
    headings: tuple[str, ...]
    section: str
    text: str
    answer: str
    #: Link to the passage's source: the document's address plus the heading's anchor.
    url: str | None = None
    #: The heading's anchor in its source document (``id``), when it has one.
    anchor: str | None = None
    #: Where ``answer`` sits inside ``text`` (character offsets), when it is a verbatim part.
    answer_span: Span | None = None
    #: Character spans of the words the question matched, in ``text`` and in ``answer``.
    text_highlights: tuple[Span, ...] = ()
    answer_highlights: tuple[Span, ...] = ()

    def __init__(self, rank: int, score: float, document: str, heading: str,
                 headings: tuple[str, ...], section: str, text: str, answer: str,
                 url: str | None = None, anchor: str | None = None, answer_span: Span | None = None,
                 text_highlights: tuple[Span, ...] = (), answer_highlights: tuple[Span, ...] = ()) -> None:
        setattr_ = object.__setattr__
        self._place(rank, score, document, heading, headings, section, text, url, anchor)
        setattr_(self, "answer", answer)
        setattr_(self, "answer_span", answer_span)
        setattr_(self, "text_highlights", text_highlights)
        setattr_(self, "answer_highlights", answer_highlights)

    def _field_values(self) -> tuple[Any, ...]:
        return (self.rank, self.score, self.document, self.heading, self.headings, self.section,
                self.text, self.answer, self.url, self.anchor, self.answer_span,
                self.text_highlights, self.answer_highlights)

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(rank={self.rank!r}, score={self.score!r}, "
                f"document={self.document!r}, heading={self.heading!r}, headings={self.headings!r}, "
                f"section={self.section!r}, text={self.text!r}, answer={self.answer!r}, "
                f"url={self.url!r}, anchor={self.anchor!r}, answer_span={self.answer_span!r}, "
                f"text_highlights={self.text_highlights!r}, "
                f"answer_highlights={self.answer_highlights!r})")

    @classmethod
    def _deferred(cls, rank: int, score: float, document: str, heading: str, headings: tuple[str, ...],
                  section: str, text: str, url: str | None, anchor: str | None,
                  answering: _Answering) -> Result:
        """A result whose answer fields (:data:`_DEFERRED`) ``answering`` works out when first read.

        Why: at ``limit=100`` picking each result's answer sentence and highlight spans took
        about half of a question's time, and a caller that reads only documents or headings
        (a ranking benchmark, a list of links) never looks at them. The values are exactly
        those the eager path gives: ``answering`` needs only the passage and the question's
        weights, never the index, so a result works out its answer the same after its
        Searcher closed, and two threads reading it at once compute the same values.
        """
        self = cls.__new__(cls)
        self._place(rank, score, document, heading, headings, section, text, url, anchor)
        object.__setattr__(self, "_answering", answering)
        return self

    def _place(self, rank: int, score: float, document: str, heading: str, headings: tuple[str, ...],
               section: str, text: str, url: str | None, anchor: str | None) -> None:
        """Set the fields every result has from the start (the answer fields aside)."""
        setattr_ = object.__setattr__
        setattr_(self, "rank", rank)
        setattr_(self, "score", score)
        setattr_(self, "document", document)
        setattr_(self, "heading", heading)
        setattr_(self, "headings", headings)
        setattr_(self, "section", section)
        setattr_(self, "text", text)
        setattr_(self, "url", url)
        setattr_(self, "anchor", anchor)

    def __getstate__(self) -> dict[str, Any]:
        """Pickles and copies carry the field values (the answer worked out), nothing else."""
        return {name: getattr(self, name) for name in _RESULT_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of one result (``docs/json-contract.md``); the original keys first."""
        data = asdict(self)
        data["headings"] = list(self.headings)
        data["answer_span"] = list(self.answer_span) if self.answer_span else None
        data["highlights"] = {
            "text": [list(span) for span in data.pop("text_highlights")],
            "answer": [list(span) for span in data.pop("answer_highlights")],
        }
        return data


class _Answering:
    """What a result needs to pick its answer sentence and highlights, and the picking."""

    __slots__ = ("heading", "items", "matched", "path", "text", "weights")

    def __init__(self, text: str, items: tuple[str, ...], weights: AnswerWeights, heading: str,
                 matched: frozenset[str], path: str = "") -> None:
        self.text = text
        self.items = items
        self.weights = weights
        self.heading = heading
        self.matched = matched
        self.path = path

    def fields(self) -> dict[str, Any]:
        """The deferred fields of the result: its answer, where it stands, the highlights."""
        text, matched = self.text, self.matched
        answer = best_unit(text, self.items, self.weights, self.heading, self.path)
        start = text.find(answer) if answer else -1
        return {
            "answer": answer,
            "answer_span": (start, start + len(answer)) if start >= 0 else None,
            "text_highlights": tuple(matched_spans(text, matched)),
            "answer_highlights": tuple(matched_spans(text, matched, start, start + len(answer)) if start >= 0
                                       else highlight_spans(answer, matched)),
        }


class _DeferredField:
    """A field of :class:`Result` worked out on first reading (``Result._deferred``).

    A non-data descriptor: once the values stand in the instance's ``__dict__`` they are
    read from there directly, as any other field. The four values are stored by one
    ``dict.update``, so a thread never sees some of them without the others.
    """

    def __init__(self, name: str, default: Any) -> None:
        self.name = name
        self.default = default

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:  # the class attribute, as @dataclass leaves it: the default, if any
            if self.default is dataclasses_MISSING:
                raise AttributeError(f"type object {owner.__name__ if owner else 'Result'!r} "
                                     f"has no attribute {self.name!r}")
            return self.default
        state = obj.__dict__
        answering = state.get("_answering")
        if answering is not None:
            state.update(answering.fields())
            state.pop("_answering", None)
        return state[self.name]


@dataclass(frozen=True, init=False, repr=False, eq=False)
class SectionInfo(_ComparedByFields):
    """A section of the indexed corpus, for browsing."""

    document: str
    title: str
    headings: tuple[str, ...]
    section: str
    level: int
    #: The heading's anchor in its source, and the document's own address ("" when none).
    anchor: str = ""
    url: str = ""

    def __init__(self, document: str, title: str, headings: tuple[str, ...], section: str, level: int,
                 anchor: str = "", url: str = "") -> None:
        setattr_ = object.__setattr__
        setattr_(self, "document", document)
        setattr_(self, "title", title)
        setattr_(self, "headings", headings)
        setattr_(self, "section", section)
        setattr_(self, "level", level)
        setattr_(self, "anchor", anchor)
        setattr_(self, "url", url)

    def _field_values(self) -> tuple[Any, ...]:
        return (self.document, self.title, self.headings, self.section, self.level, self.anchor,
                self.url)

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(document={self.document!r}, title={self.title!r}, "
                f"headings={self.headings!r}, section={self.section!r}, level={self.level!r}, "
                f"anchor={self.anchor!r}, url={self.url!r})")

    @property
    def heading(self) -> str:
        return self.headings[-1]


#: The fields of a result that ``Result._deferred`` works out when first read.
_DEFERRED = ("answer", "answer_span", "text_highlights", "answer_highlights")
_RESULT_FIELDS = tuple(f.name for f in dataclass_fields(Result))
for _field in dataclass_fields(Result):
    if _field.name in _DEFERRED:
        setattr(Result, _field.name, _DeferredField(_field.name, _field.default))
del _field


@dataclass(init=False, repr=False, eq=False)
class Response(_ComparedByFields):
    """Everything one question produced."""

    query: str
    results: list[Result]
    plan: QueryPlan
    confidence: float = 0.0
    declined: bool = False
    browse: list[SectionInfo] = field(default_factory=list)
    explanations: list[list[GroupMatch]] = field(default_factory=list)
    matched_terms: frozenset[str] = frozenset()
    #: What the decision to answer was based on (see ``answerability.py``).
    evidence: Evidence = field(default_factory=Evidence)

    #: Links of the sections in ``browse`` (slug -> url), where the source gives one.
    browse_urls: dict[str, str] = field(default_factory=dict)

    def __init__(self, query: str, results: list[Result], plan: QueryPlan, confidence: float = 0.0,
                 declined: bool = False, browse: list[SectionInfo] = _FACTORY,
                 explanations: list[list[GroupMatch]] = _FACTORY,
                 matched_terms: frozenset[str] = frozenset(), evidence: Evidence = _FACTORY,
                 browse_urls: dict[str, str] = _FACTORY) -> None:
        self.query = query
        self.results = results
        self.plan = plan
        self.confidence = confidence
        self.declined = declined
        self.browse = [] if browse is _FACTORY else browse
        self.explanations = [] if explanations is _FACTORY else explanations
        self.matched_terms = matched_terms
        self.evidence = Evidence() if evidence is _FACTORY else evidence
        self.browse_urls = {} if browse_urls is _FACTORY else browse_urls

    def _field_values(self) -> tuple[Any, ...]:
        return (self.query, self.results, self.plan, self.confidence, self.declined, self.browse,
                self.explanations, self.matched_terms, self.evidence, self.browse_urls)

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(query={self.query!r}, results={self.results!r}, "
                f"plan={self.plan!r}, confidence={self.confidence!r}, declined={self.declined!r}, "
                f"browse={self.browse!r}, explanations={self.explanations!r}, "
                f"matched_terms={self.matched_terms!r}, evidence={self.evidence!r}, "
                f"browse_urls={self.browse_urls!r})")

    __hash__ = None  # type: ignore[assignment]  # mutable: as @dataclass(eq=True) leaves it

    @property
    def highlights(self) -> list[list[tuple[int, int]]]:
        """Character spans of the matched words in each result's answer (for display)."""
        return [list(r.answer_highlights) for r in self.results]

    @property
    def suggestion(self) -> str | None:
        return self.plan.suggestion

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``--json``): the original keys first, then how sure the engine is.

        ``confidence`` is the probability that the first result answers the question
        (``answerability.py``), ``declined`` whether it fell below the bar (``results`` is
        then empty), and ``browse`` the sections offered instead.
        """
        return {
            "version": CONTRACT_VERSION,
            "query": self.query,
            "results": [r.to_dict() for r in self.results],
            "suggestion": self.suggestion,
            "confidence": round(self.confidence, 4),
            "declined": self.declined,
            "browse": [{"heading": s.heading, "section": s.section, "headings": list(s.headings),
                        "document": s.document, "url": self.browse_urls.get(s.section)}
                       for s in self.browse],
            "truncated": self.plan.truncated,
        }


def validate_limit(limit: int) -> int:
    """``limit`` clamped to 1..MAX_LIMIT; zero or negative is an error."""
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise QueryError(f"limit must be a whole number, not {limit!r}")
    if limit < 1:
        raise QueryError(f"limit must be at least 1 (got {limit})")
    return min(limit, MAX_LIMIT)


class _Lexicon:
    """The index vocabulary as query rewriting sees it."""

    def __init__(self, stats: IndexStatistics,
                 stored_spelling: Callable[[], list[str] | None] = lambda: None) -> None:
        self.stats = stats
        self._stored_spelling = stored_spelling
        self._spelling: _SortedTerms | None = None

    def has_term(self, term: str) -> bool:
        return any(self.stats.df(f, term) for f in ("body", "heading", "parents"))

    def spelling_candidates(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """Words of the index within ``maxdist`` edits of ``word``, in word order, with their
        document frequencies."""
        with self.stats._lock:
            words = self._merged_spelling().within(word, maxdist)
            return [(w, self.stats.df("spell", w)) for w in words]

    def _merged_spelling(self) -> _SortedTerms:
        """The spelling words of every segment, merged once per open index.

        Why: Whoosh finds the words near a typo by walking an automaton over one
        segment's sorted term list; an index of several segments (``segments.py``) would
        walk every segment's list, or (Whoosh's own way for several) compare the word
        with every term: seconds a typo on a large index. Walking the automaton over the
        merged list still took ~170 ms a word on a corpus of 1,000 abstracts (MED), the
        largest cost of a question asked for the first time; :meth:`_SortedTerms.within`
        now finds the same words by their pieces. The build keeps the merged list with the
        index (``index.read_spelling_words``); an index without it has it merged here.
        """
        if self._spelling is None:
            stored = self._stored_spelling()
            if stored is None:
                words: set[str] = set()
                for leaf, _base in self.stats.reader.leaf_readers():
                    words.update(leaf.field_terms("spell"))
                stored = sorted(words)
            self._spelling = _SortedTerms(stored)
        return self._spelling


class _SortedTerms:
    """A sorted word list that Whoosh's Levenshtein automata can walk (a term cursor)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at = 0
        self._by_length: dict[int, list[str]] = {}
        for w in words:  # in word order, so each length's list stays sorted
            self._by_length.setdefault(len(w), []).append(w)
        #: Each length's words joined by line breaks (made when first searched): every
        #: word takes length + 1 characters, so where a piece is found says which word.
        self._joined: dict[int, str] = {}

    def text(self) -> str | None:
        return self.words[self.at] if self.at < len(self.words) else None

    def find(self, term: str) -> None:
        self.at = bisect_left(self.words, term)

    def within(self, word: str, maxdist: int) -> list[str]:
        """The words within ``maxdist`` edits (Levenshtein: insert, delete, substitute) of
        ``word``, in word order: what Whoosh's automaton finds (a test holds them equal).

        Split ``word`` into ``maxdist + 1`` pieces: each edit breaks at most one, so a
        word within ``maxdist`` edits holds at least one piece as it stands, no more than
        ``maxdist`` places from where the piece stands in ``word`` (only the edits before
        it move it), and its length differs by at most ``maxdist``. Only such words are
        compared letter by letter.
        """
        if maxdist < 1 or len(word) <= maxdist:
            return self._walk(word, maxdist)
        n = len(word)
        cuts = [round(i * n / (maxdist + 1)) for i in range(maxdist + 2)]
        pieces = [word[a:b] for a, b in pairwise(cuts)]
        found: list[str] = []
        for length in range(n - maxdist, n + maxdist + 1):
            for w in self._holding_a_piece(length, pieces):
                if (any(w.find(p, max(0, at - maxdist), at + maxdist + len(p)) >= 0
                        for p, at in zip(pieces, cuts, strict=False))
                        and _edit_distance_at_most(word, w, maxdist)):
                    found.append(w)
        found.sort()
        return found

    def _holding_a_piece(self, length: int, pieces: list[str]) -> list[str]:
        """The words of ``length`` letters holding one of ``pieces`` as it stands, in word
        order: one regular-expression scan of them all instead of a test per word and piece
        (a piece is word characters, so it is never found across a line break)."""
        words = self._by_length.get(length)
        if not words:
            return []
        if not all(pieces):
            return list(words)
        joined = self._joined.get(length)
        if joined is None:
            joined = self._joined[length] = "".join(f"{w}\n" for w in words)
        pattern = re.compile("|".join(re.escape(p) for p in pieces))
        width = length + 1
        out: list[str] = []
        match = pattern.search(joined)
        while match is not None:
            at = match.start() // width
            out.append(words[at])
            match = pattern.search(joined, (at + 1) * width)
        return out

    def _walk(self, word: str, maxdist: int) -> list[str]:
        from whoosh.codec.base import Automata

        self.at = 0
        return list(Automata.find_matches(Automata.levenshtein_dfa(word, maxdist), self))


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """True when ``a`` becomes ``b`` in at most ``limit`` insertions, deletions and
    substitutions (Levenshtein).

    Myers' bit-parallel algorithm (Hyyro's form for the whole of both words): each letter
    of ``b`` updates the table's whole column at once, as the bits of two integers (where
    a cell is one more, or one less, than the one above), and the last cell of the column
    is followed. It stops once that cell exceeds ``limit`` by more than the letters left
    (each letter changes it by at most one). About twice as fast as working out the band
    of cells near the diagonal letter by letter, which it replaced (a test holds it to the
    whole table).
    """
    if abs(len(a) - len(b)) > limit:
        return False
    m = len(a)
    if not m:
        return len(b) <= limit
    equal: dict[str, int] = {}  # letter -> the bits of the places of a holding it
    for i, ch in enumerate(a):
        equal[ch] = equal.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    plus, minus, score = mask, 0, m  # the first column: each cell one more than the one above
    left = len(b)
    for ch in b:
        eq = equal.get(ch, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        h_plus = minus | ~(xh | plus)
        h_minus = plus & xh
        if h_plus & last:
            score += 1
        elif h_minus & last:
            score -= 1
        left -= 1
        if score - left > limit:
            return False
        h_plus = (h_plus << 1) | 1  # the top row counts up: the whole of b is matched
        plus = ((h_minus << 1) | ~(xv | h_plus)) & mask
        minus = h_plus & xv & mask
    return score <= limit


class Searcher:
    """Answers questions from one opened index. Safe to share between threads.

    ``vocabulary`` (default: the bundled one, or ``SPMS_SEARCH_VOCABULARY``) says how
    people name things; ``parameters`` holds the ranking constants and the rules switched
    off (``rules.py``); ``model`` decides whether to answer (``answerability.py``).
    """

    def __init__(self, opened: OpenedIndex, *, vocabulary: Vocabulary | None = None,
                 parameters: Parameters | None = None, model: Model | None = None,
                 base_url: str | None = None) -> None:
        self._opened = opened
        corpus_stems = read_corpus_stems(opened)
        if corpus_stems is not None:  # spares the stemmer for the corpus's words (exact stems)
            install_corpus_stems(corpus_stems)
        #: Address under which the corpus files are published, for documents that give none.
        self.base_url = base_url
        self.parameters = parameters or DEFAULT
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self.stats = IndexStatistics(opened.ix, self.parameters)
        self.rewriter = QueryRewriter(_Lexicon(self.stats, lambda: read_spelling_words(opened)),
                                      self.vocabulary, self.parameters)
        # the model given, else the bundled one, read when first needed: on the bundled corpus
        # the question-text decision decides, and reading a model it never uses cost ~3 ms
        self._given_model = model
        self._model: Model | None = model
        self._lock = threading.Lock()
        self.sections = [
            SectionInfo(s["document"], s["title"], tuple(s["headings"]), s["section"], s["level"],
                        s.get("anchor") or "", s.get("url") or "")
            for s in opened.manifest.get("sections", [])
        ]
        self._by_slug = {s.section: s for s in self.sections}
        #: The question-text decision (``questiontext.py``) when this index holds the corpus
        #: it was fitted on and no model was given; else None, and ``model`` decides.
        self.text_decision: TextDecision | None = None
        #: Each passage's key for the words model (docnum -> key), where the decision applies.
        self._passage_key: dict[int, str] = {}
        if model is None and self.parameters.on("question-text"):
            decision = load_decision()
            # the sections first: a maintainer's corpus is turned away without reading a passage
            if decision is not None and decision.sections == {section_key(s.headings) for s in self.sections}:
                keys = self.passage_key_map()
                if decision.applies_to(keys.values()):
                    self.text_decision, self._passage_key = decision, keys

    # ---------------------------------------------------------------- properties

    @property
    def index_dir(self) -> str:
        return str(self._opened.index_dir)

    @property
    def corpus_dir(self) -> str:
        return str(self._opened.corpus_dir)

    @property
    def rebuilt(self) -> bool:
        """True when opening this searcher had to build or rebuild the index."""
        return self._opened.rebuilt

    @property
    def stale_warning(self) -> str | None:
        """Why the index in use may be out of date (it could not be rebuilt), else None."""
        return self._opened.stale_warning

    @property
    def corpus_note(self) -> str | None:
        """Said when the corpus named is not the one the index records (same files, so used)."""
        return self._opened.corpus_note

    @property
    def model(self) -> Model:
        """The answer-or-decline model that knows no section (``data/answerability.json``, or
        the one given): it decides wherever the question-text decision does not apply."""
        if self._model is None:
            self._model = load_model()
        return self._model

    @property
    def confidence_bar(self) -> float:
        """The confidence below which :meth:`ask` declines (``data/question_text.json`` for
        the corpus it was fitted on, else ``data/answerability.json``)."""
        return self.text_decision.bar if self.text_decision is not None else self.model.bar

    @property
    def passage_count(self) -> int:
        return int(self._opened.manifest.get("passages", 0))

    @property
    def build_warnings(self) -> tuple[str, ...]:
        """What the build of this index skipped or guessed (unreadable, empty, re-encoded files)."""
        return tuple(str(w) for w in self._opened.manifest.get("warnings") or ())

    # ---------------------------------------------------------------- staying current

    def is_current(self) -> bool:
        """False once the corpus changed or another process swapped in a newer index.

        Cheap enough to call every few seconds: file names, sizes and times first, content
        hashes only for files whose size or time changed (``index.corpus_changed``).
        """
        try:
            marker = read_marker(self._opened.index_dir)
        except IndexCorruptError:
            return False
        if marker is None or marker.get("current") != self._opened.generation:
            return False
        return not corpus_changed(self._opened.manifest, self._opened.corpus_dir)

    def reopen(self) -> Searcher:
        """A new Searcher on the same index and corpus, rebuilt first if the corpus changed.

        This one keeps answering from the index it opened until it is closed, so a server
        can swap the new one in between requests and close the old one once they are done.
        """
        opened = open_built_index(corpus_dir=self._opened.corpus_dir, index_dir=self._opened.index_dir)
        return Searcher(opened,
                        vocabulary=self.vocabulary, parameters=self.parameters, model=self._given_model,
                        base_url=self.base_url)

    # ---------------------------------------------------------------- searching

    def rewrite(self, question: str | bytes) -> QueryPlan:
        """How ``question`` is read (terms, corrections, expansions); see ``query.py``."""
        self._check_open()
        if not isinstance(question, (str, bytes)):
            raise QueryError(f"the question must be text, not {type(question).__name__}")
        plan = self.rewriter.rewrite(question)
        if not plan.cleaned:
            raise QueryError("the question is empty: type a question, e.g. \"can I still get relapses?\"")
        return plan

    def ask(self, question: str | bytes, limit: int = 5, *, explain: bool = False,
            min_confidence: float | None = None) -> Response:
        """Full response for ``question``: results (possibly none), suggestion and diagnostics.

        ``confidence`` is the probability that the first result answers the question
        (``answerability.py``); ``min_confidence`` overrides the fitted bar
        (:attr:`confidence_bar`); 0 never declines, which ranking benchmarks want.
        """
        self._check_open()
        limit = validate_limit(limit)
        plan = self.rewrite(question)
        bar = self.confidence_bar if min_confidence is None else min_confidence
        try:
            # the evidence compares the best passage with the next, whatever the limit
            decision = self.text_decision
            candidates = rank(self.stats, plan, max(limit, 2, decision.depth if decision else 0))
            probabilities: dict[str, float] = {}
            top_passage: str | None = None
            if decision is not None:
                probabilities = decision.words.probabilities(words_read(plan))
                candidates = self._with_words_favourites(plan, candidates, probabilities)
                passages = [self._passage_key[c.docnum] for c in candidates]
                order = fused_order([c.score for c in candidates], passages, probabilities, decision.weight)
                candidates = [candidates[i] for i in order]
                top_passage = passages[order[0]] if order else None
            evidence = gather(self.stats, plan, candidates)
            ranked = candidates[:limit]
            confidence = self._confidence(evidence, ranked, probabilities, top_passage)
            if self.parameters.on("value-kinds"):
                confidence = capped_for_missing_value(confidence, evidence, plan)
                if decision is not None:
                    # only a "which X?" question the best passage gives no name for needs
                    # the passage's words read (most questions ask no medicine's name)
                    only_the_class = ((plan.expects == "drug" or bool(plan.answer_names))
                                      and evidence.kind == 0.0 and bool(candidates)
                                      and self._says_only_the_class_asked(plan, candidates[0].docnum))
                    confidence = capped_for_kind_not_said(confidence, evidence, plan.expects, only_the_class)
            if self.parameters.on("place-only"):
                confidence = capped_for_place_only(confidence, self.stats, plan)
            declined = not ranked or confidence < bar
            weights = AnswerWeights.from_plan(plan, self._term_weights(plan), self.parameters)
            matched = frozenset(weights.matched_terms())
            results = [] if declined else [
                self._result(i, s, weights, matched) for i, s in enumerate(ranked, 1)]
            response = Response(plan.cleaned, results, plan, confidence, declined, evidence=evidence)
            if declined:
                response.browse = self._browse(ranked)
                response.browse_urls = {s.section: url for s in response.browse
                                        if (url := self.section_url(s)) is not None}
            if explain:
                response.explanations = [explain_passage(self.stats, plan, s.docnum) for s in ranked]
            response.matched_terms = matched
        except SpmsSearchError:
            raise
        except _READ_FAULTS as err:  # the files changed under an open index (checked when opened)
            raise IndexCorruptError(
                f"the index at {self.index_dir} could not be read ({err}): run "
                f"'spms-search rebuild --index {self.index_dir}'"
            ) from None
        except Exception as err:  # a bug must not read as "run rebuild"
            raise InternalError(
                f"unexpected {type(err).__name__} while answering: {err} (a bug: please report it)"
            ) from err
        return response

    def passage_key_map(self) -> dict[int, str]:
        """Every passage's key (:func:`questiontext.passage_keys`) by docnum, in document
        order: how the question-text decision names this index's passages."""
        stored = [(self.stats.stored(d), d) for d in range(self.stats.n)]
        stored.sort(key=lambda sd: (sd[0]["doc"], sd[0]["position"]))
        return dict(zip((d for _, d in stored), passage_keys(s["headings"] for s, _ in stored)))

    def _with_words_favourites(self, plan: QueryPlan, candidates: list[Scored],
                               probabilities: dict[str, float]) -> list[Scored]:
        """``candidates`` and, after them, the passages the words model is sure of that the
        engine matched but ranked lower (:func:`questiontext.words_favourites`, rule
        "words-favourites"), each when it holds something the question asks besides the
        page's own subject (:func:`answerability.holds_a_thing_asked`), or, sharing only the
        subject, when the model is near certain and the engine found no passage saying much
        of the question (:func:`questiontext.favourite_joins`, rule "words-sure"): otherwise
        the words model's confident mistakes ("give ... anything" read as the steroids given
        for a relapse) would go unchecked."""
        if not self.parameters.on("words-favourites"):
            return candidates
        wanted = words_favourites(probabilities, (self._passage_key[c.docnum] for c in candidates))
        if not wanted:
            return candidates
        engine_coverage = candidates[0].coverage if candidates else 0.0
        sure = self.parameters.on("words-sure")
        return candidates + [c for c in rank(self.stats, plan, self.stats.n)
                             if (key := self._passage_key[c.docnum]) in wanted
                             and favourite_joins(probabilities[key],
                                                 holds_a_thing_asked(self.stats, plan, c.docnum),
                                                 engine_coverage, sure)]

    def _confidence(self, evidence: Evidence, ranked: list[Scored], probabilities: dict[str, float],
                    top_passage: str | None) -> float:
        """The probability that the first result answers: the question-text decision's
        where it applies, else the model's (``answerability.py``)."""
        if not ranked:
            return 0.0
        if self.text_decision is None:
            return self.model.probability(evidence)
        return self.text_decision.probability(evidence, probabilities, top_passage)

    def search(self, question: str | bytes, limit: int = 5, *,
               min_confidence: float | None = None) -> list[Result]:
        """The best passages for ``question`` (empty when no confident answer exists)."""
        return self.ask(question, limit, min_confidence=min_confidence).results

    def _term_weights(self, plan: QueryPlan) -> dict[str, float]:
        return {t: self.stats.word_weight(t) for g in plan.groups for a in g.alternatives for t in a.terms}

    def _result(self, rank_: int, scored: Scored, weights: AnswerWeights, matched: frozenset[str]) -> Result:
        stored = self.stats.stored(scored.docnum)
        headings = tuple(stored["headings"])
        text = stored["text"]
        section = self._by_slug.get(stored["section"])
        answering = _Answering(text, tuple(stored.get("items") or ()), weights,
                               headings[-1] if headings else "", matched, " ".join(headings))
        return Result._deferred(
            rank=rank_,
            score=round(scored.score, 4),
            document=stored["doc"],
            heading=headings[-1] if headings else stored["title"],
            headings=headings,
            section=stored["section"],
            text=text,
            url=self.section_url(section) if section else None,
            anchor=(section.anchor or None) if section else None,
            answering=answering,
        )

    def section_url(self, section: SectionInfo) -> str | None:
        """Where a person can read ``section`` at its source, or None when nothing says.

        The document's own address (``<link rel="canonical">``, front matter ``url:``) comes
        first, else :attr:`base_url` joined with the document's path in the corpus; the
        heading's anchor is appended when the source gives one. No anchor is invented.
        """
        page = section.url
        if not page and self.base_url:
            base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
            page = urljoin(base, quote(section.document))
        if not page:
            return None
        page = urldefrag(page).url
        return f"{page}#{quote(section.anchor, safe='')}" if section.anchor else page

    def _says_only_the_class_asked(self, plan: QueryPlan, docnum: int) -> bool:
        """True when the question asks which member of a class of medicine ("which steroid
        ...?", :func:`query.asked_medicine_class`) and passage ``docnum`` says that class, not
        of every member (:func:`query.names_the_class_only`)."""
        asked = asked_medicine_class(plan.question)
        if asked is None:
            return False
        return names_the_class_only(str(self.stats.stored(docnum).get("text", "")), asked)

    def _browse(self, ranked: list[Scored]) -> list[SectionInfo]:
        """Sections to offer when declining: weak candidates first, then the top of the tree."""
        by_slug = self._by_slug
        chosen: list[SectionInfo] = []
        for scored in ranked:
            slug = self.stats.stored(scored.docnum)["section"]
            if slug in by_slug and by_slug[slug] not in chosen:
                chosen.append(by_slug[slug])
        if len(self.sections) <= BROWSE_LIMIT:
            return list(self.sections)
        for section in sorted(self.sections, key=lambda s: s.level):
            if len(chosen) >= BROWSE_LIMIT:
                break
            if section not in chosen:
                chosen.append(section)
        return chosen[:BROWSE_LIMIT]

    # ---------------------------------------------------------------- browsing

    def find_section(self, name: str) -> SectionInfo | None:
        """A section by slug, by exact heading (any case), or by a unique heading prefix."""
        wanted = " ".join(name.split()).casefold()
        for s in self.sections:
            if s.section == wanted or s.heading.casefold() == wanted:
                return s
        prefixed = [s for s in self.sections if s.heading.casefold().startswith(wanted) or
                    s.section.startswith(wanted)]
        return prefixed[0] if len(prefixed) == 1 else None

    def section_passages(self, section: SectionInfo) -> list[str]:
        """Texts of the passages directly under ``section``, in document order."""
        self._check_open()
        out: list[tuple[int, str]] = []
        with self.stats._lock:
            for fields in self.stats.reader.all_stored_fields():
                if fields["section"] == section.section:
                    out.append((fields["position"], fields["text"]))
        return [text for _, text in sorted(out)]

    def close(self) -> None:
        """Release the index files. Using the searcher afterwards raises SearcherClosedError."""
        self._closed = True
        self.stats.close()
        self._opened.ix.close()

    def _check_open(self) -> None:
        if getattr(self, "_closed", False):
            raise SearcherClosedError(
                "this Searcher was closed: open a new one with spms_search.open_index()"
            )

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(
    *legacy: str | os.PathLike[str] | None,
    index_dir: str | os.PathLike[str] | None = None,
    corpus_dir: str | os.PathLike[str] | None = None,
    vocabulary: Vocabulary | None = None,
    parameters: Parameters | None = None,
    base_url: str | None = None,
    model: Model | None = None,
) -> Searcher:
    """Open (building on first use, rebuilding when stale) the index and return a Searcher.

    Paths are keyword arguments (``open_index(index_dir=I)``); with no corpus named the
    index's own recorded corpus is used. The old positional form ``open_index(I, C)``
    still works. ``base_url`` (default: ``SPMS_SEARCH_BASE_URL``) is where the corpus
    files are published, for result links of documents that do not give their own address.
    ``model`` replaces the bundled answer-or-decline model (``data/answerability.json``):
    a maintainer refitting it opens the engine with a placeholder when the bundled file
    names other signals than the code gathers.
    """
    paths = legacy_paths("open_index", legacy, ("index_dir", "corpus_dir"),
                         {"index_dir": index_dir, "corpus_dir": corpus_dir})
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or None
    opened = open_built_index(corpus_dir=paths["corpus_dir"], index_dir=paths["index_dir"])
    return Searcher(opened, vocabulary=vocabulary, parameters=parameters, model=model, base_url=base_url)


def search(
    question: str,
    limit: int = 5,
    *legacy: str | os.PathLike[str] | None,
    index_dir: str | os.PathLike[str] | None = None,
    corpus_dir: str | os.PathLike[str] | None = None,
) -> list[Result]:
    """Answer one question: the best passages with their heading paths and answer sentences."""
    paths = legacy_paths("search", legacy, ("index_dir", "corpus_dir"),
                         {"index_dir": index_dir, "corpus_dir": corpus_dir})
    with open_index(index_dir=paths["index_dir"], corpus_dir=paths["corpus_dir"]) as searcher:
        return searcher.search(question, limit)
