"""Ingestion: sections, heading paths, passages and furniture, for every input format."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from spms_search.errors import CorpusError
from spms_search.ingestion import ingest_corpus, read_html, read_markdown, read_text, slugify

from .conftest import CORPUS, HEADINGS


@pytest.fixture(scope="module")
def corpus():
    return ingest_corpus(CORPUS)


def test_the_html_page_has_the_twelve_headings_in_order(corpus):
    assert [s.heading for s in corpus.sections] == HEADINGS


def test_management_subsections_sit_under_managing(corpus):
    by_heading = {s.heading: s for s in corpus.sections}
    for name in ("Wellbeing and rehabilitation", "Steroids", "Disease modifying therapies",
                 "HSCT", "Drugs now in trials"):
        assert by_heading[name].headings == (
            "Secondary progressive MS (SPMS)", "Managing secondary progressive MS (SPMS)", name)


def test_a_lead_in_and_its_list_are_one_passage(corpus):
    example = [p for p in corpus.passages if p.text.startswith("For example:")]
    assert len(example) == 1
    assert len(example[0].items) == 4
    assert "dietician might help you find ways to eat healthily" in example[0].text
    assert not any(p.text.startswith("\u2022 a dietician") for p in corpus.passages)


def test_page_furniture_is_never_a_passage_or_section(corpus):
    everything = " ".join(p.text for p in corpus.passages) + " ".join(s.heading for s in corpus.sections)
    assert "Last full review" not in everything
    assert "Find out how we keep our information up to date" not in everything
    assert "We also update when we know" not in everything


def test_every_passage_records_document_title_path_slug_and_position(corpus):
    assert [p.position for p in corpus.passages] == list(range(len(corpus.passages)))
    for p in corpus.passages:
        assert p.document == "secondary-progressive-ms.html"
        assert p.title == "Secondary progressive MS (SPMS)"
        assert p.headings[0] == p.title
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.section)
    assert len({s.section for s in corpus.sections}) == 12


def test_the_published_text_gives_the_same_headings_and_passages(shared_txt, tmp_path, corpus):
    shutil.copy(shared_txt, tmp_path / "spms.txt")
    text = ingest_corpus(tmp_path)
    assert [s.heading for s in text.sections] == HEADINGS
    assert [p.text for p in text.passages] == [p.text for p in corpus.passages]


def test_the_html_corpus_is_word_for_word_the_published_text(shared_txt):
    from bs4 import BeautifulSoup

    html = (CORPUS / "secondary-progressive-ms.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    soup.head.decompose()
    html_words = soup.get_text(" ").split()
    txt_words = [w for w in shared_txt.read_text("utf-8").split() if w != "\u2022"]
    assert html_words == txt_words


def test_plain_text_rules_colon_lines_and_link_lines_are_not_headings():
    source = (
        "Title of page\n\nIntro paragraph here.\n\nFor example:\n\n  \u2022 one\n  \u2022 two\n\n"
        "A real heading\n\nBody text.\n\nFind out more about this\n\nNext heading\n\nMore text.\n"
    )
    _, blocks = read_text(source)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings == ["Title of page", "A real heading", "Next heading"]
    assert any(b.kind == "paragraph" and b.text == "Find out more about this" for b in blocks)


def test_markdown_headings_lists_and_inline_markup(tmp_path):
    (tmp_path / "guide.md").write_text(
        "# Fatigue guide\n\nSome **bold** words and a [link](http://x).\n\n## Tips\n\n"
        "Try these:\n\n- rest often\n- pace *yourself*\n\n### Sleep\n\nSleep well.\n",
        "utf-8",
    )
    corpus = ingest_corpus(tmp_path)
    assert [s.headings for s in corpus.sections] == [
        ("Fatigue guide",), ("Fatigue guide", "Tips"), ("Fatigue guide", "Tips", "Sleep")]
    texts = [p.text for p in corpus.passages]
    assert texts[0] == "Some bold words and a link."
    assert texts[1] == "Try these:\n\u2022 rest often\n\u2022 pace yourself"


def test_script_and_style_are_never_read():
    _, blocks = read_html(
        "<html><head><style>p{color:red}</style></head><body><h1>T</h1>"
        "<script>var secret = 'relapse';</script><p>Visible text.</p>"
        "<nav>Menu</nav><footer>Footer words</footer></body></html>"
    )
    text = " ".join(b.text for b in blocks)
    assert "secret" not in text and "color" not in text and "Menu" not in text
    assert "Footer" not in text and "Visible text." in text


def test_malformed_html_still_yields_its_text():
    _, blocks = read_html("<h1>Title<h2>Sub</h2><p>Unclosed <b>bold<p>Second para")
    assert [b.kind for b in blocks][:2] == ["heading", "heading"]
    assert any("Second para" in b.text for b in blocks)


def test_a_stray_declaration_the_parser_rejects_costs_only_itself():
    # html.parser refuses "<![0" outright; a browser drops it up to the next ">" and shows
    # the rest of the page, and so does the reader
    _, blocks = read_html("<h1>Title</h1><p>Kept text.</p><![0 stray> <p>After it.</p><![0")
    assert [b.text for b in blocks] == ["Title", "Kept text.", "After it."]


def test_declarations_in_the_body_are_markup_not_text():
    _, blocks = read_html("<p>a</p><![if !IE]><p>b</p><![endif]><!DOCTYPE html><?xml version='1.0'?><p>c</p>")
    assert [b.text for b in blocks] == ["a", "b", "c"]


def test_markdown_reader_ignores_code_fences_markers():
    _, blocks = read_markdown("# T\n\n```\ncode here\n```\n\nText.\n")
    assert blocks[0].kind == "heading"
    assert any(b.text == "Text." for b in blocks)


def test_slugs_are_url_style():
    assert slugify("Can you still get relapses with secondary progressive MS (SPMS)?") == \
        "can-you-still-get-relapses-with-secondary-progressive-ms-spms"
    assert slugify("Caf\u00e9 & cr\u00e8me") == "cafe-creme"
    assert slugify("???") == "section"


def test_duplicate_headings_get_unique_slugs(tmp_path):
    (tmp_path / "a.md").write_text("# Help\n\nOne.\n\n## Help\n\nTwo.\n\n## Only here\n\nFour.\n", "utf-8")
    (tmp_path / "b.md").write_text("# Help\n\nThree.\n", "utf-8")
    corpus = ingest_corpus(tmp_path)
    assert [s.section for s in corpus.sections] == ["a--help", "help-2", "only-here", "b--help"]
    assert {p.section for p in corpus.passages} == {s.section for s in corpus.sections}


def test_a_shared_slug_is_qualified_by_the_documents_path_without_extension(tmp_path):
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "b.md").write_text("# Help\n\nOne.\n", "utf-8")
    (tmp_path / "a.html").write_text("<h1>Help</h1><p>Two.</p>", "utf-8")
    assert [s.section for s in ingest_corpus(tmp_path).sections] == ["a--help", "guides-b--help"]


def test_adding_a_document_does_not_renumber_another_documents_slugs(tmp_path):
    """Slugs are numbered within their document; file order never decides who keeps one."""
    (tmp_path / "m.md").write_text("# Guide\n\nOne.\n\n## Diet\n\nTwo.\n\n## Diet\n\nThree.\n", "utf-8")
    before = [s.section for s in ingest_corpus(tmp_path).sections]
    (tmp_path / "a.md").write_text("# Other\n\nText.\n\n## Diet\n\nOther diet.\n", "utf-8")
    after = {s.section for s in ingest_corpus(tmp_path).sections if s.document == "m.md"}
    assert before == ["guide", "diet", "diet-2"]
    assert "diet-2" in after and "guide" in after  # not shifted by the new file sorting first


class TestSourceLinks:
    """Where a document says where it lives, sections carry its address and heading anchors."""

    def test_html_canonical_link_and_heading_ids(self, tmp_path):
        (tmp_path / "p.html").write_text(
            '<html><head><link href="https://example.org/ms/page" rel="canonical"></head><body>'
            '<h1 id="top">Title</h1><p>Intro.</p><h2><a id="diet"></a>Diet</h2><p>Eat well.</p>'
            '<h2>No id</h2><p>Text.</p></body></html>', "utf-8")
        sections = ingest_corpus(tmp_path).sections
        assert [(s.anchor, s.url) for s in sections] == [
            ("top", "https://example.org/ms/page"), ("diet", "https://example.org/ms/page"),
            ("", "https://example.org/ms/page")]

    def test_markdown_front_matter_url_and_heading_anchor(self, tmp_path):
        (tmp_path / "n.md").write_text(
            "---\ntitle: Notes\nurl: https://example.org/notes\n---\n# Notes\n\nA.\n\n"
            "## Diet and food {#food}\n\nB.\n", "utf-8")
        sections = ingest_corpus(tmp_path).sections
        assert [s.heading for s in sections] == ["Notes", "Diet and food"]
        assert [(s.anchor, s.url) for s in sections] == [("", "https://example.org/notes"),
                                                         ("food", "https://example.org/notes")]

    def test_relative_or_scripted_addresses_are_ignored(self, tmp_path):
        (tmp_path / "p.html").write_text(
            '<link rel="canonical" href="javascript:alert(1)"><h1>T</h1><p>x.</p>', "utf-8")
        (tmp_path / "q.md").write_text("---\nurl: ../local.html\n---\n# Q\n\ny.\n", "utf-8")
        assert {s.url for s in ingest_corpus(tmp_path).sections} == {""}

    def test_the_bundled_page_has_an_anchor_for_every_heading(self):
        corpus = ingest_corpus(CORPUS)
        assert all(s.anchor == s.section for s in corpus.sections)


class TestCorpusFaults:
    """Ingestion warns per file and goes on; it fails only when nothing is readable."""

    def test_bad_files_are_skipped_with_a_warning_each(self, tmp_path):
        (tmp_path / "good.md").write_text("# Good\n\nReadable text.\n", "utf-8")
        (tmp_path / "empty.txt").write_text("", "utf-8")
        (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
        os.symlink("/etc/hostname", tmp_path / "outside.txt")
        os.symlink(tmp_path / "missing-target.md", tmp_path / "dangling.md")
        corpus = ingest_corpus(tmp_path)
        assert corpus.documents == ["good.md"]
        warned = {w.document: w.message for w in corpus.warnings}
        assert "empty" in warned["empty.txt"]
        assert "binary" in warned["binary.txt"]
        assert "outside the corpus" in warned["outside.txt"]
        assert "cannot read" in warned["dangling.md"]

    def test_non_utf8_text_is_decoded_and_the_guess_reported(self, tmp_path):
        source = "Caf\u00e9 heading\n\nSteroids \u2013 na\u00efve text.\n"
        (tmp_path / "latin.txt").write_bytes(source.encode("cp1252"))
        corpus = ingest_corpus(tmp_path)
        assert "Steroids \u2013 na\u00efve text." in corpus.passages[0].text
        assert any("cp1252" in w.message for w in corpus.warnings)

    def test_oversized_files_are_skipped(self, tmp_path, monkeypatch):
        from spms_search import ingestion

        monkeypatch.setattr(ingestion, "MAX_FILE_BYTES", 100)
        (tmp_path / "big.txt").write_text("word " * 100, "utf-8")
        (tmp_path / "small.txt").write_text("Small text.", "utf-8")
        corpus = ingest_corpus(tmp_path)
        assert corpus.documents == ["small.txt"]
        assert any("limit" in w.message for w in corpus.warnings)

    def test_a_corpus_with_no_readable_passage_is_an_error(self, tmp_path):
        (tmp_path / "empty.md").write_text("   \n", "utf-8")
        with pytest.raises(CorpusError, match="no passage could be read"):
            ingest_corpus(tmp_path)

    def test_a_missing_corpus_folder_is_an_error(self, tmp_path):
        with pytest.raises(CorpusError, match="does not exist"):
            ingest_corpus(tmp_path / "nope")

    def test_files_are_read_recursively_in_a_stable_order(self, tmp_path):
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "z.md").write_text("# Z\n\nzed.\n", "utf-8")
        (tmp_path / "a.txt").write_text("A title\n\nalpha text.\n", "utf-8")
        (tmp_path / "notes.pdf").write_bytes(b"%PDF")
        corpus = ingest_corpus(tmp_path)
        assert corpus.documents == ["a.txt", "b/z.md"]
