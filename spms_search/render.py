"""Rendering results for a person at a terminal, safely and readably.

Corpus text and the question are both untrusted: control characters, terminal escape
sequences and bidirectional overrides are removed before anything is written, so a
document cannot move the cursor, change the title or hide text.

The layout is for a patient reading in a terminal of any width: every line is wrapped
at spaces to the width (a word is never cut unless it alone is wider than a line),
passages of one section sit under one heading path, the answer sentence is marked
inside its passage (bold on a terminal, nothing added when piped) rather than printed a
second time, and results far weaker than the best one are left out with a note. Raw
scores mean nothing to a reader, so they appear only with ``--explain``.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import click

from .lazyre import GuardedPattern, lazy_pattern
from .records import FrozenRecord

_ANSI_RE = GuardedPattern(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])",
                          needs=("\x1b",))
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
#: Any character :func:`sanitize` changes: control characters (category Cc) but the newline,
#: surrogates (Cs) and the bidi controls. Text without one (nearly all) skips the loop. All of
#: these are unprintable (``str.isprintable``: Cc, Cs, Cf), so printable lines hold none.
_unsafe_re = lazy_pattern(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
                        r"\u200e\u200f\u061c]")

#: A result whose score is below this share of the best one is left out of the layout
#: (``--all`` shows it; ``--json`` always carries every result). Scores on this page run
#: from under 1 to over 100; a tenth of the best is where the passages stop being about
#: the question in the examples of docs and tests.
WEAK_SHARE = 0.1

#: Narrowest and widest layout, whatever the terminal says.
MIN_WIDTH, MAX_WIDTH = 40, 100

Style = Callable[[str], str]


def sanitize(text: str) -> str:
    """``text`` without escape sequences, control characters (but newlines) or bidi controls."""
    text = _ANSI_RE.sub("", text)
    if all(line.isprintable() for line in text.split("\n")) or _unsafe_re().search(text) is None:
        return text
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
        elif ch in _BIDI or ch == "\x1b":
            continue
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            out.append("\ufffd" if unicodedata.category(ch) == "Cs" else " ")
        else:
            out.append(ch)
    return "".join(out)


def strip_ansi(text: str) -> str:
    """``text`` without the escape sequences colour added (what a reader sees)."""
    return _ANSI_RE.sub("", text)


# --------------------------------------------------------------------------- colour


def color_choice(choice: str = "auto", stream: TextIO | None = None,
                 environ: dict[str, str] | None = None) -> bool:
    """Whether to colour: ``--color always/never`` first, then ``NO_COLOR``, ``FORCE_COLOR``, a tty.

    ``NO_COLOR`` and ``FORCE_COLOR`` count only when non-empty (no-color.org,
    force-color.org): an empty ``NO_COLOR=`` leaves colour on.
    """
    env = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never" or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def use_color(stream: TextIO | None = None) -> bool:
    """Colour by the environment alone (``--color auto``)."""
    return color_choice("auto", stream)


def terminal_width() -> int:
    """The width to wrap to: the terminal's (or ``COLUMNS``), kept between 40 and 100."""
    return max(MIN_WIDTH, min(shutil.get_terminal_size((88, 24)).columns, MAX_WIDTH))


def _bold(text: str) -> str:
    return click.style(text, bold=True)


def _heading_style(text: str) -> str:
    return click.style(text, fg="cyan", bold=True)


# --------------------------------------------------------------------------- wrapping


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes: wide East Asian characters two, combining marks none."""
    return sum(_char_width(ch) for ch in text)


def _pieces(word: str, room: int) -> list[str]:
    """A word wider than a whole line, cut (after a hyphen where possible) into lines.

    One pass over the word: a passage can be one enormous token.
    """
    pieces: list[str] = []
    start, n = 0, len(word)
    while start < n:
        end, used = start, 0
        while end < n:
            w = _char_width(word[end])
            if used + w > room and end > start:
                break
            used += w
            end += 1
        if end < n:
            hyphen = word.rfind("-", start, end)
            if hyphen > start:
                end = hyphen + 1
        pieces.append(word[start:end])
        start = end
    return pieces


def wrap_lines(text: str, width: int, indent: str = "", hang: str = "",
               marks: Sequence[tuple[int, int]] = (), style: Style | None = None,
               first: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` columns at spaces, each line of it separately.

    ``indent`` starts every line; continuation lines get ``hang`` more (bullets, written
    ``• ``, get two spaces more on their own). Characters inside ``marks`` (offsets into
    ``text``) are passed through ``style`` when one is given. A word is cut only when it
    alone is wider than a line. ``first``, when given, starts the very first line instead
    of ``indent`` (a number before a heading path).
    """
    out: list[str] = []
    offset = 0
    for raw in text.split("\n"):
        extra = "  " if raw.startswith("\u2022 ") else ""
        lead = first if first is not None and not out else indent
        rest = indent + hang + extra
        words = [(offset + m.start(), offset + m.end()) for m in re.finditer(r"\S+", raw)]
        offset += len(raw) + 1
        if not words:
            out.append(indent.rstrip())
            continue
        line: list[tuple[int, int]] = []
        used = display_width(lead)
        prefix = lead
        for start, end in words:
            w = display_width(text[start:end])
            need = w + (1 if line else 0)
            if line and used + need > width:
                out.append(prefix + _join(text, line, marks, style))
                line, prefix, used = [], rest, display_width(rest)
                need = w
            room = width - used
            if not line and w > room:
                pieces = _pieces(text[start:end], max(room, 1))
                pos = start
                for piece in pieces[:-1]:
                    out.append(prefix + _join(text, [(pos, pos + len(piece))], marks, style))
                    pos += len(piece)
                    prefix, used = rest, display_width(rest)
                start, w, need = pos, display_width(text[pos:end]), display_width(text[pos:end])
            line.append((start, end))
            used += need
        out.append(prefix + _join(text, line, marks, style))
    return out


