"""Property-based tests: any text in, a valid result or a documented error out."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spms_search.errors import QueryError
from spms_search.ingestion import _SlugRegistry, assemble, read_html, read_markdown, read_text
from spms_search.query import clean_question

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

query_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "*", "~2", "^3", "[", "TO", "]",
                              "heading:", "relapse", "MS", "steroids", "\u202e", "\x1b[2J", " ", "-"]),
             max_size=20).map(" ".join),
)


@FAST
@given(question=query_text, limit=st.integers(min_value=-3, max_value=200))
def test_any_question_gives_results_or_a_query_error(searcher, question, limit):
    try:
        results = searcher.search(question, limit)
    except QueryError:
        assert limit < 1 or not clean_question(question)[0]
        return
    assert len(results) <= min(limit, 100)
    for r in results:
        assert r.answer and r.answer in r.text
        assert r.headings and r.heading == r.headings[-1]


@FAST
@given(question=st.binary(max_size=200))
def test_any_bytes_give_results_or_a_query_error(searcher, question):
    # bytes are read as UTF-8 with the undecodable ones replaced: the same as that text
    as_text = question.decode("utf-8", "replace")
    try:
        results = searcher.search(question)
    except QueryError:
        assert not clean_question(question)[0]
        return
    assert [r.answer for r in results] == [r.answer for r in searcher.search(as_text)]
    for r in results:
        assert r.answer and r.answer in r.text
        assert r.headings and r.heading == r.headings[-1]


documents = st.one_of(
    st.text(max_size=500),
    st.lists(st.sampled_from(["# Heading", "## Sub", "Para text.", "Lead in:", "- item", "\u2022 bullet",
                              "", "<h1>T</h1>", "<p>x", "<ul><li>a", "Short line", "```"]),
             max_size=30).map("\n".join),
)


@FAST
@given(source=documents)
@example(source="<![0")  # html.parser rejects this marked section outright (found by this test)
def test_any_document_is_ingested_without_error(source):
    for reader in (read_text, read_markdown, read_html):
        title, blocks = reader(source)
        sections, passages = assemble("doc.txt", title or "doc", blocks, _SlugRegistry())
        assert len({s.section for s in sections}) == len(sections)
        for p in passages:
            assert p.text.strip()
            assert p.headings and p.section in {s.section for s in sections}
