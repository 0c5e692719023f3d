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

import struct
from collections.abc import Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo
from whoosh.filedb.filetables import md5_hash
from whoosh.formats import Frequency, Positions

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
        self._recent: dict[tuple[str, str], list[tuple[Any, int, bytes]]] = {}

    def _infos(self, field: str, term: str) -> list[tuple[Any, int, bytes]]:
        """(segment reader, base, term info as stored) of each segment holding ``term`` in
        ``field``. The info is decoded only when postings are read: a frequency is a
        number in it, and decoding unpickles the postings of a rare term."""
        assert self._leaves is not None
        key = (field, term)
        found = self._recent.get(key)
        if found is None:
            tbytes = self._schema[field].to_bytes(term)
            found = []
            hashes: dict[bytes, int] = {}  # the segments number a field alike, as a rule
            for leaf, base, terms in self._leaves:
                keybytes = terms._keycoder(field, tbytes)
                keyhash = hashes.get(keybytes)
                if keyhash is None:
                    keyhash = hashes[keybytes] = md5_hash(keybytes)
                value = _table_get(terms._tindex, keybytes, keyhash)
                if value is not None:
                    found.append((leaf, base, value))
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
        return sum(_DOC_FREQUENCY.unpack_from(info, 5)[0] for _leaf, _base, info in self._infos(field, term))

    def postings(self, field: str, term: str) -> dict[int, float]:
        """Passage number -> weight of ``term`` in ``field``, in passage order."""
        if field not in self._schema:
            return {}
        if self._leaves is None:
            reader = self._reader
            return dict(reader.postings(field, term).items_as("weight")) if (field, term) in reader else {}
        fmt = self._schema[field].format
        out: dict[int, float] = {}
        if type(fmt) in (Positions, Frequency):
            # what their decode_weight does (the frequency, the value's first four bytes,
            # times the field's boost), a run at a time
            unpack, boost = _FREQUENCY.unpack_from, fmt.field_boost
            for base, ids, values in self._runs(field, term):
                if len(ids) != len(values):
                    raise ValueError(f"postings of {field}:{term!r}: {len(ids)} ids, {len(values)} values")
                out.update(zip([d + base for d in ids], [unpack(v)[0] * boost for v in values]))
            return out
        decode = fmt.decoder("weight")
        for base, ids, values in self._runs(field, term):
            for docnum, value in zip(ids, values, strict=True):
                out[docnum + base] = decode(value)
        return out

    def phrase_docs(self, field: str, terms: tuple[str, ...], slop: int) -> frozenset[int] | None:
        """Passages whose ``field`` holds ``terms`` in order, each at most ``slop``
        positions after the one before: what Whoosh's ``Phrase(field, terms, slop=slop)``
        matches (``SpanNear2``, ordered, ``mindist`` 1), worked out from the positions of
        the passages holding every term. None when this index cannot be read so (the
        caller asks Whoosh).

        Why: Whoosh sets up a matcher per word per segment and walks them in step, a
        posting at a time, with a span object per position; a question asked for the
        first time looks up some phrases of every field (Cranfield: a fifth of its time).
        A test holds the two equal on every phrase of two and three words of the corpus.
        """
        if self._leaves is None or field not in self._schema or not terms:
            return None
        fmt = self._schema[field].format
        if type(fmt) is not Positions:
            return None
        lists = [self._values(field, t) for t in terms]
        if not all(lists):
            return frozenset()
        smallest = min(range(len(lists)), key=lambda i: len(lists[i]))
        common = set(lists[smallest]).intersection(*lists)
        decode = fmt.decoder("positions")
        return frozenset(d for d in common if _in_order([decode(values[d]) for values in lists], slop))

    def _values(self, field: str, term: str) -> dict[int, Any]:
        """Passage number -> the stored value (bytes) of ``term`` in ``field``."""
        out: dict[int, Any] = {}
        for base, ids, values in self._runs(field, term):
            for docnum, value in zip(ids, values, strict=True):
                out[docnum + base] = value
        return out

    def _runs(self, field: str, term: str) -> Iterator[tuple[int, Any, Any]]:
        """(first passage number of the segment, ids, values) of each run of postings of
        ``term``: a segment's inlined postings, or one block of its on-disk list.

        The ids and values Whoosh's matchers hand out one at a time (a ``ListMatcher``
        gives an empty value where none were kept).
        """
        fmt = self._schema[field].format
        tbytes = self._schema[field].to_bytes(term)
        for leaf, base, stored in self._infos(field, term):
            info = W3TermInfo.from_bytes(stored)
            if info.is_inlined():  # postings kept in the term table itself (a rare term)
                ids, _weights, values = info.inlined_postings()
                yield base, ids, values if values else ("",) * len(ids)
                continue
            terms = leaf._terms
            matcher = terms._codec.postings_reader(terms._postfile, info, fmt, term=(field, tbytes))
            if type(matcher) is not W3LeafMatcher:
                items = list(matcher.all_items())
                yield base, [i for i, _v in items], [v for _i, v in items]
                continue
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_values()
                yield base, matcher._ids, matcher._values
                matcher._next_block()


#: Where a stored term info (``W3TermInfo.to_bytes``: flags, total weight, then this)
#: keeps the number of documents holding the term: what ``W3TermInfo.read_doc_freq`` reads.
_DOC_FREQUENCY = struct.Struct("!I")
#: The frequency at the start of a posting's value (``Frequency``, ``Positions``).
_FREQUENCY = struct.Struct("!I")
_POINTER = struct.Struct("!Iq")  # a hash table slot: the key's hash, where the key is
_LENGTHS = struct.Struct("!ii")  # before a key: its length and its value's


def _table_get(table: Any, keybytes: bytes, keyhash: int) -> bytes | None:
    """What ``table.get(keybytes)`` returns (Whoosh's on-disk hash table of a segment's
    terms, ``filetables.HashReader``), with the key's hash worked out by the caller once
    for every segment and the slots read straight from the file's buffer.

    The same probe as ``HashReader.ranges_for_key``: the bucket of the hash's low byte,
    the slot of the rest, then slot after slot (wrapping round) until an empty one.
    """
    buf = getattr(table.dbfile, "_buf", None)
    if buf is None or table.hashfn is not md5_hash:
        return table.get(keybytes)  # type: ignore[no-any-return]
    start, slots = table.tables[keyhash & 255]
    if not slots:
        return None
    end = start + slots * _POINTER.size
    at = start + ((keyhash >> 8) % slots) * _POINTER.size
    unpack_slot, unpack_lengths = _POINTER.unpack_from, _LENGTHS.unpack_from
    for _ in range(slots):
        slot_hash, item = unpack_slot(buf, at)
        if not item:
            return None
        if slot_hash == keyhash:
            keylen, datalen = unpack_lengths(buf, item)
            key_at = item + _LENGTHS.size
            if keylen == len(keybytes) and buf[key_at:key_at + keylen] == keybytes:
                return bytes(buf[key_at + keylen:key_at + keylen + datalen])
        at += _POINTER.size
        if at == end:
            at = start
    return None


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """True when a position of each list follows one of the list before by 1 to ``slop``:
    a chain of the phrase's words, each within ``slop`` after the one before."""
    reachable = set(positions[0])
    for following in positions[1:]:
        reachable = {p for p in following if any(p - k in reachable for k in range(1, slop + 1))}
        if not reachable:
            return False
    return True
