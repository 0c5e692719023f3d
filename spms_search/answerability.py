"""The decision to answer or decline: does the page answer this question at all?

Ranking says which passage answers best; this module says whether the best one answers.
It is a classifier of its own, fed by evidence about the question and its best passage,
not by the raw ranking score:

* ``coverage``: the share of the question's weight the best passage matches (weights
  are the groups' idf over sections, see ``scoring.py``): the old single signal.
* ``sentence``: the best share one sentence of that passage holds: an answer tends to
  say the asked-about things together.
* ``missing``: the heaviest single thing asked about that the best passage does not
  hold, as a share of the question. "What are the side effects of siponimod?" covers
  "siponimod" well, but "side effects", the thing asked about, is missing.
* ``unknown``: the share of the question's weight in words the corpus never uses.
* ``broader``: the share matched only through a broader term ("Lemtrada" reaching "disease
  modifying therapy"): a page about DMTs in general does not say what one drug does.
* ``margin``: how far the best passage stands above the next (log of the score ratio).
* ``asked``: the share of the asking clause (of a long question that tells a story first)
  that the best passage holds; equal to coverage for a question without a story.
* ``kind``: 1 when the question asks for no particular kind of answer or the best passage
  says that kind of thing (a time for "how long", a person for "who"), else 0: answer
  typing, as question-answering systems use it to reject a passage. "How long do steroids
  take to work?" finds the steroids passage, which gives no time at all. For a choice ("is
  it X or Y?") the passage must hold something of each side (:func:`_says_kind_asked`);
  for a question asking what medicines are called, it must name one.
* ``unmatched``: how many telling things asked about (a group weighing at least
  :data:`TELLING_WEIGHT`, outside the story of a long question) the best passage does not
  hold at all, up to 3: a count, so that one missing thing weighs the same in a short
  question as in a long one.
* ``absent_name``: 1 when the question names something specific (a word that is no common
  English word: a medicine, a place, a condition) that the corpus never names, in the
  user's words or a synonym: "would Lemtrada help?" on a page that names only siponimod
  reaches it only as "a disease modifying therapy".
* ``focus``: 0 when a wh-question's focus, the thing it asks about ("what are the side
  effects of X?" -> side effects; ``query.question_focus``), is not in the best passage;
  1 when it is, or when the question has none.
* ``defined``: for a "what is X?" question, 1 when the best passage has a sentence that
  defines X, else 0 (the page that only uses the words "multiple sclerosis" does not say
  what MS is); 1 for any other question.
* ``things``: how many of the things the question asks about (its groups outside the
  story of a long question) the best passage holds, up to :data:`MAX_THINGS`. Five things
  asked and found together are stronger evidence that the page answers than the one or
  two a short question names, which a passage holds by chance far more often; with
  ``unmatched`` beside it the model weighs what was not found against what was.
* ``beyond``: the share of what the question asks beyond the passage's own subject that
  the passage holds. The subject is what its heading path names: asked "is HSCT offered on
  the NHS?", the HSCT passage is about HSCT anyway and must say "NHS"; asked "what are the
  side effects of steroids?", the steroids passage says nothing beyond steroids. 1 when
  the question names nothing beyond the subject ("steroids?").

The answer is a model over these whose log-odds ``z`` give ``p = 1 / (1 + exp(-z))``:
gradient-boosted regression trees (:class:`Trees`, since the ninth session), or a logistic
model, ``z = bias + sum w_i x_i``, which a maintainer may fit instead. Trees, because the
signals interact: a passage holding every word of "how many MS nurses does the NHS have?"
but no number is no answer, however well it covers the words, and a sum of weights lets
the coverage outvote the missing number. Each signal but ``beyond`` may move the trees'
confidence one way only (more of the question found never lowers it, more missing never
raises it), as it does in the logistic model. The trees (or weights) and the decision bar are data
(``data/answerability.json``) fitted by ``tools/fit_answerability.py`` with
cross-validation on the tuning questions, to "the first result answers this" (an
answerable question ranked into a wrong section counts as not answered: a confident answer
from the wrong section is as wrong to the asker as one to a question the page does not
answer). ``p`` is the response's ``confidence``; below the bar the engine declines.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .analysis import raw_words, terms
from .compiled import DATA_DIR, cached
from .english import zipf
from .lazyre import GuardedPattern, lazy_pattern
from .query import CHOICE_OR_SPLIT, CHOICE_THAN_SPLIT, Group, QueryPlan, counted_thing
from .records import FrozenRecord
from .scoring import (
    IDF_FLOOR,
    IndexStatistics,
    PlanTerms,
    Scored,
    credit_of,
    defines_subject,
    group_words,
    plan_terms,
    read_with,
    says_expected_kind,
    sentence_coverage,
)
from .sentences import answers_kind, contains_phrase, counts, kind_phrases

#: The evidence names, in the order the model's weights are stored.
FEATURES = ("coverage", "sentence", "missing", "unknown", "broader", "margin", "asked", "kind", "beyond",
            "unmatched", "absent_name", "focus", "defined", "things")
#: A group weighs at least this much (an idf) to count as a thing asked about in ``unmatched``.
TELLING_WEIGHT = 1.0
#: ``things`` counts at most this many: a keyword dump is not evidence without end.
MAX_THINGS = 10


class Evidence(FrozenRecord):
    """What is known about whether the best passage answers the question (see module doc)."""

    coverage: float
    sentence: float
    missing: float
    unknown: float
    broader: float
    margin: float
    asked: float
    kind: float
    beyond: float
    unmatched: float
    absent_name: float
    focus: float
    defined: float
    things: float

    __slots__ = _fields = (
        "coverage", "sentence", "missing", "unknown", "broader", "margin", "asked", "kind", "beyond",
        "unmatched", "absent_name", "focus", "defined", "things",
    )

    def __init__(
        self,
        coverage: float = 0.0,
        sentence: float = 0.0,
        missing: float = 1.0,
        unknown: float = 0.0,
        broader: float = 0.0,
        margin: float = 0.0,
        asked: float = 0.0,
        kind: float = 0.0,
        beyond: float = 0.0,
        unmatched: float = 0.0,
        absent_name: float = 0.0,
        focus: float = 1.0,
        defined: float = 1.0,
        things: float = 0.0,
    ) -> None:
        object.__setattr__(self, "coverage", coverage)
        object.__setattr__(self, "sentence", sentence)
        object.__setattr__(self, "missing", missing)
        object.__setattr__(self, "unknown", unknown)
        object.__setattr__(self, "broader", broader)
        object.__setattr__(self, "margin", margin)
        object.__setattr__(self, "asked", asked)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "beyond", beyond)
        object.__setattr__(self, "unmatched", unmatched)
        object.__setattr__(self, "absent_name", absent_name)
        object.__setattr__(self, "focus", focus)
        object.__setattr__(self, "defined", defined)
        object.__setattr__(self, "things", things)

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in zip(self._fields, self._values())}


#: A group weighing less (an idf) is in nearly every passage: the page's own subject ("SPMS",
#: "MS" on a page about SPMS), which tells no passage from another.
SUBJECT_WEIGHT = 0.1


def holds_a_thing_asked(stats: IndexStatistics, plan: QueryPlan, docnum: int) -> bool:
    """True when passage ``docnum`` holds something the question asks about besides the
    page's own subject: a group outside its story weighing at least :data:`SUBJECT_WEIGHT`."""
    return any(not g.combined and not g.story and (gs := stats.group(g)).weight >= SUBJECT_WEIGHT
               and gs.credit.get(docnum, 0.0) > 0.0 for g in plan.groups)


