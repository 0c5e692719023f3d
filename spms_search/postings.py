"""Document frequencies and postings read straight from an index's segments.

Why: an index is several Whoosh segments (``segments.py``), and Whoosh's ``MultiReader``
looks a term up in every segment again for each thing asked of it (``term in reader``,
then ``doc_frequency`` or ``postings``, each asking every segment ``in`` once more), then
hands the postings out one at a time through wrapper matchers. A question asked for the
first time looks up some hundreds of (field, term) pairs: that walk was most of its time
(Cranfield, MED and CISI, issue 14). Here each segment's term table is asked once per
term, what it answers is kept for the postings read that may follow, and postings are
decoded a block at a time with the field format's own decoder.

The numbers are Whoosh's own: a test holds :meth:`SegmentTerms.doc_frequency` and
:meth:`SegmentTerms.postings` equal to ``reader.doc_frequency`` and
``reader.postings(...).items_as("weight")`` for every term of an index.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo

#: Most terms whose segment infos are kept (a few questions' worth).
RECENT_LIMIT = 4096

#: (segment reader, its first document number, its term table) of each segment.
_Leaf = tuple[Any, int, Any]


class SegmentTerms:
    """One lookup per segment and term; postings as a dict, block by block.

    Not thread-safe on its own: :class:`scoring.IndexStatistics` calls it under its lock
    (the segment files are read by seeking).
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._schema = reader.schema
        self._leaves: list[_Leaf] | None = [
            (leaf, base, leaf._terms) for leaf, base in reader.leaf_readers()]
        if any(leaf.has_deletions() or not hasattr(terms, "_tindex") for leaf, _b, terms in self._leaves):
            self._leaves = None  # not what segments.py writes: ask Whoosh the usual way
        #: The term infos of the last terms whose frequency was asked: the postings read
        #: that usually follows does not look them up again.
        self._recent: dict[tuple[str, str], list[tuple[Any, int, Any]]] = {}

    def _infos(self, field: str, term: str) -> list[tuple[Any, int, Any]]:
        """(segment reader, base, term info) of each segment holding ``term`` in ``field``."""
        assert self._leaves is not None
        key = (field, term)
        found = self._recent.get(key)
        if found is None:
            tbytes = self._schema[field].to_bytes(term)
            found = []
            for leaf, base, terms in self._leaves:
                value = terms._tindex.get(terms._keycoder(field, tbytes))
                if value is not None:
                    found.append((leaf, base, W3TermInfo.from_bytes(value)))
            if len(self._recent) >= RECENT_LIMIT:
                self._recent.clear()
            self._recent[key] = found
        return found

    def doc_frequency(self, field: str, term: str) -> int:
        """Passages holding ``term`` in ``field`` (0 for a term or field the index lacks)."""
        if field not in self._schema:
            return 0
        if self._leaves is None:
            reader = self._reader
            return int(reader.doc_frequency(field, term)) if (field, term) in reader else 0
        return sum(int(info.doc_frequency()) for _leaf, _base, info in self._infos(field, term))

    def postings(self, field: str, term: str) -> dict[int, float]:
        """Passage number -> weight of ``term`` in ``field``, in passage order."""
        if field not in self._schema:
            return {}
        if self._leaves is None:
            reader = self._reader
            return dict(reader.postings(field, term).items_as("weight")) if (field, term) in reader else {}
        fmt = self._schema[field].format
        decode = fmt.decoder("weight")
        out: dict[int, float] = {}
        tbytes = self._schema[field].to_bytes(term)
        for leaf, base, info in self._infos(field, term):
            terms = leaf._terms
            matcher = terms._codec.postings_reader(terms._postfile, info, fmt, term=(field, tbytes))
            if type(matcher) is W3LeafMatcher:
                _read_blocks(matcher, base, decode, out)
            else:  # postings kept in the term table itself (a rare term)
                for docnum, weight in matcher.items_as("weight"):
                    out[docnum + base] = weight
        return out


def _read_blocks(matcher: Any, base: int, decode: Any, out: dict[int, float]) -> None:
    """Every posting of a segment's on-disk list into ``out``, a block at a time.

    What ``items_as("weight")`` yields (the same ids and the same decoder on the same
    values), without two method calls per posting.
    """
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_values()
        for docnum, value in zip(matcher._ids, matcher._values, strict=True):
            out[docnum + base] = decode(value)
        matcher._next_block()
