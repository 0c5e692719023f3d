"""Output that cannot be written, and a Searcher used after close: one line, the documented code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import spms_search
from spms_search.errors import EXIT_OUTPUT, SearcherClosedError

from .conftest import CORPUS, cli_env


def test_a_closed_searcher_raises_the_package_error_not_whoosh_internals(index_dir):
    searcher = spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS)
    searcher.close()
    for use in (lambda: searcher.search("steroids"), lambda: searcher.ask("steroids"),
                lambda: searcher.section_passages(searcher.sections[0])):
        with pytest.raises(SearcherClosedError, match="open_index"):
            use()


def run_cli(tmp_path, index_dir, **streams):
    return subprocess.run(
        [sys.executable, "-m", "spms_search", "search", "steroids", "--corpus", str(CORPUS),
         "--index", str(index_dir)],
        stderr=subprocess.PIPE, text=True, timeout=120, env=cli_env(), cwd=tmp_path, **streams)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_output_device_is_reported_with_the_output_exit_code(tmp_path, index_dir):
    with open("/dev/full", "w") as full:
        proc = run_cli(tmp_path, index_dir, stdout=full)
    assert proc.returncode == EXIT_OUTPUT, proc.stderr
    assert "could not write the output (No space left on device)" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="closing fd 1 is a POSIX shell idiom")
def test_a_closed_standard_output_is_reported_not_silently_lost(tmp_path, index_dir):
    proc = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m spms_search search steroids --corpus "{CORPUS}" '
                     f'--index "{index_dir}" >&-'],
        stderr=subprocess.PIPE, text=True, timeout=120, env=cli_env(), cwd=tmp_path)
    assert proc.returncode == EXIT_OUTPUT, proc.stderr
    assert "standard output is closed" in proc.stderr


def test_a_bug_while_answering_is_an_internal_error_not_advice_to_rebuild(index_dir, monkeypatch):
    from spms_search.errors import InternalError

    search_module = sys.modules["spms_search.search"]  # the package's `search` is the function

    def buggy(*args, **kwargs):
        raise KeyError("a code bug")

    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as searcher:
        monkeypatch.setattr(search_module, "rank", buggy)
        with pytest.raises(InternalError, match="please report") as caught:
            searcher.ask("steroids")
        assert "rebuild" not in str(caught.value) and caught.value.exit_code == 70


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_vocabulary_file_that_never_ends_is_refused_at_once(tmp_path, index_dir):
    env = {**cli_env(), "SPMS_SEARCH_VOCABULARY": "/dev/zero"}
    proc = subprocess.run(
        [sys.executable, "-m", "spms_search", "search", "steroids", "--corpus", str(CORPUS),
         "--index", str(index_dir)],
        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "not a regular file" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_an_oversized_vocabulary_file_is_refused(tmp_path, index_dir, monkeypatch):
    from spms_search.errors import VocabularyError
    from spms_search.vocabulary import MAX_VOCABULARY_BYTES, _load, load_vocabulary
    big = tmp_path / "vocabulary.txt"
    big.write_bytes(b"a | b\n" * (MAX_VOCABULARY_BYTES // 6 + 2))
    monkeypatch.setenv("SPMS_SEARCH_VOCABULARY", str(big))
    _load.cache_clear()
    with pytest.raises(VocabularyError, match="larger than"):
        load_vocabulary()
