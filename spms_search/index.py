"""The Whoosh index: schema, building aside and swapping in, locking, and staleness.

Layout of an index directory (the ``--index`` folder)::

    spms-search-index.json   marker and pointer: {"format": ..., "current": "gen-000007",
                             "corpus_dir": the corpus it was built from,
                             "manifest_sha256": checksum of the current manifest}
    gen-000007/              the live Whoosh index (one segment per run of corpus files,
                             ``segments.py``) plus manifest.json (fingerprints of the corpus,
                             SHA-256 of every index file, sections, warnings, the runs) and
                             corpus-stems.pickle (stems of the corpus's words, so a question
                             rarely needs the stemmer: :func:`write_corpus_stems`) and
                             spelling-words.txt (every spelling word, sorted, one a line:
                             :func:`read_spelling_words`), the union of each segment's
                             own list beside it (MAIN_<id>.words, carried with the
                             segment into the next generation)
    gen-000006/              the previous one, kept so a reader that just read the old
                             pointer can still open it; removed by the next rebuild
    .lock (.lock.owner)      the one rebuild allowed at a time (``locking.py``)
    .build-<32 hex>/         a generation being written (left behind only by a killed build)

A rebuild writes a whole new generation in a hidden temporary folder (new segments for the
files that changed, hard links to the live generation's other segments: ``incremental.py``),
renames it into place, then replaces the marker with ``os.replace`` (atomic on POSIX). A reader therefore
sees either the old index or the new one, never a half-written one. ``rebuild`` only
ever writes into an empty folder, one that carries the marker, or one holding only its
own leftovers (recognised by name *and* content, see :func:`is_own_entry`), and only ever
deletes entries it recognises, so it cannot destroy anything it did not make. Leftovers of
a killed build are collected by the next build, under the lock.

The manifest records a fingerprint of the corpus (names, sizes, modification times and
SHA-256 of every file, taken from the very read that was indexed) and of the schema and
analysis data. The staleness check compares names, sizes and times first and hashes only
files whose size or time changed. Opening checks every index file against its checksum.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from . import locking
from .analysis import ANALYSIS_VERSION, folded_forms, text_analyzer, word_analyzer
from .compiled import DATA_DIR
from .corpus import quick_signature, read_corpus_file, scan_corpus
from .errors import (
    CorpusError,
    CorpusMismatchError,
    IndexCorruptError,
    IndexMissingError,
    IndexNotWritableError,
    UnsafeIndexLocationError,
)
from .lazyre import lazy_pattern
from .locations import (
    legacy_paths,
    named_corpus_dir,
    named_index_dir,
    resolve_corpus_dir,
    resolve_index_dir,
    same_folder,
)
from .names import display_name
from .records import Record
from .segments import Group, segment_file_names, write_generation
from .sentences import stored_unit_terms
from .workers import WORKERS_ENV, WorkerDied

if TYPE_CHECKING:  # ingestion (and BeautifulSoup) stay off the query path: imported to rebuild
    from .incremental import BuildPlan
    from .indexstats import IndexInfo, IndexStats
    from .wordtable import StringTable

MARKER = "spms-search-index.json"
MANIFEST = "manifest.json"
#: The stems of the corpus's own words that the compiled table lacks, with the key of the
#: code and data that computed them (:func:`write_corpus_stems`).
CORPUS_STEMS = "corpus-stems.pickle"
#: Every word of the ``spell`` field of a generation, sorted, one a line (:func:`read_spelling_words`).
SPELLING_WORDS = "spelling-words.txt"
FORMAT = "spms-search-index"
SCHEMA_VERSION = 8  # 8: the analysed terms of each sentence stored (field ``units``)
LOCK_TIMEOUT_SECONDS = 120.0

ProgressCallback = Callable[[int, int], None]


def __getattr__(name: str) -> Any:
    """``IndexStats`` and ``IndexInfo`` live in ``indexstats.py``, imported when first asked
    for: a question needs neither (see that module)."""
    if name in ("IndexStats", "IndexInfo"):
        from . import indexstats

        return getattr(indexstats, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_schema() -> Schema:
    """Fields: headings and body as stemmed text; the rest stored to render results.

    ``heading`` is the passage's own heading, ``parents`` its ancestor headings, ``body``
    the passage, ``context`` its whole section (headings included) so section-level
    evidence reaches every passage of the section; ``spell`` holds unstemmed words for
    spelling suggestions.
    """
    analyzer = text_analyzer()
    return Schema(
        doc=ID(stored=True),
        title=STORED(),
        section=ID(stored=True),
        headings=STORED(),
        position=STORED(),
        lead=STORED(),
        items=STORED(),
        text=STORED(),
        units=STORED(),
        heading=TEXT(analyzer=analyzer, phrase=True),
        parents=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        context=TEXT(analyzer=analyzer, phrase=False),
        spell=TEXT(analyzer=word_analyzer(), phrase=False),
    )


#: Data files whose content shapes what the index holds: the spelling and word-form tables
#: fold words before stemming, and the English word list steers the analyser.
ANALYSIS_DATA = ("english_frequency.txt", "spelling_variants.txt", "word_forms.txt")


@functools.lru_cache(maxsize=1)
def _analysis_data_digest() -> str:
    digest = hashlib.sha256()
    for name in ANALYSIS_DATA:
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def schema_fingerprint() -> str:
    """Changes whenever the schema, the analysis or a data file the analysis reads changes."""
    parts = [
        str(SCHEMA_VERSION),
        str(ANALYSIS_VERSION),
        json.dumps(sorted(folded_forms().items())),
        repr(sorted(make_schema().names())),
        _analysis_data_digest(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- locking


def index_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> AbstractContextManager[bool]:
    """Serialise rebuilds of one index directory across processes (see ``locking.py``);
    the ``with`` value says whether another rebuild made this one wait."""
    return locking.index_lock(index_dir, timeout)


def _not_writable(index_dir: Path, err: OSError) -> IndexNotWritableError:
    return locking.not_writable(index_dir, err)


@contextlib.contextmanager
def _folder_faults(index_dir: Path) -> Iterator[None]:
    """Any OS error the index folder raises (permissions, a name too long, a full disk)
    becomes one :class:`IndexNotWritableError` naming the folder, never a bare OSError."""
    try:
        yield
    except OSError as err:
        reason = err.strerror or str(err)
        raise IndexNotWritableError(
            f"cannot use the index folder {index_dir} ({reason}): check its permissions, or "
            "pass --index DIR (or set SPMS_SEARCH_INDEX) to a folder you can write"
        ) from None


# --------------------------------------------------------------------------- marker and manifest


def read_marker(index_dir: Path) -> dict[str, Any] | None:
    """The marker of an index directory, or None when the directory holds no marker."""
    try:
        data = json.loads((index_dir / MARKER).read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (IsADirectoryError, ValueError) as err:  # other OS errors: the folder's, not ours
        raise IndexCorruptError(
            f"the index marker in {index_dir} is unreadable ({err}): run "
            f"'spms-search rebuild --index {index_dir}'"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexCorruptError(
            f"{index_dir / MARKER} is not an spms-search marker: run "
            f"'spms-search rebuild --index {index_dir}'"
        )
    return data


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus folder the index at ``index_dir`` was built from, or None when unknown.

    The marker records it; indexes made before it did carry it in the manifest of the
    current generation. A missing or damaged index records nothing.
    """
    try:
        marker = read_marker(index_dir)
    except (IndexCorruptError, OSError):
        return None
    if marker is None:
        return None
    recorded = marker.get("corpus_dir")
    if not isinstance(recorded, str):
        try:
            manifest = json.loads((index_dir / str(marker.get("current", "")) / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        recorded = manifest.get("corpus_dir") if isinstance(manifest, dict) else None
    return Path(recorded) if isinstance(recorded, str) and recorded else None


def _atomic_write_json(path: Path, data: dict[str, Any]) -> str:
    """Write ``data`` as JSON by rename (never half-written); return the SHA-256 of the bytes.

    On one line: with an indent, ``json`` encodes in Python instead of C, 4.5 times slower
    (a 2,000-file corpus's manifest, 2 MB: 0.13 s of an incremental rebuild's 2.3 s).
    """
    raw = json.dumps(data).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return hashlib.sha256(raw).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- what the folder holds

_FIXED_NAMES = (MARKER, locking.LOCK_NAME, locking.OWNER_NAME)
#: Names of what a build makes in an index folder, besides the fixed names above.
_build_re = lazy_pattern(r"\.build-[0-9a-f]{32}")
_generation_re = lazy_pattern(r"gen-\d{6}")
_marker_tmp_re = lazy_pattern(re.escape(f".{MARKER}.") + r"[0-9a-f]{32}\.tmp")
#: Files inside a generation or build folder: Whoosh's (``_MAIN_1.toc``, ``MAIN_x.seg``,
#: ``MAIN_WRITELOCK``), the manifest (with its temporary name while it is written) and the
#: stems of the corpus's words (:data:`CORPUS_STEMS`) and its spelling words (:data:`SPELLING_WORDS`).
_index_file_re = lazy_pattern(
    r"_?MAIN[\w.-]*|manifest\.json|\.manifest\.json\.[0-9a-f]{32}\.tmp|corpus-stems\.pickle"
    r"|spelling-words\.txt")


#: Whoosh's scratch folder while a segment is written (``MAIN.tmp/``, ``MAIN.<pid>.tmp/``
#: since each writing process has its own, holding ``*.run`` files); a build killed
#: before its commit leaves it behind.
_scratch_dir_re = lazy_pattern(r"_?MAIN[\w.-]*\.tmp")
_scratch_file_re = lazy_pattern(r"[\w.-]+")


def _holds_only_index_files(folder: Path) -> bool:
    """A real folder (not a link) holding only what a build writes: index files, and
    Whoosh's scratch folder of plain files."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and _index_file_re().fullmatch(entry.name):
                    continue
                if (entry.is_dir(follow_symlinks=False) and _scratch_dir_re().fullmatch(entry.name)
                        and _holds_only_plain_files(Path(entry.path))):
                    continue
                return False
        return True
    except OSError:
        return False


def _holds_only_plain_files(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return all(e.is_file(follow_symlinks=False) and _scratch_file_re().fullmatch(e.name) is not None
                   for e in entries)


def _is_generation(folder: Path) -> bool:
    if not _holds_only_index_files(folder):
        return False
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def is_own_entry(path: Path) -> bool:
    """True for an entry of an index folder that spms-search made (even with no marker).

    That is the marker and the lock files (plain files), the marker's temporary copies, and
    generation and build folders by their exact names and contents. Anything else (a
    user's folder called ``gen-old``, a symbolic link, a document) is not ours: a build
    never deletes it, and without a marker refuses to write beside it.
    """
    name = path.name
    if name in _FIXED_NAMES or _marker_tmp_re().fullmatch(name):
        return path.is_file() and not path.is_symlink()
    if _build_re().fullmatch(name):
        return _holds_only_index_files(path)
    if _generation_re().fullmatch(name):
        return _is_generation(path)
    return False


def _foreign_entries(index_dir: Path) -> list[str]:
    try:
        return sorted(display_name(p.name) for p in index_dir.iterdir() if not is_own_entry(p))
    except OSError as err:
        raise _not_writable(index_dir, err) from None


def _check_safe_target(index_dir: Path) -> None:
    """Refuse to write into a folder that holds anything but our own index (or its leftovers)."""
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise UnsafeIndexLocationError(
            f"{index_dir} is a file, not an index folder: choose another --index DIR"
        )
    if (index_dir / MARKER).is_file():
        return
    others = _foreign_entries(index_dir)
    if others:
        raise UnsafeIndexLocationError(
            f"{index_dir} holds files that spms-search did not make ({', '.join(others[:3])}"
            f"{', ...' if len(others) > 3 else ''}); refusing to touch it: choose an empty or "
            "new --index DIR"
        )


def _collect_leftovers(index_dir: Path, keep: frozenset[str] | set[str] = frozenset(), *,
                       generations: bool = True) -> None:
    """Remove build folders of killed builds, stray temp files and (``generations``) old
    generations other than ``keep``.

    Called with the lock held, so no other build is writing: every build folder left is one
    whose build died. Only entries :func:`is_own_entry` recognises are ever removed.
    Generations go only after a swap, keeping the one just replaced for readers that read
    the old pointer a moment ago.
    """
    try:
        entries = list(index_dir.iterdir())
    except OSError:
        return
    for path in entries:
        name = path.name
        if name in keep or name in _FIXED_NAMES or not is_own_entry(path):
            continue
        if not generations and _generation_re().fullmatch(name):
            continue
        if _marker_tmp_re().fullmatch(name):
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- building


#: Most characters of section text a passage's ``context`` field holds. The bundled page's
#: sections are all under 1,100 characters, so each passage there carries its whole
#: section; a section of thousands of passages (one huge file, say) gives each passage a
#: window of its neighbours instead, so the index grows linearly, not with the square.
CONTEXT_CHARS = 4000


def _context_window(texts: list[str], at: int, limit: int = CONTEXT_CHARS) -> str:
    """``texts[0]`` (the headings) and ``texts[at]``, widened by neighbours while they fit."""
    left, right = at, at
    size = len(texts[0]) + len(texts[at]) + 1
    grew = True
    while grew:
        grew = False
        if left > 1 and size + len(texts[left - 1]) + 1 <= limit:
            left -= 1
            size += len(texts[left]) + 1
            grew = True
        if right + 1 < len(texts) and size + len(texts[right + 1]) + 1 <= limit:
            right += 1
            size += len(texts[right]) + 1
            grew = True
    return "\n".join([texts[0], *texts[left:right + 1]])


def _documents(corpus: Any) -> Iterator[dict[str, Any]]:
    section_text: dict[str, list[str]] = {}
    for section in corpus.sections:
        section_text[section.section] = [" ".join(section.headings)]
    place: list[int] = []  # each passage's index in its section's list
    for passage in corpus.passages:
        texts = section_text.setdefault(passage.section, [passage.heading])
        place.append(len(texts))
        texts.append(passage.text)
    whole: dict[str, str] = {}  # a section's joined text, when it fits in one context
    for key, texts in section_text.items():
        if sum(len(t) + 1 for t in texts) - 1 <= CONTEXT_CHARS:
            whole[key] = "\n".join(texts)
    seen_sections: set[str] = set()
    for passage, at in zip(corpus.passages, place):
        lead = passage.section not in seen_sections
        seen_sections.add(passage.section)
        context = whole.get(passage.section)
        if context is None:
            context = _context_window(section_text[passage.section], at)
        yield {
            "lead": lead,
            "doc": passage.document,
            "title": passage.title,
            "section": passage.section,
            "headings": list(passage.headings),
            "position": passage.position,
            "items": list(passage.items),
            "text": passage.text,
            "units": stored_unit_terms(passage.text),
            "heading": passage.heading,
            "parents": " ".join(passage.headings[:-1]),
            "body": passage.text,
            "context": context,
            "spell": f"{' '.join(passage.headings)}\n{passage.text}",
        }


class _LiveGeneration(Record):
    """The live generation a rebuild may start from: its folder, manifest and segments."""

    folder: Path
    manifest: dict[str, Any]
    segments: dict[str, Any]

    __slots__ = _fields = ("folder", "manifest", "segments")

    def __init__(self, folder: Path, manifest: dict[str, Any], segments: dict[str, Any]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.segments = segments


def _live_generation(index_path: Path, corpus_path: Path) -> _LiveGeneration | None:
    """The live generation when a rebuild can keep parts of it, else None (a full build).

    Only an index that opens with every file matching its checksum, was built by this
    schema and analysis data (``schema_fingerprint``) from this very corpus folder, and
    records its groups of files qualifies.
    """
    try:
        ix, manifest, gen = _open_generation(index_path)
    except (IndexMissingError, IndexCorruptError):
        return None
    try:
        if manifest.get("schema") != schema_fingerprint() or "groups" not in manifest:
            return None
        recorded = manifest.get("corpus_dir")
        if not isinstance(recorded, str) or not same_folder(Path(recorded), corpus_path):
            return None
        segments = {seg.segment_id(): seg for seg in ix.segments()}
    except Exception:  # noqa: BLE001 - an index we cannot read is rebuilt in full
        return None
    finally:
        ix.close()
    return _LiveGeneration(index_path / gen, manifest, segments)


def _write_whoosh(target: Path, plan: BuildPlan, progress: ProgressCallback | None,
                  live: _LiveGeneration | None = None) -> list[Group]:
    """The Whoosh index of ``plan`` in ``target``: new segments for the groups to write,
    the live generation's for the rest (``segments.py``)."""
    from .ingestion import Corpus

    total = sum(len(plan.group_content(g)[1]) for g in plan.groups if not g.reuse)
    done = 0

    def counted() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)

    def documents(group: Group) -> Iterator[dict[str, Any]]:
        sections, passages = plan.group_content(group)
        return _documents(Corpus(sections=sections, passages=passages))

    return write_generation(target, make_schema(), plan.groups, documents,
                            None if live is None else (live.folder, live.segments), counted,
                            _keep_segment_words)


def _manifest(corpus_dir: Path, plan: BuildPlan, groups: list[Group], seconds: float, gen: Path,
              live: _LiveGeneration | None) -> dict[str, Any]:
    from .incremental import file_notes

    sizes = {p.name: p.stat().st_size for p in gen.iterdir() if p.is_file()}
    known: dict[str, str] = {}
    if live is not None:  # files linked from the live generation: the same bytes
        old = live.manifest.get("checksums") or {}
        for group in groups:
            if group.reuse and group.segment is not None:
                known.update((n, old[n]) for n in segment_file_names(gen, group.segment) if n in old)
    checksums = {name: known.get(name) or _file_sha256(gen / name) for name in sizes}

    own = [s for r in plan.records if r.has_passages for s in r.sections]
    return {
        "format": FORMAT,
        "schema": schema_fingerprint(),
        "corpus_dir": str(corpus_dir),
        "files": [[r.relpath, r.size, r.mtime_ns] for r in plan.records],
        "hashes": {r.relpath: r.sha256 for r in plan.records},
        "documents": plan.documents,
        "sections": [
            {"document": s.document, "title": s.title, "headings": list(s.headings),
             "section": s.section, "level": s.level, "anchor": s.anchor, "url": s.url, "own": o.section}
            for s, o in zip(plan.sections(), own)
        ],
        "passages": sum(g.passages for g in groups),
        "seconds": round(seconds, 3),
        "built_at": time.time(),
        "whoosh_files": sizes,
        "checksums": checksums,
        "warnings": plan.warnings,
        "file_notes": file_notes(plan.records),
        "groups": [g.to_json() for g in groups],
    }


def _next_generation(index_dir: Path) -> str:
    numbers = [int(p.name[4:]) for p in index_dir.iterdir() if _generation_re().fullmatch(p.name)]
    return f"gen-{max(numbers, default=0) + 1:06d}"


PathArg = str | os.PathLike[str] | None


def _paths(corpus_dir: PathArg, index_dir: PathArg) -> tuple[Path, Path, Path | None]:
    """(corpus, index, the corpus the caller named or None).

    With an index named but no corpus, the corpus is the one that index was built from;
    only when it records none do the defaults apply.
    """
    named_corpus = named_corpus_dir(corpus_dir)
    named_index = named_index_dir(index_dir)
    if named_index is None:
        corpus = named_corpus or resolve_corpus_dir(None)
        return corpus, resolve_index_dir(None, corpus), named_corpus
    corpus = named_corpus or recorded_corpus(named_index) or resolve_corpus_dir(None)
    return corpus, named_index, named_corpus


def _other_corpus(index_path: Path, named: Path | None) -> Path | None:
    """The corpus the index records when the caller named a different one, else None."""
    recorded = recorded_corpus(index_path)
    if named is None or recorded is None or same_folder(recorded, named):
        return None
    return recorded


def build_index(
    *legacy: PathArg,
    corpus_dir: PathArg = None,
    index_dir: PathArg = None,
    progress: ProgressCallback | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> IndexStats:
    """Ingest the corpus and build a fresh index beside the old one, then swap it in.

    Paths are keyword arguments (``build_index(corpus_dir=C, index_dir=I)``); the old
    positional form ``build_index(C, I)`` still works. With ``index_dir`` but no corpus
    named, the index is rebuilt from the corpus it records. Naming another corpus replaces
    it, and the returned warnings say so.

    Raises :class:`CorpusError` when no passage can be read, :class:`UnsafeIndexLocationError`
    when ``index_dir`` holds something else, :class:`IndexBusyError` when another rebuild
    holds the lock too long, and :class:`IndexNotWritableError` when it cannot write.
    """
    paths = legacy_paths("build_index", legacy, ("corpus_dir", "index_dir"),
                         {"corpus_dir": corpus_dir, "index_dir": index_dir})
    corpus_path, index_path, named = _paths(paths["corpus_dir"], paths["index_dir"])
    replaced = _other_corpus(index_path, named)
    with _folder_faults(index_path):
        _check_safe_target(index_path)
        try:
            index_path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise _not_writable(index_path, err) from None
        with index_lock(index_path, lock_timeout) as waited:
            done = _built_meanwhile(corpus_path, index_path) if waited else None
            stats = done or _build_locked(corpus_path, index_path, progress)
    if replaced is not None:
        note = f"{index_path}: replaced the index of corpus {replaced} with one of {corpus_path}"
        stats = replace(stats, warnings=(display_name(note), *stats.warnings))
    return stats


def _built_meanwhile(corpus_path: Path, index_path: Path) -> IndexStats | None:
    """What the rebuild this one waited for built, when it left the index fresh for
    ``corpus_path`` (then there is nothing left to do), else None."""
    try:
        ix, manifest, _gen = _open_generation(index_path)
    except (IndexMissingError, IndexCorruptError):
        return None
    ix.close()
    recorded = manifest.get("corpus_dir")
    if (not isinstance(recorded, str) or not same_folder(Path(recorded), corpus_path)
            or _staleness(manifest, corpus_path) is not None):
        return None
    files = manifest.get("files") or []
    from .indexstats import IndexStats

    return IndexStats(
        documents=len(manifest.get("documents") or ()),
        sections=len(manifest.get("sections") or ()),
        passages=int(manifest.get("passages") or 0),
        seconds=0.0,
        index_dir=str(index_path),
        corpus_dir=str(corpus_path),
        warnings=tuple(str(w) for w in manifest.get("warnings") or ()),
        files_read=0,
        files=len(files) if isinstance(files, list) else 0,
    )


def _build_locked(corpus_path: Path, index_path: Path, progress: ProgressCallback | None) -> IndexStats:
    """The build proper; the caller holds the lock.

    Starts from the live generation where it can (``incremental.py``): only the groups of
    files that changed are read and indexed again. Either way the new generation is
    written aside and swapped in by replacing the marker.
    """
    from .incremental import plan_build

    _check_safe_target(index_path)
    _collect_leftovers(index_path, generations=False)
    started = time.perf_counter()
    files, skipped = scan_corpus(corpus_path)
    live = _live_generation(index_path, corpus_path)
    plan = plan_build(corpus_path, files, skipped, None if live is None else live.manifest)
    tmp = index_path / f".build-{uuid.uuid4().hex}"
    try:
        tmp.mkdir()
        groups = _write_whoosh(tmp, plan, progress, live)
        write_corpus_stems(tmp)
        seconds = time.perf_counter() - started
        manifest_sha256 = _atomic_write_json(tmp / MANIFEST, _manifest(corpus_path, plan, groups, seconds,
                                                                       tmp, live))
        previous = _live_generations(index_path)
        gen = _next_generation(index_path)
        os.rename(tmp, index_path / gen)
        _atomic_write_json(index_path / MARKER, {"format": FORMAT, "current": gen,
                                                 "corpus_dir": str(corpus_path),
                                                 "manifest_sha256": manifest_sha256})
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _not_writable(index_path, err) from None
    except WorkerDied as err:  # killed (out of memory, say): the old index keeps answering
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexNotWritableError(
            f"could not build the index at {index_path}: {err}: rebuild again, "
            f"or set {WORKERS_ENV}=1 to build in one process") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _collect_leftovers(index_path, keep={gen, *previous})
    from .indexstats import IndexStats

    return IndexStats(
        documents=len(plan.documents),
        sections=len(plan.sections()),
        passages=sum(g.passages for g in groups),
        seconds=seconds,
        index_dir=str(index_path),
        corpus_dir=str(corpus_path),
        warnings=tuple(plan.warnings),
        files_read=plan.read,
        files=len(plan.records),
    )


def write_corpus_stems(gen: Path) -> None:
    """Keep the stems of the generation's words (its ``spell`` terms: every word of its
    headings and passages) that the compiled table lacks in :data:`CORPUS_STEMS`, and
    every one of those words in :data:`SPELLING_WORDS` (read once, written twice).

    A question is answered by analysing the best passages' sentences; with their words'
    stems at hand, the Snowball stemmer (whose import loads fourteen languages) is needed
    only for a question word no table knows. The stems are stored with
    ``compiled.bundled_key()``, which changes with the code and data that stem words: a
    reader whose key differs ignores them (:func:`read_corpus_stems`).
    """
    import pickle

    from .analysis import stem
    from .compiled import bundled_key, bundled_tables
    from .wordtable import StringTable

    known = bundled_tables().stems
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.reader() as reader:
            words: set[str] = set()
            for leaf, _ in reader.leaf_readers():
                words.update(_segment_spelling_words(gen, leaf))
            spelling = sorted(words)
    finally:
        ix.close()
    table = StringTable({w: stem(w) for w in spelling if known.get(w) is None})
    (gen / CORPUS_STEMS).write_bytes(pickle.dumps((bundled_key(), table), protocol=pickle.HIGHEST_PROTOCOL))
    (gen / SPELLING_WORDS).write_text("".join(f"{w}\n" for w in spelling), "utf-8")


#: Beside each segment, its own spelling words (``MAIN_<id>.words``, one a line, sorted):
#: written with the segment and carried with it into the next generation, so a rebuild of
#: one edited file reads only its new segment's words, not every segment's term table
#: again (that walk was most of an incremental rebuild).
SEGMENT_WORDS_SUFFIX = "words"


def _segment_spelling_words(gen: Path, leaf: Any) -> list[str]:
    """One segment's spelling words: from the file beside it, or from its term table (and
    then written beside it)."""
    path = gen / f"{leaf.segment().segment_id()}.{SEGMENT_WORDS_SUFFIX}"
    try:
        return path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        words = sorted(set(leaf.field_terms("spell")))
        path.write_text("".join(f"{w}\n" for w in words), "utf-8")
        return words


def _keep_segment_words(gen: Path, segment: Any) -> None:
    """Write a new segment's spelling words beside it, where it was written (a build's
    worker process, ``workers.py``): reading its term table is then done side by side
    with the other segments', not after them all by :func:`write_corpus_stems`."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    reader = SegmentReader(FileStorage(str(gen)), make_schema(), segment)
    try:
        _segment_spelling_words(gen, reader)
    finally:
        reader.close()


def read_spelling_words(opened: OpenedIndex) -> list[str] | None:
    """The sorted spelling words :func:`write_corpus_stems` kept with an opened index, or
    None when it has none (the caller then reads them from the segments).

    Why: the words near a typo are looked for among these, and reading them from the
    segments' term tables (a Python step per word, per segment) cost ~0.1 s on a corpus
    of 1,000 abstracts, paid by the first question holding a typo. A word holds no line
    break (it is one token of the analyzer). The file was checked against the manifest's
    checksum when the index was opened.
    """
    try:
        text = (opened.index_dir / opened.generation / SPELLING_WORDS).read_text("utf-8")
    except (OSError, UnicodeDecodeError):  # absent (an older index) or unreadable
        return None
    return text.split("\n")[:-1]


def read_corpus_stems(opened: OpenedIndex) -> StringTable | None:
    """The stems :func:`write_corpus_stems` kept with an opened index, when they were
    computed by this process's code and data (else None: the words are stemmed as met).

    The file was checked against the manifest's checksum when the index was opened.
    """
    import pickle

    from .compiled import bundled_key
    from .wordtable import StringTable

    try:
        key, table = pickle.loads((opened.index_dir / opened.generation / CORPUS_STEMS).read_bytes())
    except Exception:  # noqa: BLE001 - absent (an older index) or unreadable: stem as met
        return None
    if key != bundled_key() or not isinstance(table, StringTable):
        return None
    return table


def _live_generations(index_path: Path) -> set[str]:
    """The generation the marker points at (a reader may have it open), if any."""
    try:
        current = (read_marker(index_path) or {}).get("current")
    except IndexCorruptError:
        return set()  # a damaged marker is ours to replace
    return {current} if isinstance(current, str) else set()


# --------------------------------------------------------------------------- opening


class OpenedIndex(Record):
    """A Whoosh index opened for reading, with its manifest and where it came from."""

    ix: Any
    manifest: dict[str, Any]
    index_dir: Path
    corpus_dir: Path
    generation: str
    rebuilt: bool
    stale_warning: str | None
    #: Said when the caller named a corpus other than the one the index records.
    corpus_note: str | None

    __slots__ = _fields = (
        "ix", "manifest", "index_dir", "corpus_dir", "generation", "rebuilt", "stale_warning",
        "corpus_note",
    )

    def __init__(
        self,
        ix: Any,
        manifest: dict[str, Any],
        index_dir: Path,
        corpus_dir: Path,
        generation: str,
        rebuilt: bool = False,
        stale_warning: str | None = None,
        corpus_note: str | None = None,
    ) -> None:
        self.ix = ix
        self.manifest = manifest
        self.index_dir = index_dir
        self.corpus_dir = corpus_dir
        self.generation = generation
        self.rebuilt = rebuilt
        self.stale_warning = stale_warning
        self.corpus_note = corpus_note


def corpus_changed(manifest: dict[str, Any], corpus_dir: Path) -> bool:
    """True when the corpus files differ from those the index was built from."""
    try:
        files, _ = scan_corpus(corpus_dir)
    except CorpusError:
        return False  # corpus gone: keep answering from the index we have
    if quick_signature(files) == manifest.get("files"):
        return False
    hashes = manifest.get("hashes") or {}
    if sorted(hashes) != [f.relpath for f in files]:
        return True
    return any(read_corpus_file(f).sha256 != hashes.get(f.relpath) for f in files)


class PinnedIndex:
    """A Whoosh index whose reader is opened at once, with the generation it was read from.

    Whoosh reads the table of contents again each time a reader is made; once rebuilds
    follow each other in milliseconds (an incremental one that changes little), the
    generation a reader found could be collected before a searcher was made on it. The
    reader made here holds its segment files open, so the generation stays readable for
    as long as this object is open. Searchers share the reader; :meth:`close` closes it.
    """

    def __init__(self, ix: Any) -> None:
        self._ix = ix
        self._reader = ix.reader()

    @property
    def schema(self) -> Any:
        return self._ix.schema

    def reader(self) -> Any:
        return self._reader

    def searcher(self, **kwargs: Any) -> Any:
        from whoosh.searching import Searcher

        return Searcher(self._reader, closereader=False, fromindex=self._ix, **kwargs)

    def segments(self) -> list[Any]:
        """The Whoosh segments of the generation, in document order."""
        return list(self._ix._segments())

    def close(self) -> None:
        self._reader.close()
        self._ix.close()


def _open_generation(index_dir: Path) -> tuple[PinnedIndex, dict[str, Any], str]:
    """Open the current generation; raise IndexMissingError/IndexCorruptError."""
    last_error: Exception | None = None
    # A rebuild may swap the pointer while we read it, and the generation we read may be gone
    # by then when rebuilds follow each other quickly (one that changes nothing takes
    # milliseconds): try again while the pointer keeps moving.
    for _attempt in range(100):
        marker = read_marker(index_dir)
        if marker is None:
            raise IndexMissingError(
                f"no index at {index_dir}: run 'spms-search rebuild --index {index_dir}' "
                "(with --corpus DIR for your own documents)"
            )
        gen_name = str(marker.get("current", ""))
        gen = index_dir / gen_name
        try:
            manifest = _verified_manifest(gen, marker.get("manifest_sha256"))
            return PinnedIndex(whoosh_index.open_dir(str(gen))), manifest, gen_name
        except IndexCorruptError as err:
            last_error = err
        except Exception as err:  # noqa: BLE001 - any Whoosh/OS failure means unreadable
            last_error = err
        time.sleep(0.02)
        if read_marker(index_dir) == marker:
            break
    raise IndexCorruptError(
        f"the index at {index_dir} cannot be read ({last_error}): run "
        f"'spms-search rebuild --index {index_dir}'"
    )


def _verified_manifest(gen: Path, expected_sha256: object) -> dict[str, Any]:
    """The manifest of a generation, after checking it and every index file against their
    checksums and the manifest's own shape; any mismatch is :class:`IndexCorruptError`.

    Whoosh does not notice damaged segments (a zeroed block reads as an unpickling error,
    or worse, as wrong answers), so the build records a SHA-256 of every file and this
    checks them on each open: about a millisecond for the bundled page's index.
    """
    raw = (gen / MANIFEST).read_bytes()
    if isinstance(expected_sha256, str) and hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise IndexCorruptError("the manifest does not match its checksum")
    manifest: dict[str, Any] = json.loads(raw)
    problem = _manifest_problem(manifest)
    if problem is not None:
        raise IndexCorruptError(f"the manifest is malformed ({problem})")
    for name, size in manifest["whoosh_files"].items():
        if (gen / name).stat().st_size != size:
            raise IndexCorruptError(f"index file {name} has the wrong size")
    for name, checksum in (manifest.get("checksums") or {}).items():
        if _file_sha256(gen / name) != checksum:
            raise IndexCorruptError(f"index file {name} does not match its checksum")
    return manifest


_SECTION_FIELDS = {"document": str, "title": str, "section": str, "level": int, "headings": list}


def _manifest_problem(manifest: object) -> str | None:
    """What is wrong with the shape of a manifest, or None."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return "not an spms-search manifest"
    if not isinstance(manifest.get("whoosh_files"), dict):
        return "no list of index files"
    if not isinstance(manifest.get("checksums", {}), dict):
        return "bad checksums"
    if not isinstance(manifest.get("passages", 0), int):
        return "bad passage count"
    sections = manifest.get("sections", [])
    if not isinstance(sections, list):
        return "bad sections"
    for entry in sections:
        if not isinstance(entry, dict) or any(
            not isinstance(entry.get(key), kind) for key, kind in _SECTION_FIELDS.items()
        ):
            return "bad section entry"
        if not entry["headings"] or not all(isinstance(h, str) for h in entry["headings"]):
            return "bad section headings"
    return None


def _staleness(manifest: dict[str, Any], corpus_path: Path) -> str | None:
    """Why an index with this manifest is out of date for ``corpus_path``, or None."""
    if manifest.get("schema") != schema_fingerprint():
        return "the index was built by another version of spms-search"
    if corpus_changed(manifest, corpus_path):
        return "the corpus has changed since the index was built"
    return None


def _is_fresh(index_path: Path, corpus_path: Path) -> bool:
    try:
        ix, manifest, _gen = _open_generation(index_path)
    except (IndexMissingError, IndexCorruptError):
        return False
    ix.close()
    return _staleness(manifest, corpus_path) is None


def _rebuild_if_stale(corpus_path: Path, index_path: Path) -> None:
    """Rebuild for a reader, unless another process did while this one waited for the lock."""
    _check_safe_target(index_path)
    try:
        index_path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _not_writable(index_path, err) from None
    with index_lock(index_path):
        if not _is_fresh(index_path, corpus_path):
            _build_locked(corpus_path, index_path, None)


def _mismatch(index_path: Path, recorded: Path, named: Path) -> CorpusMismatchError:
    return CorpusMismatchError(
        f"the index at {index_path} was built from the corpus {recorded}, not {named}: "
        f"leave out --corpus (and SPMS_SEARCH_CORPUS) to use its own corpus, pass another "
        f"--index DIR for {named}, or replace it with 'spms-search rebuild --corpus {named} "
        f"--index {index_path}'"
    )


def open_built_index(
    *legacy: PathArg,
    corpus_dir: PathArg = None,
    index_dir: PathArg = None,
    auto_build: bool = True,
) -> OpenedIndex:
    """Open the index, building or rebuilding it when missing, stale or broken.

    With no corpus named (argument or ``SPMS_SEARCH_CORPUS``) the index's own recorded
    corpus is used. A named corpus other than the recorded one is used only when the index
    already holds exactly its files (``corpus_note`` says so); where it would mean
    rebuilding someone's index from another corpus, :class:`CorpusMismatchError` is raised.
    Where the index must be rebuilt but its folder cannot be written, a stale but readable
    index is still used (``stale_warning`` says so); a missing or broken one raises.
    """
    paths = legacy_paths("open_built_index", legacy, ("corpus_dir", "index_dir"),
                         {"corpus_dir": corpus_dir, "index_dir": index_dir})
    corpus_path, index_path, named = _paths(paths["corpus_dir"], paths["index_dir"])
    with _folder_faults(index_path):
        return _open_or_build(corpus_path, index_path, named, auto_build)


def _open_or_build(corpus_path: Path, index_path: Path, named: Path | None,
                   auto_build: bool) -> OpenedIndex:
    other = _other_corpus(index_path, named)
    note = None
    problem: str | None = None
    try:
        ix, manifest, gen = _open_generation(index_path)
    except (IndexMissingError, IndexCorruptError) as err:
        if other is not None:
            raise _mismatch(index_path, other, corpus_path) from None
        if not auto_build:
            raise
        if isinstance(err, IndexMissingError):
            _check_safe_target(index_path)
        problem = str(err)
    else:
        problem = _staleness(manifest, corpus_path)
        if other is not None:
            if problem is not None:
                ix.close()
                raise _mismatch(index_path, other, corpus_path)
            note = display_name(f"the index at {index_path} was built from {other}; "
                                f"{corpus_path} holds the same files, so it is used as it is")
        if problem is None or not auto_build:
            return OpenedIndex(ix, manifest, index_path, corpus_path, gen,
                               stale_warning=problem, corpus_note=note)
        ix.close()
    try:
        _rebuild_if_stale(corpus_path, index_path)
    except IndexNotWritableError as err:
        try:
            ix, manifest, gen = _open_generation(index_path)
        except (IndexMissingError, IndexCorruptError):
            raise err from None
        if manifest.get("schema") != schema_fingerprint():
            raise err from None
        return OpenedIndex(ix, manifest, index_path, corpus_path, gen,
                           stale_warning=display_name(f"{problem}; {err}"))
    ix, manifest, gen = _open_generation(index_path)
    return OpenedIndex(ix, manifest, index_path, corpus_path, gen, rebuilt=True)


# --------------------------------------------------------------------------- describing


def index_info(*, corpus_dir: PathArg = None, index_dir: PathArg = None) -> IndexInfo:
    """Describe the index a search with the same arguments would use, without building it.

    Raises :class:`IndexMissingError` when there is no index yet, :class:`IndexCorruptError`
    when it cannot be read, and :class:`CorpusMismatchError` when the corpus named is not
    the one the index was built from (and does not hold the same files).
    """
    corpus_path, index_path, named = _paths(corpus_dir, index_dir)
    other = _other_corpus(index_path, named)
    with _folder_faults(index_path):
        ix, manifest, gen = _open_generation(index_path)
    ix.close()
    stale = _staleness(manifest, corpus_path)
    if other is not None and stale is not None:
        raise _mismatch(index_path, other, corpus_path)
    if stale is None and not corpus_path.is_dir():
        stale = f"the corpus folder {corpus_path} is gone; the index answers from what it holds"
    built = manifest.get("built_at")
    when = (datetime.fromtimestamp(built, tz=UTC).isoformat(timespec="seconds")
            if isinstance(built, (int, float)) else "unknown")
    from .indexstats import IndexInfo

    return IndexInfo(
        index_dir=display_name(index_path),
        corpus_dir=display_name(corpus_path),
        generation=gen,
        built_at=when,
        documents=len(manifest.get("documents") or ()),
        sections=len(manifest.get("sections") or ()),
        passages=int(manifest.get("passages") or 0),
        stale=None if stale is None else display_name(stale),
        warnings=tuple(display_name(str(w)) for w in manifest.get("warnings") or ()),
    )
