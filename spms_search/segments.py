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
import math
import os
import shutil
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

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
) -> list[Group]:
    """Write a Whoosh index into the empty folder ``target``: one segment per group.

    Groups marked ``reuse`` take their segment from ``live`` (its folder and its segments
    by id); the others get a new segment of ``documents(group)``. Returns the groups with
    the segment ids and passage counts the new generation holds.
    """
    ix = BuildStorage(str(target)).create_index(schema)
    written: dict[int, Any] = {}
    for at, group in enumerate(groups):
        if group.reuse:
            continue
        writer = ix.writer(limitmb=256, codec=InlineCodec())
        try:
            added = 0
            for doc in documents(group):
                writer.add_document(**doc)
                added += 1
                if on_document is not None:
                    on_document()
            if added:
                writer.commit(merge=False)
                written[at] = ix._segments()[-1]
            else:
                writer.cancel()
        except BaseException:
            # Whoosh's cancel() can itself fail after a failed commit ("I/O operation on
            # closed file"); the error that matters (a full disk, say) is being raised.
            with contextlib.suppress(Exception):
                writer.cancel()
            raise
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
