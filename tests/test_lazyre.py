"""Patterns compiled on first use, and guarded patterns that skip text they cannot match."""

import json
import re
from pathlib import Path

import pytest

from spms_search import answers, query
from spms_search.lazyre import GuardedPattern, lazy_pattern
from spms_search.sentences import split_units

DATA = Path(__file__).parent / "data"
QUESTION_FILES = [DATA / "dev_questions.jsonl", DATA / "validation_questions.jsonl",
                  *sorted((DATA / "tuning").glob("*.jsonl"))]

GUARDED = [
    *(("definition", p) for p in query._DEFINITION_RES),
    *((kind, p) for kind, p in query._EXPECTED_RES),
    ("focus", query._FOCUS_RE),
    ("second question", query._SECOND_QUESTION_RE),
    ("scaffolding", query._SCAFFOLD_PHRASE_RE),
    ("tell", query._TELL_RE),
    ("given for", query._GIVEN_FOR_RE),
    ("quoted", query._QUOTED_RE),
    ("person subject", query._PERSON_SUBJECT_RE),
    ("purpose", query._PURPOSE_RE),
    ("effect", query._EFFECT_RE),
    *((name, getattr(answers, name)) for name in (
        "_REFERS_BACK_RE", "_ANTICIPATORY_IT_RE", "_CONTRAST_RE", "_CONSEQUENCE_RE", "_REASON_RE",
        "_COMMENT_RE", "_CONNECTIVE_RE", "_CONTRAST_TAIL_RE")),
]
CORPUS = Path(__file__).parent.parent / "corpus"


def _texts() -> list[str]:
    texts = []
    for path in QUESTION_FILES:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                question = json.loads(line)["question"]
                texts += [question, question.casefold().replace("\u2019", "'")]
    # every sentence of the bundled corpus, as the answer picker meets them
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            texts += split_units(re.sub(r"<[^>]+>", "\n", path.read_text("utf-8", errors="replace")))
    texts += ["It is hard to tell", "THIS IS because", "\u0130t was", "So it's unlikely", "But Extavia",
              "That means", "Which means", "However,", "Such cases", "Their names"]
    # the few characters other than A-Z that re.IGNORECASE matches to a letter
    texts += ["How do I KNOW", "HOW LONG", "TELL ME", "\u0130S IT", "ho\u017fpital and what",
              "\u212anow", "ALZ AND WHY", "Let us know", "quick QUESTION about",
              'what is "secondary progressive"?', "\u201cactive\u201d SPMS"]
    return texts


def test_a_lazy_pattern_is_the_pattern_compiled_once():
    get = lazy_pattern(r"a+b", re.IGNORECASE)
    assert get() is get()
    assert get().pattern == "a+b" and get().flags & re.IGNORECASE


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


@pytest.mark.parametrize(("name", "pattern"), GUARDED, ids=[name for name, _ in GUARDED])
def test_a_guard_never_turns_away_a_text_its_pattern_matches(name, pattern):
    for text in _texts():
        if pattern.compiled.search(text) is not None:
            assert pattern.may_match(text), (name, text)
        assert _span(pattern.match(text)) == _span(pattern.compiled.match(text)), (name, text)
        assert _span(pattern.search(text)) == _span(pattern.compiled.search(text)), (name, text)
        found = [m.span() for m in pattern.finditer(text)]
        assert found == [m.span() for m in pattern.compiled.finditer(text)], (name, text)


def test_a_guarded_pattern_answers_as_re_does_without_a_match():
    pattern = GuardedPattern(r"\band\b", re.IGNORECASE, needs=("and",))
    assert pattern.search("or") is None and pattern.match("or") is None
    assert pattern.split("this or that", 1) == ["this or that"]
    assert pattern.sub("+", "this or that") == "this or that"
    assert list(pattern.finditer("this or that")) == []
    assert pattern.sub("+", "this AND that") == "this + that"
    assert pattern.split("this \u0130 AND that", 1) == ["this \u0130 ", " that"]


def test_text_that_sanitize_passes_as_printable_holds_nothing_it_would_change():
    from spms_search import render

    unsafe = render._unsafe_re()
    assert not [c for c in range(0x110000) if chr(c).isprintable() and unsafe.fullmatch(chr(c))]
    assert render._ANSI_RE.needs == ("\x1b",) and render._ANSI_RE.compiled.pattern.startswith("\\x1b")
