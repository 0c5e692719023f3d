"""The query path's data files, parsed once and cached: one file read instead of a parse.

Every question needs the spelling and word-form tables, the English word frequencies and
the vocabulary. Parsing them (stemming about 1,000 vocabulary expressions, splitting
44,000 frequency lines) took longer than the rest of a command-line answer, on every
start. This module parses them once and keeps the result in the per-user cache folder
(``$XDG_CACHE_HOME/spms-search/compiled/``, else ``~/.cache/...``), loaded in one read.

The cache can never be trusted blindly:

* Its file name is a SHA-256 over the *content* of every data file it was made from
  plus the source of the modules that parse them, the analysis version, Whoosh's version
  and Python's: a user editing ``vocabulary.txt`` (even keeping its size and time)
  gets a new file name, so the edit is seen on the next start. The key is also stored
  inside the file and compared.
* Each file carries a CRC-32 of its payload; a truncated, garbled or foreign file is
  ignored and rebuilt in place. (It guards against damage: whoever can write the cache
  folder could as well write a matching SHA-256, which cost three times as long to check.)
* Where the cache folder cannot be written, everything is parsed as before (no warning:
  the answer is the same, only slower).

Files are written aside and renamed into place, so a reader never sees half a file; a
few of the most recent files are kept (two checkouts or an ``SPMS_SEARCH_VOCABULARY``
file each have their own).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import uuid
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .records import FrozenRecord

if TYPE_CHECKING:
    from .english import WordTable
    from .vocabulary import Vocabulary
    from .wordtable import StringTable

#: Bumped whenever what is stored changes shape (2: a CRC-32 instead of a SHA-256 of the payload).
COMPILED_FORMAT = 2
MAGIC = b"spms-search compiled\n"
#: How many compiled files the cache folder keeps (the newest).
KEEP_FILES = 8

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
#: The data files the bundled tables are made from.
DATA_FILES = ("word_forms.txt", "spelling_variants.txt", "english_frequency.txt", "vocabulary.txt")
#: The modules whose code decides what the tables hold: a change to any of them is a new key.
SOURCE_FILES = ("analysis.py", "english.py", "vocabulary.py", "wordtable.py", "compiled.py")
#: English words at least this common are stemmed once, at compile time (about 15,000 words,
#: under a second); with the vocabulary's words they are most of what a question meets.
STEM_MIN_ZIPF = 3.0

T = TypeVar("T")


def cache_dir() -> Path:
    """Where compiled files live: the per-user cache folder, as for the index."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return home / "spms-search" / "compiled"


def _code_identity() -> bytes:
    from whoosh import versionstring

    from .analysis import ANALYSIS_VERSION

    parts = [f"format {COMPILED_FORMAT}", f"analysis {ANALYSIS_VERSION}", f"whoosh {versionstring()}",
             f"python {sys.implementation.cache_tag} {sys.version}"]
    return "\n".join(parts).encode()


def make_key(inputs: Sequence[tuple[str, bytes]]) -> str:
    """A hex key over the code identity and the named ``inputs`` (name, content)."""
    digest = hashlib.sha256(_code_identity())
    for name in SOURCE_FILES:
        try:
            source = (PACKAGE_DIR / name).read_bytes()
        except OSError:  # an install without sources: its code changes only with a new install
            source = b"(no source)"
        _update(digest, f"source {name}", source)
    for name, content in inputs:
        _update(digest, name, content)
    return digest.hexdigest()


def _update(digest: Any, name: str, content: bytes) -> None:
    label = name.encode("utf-8", "surrogatepass")
    digest.update(len(label).to_bytes(8, "big") + label + len(content).to_bytes(8, "big"))
    digest.update(content)


def _path(key: str) -> Path:
    return cache_dir() / f"{key[:32]}.pickle"


def read_compiled(key: str) -> object | None:
    """The object stored under ``key``, or None when absent, stale, damaged or unreadable."""
    try:
        data = _path(key).read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if data[:head] != MAGIC or len(data) < head + 4:
        return None
    payload = memoryview(data)[head + 4 :]  # no copy of the 1.3 MB
    if zlib.crc32(payload).to_bytes(4, "big") != data[head : head + 4]:
        return None
    try:
        stored_key, value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - any unpickling failure means "rebuild"
        return None
    return value if stored_key == key else None