def _join(text: str, words: list[tuple[int, int]], marks: Sequence[tuple[int, int]],
          style: Style | None) -> str:
    """The words of one line joined by single spaces, runs inside ``marks`` styled as one."""
    if style is None or not marks:
        return " ".join(text[s:e] for s, e in words)
    chars: list[tuple[str, bool]] = []
    for i, (s, e) in enumerate(words):
        if i:
            # a space is inside a mark when the characters on both sides are
            chars.append((" ", _inside(s - 1, marks) and _inside(s, marks)))
        chars.extend((text[p], _inside(p, marks)) for p in range(s, e))
    out = []
    for inside, run in itertools.groupby(chars, key=lambda c: c[1]):
        chunk = "".join(c for c, _ in run)
        out.append(style(chunk) if inside else chunk)
    return "".join(out)


def _inside(position: int, marks: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in marks)


def fit(text: str, width: int, hang: str = "    ") -> str:
    """``text`` with each line kept as it is when it fits, else wrapped under its own indent.

    For text laid out by hand (help, explanations), whose spacing would be lost by
    :func:`wrap`.
    """
    lines: list[str] = []
    for line in sanitize(text).split("\n"):
        if display_width(line) <= width:
            lines.append(line)
        else:
            lead = line[:len(line) - len(line.lstrip(" "))]
            lines += wrap_lines(line.strip(" "), width, lead, hang)
    return "\n".join(lines)


def wrap(text: str, width: int, indent: str, hang: str = "") -> str:
    """``text`` sanitised and wrapped (bullets keep a hanging indent)."""
    return "\n".join(wrap_lines(sanitize(text), width, indent, hang))


def heading_path(headings: tuple[str, ...] | list[str]) -> str:
    return " \u203a ".join(sanitize(h) for h in headings)


