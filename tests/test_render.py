"""The layout of answers, on made-up responses: wrapping, grouping, marking, source links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from spms_search.render import Layout, display_width, render_response, strip_ansi, wrap_lines


@dataclass(frozen=True)
class FakeResult:
    rank: int
    score: float
    section: str
    text: str
    answer: str
    headings: tuple[str, ...] = ("Guide", "Part")
    document: str = "guide.md"
    url: str | None = None


@dataclass
class FakePlan:
    truncated: bool = False


@dataclass
class FakeResponse:
    results: list[Any]
    query: str = "q"
    suggestion: str | None = None
    browse: list[Any] = field(default_factory=list)
    plan: FakePlan = field(default_factory=FakePlan)

    def to_dict(self) -> dict[str, Any]:
        return {"results": [{"url": r.url} if r.url else {} for r in self.results]}


def test_a_source_link_is_printed_once_under_its_section_when_results_carry_one():
    url = "https://example.org/spms#steroids"
    response = FakeResponse([
        FakeResult(1, 10.0, "steroids", "Steroids treat relapses.", "Steroids treat relapses.", url=url),
        FakeResult(2, 9.0, "steroids", "They are short courses.", "They are short courses.", url=url),
        FakeResult(3, 8.0, "other", "Other text here.", "Other text here."),
    ])
    out = render_response(response, Layout(width=80))
    assert out.count(f"Source: {url}") == 1
    assert out.index("Source:") < out.index("2. Guide")


def test_results_without_a_link_print_no_source_line():
    response = FakeResponse([FakeResult(1, 1.0, "s", "Text.", "Text.")])
    assert "Source" not in render_response(response, Layout(width=80))


def test_the_answer_is_bold_only_where_it_is_and_printed_once_when_it_is_not_in_the_passage():
    text = "First sentence here. The answer sentence is this one. Last sentence."
    response = FakeResponse([FakeResult(1, 1.0, "s", text, "The answer sentence is this one.")])
    out = render_response(response, Layout(width=40, color=True))
    assert "\x1b[1m" in out
    bold = [part.split("\x1b[0m")[0] for part in out.split("\x1b[1m")[1:]]
    assert " ".join(" ".join(b for b in bold if "Guide" not in b and "Part" not in b).split()) == \
        "The answer sentence is this one."
    elsewhere = FakeResponse([FakeResult(1, 1.0, "s", "A passage.", "A summary not in it.")])
    plain = render_response(elsewhere, Layout(width=40))
    assert plain.count("A summary not in it.") == 1 and "A passage." in plain


@pytest.mark.parametrize("width", [40, 57, 80])
def test_no_line_is_wider_than_the_layout_and_no_word_is_cut(width):
    text = ("Secondary progressive MS (SPMS) is a stage of MS that follows relapsing remitting MS "
            "for many people, often 10 to 20 years after diagnosis. \u2022 a list item that is long "
            "enough to wrap onto a second line of the terminal")
    lines = wrap_lines(text, width, "   ")
    assert all(display_width(line) <= width for line in lines)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())


def test_a_word_wider_than_the_line_is_cut_after_a_hyphen():
    slug = "what-sort-of-changes-happen-when-you-move-from-relapsing-to-secondary-progressive-ms-spms"
    lines = wrap_lines(slug, 40, "  ")
    assert all(len(line) <= 40 for line in lines)
    assert all(line.rstrip().endswith("-") for line in lines[:-1])
    assert "".join(line.strip() for line in lines) == slug


def test_wide_characters_count_two_columns():
    lines = wrap_lines("\u8840\u6db2 " * 30, 40)
    assert all(display_width(line) <= 40 for line in lines) and len(lines) > 2


def test_colour_codes_do_not_count_towards_the_width():
    text = "word " * 40
    lines = wrap_lines(text, 40, "", "", [(0, len(text))], lambda s: f"\x1b[1m{s}\x1b[0m")
    assert all(len(strip_ansi(line)) <= 40 for line in lines)
    assert all(len(line) > 40 for line in lines[:-1])  # the codes are there


def test_a_source_link_carried_only_by_the_json_form_is_printed_too():
    class Linked(FakeResponse):
        def to_dict(self) -> dict[str, Any]:
            return {"results": [{"url": "https://example.org/a"}]}

    out = render_response(Linked([FakeResult(1, 1.0, "s", "Text.", "Text.")]), Layout(width=80))
    assert "Source: https://example.org/a" in out


def test_wrapping_an_enormous_passage_stays_linear():
    # 400 KB in one token and in words: about a second each when linear; the quadratic
    # cutting this replaced took 5.7 s for 40 KB, so about ten minutes here
    import time

    for text in ("x" * 400_000, "word " * 80_000):
        started = time.perf_counter()
        lines = wrap_lines(text, 80, "   ")
        assert time.perf_counter() - started < 30
        assert max(len(line) for line in lines) <= 80


def test_sanitize_changes_exactly_the_characters_it_always_changed():
    """Every code point: the ones ``sanitize`` replaces or drops are the control characters
    (Cc, the newline kept), surrogates (Cs), escape and the bidi controls; all others pass
    through untouched, whether or not a changed character is beside them."""
    import sys
    import unicodedata

    from spms_search.render import _BIDI, sanitize

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    changed = {ch for ch in everything
               if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI)}
    kept = "".join(ch for ch in everything if ch not in changed)
    assert sanitize(kept) == kept
    for ch in changed:
        assert sanitize(f"a{ch}b") in ("ab", "a b", "a\ufffdb"), hex(ord(ch))
    assert sanitize("a\u202eb\x07c\ud800d\ne") == "ab c\ufffdd\ne"
