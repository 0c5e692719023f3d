"""The package's own exceptions, each with the exit code the command line uses for it.

Every failure a user or an embedding tool can meet is one of these, never a bare
Whoosh, OS or parser error, so callers can catch :class:`SpmsSearchError` alone and
the command line can print one line (``str(error)``) and exit with ``error.exit_code``.
"""

from __future__ import annotations

from .names import display_name

#: Exit codes of the ``spms-search`` command (also listed in ``--help`` and the README).
EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2
EXIT_INDEX = 3
EXIT_CORPUS = 4
EXIT_BUSY = 5
#: A bug in spms-search itself (never bad input); the command line's last line of defence.
EXIT_INTERNAL = 70
#: The results could not be written (a full disk, a closed or broken output); sysexits' EX_IOERR.
EXIT_OUTPUT = 74


class SpmsSearchError(Exception):
    """Base class: a one-line message saying what is wrong and what to do.

    The message is made safe once, here: a path holding a newline, an escape sequence or
    bytes that are not UTF-8 is escaped, so printing ``str(error)`` never breaks the line,
    the terminal or the encoder.
    """

    exit_code: int = EXIT_USAGE

    def __init__(self, *args: object) -> None:
        super().__init__(*(display_name(a) if isinstance(a, str) else a for a in args))


class QueryError(SpmsSearchError, ValueError):
    """The question cannot be searched (for example it is empty or has no words)."""

    exit_code = EXIT_USAGE


class VocabularyError(SpmsSearchError):
    """The vocabulary file named by ``SPMS_SEARCH_VOCABULARY`` cannot be read or parsed."""

    exit_code = EXIT_USAGE


class SearcherClosedError(SpmsSearchError, RuntimeError):
    """A :class:`~spms_search.search.Searcher` was used after ``close()``."""

    exit_code = EXIT_USAGE


class OutputError(SpmsSearchError):
    """The command's output could not be written (standard output full, closed or gone)."""

    exit_code = EXIT_OUTPUT


class InternalError(SpmsSearchError):
    """An unexpected failure inside spms-search: a bug to report, not a fault of the index
    or the input (so it never says "run rebuild")."""

    exit_code = EXIT_INTERNAL


class CorpusError(SpmsSearchError):
    """The corpus directory is missing, unreadable, or yields no passage at all."""

    exit_code = EXIT_CORPUS


class CorpusMismatchError(SpmsSearchError):
    """The corpus named differs from the one the index was built from, and using it would
    mean silently replacing that index (pass the index's own corpus, or rebuild explicitly)."""

    exit_code = EXIT_USAGE


class IndexError_(SpmsSearchError):
    """Base for problems with the index directory."""

    exit_code = EXIT_INDEX


class IndexMissingError(IndexError_):
    """There is no index where one was expected and none could be built there."""


class IndexCorruptError(IndexError_):
    """The index exists but cannot be read; a rebuild repairs it."""


class IndexNotWritableError(IndexError_):
    """The index must be (re)built but its location cannot be written."""


class UnsafeIndexLocationError(IndexError_):
    """``rebuild`` was pointed at a directory that holds something other than our index."""


class IndexBusyError(SpmsSearchError):
    """Another rebuild holds the index lock and did not finish within the timeout."""

    exit_code = EXIT_BUSY


# A friendlier public name; ``IndexError_`` avoids shadowing the builtin inside the package.
SearchIndexError = IndexError_

__all__ = [
    "EXIT_OK",
    "EXIT_NO_MATCH",
    "EXIT_USAGE",
    "EXIT_INDEX",
    "EXIT_CORPUS",
    "EXIT_BUSY",
    "EXIT_OUTPUT",
    "EXIT_INTERNAL",
    "SpmsSearchError",
    "QueryError",
    "VocabularyError",
    "SearcherClosedError",
    "OutputError",
    "InternalError",
    "CorpusError",
    "CorpusMismatchError",
    "SearchIndexError",
    "IndexMissingError",
    "IndexCorruptError",
    "IndexNotWritableError",
    "UnsafeIndexLocationError",
    "IndexBusyError",
]