def highlight(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """``text`` with the given character spans in bold (sanitised, colour only if allowed)."""
    if not color or not spans:
        return sanitize(text)
    parts = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        parts.append(sanitize(text[last:start]))
        parts.append(click.style(sanitize(text[start:end]), bold=True, fg="yellow"))
        last = end
    parts.append(sanitize(text[last:]))
    return "".join(parts)


# --------------------------------------------------------------------------- results


class Layout(FrozenRecord):
    """How to lay results out: width in columns, colour, and what to show."""

    width: int
    color: bool
    explain: bool
    show_all: bool
    #: How the reader sees what was left out (the chat has its own word for it).
    more_hint: str
    #: How the reader opens a section offered when no answer was confident.
    show_hint: str

    __slots__ = _fields = ("width", "color", "explain", "show_all", "more_hint", "show_hint")

    def __init__(
        self,
        width: int = 80,
        color: bool = False,
        explain: bool = False,
        show_all: bool = False,
        more_hint: str = "--all shows them",
        show_hint: str = "'spms-search show SECTION'",
    ) -> None:
        object.__setattr__(self, "width", width)
        object.__setattr__(self, "color", color)
        object.__setattr__(self, "explain", explain)
        object.__setattr__(self, "show_all", show_all)
        object.__setattr__(self, "more_hint", more_hint)
        object.__setattr__(self, "show_hint", show_hint)


def strong_results(results: Sequence[Any], share: float = WEAK_SHARE) -> tuple[list[Any], int]:
    """The results worth showing (score at least ``share`` of the best) and how many were cut."""
    if not results:
        return [], 0
    best = max(r.score for r in results)
    kept = [r for r in results if best <= 0 or r.score >= best * share]
    return kept, len(results) - len(kept)


def group_by_section(results: Sequence[Any]) -> list[list[Any]]:
    """Results of one section together, groups in the order of their best result."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in results:
        groups.setdefault((r.document, r.section), []).append(r)
    return list(groups.values())


def answer_span(text: str, answer: str) -> tuple[int, int] | None:
    """Where the answer sentence lies in its (sanitised) passage, or None."""
    answer = answer.strip()
    if not answer:
        return None
    at = text.find(answer)
    if at >= 0:
        return at, at + len(answer)
    # the same words with other spacing (a bullet's line breaks, doubled spaces)
    pattern = r"\s+".join(re.escape(w) for w in answer.split())
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def _result_urls(response: Any) -> list[str | None]:
    """Each result's source link when results carry one (``url``), else None."""
    urls: list[str | None] = [getattr(r, "url", None) for r in response.results]
    if any(urls):
        return urls
    try:
        items = response.to_dict().get("results", [])
    except Exception:  # noqa: BLE001 - a source link is optional decoration
        return urls
    return [(item.get("url") if isinstance(item, dict) else None) or None for item in items] or urls


def render_response(response: Any, layout: Layout) -> str:
    """The human form of a :class:`~spms_search.search.Response`."""
    width = layout.width
    lines: list[str] = []
    if response.plan.truncated:
        lines += wrap_lines("(The question was long; only its first part was used.)", width)
    if response.suggestion:
        lines += wrap_lines(f"Showing results for: {sanitize(response.suggestion)}", width)
    if not response.results:
        lines += wrap_lines(f"No confident answer for \u201c{sanitize(response.query)}\u201d.", width)
        if response.browse:
            lines += wrap_lines(f"These sections may help; read one with {layout.show_hint}:", width)
            for s in response.browse:
                lines += _section_line(s, width)
        return "\n".join(lines)
    urls = dict(zip((id(r) for r in response.results), _result_urls(response)))
    shown, cut = (list(response.results), 0) if layout.show_all else strong_results(response.results)
    groups = group_by_section(shown)
    number_width = len(f"{len(groups)}. ")
    body = " " * number_width
    for n, group in enumerate(groups, 1):
        if lines:
            lines.append("")
        lines += _heading_lines(f"{n}. ".ljust(number_width), group[0].headings, layout)
        for r in group:
            lines.append("")
            lines += _passage_lines(r, body, layout)
            if layout.explain:
                lines.append(f"{body}(result {r.rank}, score {r.score:.2f})")
        url = next((urls[id(r)] for r in group if urls.get(id(r))), None)
        if url:
            lines.append("")
            lines += wrap_lines(f"Source: {sanitize(url)}", width, body, "  ")
    if cut:
        lines.append("")
        noun = "result" if cut == 1 else "results"
        lines += wrap_lines(f"({cut} weaker {noun} left out; {layout.more_hint}.)", width)
    return "\n".join(lines)


def _heading_lines(number: str, headings: Sequence[str], layout: Layout) -> list[str]:
    """``1. A › B › C`` wrapped with a hanging indent under the first word of the path."""
    path = heading_path(tuple(headings))
    style = _heading_style if layout.color else None
    return wrap_lines(path, layout.width, " " * len(number), "",
                      [(0, len(path))] if style else (), style, first=number)


def _passage_lines(result: Any, indent: str, layout: Layout) -> list[str]:
    text = sanitize(result.text)
    span = answer_span(text, sanitize(result.answer))
    lines: list[str] = []
    if span is None and result.answer.strip():
        # the answer is not verbatim in the passage: show it once, before it
        style = _bold if layout.color else None
        answer = sanitize(result.answer)
        lines += wrap_lines(answer, layout.width, indent, "",
                            [(0, len(answer))] if style else (), style)
    style = _bold if layout.color else None
    lines += wrap_lines(text, layout.width, indent, "", [span] if span and style else (), style)
    return lines


# --------------------------------------------------------------------------- browsing


def _section_line(section: Any, width: int) -> list[str]:
    """``Heading  [slug]`` indented by level; the slug on a line of its own when it does not fit."""
    pad = "  " + "  " * (section.level - 1)
    lines = wrap_lines(sanitize(section.heading), width, pad, "    ")
    slug = f"[{section.section}]"
    if display_width(lines[-1]) + 2 + display_width(slug) <= width:
        lines[-1] += "  " + slug
    else:
        lines += wrap_lines(slug, width, pad + "    ")
    return lines


def render_sections(sections: Sequence[Any], layout: Layout) -> str:
    """The heading tree, one line per section (``Heading  [slug]``), under each document."""
    lines: list[str] = []
    document = None
    for s in sections:
        if s.document != document:
            document = s.document
            lines += wrap_lines(sanitize(s.document), layout.width)
        lines += _section_line(s, layout.width)
    return "\n".join(lines)


def render_section(section: Any, passages: Sequence[str], layout: Layout,
                   url: str | None = None) -> str:
    """One section in full: its heading path, slug and document, then every passage."""
    path = heading_path(section.headings)
    style = _heading_style if layout.color else None
    lines = wrap_lines(path, layout.width, "  ", "", [(0, len(path))] if style else (), style, first="")
    where = f"[{section.section}]  {sanitize(section.document)}"
    lines += [where] if display_width(where) <= layout.width else wrap_lines(where, layout.width, "", "  ")
    if url:
        lines += wrap_lines(f"Source: {sanitize(url)}", layout.width, "", "  ")
    for text in passages:
        lines.append("")
        lines += wrap_lines(sanitize(text), layout.width)
    return "\n".join(lines)
