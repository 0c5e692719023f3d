"""The question-text decision (questiontext.py): where it applies, what it changes, bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import spms_search
from spms_search.answerability import FEATURES
from spms_search.compiled import DATA_DIR
from spms_search.questiontext import OFF_TOPIC, TEXT_FEATURES, load_decision, parse_decision
from spms_search.rules import Parameters
from spms_search.search import Searcher

from .conftest import CORPUS


def test_applies_to_the_bundled_corpus(searcher: Searcher) -> None:
    decision = load_decision()
    assert decision is not None
    assert searcher.text_decision is decision
    assert searcher.confidence_bar == decision.bar


def test_switched_off_by_its_rule(index_dir: Path) -> None:
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS,
                                parameters=Parameters().without("question-text")) as s:
        assert s.text_decision is None
        assert s.confidence_bar == s.model.bar


def test_a_maintainers_own_corpus_keeps_the_model_that_knows_no_section(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "fatigue.md").write_text(
        "# Fatigue\n\nFatigue is one of the commonest symptoms of MS. Pacing and rest help.\n",
        "utf-8")
    with spms_search.open_index(index_dir=tmp_path / "ix", corpus_dir=corpus) as s:
        assert s.text_decision is None  # its passages are not the ones the words model knows
        response = s.ask("what helps with MS fatigue?")
        assert not response.declined
        assert response.results[0].heading == "Fatigue"


def test_a_corpus_with_the_same_sections_but_other_passages_keeps_the_other_model(tmp_path: Path) -> None:
    # the words model names passages: one more paragraph under a heading it knows makes
    # passages it has never seen, and it must not guess which of them answers
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    page = corpus / "secondary-progressive-ms.html"
    link = '<p><a href="#">Find out more about managing relapses</a></p>'
    text = page.read_text("utf-8")
    assert link in text
    page.write_text(text.replace(link, link + "\n<p>Steroids are usually given as tablets for a few "
                                 "days. They can shorten a relapse but do not change the course of "
                                 "MS over the longer term.</p>"), "utf-8")
    with spms_search.open_index(index_dir=tmp_path / "ix", corpus_dir=corpus) as s:
        assert len(s.sections) == 12  # the same headings
        assert s.text_decision is None
        assert s.confidence_bar == s.model.bar


def test_the_drug_for_active_spms_is_answered(searcher: Searcher) -> None:
    response = searcher.ask("is there a drug for active SPMS?")
    assert not response.declined
    assert response.results[0].heading == "Disease modifying therapies"
    assert "siponimod" in response.results[0].answer


@pytest.mark.parametrize("question", [
    "how much does siponimod cost?",
    "what is the dose of siponimod?",
    "can steroids make me put on weight?",
])
def test_what_the_page_names_but_does_not_say_is_declined(searcher: Searcher, question: str) -> None:
    assert searcher.ask(question).declined


def test_a_wrong_section_answer_becomes_a_decline(index_dir: Path) -> None:
    """Weakening legs year on year are the changes of SPMS; the model that knows no section
    answered from rehabilitation, the question-text decision declines."""
    question = "my legs are getting weaker every year, is that the MS?"
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS,
                                parameters=Parameters().without("question-text")) as old:
        before = old.ask(question)
    assert not before.declined and before.results[0].heading == "Wellbeing and rehabilitation"
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as new:
        assert new.ask(question).declined


@pytest.mark.parametrize("question", ["", "??", "é" * 50, "the " * 900, "siponimod " * 40])
def test_the_words_model_reads_any_text(question: str) -> None:
    decision = load_decision()
    assert decision is not None
    p = decision.words.probabilities(question)
    assert set(p) == set(decision.words.classes) and OFF_TOPIC in p
    assert abs(sum(p.values()) - 1.0) < 1e-9


def test_words_are_read_as_the_fitting_read_them() -> None:
    decision = load_decision()
    assert decision is not None
    words = decision.words
    # lower-cased, two or more word characters; words it never saw are left out
    assert words.vector("Siponimod siponimod") == words.vector("siponimod")
    assert words.vector("a siponimod zzqx") == words.vector("siponimod")
    assert words.vector("I") == {}


def _bundled() -> dict:
    return json.loads((DATA_DIR / "question_text.json").read_text("utf-8"))


@pytest.mark.parametrize("spoil, message", [
    (lambda d: d.update(features=list(FEATURES)), "features"),
    (lambda d: d.update(bar=1.5), "bar"),
    (lambda d: d.update(passages=[]), "passages"),
    (lambda d: d.update(passages=d["passages"][1:]), "names passages"),
    (lambda d: d["words"]["coef"].pop(), "weight row"),
    (lambda d: d["words"]["coef"][0].pop(), "weight a word"),
    (lambda d: d["words"]["idf"].pop(), "idf"),
    (lambda d: d["words"]["classes"].remove(OFF_TOPIC), "weight row"),
    (lambda d: d["trees"]["trees"][0].__setitem__(0, [len(FEATURES) + len(TEXT_FEATURES), 0.5, 1, 2]),
     "does not split"),
])
def test_a_damaged_file_is_refused(spoil, message: str) -> None:
    data = _bundled()
    spoil(data)
    with pytest.raises(ValueError, match=message):
        parse_decision(json.dumps(data))


def test_the_bundled_file_reads() -> None:
    decision = parse_decision((DATA_DIR / "question_text.json").read_text("utf-8"))
    assert 0.5 < decision.bar < 0.95  # the utility bar: an answer must be likelier right than wrong
    assert len(decision.sections) == 12
    assert len(decision.passages) == 28


def test_a_passage_is_named_by_its_section_and_its_place_in_it() -> None:
    from spms_search.questiontext import passage_keys, section_of

    keys = passage_keys([("A",), ("A",), ("A", "B"), ("A",)])
    assert keys == ["A #1", "A #2", "A > B #1", "A #3"]  # a subsection counts apart
    assert [section_of(k) for k in keys] == ["A", "A", "A > B", "A"]


def test_the_words_model_orders_passages_by_score_share_and_section_and_passage_probability() -> None:
    from spms_search.questiontext import fused_order

    scores, passages = [10.0, 9.0, 2.0], ["A #1", "B #1", "C #1"]
    probabilities = {"A #1": 0.1, "B #1": 0.9, "C #1": 0.0}
    assert fused_order(scores, passages, probabilities, 0.0) == [0, 1, 2]  # the engine's order
    assert fused_order(scores, passages, probabilities, 2.0) == [1, 0, 2]  # 0.9 x 2 outweighs 0.1 of score
    assert fused_order([5.0, 5.0], ["A #1", "B #1"], {}, 2.0) == [0, 1]  # ties keep the engine's order
    assert fused_order([], [], {}, 2.0) == []
    # within one section, the passage the words point at comes first: both share the
    # section's 0.6, the second adds its own 0.5 to the first one's 0.1
    assert fused_order([10.0, 9.0], ["A #1", "A #2"], {"A #1": 0.1, "A #2": 0.5}, 2.0) == [1, 0]


def test_only_the_passage_the_words_model_is_sure_of_joins_the_candidates() -> None:
    from spms_search.questiontext import words_favourites

    probabilities = {"A #1": 0.6, "B #1": 0.3, OFF_TOPIC: 0.1}
    assert words_favourites(probabilities, ["B #1"]) == {"A #1"}
    assert words_favourites(probabilities, ["A #1", "B #1"]) == frozenset()  # already a candidate
    assert words_favourites({"A #1": 0.4, "B #1": 0.4, OFF_TOPIC: 0.2}, []) == frozenset()  # none sure
    assert words_favourites({OFF_TOPIC: 0.9, "A #1": 0.1}, []) == frozenset()  # off-topic is no passage


AFTER_HEADING = "What comes after secondary progressive MS (SPMS)?"
SUPPORT_HEADING = "What support can I get?"


@pytest.mark.parametrize(("question", "heading", "rule"), [
    # "is there something worse it can turn into?" shares no word with "There's no other type
    # of MS that comes after secondary progressive MS" but the illness's name: the engine
    # ranks that passage below its first ten, where the fusion never saw it
    ("My brother has secondary progressive MS. Is there something worse it can turn into later on?",
     AFTER_HEADING, "words-favourites"),
    # the support passages share only "progressive" with these: the engine's best passages
    # hold little of either question, and the words model is near certain (rule words-sure)
    ("Is there something I can read so I understand my wife's progressive MS better?",
     SUPPORT_HEADING, "words-sure"),
    ("who do I phone if I have questions about being secondary progressive", SUPPORT_HEADING, "words-sure"),
])
def test_a_question_worded_unlike_its_answer_reaches_the_passage_the_words_name(
        index_dir: Path, question: str, heading: str, rule: str) -> None:
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS) as s:
        response = s.ask(question)
        assert not response.declined
        assert response.results[0].heading == heading
    with spms_search.open_index(index_dir=index_dir, corpus_dir=CORPUS,
                                parameters=Parameters().without(rule)) as off:
        assert off.ask(question).declined


def test_the_fitting_takes_the_candidates_as_the_engine_does() -> None:
    # tools/fit_answerability.py must see the passages the engine sees, favourites included
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "fit_answerability.py"
    spec = importlib.util.spec_from_file_location("fit_answerability", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    _Asked = tool._Asked

    from types import SimpleNamespace

    def ranked(engine_coverage: float) -> list[SimpleNamespace]:
        return [SimpleNamespace(name="r1", coverage=engine_coverage),
                SimpleNamespace(name="r2", coverage=0.1)]

    def names(candidates: tuple[list[SimpleNamespace], list[str]]) -> tuple[list[str], list[str]]:
        return [r.name for r in candidates[0]], candidates[1]

    r3, r4 = SimpleNamespace(name="r3"), SimpleNamespace(name="r4")
    # C holds a thing asked, D shares only the page's subject with the question
    lower = [(r3, "C #1", True), (r4, "D #1", False)]
    asked = _Asked(None, None, ranked(0.8), ["A #1", "B #1"], "A #1", "set", "key", lower)
    assert (names(asked.candidates({"C #1": 0.7, "A #1": 0.2}))
            == (["r1", "r2", "r3"], ["A #1", "B #1", "C #1"]))
    assert names(asked.candidates({"C #1": 0.3, "D #1": 0.3})) == (["r1", "r2"], ["A #1", "B #1"])
    # D joins only when the words model is near certain and the engine found little (words-sure)
    assert names(asked.candidates({"D #1": 0.95})) == (["r1", "r2"], ["A #1", "B #1"])
    unsure = _Asked(None, None, ranked(0.3), ["A #1", "B #1"], "A #1", "set", "key", lower)
    assert names(unsure.candidates({"D #1": 0.95})) == (["r1", "r2", "r4"], ["A #1", "B #1", "D #1"])
    assert names(unsure.candidates({"D #1": 0.8})) == (["r1", "r2"], ["A #1", "B #1"])
    switched_off = _Asked(None, None, ranked(0.3), ["A #1", "B #1"], "A #1", "set", "key", lower, False)
    assert names(switched_off.candidates({"D #1": 0.95})) == (["r1", "r2"], ["A #1", "B #1"])


def test_the_passage_that_holds_the_answer_comes_first_within_its_section(searcher: Searcher) -> None:
    # the support section's first passage names the helpline; the forum and local groups
    # are in its third: asked about them, the words model points at that one
    response = searcher.ask("how do I join an online forum for people with MS")
    assert not response.declined
    assert "forum" in response.results[0].text


def test_a_story_is_read_by_its_asking_clause(searcher: Searcher) -> None:
    from spms_search.questiontext import words_read

    question = ("my mum was diagnosed with relapsing remitting MS about 15 years ago and recently her "
                "neurologist said she may have moved to secondary progressive, can she still get relapses?")
    assert words_read(searcher.rewrite(question)) == "can she still get relapses"
    assert words_read(searcher.rewrite("can I still get relapses?")) == "can I still get relapses?"
    response = searcher.ask(question)
    assert not response.declined
    assert response.results[0].heading == "Can you still get relapses with secondary progressive MS (SPMS)?"


@pytest.mark.parametrize(("question", "asked"), [
    # "so" before a word it grades joins no clause: the question runs on to its end
    ("I've been getting slowly worse for a year now, why is it taking the doctors so long to say "
     "whether I've gone progressive?",
     "why is it taking the doctors so long to say whether i go progressive"),
    # "so" before a subject does join one: what comes before it is the story
    ("I've had no relapse for years and my walking is worse so can I still get relapses?",
     "can i still get relapses"),
    # a wh-word is asked with the clause after it, not left behind as the story's last word
    ("We're struggling for money since my wife had to stop working. Who can we ask about financial help?",
     "who can we ask about financial help"),
])
def test_the_asking_clause_starts_where_the_question_does_and_runs_on(question: str, asked: str) -> None:
    from spms_search.query import asking_clause

    assert " ".join(asking_clause(question) or []) == asked


def test_two_questions_asked_together_are_both_asked() -> None:
    from spms_search.query import asking_clause

    # "how" stood alone before the split at "do I", and the first question became a story
    question = "What are the names of the drugs being tested in trials, and how do I sign up?"
    assert asking_clause(question) is None


@pytest.mark.parametrize("question", ["is siponimod safe?", "where can i have hsct abroad"])
def test_a_place_or_safety_the_passage_does_not_give_is_declined(searcher: Searcher, question: str) -> None:
    assert searcher.ask(question).declined


def test_a_searcher_reopened_on_a_rebuilt_index_keeps_the_decision(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    spms_search.build_index(CORPUS, index)
    with spms_search.open_index(index, CORPUS) as searcher:
        spms_search.build_index(CORPUS, index)  # a new generation under the open searcher
        reopened = searcher.reopen()
        try:
            assert reopened._opened.generation != searcher._opened.generation
            assert reopened.text_decision is not None
            assert reopened.confidence_bar == reopened.text_decision.bar
            assert not reopened.ask("can I still get relapses?").declined
        finally:
            reopened.close()
