"""Analysis: the word forms a question and a passage must share to meet."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spms_search.analysis import (
    chained_text_analyzer,
    chained_word_analyzer,
    compute_stem,
    indexed_words,
    stem,
    terms,
    text_analyzer,
    word_analyzer,
    word_spans,
    words,
)
from spms_search.compiled import bundled_tables as load_tables
from spms_search.vocabulary import parse_vocabulary

from .conftest import CORPUS, DATA


@pytest.mark.parametrize("asked,written", [
    ("getting worse", "get worse"),          # Whoosh's Porter left "getting" as "gett"
    ("how long does it take", "it took 20 years"),
    ("progressing slowly", "slow progression"),
    ("symptoms steadily worse", "steady worsening"),
    ("my feet", "unsteadiness on your foot"),
    ("legs getting weaker", "muscle weakness"),
])
def test_a_word_meets_its_other_forms(asked, written):
    assert set(terms(asked)) & set(terms(written)) - {"symptom", "wors", "worsen"}


@pytest.mark.parametrize("a,b", [("general", "generous"), ("news", "new"), ("early", "ear"),
                                 ("family", "fami"), ("belly", "bell"), ("number", "numb"),
                                 ("no longer", "how long")])
def test_words_that_only_look_alike_stay_apart(a, b):
    assert terms(a) != terms(b)


def test_a_vocabulary_phrase_that_would_collapse_to_one_word_is_refused():
    # "turn into" is indexed as plain "turn": the entry would make every "turn" a synonym
    with pytest.raises(ValueError, match="line 1: 'turn into' reads as the single word"):
        parse_vocabulary("turn into | change into\n")
    assert parse_vocabulary("come off | stop taking\n").expansions


# ------------------------------------------------- the query path's analysis equals the index's

_FRAGMENTS = [*"abcdeféèñ'’ʼ- .,?!\n\tAZ09", "colour", "don't", "MS's", "took", "O'Brien", "ﬁ",
              "Ｆｕｌｌ", "naïve", " the ", " of it ", "slowly", "’s", " a "]
_TEXT = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.characters()), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_plain_word_analysis_equals_the_index_analyzer(text):
    """`words`, `terms` and `word_spans` skip Whoosh's token chain for speed; the index is still
    built with it, so the two must agree on any text, or a question would miss its passage."""
    whoosh_words = [(t.text, t.startchar, t.endchar) for t in chained_word_analyzer()(text, chars=True)]
    assert words(text) == [w for w, _, _ in whoosh_words]
    assert word_spans(text) == [(compute_stem(w), start, end) for w, start, end in whoosh_words]
    assert terms(text) == [t.text for t in chained_text_analyzer()(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_analysing_a_text_again_gives_what_the_index_analyzer_gives(texts):
    """Tokens and whole texts are remembered (the same passages are analysed for every
    question): a second and third look, in any order, still equals Whoosh's chain."""
    for _round in range(3):
        for text in texts:
            chain = chained_word_analyzer()(text, chars=True)
            whoosh_words = [(t.text, t.startchar, t.endchar) for t in chain]
            assert word_spans(text) == [(compute_stem(w), start, end) for w, start, end in whoosh_words]
            assert terms(text) == [t.text for t in chained_text_analyzer()(text)]


def test_installing_a_new_spelling_table_is_seen_by_texts_already_analysed():
    import spms_search.analysis as analysis

    text = "The colour of a grey neuron"
    before = terms(text), word_spans(text)
    table = analysis.folded_forms()
    try:
        analysis.install_folded_forms({**table, "neuron": "relapse"})
        relapse = terms("relapse")
        assert terms(text)[-1:] == relapse and word_spans(text)[-1][0] == relapse[0] != before[0][-1]
    finally:
        analysis.install_folded_forms(table)
    assert (terms(text), word_spans(text)) == before


