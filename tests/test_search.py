"""Search: the right passage for real questions, answers, errors and thread safety."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import spms_search
from spms_search.errors import QueryError
from spms_search.search import MAX_LIMIT, Response, Result

from .conftest import CORPUS

WELLBEING = "wellbeing-and-rehabilitation"
RELAPSES = "can-you-still-get-relapses-with-secondary-progressive-ms-spms"
DMT = "disease-modifying-therapies"

# (question, the section that must come first, text the answer sentence must contain)
QUESTIONS = [
    ("can I still get relapses?", RELAPSES, "occasional relapse"),
    ("is there a drug for active SPMS?", DMT, None),
    ("who helps with balance problems?", WELLBEING, "unsteadiness on your feet"),
    ("Mayzent", DMT, "siponimod (Mayzent)"),
    ("how are relapses treated with steroids", "steroids", "treated with steroids"),
    ("stem cell transplant", "hsct", "stem cell therapy"),
    ("where can I download the booklet", "what-support-can-i-get", "booklet"),
    ("should I see a dietitian?", WELLBEING, "dietician"),
    ("what comes after secondary progressive MS", "what-comes-after-secondary-progressive-ms-spms", None),
    ("why was Extavia withdrawn", DMT, "not because of any safety issues"),  # "why": the reason
    ("help with money", "what-support-can-i-get", "financial support"),
    ("clinical trials", "drugs-now-in-trials", "being tested"),
]


@pytest.mark.parametrize("question,section,answer", QUESTIONS)
def test_real_questions_find_the_right_section_first(searcher, question, section, answer):
    results = searcher.search(question)
    assert results, f"no answer for {question!r}"
    top = results[0]
    assert top.section == section
    assert top.answer in top.text
    if answer:
        assert answer in top.answer


def test_results_carry_heading_path_document_and_rank(searcher):
    results = searcher.search("who helps with balance problems?", limit=3)
    top = results[0]
    assert top.headings == ("Secondary progressive MS (SPMS)",
                            "Managing secondary progressive MS (SPMS)",
                            "Wellbeing and rehabilitation")
    assert top.heading == "Wellbeing and rehabilitation"
    assert top.document == "secondary-progressive-ms.html"
    assert [r.rank for r in results] == list(range(1, len(results) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(results))


def test_a_bullet_is_the_answer_when_a_bullet_answers(searcher):
    top = searcher.search("occupational therapist adjustments at home")[0]
    assert top.answer == ("an occupational therapist can help make adjustments around home or "
                          "work to make things easier.")


def test_result_is_frozen_and_serialises_to_the_json_contract(searcher):
    top = searcher.search("HSCT")[0]
    assert isinstance(top, Result)
    with pytest.raises(AttributeError):
        top.rank = 9  # type: ignore[misc]
    data = top.to_dict()
    assert list(data)[:8] == ["rank", "score", "document", "heading", "headings", "section", "text", "answer"]
    assert isinstance(data["headings"], list)


def test_a_typo_is_corrected_and_suggested(searcher):
    response = searcher.ask("steriods for relapes")
    assert response.suggestion == "steroids for relapses"
    assert response.results[0].section == "steroids"


def test_quoted_phrases_must_match_as_phrases(searcher):
    assert searcher.search('"stem cell therapy"')[0].section == "hsct"
    assert searcher.search('"therapy stem cell"') == []
    assert searcher.search('"therapy stem cell."') == []  # a period closing the quote ends no sentence


@pytest.mark.parametrize("question", [
    "\u201cCan I still get relapses once my MS is secondary progressive?\u201d",
    '"can I still get relapses with SPMS"',  # a question pasted whole
    'My nurse said "you can still get the odd relapse with secondary progressive MS". Is that true?',
])
def test_a_quoted_question_or_sentence_is_read_as_words_not_as_one_phrase(searcher, question):
    # a whole question pasted in quotes, or a sentence someone said: no passage holds it word
    # for word, and as a phrase it found nothing at all
    response = searcher.ask(question, min_confidence=0.0)
    assert response.results[0].section == "can-you-still-get-relapses-with-secondary-progressive-ms-spms"


def test_a_question_pasted_in_quotes_is_answered_as_without_them(searcher):
    question = "Can I still get relapses once my MS is secondary progressive?"
    quoted = searcher.ask(f"\u201c{question}\u201d")
    assert not quoted.declined and quoted.results[0].answer == searcher.ask(question).results[0].answer


def test_questions_the_page_cannot_answer_get_no_results(searcher):
    for question in ("how do I renew my passport", "best pizza recipe", "is MS contagious"):
        response = searcher.ask(question)
        assert response.results == [] and response.declined
        assert response.browse, "a person is offered headings to browse instead"


def test_common_words_do_not_outvote_the_word_that_picks_the_section(searcher):
    top = searcher.search("secondary progressive MS symptoms and steroids")[0]
    assert top.section == "steroids"


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_an_empty_question_is_an_input_error(searcher, question):
    with pytest.raises(QueryError, match="empty"):
        searcher.search(question)


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_an_input_error(searcher, limit):
    with pytest.raises(QueryError, match="at least 1"):
        searcher.search("relapses", limit=limit)


def test_a_huge_limit_is_clamped(searcher, monkeypatch):
    # the page has fewer passages than MAX_LIMIT: a smaller clamp shows that one happens
    monkeypatch.setattr(sys.modules["spms_search.search"], "MAX_LIMIT", 3)
    assert len(searcher.search("MS", limit=10**9, min_confidence=0)) == 3
    assert MAX_LIMIT == 100


def test_a_question_of_only_question_words_finds_nothing(searcher):
    assert searcher.search("what is it?") == []


def test_the_one_call_api_works_from_explicit_paths(index_dir):
    results = spms_search.search("can I still get relapses?", limit=2, index_dir=index_dir,
                                 corpus_dir=CORPUS)
    assert len(results) == 2 and results[0].section == RELAPSES


def test_sections_and_show_come_from_the_index(searcher):
    assert len(searcher.sections) == 12
    steroids = searcher.find_section("Steroids")
    assert steroids is not None and steroids.section == "steroids"
    assert searcher.find_section("steroids") == steroids
    assert searcher.section_passages(steroids)[0].startswith("If you have secondary progressive MS")
    assert searcher.find_section("no such heading") is None


def test_one_searcher_is_safe_to_share_between_threads(searcher):
    questions = [q for q, _, _ in QUESTIONS]
    expected = {q: [r.to_dict() for r in searcher.search(q)] for q in questions}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(offset: int) -> int:
        barrier.wait()
        checked = 0
        for i in range(60):
            q = questions[(i + offset) % len(questions)]
            if [r.to_dict() for r in searcher.search(q)] != expected[q]:
                errors.append(AssertionError(q))
            checked += 1
        return checked

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(worker, range(8)))
    assert sum(counts) == 480 and not errors


def test_a_fresh_searcher_in_many_threads_gives_the_same_answers(index_dir):
    with spms_search.open_index(index_dir, CORPUS) as fresh, ThreadPoolExecutor(6) as pool:
        tops = list(pool.map(lambda q: fresh.search(q)[0].section,
                             ["stem cell transplant"] * 12 + ["Mayzent"] * 12))
    assert tops == ["hsct"] * 12 + [DMT] * 12


def test_real_english_words_are_never_corrected_into_corpus_words(searcher):
    plan = searcher.ask("I feel so alone with this").plan
    assert plan.corrections == {}
    assert searcher.ask("how much does it cost").suggestion is None


def test_a_brand_name_reaches_its_drug_class_through_the_generic_name(searcher):
    plan = searcher.rewrite("is Ocrevus used for secondary progressive MS")
    ocrevus = next(g for g in plan.groups if g.text == "ocrevus")
    texts = {a.text: a.kind for a in ocrevus.alternatives}
    assert texts["ocrelizumab"] == "expansion"
    assert texts["disease modifying therapy"] == "related"


def test_a_vocabulary_phrase_never_spans_or_and_punctuation(searcher):
    groups = [g.text for g in searcher.rewrite("is it a relapse or my MS progressing").groups]
    assert "relapse" in groups and "relapse ms" not in groups
    groups = [g.text for g in searcher.rewrite("relapsing MS").groups]
    assert groups == ["relapsing ms"]


@pytest.mark.parametrize("question", ["is MS contagious", "can I get pregnant with SPMS",
                                      "my husband wants to know about passport renewal"])
def test_a_rare_word_the_corpus_never_uses_makes_the_engine_decline(searcher, question):
    assert searcher.ask(question).declined


def test_family_and_time_words_of_a_long_question_do_not_sink_it(searcher):
    question = ("my mum was diagnosed with relapsing remitting MS about 15 years ago and recently "
                "her neurologist said she may have moved to secondary progressive, can she still "
                "get relapses?")
    response = searcher.ask(question)
    assert not response.declined
    assert response.results[0].section == RELAPSES


@pytest.mark.parametrize("question,defining", [
    ("what does SPMS mean", "Secondary progressive MS (SPMS) is a stage of MS"),
    ("what is HSCT?", "HSCT is a kind of stem cell therapy."),
    ("what does 'active' mean", "'Active' here means your immune system"),
    ("what is neurodegeneration", "(\u2018neurodegeneration\u2019)"),
])
def test_a_what_is_question_is_answered_by_the_sentence_that_defines_it(searcher, question, defining):
    response = searcher.ask(question)
    assert response.plan.definition is not None
    assert defining in response.results[0].answer


@pytest.mark.parametrize("question", ["what is the difference between SPMS and PPMS",
                                      "what is best for fatigue", "can I still work"])
def test_questions_that_ask_more_than_a_definition_are_not_read_as_one(searcher, question):
    assert searcher.rewrite(question).definition is None


def test_a_vocabulary_entry_said_apart_still_counts(searcher):
    plan = searcher.rewrite("treatment for an MS attack")
    combined = [g for g in plan.groups if g.combined]
    assert combined and "steroids" in {a.text for g in combined for a in g.alternatives}
    assert searcher.search("treatment for an MS attack")[0].section == "steroids"


def test_a_combined_group_never_changes_the_confidence(searcher):
    response = searcher.ask("how are relapses treated")
    plan = response.plan
    assert any(g.combined for g in plan.groups)
    plain = type(plan)(plan.question, plan.cleaned, [g for g in plan.groups if not g.combined])
    from spms_search.scoring import rank
    assert rank(searcher.stats, plain, 1)[0].coverage == pytest.approx(response.evidence.coverage)


def test_an_everyday_phrase_the_vocabulary_knows_is_not_weighed_as_everyday(searcher):
    # "come off" is two everyday words but means "discontinue": it picks the passage
    # about coming off a DMT over the section that merely names DMTs
    top = searcher.search("should I come off my disease modifying therapy now I have SPMS")[0]
    assert "coming off it" in top.answer


def test_peer_support_in_lay_words_finds_the_forum_and_local_groups(searcher):
    top = searcher.search("where can I talk to other people with MS")[0]
    assert top.section == "what-support-can-i-get" and "forum" in top.answer


def test_the_per_term_caches_of_an_open_index_stay_bounded(index_dir, monkeypatch):
    # a server answers thousands of different questions on one open index
    import spms_search.scoring as scoring
    monkeypatch.setattr(scoring, "TERM_CACHE_LIMIT", 40, raising=False)
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as fresh:
        for n in range(60):
            fresh.search(f"side effects of drug{n} and word{n} other{n * 7} for balance problems")
        stats = fresh.stats
        assert len(stats._df) <= 40 and len(stats._postings) <= 40 and len(stats._phrases) <= 40
        assert fresh.search("steroids")[0].heading == "Steroids"


def test_what_is_remembered_between_questions_never_changes_an_answer(index_dir):
    """Token terms, passage words, sentence terms and group statistics are remembered from
    question to question for speed: every question asked cold (all of that forgotten), then
    warm, then warm in reverse order gets the same response to the last highlight."""
    import json

    from spms_search import analysis, sentences
    from spms_search.evaluation import load_questions

    from .conftest import DATA

    questions = [q.question for q in load_questions(DATA / "dev_questions.jsonl")][:60]

    def forget() -> None:
        analysis._TOKEN_TERMS.clear()
        analysis._SPANS.clear()
        analysis.stem.cache_clear()
        sentences.unit_terms_of.cache_clear()
        sentences.unit_term_set_of.cache_clear()

    def asked(order):
        with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
            return {q: json.dumps(s.ask(q, limit=10).to_dict(), sort_keys=True) for q in order}

    cold = {}
    for q in questions:
        forget()
        cold.update(asked([q]))
    assert asked(questions) == cold
    assert asked(list(reversed(questions))) == cold


def test_skipping_candidates_that_cannot_reach_the_top_changes_no_ranking(searcher):
    """The second pass measures only the candidates that can still reach the top ``limit``
    (MaxScore-style): every dev question's top 1, 3, 5 and 10 are the head of the ranking
    of all ``rerank_depth`` candidates, where nothing can be skipped."""
    from spms_search.evaluation import load_questions
    from spms_search.scoring import rank

    from .conftest import DATA

    depth = searcher.stats.params.rerank_depth
    for q in load_questions(DATA / "dev_questions.jsonl"):
        plan = searcher.rewrite(q.question)
        everything = rank(searcher.stats, plan, depth)
        for limit in (1, 3, 5, 10):
            assert rank(searcher.stats, plan, limit) == everything[:limit], q.question


def test_passages_a_heading_match_cannot_lift_to_the_top_change_no_ranking(searcher, monkeypatch):
    """The first pass leaves out the heading match of passages that could not reach the
    best ``rerank_depth`` even with the largest share (``could_rank``): for every dev and
    validation question, at small depths (so that some are left out of this small
    corpus) and several limits, the ranking is the one made with every passage's match."""
    from spms_search import scoring
    from spms_search.evaluation import load_questions

    from .conftest import DATA

    questions = [q.question for f in ("dev_questions.jsonl", "validation_questions.jsonl")
                 for q in load_questions(DATA / f)]
    left_out = 0
    with_all = scoring.could_rank
    for depth in (1, 2, 4, 8):
        params = searcher.stats.params._replace(rerank_depth=depth)
        stats = scoring.IndexStatistics(searcher._opened.ix, params)
        for question in questions:
            plan = searcher.rewrite(question)
            for limit in (1, 3):
                monkeypatch.setattr(scoring, "could_rank", with_all)
                pruned = scoring.rank(stats, plan, limit)
                monkeypatch.setattr(scoring, "could_rank", lambda *args: None)
                assert pruned == scoring.rank(stats, plan, limit), (question, depth, limit)
            bm25, coverage = scoring.score_groups(stats, plan.groups)
            p = stats.params
            plain = {d: s * (p.coverage_base + coverage[d]) ** p.coverage_power
                     for d, s in bm25.items() if s > 0}
            kept = with_all(plain, depth, p.heading_bonus, scoring.query_term_weights(plan))
            left_out += len(plain) - len(kept) if kept is not None else 0
    assert left_out > 100


