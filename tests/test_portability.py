"""Portability: the rebuild lock without fcntl, and the platform's own cache folder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import spms_search
from spms_search import locations, locking
from spms_search.errors import IndexBusyError

from .conftest import CORPUS, ROOT, cli_env

WITHOUT_FCNTL = textwrap.dedent(
    """
    import sys
    sys.modules["fcntl"] = None            # as on Windows, or a sandbox without it
    import spms_search
    from spms_search.errors import IndexBusyError
    from spms_search.index import index_lock
    corpus, index = sys.argv[1], sys.argv[2]
    stats = spms_search.build_index(corpus_dir=corpus, index_dir=index)
    with spms_search.open_index(index_dir=index) as searcher:
        assert searcher.search("steroids")[0].heading == "Steroids"
    with index_lock(__import__("pathlib").Path(index)):
        try:
            spms_search.build_index(index_dir=index, lock_timeout=0.2)
        except IndexBusyError:
            print("busy")
    spms_search.build_index(index_dir=index)
    print(stats.passages)
    """
)


def test_building_searching_and_locking_work_without_fcntl(tmp_path):
    script = tmp_path / "nofcntl.py"
    script.write_text(WITHOUT_FCNTL)
    proc = subprocess.run([sys.executable, str(script), str(CORPUS), str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["busy", "28"]


def test_the_owner_file_lock_excludes_a_second_holder_and_is_released(tmp_path):
    with locking.index_lock(tmp_path, 1, portable_only=True):
        assert (tmp_path / locking.OWNER_NAME).read_text() != ""
        started = time.monotonic()
        with pytest.raises(IndexBusyError), locking.index_lock(tmp_path, 0.2, portable_only=True):
            pass
        assert time.monotonic() - started >= 0.2
    assert not (tmp_path / locking.OWNER_NAME).exists()
    with locking.index_lock(tmp_path, 1, portable_only=True):
        pass


def test_an_owner_file_left_by_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    (tmp_path / locking.OWNER_NAME).write_text(dead.stdout.strip())
    done = threading.Event()

    def hold() -> None:
        with locking.index_lock(tmp_path, 5, portable_only=True):
            done.set()

    worker = threading.Thread(target=hold)
    worker.start()
    worker.join(10)
    assert done.is_set()


def test_an_index_folder_with_a_leftover_owner_file_is_still_ours(tmp_path):
    index = tmp_path / "ix"
    index.mkdir()
    (index / locking.OWNER_NAME).write_text("999999999")
    assert spms_search.build_index(corpus_dir=CORPUS, index_dir=index).passages == 28


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("linux", {}, Path.home() / ".cache"),
    ("darwin", {}, Path.home() / "Library" / "Caches"),
    ("win32", {"LOCALAPPDATA": "C:/Users/me/AppData/Local"}, Path("C:/Users/me/AppData/Local")),
    ("win32", {"XDG_CACHE_HOME": "/x/cache"}, Path("/x/cache")),
])
def test_the_default_index_lives_in_the_platform_cache_folder(monkeypatch, platform, env, expected):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(locations.sys, "platform", platform)
    index = locations.default_index_dir(Path("/somewhere/corpus"))
    assert index.parent == expected / "spms-search"
