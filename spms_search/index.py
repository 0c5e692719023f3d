"""The Whoosh index: schema, building aside and swapping in, locking, and staleness.

Layout of an index directory (the ``--index`` folder)::

    spms-search-index.json   marker and pointer: {"format": ..., "current": "gen-000007"}
    gen-000007/              the live Whoosh index plus manifest.json (fingerprints)
    gen-000006/              the previous one, kept so a reader that just read the old
                             pointer can still open it; removed by the next rebuild
    .lock                    held (flock) by the one rebuild allowed at a time

A rebuild writes a whole new generation in a hidden temporary folder, renames it into
place, then replaces the marker with ``os.replace`` (atomic on POSIX). A reader therefore
sees either the old index or the new one, never a half-written one. ``rebuild`` only
ever writes into an empty folder or one that carries the marker, so it cannot destroy
anything it did not make.

The manifest records a fingerprint of the corpus (names, sizes, modification times and
SHA-256 of every file) and of the schema and analysis. The staleness check compares
names, sizes and times first and hashes only files whose size or time changed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from .analysis import ANALYSIS_VERSION, folded_forms, text_analyzer, word_analyzer
from .corpus import content_hash, content_signature, quick_signature, scan_corpus
from .errors import (
    CorpusError,
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexNotWritableError,
    UnsafeIndexLocationError,
)
from .locations import resolve_corpus_dir, resolve_index_dir

MARKER = "spms-search-index.json"
MANIFEST = "manifest.json"
FORMAT = "spms-search-index"
SCHEMA_VERSION = 6  # 6: sections carry their source anchor and url
LOCK_TIMEOUT_SECONDS = 120.0

ProgressCallback = Callable[[int, int], None]


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
        heading=TEXT(analyzer=analyzer, phrase=True),
        parents=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        context=TEXT(analyzer=analyzer, phrase=False),
        spell=TEXT(analyzer=word_analyzer(), phrase=False),
    )


def schema_fingerprint() -> str:
    """Changes whenever the schema, the analysis or the spelling table changes."""
    parts = [
        str(SCHEMA_VERSION),
        str(ANALYSIS_VERSION),
        json.dumps(sorted(folded_forms().items())),
        repr(sorted(make_schema().names())),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class IndexStats:
    """What a build produced, for the ``rebuild`` command and callers."""

    documents: int
    sections: int
    passages: int
    seconds: float
    index_dir: str
    corpus_dir: str
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- locking


@contextmanager
def index_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Serialise rebuilds of one index directory across processes (``flock``)."""
    import fcntl

    path = index_dir / ".lock"
    try:
        handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime, closed below
    except OSError as err:
        raise _not_writable(index_dir, err) from None
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise _not_writable(index_dir, err) from None
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"another rebuild of {index_dir} is still running after {timeout:.0f} s: "
                        "wait for it to finish, then try again"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        handle.close()


def _not_writable(index_dir: Path, err: OSError) -> IndexNotWritableError:
    reason = err.strerror or str(err)
    return IndexNotWritableError(
        f"cannot write the index at {index_dir} ({reason}): pass --index DIR (or set "
        "SPMS_SEARCH_INDEX) to a writable folder"
    )


# --------------------------------------------------------------------------- marker and manifest