def _generated(cls: type) -> type:
    """``cls`` as plain ``@dataclass`` would make it: the reference for its written-out methods."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    fields = [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
              for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=params.frozen)


def test_the_result_classes_behave_as_the_dataclasses_they_are(searcher):
    """``Result``, ``SectionInfo`` and ``Response`` write out what ``@dataclass`` generates."""
    declined = searcher.ask("best pizza recipe")
    answered = searcher.ask("can I still get relapses?", explain=True)
    samples = [*answered.results, *declined.browse, answered, declined]
    for obj in samples:
        cls = type(obj)
        assert dataclasses.is_dataclass(cls)
        ref_cls = _generated(cls)
        values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)}
        ref = ref_cls(**values)
        assert repr(obj) == repr(ref)
        assert dataclasses.asdict(obj) == dataclasses.asdict(ref)
        assert obj == cls(**values) and obj != ref
        assert dataclasses.replace(obj) == obj
        frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert frozen == ref_cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        if frozen:
            assert hash(obj) == hash(ref)
            with pytest.raises(dataclasses.FrozenInstanceError):
                obj.section = "x"  # type: ignore[misc]
        else:
            with pytest.raises(TypeError):
                hash(obj)
        ref_sig, sig = inspect.signature(ref_cls), inspect.signature(cls)
        assert list(sig.parameters) == list(ref_sig.parameters)
        for name, param in sig.parameters.items():
            if ref_sig.parameters[name].default is not dataclasses.MISSING:
                assert repr(param.default) == repr(ref_sig.parameters[name].default), name
    bare = Response("q", [], answered.plan)
    ref = _generated(Response)("q", [], answered.plan)
    assert repr(bare) == repr(ref) and bare.browse == [] and bare.browse is not Response("q", [], None).browse


def _eager(result: Result) -> Result:
    """``result`` built through the public constructor, every field passed as a value."""
    return Result(**{f.name: getattr(result, f.name) for f in dataclasses.fields(Result)})


def test_answer_fields_worked_out_on_first_reading_are_those_of_the_result(index_dir):
    """A result picks its answer sentence and highlights when first read: the same values
    whichever field is read first, from any thread, after its Searcher closed, and through
    a pickle or a copy."""
    import copy
    import pickle

    question = "can I still get relapses?"
    with spms_search.open_index(index_dir, CORPUS) as s:
        reference = [_eager(r) for r in s.search(question, 10, min_confidence=0.0)]
        by_field = {name: s.search(question, 10, min_confidence=0.0)
                    for name in ("answer", "answer_span", "text_highlights", "answer_highlights")}
        shared = s.search(question, 10, min_confidence=0.0)
        pickled = pickle.loads(pickle.dumps(s.search(question, 10, min_confidence=0.0)))
        copied = copy.deepcopy(s.search(question, 10, min_confidence=0.0))
        after_close = s.search(question, 10, min_confidence=0.0)
    assert after_close == reference  # read only now, with the index closed
    for name, results in by_field.items():
        for got, want in zip(results, reference, strict=True):
            assert getattr(got, name) == getattr(want, name)
            assert got == want and got.to_dict() == want.to_dict() and repr(got) == repr(want)
    assert pickled == reference and copied == reference
    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda r: [(r.answer, r.answer_span, r.text_highlights, r.answer_highlights)
                                        for _ in range(50)], shared * 8))
    for values, want in zip(seen, reference * 8, strict=True):
        assert set(values) == {(want.answer, want.answer_span, want.text_highlights, want.answer_highlights)}
    assert Result.answer_span is None and Result.text_highlights == ()


def test_words_near_a_typo_are_the_ones_whooshs_levenshtein_automaton_finds(searcher):
    # the spelling words are found by their pieces, not by walking Whoosh's automaton over
    # every word (the slowest part of a question asked for the first time); both must agree
    import random

    from spms_search.search import _SortedTerms

    words: set[str] = set()
    for leaf, _base in searcher.stats.reader.leaf_readers():
        words.update(leaf.field_terms("spell"))
    terms = _SortedTerms(sorted(words))
    rng = random.Random(11)
    probes = ["a", "ab", "abc", "ms", "myelln", "steriods", "naïve", "sclérose", "physiotherapy"]
    for w in rng.sample(sorted(words), 60):
        i = rng.randrange(len(w))
        probes += [w, w[:i] + "x" + w[i + 1:], w[:i] + w[i + 1:], w + "es", "re" + w]
    for probe in probes:
        for maxdist in (1, 2):
            assert terms.within(probe, maxdist) == terms._walk(probe, maxdist), (probe, maxdist)


def test_the_banded_edit_distance_check_agrees_with_the_whole_table():
    """``_edit_distance_at_most`` follows the table's last row as bits (Myers): for random
    pairs of words of up to 13 letters (and a word against itself) and limits 0 to 3 it
    says what the whole Levenshtein table says."""
    import random

    from spms_search.search import _edit_distance_at_most

    def distance(a: str, b: str) -> int:
        previous = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            current = [i]
            for j, cb in enumerate(b, 1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
            previous = current
        return previous[-1]

    rng = random.Random(5)
    for _ in range(3000):
        a = "".join(rng.choice("abcd") for _ in range(rng.randrange(0, 14)))
        b = "".join(rng.choice("abcd") for _ in range(rng.randrange(0, 14)))
        for limit in range(4):
            assert _edit_distance_at_most(a, b, limit) == (distance(a, b) <= limit), (a, b, limit)
            assert _edit_distance_at_most(a, a, limit)


def test_stored_sentence_terms_are_what_the_analyzer_gives_at_query_time(index_dir):
    """Every passage's stored ``units`` hold, sentence by sentence, the very terms that
    analysing its sentences at query time gives (``unit_terms_of``, with every remembered
    token, stem and sentence forgotten first): ranking reads the stored ones instead."""
    from spms_search import analysis, sentences

    analysis._TOKEN_TERMS.clear()
    analysis.stem.cache_clear()
    sentences.unit_terms_of.cache_clear()
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
        stats = s.stats
        count = stats.reader.doc_count_all()
        assert count > 20
        sentence_count = 0
        for docnum in range(count):
            stored = stats.reader.stored_fields(docnum)
            units = sentences.split_units(stored["text"])
            assert stored["units"] == [sentences.unit_terms_of(u) for u in units]
            assert [ordered for _positions, ordered in stats.unit_terms(docnum)] == stored["units"]
            sentence_count += len(units)
        assert sentence_count > count


def _places(ordered, positions, group):  # type: ignore[no-untyped-def]
    """Where any alternative of ``group`` starts, and just after where it ends (as it was)."""
    starts: set[int] = set()
    ends: set[int] = set()
    for alt in group.alternatives:
        if not all(t in positions for t in alt.terms):
            continue
        n = len(alt.terms)
        for i in positions[alt.terms[0]]:
            if n == 1 or ordered[i : i + n] == alt.terms:
                starts.add(i)
                ends.add(i + n)
    return starts, ends


def _proximity_with_every_place(stats, docnum, plan):  # type: ignore[no-untyped-def]
    """:func:`scoring.proximity` as it was: every sentence's word places worked out first."""
    from spms_search import scoring

    asked = scoring.proximity_pairs(stats, plan)
    if not asked.pairs:
        return 0.0
    found = [False] * len(asked.pairs)
    for positions, ordered in stats.unit_terms(docnum):
        present: set[int] = set()
        for word in positions.keys() & asked.by_first.keys():
            present |= asked.by_first[word]
        for k, (a, b) in enumerate(asked.pairs):
            if found[k] or a not in present or b not in present:
                continue
            ends = _places(ordered, positions, plan.groups[a])[1]
            starts = _places(ordered, positions, plan.groups[b])[0]
            found[k] = any(0 <= s - e <= scoring.PROXIMITY_GAP for e in ends for s in starts)
    return sum(w for w, f in zip(asked.weights, found) if f) / asked.total