def gather(stats: IndexStatistics, plan: QueryPlan, ranked: list[Scored],
           terms: PlanTerms | None = None) -> Evidence:
    """The evidence for ``plan``'s best passage ``ranked[0]``; empty evidence when none."""
    if not ranked:
        return Evidence()
    best = ranked[0].docnum
    groups = [g for g in plan.groups if not g.combined]
    total = asked_total = asked_got = missing = unknown = broader = beyond_total = beyond_got = 0.0
    unmatched = things = 0
    absent_name = False
    focus = 1.0
    subject = stats.path_terms(best)
    for group in groups:
        gs = stats.group(group)
        weight = gs.weight
        total += weight
        got = gs.credit.get(best, 0.0)
        if _is_focus_group(stats, plan, group, weight):
            focus = min(focus, 1.0 if got > 0 else 0.0)
        missing = max(missing, weight * (1.0 - got))
        if not group.story:
            things += got > 0.0
            absent_name = absent_name or names_absent(stats, group)
            unmatched += got == 0.0 and weight >= TELLING_WEIGHT
        if not gs.tf["context"]:
            unknown += weight
        alt = gs.best.get(best)
        if alt is not None and alt.kind == "related":
            broader += weight * credit_of(alt)
        if group.emphasis == 1.0:
            asked_total += weight
            asked_got += weight * got
        if not any(alt.terms and all(t in subject for t in alt.terms) for alt in group.alternatives):
            beyond_total += weight
            beyond_got += weight * got
    total = total or 1.0
    second = ranked[1].score if len(ranked) > 1 else 0.0
    margin = math.log((ranked[0].score + 1e-9) / (second + 1e-9)) if second > 0 else 3.0
    return Evidence(
        coverage=ranked[0].coverage,
        sentence=sentence_coverage(stats, best, plan, terms or plan_terms(stats, plan)),
        missing=missing / total,
        unknown=unknown / total,
        broader=broader / total,
        margin=min(margin, 3.0),
        asked=asked_got / asked_total if asked_total else ranked[0].coverage,
        kind=1.0 if _says_kind_asked(stats, plan, best) and _holds_places_asked(stats, plan, best) else 0.0,
        beyond=beyond_got / beyond_total if beyond_total else 1.0,
        unmatched=float(min(unmatched, 3)),
        absent_name=float(absent_name),
        focus=focus,
        defined=1.0 if not plan.subject or defines_subject(stats, best, plan.subject) else 0.0,
        things=float(min(things, MAX_THINGS)),
    )


