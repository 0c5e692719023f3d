"""What a rebuild must read again: the files of changed groups, and the corpus-wide slugs.

A rebuild starts from the live generation's manifest when it can (same schema and
analysis data, same corpus folder, every index file matching its checksum). Each corpus
file is then unchanged (same name, size and time, or same content hash), changed, added
or gone. A group of files (``segments.py``) holding any change is read and indexed again
whole; every other group keeps its segment and its record in the manifest (sections,
warnings, fingerprint), which is everything a full build would have computed for it.

The one thing ingestion computes across documents is the slug of a heading that several
documents share (``ingestion.qualified_slugs``). The manifest keeps each section's own
slug beside the qualified one, so the slugs are recomputed over the whole corpus; any
unchanged document whose slugs move (a new file now shares one of its headings, or the
last other holder left) has its group indexed again too. Nothing else an index holds
depends on more than one document: a passage's section context, its lead flag and its
terms come from its own document, and BM25 statistics are sums over segments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import CorpusFile, SkippedFile, read_corpus_file
from .ingestion import Passage, Section, ingest_document, no_passage_error, qualified_slugs, with_slugs
from .names import display_name
from .segments import Group, plan_groups

_SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass
class FileRecord:
    """One corpus file as the new generation records it."""

    relpath: str
    size: int
    mtime_ns: int
    sha256: str
    notes: list[str]
    #: Sections with their slugs within the document (before ``qualified_slugs``).
    sections: list[Section]
    #: The slugs the live generation stored for these sections (reused files only).
    stored_slugs: list[str] = field(default_factory=list)
    #: The passages, for files read in this build (None: taken from the live segment).
    passages: list[Passage] | None = None
    has_passages: bool = False

    @property
    def document(self) -> str:
        return display_name(self.relpath)


@dataclass
class BuildPlan:
    """Everything a build writes, decided before any index file is written."""

    records: list[FileRecord]
    groups: list[Group]
    renamed: dict[tuple[str, str], str]
    warnings: list[str]
    #: Files read again in this build (the rest came from the live manifest).
    read: int = 0

    def records_of(self, group: Group) -> list[FileRecord]:
        wanted = set(group.files)
        return [r for r in self.records if r.relpath in wanted]

    def group_content(self, group: Group) -> tuple[list[Section], list[Passage]]:
        """The sections and passages of a group's files, with their final slugs."""
        sections: list[Section] = []
        passages: list[Passage] = []
        for record in self.records_of(group):
            if record.has_passages:
                sections.extend(record.sections)
                passages.extend(record.passages or ())
        return with_slugs(self.renamed, sections, passages)

    def sections(self) -> list[Section]:
        """Every section of the corpus in corpus order, with its final slug."""
        own = [s for r in self.records if r.has_passages for s in r.sections]
        return with_slugs(self.renamed, own, [])[0]

    @property
    def documents(self) -> list[str]:
        return [r.document for r in self.records if r.has_passages]

    @property
    def passages(self) -> int:
        return sum(len(r.passages) if r.passages is not None else 0 for r in self.records
                   if r.has_passages) + sum(g.passages for g in self.groups if g.reuse)


def _read_record(file: CorpusFile) -> FileRecord:
    got = ingest_document(file)
    read = got.read
    return FileRecord(file.relpath, read.size, read.mtime_ns, read.sha256, [str(n) for n in got.notes],
                      got.sections, passages=got.passages, has_passages=bool(got.passages))


def _section(entry: dict[str, Any]) -> Section:
    return Section(entry["document"], entry["title"], tuple(entry["headings"]),
                   entry.get("own") or entry["section"], entry["level"],
                   entry.get("anchor") or "", entry.get("url") or "")