def test_proximity_reading_only_sentences_with_two_asked_words_is_proximity_over_all(index_dir):
    """``proximity`` looks for the places of asked words only in sentences holding the
    first words of two neighbouring asked groups, by scanning: for every dev and
    validation question and every passage, in a fresh index (nothing remembered) and
    again (all remembered), it is the share the places of every sentence give, and the
    sentence words are the stored ones."""
    from spms_search import scoring
    from spms_search.evaluation import load_questions

    from .conftest import DATA

    questions = [q.question for f in ("dev_questions.jsonl", "validation_questions.jsonl")
                 for q in load_questions(DATA / f)]
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
        count = s.stats.reader.doc_count_all()
        reference = scoring.IndexStatistics(s._opened.ix, s.parameters)
        said = 0
        for question in questions:
            plan = s.rewrite(question)
            fresh = scoring.IndexStatistics(s._opened.ix, s.parameters)
            for docnum in range(count):
                want = _proximity_with_every_place(reference, docnum, plan)
                assert scoring.proximity(fresh, docnum, plan) == want, (question, docnum)
                assert scoring.proximity(s.stats, docnum, plan) == want, (question, docnum)
                said += want > 0
        assert said > 100
        for docnum in range(count):
            units = reference.unit_terms(docnum)
            assert [(set(p), o) for p, o in units] == [(set(w), o) for w, o in s.stats.unit_words(docnum)]

