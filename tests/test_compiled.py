"""The compiled query data (``compiled.py``): an edit to a data file is always seen, a damaged
cache file is never trusted, and what is loaded is exactly what parsing gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spms_search import compiled
from spms_search.compiled import DATA_DIR, cached, parse_frequencies
from spms_search.english import WordTable, is_english_word, zipf
from spms_search.vocabulary import load_vocabulary, parse_vocabulary

from .conftest import CORPUS, cli_env


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


class Counter:
    """A build function that says how often it ran."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def _only_file(cache_home: Path) -> Path:
    files = list((cache_home / "spms-search" / "compiled").glob("*.pickle"))
    assert len(files) == 1, files
    return files[0]


def test_a_second_load_reads_the_cache_instead_of_parsing(cache_home):
    build = Counter({"a": 1})
    assert cached([("data x", b"one")], build, dict) == {"a": 1}
    assert cached([("data x", b"one")], build, dict) == {"a": 1}
    assert build.calls == 1


def test_changed_content_of_the_same_size_is_a_new_build(cache_home):
    first, second = Counter({"v": 1}), Counter({"v": 2})
    assert cached([("data x", b"aaaa")], first, dict) == {"v": 1}
    assert cached([("data x", b"aaab")], second, dict) == {"v": 2}  # same size, other content
    assert cached([("data x", b"aaaa")], Counter({"v": 3}), dict) == {"v": 1}
    assert (first.calls, second.calls) == (1, 1)


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "altered value", "garbage", "empty",
                                    "other key"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(cache_home, damage):
    inputs = [("data x", b"content")]
    build = Counter({"good": True})
    cached(inputs, build, dict)
    path = _only_file(cache_home)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        path.write_bytes(data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:])
    elif damage == "altered value":  # still a valid pickle: only the checksum tells
        assert data.count(b"good") == 1
        path.write_bytes(data.replace(b"good", b"gooe"))
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a valid file, but made for other inputs and copied under this name
        other = Counter({"good": False})
        cached([("data y", b"else")], other, dict)
        other_path = next(p for p in path.parent.glob("*.pickle") if p != path)
        shutil.copyfile(other_path, path)
    assert cached(inputs, build, dict) == {"good": True}
    assert build.calls == 2
    assert cached(inputs, build, dict) == {"good": True}  # rebuilt in place: read again
    assert build.calls == 2