#: Countries people with MS often ask about, and "abroad": a place outside the UK, said of
#: a treatment's availability, is answered only by a section that names it.
_FOREIGN = ("ireland usa america canada australia zealand india germany france spain italy portugal "
            "netherlands belgium sweden norway denmark finland poland russia mexico israel china japan "
            "africa europe abroad overseas")
#: The nations of the UK: a section naming one speaks for it alone ("new rules in England"),
#: a section naming the UK, the NHS or no place speaks for all of them.
_UK_NATIONS = "england scotland wales"
#: Wording that asks whether or where a thing can be had: a place outside the UK matters to
#: "can I get HSCT in Mexico?", not to "my sister in Australia has SPMS, could HSCT help her?".
_ACCESS_RE = re.compile(
    r"\b(?:available|availability|offer|offers|offered|offering|get|gets|getting|have|having|access|"
    r"fund|funds|funded|funding|prescribe|prescribed|approved|licen[cs]ed|rules|clinics?|hospitals?|"
    r"where|cost|costs|pay|paid|private|privately|travel|travelling|traveling|go|going|abroad|overseas)\b",
    re.IGNORECASE)
#: Countries other than the UK, unnamed: "which countries offer X?", "outside the UK" (not
#: one the asker comes from: "I moved here from another country").
_ELSEWHERE_RE = re.compile(
    r"(?<!\bfrom )\b(?:outside (?:the )?(?:uk|united kingdom|britain|england)|(?:another|other|which|what|"
    r"foreign|different) countr(?:y|ies)|(?:other|different) parts of the world)\b", re.IGNORECASE)
#: A place one comes from is no place asked about ("I'm originally from Poland, can I ...?").
_ORIGIN_RE = re.compile(r"\b(?:from|born in|grew up in)\s+(\w+)", re.IGNORECASE)
#: The United States as people write it ("US" in capitals: "us" is a pronoun).
_US_RE = re.compile(r"\b(?:US|USA|U\.S\.(?:A\.)?)(?!\w)|\bthe [Ss]tates\b|\b[Uu]nited [Ss]tates\b")


@lru_cache(maxsize=1)
def _place_terms() -> tuple[frozenset[str], frozenset[str]]:
    """The index terms of :data:`_FOREIGN` and of :data:`_UK_NATIONS`."""
    foreign = frozenset(t for w in _FOREIGN.split() for t in terms(w))
    nations = frozenset(t for w in _UK_NATIONS.split() for t in terms(w))
    return foreign, nations


#: The place names as typed: most questions name none, and are spared the stemming of
#: :func:`_place_terms` (the stemmer itself is loaded only for words the corpus lacks).
_PLACE_WORDS = frozenset(_FOREIGN.split()) | frozenset(_UK_NATIONS.split())


def _places_asked(plan: QueryPlan) -> tuple[set[str], set[str]]:
    """The places outside the UK and the UK nations the question asks about (a place one
    comes from asks nothing; a place in the story before a long question is the teller's).
    "Which countries ...", "outside the UK" ask about countries other than the UK."""
    asking = [g for g in plan.groups if not g.story and not g.combined]
    typed = {w for g in asking for w in raw_words(g.text)}
    names_us = _US_RE.search(plan.cleaned) is not None
    elsewhere = bool(typed & {"country", "countries", "outside", "world"}) and bool(
        _ELSEWHERE_RE.search(plan.cleaned))
    if not typed & _PLACE_WORDS and not names_us and not elsewhere:
        return set(), set()
    foreign, nations = _place_terms()
    asked = {t for g in asking for t in g.terms}
    origins = {t for m in _ORIGIN_RE.finditer(plan.cleaned) for t in terms(m.group(1))}
    low = plan.cleaned.casefold()
    out_foreign = (asked & foreign) - origins
    out_nations = (asked & nations) - origins
    if "northern ireland" in low:  # a nation of the UK, not Ireland
        out_foreign.discard(next(iter(terms("ireland")), "ireland"))
        out_nations.add("northern ireland")
    if names_us:
        out_foreign.add(next(iter(terms("usa")), "usa"))
    if elsewhere:
        out_foreign.add(next(iter(terms("abroad")), "abroad"))
    if out_foreign and not _ACCESS_RE.search(plan.cleaned):
        out_foreign = set()
    return out_foreign, out_nations


