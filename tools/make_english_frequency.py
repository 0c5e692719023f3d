"""Regenerate ``spms_search/data/english_frequency.txt`` from pyspellchecker's English list.

Run once by a maintainer (``pip install pyspellchecker && python tools/make_english_frequency.py``);
the package itself never imports pyspellchecker. The output keeps lower-case alphabetic
words seen at least ``MIN_COUNT`` times, grouped by their Zipf frequency (log10 of
occurrences per billion words) rounded to one decimal.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

MIN_COUNT = 100
OUT = Path(__file__).resolve().parent.parent / "spms_search" / "data" / "english_frequency.txt"

HEADER = """\
# General English word frequencies: how common a word is outside any corpus.
# Used (1) to weigh a question word the corpus never uses: "said" or "now" say little,
# "contagious" or "passport" say the question is about something else; (2) to cap the
# weight of everyday words the corpus happens to use rarely ("take", "stop", "work");
# (3) so spelling correction never "corrects" a real English word ("feel" is not "feet").
# Format: one line per Zipf value (log10 of occurrences per billion words, one decimal),
# then the words with that value. Words seen fewer than {min_count} times are left out.
# Source: the English frequency list of pyspellchecker {version} (MIT licence,
# Tyler Barrus), itself built from OpenSubtitles word counts (hermitdave/FrequencyWords,
# CC BY-SA 4.0). Regenerate with tools/make_english_frequency.py.
"""


def main() -> None:
    import spellchecker  # type: ignore[import-not-found]

    raw = resources.files("spellchecker").joinpath("resources/en.json.gz").read_bytes()
    counts: dict[str, int] = json.loads(gzip.decompress(raw))
    total = sum(counts.values())
    buckets: dict[float, list[str]] = defaultdict(list)
    for word, count in counts.items():
        if count >= MIN_COUNT and re.fullmatch(r"[a-z]+", word):
            buckets[round(math.log10(count / total * 1e9), 1)].append(word)
    lines = [HEADER.format(min_count=MIN_COUNT, version=getattr(spellchecker, "__version__", "?"))]
    for zipf in sorted(buckets, reverse=True):
        lines.append(f"{zipf:.1f}\t{' '.join(sorted(buckets[zipf]))}\n")
    OUT.write_text("".join(lines), "utf-8")
    print(f"wrote {sum(len(v) for v in buckets.values())} words to {OUT}")


if __name__ == "__main__":
    main()
