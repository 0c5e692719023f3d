"""Rendering results for a person at a terminal, safely.

Corpus text and the question are both untrusted: control characters, terminal escape
sequences and bidirectional overrides are removed before anything is written, so a
document cannot move the cursor, change the title or hide text.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import unicodedata
from typing import TextIO

import click

_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def sanitize(text: str) -> str:
    """``text`` without escape sequences, control characters (but newlines) or bidi controls."""
    text = _ANSI_RE.sub("", text)
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


def use_color(stream: TextIO | None = None) -> bool:
    """Colour only on a real terminal, and never when ``NO_COLOR`` is set or TERM is dumb."""
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width() -> int:
    return max(40, min(shutil.get_terminal_size((88, 24)).columns, 100))


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


def wrap(text: str, width: int, indent: str) -> str:
    """Wrap each line of ``text`` (bullets keep a hanging indent)."""
    lines = []
    for line in sanitize(text).split("\n"):
        hang = "  " if line.startswith("\u2022 ") else ""
        lines.append(textwrap.fill(line, width=width, initial_indent=indent,
                                   subsequent_indent=indent + hang) or indent)
    return "\n".join(lines)


def heading_path(headings: tuple[str, ...] | list[str]) -> str:
    return " \u203a ".join(sanitize(h) for h in headings)