def _holds_places_asked(stats: IndexStatistics, plan: QueryPlan, best: int) -> bool:
    """False when the question asks about a place the best passage's section does not
    speak for: "is siponimod on the NHS in Scotland?" is not answered by the new rules in
    England, nor "can I have HSCT abroad?" by what the NHS offers in the UK. A section naming
    the UK, the NHS or no place speaks for every nation of the UK ("how is SPMS diagnosed in
    the UK?"); one naming a nation speaks for that nation alone. The section, not the
    passage: "can more people in England get the pill?" is answered by the drug's section,
    whose next passage names England."""
    out_foreign, out_nations = _places_asked(plan)
    if not out_foreign and not out_nations:
        return True
    _, nations = _place_terms()
    if any(best not in stats.postings("context", t) for t in out_foreign):
        return False
    named = {t for t in nations if best in stats.postings("context", t)}
    return not named or all(n in named for n in out_nations)


#: Kinds of answer that are a value (a number, a frequency, a schedule, a price, a phone
#: number, a time of day, a dose, how soon a treatment acts, a named hospital, an age, a
#: score on a scale): a passage that gives no value of the kind cannot answer, whatever
#: else it matches (rule ``value-kinds``). Not "time" as a whole ("when would the NHS offer
#: HSCT?" is answered by a condition; only "how long", :data:`_DURATION_RE`), "speed"
#: (answered by "steadily"), "reason" or "person", which a passage may say in words no
#: pattern lists.
VALUE_KINDS = frozenset({"amount", "rate", "schedule", "cost", "phone", "clock", "dose", "onset",
                         "institution", "age", "score"})
#: The confidence at most of an answer to a value question whose passage gives no value of
#: its kind: below any bar a user would set, so the engine declines and says why.
VALUE_KIND_CAP = 0.15


def capped_for_missing_value(confidence: float, evidence: Evidence, plan: QueryPlan) -> float:
    """``confidence``, capped at :data:`VALUE_KIND_CAP` when the question asks for a value
    (:data:`VALUE_KINDS`) and the best passage gives none (its ``kind`` evidence is 0).

    Why a cap and not a signal: the fitted model weighs the missing kind against
    everything else ("how many people in the UK have MS?" matches every word of a passage
    about the UK and people, 0.56), but a passage with no number cannot say how many,
    however many of the words it holds.
    """
    if evidence.kind == 0.0 and (plan.expects in VALUE_KINDS
                                 or (plan.expects == "time" and _DURATION_RE.search(plan.cleaned))):
        return min(confidence, VALUE_KIND_CAP)
    return confidence


#: A time asked as a length ("how long ...?"), a value; "when ...?" may be answered by a
#: condition ("only if ..."). Not "how many years ...?", whose count of years the counting
#: check reads ("in 2022" answers "how many years ago ...?" without counting them), nor an
#: age ("what age", "how old"), which no span of time says.
_DURATION_RE = re.compile(r"\bhow long\b", re.IGNORECASE)


#: Where a question may say a thing is had, beside the places of :data:`_FOREIGN` and
#: :data:`_UK_NATIONS`: a question naming only these names no thing asked about.
_SETTING_WORDS = _PLACE_WORDS | frozenset("uk britain nhs".split())


def capped_for_place_only(confidence: float, stats: IndexStatistics, plan: QueryPlan) -> float:
    """``confidence``, capped at :data:`VALUE_KIND_CAP` when the question names nothing but
    a place (or the NHS) besides the page's own subject: "is it used in the UK?", "what is
    in the UK?" ask about a thing they do not name (an "it" said before, elsewhere), and any
    passage naming the place would match every word (rule ``place-only``). A question with
    any other word left ("is it available in the UK?", "what is offered on the NHS?") is
    not capped: the model weighs that word."""
    named = [g for g in plan.groups if not g.combined and stats.group(g).weight >= TOPIC_WEIGHT]
    # the words as typed (place names have no inflections), so no stemmer is loaded
    if named and all(set(raw_words(g.text)) <= _SETTING_WORDS for g in named):
        return min(confidence, VALUE_KIND_CAP)
    return confidence


