"""spms-search: question answering over patient information about secondary progressive MS.

Library first::

    import spms_search
    for r in spms_search.search("can I still get relapses?"):
        print(" > ".join(r.headings), "::", r.answer)

    with spms_search.open_index() as searcher:      # many questions, one open index
        results = searcher.search("who helps with balance problems?", limit=3)

    stats = spms_search.build_index()               # rebuild after the corpus changed
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    CorpusError,
    CorpusMismatchError,
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexNotWritableError,
    InternalError,
    OutputError,
    QueryError,
    SearcherClosedError,
    SearchIndexError,
    SpmsSearchError,
    UnsafeIndexLocationError,
    VocabularyError,
)
from .index import build_index, index_info
from .search import Response, Result, Searcher, SectionInfo, open_index, search

if TYPE_CHECKING:
    from .indexstats import IndexInfo, IndexStats

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``IndexStats`` and ``IndexInfo``, imported when first asked for (``indexstats.py``)."""
    if name in ("IndexStats", "IndexInfo"):
        from . import indexstats

        return getattr(indexstats, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "search",
    "open_index",
    "build_index",
    "index_info",
    "IndexInfo",
    "Searcher",
    "Result",
    "Response",
    "SectionInfo",
    "IndexStats",
    "SpmsSearchError",
    "QueryError",
    "CorpusError",
    "CorpusMismatchError",
    "SearchIndexError",
    "IndexMissingError",
    "IndexCorruptError",
    "IndexNotWritableError",
    "UnsafeIndexLocationError",
    "IndexBusyError",
    "VocabularyError",
    "SearcherClosedError",
    "OutputError",
    "InternalError",
    "__version__",
]
