"""Readers for the MED (MEDLINE) and CISI collections of the SMART project.

Both use SMART markers like Cranfield (``.I`` a record, ``.T`` title, ``.A`` authors,
``.B`` source, ``.W`` text), plus ``.X`` (cross-references, CISI), ``.K`` and ``.C``, whose
contents are no part of a document's text. Files have CRLF line endings. Judgments:
``MED.REL`` lines ``query 0 doc 1`` or ``query doc 1``; ``CISI.REL`` lines
``query doc 0 0.0``. Every listed pair is relevant (gain 1). Query and document ids are
used as written (as integers, so "001" and "1" meet).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from . import cranfield
from .cranfield import Document

_MARKER = re.compile(r"^\.([A-Z])(?:\s+(\S+))?\s*$")
_TEXT_FIELDS = frozenset("TW")

Collection = tuple[list[Document], list[tuple[str, str]], dict[str, dict[str, int]]]


def records(source: str) -> list[dict[str, str]]:
    """Each ``.I`` record's fields, with every SMART tag known (see :func:`cranfield.records`)."""
    return cranfield.records(source, _MARKER)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(" .", ".")).strip()


def parse_documents(source: str) -> list[Document]:
    return [Document(str(int(r["I"])), _clean(r.get("T", "")), _clean(r.get("W", "")))
            for r in records(source)]


def parse_queries(source: str) -> list[tuple[str, str]]:
    """(query id, text): the ``.W`` text, or the title when a query has no ``.W``."""
    return [(str(int(r["I"])), _clean(r.get("W", "") or r.get("T", ""))) for r in records(source)]


def parse_qrels(source: str, doc_column: int) -> dict[str, dict[str, int]]:
    """Query id -> document id -> 1 for every listed pair."""
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in source.splitlines():
        parts = line.split()
        if len(parts) > doc_column:
            qrels[str(int(parts[0]))][str(int(parts[doc_column]))] = 1
    return dict(qrels)


def _read(path: Path) -> str:
    return path.read_text("latin-1")


def load_med(folder: Path) -> Collection:
    """MED: 1,033 MEDLINE abstracts (no titles), 30 queries, all judged."""
    rel = _read(folder / "MED.REL")
    # "q 0 doc 1" in the original distribution, "q doc 1" in some mirrors
    first = rel.split("\n", 1)[0].split()
    doc_column = 2 if len(first) >= 4 else 1
    return (parse_documents(_read(folder / "MED.ALL")), parse_queries(_read(folder / "MED.QRY")),
            parse_qrels(rel, doc_column))


def load_cisi(folder: Path) -> Collection:
    """CISI: 1,460 information-science abstracts with titles, 57 queries (50 judged)."""
    return (parse_documents(_read(folder / "CISI.ALL")), parse_queries(_read(folder / "CISI.QRY")),
            parse_qrels(_read(folder / "CISI.REL"), 1))
