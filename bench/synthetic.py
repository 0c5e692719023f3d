"""Deterministic synthetic corpora with realistic (Zipfian) word frequencies.

Words are made-up but pronounceable (syllables from a fixed seed); their frequencies follow
Zipf's law (the r-th most common word appears about 1/r as often as the most common), as
in real text. Documents are Markdown: a title, sections with headings, and paragraphs of
20 to 80 words, so the growth bench exercises the real ingestion and index.
"""

from __future__ import annotations

import bisect
import itertools
import random
from pathlib import Path

VOCABULARY_SIZE = 50_000
PASSAGES_PER_FILE = 50
PASSAGES_PER_SECTION = 5
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ch", "sh", "th", "qu"]


def _words(rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < VOCABULARY_SIZE:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


class ZipfWords:
    """Draws words with Zipfian frequencies (exponent 1.0), reproducibly."""

    def __init__(self, seed: int = 1400) -> None:
        self.rng = random.Random(seed)
        self.words = _words(self.rng)
        self.cumulative = list(itertools.accumulate(1.0 / r for r in range(1, len(self.words) + 1)))

    def draw(self, n: int) -> list[str]:
        total = self.cumulative[-1]
        return [self.words[bisect.bisect(self.cumulative, self.rng.random() * total)] for _ in range(n)]


def make_corpus(folder: Path, passages: int, seed: int = 1400, per_file: int = PASSAGES_PER_FILE) -> None:
    """Write Markdown files holding ``passages`` paragraphs in all, ``per_file`` a file."""
    folder.mkdir(parents=True, exist_ok=True)
    zipf = ZipfWords(seed)
    written = 0
    file_no = 0
    while written < passages:
        lines = [f"# {' '.join(zipf.draw(4)).capitalize()}", ""]
        for i in range(min(per_file, passages - written)):
            if i % PASSAGES_PER_SECTION == 0:
                lines += [f"## {' '.join(zipf.draw(3)).capitalize()}", ""]
            words = zipf.draw(zipf.rng.randint(20, 80))
            lines += [" ".join(words).capitalize() + ".", ""]
            written += 1
        (folder / f"doc-{file_no:05d}.md").write_text("\n".join(lines), "utf-8")
        file_no += 1


def make_queries(n: int, seed: int = 225) -> list[str]:
    """Questions of 2 to 5 words drawn from the middle of the frequency range."""
    zipf = ZipfWords()
    rng = random.Random(seed)
    middle = zipf.words[50:5000]
    return [" ".join(rng.sample(middle, rng.randint(2, 5))) for _ in range(n)]
