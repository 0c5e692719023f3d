"""The corpus scanner: any file name, link or special file costs at most one safe warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import spms_search
from spms_search import ingestion
from spms_search.cli import main
from spms_search.ingestion import ingest_corpus

from .conftest import cli_env

PAGE = "# Cooling\n\nA cooling vest can help when heat makes symptoms worse.\n"


def corpus_with(tmp_path: Path, **files: bytes) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "page.md").write_text(PAGE)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return corpus


def test_a_file_name_that_is_not_utf8_costs_nothing(tmp_path):
    corpus = corpus_with(tmp_path)
    with open(os.fsencode(corpus) + b"/caf\xe9-fatigue.md", "wb") as handle:
        handle.write(b"# Fatigue\n\nPacing yourself helps with fatigue.\n")
    results = spms_search.search("pacing fatigue", index_dir=tmp_path / "ix", corpus_dir=corpus)
    assert results[0].document == "caf\\xe9-fatigue.md"
    json.dumps([r.to_dict() for r in results]).encode("utf-8")  # storable and printable
    proc = subprocess.run([sys.executable, "-m", "spms_search", "search", "pacing fatigue",
                           "--index", str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=120, env=cli_env(), cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_symlink_loop_and_a_fifo_are_skipped_with_a_warning_not_a_crash_or_hang(tmp_path):
    corpus = corpus_with(tmp_path)
    (corpus / "loop.md").symlink_to(corpus / "loop.md")
    (corpus / "a.md").symlink_to(corpus / "b.md")
    (corpus / "b.md").symlink_to(corpus / "a.md")
    os.mkfifo(corpus / "pipe.md")
    outcome: list[ingestion.Corpus] = []
    worker = threading.Thread(target=lambda: outcome.append(ingest_corpus(corpus)), daemon=True)
    worker.start()
    worker.join(60)
    assert outcome, "the build hung on the FIFO"
    corpus_read = outcome[0]
    warned = {w.document: w.message for w in corpus_read.warnings}
    assert "loop" in warned["loop.md"] and "loop" in warned["a.md"]
    assert "not a regular file" in warned["pipe.md"]
    assert corpus_read.documents == ["page.md"]


HOSTILE = "evil\x1b]0;owned\x07\x1b[2J\u202egpj\nline.md"


def test_escape_sequences_bidi_and_newlines_in_file_names_never_reach_the_output(tmp_path):
    corpus = corpus_with(tmp_path)
    (corpus / HOSTILE).write_text("Pacing yourself helps with fatigue and heat.\n")
    (corpus / ("empty\x1b[31m\n.md")).write_text("")
    index = tmp_path / "ix"
    runner = CliRunner()
    rebuilt = runner.invoke(main, ["rebuild", "--corpus", str(corpus), "--index", str(index)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "empty\\x1b[31m\\x0a.md: skipped: empty file" in rebuilt.output
    for args in (["search", "--limit", "1", "pacing fatigue"], ["sections"],
                 ["search", "--json", "pacing fatigue"], ["info"]):
        result = runner.invoke(main, [*args, "--index", str(index)])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    sections = runner.invoke(main, ["sections", "--index", str(index)]).output
    document_lines = [line for line in sections.splitlines() if not line.startswith(" ")]
    assert document_lines == ["evil\\x1b]0;owned\\x07\\x1b[2J\\u202egpj\\x0aline.md", "page.md"]
    answer = runner.invoke(main, ["search", "--json", "pacing fatigue", "--index", str(index)])
    data = json.loads(answer.output)
    assert data["results"][0]["heading"] == "evil\\x1b]0;owned\\x07\\x1b[2J\\u202egpj\\x0aline"


def test_a_file_edited_during_a_rebuild_is_noticed_by_the_next_query(tmp_path, monkeypatch):
    corpus = corpus_with(tmp_path)
    index = tmp_path / "ix"
    real = ingestion.read_corpus_file

    def read_then_edit(file, *args):
        read = real(file, *args)
        if file.relpath == "page.md":  # the user saves a new version just after it was read
            file.path.write_text(PAGE + "\nFampridine can help walking speed.\n")
        return read

    monkeypatch.setattr(ingestion, "read_corpus_file", read_then_edit)
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    monkeypatch.setattr(ingestion, "read_corpus_file", real)
    with spms_search.open_index(index_dir=index) as searcher:
        assert searcher.rebuilt
        assert searcher.search("fampridine walking", min_confidence=0)


def test_an_article_header_is_content_but_the_page_header_is_furniture(tmp_path):
    page = (
        "<html><body><header><nav><a href='/'>Home</a></nav><p>Site tagline</p></header>"
        "<article><header><h1>Heat and MS</h1><p>Heat can make symptoms worse for a while.</p>"
        "</header><h2>Cooling</h2><p>A cooling vest can help.</p></article></body></html>"
    )
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "heat.html").write_text(page)
    read = ingest_corpus(corpus)
    texts = [p.text for p in read.passages]
    assert "Heat can make symptoms worse for a while." in texts
    assert read.passages[0].headings == ("Heat and MS",)
    assert not any("tagline" in t for t in texts)
