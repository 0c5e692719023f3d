"""Finding the corpus files, reading and fingerprinting them, without parsing anything.

This module stays free of BeautifulSoup and the parsers so the query path can check
whether the index is stale at the cost of a directory walk and some ``stat`` calls.

The corpus is untrusted input. Only regular files inside the corpus folder are read: a
symbolic link out of it, a link loop, a FIFO or a device is skipped with a warning, never
followed, waited on or read. A file is read once (:func:`read_corpus_file`), and its
fingerprint is taken from that very read (status before the bytes, hash of the bytes),
so a file edited during a rebuild is noticed by the next staleness check.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .errors import CorpusError
from .names import display_name
from .records import FrozenRecord

#: Files larger than this are skipped with a warning (a patient page is a few KB).
MAX_FILE_BYTES = 32 * 1024 * 1024

#: File endings the ingestion reads, by format.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}


class CorpusFile(FrozenRecord):
    """One source file: its path relative to the corpus root (POSIX form) and its stat."""

    relpath: str
    path: Path
    size: int
    mtime_ns: int

    __slots__ = _fields = ("relpath", "path", "size", "mtime_ns")

    def __init__(self, relpath: str, path: Path, size: int, mtime_ns: int) -> None:
        object.__setattr__(self, "relpath", relpath)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "mtime_ns", mtime_ns)

    @property
    def kind(self) -> str:
        return SUFFIXES[Path(self.relpath).suffix.lower()]

    @property
    def name(self) -> str:
        """The relative path made safe to store and print (see ``names.py``)."""
        return display_name(self.relpath)


class FileRead(FrozenRecord):
    """What one read of a corpus file saw: its bytes (None when skipped) and fingerprint.

    ``size`` and ``mtime_ns`` are taken from the open file before its bytes are read, and
    ``sha256`` is the hash of exactly those bytes, so the manifest never pairs the time of
    one version with the hash of another.
    """

    relpath: str
    size: int
    mtime_ns: int
    sha256: str
    data: bytes | None
    problem: str | None

    __slots__ = _fields = ("relpath", "size", "mtime_ns", "sha256", "data", "problem")

    def __init__(
        self,
        relpath: str,
        size: int,
        mtime_ns: int,
        sha256: str,
        data: bytes | None,
        problem: str | None = None,
    ) -> None:
        object.__setattr__(self, "relpath", relpath)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "mtime_ns", mtime_ns)
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "problem", problem)


class SkippedFile(FrozenRecord):
    """A file under the corpus that is deliberately not read, and why."""

    relpath: str
    reason: str

    __slots__ = _fields = ("relpath", "reason")

    def __init__(self, relpath: str, reason: str) -> None:
        object.__setattr__(self, "relpath", relpath)
        object.__setattr__(self, "reason", reason)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def scan_corpus(corpus_dir: Path) -> tuple[list[CorpusFile], list[SkippedFile]]:
    """All regular corpus files under ``corpus_dir``, recursively, sorted by relative path.

    Symbolic links that resolve outside the corpus are skipped (and reported), so a
    corpus can never pull in ``/etc/passwd`` or a home directory by accident; so are link
    loops, FIFOs, sockets and devices, which would crash or hang a build.
    """
    try:
        if not corpus_dir.exists():
            raise CorpusError(f"corpus folder {corpus_dir} does not exist: pass --corpus DIR")
        if not corpus_dir.is_dir():
            raise CorpusError(f"corpus path {corpus_dir} is not a folder: pass --corpus DIR")
        os.listdir(corpus_dir)  # an unreadable folder is one error, not an empty corpus
    except OSError as err:
        raise CorpusError(
            f"cannot read the corpus folder {corpus_dir} ({err.strerror or err}): check its "
            "permissions, or pass --corpus DIR"
        ) from None
    root = os.path.realpath(corpus_dir)
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
            found = _check_file(path, root)
            if isinstance(found, str):
                skipped.append(SkippedFile(rel, found))
            else:
                files.append(CorpusFile(rel, path, found.st_size, found.st_mtime_ns))
    files.sort(key=lambda f: f.relpath)
    return files, skipped


def _check_file(path: Path, root: str) -> os.stat_result | str:
    """The status of a file fit to read, or why it is skipped."""
    try:
        if path.is_symlink():
            real = os.path.realpath(path)
            if os.path.commonpath([real, root]) != root:
                return "symbolic link pointing outside the corpus"
        st = path.stat()
    except OSError as err:
        if err.errno == getattr(os, "ELOOP", 40) or "loop" in str(err).lower():
            return "symbolic link loop"
        return f"cannot read: {err.strerror or err}"
    except (RuntimeError, ValueError) as err:  # Python 3.11 reports a link loop as RuntimeError
        return f"cannot read: {err}"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, socket, device or folder)"
    return st


def read_corpus_file(file: CorpusFile, max_bytes: int = MAX_FILE_BYTES) -> FileRead:
    """Read one corpus file once: bytes, status before the read and the hash of the bytes.

    Opened without blocking and checked to be a regular file on the open handle, so a file
    swapped for a FIFO after the scan cannot hang the build; over ``max_bytes`` it is
    not read at all (hashed in a bounded stream only to notice changes).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(file.path, flags)
    except OSError as err:
        return FileRead(file.relpath, file.size, file.mtime_ns, "unreadable", None,
                        f"cannot read ({err.strerror or err})")
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return FileRead(file.relpath, st.st_size, st.st_mtime_ns, "not-a-file", None,
                            "not a regular file (a FIFO, socket, device or folder)")
        if st.st_size > max_bytes:
            return FileRead(file.relpath, st.st_size, st.st_mtime_ns, f"oversized-{st.st_size}",
                            None, f"{st.st_size} bytes is over the {max_bytes} byte limit")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as err:
            return FileRead(file.relpath, st.st_size, st.st_mtime_ns, "unreadable", None,
                            f"cannot read ({err.strerror or err})")
    if len(data) > max_bytes:
        return FileRead(file.relpath, st.st_size, st.st_mtime_ns, f"oversized-{len(data)}",
                        None, f"over the {max_bytes} byte limit")
    return FileRead(file.relpath, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), data)


def quick_signature(files: list[CorpusFile]) -> list[list[object]]:
    """Names, sizes and modification times: the cheap first half of the staleness check."""
    return [[f.relpath, f.size, f.mtime_ns] for f in files]


def read_signature(reads: list[FileRead]) -> tuple[list[list[object]], dict[str, str]]:
    """The manifest's two fingerprints, from the reads a build indexed."""
    ordered = sorted(reads, key=lambda r: r.relpath)
    return ([[r.relpath, r.size, r.mtime_ns] for r in ordered],
            {r.relpath: r.sha256 for r in ordered})