def test_segment_postings_equal_whooshs_for_every_term(index_dir):
    """``postings.SegmentTerms`` reads each segment's term table itself: for every term of
    every field its document frequency and postings (ids, weights and their types, in
    order) are Whoosh's own, and a term the index lacks has none."""
    from spms_search.postings import SegmentTerms

    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
        reader = s.stats.reader
        fast = SegmentTerms(reader)
        checked = 0
        for field, tbytes in reader.all_terms():
            term = reader.schema[field].from_bytes(tbytes)
            expected = list(reader.postings(field, term).items_as("weight"))
            got = list(fast.postings(field, term).items())
            assert got == expected
            assert [type(w) for _d, w in got] == [type(w) for _d, w in expected]
            assert fast.doc_frequency(field, term) == reader.doc_frequency(field, term)
            for other in ("heading", "parents", "body", "context", "spell"):  # present or not
                known = (other, term) in reader
                assert fast.doc_frequency(other, term) == (reader.doc_frequency(other, term) if known else 0)
            checked += 1
        assert checked > 500
        assert fast.doc_frequency("body", "zzqxj") == 0 and fast.postings("body", "zzqxj") == {}
        assert fast.doc_frequency("nosuchfield", "ms") == 0 and fast.postings("nosuchfield", "ms") == {}