def test_plain_word_analysis_equals_the_index_analyzer_on_the_corpus_and_questions():
    texts = [p.read_text("utf-8") for p in CORPUS.rglob("*") if p.is_file()]
    tuning = [DATA / "dev_questions.jsonl", DATA / "validation_questions.jsonl",
              *sorted((DATA / "tuning").glob("*.jsonl"))]
    texts += [line for p in tuning for line in p.read_text("utf-8").splitlines()]
    for text in texts:
        for fast, chained in ((word_analyzer(), chained_word_analyzer()),
                              (text_analyzer(), chained_text_analyzer())):
            options = {"positions": True, "chars": True, "mode": "index"}
            assert _tokens(fast, text, options) == _tokens(chained, text, options)
        assert words(text) == [t.text for t in chained_word_analyzer()(text)]
        assert terms(text) == [t.text for t in chained_text_analyzer()(text)]


def _tokens(analyzer, text, options):
    """Everything a Whoosh field reads from each token (the token object itself is reused)."""
    names = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original", "mode", "removestops")
    return [tuple(getattr(t, name, None) for name in names) for t in analyzer(text, **options)]


_OPTIONS = st.fixed_dictionaries({}, optional={
    "positions": st.booleans(), "chars": st.booleans(), "keeporiginal": st.booleans(),
    "removestops": st.booleans(), "start_pos": st.integers(0, 5), "start_char": st.integers(0, 9),
    "tokenize": st.booleans(), "mode": st.sampled_from(["index", "query", ""]),
})


@settings(max_examples=500, deadline=None)
@given(_TEXT, _OPTIONS, st.booleans())
def test_the_one_pass_analyzer_yields_what_the_whoosh_chain_yields(text, options, stemmed):
    """The index is built with the one-pass analyzer; any difference from the chain of
    filters it replaces would change indexed terms, positions (phrases) or highlights."""
    fast, chained = ((text_analyzer(), chained_text_analyzer()) if stemmed
                     else (word_analyzer(), chained_word_analyzer()))
    assert _tokens(fast, text, options) == _tokens(chained, text, options)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.booleans())
def test_the_words_a_build_indexes_are_the_analyzer_s(text, stemmed):
    """A build indexes ``indexed_words`` (each token analysed once) in place of running
    the analyzer per field: the same words, positions numbered as the analyzer numbers them."""
    analyzer = text_analyzer() if stemmed else word_analyzer()
    for value in (text, f"{text}\n{text[::-1]}\n\nthe {text}"):  # analysed line by line
        expected = [(t.text, t.pos) for t in analyzer(value, positions=True, mode="index")]
        for _ in range(2):  # analysed, then remembered
            found, first = indexed_words(value, stemmed)
            assert [(w, first + i) for i, w in enumerate(found)] == expected


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(load_tables().stems.keys.words())) | st.text(max_size=12))
def test_a_stem_from_the_compiled_table_is_the_stemmer_s(word):
    assert stem(word) == compute_stem(word)


def test_the_compiled_stems_cover_the_vocabulary_and_common_words():
    stems = load_tables().stems
    assert len(stems) > 10_000
    for word in ("relapse", "relapses", "slowly", "siponimod", "physiotherapist", "getting"):
        assert stems.get(word) == compute_stem(word), word


_CUT_FRAGMENTS = [*"ab'’ʼ_1 .-é", "don't", "MS's", "’s", "O'Brien", " the ", "x''y"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_CUT_FRAGMENTS), st.characters()), max_size=20).map("".join),
       st.integers(-2, 40), st.integers(-2, 40))
@example("bax'yzzy qu", 4, 11)    # a cut just after an apostrophe inside a word
@example("bax'yzzy qu", 3, 11)    # just before it
@example("baxyzzy qu", 2, 10)     # inside a word
@example("baxyzzy qu", 0, 5)      # an end inside a word
@example("baxyzzy quux", 8, 12)   # clean cuts
def test_the_highlights_of_a_cut_of_a_text_are_the_highlights_of_the_cut(text, start, end):
    """A result's answer is highlighted from its passage's words: cutting them where no word
    runs across the cut must mark exactly what highlighting the cut text marks."""
    from spms_search.analysis import matched_spans
    from spms_search.answers import highlight_spans

    some = {t for i, (t, _, _) in enumerate(word_spans(text)) if i % 3 != 1}  # remembered first
    assert matched_spans(text, some) == highlight_spans(text, some)
    every = set(terms(text)) | set(terms(text[start:end]))
    for matched in (some, every):
        assert matched_spans(text, matched, start, end) == highlight_spans(text[start:end], matched)
