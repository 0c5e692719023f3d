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
from .query import QueryPlan
from .rules import DEFAULT, Parameters

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
#: "... from primary progressive MS, which is progressive from the start": a relative
#: clause defines the last few words before it.
_WHICH_IS_RE = re.compile(r",\s+which\s+(?:is|are|means)\s")


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

    The shapes of definition patient information uses: "X is a ..." (or "X here means
    ..."), "this is called X", a gloss in brackets after a description, "... stop working
    ('neurodegeneration')", and a relative clause after X, "X, which is progressive from
    the start".
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
    for match in _WHICH_IS_RE.finditer(low):
        before = low[: match.start()].split()
        tails = (" ".join(before[-n:]) for n in range(1, min(6, len(before)) + 1))
        if any(_names(tuple(terms(tail)), subject) for tail in tails):
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
        rf"\b{_NUMBER}\b|\b(?:fewer|most|majority|minority|half|quarter|percent|per cent|"
        r"hundreds?|thousands?|millions?)\b|%"),
    "frequency": re.compile(
        r"\b(?:rare|rarely|occasional|occasionally|often|usually|sometimes|always|never|common|"
        r"commonly|likely|unlikely|most people|many people|fewer people|chance|risk)\b"),
    "choice": re.compile(
        r"\b(?:whether|tell apart|tell the difference|work out|difference|different|distinguish|"
        r"due to|instead|rather than)\b"),
    "place": re.compile(
        r"\b(?:online|websites?|forums?|download|local|near|helplines?|centres?|centers?|clinics?|"
        r"hospitals?|nhs|services?|groups?|branch(?:es)?|at home|phone|call)\b"),
}


@lru_cache(maxsize=65_536)
def answers_kind(unit: str, kind: str | None, names: frozenset[tuple[str, ...]] = frozenset()) -> bool:
    """True when ``unit`` says the kind of thing the question asks for ("who" -> a person).

    A "drug" question is answered by a unit naming one of ``names`` (the medicines the
    vocabulary knows: ``Vocabulary.drug_names``, carried by the question's plan).
    """
    if kind == "drug":
        unit_terms = unit_terms_of(unit)
        return any(contains_phrase(unit_terms, name) for name in names)
    pattern = _KIND_RES.get(kind or "")
    return pattern is not None and pattern.search(unit.casefold()) is not None


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


#: A sentence that opens by referring back ("Its name is siponimod.", "This is because ...")
#: finishes the sentence before it; the two are offered together when together they answer
#: better than either alone.
_REFERS_BACK_RE = re.compile(r"^(?:it|its|it's|this|these|that|those|they|their|them|such)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AnswerWeights:
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index
    subject: Subject = ()  # set for "what is X?": a sentence defining X answers best
    expects: str | None = None  # the kind of answer asked for ("person" for "who ...?")
    expects_weight: float = 0.0  # what saying that kind of thing adds to a matching unit
    names: frozenset[tuple[str, ...]] = frozenset()  # medicines that answer a "drug" question
    params: Parameters = DEFAULT

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float],
                  params: Parameters = DEFAULT) -> AnswerWeights:
        alts = []
        best: dict[int, float] = {}
        for gi, group in enumerate(plan.groups):
            for alt in group.alternatives:
                w = sum(weight_of.get(t, 1.0) for t in alt.terms) * alt.weight
                alts.append((alt.terms, w, gi))
                best[gi] = max(best.get(gi, 0.0), w)
        expects_weight = params.expected_share * max(best.values(), default=0.0)
        return cls(alts, plan.subject, plan.expects, expects_weight, plan.answer_names, params)

    def group_credits(self, unit: str, topic: frozenset[int] = frozenset()) -> dict[int, float]:
        """Each question group's best weight in ``unit``.

        A group of ``topic`` (one naming the passage's own heading, :meth:`heading_groups`)
        counts ``heading_share``: the whole passage is about it, so it picks no sentence
        within it (rule "heading-topic").
        """
        unit_terms = unit_terms_of(unit)
        best: dict[int, float] = {}
        for phrase, weight, gi in self.alternatives:
            if gi in topic:
                weight *= self.params.heading_share
            if weight > best.get(gi, 0.0):
                weight *= phrase_share(unit_terms, phrase)
                if weight > best.get(gi, 0.0):
                    best[gi] = weight
        return best

    def heading_groups(self, heading: str) -> frozenset[int]:
        """The groups that name the heading's subject, in any of their ways of saying it."""
        if not heading or not self.params.on("heading-topic"):
            return frozenset()
        words = frozenset(terms(heading))
        return frozenset(gi for phrase, _, gi in self.alternatives
                         if phrase and all(t in words for t in phrase))

    def says_kind(self, unit: str) -> bool:
        return answers_kind(unit, self.expects, self.names)

    def score(self, credits: dict[int, float], says_kind: bool) -> float:
        """A unit's score: its groups' weights, and the kind bonus when it matches at all."""
        total = sum(credits.values())
        if total > 0 and says_kind:
            total += self.expects_weight
        return total

    def matched_terms(self) -> set[str]:
        return {t for phrase, _, _ in self.alternatives for t in phrase}


def best_unit(text: str, items: tuple[str, ...], weights: AnswerWeights, heading: str = "") -> str:
    """The unit of ``text`` that best answers; the first non-lead-in unit if none matches.

    A unit is a sentence or bullet, or a sentence with the next one when that one refers
    back to it ("... one DMT can slow down how fast your disability gets worse. Its name is
    siponimod (Mayzent)."), chosen only when the pair answers better than either alone.
    """
    units = split_units(text, items)
    if not units:
        return text
    topic = weights.heading_groups(heading)
    credits = [weights.group_credits(u, topic) for u in units]
    kinds = [weights.says_kind(u) for u in units]
    scored = [(defines(u, weights.subject), weights.score(credits[i], kinds[i]), -i, u)
              for i, u in enumerate(units)]
    top = max(scored)
    if top[0]:
        return top[3]
    pairs = weights.params.on("referring-pair")
    for i in range(len(units) - 1 if pairs else 0):
        if _REFERS_BACK_RE.match(units[i + 1]) and not units[i].endswith(":"):
            a, b = credits[i], credits[i + 1]
            joined = {gi: max(a.get(gi, 0.0), b.get(gi, 0.0)) for gi in a.keys() | b.keys()}
            pair = weights.score(joined, kinds[i] or kinds[i + 1])
            if pair > max(scored[i][1], scored[i + 1][1]) and pair > top[1]:
                top = (False, pair, -i, f"{units[i]} {units[i + 1]}")
    if top[1] > 0:
        return _with_follow_on(top[3], units, -top[2], pairs)
    for unit in units:
        if not unit.endswith(":"):
            return unit
    return units[0]


#: The most words a follow-on sentence may have to be joined to the answer before it.
FOLLOW_ON_WORDS = 12


def _with_follow_on(answer: str, units: list[str], index: int, pairs: bool) -> str:
    """The answer with the sentence after it when that one is short and refers back to it.

    "... one DMT can slow down how fast your disability gets worse." is half an answer
    without "Its name is siponimod (Mayzent).": a short sentence that opens by pointing
    back finishes the one before (rule "referring-pair").
    """
    last = index + (1 if answer != units[index] else 0)
    if not pairs or last + 1 >= len(units):
        return answer
    follow = units[last + 1]
    if _REFERS_BACK_RE.match(follow) and len(follow.split()) <= FOLLOW_ON_WORDS:
        return f"{answer} {follow}"
    return answer


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