def test_phrase_passages_equal_whooshs_phrase_query(index_dir):
    """``SegmentTerms.phrase_docs`` works out from positions which passages hold a phrase:
    for every run of two and three words of the corpus's passages (and pairs one or two
    words apart, and a word twice), in each phrase field, at slop 1 and 2, the passages
    are those of Whoosh's ``Phrase`` query, through a BM25F searcher and through the
    unscored one ranking uses."""
    from whoosh.query import Phrase

    from spms_search.analysis import terms

    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
        stats = s.stats
        reader = stats.reader
        fast = stats.segment_terms
        phrases: set[tuple[str, ...]] = set()
        for docnum in range(reader.doc_count_all()):
            words = terms(reader.stored_fields(docnum)["text"])
            for i in range(len(words) - 1):
                phrases.update({tuple(words[i:i + 2]), tuple(words[i:i + 3]), (words[i], words[i])})
                phrases.update((words[i], w) for w in words[i + 2:i + 4])
        scored = s._opened.ix.searcher()
        found = 0
        try:
            for field in ("heading", "parents", "body"):
                for phrase in sorted(phrases):
                    present = all((field, t) in reader for t in phrase)
                    for slop in (1, 2):
                        query = Phrase(field, list(phrase), slop=slop)
                        expected = frozenset(query.docs(scored)) if present else frozenset()
                        with stats._lock:
                            unscored = frozenset(query.docs(stats.searcher)) if present else frozenset()
                        got = fast.phrase_docs(field, phrase, slop)
                        assert got == expected == unscored, (field, phrase, slop)
                        found += bool(got)
        finally:
            scored.close()
        assert found > 1000


