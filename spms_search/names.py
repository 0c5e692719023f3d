"""Names from outside (file names, paths) made safe to store, print and put in JSON.

A corpus file may be called anything the file system allows: bytes that are not UTF-8
(Python hands them over as lone surrogates, which no encoder accepts), newlines, terminal
escape sequences, bidirectional overrides. Such a name becomes a document name, a heading
and part of warnings and error messages, so it is escaped once, where it enters the
package: every such character is written as a visible ``\\xNN`` or ``\\uNNNN`` escape.
Ordinary names (letters of any script, spaces, punctuation) are left exactly as they are.
"""

from __future__ import annotations

import os
import unicodedata

#: Character categories that are never shown raw: controls, format characters (bidi
#: overrides, zero-width joiners), surrogates, private use, unassigned, line separators.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_name(name: str | os.PathLike[str]) -> str:
    """``name`` with every unsafe character escaped: one printable, encodable line."""
    text = os.fspath(name)
    if text.isprintable() and text.isascii():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE else ch for ch in text)
