"""Finding the corpus files and fingerprinting them, without parsing anything.

This module stays free of BeautifulSoup and the parsers so the query path can check
whether the index is stale at the cost of a directory walk and some ``stat`` calls.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError

#: File endings the ingestion reads, by format.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}


@dataclass(frozen=True)
class CorpusFile:
    """One source file: its path relative to the corpus root (POSIX form) and its stat."""

    relpath: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def kind(self) -> str:
        return SUFFIXES[Path(self.relpath).suffix.lower()]


@dataclass(frozen=True)
class SkippedFile:
    """A file under the corpus that is deliberately not read, and why."""

    relpath: str
    reason: str


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def scan_corpus(corpus_dir: Path) -> tuple[list[CorpusFile], list[SkippedFile]]:
    """All readable corpus files under ``corpus_dir``, recursively, sorted by relative path.

    Symbolic links that resolve outside the corpus are skipped (and reported), so a
    corpus can never pull in ``/etc/passwd`` or a home directory by accident.
    """
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist: pass --corpus DIR")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path {corpus_dir} is not a folder: pass --corpus DIR")
    root = corpus_dir.resolve()
    files: list[CorpusFile] = []
    skipped: list[SkippedFile] = []

    def walk_error(err: OSError) -> None:
        rel = os.path.relpath(err.filename or str(corpus_dir), corpus_dir)
        skipped.append(SkippedFile(Path(rel).as_posix(), f"cannot list folder: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(corpus_dir, onerror=walk_error, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in sorted(filenames):
            if _is_hidden(name) or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(corpus_dir).as_posix()
            try:
                real = path.resolve()
                if path.is_symlink() and not real.is_relative_to(root):
                    skipped.append(SkippedFile(rel, "symbolic link pointing outside the corpus"))
                    continue
                st = path.stat()
            except OSError as err:
                skipped.append(SkippedFile(rel, f"cannot read: {err.strerror or err}"))
                continue
            files.append(CorpusFile(rel, path, st.st_size, st.st_mtime_ns))
    files.sort(key=lambda f: f.relpath)
    return files, skipped


def quick_signature(files: list[CorpusFile]) -> list[list[object]]:
    """Names, sizes and modification times: the cheap first half of the staleness check."""
    return [[f.relpath, f.size, f.mtime_ns] for f in files]


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or ``"unreadable"`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "unreadable"
    return digest.hexdigest()


def content_signature(files: list[CorpusFile]) -> dict[str, str]:
    """Relative path to content hash: the exact half of the staleness check."""
    return {f.relpath: content_hash(f.path) for f in files}