def write_compiled(key: str, value: object) -> None:
    """Store ``value`` under ``key``, aside then renamed; silently skipped when unwritable."""
    folder = cache_dir()
    payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    target = _path(key)
    tmp = folder / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`KEEP_FILES` compiled files; the rest were for older data."""
    try:
        files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def cached(inputs: Sequence[tuple[str, bytes]], build: Callable[[], T], kind: type[T]) -> T:
    """``build()``, or what an earlier ``build()`` over the same ``inputs`` stored."""
    key = make_key(inputs)
    found = read_compiled(key)
    if isinstance(found, kind):
        return found
    value = build()
    write_compiled(key, value)
    return value


# --------------------------------------------------------------------------- the bundled tables


class Tables(FrozenRecord):
    """What the query path reads from ``data/``, parsed."""

    #: Spelling variants and irregular forms -> their one form (``analysis.folded_forms``).
    folded: dict[str, str]
    #: Word -> Zipf frequency (``english.py``).
    english: WordTable
    #: The bundled vocabulary, or None when it does not parse (then ``vocabulary_error``).
    vocabulary: Vocabulary | None
    #: Stems of common English words and of the vocabulary's words (``analysis.stem``).
    stems: StringTable
    vocabulary_error: str

    __slots__ = _fields = ("folded", "english", "vocabulary", "stems", "vocabulary_error")

    def __init__(
        self,
        folded: dict[str, str],
        english: WordTable,
        vocabulary: Vocabulary | None,
        stems: StringTable,
        vocabulary_error: str = "",
    ) -> None:
        object.__setattr__(self, "folded", folded)
        object.__setattr__(self, "english", english)
        object.__setattr__(self, "vocabulary", vocabulary)
        object.__setattr__(self, "stems", stems)
        object.__setattr__(self, "vocabulary_error", vocabulary_error)


def parse_pairs(text: str) -> dict[str, str]:
    """``variant canonical`` lines (``#`` comments) -> a table."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            variant, canonical = line.split()
            table[variant] = canonical
    return table


def parse_frequencies(text: str) -> dict[str, float]:
    """``zipf<TAB>word word ...`` lines (``#`` comments) -> word -> Zipf frequency."""
    table: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        value, _, words = line.partition("\t")
        z = float(value)
        for word in words.split():
            table[word] = z
    return table


def data_inputs() -> list[tuple[str, bytes]]:
    """(name, content) of every bundled data file the tables are made from."""
    return [(f"data {name}", (DATA_DIR / name).read_bytes()) for name in DATA_FILES]


def _install(folded: dict[str, str], english: WordTable, stems: StringTable | None = None) -> None:
    """Hand the tables to the modules that use them (before any text is analysed)."""
    from . import analysis
    from . import english as english_module

    analysis.install_folded_forms(folded)
    english_module.install_table(english)
    if stems is not None:
        analysis.install_stems(stems)


_bundled_key = ""


def bundled_key() -> str:
    """The key of the tables in use: it changes with the data files and with the code that
    analyses words (:data:`SOURCE_FILES`), so a stem stored under it is the stem this
    process computes (``index.py`` keeps the corpus's stems under it)."""
    bundled_tables()
    return _bundled_key


@lru_cache(maxsize=1)
def bundled_tables() -> Tables:
    """The bundled data, from the cache when it matches the files, else parsed (and cached)."""
    global _bundled_key
    inputs = data_inputs()
    key = _bundled_key = make_key(inputs)
    found = read_compiled(key)
    if isinstance(found, Tables):
        _install(found.folded, found.english, found.stems)
        return found
    tables = _parse_tables({name: content.decode("utf-8") for name, content in inputs})
    if tables.vocabulary is not None:  # a broken vocabulary is reported, never stored
        write_compiled(key, tables)
    return tables


def _parse_tables(texts: dict[str, str]) -> Tables:
    from .english import WordTable
    from .vocabulary import parse_vocabulary, precompute

    folded = {**parse_pairs(texts["data word_forms.txt"]), **parse_pairs(texts["data spelling_variants.txt"])}
    english = WordTable(parse_frequencies(texts["data english_frequency.txt"]))
    _install(folded, english)  # the vocabulary and the stems are analysed with these tables
    vocabulary_text = texts["data vocabulary.txt"]
    stems = _stem_table(english, vocabulary_text)
    _install(folded, english, stems)
    try:
        vocabulary = precompute(parse_vocabulary(vocabulary_text))
    except ValueError as err:
        return Tables(folded, english, None, stems, str(err))
    return Tables(folded, english, vocabulary, stems)


def _stem_table(english: WordTable, vocabulary_text: str) -> StringTable:
    """Stems of the common English words and of every word of the vocabulary file."""
    from .analysis import compute_stem, words
    from .wordtable import StringTable

    candidates = {w for w, z in zip(english.keys.words(), english.values) if z >= STEM_MIN_ZIPF}
    candidates.update(words(vocabulary_text))
    return StringTable({w: compute_stem(w) for w in candidates})
