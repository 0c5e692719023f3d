"""Regular expressions compiled when first used instead of when their module is imported.

Compiling a pattern costs a fraction of a millisecond to a millisecond and a half (``re``
parses it in Python); a command-line answer pays that at import for every pattern of the
modules it loads, though a plain question uses only some of them. A pattern made here is
compiled by :func:`re.compile` exactly as written, on the first call, and kept.

Most of the query path's wording patterns (``query.py``) are tried on every question,
though a question matches few of them; :class:`GuardedPattern` names the words one of which
any match must hold, and answers a question holding none of them without compiling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, partial
from typing import Any


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call."""
    return cache(partial(re.compile, pattern, flags))


#: The characters other than A-Z that ``re.IGNORECASE`` matches to an ASCII letter (found by
#: trying every code point): with these mapped and the text lower-cased, a pattern that
#: matches case-insensitively holds its literal lower-case words in the text as mapped.
_IGNORECASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class GuardedPattern:
    """A lazily compiled pattern that only runs on text holding one of ``needs``.

    ``needs`` are words (lower case) of which every match of the pattern holds at least one,
    literally: text holding none of them cannot match, and is answered as ``re`` would
    answer a text without a match (``None``, ``[text]``, ``text``), without compiling. Most
    questions ask in one of a few ways, so most of the wording patterns are never compiled.
    With ``at_start`` every match begins with one of ``needs`` (a pattern anchored by ``^``).
    For a case-insensitive pattern the text is compared lower-cased (see _IGNORECASE_FOLD).
    """

    __slots__ = ("_compiled", "_fold", "at_start", "needs")

    def __init__(self, pattern: str, flags: int = 0, *, needs: tuple[str, ...],
                 at_start: bool = False) -> None:
        assert needs and all(n == n.lower() for n in needs)
        self._compiled = lazy_pattern(pattern, flags)
        self._fold = bool(flags & re.IGNORECASE)
        self.needs = needs
        #: True for a pattern anchored at the start (``^``) whose matches begin with a need.
        self.at_start = at_start

    @property
    def compiled(self) -> re.Pattern[str]:
        return self._compiled()

    def may_match(self, text: str) -> bool:
        """False when ``text`` holds none of ``needs``: then it cannot match."""
        if self._fold:
            text = text.translate(_IGNORECASE_FOLD).lower()
        if self.at_start:
            return text.startswith(self.needs)
        return any(need in text for need in self.needs)

    def match(self, text: str) -> re.Match[str] | None:
        return self._compiled().match(text) if self.may_match(text) else None

    def search(self, text: str) -> re.Match[str] | None:
        return self._compiled().search(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._compiled().finditer(text) if self.may_match(text) else iter(())

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return self._compiled().split(text, maxsplit) if self.may_match(text) else [text]

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._compiled().sub(repl, text) if self.may_match(text) else text
