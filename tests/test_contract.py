"""The JSON contract an embedding tool reads: version, links, highlight spans, browse."""

from __future__ import annotations

import json

import pytest

import spms_search
from spms_search.search import CONTRACT_VERSION

from .conftest import CORPUS


def test_the_response_names_its_contract_version_and_keeps_the_old_keys(searcher):
    data = searcher.ask("can I still get relapses?").to_dict()
    assert data["version"] == CONTRACT_VERSION == 1
    for key in ("query", "results", "suggestion", "confidence", "declined", "browse"):
        assert key in data
    json.dumps(data)  # plain JSON types only


def test_highlight_spans_point_at_the_matched_words_in_text_and_answer(searcher):
    top = searcher.ask("can I still get relapses?").to_dict()["results"][0]
    text_words = {top["text"][a:b].lower() for a, b in top["highlights"]["text"]}
    answer_words = {top["answer"][a:b].lower() for a, b in top["highlights"]["answer"]}
    assert "relapse" in text_words or "relapses" in text_words
    # the answer's highlights mark the words the question matched, as the text's do
    assert answer_words <= text_words and {"still", "relapse"} <= answer_words
    for a, b in top["highlights"]["text"]:
        assert 0 <= a < b <= len(top["text"])


def test_the_answer_span_locates_the_answer_inside_its_passage(searcher):
    for result in searcher.search("who helps with balance problems?", limit=3):
        assert result.answer_span is not None
        start, end = result.answer_span
        assert result.text[start:end] == result.answer


def test_results_link_to_the_heading_anchor_under_a_base_url(index_dir):
    with spms_search.open_index(index_dir, CORPUS, base_url="https://example.org/ms/") as searcher:
        top = searcher.search("steroids for a relapse")[0]
    assert top.anchor == "steroids"
    assert top.url == "https://example.org/ms/secondary-progressive-ms.html#steroids"
    assert top.to_dict()["url"] == top.url


def test_without_a_known_address_a_result_has_no_invented_link(searcher):
    top = searcher.search("steroids for a relapse")[0]
    assert top.url is None and top.anchor == "steroids"


def test_a_canonical_link_wins_over_the_base_url(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "diet.html").write_text(
        '<link rel="canonical" href="https://charity.example/diet"><h1 id="d">Diet and MS</h1>'
        "<p>Eating a balanced diet with plenty of vegetables helps your general health with MS.</p>",
        "utf-8")
    with spms_search.open_index(tmp_path / "ix", corpus, base_url="https://other.example/") as searcher:
        response = searcher.ask("balanced diet vegetables", min_confidence=0)
    assert response.results[0].url == "https://charity.example/diet#d"


def test_declining_offers_sections_with_their_heading_paths(searcher):
    data = searcher.ask("best pizza recipe").to_dict()
    assert data["declined"] is True and data["results"] == []
    steroids = next(b for b in data["browse"] if b["section"] == "steroids")
    assert steroids["headings"][-1] == "Steroids" and steroids["url"] is None


@pytest.mark.parametrize("question", ["steriods", "a" * 1500])
def test_truncation_is_reported(searcher, question):
    data = searcher.ask(question).to_dict()
    assert data["truncated"] is (len(question) > 1000)


# --------------------------------------------------------------------------- staying current

DIET = "<h1>Diet and MS</h1><p>Eating a balanced diet with plenty of vegetables helps your health.</p>"
SLEEP = "<h2>Sleep</h2><p>Poor sleep makes fatigue worse; a regular bedtime routine helps you sleep.</p>"


def test_a_searcher_says_when_its_corpus_changed_and_reopens_on_the_new_one(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "diet.html").write_text(DIET, "utf-8")
    (corpus / "empty.md").write_text("", "utf-8")
    old = spms_search.open_index(tmp_path / "ix", corpus)
    try:
        assert old.build_warnings == ("empty.md: skipped: empty file",)
        assert old.is_current()
        (corpus / "diet.html").write_text(DIET + SLEEP, "utf-8")
        assert not old.is_current()
        with old.reopen() as fresh:
            assert fresh.is_current()
            assert fresh.search("regular bedtime routine sleep")[0].heading == "Sleep"
            # the old one still answers from the index it opened, until it is closed
            assert all(r.heading != "Sleep" for r in old.ask("regular bedtime routine sleep",
                                                             min_confidence=0).results)
    finally:
        old.close()
