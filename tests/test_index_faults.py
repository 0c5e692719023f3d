"""Damage and faults: corrupt content is detected by checksum, OS faults name the folder."""

from __future__ import annotations

import errno
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import spms_search
from spms_search import corpus as corpus_module
from spms_search import index as index_module
from spms_search.cli import main
from spms_search.errors import (
    CorpusError,
    IndexCorruptError,
    IndexNotWritableError,
    SpmsSearchError,
)
from spms_search.index import MARKER, open_built_index

from .conftest import CORPUS


def build(tmp_path: Path) -> tuple[Path, Path]:
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=CORPUS, index_dir=index)
    gen = index / json.loads((index / MARKER).read_text())["current"]
    return index, gen


def biggest_segment(gen: Path) -> Path:
    return max((p for p in gen.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)


def test_a_zeroed_segment_of_the_right_size_is_detected_and_repaired(tmp_path):
    index, gen = build(tmp_path)
    segment = biggest_segment(gen)
    segment.write_bytes(bytes(segment.stat().st_size))
    with pytest.raises(IndexCorruptError, match="checksum"):
        open_built_index(corpus_dir=CORPUS, index_dir=index, auto_build=False)
    with spms_search.open_index(index_dir=index) as searcher:
        assert searcher.rebuilt
        assert searcher.search("steroids")[0].heading == "Steroids"


def test_random_bytes_at_random_offsets_are_always_detected(tmp_path):
    index, gen = build(tmp_path)
    segment = biggest_segment(gen)
    original = segment.read_bytes()
    rng = random.Random(15)
    for _ in range(25):
        damaged = bytearray(original)
        offset = rng.randrange(len(damaged) - 16)
        damaged[offset:offset + 16] = bytes(rng.randrange(256) for _ in range(16))
        if damaged == original:
            continue
        segment.write_bytes(damaged)
        with pytest.raises(IndexCorruptError):
            open_built_index(corpus_dir=CORPUS, index_dir=index, auto_build=False)
    segment.write_bytes(original)
    open_built_index(corpus_dir=CORPUS, index_dir=index, auto_build=False).ix.close()


@pytest.mark.parametrize("fix_checksum", [False, True])
def test_a_manifest_with_malformed_sections_is_detected_not_a_crash(tmp_path, fix_checksum):
    index, gen = build(tmp_path)
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["sections"] = [{"document": "x"}, "not a section"]
    raw = json.dumps(manifest).encode()
    (gen / "manifest.json").write_bytes(raw)
    if fix_checksum:  # someone edited both: the shape check still catches it
        marker = json.loads((index / MARKER).read_text())
        marker["manifest_sha256"] = __import__("hashlib").sha256(raw).hexdigest()
        (index / MARKER).write_text(json.dumps(marker))
    with pytest.raises(IndexCorruptError, match="manifest"):
        open_built_index(corpus_dir=CORPUS, index_dir=index, auto_build=False)
    result = CliRunner().invoke(main, ["sections", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "Steroids" in result.output


def test_the_english_word_list_is_part_of_the_index_fingerprint(monkeypatch, tmp_path):
    before = index_module.schema_fingerprint()
    for name in index_module.ANALYSIS_DATA:
        (tmp_path / name).write_bytes((index_module.DATA_DIR / name).read_bytes())
    with (tmp_path / "english_frequency.txt").open("ab") as handle:
        handle.write(b"7.0\tnewword\n")
    monkeypatch.setattr(index_module, "DATA_DIR", tmp_path)
    index_module._analysis_data_digest.cache_clear()
    try:
        assert index_module.schema_fingerprint() != before
    finally:
        monkeypatch.undo()
        index_module._analysis_data_digest.cache_clear()
    assert index_module.schema_fingerprint() == before


def test_a_full_disk_during_the_commit_is_an_index_error_and_the_old_index_still_answers(
        tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus_copy, index_dir=index)
    (corpus_copy / "extra.md").write_text("# Cooling\n\nA cooling vest can help.\n")
    from whoosh.writing import SegmentWriter

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def broken_cancel(self, *args, **kwargs):
        raise ValueError("I/O operation on closed file")  # what Whoosh does after a failed commit

    # a segment is finished by _finalize_segment (what commit calls; a build calls it
    # without commit, so that segments written side by side list none of one another)
    monkeypatch.setattr(SegmentWriter, "_finalize_segment", full)
    monkeypatch.setattr(SegmentWriter, "cancel", broken_cancel)
    with pytest.raises(IndexNotWritableError, match="No space left"):
        spms_search.build_index(corpus_dir=corpus_copy, index_dir=index)
    with spms_search.open_index(index_dir=index) as searcher:
        assert "No space left" in (searcher.stale_warning or "")
        assert searcher.search("steroids")[0].heading == "Steroids"
    assert not [p for p in index.iterdir() if p.name.startswith(".build-")]


def test_an_over_long_index_path_is_one_index_error(tmp_path):
    too_long = tmp_path / ("a" * 300) / "ix"
    with pytest.raises(IndexNotWritableError):
        spms_search.build_index(corpus_dir=CORPUS, index_dir=too_long)
    with pytest.raises(SpmsSearchError):
        spms_search.open_index(index_dir=too_long, corpus_dir=CORPUS)
    result = CliRunner().invoke(main, ["search", "steroids", "--index", str(too_long)])
    assert result.exit_code == 3, result.output
    assert len(result.output.strip().splitlines()) == 1 and "too long" in result.output


def test_an_unreadable_corpus_folder_with_a_fresh_index_still_answers(tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus_copy, index_dir=index)
    real = corpus_module.os.listdir

    def denied(path="."):
        if Path(path) == corpus_copy:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(corpus_module.os, "listdir", denied)
    with spms_search.open_index(index_dir=index) as searcher:
        assert not searcher.rebuilt
        assert searcher.search("steroids")[0].heading == "Steroids"
    with pytest.raises(CorpusError, match="cannot read the corpus folder"):
        spms_search.build_index(corpus_dir=corpus_copy, index_dir=index)


def test_an_index_folder_that_cannot_be_read_is_one_index_error_not_a_bare_oserror(tmp_path, monkeypatch):
    index, _gen = build(tmp_path)
    real = Path.read_bytes

    def denied(self):
        if self.name == MARKER:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(IndexNotWritableError, match="Permission denied"):
        spms_search.open_index(index_dir=index, corpus_dir=CORPUS)
    result = CliRunner().invoke(main, ["search", "steroids", "--index", str(index), "--corpus", str(CORPUS)])
    assert result.exit_code == 3 and "cannot use the index folder" in result.output
