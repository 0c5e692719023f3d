"""The index folder: a killed build or a lost marker never wedges it, and nothing of the user's is deleted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import spms_search
from spms_search import index as index_module
from spms_search.cli import main
from spms_search.errors import UnsafeIndexLocationError
from spms_search.index import MARKER, index_lock

from .conftest import CORPUS, ROOT

KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    from spms_search import index

    real = index._write_whoosh

    def write_then_die(*args):
        real(*args)                             # a real, half-finished build folder
        os.kill(os.getpid(), signal.SIGKILL)    # no finally block, no clean-up

    index._write_whoosh = write_then_die
    index.build_index(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
    """
)


KILLED_WHILE_WRITING = textwrap.dedent(
    """
    import os, signal, sys
    from spms_search import index

    real = index._documents

    def documents_then_die(corpus):
        for n, doc in enumerate(real(corpus)):
            if n == 10:                         # mid-way: Whoosh's scratch folder exists
                os.kill(os.getpid(), signal.SIGKILL)
            yield doc

    index._documents = documents_then_die
    index.build_index(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
    """
)


def kill_a_build(tmp_path: Path, index: Path, script_text: str = KILLED_BUILD) -> None:
    script = tmp_path / "killed.py"
    script.write_text(script_text)
    proc = subprocess.run([sys.executable, str(script), str(CORPUS), str(index)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == -9, proc.stderr


def leftovers(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith(".build-"))


def test_a_first_build_killed_midway_does_not_wedge_the_folder(tmp_path):
    index = tmp_path / "ix"
    kill_a_build(tmp_path, index)
    assert leftovers(index) and not (index / MARKER).exists()
    with spms_search.open_index(index_dir=index, corpus_dir=CORPUS) as searcher:
        assert searcher.rebuilt
        assert searcher.search("steroids")[0].heading == "Steroids"
    assert leftovers(index) == []


def test_a_first_build_killed_while_whoosh_is_writing_does_not_wedge_the_folder(tmp_path):
    index = tmp_path / "ix"
    kill_a_build(tmp_path, index, KILLED_WHILE_WRITING)
    (build,) = [p for p in index.iterdir() if p.name.startswith(".build-")]
    # Whoosh's temporary folder, one per writing process (segments.BuildStorage.temp_storage)
    (scratch,) = [p.name for p in build.iterdir() if p.is_dir()]
    assert re.fullmatch(r"MAIN\.\d+\.tmp", scratch), scratch
    with spms_search.open_index(index_dir=index, corpus_dir=CORPUS) as searcher:
        assert searcher.rebuilt and searcher.search("HSCT")[0].heading == "HSCT"
    assert leftovers(index) == []


def test_a_rebuild_killed_midway_is_cleaned_up_by_the_next_rebuild_at_once(tmp_path):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    kill_a_build(tmp_path, index)
    assert leftovers(index)
    result = CliRunner().invoke(main, ["rebuild", "--corpus", str(CORPUS), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert leftovers(index) == []


def test_an_index_whose_marker_was_deleted_is_rebuilt_not_refused(tmp_path):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    (index / MARKER).unlink()
    with spms_search.open_index(index_dir=index, corpus_dir=CORPUS) as searcher:
        assert searcher.rebuilt and searcher.search("HSCT")[0].heading == "HSCT"
    (index / MARKER).unlink()
    assert spms_search.build_index(corpus_dir=CORPUS, index_dir=index).passages == 28


def test_rebuild_never_deletes_user_folders_named_like_its_own(tmp_path):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    for name in ("gen-old", "gen-000099", ".build-notes", ".build-" + "a" * 32):
        (index / name).mkdir()
        (index / name / "thesis.docx").write_bytes(b"irreplaceable")
    for _ in range(3):
        spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    for name in ("gen-old", "gen-000099", ".build-notes", ".build-" + "a" * 32):
        assert (index / name / "thesis.docx").read_bytes() == b"irreplaceable"


def test_without_a_marker_a_look_alike_user_folder_is_still_refused(tmp_path):
    """A guard on the fix above: recognising leftovers must not widen what counts as ours."""
    index = tmp_path / "ix"
    (index / "gen-000001").mkdir(parents=True)
    (index / "gen-000001" / "notes.txt").write_text("mine")
    with pytest.raises(UnsafeIndexLocationError, match="gen-000001"):
        spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    assert (index / "gen-000001" / "notes.txt").read_text() == "mine"


def test_a_dangling_build_symlink_neither_breaks_a_rebuild_nor_is_removed(tmp_path):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    link = index / (".build-" + "b" * 32)
    link.symlink_to(tmp_path / "nowhere")
    result = CliRunner().invoke(main, ["rebuild", "--corpus", str(CORPUS), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()


def test_readers_waiting_for_a_rebuild_do_not_rebuild_again(tmp_path, corpus_copy):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus_copy, index_dir=index)
    (corpus_copy / "extra.md").write_text("# Fampridine\n\nFampridine can help walking speed.\n")
    opened: list[bool] = []

    def reader() -> None:
        with spms_search.open_index(index_dir=index, corpus_dir=corpus_copy) as searcher:
            opened.append(searcher.search("fampridine")[0].heading == "Fampridine")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    with index_lock(index):  # another process is rebuilding: the readers queue on the lock
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        index_module._build_locked(corpus_copy.absolute(), index, None)  # the rebuild they need
    for thread in threads:
        thread.join(60)
    assert opened == [True] * 4
    assert json.loads((index / MARKER).read_text())["current"] == "gen-000002"  # not gen-000006
