"""An index knows its corpus: reopening it needs no --corpus, and naming another is never silent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import spms_search
from spms_search.cli import main
from spms_search.errors import CorpusMismatchError, IndexMissingError
from spms_search.index import MARKER

from .conftest import CORPUS, cli_env

FAMPRIDINE = "# Fampridine\n\nFampridine can help walking speed in some people.\n"


def generation(index_dir: Path) -> str:
    return json.loads((index_dir / MARKER).read_text())["current"]


@pytest.fixture()
def own(tmp_path: Path) -> tuple[Path, Path]:
    """A user's own one-page corpus and an index built from it."""
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "walking.md").write_text(FAMPRIDINE)
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    return corpus, index


def test_an_index_reopened_without_a_corpus_answers_from_its_own_corpus(own):
    corpus, index = own
    with spms_search.open_index(index_dir=index) as searcher:
        assert not searcher.rebuilt
        assert Path(searcher.corpus_dir) == corpus
        assert searcher.search("fampridine", min_confidence=0)[0].heading == "Fampridine"
    assert spms_search.search("fampridine walking", index_dir=index)[0].document == "walking.md"


def test_the_old_positional_forms_mean_what_they_meant(own):
    corpus, index = own
    with spms_search.open_index(index) as searcher:  # open_index(index_dir, corpus_dir)
        assert Path(searcher.corpus_dir) == corpus and not searcher.rebuilt
    assert spms_search.build_index(corpus, index).corpus_dir == str(corpus)
    with pytest.raises(TypeError, match="both"):
        spms_search.open_index(index, index_dir=index)


def test_naming_another_corpus_never_rebuilds_the_index_from_it(own, monkeypatch):
    corpus, index = own
    before = generation(index)
    with pytest.raises(CorpusMismatchError, match="built from the corpus") as caught:
        spms_search.open_index(index_dir=index, corpus_dir=CORPUS)
    assert str(corpus) in str(caught.value) and "rebuild --corpus" in str(caught.value)
    monkeypatch.setenv("SPMS_SEARCH_CORPUS", str(CORPUS))
    with pytest.raises(CorpusMismatchError):
        spms_search.open_index(index_dir=index)
    assert generation(index) == before
    monkeypatch.delenv("SPMS_SEARCH_CORPUS")
    assert spms_search.search("fampridine walking", index_dir=index)[0].heading == "Fampridine"


def test_a_copy_of_the_corpus_is_used_but_the_switch_is_said(own, tmp_path):
    corpus, index = own
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    with spms_search.open_index(index_dir=index, corpus_dir=copy) as searcher:
        assert not searcher.rebuilt
        assert searcher.corpus_note is not None and str(corpus) in searcher.corpus_note


def test_rebuild_without_a_corpus_uses_the_recorded_one_and_replacing_it_is_said(own):
    corpus, index = own
    (corpus / "more.md").write_text("# Cooling\n\nA cooling vest can help with heat.\n")
    stats = spms_search.build_index(index_dir=index)
    assert stats.corpus_dir == str(corpus) and stats.documents == 2
    replaced = spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    assert any("replaced the index of corpus" in w for w in replaced.warnings)
    assert spms_search.index_info(index_dir=index).corpus_dir == str(CORPUS)


def test_index_info_says_which_corpus_when_and_how_much(own):
    corpus, index = own
    info = spms_search.index_info(index_dir=index)
    assert (info.corpus_dir, info.index_dir) == (str(corpus), str(index))
    assert (info.documents, info.sections, info.passages) == (1, 1, 1)
    assert info.stale is None and info.built_at.startswith("20")
    (corpus / "walking.md").write_text(FAMPRIDINE + "\nMore text about walking aids.\n")
    assert "changed" in (spms_search.index_info(index_dir=index).stale or "")


def test_index_info_of_a_missing_index_is_an_error_that_names_the_fix(tmp_path):
    with pytest.raises(IndexMissingError, match="spms-search rebuild"):
        spms_search.index_info(index_dir=tmp_path / "none")


def test_build_warnings_are_kept_for_info(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.md").write_text(FAMPRIDINE)
    (corpus / "empty.md").write_text("")
    spms_search.build_index(corpus_dir=corpus, index_dir=tmp_path / "ix")
    assert any("empty.md" in w for w in spms_search.index_info(index_dir=tmp_path / "ix").warnings)


# --------------------------------------------------------------------------- command line


def test_cli_reopens_a_custom_index_with_its_own_corpus(own):
    _corpus, index = own
    runner = CliRunner()
    result = runner.invoke(main, ["search", "--index", str(index), "fampridine walking"])
    assert result.exit_code == 0, result.output
    assert "Fampridine" in result.output and "built the index" not in result.output
    refused = runner.invoke(main, ["search", "--index", str(index), "--corpus", str(CORPUS), "steroids"])
    assert refused.exit_code == 2 and "built from the corpus" in refused.output
    assert len(refused.output.strip().splitlines()) == 1


def test_cli_info_prints_corpus_index_and_counts(own):
    corpus, index = own
    result = CliRunner().invoke(main, ["info", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert f"corpus    {corpus}" in result.output
    assert "1 documents, 1 sections, 1 passages" in result.output and "up to date" in result.output
    data = json.loads(CliRunner().invoke(main, ["info", "--json", "--index", str(index)]).output)
    assert data["corpus_dir"] == str(corpus) and data["passages"] == 1
    missing = CliRunner().invoke(main, ["info", "--index", str(index.parent / "none")])
    assert missing.exit_code == 3 and "spms-search rebuild" in missing.output


def test_a_real_process_reopens_the_custom_index_and_says_what_it_uses(tmp_path):
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "walking.md").write_text(FAMPRIDINE)
    index = tmp_path / "ix"
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "spms_search"]
    build = subprocess.run([*cmd, "rebuild", "--corpus", str(corpus), "--index", str(index)],
                           capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    ask = subprocess.run([*cmd, "search", "--json", "--index", str(index), "fampridine walking"],
                         capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["results"][0]["document"] == "walking.md"
    info = subprocess.run([*cmd, "info", "--index", str(index)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert info.returncode == 0 and str(corpus) in info.stdout
