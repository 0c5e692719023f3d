"""General English word frequencies: how much a word says about a subject on its own.

A corpus of a few dozen passages cannot tell which of its words are everyday English
("take", "stop", "work") and which are subject words ("relapse", "balance"), and it knows
nothing of the words it never uses. A question, though, is full of both. This module
answers from ``data/english_frequency.txt`` (Zipf frequencies: log10 of occurrences per
billion words of film and TV subtitles, which is close to how people talk):

* :func:`zipf` — how common a word is in everyday English (None when rare or unknown);
* :func:`is_english_word` — spelling correction leaves real words alone;
* :func:`informativeness` — 1.0 for rare words, falling towards :data:`MIN_INFORMATIVENESS`
  for the most common ones; scoring uses it for words the corpus never uses;
* :func:`is_everyday` — words common enough that their weight is capped.

The table (about 45,000 words) is loaded on first use, not at import, from the compiled
cache of the query data (``compiled.py``).
"""

from __future__ import annotations

from .wordtable import FloatTable

#: Zipf value at or below which a word counts as fully informative (e.g. "alcohol" 4.2).
RARE_ZIPF = 4.5
#: Zipf value at or above which a word says almost nothing (e.g. "now" 6.3, "said" 6.1).
COMMON_ZIPF = 6.0
#: Zipf value from which a word is an everyday word whose weight is capped ("money" 5.6).
#: 4.5 (where a word stops counting as rare: "decide", "fast") was tried on 2026-11-26: it
#: helped the SPMS tuning questions a little but cost CISI 5 points of nDCG@10, whose
#: subject words ("library", "index") are that common in English.
EVERYDAY_ZIPF = 5.0
#: Informativeness of the most common words.
MIN_INFORMATIVENESS = 0.15

#: Inflections and the base they come from: "worries" -> "worry", "making" -> "make".
_SUFFIXES = (("s", ""), ("es", ""), ("ies", "y"), ("ied", "y"), ("ed", ""), ("d", ""),
             ("ing", ""), ("ing", "e"), ("ly", ""), ("ily", "y"))


#: Word -> Zipf frequency, compact (``wordtable.py``): loads from the compiled cache as a copy.
WordTable = FloatTable


_TABLE: WordTable | None = None


def install_table(table: WordTable) -> None:
    """Use ``table`` as the word list (``compiled.py`` parses or loads it)."""
    global _TABLE
    _TABLE = table


def _table() -> WordTable:
    if _TABLE is None:
        from .compiled import bundled_tables

        bundled_tables()  # installs the table
    assert _TABLE is not None
    return _TABLE


def zipf(word: str) -> float | None:
    """Zipf frequency of ``word`` or of its simplest base form, whichever is higher."""
    table = _table()
    word = word.lower()
    best = table.get(word)
    for suffix, replacement in _SUFFIXES:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem + replacement) < 3:
            continue
        bases = [stem + replacement]
        if suffix in ("ed", "ing") and len(stem) > 3 and stem[-1] == stem[-2]:
            bases.append(stem[:-1])  # "stopping", "stopped" -> "stop"
        for base_word in bases:
            base = table.get(base_word)
            if base is not None and (best is None or base > best):
                best = base
    return best


def is_english_word(word: str) -> bool:
    """True for a word in the frequency list itself (inflections are listed separately)."""
    return word.lower() in _table()


def informativeness(word: str) -> float:
    """How much ``word`` says about a subject, from 1.0 (rare) to MIN_INFORMATIVENESS.

    Numbers are treated as common words: "15 years ago" is not a subject.
    """
    if word.isdigit():
        return 0.25
    z = zipf(word)
    if z is None or z <= RARE_ZIPF:
        return 1.0
    if z >= COMMON_ZIPF:
        return MIN_INFORMATIVENESS
    share = (z - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF)
    return 1.0 - share * (1.0 - MIN_INFORMATIVENESS)


def is_everyday(word: str) -> bool:
    """True for everyday words ("take", "work", "money"): weak evidence of a subject."""
    if word.isdigit():
        return True
    z = zipf(word)
    return z is not None and z >= EVERYDAY_ZIPF