def read_marker(index_dir: Path) -> dict[str, Any] | None:
    """The marker of an index directory, or None when the directory holds no marker."""
    try:
        data = json.loads((index_dir / MARKER).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
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


def _atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _check_safe_target(index_dir: Path) -> None:
    """Refuse to write into a folder that holds anything but our own index."""
    if not index_dir.exists():
        return
    if not index_dir.is_dir():
        raise UnsafeIndexLocationError(
            f"{index_dir} is a file, not an index folder: choose another --index DIR"
        )
    if (index_dir / MARKER).exists():
        return
    ours = {".lock"}
    others = [p.name for p in index_dir.iterdir() if p.name not in ours]
    if others:
        raise UnsafeIndexLocationError(
            f"{index_dir} holds files that spms-search did not make ({', '.join(sorted(others)[:3])}"
            f"{', ...' if len(others) > 3 else ''}); refusing to touch it: choose an empty or "
            "new --index DIR"
        )


# --------------------------------------------------------------------------- building


def _documents(corpus: Any) -> Iterator[dict[str, Any]]:
    section_text: dict[str, list[str]] = {}
    for section in corpus.sections:
        section_text[section.section] = [" ".join(section.headings)]
    for passage in corpus.passages:
        section_text.setdefault(passage.section, []).append(passage.text)
    seen_sections: set[str] = set()
    for passage in corpus.passages:
        lead = passage.section not in seen_sections
        seen_sections.add(passage.section)
        yield {
            "lead": lead,
            "doc": passage.document,
            "title": passage.title,
            "section": passage.section,
            "headings": list(passage.headings),
            "position": passage.position,
            "items": list(passage.items),
            "text": passage.text,
            "heading": passage.heading,
            "parents": " ".join(passage.headings[:-1]),
            "body": passage.text,
            "context": "\n".join(section_text[passage.section]),
            "spell": f"{' '.join(passage.headings)}\n{passage.text}",
        }


def _write_whoosh(target: Path, corpus: Any, progress: ProgressCallback | None) -> None:
    ix = whoosh_index.create_in(str(target), make_schema())
    total = len(corpus.passages)
    big = total >= 20_000 and (os.cpu_count() or 1) > 1
    writer = ix.writer(limitmb=256, procs=2 if big else 1, multisegment=big)
    try:
        for n, doc in enumerate(_documents(corpus), 1):
            writer.add_document(**doc)
            if progress is not None and (n % 500 == 0 or n == total):
                progress(n, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()


def _manifest(corpus_dir: Path, files: list[Any], corpus: Any, seconds: float, gen: Path) -> dict[str, Any]:
    sizes = {p.name: p.stat().st_size for p in gen.iterdir() if p.is_file()}
    return {
        "format": FORMAT,
        "schema": schema_fingerprint(),
        "corpus_dir": str(corpus_dir),
        "files": quick_signature(files),
        "hashes": content_signature(files),
        "documents": corpus.documents,
        "sections": [
            {"document": s.document, "title": s.title, "headings": list(s.headings),
             "section": s.section, "level": s.level, "anchor": s.anchor, "url": s.url}
            for s in corpus.sections
        ],
        "passages": len(corpus.passages),
        "seconds": round(seconds, 3),
        "built_at": time.time(),
        "whoosh_files": sizes,
        "warnings": [str(w) for w in corpus.warnings],
    }


def _next_generation(index_dir: Path) -> str:
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.iterdir():
        stale_gen = path.name.startswith("gen-") and path.name not in keep
        stale_tmp = path.name.startswith(".build-") and time.time() - path.stat().st_mtime > 3600
        if (stale_gen or stale_tmp) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def build_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> IndexStats:
    """Ingest the corpus and build a fresh index beside the old one, then swap it in.

    Raises :class:`CorpusError` when no passage can be read, :class:`UnsafeIndexLocationError`
    when ``index_dir`` holds something else, :class:`IndexBusyError` when another rebuild
    holds the lock too long, and :class:`IndexNotWritableError` when it cannot write.
    """
    from .ingestion import ingest_corpus  # BeautifulSoup is only needed here

    corpus_path = resolve_corpus_dir(corpus_dir)
    index_path = resolve_index_dir(index_dir, corpus_path)
    _check_safe_target(index_path)
    try:
        index_path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _not_writable(index_path, err) from None
    with index_lock(index_path, lock_timeout):
        _check_safe_target(index_path)
        started = time.perf_counter()
        files, _skipped = scan_corpus(corpus_path)
        corpus = ingest_corpus(corpus_path)
        tmp = index_path / f".build-{uuid.uuid4().hex}"
        try:
            tmp.mkdir()
            _write_whoosh(tmp, corpus, progress)
            seconds = time.perf_counter() - started
            _atomic_write_json(tmp / MANIFEST, _manifest(corpus_path, files, corpus, seconds, tmp))
            try:
                previous = (read_marker(index_path) or {}).get("current")
            except IndexCorruptError:
                previous = None  # a damaged marker is ours to replace
            gen = _next_generation(index_path)
            os.rename(tmp, index_path / gen)
            _atomic_write_json(index_path / MARKER, {"format": FORMAT, "current": gen})
        except OSError as err:
            shutil.rmtree(tmp, ignore_errors=True)
            raise _not_writable(index_path, err) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _remove_old_generations(index_path, {gen, str(previous)})
    return IndexStats(
        documents=len(corpus.documents),
        sections=len(corpus.sections),
        passages=len(corpus.passages),
        seconds=seconds,
        index_dir=str(index_path),
        corpus_dir=str(corpus_path),
        warnings=tuple(str(w) for w in corpus.warnings),
    )


# --------------------------------------------------------------------------- opening


@dataclass
class OpenedIndex:
    """A Whoosh index opened for reading, with its manifest and where it came from."""

    ix: Any
    manifest: dict[str, Any]
    index_dir: Path
    corpus_dir: Path
    generation: str
    rebuilt: bool = False
    stale_warning: str | None = None


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
    return any(content_hash(f.path) != hashes.get(f.relpath) for f in files)


def _open_generation(index_dir: Path) -> tuple[Any, dict[str, Any], str]:
    """Open the current generation; raise IndexMissingError/IndexCorruptError."""
    last_error: Exception | None = None
    for _attempt in range(5):  # a rebuild may swap the pointer while we read it
        marker = read_marker(index_dir)
        if marker is None:
            raise IndexMissingError(f"no index at {index_dir}")
        gen_name = str(marker.get("current", ""))
        gen = index_dir / gen_name
        try:
            manifest = json.loads((gen / MANIFEST).read_text("utf-8"))
            for name, size in manifest.get("whoosh_files", {}).items():
                if (gen / name).stat().st_size != size:
                    raise IndexCorruptError(f"index file {name} has the wrong size")
            ix = whoosh_index.open_dir(str(gen))
            return ix, manifest, gen_name
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


def open_built_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    auto_build: bool = True,
) -> OpenedIndex:
    """Open the index for ``corpus_dir``, building or rebuilding it when missing, stale or broken.

    Where the index must be rebuilt but its folder cannot be written, a stale but readable
    index is still used (``stale_warning`` says so); a missing or broken one raises.
    """
    corpus_path = resolve_corpus_dir(corpus_dir)
    index_path = resolve_index_dir(index_dir, corpus_path)
    problem: str | None = None
    try:
        ix, manifest, gen = _open_generation(index_path)
    except (IndexMissingError, IndexCorruptError) as err:
        if not auto_build:
            raise
        if isinstance(err, IndexMissingError):
            _check_safe_target(index_path)
        problem = str(err)
    else:
        if manifest.get("schema") != schema_fingerprint():
            problem = "the index was built by another version of spms-search"
        elif corpus_changed(manifest, corpus_path):
            problem = "the corpus has changed since the index was built"
        if problem is None or not auto_build:
            return OpenedIndex(ix, manifest, index_path, corpus_path, gen, stale_warning=problem)
        ix.close()
    try:
        build_index(corpus_path, index_path)
    except IndexNotWritableError as err:
        try:
            ix, manifest, gen = _open_generation(index_path)
        except (IndexMissingError, IndexCorruptError):
            raise err from None
        if manifest.get("schema") != schema_fingerprint():
            raise err from None
        return OpenedIndex(ix, manifest, index_path, corpus_path, gen,
                           stale_warning=f"{problem}; {err}")
    ix, manifest, gen = _open_generation(index_path)
    return OpenedIndex(ix, manifest, index_path, corpus_path, gen, rebuilt=True)
