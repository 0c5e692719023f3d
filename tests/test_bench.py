"""The bench's own code: Cranfield parsers, growth fitting and synthetic corpora."""

from __future__ import annotations

import math

import pytest

from bench import cranfield
from bench.run import fit_exponent, imports_beyond, percentile
from bench.synthetic import make_corpus, make_queries

DOCS = """.I 1
.T
flow past a plate .
.A
smith,j.
.B
j. ae. 1958.
.W
flow past a plate .
  the flow was measured .
.I 2
.T
heat transfer .
.W
heat transfer in slabs .
"""

QUERIES = """.I 001
.W
what is flow
past a plate .
.I 004
.W
heat problems .
"""

QRELS = "1 1 2\n1 2 4\n2 2 -1\n2 1 1\n"


def test_documents_keep_title_and_published_abstract():
    docs = cranfield.parse_documents(DOCS)
    assert [d.doc_id for d in docs] == ["1", "2"]
    assert docs[0].title == "flow past a plate."
    assert docs[0].text == "flow past a plate. the flow was measured."


def test_queries_are_renumbered_in_file_order():
    assert cranfield.parse_queries(QUERIES) == [("1", "what is flow past a plate."), ("2", "heat problems.")]


def test_codes_one_to_four_are_relevant_and_minus_one_is_not():
    assert cranfield.parse_qrels(QRELS) == {"1": {"1": 1, "2": 1}, "2": {"1": 1}}


def test_growth_exponent_of_a_power_law_is_its_power():
    xs = [1_000, 10_000, 100_000]
    assert fit_exponent(xs, [x**1.0 for x in xs]) == pytest.approx(1.0)
    assert fit_exponent(xs, [3 * x**0.5 for x in xs]) == pytest.approx(0.5)
    assert math.isnan(fit_exponent([5, 5], [1, 2]))


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 99) == 99 and percentile(values, 100) == 100


def test_synthetic_corpora_are_deterministic_and_sized(tmp_path):
    from spms_search.ingestion import ingest_corpus

    make_corpus(tmp_path / "a", 120)
    make_corpus(tmp_path / "b", 120)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_text() == (tmp_path / "b" / f).read_text() for f in files)
    assert len(ingest_corpus(tmp_path / "a").passages) == 120
    assert make_queries(5) == make_queries(5)


CISI_DOCS = (".I 1\r\n.T\r\nIndexing and retrieval\r\n.A\r\nSmith, J.\r\n.W\r\nOn indexing .\r\n"
             ".X\r\n1\t5\t1\r\n.I 2\r\n.T\r\nLibraries\r\n.W\r\nPublic libraries .\r\n")


def test_smart_records_keep_cross_references_out_of_the_text():
    from bench import medcisi
    docs = medcisi.parse_documents(CISI_DOCS)
    assert [(d.doc_id, d.title, d.text) for d in docs] == [
        ("1", "Indexing and retrieval", "On indexing."), ("2", "Libraries", "Public libraries.")]


def test_med_and_cisi_judgments_read_their_own_columns():
    from bench import medcisi
    assert medcisi.parse_qrels("1 13 1\r\n1 14 1\r\n2 3 1\r\n", 1) == {"1": {"13": 1, "14": 1}, "2": {"3": 1}}
    assert medcisi.parse_qrels("     1     28\t0\t0.000000\r\n", 1) == {"1": {"28": 1}}


def test_the_imports_row_lists_only_what_the_floor_does_not_import():
    extra = imports_beyond("import json", "import json, csv", repeats=1)
    assert "csv" in extra and "_csv" in extra
    assert "json" not in extra and "json.decoder" not in extra
    assert all(t >= 0 for t in extra.values())


def test_synthetic_corpora_can_hold_few_passages_a_file(tmp_path):
    from spms_search.ingestion import ingest_corpus

    make_corpus(tmp_path, 10, per_file=2)
    assert len(list(tmp_path.iterdir())) == 5
    assert len(ingest_corpus(tmp_path).passages) == 10


def test_the_incremental_row_measures_a_rebuild_of_the_edited_files_run_only(tmp_path, monkeypatch):
    from bench.rebuild import bench_incremental
    from spms_search import segments

    monkeypatch.setattr(segments, "MIN_GROUP_BYTES", 0)  # a few KiB: grouped by file count alone
    [(figure, value, reference, _goal)] = bench_incremental(9, 1, 2, tmp_path)
    assert figure == "One edited file in a 9-file corpus"
    assert "3 of 9 files indexed again" in value  # three runs of three files: one is rebuilt
    assert "full build of the same 72 passages" in reference and "ratio" in reference


def test_a_growth_row_gives_the_build_beside_plain_whoosh_on_the_same_passages(tmp_path):
    from bench.run import bench_growth

    rows = bench_growth([20], 1, tmp_path)
    label, value, reference, _goal = rows[0]
    assert label == "Growth 20 passages" and value.startswith("build ")
    assert "plain Whoosh builds the same passages in" in reference and "x;" in reference
