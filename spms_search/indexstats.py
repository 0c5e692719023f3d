"""What a build produced and what an index holds: the results of ``build_index`` and
``index_info``.

Kept apart from ``index.py`` and imported when a build or ``index_info`` first needs them:
answering a question uses neither, and each dataclass costs about a millisecond of ``exec``
when its module is imported. ``spms_search.IndexStats`` and ``spms_search.index.IndexStats``
(likewise ``IndexInfo``) still name them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


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
    #: Corpus files read and indexed again; the others kept their part of the live index.
    files_read: int = 0
    #: Corpus files in all (``files_read`` of ``files`` were indexed again).
    files: int = 0


@dataclass(frozen=True)
class IndexInfo:
    """Which corpus and index a command uses, when the index was built, and what it holds."""

    index_dir: str
    corpus_dir: str
    generation: str
    built_at: str
    documents: int
    sections: int
    passages: int
    #: None when the index is up to date for its corpus, else why it is not.
    stale: str | None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``spms-search info --json``)."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data