class _LiveFiles:
    """What the live manifest says of each file."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.signature = {str(f[0]): (f[1], f[2]) for f in manifest.get("files") or ()}
        self.hashes: dict[str, str] = manifest.get("hashes") or {}
        self.notes: dict[str, list[str]] = manifest.get("file_notes") or {}
        self.documents = set(manifest.get("documents") or ())
        self.sections: dict[str, list[dict[str, Any]]] = {}
        for entry in manifest.get("sections") or ():
            self.sections.setdefault(entry["document"], []).append(entry)

    def record(self, relpath: str, size: int, mtime_ns: int) -> FileRecord:
        name = display_name(relpath)
        entries = self.sections.get(name, []) if name in self.documents else []
        return FileRecord(relpath, size, mtime_ns, self.hashes[relpath], list(self.notes.get(relpath, [])),
                          [_section(e) for e in entries], [str(e["section"]) for e in entries],
                          has_passages=name in self.documents)

    def unchanged(self, file: CorpusFile) -> FileRecord | None:
        """The live record of ``file`` when its content is what the live index holds.

        A file the last build could not read (its "hash" says why) is always tried again:
        permissions can change without its size or time changing.
        """
        if not _SHA256_RE.fullmatch(self.hashes.get(file.relpath, "")):
            return None
        if self.signature.get(file.relpath) == (file.size, file.mtime_ns):
            return self.record(file.relpath, file.size, file.mtime_ns)
        read = read_corpus_file(file)
        if read.data is None or read.sha256 != self.hashes[file.relpath]:
            return None
        return self.record(file.relpath, read.size, read.mtime_ns)


def live_groups(manifest: dict[str, Any]) -> list[Group] | None:
    """The groups a live manifest records, or None when it records none (an older index)."""
    raw = manifest.get("groups")
    if not isinstance(raw, list) or not all(isinstance(manifest.get(k), t) for k, t in
                                            (("files", list), ("hashes", dict), ("documents", list))):
        return None
    groups = [Group.from_json(g) for g in raw]
    return None if any(g is None for g in groups) else [g for g in groups if g is not None]


def plan_build(root: Path, files: list[CorpusFile], skipped: list[SkippedFile],
               manifest: dict[str, Any] | None) -> BuildPlan:
    """Decide which groups to write and read the files they need; ``manifest`` is the live one
    (None for a full build). Raises :class:`CorpusError` when no passage can be read."""
    previous = live_groups(manifest) if manifest is not None else None
    live = _LiveFiles(manifest) if manifest is not None and previous is not None else None
    by_path = {f.relpath: f for f in files}
    groups = plan_groups([(f.relpath, f.size) for f in files], previous or ())
    records: dict[str, FileRecord] = {}
    for at, group in enumerate(groups):
        kept = [live.unchanged(by_path[p]) for p in group.files] if live and group.reuse else [None]
        if all(r is not None for r in kept):
            records.update((r.relpath, r) for r in kept if r is not None)
        else:
            groups[at] = Group(group.files)
    plan = BuildPlan([], groups, {}, [f"{display_name(s.relpath)}: skipped: {s.reason}" for s in skipped])
    pending = [g for g in groups if not g.reuse]
    while pending:
        for group in pending:
            for relpath in group.files:
                records[relpath] = _read_record(by_path[relpath])
                plan.read += 1
        plan.records = [records[f.relpath] for f in files]
        plan.renamed = qualified_slugs((r.document, s.section) for r in plan.records
                                       if r.has_passages for s in r.sections)
        pending = _moved(plan)
        plan.groups = [Group(g.files) if g in pending else g for g in plan.groups]
    plan.records = [records[f.relpath] for f in files]
    plan.warnings += [note for r in plan.records for note in r.notes]
    if not any(r.has_passages for r in plan.records):
        raise no_passage_error(root, plan.warnings)
    return plan


def _moved(plan: BuildPlan) -> list[Group]:
    """Reused groups holding a document whose qualified slugs differ from the stored ones."""
    moved = []
    for group in plan.groups:
        if group.reuse and any(_slugs(plan, r) != r.stored_slugs for r in plan.records_of(group)):
            moved.append(group)
    return moved


def _slugs(plan: BuildPlan, record: FileRecord) -> list[str]:
    return [plan.renamed.get((record.document, s.section), s.section) for s in record.sections]


def file_notes(records: Iterable[FileRecord]) -> dict[str, list[str]]:
    """The warnings of each file that has any, for the manifest."""
    return {r.relpath: r.notes for r in records if r.notes}
