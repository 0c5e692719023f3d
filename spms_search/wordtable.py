"""Compact word tables: sorted words in one string, found by binary search.

A dict of tens of thousands of words costs about as much to unpickle as to build (one
object per word and value), so caching one as a dict saves nothing at start-up. These
tables are one string and an array of offsets, so loading them from the compiled cache
(``compiled.py``) is a copy; each look-up is remembered, so a warm process finds words as
fast as in a dict.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

#: Most remembered look-ups per table (a long-running server asks about many words).
MEMO_LIMIT = 200_000
#: Look-ups a table answers by its own binary search over the packed string before it
#: splits the string into a list once and bisects that (see :meth:`SortedWords.find`).
SPLIT_AFTER = 256


def _pack(words: Iterable[str]) -> tuple[str, array[int]]:
    """The words joined by newlines, and where each starts (plus one past the end)."""
    items = list(words)
    starts = array("I")
    position = 0
    for word in items:
        starts.append(position)
        position += len(word) + 1
    starts.append(position)
    return "\n".join(items), starts


def _item(text: str, starts: array[int], i: int) -> str:
    return text[starts[i] : starts[i + 1] - 1]


class SortedWords:
    """Words (without newlines) in sorted order; :meth:`find` gives a word's position."""

    #: The words as a list, once :meth:`find` has split them; how many it searched before.
    _list: list[str] | None = None
    _searched = 0

    def __init__(self, words: Iterable[str]) -> None:
        self.text, self.starts = _pack(sorted(set(words)))

    def __getstate__(self) -> dict[str, object]:
        """The packed words only (as pickled before :meth:`find` kept a list)."""
        return {"text": self.text, "starts": self.starts}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def find(self, word: str) -> int:
        """Position of ``word``, or -1 when it is not listed.

        The first :data:`SPLIT_AFTER` look-ups search the packed string (a start-up that
        asks about a few words pays nothing more); after that the string is split into a
        list once (~8 ms for the 44,000 English words) and bisected in C, about 10 times
        faster a look-up: a question with typos asks about hundreds of generated words.
        The same sorted words either way, so the same position.
        """
        listed_words = self._list
        if listed_words is not None:
            i = bisect_left(listed_words, word)
            return i if i < len(listed_words) and listed_words[i] == word else -1
        self._searched += 1
        if self._searched > SPLIT_AFTER:
            self._list = self.words()
            return self.find(word)
        text, starts = self.text, self.starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            listed = text[starts[mid] : starts[mid + 1] - 1]
            if listed < word:
                lo = mid + 1
            elif listed > word:
                hi = mid
            else:
                return mid
        return -1

    def words(self) -> list[str]:
        return self.text.split("\n") if len(self) else []


class StringTable:
    """Word -> string (e.g. its stem), for the words given; None for any other word."""

    def __init__(self, table: dict[str, str]) -> None:
        self.keys = SortedWords(table)
        self.values, self.value_starts = _pack(table[w] for w in self.keys.words())
        self._memo: dict[str, str | None] = {}

    def __getstate__(self) -> tuple[SortedWords, str, array[int]]:
        return self.keys, self.values, self.value_starts

    def __setstate__(self, state: tuple[SortedWords, str, array[int]]) -> None:
        self.keys, self.values, self.value_starts = state
        self._memo = {}

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, word: str) -> str | None:
        memo = self._memo
        if word in memo:
            return memo[word]
        i = self.keys.find(word)
        found = _item(self.values, self.value_starts, i) if i >= 0 else None
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[word] = found
        return found


class FloatTable:
    """Word -> number (e.g. its Zipf frequency); None for any other word."""

    def __init__(self, table: dict[str, float]) -> None:
        self.keys = SortedWords(table)
        self.values = array("d", (table[w] for w in self.keys.words()))
        self._memo: dict[str, float | None] = {}

    def __getstate__(self) -> tuple[SortedWords, array[float]]:
        return self.keys, self.values

    def __setstate__(self, state: tuple[SortedWords, array[float]]) -> None:
        self.keys, self.values = state
        self._memo = {}

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def get(self, word: str) -> float | None:
        memo = self._memo
        if word in memo:
            return memo[word]
        i = self.keys.find(word)
        found = self.values[i] if i >= 0 else None
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[word] = found
        return found
