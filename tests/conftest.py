"""Shared fixtures: one index of the bundled corpus, built once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Importing the package reads, and at exit writes, the kept table of what its modules
# compile (compiled.KeptTable) in the cache folder: point that at a private folder before
# the first import, so that no test run reads or writes the developer's cache. (The table
# is written at exit before this folder is removed: exit functions run last-in first-out.)
_TEST_CACHE = tempfile.mkdtemp(prefix="spms-search-tests-")
atexit.register(shutil.rmtree, _TEST_CACHE, True)
os.environ["XDG_CACHE_HOME"] = _TEST_CACHE

import spms_search  # noqa: E402 - after the cache folder is set
from spms_search.search import Response, Searcher  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_TXT = ROOT.parent / "shared" / "secondary-progressive-ms.txt"
DATA = Path(__file__).resolve().parent / "data"
#: Why a test is a known miss since the fifteenth session's refit (README, known misses).
REFIT = "known miss (README, fifteenth session): the refitted answer-or-decline model "
#: Why a test is a known miss since the sixteenth session's refit (README, known misses).
REFIT16 = "known miss (README, sixteenth session): the answer-or-decline model refitted on 13,153 questions "

HEADINGS = [
    "Secondary progressive MS (SPMS)",
    "How is secondary progressive MS (SPMS) diagnosed?",
    "What sort of changes happen when you move from relapsing to secondary progressive MS (SPMS)?",
    "Can you still get relapses with secondary progressive MS (SPMS)?",
    "What comes after secondary progressive MS (SPMS)?",
    "Managing secondary progressive MS (SPMS)",
    "Wellbeing and rehabilitation",
    "Steroids",
    "Disease modifying therapies",
    "HSCT",
    "Drugs now in trials",
    "What support can I get?",
]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's environment or writes to their cache or checkout index."""
    for name in ("SPMS_SEARCH_CORPUS", "SPMS_SEARCH_INDEX", "SPMS_SEARCH_VOCABULARY", "NO_COLOR",
                 "FORCE_COLOR", "SPMS_SEARCH_BASE_URL", "SPMS_SEARCH_CORS_ORIGIN",
                 "SPMS_SEARCH_WATCH_SECONDS", "SPMS_SEARCH_BUILD_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(scope="session")
def shared_txt() -> Path:
    if not SHARED_TXT.is_file():
        pytest.skip(f"the published text is not at {SHARED_TXT}")
    return SHARED_TXT


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "ix"
    spms_search.build_index(CORPUS, path)
    return path


@pytest.fixture(scope="session")
def searcher(index_dir: Path) -> Iterator[Searcher]:
    with spms_search.open_index(index_dir, CORPUS) as s:
        yield s


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def answered_from(searcher: Searcher, question: str, section: str) -> Response:
    """The response to ``question``, which must be answered with ``section`` first."""
    response = searcher.ask(question)
    assert not response.declined, f"declined ({response.confidence:.2f}): {question}"
    assert response.results[0].section == section, (response.results[0].section, question)
    return response


def neither_declined_nor_from(searcher: Searcher, question: str, section: str) -> None:
    """``question`` is declined or answered from another section than ``section``."""
    response = searcher.ask(question)
    assert response.declined or response.results[0].section != section, (section, question)


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPMS_SEARCH_")}
    env.update(extra)
    return env


def installed_exe() -> str:
    """The ``spms-search`` console script of this environment; skip where it is not installed."""
    found = shutil.which("spms-search", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("spms-search is not installed as a console script in this environment")
    return found

#: Behaviour tests whose outcome the question-text decision changed (eighteenth session;
#: README "Known misses", docs/ranking.md), read from ``data/question_text_changes.tsv``:
#: each runs as a strict xfail that says what the engine now does and did before, so that a
#: change that mends one is seen. Among them are confident answers to questions the page does
#: not answer, kept in view rather than hidden.
def _question_text_changes() -> dict[tuple[str, str], str]:
    rows = (line.rstrip("\n").split("\t") for line in
            (DATA / "question_text_changes.tsv").read_text("utf-8").splitlines(keepends=True)
            if line.strip() and not line.startswith("#"))
    return {(name, test): why for name, test, why in rows}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    changed = _question_text_changes()
    for item in items:
        why = changed.get((item.path.name, item.name))
        if why is not None:
            reason = "known miss (question-text decision): " + why
            # raises: a crash is a defect, not the known miss
            item.add_marker(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
