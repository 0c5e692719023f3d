"""Picking the answer: the one sentence (or bullet) of a passage that best answers.

A passage is cut into units: sentences of its paragraphs, and each bullet of a list on
its own. Each unit scores the idf weight of the question groups it contains (an
expansion counts at its lower weight); the best unit wins, the earlier one on a tie.
For "what is X?" a unit that defines X (:func:`defines`) wins over all others.
A list's lead-in ("For example:") is never the answer when a bullet matches. The unit
is returned verbatim, exactly as it stands in the passage.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from .analysis import terms, word_spans
from .english import is_english_word
from .query import QueryPlan
from .vocabulary import DRUG_CLASSES, load_vocabulary

#: A sentence of the kind the question asks for ("who" -> a person) gains this share of the
#: question's heaviest word: enough to choose between sentences that match equally well.
EXPECTED_SHARE = 0.5
#: How many other words may stand between two words of a phrase, so that "getting
#: steadily worse" holds "get worse"; such a match counts GAPPED_PHRASE_SHARE of an exact
#: one, since "MS Helpline team" holds "MS team" the same way.
PHRASE_GAP = 1
GAPPED_PHRASE_SHARE = 0.5

_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])")


def split_units(text: str, items: tuple[str, ...] = ()) -> list[str]:
    """Sentences and bullets of a passage, each verbatim."""
    units: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        bullet = line.startswith("\u2022 ")
        body = line[2:] if bullet else line
        if bullet:
            units.append(body)
        else:
            units.extend(s.strip() for s in _SENTENCE_END_RE.split(body) if s.strip())
    return units


@lru_cache(maxsize=65_536)
def unit_terms_of(unit: str) -> tuple[str, ...]:
    """Index terms of one sentence or bullet (cached: the same passages answer again and again)."""
    return tuple(terms(unit))


Subject = tuple[tuple[tuple[str, ...], ...], ...]

_COPULA_RE = re.compile(
    r"^\W*(?P<head>[^.;:!?]{1,80}?)\W*\s+(?:here\s+)?(?:is|are|means|refers to|stands for)\s"
)
_CALLED_RE = re.compile(r"\b(?:is|are)\s+(?:called|known as|named|termed)\s+(?P<name>[^.,;:()]{1,80})")
_GLOSS_RE = re.compile(r"\(\W*(?P<name>[^()]{1,60}?)\W*\)")


def _names(found: tuple[str, ...], subject: Subject) -> bool:
    """True when ``found`` is nothing but a way of writing the whole subject."""
    if not found:
        return False
    allowed = {t for group in subject for alt in group for t in alt}
    if not set(found) <= allowed:
        return False
    have = set(found)
    return all(any(alt and set(alt) <= have for alt in group) for group in subject)


@lru_cache(maxsize=65_536)
def defines(unit: str, subject: Subject) -> bool:
    """True when ``unit`` defines the subject of a "what is X?" question.

    Three shapes of definition, the ones patient information uses: "X is a ..." (or "X
    here means ..."), "this is called X", and a gloss in brackets after a description,
    "... stop working ('neurodegeneration')".
    """
    if not subject:
        return False
    low = unit.casefold().replace("\u2019", "'").replace("\u2018", "'")
    match = _COPULA_RE.match(low)
    if match and _names(tuple(terms(match.group("head"))), subject):
        return True
    for pattern in (_CALLED_RE, _GLOSS_RE):
        for match in pattern.finditer(low):
            if _names(tuple(terms(match.group("name"))), subject):
                return True
    return False


_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
           r"twenty|thirty|forty|fifty|a few|few|several|many|a couple of)")
#: What a sentence of each answer kind says (see ``query.expected_answer``), in words that
#: patient information anywhere uses: roles and services, spans of time, rates, causes,
#: amounts and frequencies, places and channels.
_KIND_RES: dict[str, re.Pattern[str]] = {
    "person": re.compile(
        r"\b(?:neurologists?|nurses?|gps?|doctors?|physiotherapists?|physios?|therapists?|"
        r"dieti[ct]ians?|nutritionists?|consultants?|specialists?|counsell?ors?|psychologists?|"
        r"pharmacists?|surgeons?|teams?|helplines?|services?|staff|charit(?:y|ies)|"
        r"trained people|professionals?|social workers?|carers?)\b"),
    "time": re.compile(
        rf"\b{_NUMBER}\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b"
        r"|\b(?:19|20)\d\d\b|\bsome time\b|\b(?:take|takes|took|taking) (?:longer|a while|time)\b"
        r"|\bwith time\b|\bover time\b|\bat least\b"),
    "speed": re.compile(
        r"\b(?:slow(?:ly|er)?|quick(?:ly|er)?|fast(?:er)?|rapid(?:ly)?|gradual(?:ly)?|steady|"
        r"steadily|sudden(?:ly)?)\b|\bover (?:years|months|time)\b"),
    "reason": re.compile(
        r"\b(?:because|why|due to|caused by|the reason|as a result|thanks to|this means|so that)\b"),
    "amount": re.compile(
        rf"\b{_NUMBER}\b|\b(?:fewer|more|most|rare|rarely|occasional|occasionally|often|usually|"
        r"sometimes|always|never|common|likely|unlikely|percent|per cent|majority|minority)\b|%"),
    "choice": re.compile(
        r"\b(?:whether|tell apart|tell the difference|work out|difference|different|distinguish|"
        r"due to|instead|rather than)\b"),
    "place": re.compile(
        r"\b(?:online|websites?|forums?|download|local|near|helplines?|centres?|centers?|clinics?|"
        r"hospitals?|nhs|services?|groups?|branch(?:es)?|at home|phone|call)\b"),
}


@lru_cache(maxsize=65_536)
def answers_kind(unit: str, kind: str | None) -> bool:
    """True when ``unit`` says the kind of thing the question asks for ("who" -> a person)."""
    if kind == "drug":
        unit_terms = unit_terms_of(unit)
        return any(contains_phrase(unit_terms, name) for name in drug_names())
    pattern = _KIND_RES.get(kind or "")
    return pattern is not None and pattern.search(unit.casefold()) is not None


_DRUG_NAMES: dict[int, frozenset[tuple[str, ...]]] = {}


def drug_names() -> frozenset[tuple[str, ...]]:
    """Index terms of every medicine the vocabulary names (brand or generic).

    A name is an entry that is a kind of a class of medicines (``DRUG_CLASSES``) and has
    a word that is not everyday English: "siponimod", "beta interferon", not "MS drug".
    """
    vocabulary = load_vocabulary()
    names = _DRUG_NAMES.get(id(vocabulary))
    if names is None:
        names = frozenset(
            entry for entry in vocabulary.kinds_of(*DRUG_CLASSES)
            if any(len(w) > 3 and not is_english_word(w)
                   for w in vocabulary.texts.get(entry, "").lower().replace("-", " ").split())
        )
        _DRUG_NAMES.clear()
        _DRUG_NAMES[id(vocabulary)] = names
    return names


def phrase_share(unit_terms: tuple[str, ...], phrase: tuple[str, ...]) -> float:
    """1 for ``phrase`` as it stands in ``unit_terms``, GAPPED_PHRASE_SHARE for it with words
    between (see :data:`PHRASE_GAP`), 0 for neither."""
    if contains_phrase(unit_terms, phrase, 0):
        return 1.0
    return GAPPED_PHRASE_SHARE if PHRASE_GAP and contains_phrase(unit_terms, phrase, PHRASE_GAP) else 0.0


def contains_phrase(unit_terms: tuple[str, ...], phrase: tuple[str, ...], gap: int = 0) -> bool:
    """True when the words of ``phrase`` stand in order in ``unit_terms``, at most ``gap``
    other words between each two ("getting steadily worse" holds "get worse")."""
    if len(phrase) == 1:
        return phrase[0] in unit_terms
    if any(t not in unit_terms for t in phrase):
        return False
    last = len(unit_terms) - 1

    def rest_from(pos: int, k: int) -> bool:
        if k == len(phrase):
            return True
        return any(unit_terms[p] == phrase[k] and rest_from(p, k + 1)
                   for p in range(pos + 1, min(pos + gap + 2, last + 1)))

    return any(t == phrase[0] and rest_from(i, 1) for i, t in enumerate(unit_terms))


@dataclass(frozen=True)
class AnswerWeights:
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index
    subject: Subject = ()  # set for "what is X?": a sentence defining X answers best
    expects: str | None = None  # the kind of answer asked for ("person" for "who ...?")
    expects_weight: float = 0.0  # what saying that kind of thing adds to a matching unit

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float]) -> AnswerWeights:
        alts = []
        best: dict[int, float] = {}
        for gi, group in enumerate(plan.groups):
            for alt in group.alternatives:
                w = sum(weight_of.get(t, 1.0) for t in alt.terms) * alt.weight
                alts.append((alt.terms, w, gi))
                best[gi] = max(best.get(gi, 0.0), w)
        expects_weight = EXPECTED_SHARE * max(best.values(), default=0.0)
        return cls(alts, plan.subject, plan.expects, expects_weight)

    def unit_score(self, unit: str) -> float:
        unit_terms = unit_terms_of(unit)
        best: dict[int, float] = {}
        for phrase, weight, gi in self.alternatives:
            if weight > best.get(gi, 0.0):
                weight *= phrase_share(unit_terms, phrase)
                if weight > best.get(gi, 0.0):
                    best[gi] = weight
        score = sum(best.values())
        if score > 0 and answers_kind(unit, self.expects):
            score += self.expects_weight
        return score

    def matched_terms(self) -> set[str]:
        return {t for phrase, _, _ in self.alternatives for t in phrase}


def best_unit(text: str, items: tuple[str, ...], weights: AnswerWeights) -> str:
    """The unit of ``text`` that best answers; the first non-lead-in unit if none matches."""
    units = split_units(text, items)
    if not units:
        return text
    scored = [(defines(u, weights.subject), weights.unit_score(u), -i, u) for i, u in enumerate(units)]
    top = max(scored)
    if top[0] or top[1] > 0:
        return top[3]
    for unit in units:
        if not unit.endswith(":"):
            return unit
    return units[0]


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
