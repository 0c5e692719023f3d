"""Ingestion stays linear in its input: adversarial Markdown, repeated headings, one huge line.

Timing bounds are generous (tens of seconds for inputs that take about a second): before
the fix these inputs took minutes to hours, each doubling costing four times as much.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from spms_search.ingestion import MAX_PASSAGE_CHARS, _SlugRegistry, ingest_corpus

MEGABYTE = 1 << 20
BOUND_SECONDS = 30.0


def timed_ingest(tmp_path: Path, name: str, text: str):
    corpus = tmp_path / "c"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_text(text, "utf-8")
    started = time.perf_counter()
    result = ingest_corpus(corpus)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("unit", ["*a ", "_a ", "[a ", "![a ", "<a ", "<!-- ", "[a](b ", "a *b "])
def test_unclosed_markdown_inline_syntax_is_linear(tmp_path, unit):
    text = "# Title\n\n" + unit * (MEGABYTE // 4 // len(unit)) + "end.\n"
    corpus, seconds = timed_ingest(tmp_path, "hostile.md", text)
    assert seconds < BOUND_SECONDS, f"{unit!r}: {seconds:.1f} s for 256 KB"
    assert corpus.passages and "end." in corpus.passages[-1].text


def test_a_megabyte_of_mixed_unclosed_syntax_in_one_paragraph_is_linear(tmp_path):
    unit = "*a _a [a ![a <a <!-- `a "
    text = "# Title\n\n" + unit * (MEGABYTE // len(unit)) + "\n"
    corpus, seconds = timed_ingest(tmp_path, "hostile.md", text)
    assert seconds < BOUND_SECONDS, f"{seconds:.1f} s for 1 MB"
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in corpus.passages)


def test_many_identical_headings_get_unique_slugs(tmp_path):
    text = "".join("# Same heading\n\nSome text.\n\n" for _ in range(20_000))
    corpus, _ = timed_ingest(tmp_path, "same.md", text)
    slugs = [s.section for s in corpus.sections]
    assert len(set(slugs)) == 20_000
    assert slugs[:3] == ["same-heading", "same-heading-2", "same-heading-3"]


def test_slug_numbering_is_linear_in_the_number_of_identical_headings():
    slugs = _SlugRegistry()
    started = time.perf_counter()
    claimed = [slugs.claim("Same heading") for _ in range(200_000)]
    seconds = time.perf_counter() - started
    assert seconds < BOUND_SECONDS, f"{seconds:.1f} s for 200,000 identical headings"
    assert claimed[-1] == "same-heading-200000" and len(set(claimed)) == 200_000
    assert slugs.claim("Same heading 2") == "same-heading-2-2"  # a literal "-2" still stays unique


def test_a_huge_single_line_becomes_bounded_passages_with_no_text_lost(tmp_path):
    words = [f"word{i}" for i in range(120_000)]  # about 1 MB on one line
    corpus, seconds = timed_ingest(tmp_path, "line.txt", " ".join(words) + "\n")
    assert seconds < BOUND_SECONDS
    assert len(corpus.passages) > 300
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in corpus.passages)
    assert " ".join(p.text for p in corpus.passages).split() == words


def test_a_long_list_is_split_between_items_and_keeps_its_lead_in_first(tmp_path):
    items = "".join(f"- point number {i} about walking aids and rest\n" for i in range(2_000))
    corpus, _ = timed_ingest(tmp_path, "list.md", "# Aids\n\nThese can help:\n" + items)
    assert len(corpus.passages) > 10
    assert corpus.passages[0].text.startswith("These can help:\n\u2022 point number 0")
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in corpus.passages)
    assert sum(len(p.items) for p in corpus.passages) == 2_000


def test_a_section_of_thousands_of_passages_gives_each_a_bounded_context(tmp_path):
    """The index's section-context field must not hold the whole section for every passage:
    a 1 MB one-line file (hundreds of passages in one section) would index the section once
    per passage, hundreds of megabytes, and never finish."""
    from spms_search.index import CONTEXT_CHARS, _documents

    words = [f"word{i}" for i in range(120_000)]
    corpus, _ = timed_ingest(tmp_path, "line.txt", " ".join(words) + "\n")
    documents = list(_documents(corpus))
    assert len(documents) == len(corpus.passages) > 300
    for doc in documents:
        assert len(doc["context"]) <= CONTEXT_CHARS and doc["text"] in doc["context"]
        assert doc["context"].startswith(" ".join(doc["headings"]))
    assert sum(len(d["context"]) for d in documents) < 10 * len(" ".join(words))