def _says_kind_asked(stats: IndexStatistics, plan: QueryPlan, best: int) -> bool:
    """The ``kind`` evidence: the best passage says the kind of thing asked for.

    "Is it X or Y?" is answered by a passage naming X and Y, far more often than by one
    saying "whether" or "different" (tuning questions: 20 answered from the right section
    without such a word, 13 with one), so for a choice the passage must hold something of
    each side; for every other kind, a sentence of that kind (``says_expected_kind``).
    """
    if plan.ranking_kind is None:
        # drug names carried with no kind: the question asks what medicines are called
        # (``query.asks_names_of_drugs``), and only a passage naming one answers it
        return not plan.answer_names or any(answers_kind(unit, "drug", plan.answer_names)
                                            for unit in stats.unit_texts(best))
    if plan.expects == "choice":
        return _holds_both_sides(stats, plan, best)
    if plan.expects == "place":
        return _gives_a_place(stats, plan, best)
    if plan.expects in ("amount", "time") and (thing := counted_thing(plan.cleaned)) is not None:
        # "how many people ...?", "how many years ...?" (a time counted in its units)
        return _counts_asked(stats, plan, best, thing)
    return says_expected_kind(stats, best, plan)


#: A question about where in the body (lesions, myelin, the immune attack): the brain, the
#: spinal cord or the nerves are the places that answer it. (Compiled on first use, as
#: ``query``'s wording patterns are: most questions ask no "where".)
_BODY_ASKED_RE = GuardedPattern(r"\b(?:lesions?|myelin|immune|inflam\w*|damage[ds]?|nerves?|attack\w*|"
                                r"plaques?|scars?|scarring)\b",
                                needs=("lesion", "myelin", "immune", "inflam", "damage", "nerve", "attack",
                                       "plaque", "scar"))
_BODY_PLACE_RE = lazy_pattern(r"\b(?:brain|spinal cord|spine|nerves?|optic nerves?)\b", re.IGNORECASE)


def _gives_a_place(stats: IndexStatistics, plan: QueryPlan, best: int) -> bool:
    """The ``kind`` evidence of a "where ...?" question: a sentence of the passage says a
    place other than the thing whose place is asked (the subject of "where is X?"). "Where is
    the helpline?" is not answered by "Our MS Helpline team can help you": a service word is
    a place for "where can I get support?", but the helpline's own name does not say where
    it is. Asked where in the body, the brain, the spinal cord or the nerves answer ("where
    do doctors look for new lesions?" -> "MRI scans of their brain or spinal cord").
    """
    question = plan.cleaned.casefold()
    subject = _WHERE_SUBJECT_RE.match(question)
    asked = set(terms(subject.group("s"))) if subject else set()
    body = _BODY_ASKED_RE.search(question) is not None
    for unit in stats.unit_texts(best):
        places = kind_phrases(unit, "place") + (_BODY_PLACE_RE().findall(unit) if body else [])
        if any(not set(terms(place)) <= asked for place in places):
            return True
    return False


#: The subject of "where is X?", "where do X meet?": the thing whose place is asked, up to
#: a preposition or a verb's object (not a person: "where can I get support?" asks where
#: support is, and "support" may be the place's own word, "support groups").
_WHERE_SUBJECT_RE = GuardedPattern(
    r"^(?:so |and |but )?where(?:'s|\s+(?:is|are|was|were|do|does|did|can|could|will|would|should|"
    r"might|may))\s+(?!(?:i|you|we|they|he|she|one|people|someone|somebody|my \w+)\b)"
    r"(?P<s>(?:(?!(?:in|on|at|for|to|from|with|near|located|based|held|run|meet|happen)\b)[\w'-]+\s*){1,5})",
    needs=("where",))


def _counts_asked(stats: IndexStatistics, plan: QueryPlan, best: int, thing: str) -> bool:
    """True when a sentence of the passage says how many of the thing a "how many X ...?"
    question counts (``sentences.counts``, in any way the question's group of X says it),
    and, when the question asks about anything more than the page's own subject, names
    that too (itself or in the sentence it leans on; or the passage's heading path names
    everything else asked).

    Why: "how many people ...?" is not answered by "around 20 years" or "fewer people";
    "how many years does he have left?" is not answered by the 20 years relapsing MS took
    to change, a number of years said of something else.
    """
    # the thing in the asker's words, a synonym or a kind of it ("one disease modifying
    # therapy" is a number of drugs); not a broader term ("how many DMTs?" is not answered
    # by "several drugs")
    ways = frozenset({(thing,)} | {a.terms for g in plan.groups if not g.story and
                                   any(thing in a.terms for a in g.alternatives if a.kind == "user")
                                   for a in g.alternatives if a.kind != "related"})
    others = [g for g in plan.groups if not g.story and not g.combined
              and all(thing not in a.terms for a in g.alternatives)
              and stats.group(g).weight > IDF_FLOOR]
    texts = stats.unit_texts(best)
    units = stats.unit_terms(best)
    # the passage's heading path says what every sentence of it is about: "Several drugs
    # are now being tested" under "Drugs now in trials" counts the drugs in trials, when
    # the heading names every other thing asked ("how many drugs in trials have failed?"
    # still needs a sentence saying "failed")
    path = stats.path_terms(best)
    named = all(any(a.terms and path.issuperset(a.terms) for a in g.alternatives) for g in others)
    for ui, text in enumerate(texts):
        if not counts(text, ways):
            continue
        if named or any(_holds_group(units[uj][1], g) for uj in read_with(texts, ui) for g in others):
            return True
    return False