def test_heading_matches_are_the_sum_over_every_heading_term(searcher):
    """``heading_matches`` gathers only the parts of the heading terms a question names:
    for every dev and validation question its shares equal, to the last bit, the sum
    over every term of each passage's heading (zeros included) in the heading's order."""
    from spms_search.evaluation import load_questions
    from spms_search.scoring import heading_matches, query_term_weights

    from .conftest import DATA

    stats = searcher.stats
    questions = [q.question for f in ("dev_questions.jsonl", "validation_questions.jsonl")
                 for q in load_questions(DATA / f)]
    compared = 0
    for question in questions:
        weights = query_term_weights(searcher.rewrite(question))
        docs = {d for t in weights for d in stats.postings("heading", t)}
        expected = {}
        for d in docs:
            places, total = stats.heading_idf(d)
            idf = sorted(((i, t, w) for t, (i, w) in places.items()))
            expected[d] = sum(weights.get(t, 0.0) * w for _i, t, w in idf) / total if idf else 0.0
        got = heading_matches(stats, weights)
        assert got == expected, question
        compared += len(got)
    assert compared > 100


def test_a_question_asked_again_is_read_once_and_its_plan_is_the_callers_own(searcher):
    first = searcher.rewrite("can I still get relapses with spms?")
    first.groups.clear()
    first.dropped.append("changed by the caller")
    again = searcher.rewrite("can I still get relapses with spms?")
    assert again.groups and "changed by the caller" not in again.dropped
    assert again == searcher.rewriter._read("can I still get relapses with spms?")


