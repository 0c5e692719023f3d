"""The stems of the corpus's own words kept with the index (``index.write_corpus_stems``):
exactly the stemmer's, used only under the key of the code and data that computed them, and
sparing the Snowball import for a question whose words every table knows."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import spms_search
from spms_search import compiled
from spms_search.analysis import compute_stem, stem
from spms_search.compiled import bundled_key, bundled_tables
from spms_search.index import (
    CORPUS_STEMS,
    MARKER,
    SPELLING_WORDS,
    open_built_index,
    read_corpus_stems,
    read_spelling_words,
)

from .conftest import CORPUS, cli_env


def _generation(index_dir: Path) -> Path:
    return index_dir / json.loads((index_dir / MARKER).read_text())["current"]


def test_the_kept_stems_are_the_stemmer_s_for_every_word_of_the_corpus(index_dir):
    opened = open_built_index(corpus_dir=CORPUS, index_dir=index_dir)
    try:
        table = read_corpus_stems(opened)
        words = list(opened.ix.reader().field_terms("spell"))  # the reader the index keeps open
    finally:
        opened.ix.close()
    assert table is not None and len(table) > 0
    common = bundled_tables().stems
    for word in words:  # each corpus word is in one table or the other, with the stemmer's stem
        found = common.get(word) or table.get(word)
        assert found == compute_stem(word) == stem(word), word
    for word in table.keys.words():
        assert common.get(word) is None  # the compiled table's words are not repeated


def test_the_kept_stems_are_listed_and_checked_with_the_index_files(index_dir):
    manifest = json.loads((_generation(index_dir) / "manifest.json").read_text())
    assert CORPUS_STEMS in manifest["whoosh_files"] and CORPUS_STEMS in manifest["checksums"]


def test_stems_kept_under_another_key_are_not_used(index_dir, monkeypatch):
    """Another key: the stemmer's code or the data it reads changed since the build."""
    key, _table = pickle.loads((_generation(index_dir) / CORPUS_STEMS).read_bytes())
    assert key == bundled_key()
    opened = open_built_index(corpus_dir=CORPUS, index_dir=index_dir, auto_build=False)
    try:
        assert read_corpus_stems(opened) is not None
        monkeypatch.setattr(compiled, "bundled_key", lambda: "another key")
        assert read_corpus_stems(opened) is None
    finally:
        opened.ix.close()


def test_an_index_without_kept_stems_answers_the_same(tmp_path, index_dir):
    """An index built before the stems were kept: the words are stemmed as they are met."""
    args = [sys.executable, "-m", "spms_search", "search", "--json", "what is a dietitian?",
            "--corpus", str(CORPUS), "--index"]
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    with_stems = subprocess.run([*args, str(index_dir)], capture_output=True, text=True, timeout=120,
                                env=env)
    older = tmp_path / "older"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=older)
    (_generation(older) / CORPUS_STEMS).unlink()
    manifest_path = _generation(older) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["whoosh_files"][CORPUS_STEMS], manifest["checksums"][CORPUS_STEMS]
    manifest_path.write_text(json.dumps(manifest))
    marker = json.loads((older / MARKER).read_text())
    marker.pop("manifest_sha256")
    (older / MARKER).write_text(json.dumps(marker))
    without = subprocess.run([*args, str(older)], capture_output=True, text=True, timeout=120, env=env)
    assert with_stems.returncode == without.returncode == 0, (with_stems.stderr, without.stderr)
    assert "built the index" not in without.stderr  # the older index was used as it is
    assert with_stems.stdout == without.stdout


_PROBE = """
import sys
from spms_search.cli import main
try:
    main(["search", sys.argv[1], "--corpus", sys.argv[2], "--index", sys.argv[3]])
except SystemExit:
    pass
print("snowball" if "whoosh.lang.snowball" in sys.modules else "no snowball", file=sys.stderr)
"""


def _stemmer_imported(question: str, index_dir: Path, tmp_path: Path) -> bool:
    proc = subprocess.run([sys.executable, "-c", _PROBE, question, str(CORPUS), str(index_dir)],
                          capture_output=True, text=True, timeout=120,
                          env=cli_env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert proc.stdout, proc.stderr
    return proc.stderr.strip().splitlines()[-1] == "snowball"


def test_a_question_in_known_words_never_imports_the_stemmer(tmp_path, index_dir):
    _stemmer_imported("warm up", index_dir, tmp_path)  # the first run compiles the query data
    assert not _stemmer_imported("can I still get relapses?", index_dir, tmp_path)
    assert _stemmer_imported("can I still get zzqxrelapses?", index_dir, tmp_path)


def test_the_kept_spelling_words_are_every_segment_s_spelling_words(index_dir):
    """``spelling-words.txt`` holds exactly the sorted union of every segment's ``spell``
    terms (what typo correction searched before), and is listed and checked with the
    index files."""
    opened = open_built_index(corpus_dir=CORPUS, index_dir=index_dir)
    try:
        kept = read_spelling_words(opened)
        merged: set[str] = set()
        for leaf, _base in opened.ix.reader().leaf_readers():
            merged.update(leaf.field_terms("spell"))
    finally:
        opened.ix.close()
    assert kept is not None and len(kept) > 100
    assert kept == sorted(merged)
    manifest = json.loads((_generation(index_dir) / "manifest.json").read_text())
    assert SPELLING_WORDS in manifest["whoosh_files"] and SPELLING_WORDS in manifest["checksums"]


def test_typo_correction_is_the_same_with_or_without_the_kept_spelling_words(index_dir):
    """An index without the kept list (built before it was kept) has the spelling words
    merged from its segments: the same corrections either way."""
    from spms_search.search import Searcher

    opened = open_built_index(corpus_dir=CORPUS, index_dir=index_dir)
    searcher = Searcher(opened)
    try:
        lexicon = searcher.rewriter.lexicon
        typos = ["sterods", "relapes", "diagnozed", "physiotherapy", "mobilty", "fatigeu"]
        with_list = [lexicon.spelling_candidates(w, 2) for w in typos]
        lexicon._spelling = None
        lexicon._stored_spelling = lambda: None
        without = [lexicon.spelling_candidates(w, 2) for w in typos]
    finally:
        searcher.close()
    assert with_list == without and any(with_list)
