"""Finding a section by what a person types: its slug, its heading, or the start of either.

``show`` and the chat's ``show`` must never guess silently: a name that fits two
sections equally well is ambiguous (the caller lists the candidates), and a name that fits
none gets the nearest headings as suggestions rather than a bare "not found".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # importing the search machinery is not needed to compare names
    from .search import SectionInfo

S = TypeVar("S", bound="SectionInfo")

_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_sections(sections: Sequence[S], name: str) -> list[S]:
    """The sections ``name`` fits best: one when it is unambiguous, several when it is not.

    In order, the first rule that fits anything wins: ``DOCUMENT#SLUG`` (what
    :func:`section_names` prints when documents share headings); the exact slug or
    heading, any case (the slug ``steroids`` and the heading "Steroids" of a second
    document are both exact, so the name is ambiguous); the start of a heading or slug.
    An empty list means nothing fits (see :func:`nearest_sections`).
    """
    wanted = _norm(name)
    if not wanted:
        return []
    document, _, slug = name.strip().rpartition("#")
    if document:
        qualified = [s for s in sections if s.document == document and s.section == slug]
        if qualified:
            return qualified
    exact = [s for s in sections if s.section == wanted or _norm(s.heading) == wanted]
    if exact:
        return exact
    return [s for s in sections if _norm(s.heading).startswith(wanted) or s.section.startswith(wanted)]


def section_names(sections: Sequence[S]) -> list[str]:
    """Names that tell ``sections`` apart: slugs, or ``DOCUMENT#SLUG`` when documents differ."""
    if len({s.document for s in sections}) > 1:
        return [f"{s.document}#{s.section}" for s in sections]
    return [s.section for s in sections]


def nearest_sections(sections: Sequence[S], name: str, limit: int = 3) -> list[S]:
    """Up to ``limit`` sections whose headings are nearest to ``name`` (words first, then spelling)."""
    words = [w for w in _WORD.findall(_norm(name)) if len(w) > 2]

    def word_score(section: S) -> float:
        heading_words = _WORD.findall(_norm(section.heading))
        score = 0.0
        for w in words:
            best = max((difflib.SequenceMatcher(None, w, h).ratio() for h in heading_words), default=0.0)
            if any(h.startswith(w[:4]) for h in heading_words):
                best = max(best, 0.9)
            score += best if best >= 0.75 else 0.0
        return score

    def spelling(section: S) -> float:
        return difflib.SequenceMatcher(None, _norm(name), _norm(section.heading)).ratio()

    scored = [(word_score(s), spelling(s), i, s) for i, s in enumerate(sections)]
    scored = [t for t in scored if t[0] > 0 or t[1] >= 0.5]
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [t[3] for t in scored[:limit]]
