"""The index: build aside and swap, staleness, faults, refusal to destroy data, locking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import spms_search
from spms_search.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexNotWritableError,
    UnsafeIndexLocationError,
)
from spms_search.index import MARKER, index_lock, open_built_index

from .conftest import CORPUS, ROOT


def current_generation(index_dir: Path) -> str:
    return json.loads((index_dir / MARKER).read_text())["current"]


def test_build_reports_documents_sections_and_passages(tmp_path):
    stats = spms_search.build_index(CORPUS, tmp_path / "ix")
    assert (stats.documents, stats.sections, stats.passages) == (1, 12, 28)
    assert stats.seconds > 0
    assert (tmp_path / "ix" / MARKER).is_file()


def test_rebuild_swaps_generations_and_keeps_only_the_previous_one(tmp_path):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    first = current_generation(ix)
    spms_search.build_index(CORPUS, ix)
    second = current_generation(ix)
    spms_search.build_index(CORPUS, ix)
    third = current_generation(ix)
    assert len({first, second, third}) == 3
    gens = sorted(p.name for p in ix.iterdir() if p.name.startswith("gen-"))
    assert gens == [second, third]
    assert not [p for p in ix.iterdir() if p.name.startswith(".build-")]


def test_a_reader_opened_before_a_rebuild_keeps_answering(tmp_path):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    with spms_search.open_index(ix, CORPUS) as searcher:
        spms_search.build_index(CORPUS, ix)
        spms_search.build_index(CORPUS, ix)
        assert searcher.search("steroids")[0].heading == "Steroids"


def test_a_missing_index_is_built_on_first_use(tmp_path):
    with spms_search.open_index(tmp_path / "new", CORPUS) as searcher:
        assert searcher.rebuilt
        assert searcher.search("HSCT")[0].heading == "HSCT"


def test_a_changed_corpus_triggers_a_rebuild_and_new_text_is_found(tmp_path, corpus_copy):
    ix = tmp_path / "ix"
    spms_search.build_index(corpus_copy, ix)
    (corpus_copy / "extra.md").write_text("# Fampridine\n\nFampridine can help walking speed.\n")
    with spms_search.open_index(ix, corpus_copy) as searcher:
        assert searcher.rebuilt
        assert searcher.search("fampridine")[0].heading == "Fampridine"


def test_touching_a_file_without_changing_it_does_not_rebuild(tmp_path, corpus_copy):
    ix = tmp_path / "ix"
    spms_search.build_index(corpus_copy, ix)
    page = corpus_copy / "secondary-progressive-ms.html"
    os.utime(page, (time.time() + 5, time.time() + 5))
    with spms_search.open_index(ix, corpus_copy) as searcher:
        assert not searcher.rebuilt


def test_an_index_from_another_schema_is_rebuilt(tmp_path):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    manifest = ix / current_generation(ix) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["schema"] = "old"
    manifest.write_text(json.dumps(data))
    with spms_search.open_index(ix, CORPUS) as searcher:
        assert searcher.rebuilt


@pytest.mark.parametrize("damage", ["truncate", "delete", "garbage-marker"])
def test_a_damaged_index_is_detected_and_repaired(tmp_path, damage):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    gen = ix / current_generation(ix)
    segment = max((p for p in gen.iterdir() if p.suffix != ".json"), key=lambda p: p.stat().st_size)
    if damage == "truncate":
        segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])
    elif damage == "delete":
        segment.unlink()
    else:
        (ix / MARKER).write_text("{not json")
    if damage != "garbage-marker":
        with pytest.raises(IndexCorruptError, match="spms-search rebuild"):
            open_built_index(CORPUS, ix, auto_build=False).ix.close()
    with spms_search.open_index(ix, CORPUS) as searcher:
        assert searcher.rebuilt
        assert searcher.search("steroids")[0].heading == "Steroids"


def test_without_auto_build_a_missing_index_is_an_error(tmp_path):
    with pytest.raises(IndexMissingError):
        open_built_index(CORPUS, tmp_path / "none", auto_build=False)


def test_rebuild_refuses_a_folder_holding_other_files_and_touches_nothing(tmp_path):
    precious = tmp_path / "mydocs"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"irreplaceable")
    with pytest.raises(UnsafeIndexLocationError, match="refusing"):
        spms_search.build_index(CORPUS, precious)
    with pytest.raises(UnsafeIndexLocationError):
        spms_search.open_index(precious, CORPUS)
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.docx"]
    assert (precious / "thesis.docx").read_bytes() == b"irreplaceable"


def test_rebuild_accepts_an_empty_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert spms_search.build_index(CORPUS, empty).passages == 28


def test_an_unwritable_location_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(IndexNotWritableError, match="--index"):
        spms_search.build_index(CORPUS, blocker / "ix")


def test_a_stale_index_that_cannot_be_rebuilt_still_answers_with_a_warning(
        tmp_path, corpus_copy, monkeypatch):
    ix = tmp_path / "ix"
    spms_search.build_index(corpus_copy, ix)
    (corpus_copy / "extra.md").write_text("# New\n\nNew text.\n")
    from spms_search import index as index_module

    def refuse(*args, **kwargs):
        raise IndexNotWritableError("cannot write the index (read-only): pass --index DIR")

    monkeypatch.setattr(index_module, "_rebuild_if_stale", refuse)
    with spms_search.open_index(ix, corpus_copy) as searcher:
        assert "corpus has changed" in searcher.stale_warning
        assert searcher.search("steroids")[0].heading == "Steroids"


def test_two_rebuilds_at_once_are_serialised_by_the_lock(tmp_path):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    with index_lock(ix):
        started = time.monotonic()
        with pytest.raises(IndexBusyError, match="still running"):
            spms_search.build_index(CORPUS, ix, lock_timeout=0.3)
        assert time.monotonic() - started >= 0.3


READER = textwrap.dedent(
    """
    import sys, spms_search
    from spms_search.index import open_built_index
    corpus, index, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    failures = 0
    for i in range(rounds):
        try:
            with spms_search.open_index(index, corpus) as s:
                r = s.search("can I still get relapses?")
                if not r or r[0].section != "can-you-still-get-relapses-with-secondary-progressive-ms-spms":
                    failures += 1
        except Exception as err:
            failures += 1
            print(repr(err), file=sys.stderr)
    print(failures)
    """
)


@pytest.mark.slow
def test_readers_in_other_processes_never_fail_while_the_index_is_rebuilt(tmp_path):
    ix = tmp_path / "ix"
    spms_search.build_index(CORPUS, ix)
    script = tmp_path / "reader.py"
    script.write_text(READER)
    readers = [
        subprocess.Popen([sys.executable, str(script), str(CORPUS), str(ix), "60"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    rebuilds = 0
    while any(r.poll() is None for r in readers) and rebuilds < 200:
        spms_search.build_index(CORPUS, ix)
        rebuilds += 1
    outputs = [r.communicate(timeout=120) for r in readers]
    assert rebuilds >= 3
    for out, err in outputs:
        assert out.strip() == "0", err
