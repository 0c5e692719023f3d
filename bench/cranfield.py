"""Readers for the Cranfield-1400 collection (``cran.all.1400``, ``cran.qry``, ``cranqrel``).

The files use SMART-style markers: ``.I`` starts a record, ``.T`` title, ``.A`` authors,
``.B`` bibliography, ``.W`` text. Query ids in ``cran.qry`` are not consecutive, but the
judgments number the queries 1 to 225 in file order, so queries are renumbered that way.
Judgment codes 1 to 4 are relevant (1 is a complete answer, 4 of minimum interest); other
codes (-1) are not. Relevance is binary (gain 1) for nDCG, MAP and P@10 alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_MARKER = re.compile(r"^\.([ITABW])(?:\s+(\S+))?\s*$")


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str


def records(source: str, marker: re.Pattern[str] = _MARKER) -> list[dict[str, str]]:
    """Each ``.I`` record's fields of a SMART-format file, text joined with spaces.

    ``marker`` says which field tags exist: Cranfield's five by default; MED and CISI add
    ``.X``, ``.K`` and ``.C`` (``medcisi.py``), whose contents must not run into the text.
    """
    out: list[dict[str, str]] = []
    field = None
    for line in source.splitlines():
        found = marker.match(line.rstrip())
        if found:
            tag, value = found.groups()
            if tag == "I":
                out.append({"I": value or ""})
                field = None
            elif out:
                field = tag
                out[-1].setdefault(tag, "")
            continue
        if out and field:
            out[-1][field] += line.strip() + " "
    return out


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(" .", ".")).strip()


def parse_documents(source: str) -> list[Document]:
    """Documents of ``cran.all.1400`` (ids as written, title and abstract)."""
    docs = []
    for rec in records(source):
        title = _clean(rec.get("T", ""))
        text = _clean(rec.get("W", ""))  # as published: the abstract repeats the title first
        docs.append(Document(str(int(rec["I"])), title, text))
    return docs


def parse_queries(source: str) -> list[tuple[str, str]]:
    """(query number 1..n in file order, text) of ``cran.qry``."""
    return [(str(n), _clean(rec.get("W", ""))) for n, rec in enumerate(records(source), 1)]


def parse_qrels(source: str) -> dict[str, dict[str, int]]:
    """Query number -> document id -> gain 1 for every document judged relevant (codes 1-4)."""
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in source.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        query, doc, code = parts[0], str(int(parts[1])), int(parts[2])
        if 1 <= code <= 4:
            qrels[query][doc] = 1
    return dict(qrels)


def load(folder: Path) -> tuple[list[Document], list[tuple[str, str]], dict[str, dict[str, int]]]:
    """The three files of a Cranfield folder."""
    read = lambda name: (folder / name).read_text("utf-8", errors="replace")  # noqa: E731
    return parse_documents(read("cran.all.1400")), parse_queries(read("cran.qry")), parse_qrels(read("cranqrel"))
