"""Whoosh segments by corpus file: which files share one, and a generation assembled from them.

An index generation is a list of Whoosh segments, each holding the passages of a run of
corpus files that are next to each other in corpus order (a *group*). A rebuild writes
new segments only for the groups whose files changed and takes every other segment from
the live generation as it is (hard-linked, else copied: segment files are never modified
after Whoosh writes them), then writes a table of contents listing the segments in
corpus order.

Why whole segments and not ``delete_by_term``: Whoosh keeps a deleted document's terms
in its segment's document frequencies and field lengths until that segment is merged,
and appends new documents after all others. Either would change BM25 scores (or the
order of passages that tie) against a full build. A generation made of segments in
corpus order, none with deletions, holds exactly the documents, document numbers and
statistics a full build of the same corpus holds, however the files are grouped.

Groups hold about the square root of the number of files each, and at least 128 KiB of
source: one edited file in a corpus of 2,000 pages re-indexes about 45 of them, a corpus
of short files gets fewer, larger segments, and a corpus under 128 KiB is one segment.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import shutil
import struct
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from hashlib import md5
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from pickle import dumps
from types import MethodType
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import HashWriter, md5_hash
from whoosh.formats import Frequency, Positions
from whoosh.index import TOC, clean_files
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import OnePassAnalyzer, indexed_words
from .records import FrozenRecord

#: Whoosh's name for the index inside a generation folder (``_MAIN_3.toc``, ``MAIN_<id>.seg``).
INDEX_NAME = "MAIN"

#: The Whoosh documents (field dicts) of one group, in corpus order.
Documents = Iterable[dict[str, Any]]


class Group(FrozenRecord):
    """A run of corpus files (relative paths, in corpus order) indexed as one segment.

    ``segment`` is the Whoosh segment id holding their passages (None when they have
    none); ``reuse`` says the live generation's segment is still right for these files.
    """

    files: tuple[str, ...]
    segment: str | None
    passages: int
    reuse: bool

    __slots__ = _fields = ("files", "segment", "passages", "reuse")

    def __init__(
        self,
        files: tuple[str, ...],
        segment: str | None = None,
        passages: int = 0,
        reuse: bool = False,
    ) -> None:
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "segment", segment)
        object.__setattr__(self, "passages", passages)
        object.__setattr__(self, "reuse", reuse)

    def to_json(self) -> dict[str, Any]:
        return {"files": list(self.files), "segment": self.segment, "passages": self.passages}

    @classmethod
    def from_json(cls, data: object) -> Group | None:
        """A group as the manifest records it, or None when the record is malformed."""
        if not isinstance(data, dict):
            return None
        files, segment, passages = data.get("files"), data.get("segment"), data.get("passages")
        if (not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files)
                or not (segment is None or isinstance(segment, str)) or not isinstance(passages, int)):
            return None
        return cls(tuple(files), segment, passages)


def files_per_group(n_files: int) -> int:
    """About the square root of the number of files: re-indexing cost and segment count balanced."""
    return max(1, math.ceil(math.sqrt(n_files)))


#: Fewest bytes of source a group holds (unless the corpus is smaller). Each segment writes
#: its own entry for every word it holds, and a run of small files shares few words, so
#: segments of a few short abstracts made a build a third slower (1,400 Cranfield
#: abstracts in 38 segments) and added a dictionary look-up per segment to every query word.
MIN_GROUP_BYTES = 128 * 1024

#: A corpus file as grouping sees it: its relative path and its size in bytes.
Sized = tuple[str, int]


def _chunks(files: Sequence[Sized], size: int) -> list[tuple[str, ...]]:
    """Runs of at least ``size`` files and :data:`MIN_GROUP_BYTES` bytes (the last may be less)."""
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    held = 0
    for relpath, nbytes in files:
        run.append(relpath)
        held += nbytes
        if len(run) >= size and held >= MIN_GROUP_BYTES:
            runs.append(tuple(run))
            run, held = [], 0
    if run:
        runs.append(tuple(run))
    return runs


def plan_groups(files: Sequence[Sized], previous: Sequence[Group] = ()) -> list[Group]:
    """Groups for the corpus ``files`` (sorted), keeping ``previous`` where it fits.

    A file belongs to the previous group whose first file sorts at or before it, so groups
    stay contiguous runs in corpus order. A group whose file list is unchanged is reused
    (its content may still have changed: the caller checks); a changed one is rewritten,
    and split when it has grown past twice the target size.
    """
    target = files_per_group(len(files))
    if not previous:
        return [Group(chunk) for chunk in _chunks(files, target)]
    starts = [g.files[0] for g in previous[1:]]
    buckets: list[list[Sized]] = [[] for _ in previous]
    for file in files:
        buckets[bisect_right(starts, file[0])].append(file)
    groups: list[Group] = []
    for old, bucket in zip(previous, buckets):
        if not bucket:
            continue
        if tuple(f[0] for f in bucket) == old.files:
            groups.append(Group(old.files, old.segment, old.passages, reuse=True))
        elif len(bucket) > 2 * target and sum(f[1] for f in bucket) > 2 * MIN_GROUP_BYTES:
            groups.extend(Group(chunk) for chunk in _chunks(bucket, target))
        else:
            groups.append(Group(tuple(f[0] for f in bucket)))
    return groups


#: Posting lists shorter than this are stored inside their term's entry (see ``InlineCodec``).
INLINE_POSTINGS = 16


class _InlinePostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh 2.7.4's postings writer with its inlining fixed (it calls ``set_inline``, a
    method its term info does not have, so only ``inlinelimit=1``, no inlining, works)."""

    _terminfo: Any

    def finish_postings(self) -> Any:
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        self._terminfo = None
        return terminfo

    def add_all(self, postings: list[tuple[str, bytes, int, float, Any]],
                length: Callable[[int], Any]) -> None:
        """``add_posting`` of each of ``postings`` (one term's, from the pool), a block at a
        time: the same blocks, written when the next posting would overflow them."""
        limit = self._blocklimit
        for start in range(0, len(postings), limit):
            if start:
                self._write_block()
            _fields, _texts, ids, weighed, stored = zip(*postings[start:start + limit])
            known = [n for n in map(length, ids) if n]
            heaviest = max(weighed)
            self._ids = array("I", ids)
            self._weights = array("f", weighed)
            self._values = [v for v in stored if v]
            self._maxweight = heaviest if heaviest > 0 else 0
            self._minlength = min(known) if known else None
            self._maxlength = max(known) if known else 0