KIND_ELSEWHERE_PAGE = """# Living with MS

## Part one

Balance problems are common in MS, and regular exercise can help your balance. With help and
practice, balance often improves. A neurologist checked the facts on this page.

## Part two

A physiotherapist can help you with your balance and show you exercises to do at home.

## Part three

Plan journeys ahead and allow time to rest on the way.
"""


def test_the_kind_asked_for_counts_most_where_it_is_said_of_the_thing_asked(tmp_path):
    """A "who" question is answered by the person said to help with what it asks about, not
    by a passage that repeats its words and names a person only for something else."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.md").write_text(KIND_ELSEWHERE_PAGE, "utf-8")
    question = "who can help with my balance?"
    with spms_search.open_index(index_dir=tmp_path / "index", corpus_dir=corpus) as searcher:
        first = searcher.ask(question, 3, min_confidence=0.0).results[0]
    assert first.heading == "Part two"
    assert "physiotherapist" in first.answer
    # the rule, not the page, makes the difference: counted fully anywhere, the person named
    # for something else lifts the passage that repeats the question's words
    every = spms_search.rules.Parameters(kind_elsewhere_share=1.0)
    with spms_search.open_index(index_dir=tmp_path / "index", corpus_dir=corpus, parameters=every) as other:
        assert other.ask(question, 3, min_confidence=0.0).results[0].heading == "Part one"


@pytest.mark.parametrize("question", [
    "will the neurologist stop my teriflunomide?",
    "should I stop Betaferon now that my MS is secondary progressive?",
])
def test_a_vocabulary_entry_said_in_other_words_covers_what_it_joins(searcher, question):
    """ "stop my <a DMT>" holds the entry "stop DMT": the passage about coming off a DMT says
    it, though neither the drug's name nor "stop" stands there, and it comes first, not a
    passage that names only the class of drug."""
    first = searcher.ask(question, 3, min_confidence=0.0).results[0]
    assert first.section.startswith("what-sort-of-changes-happen-when-you-move")
    assert "coming off it" in first.text