def _holds_group(unit_terms: tuple[str, ...], group: Group) -> bool:
    """True when a sentence's terms hold some way of saying ``group``."""
    return any(alt.terms and contains_phrase(unit_terms, alt.terms) for alt in group.alternatives)


def _holds_both_sides(stats: IndexStatistics, plan: QueryPlan, best: int) -> bool:
    """True when the passage holds a thing asked on each side of the question's "or" (or,
    for "is X better than Y?", of its "than")."""
    split = CHOICE_OR_SPLIT.search(plan.cleaned) or CHOICE_THAN_SPLIT.search(plan.cleaned)
    if split is None:
        return True
    sides = (set(terms(plan.cleaned[: split.start()])), set(terms(plan.cleaned[split.end():])))
    groups = [g for g in plan.groups if not g.combined]
    return all(any(set(g.terms) & side and _names(stats, g, best) for g in groups) for side in sides)


def _names(stats: IndexStatistics, group: Group, best: int) -> bool:
    """True when the passage holds ``group`` itself or a same-meaning way of saying it, not
    only a broader or narrower term ("injection" is held by no passage that just says
    "drug", "tablets" by none that just names a steroid)."""
    gs = stats.group(group)
    alt = gs.best.get(best)
    return gs.credit.get(best, 0.0) > 0 and alt is not None and alt.kind not in ("related", "narrower")


def _is_focus_group(stats: IndexStatistics, plan: QueryPlan, group: Group, weight: float) -> bool:
    """True when ``group`` names the thing the question asks about: the focus, or for an
    effect question whose cause is the page's own subject, the thing affected."""
    if plan.focus_object is None:
        return _names_focus(group, plan.focus)
    if _names_focus(group, plan.focus) and weight >= TOPIC_WEIGHT:
        return True
    return _names_focus(group, plan.focus_object) and _focus_is_topic(stats, plan)


def _names_focus(group: Group, focus: str | None) -> bool:
    return focus is not None and any(focus in a.terms for a in group.alternatives if a.kind == "user")


def _focus_is_topic(stats: IndexStatistics, plan: QueryPlan) -> bool:
    """True when the effect question's cause is the page's own subject ("can MS affect
    your sleep?"): a group of it weighs less than :data:`TOPIC_WEIGHT`."""
    return any(_names_focus(g, plan.focus) and stats.group(g).weight < TOPIC_WEIGHT
               for g in plan.groups if not g.combined)


#: A word in nearly every passage (its group's idf weight below this) is the page's own
#: subject ("MS"): it says nothing about what a question asks.
TOPIC_WEIGHT = 0.2


#: A word at most this common in everyday English (Zipf) is a name or a technical term.
NAME_MAX_ZIPF = 3.0


def names_absent(stats: IndexStatistics, group: Group) -> bool:
    """True when ``group`` names something specific that no passage names.

    Specific: one of the user's words is rare in everyday English (or unknown to it).
    Named: the user's words, a spelling fix or a same-meaning synonym occur somewhere;
    a broader term ("disease modifying therapy" for "Lemtrada") does not name it.
    """
    words = group_words(group)
    rare = [w for w in words if (zipf(w) or 0.0) <= NAME_MAX_ZIPF]
    if group.combined or not rare:
        return False
    same = [a for a in group.alternatives if a.kind in ("user", "correction", "quoted", "expansion")]
    if any(stats.alternative_tf(a, "context") for a in same):
        return False
    # a phrase whose specific words the corpus does name ("MS Society helpline" on a page
    # that says "MS Society" and "helpline" apart): the name is there, and what the passage
    # lacks of the phrase is weighed as missing, not as a name the page never uses. Not for
    # a phrase that negates ("non-active SPMS"): its negation is what it names, and a page
    # saying "SPMS" and "active" apart does not name it
    if len(words) == 1 or any(w in _NEGATIONS for w in words):
        return True
    return not all(any(stats.df("context", t) for t in terms(w)) for w in rare)


#: Words that turn a phrase into its opposite ("non-active", "not relapsing").
_NEGATIONS = frozenset({"non", "not", "no", "without", "never", "inactive", "nonactive"})