#: The pickle protocol of the postings inlined in the term table. Whoosh writes protocol 2,
#: where every bytes value (a passage's positions of the term) is pickled through
#: ``_codecs.encode``: two thirds of the time it took to write a segment's term table.
#: Whoosh's reader unpickles any protocol, into the same values.
INLINE_PICKLE = 4


class _BuildFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """Whoosh's field writer, writing a posting list short enough to be inlined (most
    terms of a segment) straight into the term table: what ``FieldWriter.add_postings``
    writes through ``W3PostingsWriter``, ``W3TermInfo`` and ``OrderedHashWriter`` one call
    per posting and per term, made here in one step per term, the inlined postings pickled
    with :data:`INLINE_PICKLE` (a test holds every term's statistics and postings equal to
    Whoosh's, and the postings file equal byte for byte). Longer posting lists are written
    by Whoosh's postings writer, a block at a time (``_InlinePostingsWriter.add_all``)."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        tindex = self._tindex
        if type(tindex)._write_hashes is HashWriter._write_hashes:
            tindex._write_hashes = MethodType(_write_hashes, tindex)

    def add_postings(self, schema: Any, lengths: Any,
                     items: Iterable[tuple[str, bytes, int, float, Any]]) -> None:
        if lengths and not isinstance(lengths, _Lengths):
            lengths = _Lengths(lengths)
        limit = min(self._codec._inlinelimit, self._codec._blocklimit)
        tindex = self._tindex
        dbfile = tindex.dbfile
        write = getattr(dbfile, "file", dbfile).write  # StructFile.write passes the bytes on
        hashfn = _md5_low32 if tindex.hashfn is md5_hash else tindex.hashfn
        buckets = tindex.buckets
        positions = tindex.index
        pack_info = W3TermInfo._struct.pack
        lastfn: str | None = None
        field_lengths: Callable[[int], Any] = _no_length
        pos = -1  # where the next term table entry goes (-1: ask the file)
        for (fieldname, btext), run in groupby(items, key=_TERM_KEY):
            if fieldname != lastfn:
                if lastfn is not None:
                    if fieldname < lastfn:
                        raise ValueError(f"postings out of order: field {lastfn!r} .. {fieldname!r}")
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                prefix = pack_ushort(self._fieldid)
                field_lengths = lengths.of(fieldname) if lengths else _no_length
                lastfn = fieldname
            postings = list(run)
            if postings[0][2] == -1:
                raise ValueError(f"field {fieldname}: spelling words are not supported")
            if len(postings) >= limit:
                self.start_term(btext)
                self._postwriter.add_all(postings, field_lengths)
                self.finish_term()
                pos = -1
                continue
            # W3PostingsWriter.add_posting of each posting, W3TermInfo.add_block,
            # set_inlined and to_bytes
            _fields, _texts, ids, weighed, stored = zip(*postings)
            weights = array("f", weighed)
            heaviest = max(weighed)
            known = [n for n in map(field_lengths, ids) if n]
            value = pack_info(True, sum(weights), len(ids),
                              _length_byte(min(known)) if known else 0,
                              _length_byte(max(known)) if known else 0,
                              heaviest if heaviest > 0 else 0, ids[0], ids[-1])
            value += dumps((ids, tuple(weights), tuple(filter(None, stored))), INLINE_PICKLE)
            # OrderedHashWriter.add
            key = prefix + btext
            if key <= tindex.lastkey:
                raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
            if pos < 0:
                pos = dbfile.tell()
            positions.append(pos)
            write(_KEY_VALUE_LENGTHS.pack(len(key), len(value)) + key + value)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            tindex.lastkey = key
            pos += 8 + len(key) + len(value)
        if lastfn is not None:
            self.finish_field()


def _no_length(docnum: int) -> int:
    return 0


#: ``length_to_byte`` (a binary search in Whoosh's table) remembered: a segment asks it
#: twice a term for lengths that repeat.
_length_byte = functools.lru_cache(maxsize=4096)(length_to_byte)


def _md5_low32(key: bytes) -> int:
    """``filetables.md5_hash``: the digest's low 32 bits, read as bytes instead of
    through its 32-digit hexadecimal form (a term table entry's hash, once per term)."""
    return int.from_bytes(md5(key).digest()[12:], "big")


#: ``filetables._pointer``: one slot of a term table's hash table (a hash, a position).
_POINTER = struct.Struct("!Iq")


def _write_hashes(self: Any) -> None:
    """``HashWriter._write_hashes`` (Whoosh 2.7.4): the same 256 open-addressing tables,
    slot for slot, each written in one call instead of one call per slot (a term table
    has two slots per term)."""
    dbfile = self.dbfile
    null = (0, 0)
    pack = _POINTER.pack
    for entries in self.buckets:
        pos = dbfile.tell()
        numslots = 2 * len(entries)
        self.directory.append((pos, numslots))
        hashtable = [null] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while hashtable[slot] != null:
                slot = (slot + 1) % numslots
            hashtable[slot] = (hashval, position)
        dbfile.write(b"".join([pack(h, p) for h, p in hashtable]))


_TERM_KEY = itemgetter(0, 1)
#: ``filetables._lengths``: a term table entry's key and value lengths.
_KEY_VALUE_LENGTHS = struct.Struct("!ii")


class InlineCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's own codec, storing short posting lists inside the term table.

    Why: most terms of a segment occur in a handful of passages, and Whoosh writes each
    posting list as its own pickled, compressed block with a header; that per-term work was
    the largest cost of a build, and it grows with the number of segments. Whoosh's
    readers already read inlined postings (``W3Codec.postings_reader``), so the postings,
    and every score, are unchanged.
    """

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_POSTINGS)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _BuildFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _InlinePostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                     compression=self._compression, inlinelimit=self._inlinelimit)


class _NoLock:
    """Whoosh's per-index write lock, not needed in a build folder (see ``BuildStorage``)."""

    def acquire(self, blocking: bool = False) -> bool:
        return True

    def release(self) -> None:
        return None


class BuildStorage(FileStorage):  # type: ignore[misc]
    """Whoosh file storage without Whoosh's own write lock.

    Only one build writes into its private ``.build-*`` folder, under the index lock
    (``locking.py``), so Whoosh's lock adds nothing, and it needs ``fcntl`` on every
    platform but Windows: without it no index could be built where ``fcntl`` is missing.
    """

    def lock(self, name: str) -> _NoLock:
        return _NoLock()

    def temp_storage(self, name: str | None = None) -> Any:
        """A temporary folder of this process's own (its posting pool, its stored
        columns), ``MAIN.<pid>.tmp``: Whoosh names a writer's ``MAIN.tmp`` and removes it when the writer
        finishes, and segments written side by side (``workers.py``) would share, and
        remove, one another's. One process writes its segments one after another, so
        within it the folder is shared as before."""
        base = (name or f"{INDEX_NAME}.tmp").removesuffix(".tmp")
        return super().temp_storage(f"{base}.{os.getpid()}.tmp")  # MAIN.<pid>.tmp


#: One indexed field value as Whoosh's pool takes it: (term bytes, frequency, weight,
#: encoded value) per distinct term, the field length (the sum of the frequencies) and the
#: size of its postings as Whoosh's posting pool counts them.
FieldItems = tuple[list[tuple[bytes, int, float, bytes]], int, int]
#: What ``PostingPool.add`` (Whoosh 2.7.4) counts for a posting, besides the lengths of its
#: field name, term (twice) and value: ``28 + 4 * 5 + 21 + 26 + 18 + 16 + 21``.
_POSTING_BYTES = 150


#: Most field values a writer remembers (:meth:`BuildWriter._items`).
ITEMS_CACHE = 4096


class _Lengths:
    """A segment's field lengths, each field's read once (``FieldWriter.add_postings``
    asks the per-document reader for the length of every posting's passage: one column
    look-up per posting, a fifth of writing the postings). Same values, same index."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[Any]] = {}

    def of(self, fieldname: str) -> Callable[[int], Any]:
        """Passage number -> its length in ``fieldname`` (as ``doc_field_length`` says)."""
        lengths = self._fields.get(fieldname)
        if lengths is None:
            length = self._reader.doc_field_length
            lengths = [length(d, fieldname, 0) for d in range(self._reader.doc_count_all())]
            self._fields[fieldname] = lengths
        return lengths.__getitem__

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        return self.of(fieldname)(docnum)


class BuildWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, adding the same postings, lengths and stored fields with
    less work per passage:

    * a text field analysed by :class:`~.analysis.OnePassAnalyzer` is indexed from
      :func:`~.analysis.indexed_words`, which analyses each distinct raw token once for the
      whole build, not once per field and passage;
    * a field value met again (a section's whole text is every one of its passages'
      ``context``) is indexed once and its postings reused;
    * the postings are written with each field's lengths read once (:class:`_Lengths`).

    Any other field is indexed by Whoosh (``field.index``). The items are those
    ``Positions.word_values`` and ``Frequency.word_values`` yield (a test holds the two
    builds' segments equal file for file).
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._cache: dict[tuple[str, str], FieldItems] = {}

    def _items(self, fieldname: str, field: Any, value: Any) -> FieldItems | None:
        """What Whoosh would index of ``value`` in ``field``, or None where Whoosh must."""
        analyzer = field.analyzer
        fmt = field.format
        if (type(analyzer) is not OnePassAnalyzer or not isinstance(value, str)
                or type(fmt) not in (Positions, Frequency)):
            return None
        key = (fieldname, value)
        found = self._cache.get(key)
        if found is not None:
            return found
        words, first = indexed_words(value, analyzer.stemmed)
        boost = fmt.field_boost
        items: list[tuple[bytes, int, float, bytes]]
        if type(fmt) is Positions:
            positions: dict[str, list[int]] = {}
            for at, word in enumerate(words, first):
                held = positions.get(word)
                if held is None:
                    positions[word] = [at]
                else:
                    held.append(at)
            encode = fmt.encode
            items = [(w.encode("utf-8"), len(p), float(len(p)) * boost, encode(p))
                     for w, p in positions.items()]
        else:
            counts: dict[str, int] = {}
            for word in words:
                counts[word] = counts.get(word, 0) + 1
            items = [(w.encode("utf-8"), n, float(n) * boost, pack_uint(n)) for w, n in counts.items()]
        # PostingPool.add's estimate of the bytes each posting holds, summed
        size = (len(items) * (_POSTING_BYTES + len(fieldname)) + 2 * sum(len(i[0]) for i in items)
                + sum(len(i[3]) for i in items))
        found = (items, len(words), size)
        if len(self._cache) >= ITEMS_CACHE:
            self._cache.clear()
        self._cache[key] = found
        return found

    def _pool_add(self, fieldname: str, size: int,
                  postings: list[tuple[str, bytes, int, float, bytes]]) -> None:
        """``PostingPool.add`` of each of ``postings`` (of one field, ``size`` bytes as the
        pool counts them), at once: the pool sorts its postings and writes a run to disk
        once it holds more than its limit, so where a run ends does not change the index."""
        pool = self.pool
        pool.fieldnames.add(fieldname)
        pool.current.extend(postings)
        pool.currentsize += size
        if pool.currentsize > pool.limit:
            pool.save()

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document`` (Whoosh 2.7.4) with the field items of :meth:`_items`."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {fieldname}: spelling words and vectors are not supported")

            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                known = self._items(fieldname, field, value)
                if known is None:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
                else:
                    items, total, size = known
                    if field.scorable:
                        length = total
                    self._pool_add(fieldname, size, [(fieldname, tbytes, docnum, weight * fieldboost, vbytes)
                                                     for tbytes, _freq, weight, vbytes in items])

            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """``SegmentWriter._flush_segment`` with the field lengths read once (:class:`_Lengths`)."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, None if pdr is None else _Lengths(pdr), postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()


def _write_segment(ix: Any, documents: Documents,
                   on_document: Callable[[], None] | None) -> tuple[Any, int]:
    """One new segment of ``documents`` in ``ix``'s folder (None when there are none), and
    how many passages it holds.

    The segment is finished as ``SegmentWriter.commit`` finishes it, but no table of
    contents is written: segments written side by side would each list only their own
    and remove the others' files (``clean_files``); :func:`write_generation` lists them
    all once.
    """
    writer = BuildWriter(ix, limitmb=256, codec=InlineCodec())
    try:
        added = 0
        for doc in documents:
            writer.add_document(**doc)
            added += 1
            if on_document is not None:
                on_document()
        if not added:
            writer.cancel()
            return None, 0
        segment = writer._finalize_segment()
        writer._finish()
        return segment, added
    except BaseException:
        # Whoosh's cancel() can itself fail after a failed commit ("I/O operation on
        # closed file"); the error that matters (a full disk, say) is being raised.
        with contextlib.suppress(Exception):
            writer.cancel()
        raise


def segment_file_names(folder: Path, segment: str) -> list[str]:
    """The files of one Whoosh segment in a generation folder."""
    pattern = TOC._segment_pattern(INDEX_NAME)
    names = []
    for entry in os.scandir(folder):
        match = pattern.match(entry.name)
        if match is not None and match.group(1) == segment:
            names.append(entry.name)
    return names


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def write_generation(
    target: Path,
    schema: Any,
    groups: Sequence[Group],
    documents: Callable[[Group], Documents],
    live: tuple[Path, dict[str, Any]] | None = None,
    on_document: Callable[[], None] | None = None,
    after_segment: Callable[[Path, Any], None] | None = None,
) -> list[Group]:
    """Write a Whoosh index into the empty folder ``target``: one segment per group.

    Groups marked ``reuse`` take their segment from ``live`` (its folder and its segments
    by id); the others get a new segment of ``documents(group)``, written side by side
    by worker processes where the machine has several cores (``workers.py``), and
    ``after_segment(target, segment)`` is called where each was written. Returns the
    groups with the segment ids and passage counts the new generation holds.
    """
    from . import workers

    ix = BuildStorage(str(target)).create_index(schema)
    todo = [at for at, group in enumerate(groups) if not group.reuse]
    count = workers.worker_count(len(todo))
    each_document = on_document if count == 1 else None  # a worker's calls would be its own

    def write(at: int) -> tuple[Any, int]:
        segment, added = _write_segment(ix, documents(groups[at]), each_document)
        if segment is not None and after_segment is not None:
            after_segment(target, segment)
        return segment, added

    written: dict[int, Any] = {}
    for i, (segment, added) in workers.run(todo, write, count):
        if on_document is not None and each_document is None:
            for _ in range(added):
                on_document()
        if segment is not None:
            written[todo[i]] = segment
    if len({s.segment_id() for s in written.values()}) != len(written):
        raise RuntimeError("two new segments were given the same id: build again")
    final: list[Group] = []
    segments: list[Any] = []
    for at, group in enumerate(groups):
        segment = written.get(at)
        if group.reuse and group.segment is not None:
            if live is None or group.segment not in live[1]:
                raise ValueError(f"segment {group.segment} is not in the live generation")
            segment = live[1][group.segment]
            for name in segment_file_names(live[0], group.segment):
                _link_or_copy(live[0] / name, target / name)
        if segment is not None:
            segments.append(segment)
        final.append(Group(group.files, None if segment is None else segment.segment_id(),
                           0 if segment is None else segment.doc_count_all(), group.reuse))
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(ix.storage, INDEX_NAME)
    clean_files(ix.storage, INDEX_NAME, generation, segments)
    return final
