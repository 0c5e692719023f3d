"""Picking the answer: the sentence (or short run of sentences) of a passage that answers.

A passage is cut into units: sentences of its paragraphs, and each bullet of a list on
its own. Each unit scores the idf weight of the question groups it contains (an
expansion counts at its lower weight); the best unit wins, the earlier one on a tie.
For "what is X?" a unit that defines X (:func:`defines`) wins over all others.
A list's lead-in ("For example:") is never the answer when a bullet matches. Sentences
that lean on each other may answer together (:func:`best_unit`). The answer is returned
verbatim, exactly as it stands in the passage, so it is always a span of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet
from functools import cache

from .analysis import terms, word_spans
from .english import zipf
from .lazyre import GuardedPattern
from .query import QueryPlan
from .records import FrozenRecord
from .rules import DEFAULT, Parameters
from .sentences import (
    Subject,
    answers_kind,
    contains_phrase,
    defines,
    phrase_share,
    split_units,
    unit_term_set_of,
    unit_terms_of,
)

#: A clause that asks what, how or why, after a story or a first question ("I've been
#: diagnosed with SPMS - how did my neurologist decide?").
_OPEN_CLAUSE_RE = GuardedPattern(r"(?:^|[.?!,;:\u2013\u2014-]\s*)(?:what|how|why|which|who|when|where)\b",
                                 re.IGNORECASE, needs=("what", "how", "why", "which", "who", "when", "where"))
#: A sentence that opens by referring back ("Its name is siponimod.", "This is because ...")
#: finishes the sentence before it (used for the short follow-on, see :func:`_with_follow_on`).
_REFERS_BACK_RE = GuardedPattern(r"^(?:it|its|it's|this|these|that|those|they|their|them|such)\b",
                                 re.IGNORECASE, needs=("it", "th", "such"), at_start=True)
#: A word that points back, standing among the first words of a sentence: "If they are,
#: these symptoms might not go away." and "If you have this, one DMT can ..." say nothing
#: on their own; they lean on the sentence before them.
_LEANS_RE = re.compile(
    r"^(?:[\w'\u2019]+\W+){0,3}?(?:it|its|it's|this|these|those|they|their|them|such)\b", re.IGNORECASE)
#: "It can be hard to tell whether ...", "It's possible that ...": an "it" that points at
#: what follows, not at the sentence before.
_ANTICIPATORY_IT_RE = GuardedPattern(
    r"^it(?:'s|\u2019s| is| was| can be| may be| might be| could be| will be)\s+(?:\w+\s+){0,2}?"
    r"(?:to|that|whether|when|if|for)\b", re.IGNORECASE, needs=("it",), at_start=True)
#: A sentence opening with a contrast qualifies the one before it ("The beta interferon
#: Extavia was also available ... But Extavia was withdrawn from the market in 2022."):
#: an answer is never shown without it.
_CONTRAST_RE = GuardedPattern(r"^(?:but|however|yet|although|though)\b", re.IGNORECASE,
                              needs=("but", "however", "yet", "although", "though"), at_start=True)
#: ... or closing with one: "You might notice more difficulties with getting around. Changes
#: can happen very slowly though."
_CONTRAST_TAIL_RE = GuardedPattern(r"\b(?:though|however)\W*$", re.IGNORECASE,
                                   needs=("though", "however"))
#: A sentence opening with a consequence draws the conclusion of the one before it ("It
#: can't regrow nerves or repair damaged myelin. So it's unlikely to help people with
#: advanced progressive MS."): an answer that gives the reason is not cut from what
#: follows from it.
_CONSEQUENCE_RE = GuardedPattern(r"^(?:so|therefore|thus|hence|this means|that means|which means)\b",
                                 re.IGNORECASE, at_start=True,
                                 needs=("so", "therefore", "thus", "hence", "this means", "that means",
                                        "which means"))
#: A sentence giving the reason for the one before it ("This was because its makers decided
#: to no longer produce it, not because of any safety issues."): without it a reader guesses one.
_REASON_RE = GuardedPattern(r"^(?:this|that|it) (?:is|was) (?:partly |mainly )?(?:because|due to)\b",
                            re.IGNORECASE, needs=("this ", "that ", "it "), at_start=True)
#: A sentence whose subject is a bare "this" or "that" says something about the whole
#: sentence before it: how common it is ("This is rare but can happen if ..."), what it
#: is called ("This is called active secondary progressive MS."), what it leads to ("That
#: can make it harder to work out ..."). Without it the sentence before can read as the
#: whole story.
_COMMENT_RE = GuardedPattern(
    r"^(?:this|that) (?:is|isn't|was|wasn't|can|can't|cannot|could|may|might|will|won't|would"
    r"|does|doesn't|did|didn't|has|hasn't|had|happens|means|makes|shows|explains)\b", re.IGNORECASE,
    needs=("this ", "that "), at_start=True)
#: A general statement said with a hedge ("The old pattern ... usually comes to an end.")
#: and the sentence after it naming those it does not hold for ("Some people may still get
#: relapses ..."): shown alone, the rule reads as true for everyone (rule "hedge-exception").
_HEDGE_RE = GuardedPattern(
    r"\b(?:usually|generally|normally|mostly|typically|in most (?:people|cases)|most people|"
    r"for most|tends? to)\b", re.IGNORECASE,
    needs=("usually", "generally", "normally", "mostly", "typically", "most", "tend"))
_EXCEPTION_RE = GuardedPattern(
    r"^(?:some|a few|a small number|a minority|others|not everyone|for some|in some)\b",
    re.IGNORECASE, at_start=True,
    needs=("some", "a few", "a small number", "a minority", "others", "not everyone"))
#: A sentence naming the members of what the one before it spoke of ("Several drugs are now
#: being tested ..." "These include drugs to repair myelin, protect nerves, or slow down
#: ..."): the list written into a sentence, as a colon's bullets are (rule "inline-list").
_INLINE_LIST_RE = GuardedPattern(
    r"^(?:these|they|those|this|it|such \w+) (?:include|includes|included|range from)\b"
    r"|^(?:examples (?:include|are)|for example|for instance)\b",
    re.IGNORECASE, at_start=True,
    needs=("these", "they", "those", "this", "it", "such", "examples", "for example", "for instance"))
#: A requirement ("you must have had relapses", "mustn't be linked to any relapse"): the
#: conditions of one thing, said in sentences one after another, are one answer (rule
#: "conditions-together"); shown in part, they read as the whole of what is required.
_REQUIREMENT_RE = GuardedPattern(
    r"\b(?:must|mustn't|mustn\u2019t|needs? to|ha(?:ve|s) to)\b", re.IGNORECASE,
    needs=("must", "need", "have to", "has to"))
#: A sentence saying when a qualifier holds ("Your MS is active if you still get relapses,
#: or ..."): after one whose condition turns on that word ("... only if their MS is still
#: active."), it says what the condition asks for (rule "qualifier-explained"); without it
#: the reader cannot tell whether they meet it.
_QUALIFIER_RE = GuardedPattern(
    r"^(?:[\w'\u2019-]+\s+){0,4}?(?:is|are|counts as|count as|is counted as|are counted as|"
    r"is classed as|are classed as|is considered|are considered)\s+(?:still\s+|only\s+)?"
    r"(?P<word>[\w-]+)\s+(?:if|when|once|whenever|as long as)\b",
    re.IGNORECASE, needs=("if", "when", "once", "as long as"))
#: The words before a qualifier that make a sentence's claim turn on it.
_CONDITION_WORDS_RE = GuardedPattern(r"\b(?:if|unless|when|once|as long as|provided)\b",
                                     re.IGNORECASE, needs=("if", "unless", "when", "once", "as long as",
                                                           "provided"))


def _explains_qualifier(follow: str, unit: str) -> bool:
    """True when ``follow`` says when a word holds that ``unit`` makes a condition of
    ("... only if their MS is still active." "Your MS is active if ...")."""
    match = _QUALIFIER_RE.match(follow)
    if match is None:
        return False
    condition = _CONDITION_WORDS_RE.search(unit)
    word = terms(match.group("word"))
    return condition is not None and bool(word) and word[0] in terms(unit[condition.end():])


#: A sentence opening with a connective carries on the one before it: "But if your
#: symptoms are the lingering effect of a relapse, they might go with time."
_CONNECTIVE_RE = GuardedPattern(r"^(?:but|however|instead|so|and|yet)\b", re.IGNORECASE,
                                needs=("but", "however", "instead", "so", "and", "yet"), at_start=True)


def leans_on_previous(unit: str) -> bool:
    """True when ``unit`` points back at the sentence before it within its first words, or
    opens with a connective that carries it on."""
    if _CONNECTIVE_RE.match(unit):
        return True
    return bool(_LEANS_RE.match(unit)) and not _ANTICIPATORY_IT_RE.match(unit)


#: The names of the courses of MS: each word of one is part of the name, not a word in its
#: own sense. "... comes after relapsing remitting MS" says nothing about relapses, and
#: "primary progressive MS" nothing about how anything progresses (rule "course-names").
COURSE_NAMES = ("relapsing remitting", "secondary progressive", "primary progressive")


@cache
def _course_names() -> tuple[tuple[str, ...], ...]:
    """:data:`COURSE_NAMES` as index terms (analysed on first use, off the import path)."""
    return tuple(tuple(terms(name)) for name in COURSE_NAMES)


def unasked_courses(plan: QueryPlan) -> tuple[tuple[str, ...], ...]:
    """The course names (as terms) that the question does not name: "will I still have
    relapses?" names none. A question names one in any way of saying its groups ("SPMS"
    reads as "secondary progressive ms" too) or by a word of the name as the name says it:
    "does everyone with the relapsing type end up with the progressive type?" names
    both kinds of course, where "relapses" and "progress" name none."""
    said = [alt.terms for g in plan.groups for alt in g.alternatives]
    words = set(re.findall(r"[a-z]+", plan.cleaned.lower()))
    return tuple(terms_ for name, terms_ in zip(COURSE_NAMES, _course_names())
                 if not any(contains_phrase(alt, terms_) for alt in said)
                 and not words & set(name.split()))


def outside_names(unit_terms: tuple[str, ...], term: str, names: tuple[tuple[str, ...], ...]) -> bool:
    """True when ``term`` stands in ``unit_terms`` at least once outside every one of ``names``."""
    holding = [name for name in names if term in name]
    if not holding:  # most words of a question are in no course's name
        return term in unit_terms
    inside: set[int] = set()
    for name in holding:
        width = len(name)
        for i in range(len(unit_terms) - width + 1):
            if unit_terms[i:i + width] == name:
                inside.update(range(i, i + width))
    return any(t == term and i not in inside for i, t in enumerate(unit_terms))


#: A sentence naming one more of a thing: the answer to "apart from X, what ...?".
_ANOTHER_RE = re.compile(r"\b(?:another|other|others|also|as well|too)\b", re.IGNORECASE)


#: "does a relapse mean inflammation?": the verb asks whether one thing signals another.
_MEAN_RELATION_RE = GuardedPattern(
    r"\b(?:does|do|did|would|will|could|can|might|is|doesn't|wouldn't)\b(?:\s+[\w'-]+){1,8}?\s+mean\b",
    re.IGNORECASE, needs=("mean",))


_WH_BEFORE_RE = re.compile(r"\b(?:what|wat|wot|whats|how|why|which)\b", re.IGNORECASE)


def _asks_what_follows(question: str, open_question: bool) -> bool:
    """True for a yes/no question whose verb "mean" asks whether one thing follows from or
    signals another ("does a relapse mean inflammation?"), not what a word means."""
    if open_question:
        return False
    match = _MEAN_RELATION_RE.search(question)
    return match is not None and _WH_BEFORE_RE.search(question, 0, match.end()) is None


#: "X is a kind of Y", "X is a type of Y", "X is one form of Y": the class a text puts X in.
_CLASS_RE = GuardedPattern(
    r"^(?P<x>.{1,60}?) (?:is|are) (?:a|an|one) (?:kind|type|form|sort|group|class) of "
    r"(?P<y>[\w\s'-]{1,40}?)(?=[.,;:()]|\s+(?:that|which|who|used|given|for|where)\b|$)",
    re.IGNORECASE, needs=("kind of", "type of", "form of", "sort of", "group of", "class of"))


def heading_class(heading: str, units: list[str]) -> frozenset[str]:
    """The index terms of the class a passage's own sentence puts its heading's subject in:
    {"stem", "cell", "therapi"} for "HSCT is a kind of stem cell therapy." under "HSCT"."""
    named = frozenset(terms(heading))
    for unit in units:
        match = _CLASS_RE.match(unit)
        if match and named and set(terms(match.group("x"))) >= named:
            return frozenset(terms(match.group("y")))
    return frozenset()


class AnswerWeights(FrozenRecord):
    """Term weights of a question, for choosing and highlighting the answer."""

    alternatives: list[tuple[tuple[str, ...], float, int]]  # terms, weight, group index
    subject: Subject  # set for "what is X?": a sentence defining X answers best
    expects: str | None  # the kind of answer asked for ("person" for "who ...?")
    expects_weight: float  # what saying that kind of thing adds to a matching unit
    names: frozenset[tuple[str, ...]]  # medicines that answer a "drug" question
    params: Parameters
    #: True for a question asking what, how, why, who ... (not yes or no): a sentence that
    #: only says it back is no answer, while it confirms a yes/no question
    open_question: bool
    #: The groups naming what the question sets aside (``QueryPlan.excluded``)
    set_aside: frozenset[int]
    #: The course names the question does not say (:func:`unasked_courses`): a word of one,
    #: found only inside it, is no word asked (rule "course-names")
    unasked_names: tuple[tuple[str, ...], ...]

    __slots__ = _fields = ("alternatives", "subject", "expects", "expects_weight", "names", "params",
                           "open_question", "set_aside", "unasked_names")

    def __init__(
        self,
        alternatives: list[tuple[tuple[str, ...], float, int]],
        subject: Subject = (),
        expects: str | None = None,
        expects_weight: float = 0.0,
        names: frozenset[tuple[str, ...]] = frozenset(),
        params: Parameters = DEFAULT,
        open_question: bool = False,
        set_aside: frozenset[int] = frozenset(),
        unasked_names: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "expects", expects)
        object.__setattr__(self, "expects_weight", expects_weight)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "open_question", open_question)
        object.__setattr__(self, "set_aside", set_aside)
        object.__setattr__(self, "unasked_names", unasked_names)

    @classmethod
    def from_plan(cls, plan: QueryPlan, weight_of: dict[str, float],
                  params: Parameters = DEFAULT) -> AnswerWeights:
        alts = []
        best: dict[int, float] = {}
        for gi, group in enumerate(plan.groups):
            if group.combined:
                # its words are the question's other groups' words: counted again here, the
                # combined entry ("new lesions" + "SPMS" -> "active SPMS") would pick the
                # sentence that says the entry over the one that says what was asked
                continue
            # a synonym weighs what the thing asked weighs, never less: "flare ups" found as
            # "relapses", a word on every other line of an MS page, is still what was asked
            asked = max((sum(weight_of.get(t, 1.0) for t in a.terms) for a in group.alternatives
                         if a.kind in ("user", "correction", "quoted")), default=0.0)
            for alt in group.alternatives:
                w = max(sum(weight_of.get(t, 1.0) for t in alt.terms), asked) * alt.weight
                alts.append((alt.terms, w, gi))
                best[gi] = max(best.get(gi, 0.0), w)
        expects_weight = params.expected_share * max(best.values(), default=0.0)
        open_question = (plan.focus is not None or plan.expects is not None or bool(plan.subject)
                         or _OPEN_CLAUSE_RE.search(plan.cleaned) is not None)
        aside = frozenset(gi for gi, g in enumerate(plan.groups)
                          if plan.excluded and g.terms and all(t in plan.excluded for t in g.terms))
        if params.on("does-it-mean") and _asks_what_follows(plan.cleaned, open_question):
            alts = [a for a in alts if a[0] != ("mean",)]
        unasked = unasked_courses(plan) if params.on("course-names") else ()
        return cls(alts, plan.subject, plan.expects, expects_weight, plan.answer_names, params,
                   open_question, aside, unasked)

    def group_credits(self, unit: str, topic: frozenset[int] = frozenset()) -> dict[int, float]:
        """Each question group's best weight in ``unit``.

        A group of ``topic`` (one naming the passage's own heading, :meth:`heading_groups`)
        counts ``heading_share``: the whole passage is about it, so it picks no sentence
        within it (rule "heading-topic").
        """
        unit_terms = unit_terms_of(unit)
        present = unit_term_set_of(unit)
        best: dict[int, float] = {}
        for phrase, weight, gi in self.alternatives:
            if phrase and phrase[0] not in present:  # phrase_share would be 0: nothing to credit
                continue
            if (len(phrase) == 1 and self.unasked_names
                    and not outside_names(unit_terms, phrase[0], self.unasked_names)):
                continue  # only part of a course's name ("relapsing remitting MS")
            if gi in topic or gi in self.set_aside:
                # set aside ("apart from relapses, ...?"): the answer is what else there is
                weight *= self.params.heading_share
            if weight > best.get(gi, 0.0):
                share = phrase_share(unit_terms, phrase)
                if not share and len(phrase) > 1 and all(t in present for t in phrase):
                    # its words in another order ("your MS is active" for "active MS"), as
                    # ranking counts them (``bag_credit``)
                    share = self.params.bag_credit
                weight *= share
                if weight > best.get(gi, 0.0):
                    best[gi] = weight
        return best

    def heading_groups(self, heading: str) -> frozenset[int]:
        """The groups that name the heading's subject, in any of their ways of saying it."""
        if not heading or not self.params.on("heading-topic"):
            return frozenset()
        return self._groups_within(frozenset(terms(heading)))

    def class_groups(self, heading: str, units: list[str]) -> frozenset[int]:
        """The groups that name the class the passage puts its heading's subject in ("HSCT
        is a kind of stem cell therapy": "stem", "cell", "treatment" under "HSCT"), with
        rules "heading-topic" and "heading-class": under that heading they name its subject."""
        if not heading or not (self.params.on("heading-topic") and self.params.on("heading-class")):
            return frozenset()
        return self._groups_within(heading_class(heading, units))

    def _groups_within(self, words: AbstractSet[str]) -> frozenset[int]:
        """The groups one of whose ways of saying it is all in ``words``."""
        return frozenset(gi for phrase, _, gi in self.alternatives
                         if phrase and all(t in words for t in phrase))

    def says_kind(self, unit: str) -> bool:
        """True when ``unit`` says the kind of thing asked; for a question that sets
        something aside, a unit naming another one ("Another sign of it is ...") does; for
        one asking what medicines are called, a unit naming one does."""
        if self.set_aside and _ANOTHER_RE.search(unit):
            return True
        # asked what medicines are called, with no kind for ranking (research:
        # ``query.asks_names_of_drugs``): the sentence naming one answers, as for "drug"
        kind = "drug" if self.expects is None and self.names else self.expects
        return answers_kind(unit, kind, self.names)

    def score(self, credits: dict[int, float], says_kind: bool) -> float:
        """A unit's score: its groups' weights, and the kind bonus when it matches at all."""
        total = sum(credits.values())
        if total > 0 and says_kind:
            total += self.expects_weight
        return total

    def matched_terms(self) -> set[str]:
        return {t for phrase, _, _ in self.alternatives for t in phrase}


def best_unit(text: str, items: tuple[str, ...], weights: AnswerWeights, heading: str = "",
              path: str = "") -> str:
    """The unit of ``text`` that best answers; the first non-lead-in unit if none matches.

    A unit is a sentence or bullet. With rule "referring-pair", the answer may be a short
    run of sentences that lean on each other (:func:`leans_on_previous`): chosen when the run
    answers better than any one of its sentences, and an answer that opens by pointing back
    comes with the sentences it points at, so that it reads on its own.
    """
    units = split_units(text, items)
    if not units:
        return text
    named = weights.class_groups(heading, units)
    topic = weights.heading_groups(heading) | named
    credits = [_as_one(weights.group_credits(u, topic), named) for u in units]
    kinds = [weights.says_kind(u) for u in units]
    scored = [(defines(u, weights.subject), weights.score(credits[i], kinds[i]), -i, u)
              for i, u in enumerate(units)]
    top = _first_to_name_it(max(scored), scored, credits, weights)
    if top[0]:
        # a definition that opens by pointing back ("Its name is siponimod (Mayzent).")
        # comes with the sentence it points at; one opening with a bare connective
        # ("Instead something ... ('neurodegeneration').") defines on its own
        at = -top[2]
        if not weights.params.on("referring-pair"):
            return top[3]
        if _CONNECTIVE_RE.match(units[at]) and not _LEANS_RE.match(units[at]):
            return units[at]
        return _verbatim(text, units, _with_lead_in(units, at, at), at)
    if top[1] <= 0:
        return next((u for u in units if not u.endswith(":")), units[0])
    if not weights.params.on("referring-pair"):
        return top[3]
    start, end = _best_window(units, credits, kinds, weights, -top[2], top[1])
    start = _with_list_lead_in(units, start, end, items)
    start = _with_lead_in(units, start, end)
    if weights.params.on("conditions-together"):
        start = _with_conditions_before(units, start, end)
    end = _past_echo(units, start, end, weights, path or heading)
    end = _with_follow_on(units, start, end, weights.params)
    end = _with_list(units, start, end, items)
    return _verbatim(text, units, start, end)


def _as_one(credits: dict[int, float], named: frozenset[int]) -> dict[int, float]:
    """``credits`` with the groups of ``named`` counted as one, at the best of them: the words
    of one class name ("stem cell therapy") say one thing, not three."""
    held = [gi for gi in credits if gi in named]
    if len(held) < 2:
        return credits
    keep = max(held, key=lambda gi: credits[gi])
    return {gi: c for gi, c in credits.items() if gi not in named or gi == keep}


#: The least weight (an idf, as ``answerability.TELLING_WEIGHT``) of the things asked that two
#: tied units both hold for the one naming them first to win: "occupational therapist"
#: (4.2) tells what a sentence is about; "help" (0.8), in every bullet of a list, does not.
SUBJECT_TIE_WEIGHT = 1.0


_Scored = tuple[bool, float, int, str]  # defines X, score, minus the unit's place, the unit


def _first_to_name_it(top: _Scored, scored: list[_Scored], credits: list[dict[int, float]],
                      weights: AnswerWeights) -> _Scored:
    """Of units that hold the same things asked and score the same, the one that names them
    first: the one they are the subject of ("an occupational therapist can help make
    adjustments" over "a physiotherapist and occupational therapist can ..." for "what does
    an OT do?"). Units that hold different things keep the earlier one."""
    held = credits[-top[2]].keys()
    if sum(credits[-top[2]].values()) < SUBJECT_TIE_WEIGHT:
        return top  # only everyday words ("help", "active"): they say nothing of the subject
    tied = [row for row in scored if row[0] == top[0] and credits[-row[2]].keys() == held
            and math.isclose(row[1], top[1], rel_tol=1e-9)]
    if len(tied) < 2:
        return top
    asked = {t for phrase, _, gi in weights.alternatives if gi in held for t in phrase}

    def first(unit: str) -> int:
        unit_terms = unit_terms_of(unit)
        return next((k for k, t in enumerate(unit_terms) if t in asked), len(unit_terms))

    return min(tied, key=lambda row: (first(row[3]), -row[2]))


def _with_list_lead_in(units: list[str], start: int, end: int, items: tuple[str, ...]) -> int:
    """Where the answer starts: at the lead-in of the list when it starts at a bullet.

    "for people who do, it could take longer to happen" says nothing without "But thanks to
    today's MS drugs this is changing:" and the bullets before it; a bare "For example:"
    adds nothing and is left out. Only when the whole stays within :data:`ANSWER_WORDS`.
    """
    bullets = set(items)
    if units[start] not in bullets:
        return start
    first = start
    while first > 0 and units[first - 1] in bullets:
        first -= 1
    if (first > 0 and units[first - 1].endswith(":") and len(units[first - 1].split()) > 2
            and _words(units, first - 1, end) <= ANSWER_WORDS):
        return first - 1
    return start


def _past_echo(units: list[str], start: int, end: int, weights: AnswerWeights, subject: str = "") -> int:
    """Where the answer ends: one sentence later when the answer only says the question back.

    A question such as "X is hard to treat. Why?" finds the sentence "X is hard to treat."
    best, and it tells the asker nothing they did not say: every word of it is a word (or a
    way of saying a word) of the question. What
    the page says next is where an answer can start. For a question asking what, how or
    why, a sentence whose other words are everyday ones says it back too ("how is SPMS
    diagnosed?" -> "SPMS can be hard to diagnose."); for a yes/no question such a sentence
    is the answer (a question "is X rarer now?" -> a sentence "X is rarer now ...").
    The words of the passage's heading path (``subject``: "secondary progressive MS" over
    every passage of the page) tell the asker nothing new either; they are analysed only
    when the answer is one sentence that might say the question back.
    """
    if start != end or end + 1 >= len(units) or _words(units, start, end + 1) > ANSWER_WORDS:
        return end
    if weights.expects and weights.says_kind(units[end]):
        # it says the kind asked ("Recovery from a relapse can take some time." for "how
        # long ...?"): the everyday words are the answer, not an echo
        return end
    asked = weights.matched_terms() | frozenset(terms(subject))
    if unit_term_set_of(units[end]) <= asked:
        return end + 1
    if weights.open_question and _says_nothing_new(units[end], asked):
        return end + 1
    return end


#: A word at least this common in everyday English (Zipf) tells the asker nothing of its
#: own in an answer ("can", "hard", "several", "people"): 4.5 took 5 more answer sentences
#: that hold the expected words on the pooled tuning questions, 5.0 took 3, neither lost one.
ECHO_ZIPF = 4.5


def _says_nothing_new(unit: str, asked: AbstractSet[str]) -> bool:
    """True when every word of ``unit`` is a word of the question or an everyday word:
    "how is SPMS diagnosed?" is not answered by "SPMS can be hard to diagnose."."""
    for term, start, end in word_spans(unit):
        if term in asked:
            continue
        f = zipf(unit[start:end].casefold())
        if f is None or f < ECHO_ZIPF:
            return False
    return True


def _verbatim(text: str, units: list[str], start: int, end: int) -> str:
    """Units ``start`` to ``end`` as they stand in ``text``: with the line breaks and bullet
    marks between them, so the answer is always a span of its passage."""
    offsets: list[int] = []
    pos = 0
    for unit in units[: end + 1]:
        at = text.find(unit, pos)
        if at < 0:
            return " ".join(units[start:end + 1])
        offsets.append(at)
        pos = at + len(unit)
    return text[offsets[start]: offsets[end] + len(units[end])]


#: At most this many sentences make one run (:func:`_best_window`), and at most
#: ANSWER_WORDS words make one answer: a longer run is not offered, never cut.
WINDOW_UNITS = 3
ANSWER_WORDS = 60
#: The most words a sentence pointing back may have to be joined after the answer.
FOLLOW_ON_WORDS = 12


def _words(units: list[str], start: int, end: int) -> int:
    return sum(len(u.split()) for u in units[start:end + 1])


def _best_window(units: list[str], credits: list[dict[int, float]], kinds: list[bool],
                 weights: AnswerWeights, best_index: int, best_score: float) -> tuple[int, int]:
    """The best sentence, or a run of sentences each leaning on the one before that answers better.

    "This is called active secondary progressive MS. If you have this, one DMT can slow
    down how fast your symptoms or disability get worse. Its name is siponimod (Mayzent)."
    answers "is there a drug for active SPMS?" where no one of its sentences does: a run
    scores the best weight of each question group over its sentences, and is chosen only
    when that beats every single sentence.
    """
    best = (best_index, best_index)
    single = [weights.score(c, k) for c, k in zip(credits, kinds)]
    for i in range(len(units)):
        joined = dict(credits[i])
        kind = kinds[i]
        for j in range(i + 1, min(len(units), i + WINDOW_UNITS)):
            if (not leans_on_previous(units[j]) or units[j - 1].endswith(":")
                    or _words(units, i, j) > ANSWER_WORDS):
                break
            for gi, c in credits[j].items():
                joined[gi] = max(joined.get(gi, 0.0), c)
            kind = kind or kinds[j]
            score = weights.score(joined, kind)
            if score > best_score and score > max(single[i:j + 1]):
                best, best_score = (i, j), score
    return best


def _with_lead_in(units: list[str], start: int, end: int) -> int:
    """Where the answer starts: as many sentences earlier as it takes to reach one that does
    not point back.

    "If they are, these symptoms might not go away." is read as "if symptoms are due to
    your MS progressing" only with the sentence before it; "If you have this, one DMT ..."
    needs "This is called active secondary progressive MS." and the sentence that says what
    "this" is. Added when the whole stays within :data:`ANSWER_WORDS`; when the chain cannot
    be closed within it, the one sentence before.
    """
    at = start
    while at > 0 and leans_on_previous(units[at]) and not units[at - 1].endswith(":"):
        if _words(units, at - 1, end) > ANSWER_WORDS:
            return _one_sentence_earlier(units, start, end)
        at -= 1
    return at


def _one_sentence_earlier(units: list[str], start: int, end: int) -> int:
    """The sentence before ``start`` when ``start`` points back and the two fit."""
    if (start > 0 and leans_on_previous(units[start]) and not units[start - 1].endswith(":")
            and _words(units, start - 1, end) <= ANSWER_WORDS):
        return start - 1
    return start


def _with_conditions_before(units: list[str], start: int, end: int) -> int:
    """Where the answer starts: at the first of the requirements before it when it opens
    with one (rule "conditions-together"), and at the sentence those lean on.

    "Things getting worse mustn't be linked to any relapse you've had." is one of the
    conditions of a diagnosis; "you must have had relapses in the past" before it is another.
    """
    at = start
    while (at > 0 and _REQUIREMENT_RE.search(units[at]) and _REQUIREMENT_RE.search(units[at - 1])
           and not units[at - 1].endswith(":") and _words(units, at - 1, end) <= ANSWER_WORDS):
        at -= 1
    return _with_lead_in(units, at, end) if at != start else start


def _with_follow_on(units: list[str], start: int, end: int, params: Parameters = DEFAULT) -> int:
    """Where the answer ends: one sentence later when that one finishes or qualifies it.

    A contrast ("But Extavia was withdrawn from the market in 2022.") always: without it
    "The beta interferon Extavia was also available ..." would mislead. A consequence
    ("So it's unlikely to help ...") always: it is what the reasons before it lead to.
    A reason ("This was because its makers decided ..., not because of any safety
    issues.") always: without it a reader guesses one. A sentence closing with a contrast
    ("Changes can happen very slowly though.") or saying something of the whole sentence
    before it ("This is rare but can happen if ...") always. A short sentence
    that opens by pointing back ("Its name is siponimod (Mayzent).") finishes the one
    before; a longer one says something further, and the answer stays tight without it
    (rule "referring-pair"). With rule "hedge-exception", the exception
    to a hedged rule ("... usually comes to an end." "Some people may still get relapses
    ...") always: without it the rule reads as true for everyone. With rule
    "conditions-together", a requirement after a requirement ("you must have had relapses
    ..." "Things getting worse mustn't be linked to any relapse ..."): one thing's conditions
    are shown whole. With rule "qualifier-explained", a sentence saying when
    a word holds after one whose condition turns on it ("... only if their MS is still
    active." "Your MS is active if you still get relapses, or ..."): the condition is shown
    with what it asks for. With rule "inline-list", a sentence naming the members of what the
    answer spoke of ("Several drugs are now being tested ..." "These include drugs to repair
    myelin, ..."): the answer says which.
    """
    while end + 1 < len(units) and _words(units, start, end + 1) <= ANSWER_WORDS:
        follow = units[end + 1]
        if not (_CONTRAST_RE.match(follow) or _CONTRAST_TAIL_RE.search(follow)
                or _CONSEQUENCE_RE.match(follow) or _REASON_RE.match(follow)
                or _COMMENT_RE.match(follow)
                or (params.on("hedge-exception") and _EXCEPTION_RE.match(follow)
                    and _HEDGE_RE.search(units[end]))
                or (params.on("conditions-together") and _REQUIREMENT_RE.search(follow)
                    and _REQUIREMENT_RE.search(units[end]))
                or (params.on("qualifier-explained") and _explains_qualifier(follow, units[end]))
                or (params.on("inline-list") and _INLINE_LIST_RE.match(follow))
                or (_REFERS_BACK_RE.match(follow) and len(follow.split()) <= FOLLOW_ON_WORDS)):
            break
        end += 1
    return end


def _with_list(units: list[str], start: int, end: int, items: tuple[str, ...]) -> int:
    """Where the answer ends: after the list it introduces, when it ends with a colon.

    "But thanks to today's MS drugs this is changing:" says nothing until its bullets do
    ("fewer people are likely to go on to secondary progressive MS"): the bullets that
    follow come with it, as many as fit within :data:`ANSWER_WORDS`.
    """
    if not units[end].endswith(":"):
        return end
    bullets = set(items)
    while (end + 1 < len(units) and units[end + 1] in bullets
           and _words(units, start, end + 1) <= ANSWER_WORDS):
        end += 1
    return end


def highlight_spans(text: str, matched: AbstractSet[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term the question matched."""
    return [(start, end) for term, start, end in word_spans(text) if term in matched]