#: One regression tree as five parallel columns, one entry a node: the feature a split
#: tests (-1 at a leaf), its threshold (a value at most it goes left), the left and right
#: child, and the leaf's value (0 at a split). Columns walk faster than node objects, and
#: a model file's trees are read straight into them.
Tree = tuple[tuple[int, ...], tuple[float, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]]
#: The most nodes a tree of a model file may have (the bundled trees have at most 31): a
#: bound on what reading a hostile or broken file can cost.
MAX_TREE_NODES = 4096
#: The most trees a model file may have (the bundled model has 400), for the same reason.
MAX_TREES = 1000


class Trees(FrozenRecord):
    """Gradient-boosted regression trees over :data:`FEATURES`: the log-odds are
    ``init + rate * sum(leaf of each tree)``.

    Why trees rather than one weight a signal: the evidence interacts. A passage that holds
    every word asked but says no number is a poor answer to "how many ...?", whatever its
    coverage; a sum of weights lets the good coverage outvote the missing number, a tree
    splits on it. Fitted by ``tools/fit_answerability.py`` (scikit-learn's
    ``HistGradientBoostingClassifier``, each signal allowed to move the confidence one way
    only); reading them needs nothing but this class. They are walked node by node: about
    0.09 ms a question for the bundled 400 trees (0.05 ms for the 200 before the fifteenth
    session); parsed and checked in about 14 ms, they are kept compiled (:func:`load_model`)
    and read in about 1 ms. Compiling 150
    of them into Python code was measured (0.03 ms against 0.07 ms walked) and left out:
    the saving is a few per cent of a query, and code built from a data file is a risk of
    its own.
    """

    init: float
    rate: float
    trees: tuple[Tree, ...]

    __slots__ = _fields = ("init", "rate", "trees")

    def __init__(self, init: float, rate: float, trees: tuple[Tree, ...]) -> None:
        object.__setattr__(self, "init", init)
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "trees", trees)

    def log_odds(self, x: list[float]) -> float:
        total = 0.0
        for feature, threshold, left, right, leaf in self.trees:
            i = 0
            f = feature[0]
            while f >= 0:
                i = left[i] if x[f] <= threshold[i] else right[i]
                f = feature[i]
            total += leaf[i]
        return self.init + self.rate * total

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: each node ``[feature, threshold, left, right]`` or ``[leaf]``."""
        def nodes(tree: Tree) -> list[list[Any]]:
            feature, threshold, left, right, leaf = tree
            return [[f, t, lo, hi] if f >= 0 else [v]
                    for f, t, lo, hi, v in zip(feature, threshold, left, right, leaf)]
        return {"init": self.init, "rate": self.rate, "trees": [nodes(t) for t in self.trees]}


def _finite(value: Any, what: str) -> float:
    """``value`` as a float when it is a finite JSON number, else ValueError (a JSON
    integer too large for a float is no finite number either)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _is_finite(value):
        raise ValueError(f"{what} {value!r} is not a finite number")
    return float(value)


def _is_finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond any float
        return False


def _parse_tree(nodes: Any, width: int) -> Tree:
    """One tree over ``width`` signals, checked to be a tree: node 0 its root, every other
    node the child of exactly one split before it, so that walking it ends within its size.
    One loop with plain type tests: it runs for every node of every tree at each start-up."""
    if not isinstance(nodes, list) or not 0 < len(nodes) <= MAX_TREE_NODES:
        raise ValueError(f"a tree must be a list of 1 to {MAX_TREE_NODES} nodes")
    size, isfinite = len(nodes), _is_finite
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    leaf: list[float] = []
    children: list[int] = []
    for i, node in enumerate(nodes):
        if type(node) is list and len(node) == 4:
            f, t, lo, hi = node
            # type(...) is int: a JSON integer, never a float or true/false
            if not (type(f) is int and type(lo) is int and type(hi) is int and 0 <= f < width
                    and i < lo < size and i < hi < size and lo != hi
                    and type(t) in (int, float) and isfinite(t)):
                raise ValueError(f"tree node {i} {node} does not split on a feature into two later nodes")
            feature.append(f)
            threshold.append(float(t))
            left.append(lo)
            right.append(hi)
            leaf.append(0.0)
            children += (lo, hi)
        elif type(node) is list and len(node) == 1:
            feature.append(-1)
            threshold.append(0.0)
            left.append(0)
            right.append(0)
            leaf.append(_finite(node[0], "a leaf"))
        else:
            raise ValueError(f"tree node {i} is neither a split nor a leaf")
    if sorted(children) != list(range(1, size)):
        raise ValueError("a tree node has no parent or more than one")
    return tuple(feature), tuple(threshold), tuple(left), tuple(right), tuple(leaf)