def test_an_unwritable_cache_folder_falls_back_to_parsing(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    build = Counter([1, 2])
    assert cached([("data x", b"1")], build, list) == [1, 2]
    assert cached([("data x", b"1")], build, list) == [1, 2]
    assert build.calls == 2
    assert blocker.read_text() == "a file where the cache folder would go"


def test_old_cache_files_are_pruned(cache_home):
    for n in range(compiled.KEEP_FILES + 5):
        cached([("data x", str(n).encode())], Counter(n), int)
    files = list((cache_home / "spms-search" / "compiled").glob("*.pickle"))
    assert len(files) == compiled.KEEP_FILES


def test_the_loaded_vocabulary_is_what_parsing_the_file_gives():
    parsed = parse_vocabulary((DATA_DIR / "vocabulary.txt").read_text("utf-8"))
    loaded = load_vocabulary()
    assert loaded == parsed
    assert loaded.drug_names() == parsed.drug_names()
    assert loaded.narrower(("dmt",)) == parsed.narrower(("dmt",))
    assert loaded.phrases_with(["secondari", "progress"]) == parsed.phrases_with(["secondari", "progress"])


def test_the_word_table_gives_every_listed_frequency_and_nothing_else():
    table = parse_frequencies((DATA_DIR / "english_frequency.txt").read_text("utf-8"))
    words = WordTable(table)
    assert len(words) == len(table) > 40_000
    assert all(words.get(w) == z for w, z in table.items())
    for missing in ("", "zzqx", "aaaaaa", "\uffff", "siponimod", "a" * 50):
        assert words.get(missing) is None and missing not in words
    assert is_english_word("balance") and not is_english_word("siponimod")
    assert zipf("worries") == max(table["worries"], table["worry"])


# --------------------------------------------------------------------------- real processes

PROBE = """
import json, sys
from pathlib import Path
import spms_search.compiled as compiled
compiled.DATA_DIR = Path(sys.argv[1])
from spms_search.english import is_english_word
from spms_search.vocabulary import load_vocabulary
vocab = load_vocabulary()
print(json.dumps({"zzqa": [e.text for e in vocab.expansions.get(("zzqa",), [])],
                  "english": is_english_word("zzqword")}))
"""


def _probe(data: Path, env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(data)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def _edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_an_edited_data_file_is_seen_by_the_next_process(tmp_path):
    """A user edits vocabulary.txt (or the word list) in place, even keeping its size and time:
    the next start must use the edit, not the compiled copy of the old file."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "vocabulary.txt", "a", encoding="utf-8") as handle:
        handle.write("\nzzqa | relapse\n")
    with open(data / "english_frequency.txt", "a", encoding="utf-8") as handle:
        handle.write("\n1.00\tzzqxxxx\n")
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert _probe(data, env) == {"zzqa": ["relapse"], "english": False}
    assert list((tmp_path / "cache" / "spms-search" / "compiled").glob("*.pickle"))  # compiled
    assert _probe(data, env) == {"zzqa": ["relapse"], "english": False}  # from the cache
    _edit_keeping_size_and_time(data / "vocabulary.txt", "zzqa | relapse", "zzqa | symptom")
    _edit_keeping_size_and_time(data / "english_frequency.txt", "zzqxxxx", "zzqword")
    assert _probe(data, env) == {"zzqa": ["symptom"], "english": True}


def test_a_corrupt_compiled_file_does_not_change_the_answer(tmp_path, index_dir):
    """Through the real command: answers from a garbled cache file equal answers from none."""
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    args = [sys.executable, "-m", "spms_search", "search", "--json", "--limit", "3",
            "is there a drug for active SPMS?", "--corpus", str(CORPUS), "--index", str(index_dir)]
    first = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    for path in (tmp_path / "cache" / "spms-search" / "compiled").glob("*.pickle"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3] + b"\x00" * (len(data) - len(data) // 3))
    again = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert again.stdout == first.stdout


def test_an_edited_vocabulary_file_changes_the_next_answer(tmp_path, index_dir):
    """The user-visible case: SPMS_SEARCH_VOCABULARY edited between two questions."""
    vocabulary = tmp_path / "vocabulary.txt"
    vocabulary.write_text("zzqa | relapse\n", "utf-8")
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"), SPMS_SEARCH_VOCABULARY=str(vocabulary))
    args = [sys.executable, "-m", "spms_search", "search", "--json", "--limit", "1",
            "can people with SPMS still have zzqa?", "--corpus", str(CORPUS), "--index", str(index_dir)]
    before = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["results"][0]["heading"].startswith("Can you still get relapses")
    _edit_keeping_size_and_time(vocabulary, "zzqa", "kkwm")
    after = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert after.returncode == 1, after.stderr  # "zzqa" means nothing now: declined
    assert json.loads(after.stdout)["results"] == []


def test_an_install_without_source_files_still_starts(cache_home, tmp_path, monkeypatch):
    """Some packagers ship bytecode only: the key then rests on the data and the versions."""
    monkeypatch.setattr(compiled, "PACKAGE_DIR", tmp_path / "no-sources")
    build = Counter({"ok": 1})
    assert cached([("data x", b"1")], build, dict) == {"ok": 1}
    assert cached([("data x", b"1")], build, dict) == {"ok": 1}
    assert build.calls == 1


def test_the_bundled_model_is_loaded_from_the_cache_exactly_as_parsed(cache_home):
    from spms_search import answerability

    text = (DATA_DIR / "answerability.json").read_text("utf-8")
    answerability.load_model.cache_clear()
    try:
        first = answerability.load_model()  # parsed, then stored
        stored = _only_file(cache_home)
        answerability.load_model.cache_clear()
        again = answerability.load_model()  # read from the stored file
    finally:
        answerability.load_model.cache_clear()
    parsed = answerability.parse_model(text)
    assert again.bar == first.bar == parsed.bar and again.trees == parsed.trees and stored.exists()
    evidence = [0.6, 0.5, 0.1, 0.0, 0.0, 0.3, 0.8, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 2.0]
    assert again.trees is not None and again.trees.log_odds(evidence) == parsed.trees.log_odds(evidence)