def parse_trees(data: Any, width: int = len(FEATURES)) -> Trees:
    """:class:`Trees` over ``width`` signals (:data:`FEATURES`, unless the question-text
    decision adds its own) from their JSON form, checked so that reading them cannot loop,
    fail or give a number that is no probability."""
    if not isinstance(data, dict) or not isinstance(data.get("trees"), list):
        raise ValueError("the trees are not a list")
    if not 0 < len(data["trees"]) <= MAX_TREES:
        raise ValueError(f"a model must have 1 to {MAX_TREES} trees")
    trees = tuple(_parse_tree(nodes, width) for nodes in data["trees"])
    return Trees(_finite(data.get("init"), "init"), _finite(data.get("rate"), "rate"), trees)


def confidence(x: list[float], log_odds: Callable[[list[float]], float]) -> float:
    """The probability that the first result answers, from a model's log-odds over the
    evidence ``x`` (clamped, so that no evidence overflows). 0 for evidence that is no
    number: no real question gives it, and a tree sends NaN down its right branch (every
    comparison with it is false), which could answer with confidence."""
    if not all(map(math.isfinite, x)):
        return 0.0
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, log_odds(x)))))


class Model(FrozenRecord):
    """The answer-or-decline model over :data:`FEATURES` and the bar below which the engine
    declines: boosted trees (:class:`Trees`, the bundled model) or a logistic model
    (``bias`` and one weight a signal), whichever the data file holds."""

    bias: float
    weights: tuple[float, ...]
    bar: float
    #: How the model was fitted (questions, folds, cross-validated figures): for the record.
    fitted: dict[str, Any]
    trees: Trees | None

    __slots__ = _fields = ("bias", "weights", "bar", "fitted", "trees")

    def __init__(self, bias: float, weights: tuple[float, ...], bar: float, fitted: dict[str, Any],
                 trees: Trees | None = None) -> None:
        object.__setattr__(self, "bias", bias)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "bar", bar)
        object.__setattr__(self, "fitted", fitted)
        object.__setattr__(self, "trees", trees)

    def probability(self, evidence: Evidence) -> float:
        return confidence(evidence.vector(), self.log_odds)

    def log_odds(self, x: list[float]) -> float:
        if self.trees is not None:
            return self.trees.log_odds(x)
        return self.bias + sum(w * v for w, v in zip(self.weights, x))

    def to_json(self) -> str:
        """The model file's text: one line a tree, so that a diff of two fits reads."""
        data: dict[str, Any] = {"features": list(FEATURES)}
        if self.trees is None:
            data.update(bias=self.bias, weights=list(self.weights))
        data.update(bar=self.bar, fitted=self.fitted)
        text = json.dumps(data, indent=2)
        if self.trees is None:
            return text + "\n"
        trees = self.trees.to_dict()
        lines = ",\n".join("      " + json.dumps(t, separators=(",", ":")) for t in trees["trees"])
        return (text[:-2] + ',\n  "trees": {\n'
                f'    "init": {trees["init"]!r},\n    "rate": {trees["rate"]!r},\n    "trees": [\n'
                + lines + "\n    ]\n  }\n}\n")


def parse_model(text: str) -> Model:
    """The model in a model file's text; ValueError (a JSON error is one) when the text is
    no model over :data:`FEATURES` that the engine can read safely."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a model file holds one JSON object")
    if data.get("features") != list(FEATURES):
        raise ValueError(f"the model's features {data.get('features')} are not {list(FEATURES)}")
    fitted = data.get("fitted") or {}
    if not isinstance(fitted, dict):
        raise ValueError("the model's fitted record is not a JSON object")
    bar = _finite(data.get("bar"), "the bar")
    if not 0.0 < bar < 1.0:
        raise ValueError(f"the bar {bar} is not a probability between 0 and 1")
    if "trees" in data:
        return Model(0.0, (), bar, fitted, parse_trees(data["trees"]))
    weights = tuple(_finite(w, "a weight") for w in data.get("weights") or [])
    if len(weights) != len(FEATURES):
        raise ValueError(f"the model has {len(weights)} weights for {len(FEATURES)} features")
    return Model(_finite(data.get("bias"), "the bias"), weights, bar, fitted)


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The bundled model (``data/answerability.json``), from the compiled cache when it was
    made from the same file by the same parser (``compiled.py``): parsing and checking the
    400 trees took about 14 ms of every start, unpickling them about 1 ms. A model file
    that does not parse raises ValueError as before and is never cached."""
    text = (DATA_DIR / "answerability.json").read_bytes()
    try:
        source = Path(__file__).read_bytes()  # the parser decides what is stored
    except OSError:  # an install without sources: its code changes only with a new install
        source = b"(no source)"
    inputs = [("data answerability.json", text), ("source answerability.py", source)]
    return cached(inputs, lambda: parse_model(text.decode("utf-8")), Model)
