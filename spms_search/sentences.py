"""Sentences and what they say: the analysis ranking and answer picking share.

A passage is cut into units (:func:`split_units`): the sentences of its paragraphs, and
each bullet of a list on its own. For each unit this module says which index terms it
holds (:func:`unit_terms_of`), whether it says a phrase (:func:`contains_phrase`,
:func:`phrase_share`), whether it defines the subject of a "what is X?" question
(:func:`defines`) and whether it says the kind of thing a question asks for
(:func:`answers_kind`: a person for "who", a time for "how long"). ``scoring.py`` uses
these to rank passages by their best sentence, ``answers.py`` to pick the answer, and
``answerability.py`` as evidence.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise

from .analysis import terms
from .lazyre import lazy_pattern

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


def stored_unit_terms(text: str) -> list[tuple[str, ...]]:
    """The index terms of each unit of ``text`` (:func:`split_units`), in order: what a
    build stores with a passage (field ``units``), equal to :func:`unit_terms_of` of each.

    Why: ranking measures the sentences of up to a few hundred candidate passages a
    question (proximity, sentence coverage), and analysing them was a third of the time
    of a question asked for the first time.
    """
    return [tuple(terms(unit)) for unit in split_units(text)]


@lru_cache(maxsize=65_536)
def unit_terms_of(unit: str) -> tuple[str, ...]:
    """Index terms of one sentence or bullet (cached: the same passages answer again and again)."""
    return tuple(terms(unit))


@lru_cache(maxsize=65_536)
def unit_term_set_of(unit: str) -> frozenset[str]:
    """The distinct terms of :func:`unit_terms_of` (cached): a phrase whose first word is not
    among them is not in the unit, found without a scan."""
    return frozenset(unit_terms_of(unit))


Subject = tuple[tuple[tuple[str, ...], ...], ...]

_copula_re = lazy_pattern(
    r"^\W*(?P<head>[^.;:!?]{1,80}?)\W*\s+(?:here\s+)?(?:is|are|means|refers to|stands for)\s"
)
#: "If you do have relapses, this means ...": a condition before "this means" says what
#: follows from it, not what the thing named in the condition is.
_CONDITION_HEAD_RE = lazy_pattern(r"(?:if|when|whenever|once|because|as|since|unless|although)\b|.*,")
_called_re = lazy_pattern(r"\b(?:is|are)\s+(?:called|known as|named|termed)\s+(?P<name>[^.,;:()]{1,80})")
_gloss_re = lazy_pattern(r"\(\W*(?P<name>[^()]{1,60}?)\W*\)")
#: "... from primary progressive MS, which is progressive from the start": a relative
#: clause defines the last few words before it. (", meaning ..." after a clause mostly says
#: what follows from it; after a word in quotes it glosses the word: ``glosses_word``.)
_which_is_re = lazy_pattern(r",\s+which\s+(?:is|are|means)\s")
#: "... can offer you rehabilitation. This is help to get back ...", "... HSCT. This is a
#: kind of stem cell therapy": a sentence that opens "this is" and says what kind of thing
#: it is (a kind, type or form of something, or one of the mass nouns of care, which take
#: no article) defines the last words of the sentence before it. "This is a decision ..."
#: or "this is rare" mostly speaks of the whole sentence before, and "this is called" names
#: (``_called_re``): neither defines.
_this_is_re = lazy_pattern(
    r"^\W*(?:this|these)\s+(?:is|are)\s+(?:(?:a|an)\s+(?:kind|type|form|sort)\s+of|help|support|care|"
    r"treatment|therapy|advice)\b")
_sentence_end_re = lazy_pattern(r"(?<=[.!?])\s+")


def _names(found: tuple[str, ...], subject: Subject) -> bool:
    """True when ``found`` is nothing but a way of writing the whole subject."""
    if not found:
        return False
    allowed = {t for group in subject for alt in group for t in alt}
    if not set(found) <= allowed:
        return False
    have = set(found)
    return all(any(alt and set(alt) <= have for alt in group) for group in subject)


def _folded(text: str) -> str:
    """``text`` in lower case with curly single quotes straight, as the definition patterns
    read it."""
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


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
    low = _folded(unit)
    match = _copula_re().match(low)
    if match and not _CONDITION_HEAD_RE().match(match.group("head")) and _names(
            tuple(terms(match.group("head"))), subject):
        return True
    for pattern in (_called_re(), _gloss_re()):
        for match in pattern.finditer(low):
            if _names(tuple(terms(match.group("name"))), subject):
                return True
    for match in _which_is_re().finditer(low):
        if _ends_naming(low[: match.start()], subject):
            return True
    if glosses_word(unit, subject):
        return True
    sentences = _sentence_end_re().split(low)
    return any(_this_is_re().match(after) and _ends_naming(before, subject)
               for before, after in pairwise(sentences))


#: "'Active' here means ...", "steadily 'progress', meaning they get worse": the page says
#: what a word means, the word in quotes.
_word_gloss_re = lazy_pattern(
    r"'(?P<word>[^']{1,40})'(?:\s+here)?\s+(?:means|is used to mean|refers to)\s"
    r"|'(?P<word2>[^']{1,40})',\s+meaning\s")


@lru_cache(maxsize=65_536)
def glosses_word(unit: str, subject: Subject) -> bool:
    """True when ``unit`` says what a word means, the word in quotes, and the word names the
    subject: how the page explains a qualifier it uses ("'Active' here means ...")."""
    if not subject:
        return False
    low = _folded(unit)
    return any(_names(tuple(terms(m.group("word") or m.group("word2"))), subject)
               for m in _word_gloss_re().finditer(low))


def defines_next(unit: str, following: str, subject: Subject) -> bool:
    """True when ``following``, the sentence or bullet after ``unit``, opens "This is a
    ..." and so defines the last words of ``unit`` (see ``_this_is_re``)."""
    return bool(subject) and bool(_this_is_re().match(_folded(following))) and _ends_naming(
        _folded(unit), subject)


def _ends_naming(text: str, subject: Subject) -> bool:
    """True when the last one to six words of ``text``, read as a noun phrase (or a word in
    quotes, a term being explained), name the whole subject."""
    before = text.rstrip(" .!?").split()
    tails = (" ".join(before[-n:]) for n in range(1, min(6, len(before)) + 1)
             if n == len(before) or _starts_noun_phrase_after(before[-n - 1])
             or before[-n][:1] in ("'", '"'))
    return any(_names(tuple(terms(tail)), subject) for tail in tails)


#: Words after which a noun phrase starts: the relative clause of "different from primary
#: progressive MS, which is ..." is about "primary progressive MS", never about its tail
#: "progressive MS", so the words it defines must start after one of these (or a comma).
_NOUN_PHRASE_STARTERS = frozenset(
    "a an the from to of with by for in on at as than and or is are was were have has had "
    "called named like about into between this that your their its our "
    "you me him her them us".split())


def _starts_noun_phrase_after(word: str) -> bool:
    """True when a noun phrase starts after ``word`` (see :data:`_NOUN_PHRASE_STARTERS`)."""
    return word[-1:] in (",", ";", ":", "(") or word in _NOUN_PHRASE_STARTERS


_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
           r"twenty|thirty|forty|fifty|a few|few|several|many|a couple of)")
#: What a sentence of each answer kind says (see ``query.expected_answer``), in words that
#: patient information anywhere uses: roles and services, spans of time, rates, causes,
#: amounts and frequencies, places and channels, conditions.
_KIND_SOURCES: dict[str, str] = {
    # a phone number as printed in the UK, North America or with a country code
    "phone": (
        r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b|\+\d{1,3}[\s\d()-]{8,}"),
    # an hour of the clock, a day of the week, or opening hours said as such
    "clock": (
        r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|midnight|"
        r"o'clock|opening hours|opening times)\b|\b(?:open|opens|closed|closes) (?:from|between|until|till|"
        r"every|24)\b|\b(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekdays?|"
        r"weekends?)\b"),
    # whom to ask or where to go: the way to sign up, apply or be referred, or the channel
    # ("through our network of local groups", "on our website")
    "procedure": (
        r"\b(?:ask (?:your|a|the|them|us)|talk to|speak to|speak with|contact|get in touch|call|phone|ring|"
        r"visit|apply|application|sign up|register|registration|enrol\w*|refer|refers|referred|referral|"
        r"self-refer\w*|(?:through|via|on) (?:our|your) (?:website|forum|helpline|app|network|local)|"
        r"go to (?:your|a|the|our)|(?:application|referral) form|fill in a form)\b|www\.|\.org\b"),
    # a price, a charge or who pays
    "cost": (
        r"[£$€]\s?\d|\b\d+ (?:pounds|dollars|euros)\b|\b(?:free of charge|for free|free on the nhs|costs?|"
        r"costly|prices?|priced|expensive|cheap|cheaper|fees?|charges?|charged|paid for|pays? for|funds?|"
        r"funded|funding|afford\w*)\b"),
    # ("to see if they can help" asks whether: no condition)
    "condition": (
        r"\b(?:only if|even then|(?<!\bsee )(?<!\bknow )(?<!\bout )(?<!\bcheck )(?<!\bask )(?<!\btell )"
        r"if (?:you|your|their|they|he|she|it|this|that)|unless|must|as long as|"
        r"provided (?:that|you)|criteria|eligib\w*|qualif(?:y|ies|ied)|entitled)\b"),
    "person": (
        r"\b(?:neurologists?|nurses?|gps?|doctors?|physiotherapists?|physios?|therapists?|"
        r"dieti[ct]ians?|nutritionists?|consultants?|specialists?|counsell?ors?|psychologists?|"
        r"pharmacists?|surgeons?|teams?|helplines?|services?|staff|charit(?:y|ies)|"
        r"trained people|professionals?|social workers?|carers?)\b"),
    # how soon a treatment acts: "starts to work within weeks", "can take months to work"
    "onset": (
        r"\b(?:starts? (?:to )?work(?:ing)?|kicks? in|takes? effect|(?:takes?|took|taking) (?:a few |"
        r"several |\d+ |some |a couple of )?(?:hours?|days?|weeks?|months?|time|a while) (?:to|before) "
        r"(?:it )?(?:works?|helps?|start|take effect|have an effect)|within (?:a few |several |\d+ |one |"
        r"two |three |a couple of )?(?:hours?|days?|weeks?|months?))\b"),
    # a person's age: "aged 40", "in their forties", "over the age of 18", "people over 65",
    # "18 and over", "ages 18 to 65", "under-50s" ("over 20 years" is a span, not an age)
    "age": (
        r"\baged (?:over |under |between )?\d+|\bages? (?:of )?\d+|\b\d+ years? old\b|\b\d+-year-olds?\b"
        r"|\bin (?:their|your|his|her|my|our) (?:early |mid |late )?(?:\d0s|'\d0s|teens|twenties|thirties|"
        r"forties|fifties|sixties|seventies|eighties)\b"
        r"|\b(?:over|under|above|below) the age of \d+|\bbetween the ages of \d+"
        r"|\b(?:people|adults|patients|anyone|those|children|men|women) (?:aged )?(?:over|under) \d+\b"
        r"|\b\d+ (?:and|or) (?:over|older|under|younger)\b|\b(?:over|under)-\d+s\b|\bmiddle age"),
    # a score on a named scale: "an EDSS of 6.5", "a score of four or more", "6 points on the scale"
    "score": (
        rf"\b(?:edss|scores?|scored|scale)\b\W+(?:\w+\W+){{0,4}}?(?:\d+(?:\.\d)?|{_NUMBER})\b"
        r"|\b\d+(?:\.\d)? (?:points? )?on the (?:edss|scale)\b"),
    "time": (
        rf"\b{_NUMBER}\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b"
        r"|\b(?:19|20)\d\d\b|\bsome time\b|\b(?:take|takes|took|taking) (?:longer|a while|time)\b"
        r"|\bwith time\b|\bover time\b|\bat least\b"),
    # a pace, not a treatment's effect on it: "can slow down how fast your disability gets
    # worse" says what a drug does, not how fast SPMS goes
    "speed": (
        r"\b(?:slow(?:ly|er)?(?! down\b)|quick(?:ly|er)?|rapid(?:ly)?|gradual(?:ly)?|steady|"
        r"steadily|sudden(?:ly)?)\b|(?<!\bhow )\bfast(?:er)?\b|\bover (?:years|months|time)\b"),
    "mechanism": (
        r"\b(?:works? by|worked by|working by|given as|given by|taken as|injected|infused|"
        r"by (?:dampening|reducing|stopping|blocking|preventing|suppressing|resetting|"
        r"replacing|removing|repairing|protecting))\b"),
    # harm a treatment may do: "no safety issues" says nothing of its side effects
    "harm": (
        r"\b(?:side[ -]?effects?|adverse|risks?|dangers?|harm|harmful|complications?|toxicity)\b"),
    # whether a medicine or procedure is safe, said either way ("not because of any safety issues")
    "safety": (
        r"\b(?:side[ -]?effects?|adverse|risks?|risky|safe|safer|safety|unsafe|dangers?|dangerous|"
        r"harm|harmful|complications?|toxic|toxicity)\b"),
    # a quantity of a medicine, or a dose said as such
    "dose": (
        r"\b\d+(?:\.\d+)?\s?(?:mg|milligrams?|micrograms?|mcg|g|grams?|ml|units?)\b|\bdos(?:e|es|age|ing)\b"
        r"|\b(?:once|twice|\d+ times) (?:a|per|each) (?:day|week)\b|\btablets? (?:a|per|each) day\b"),
    "efficacy": (
        r"\b(?:help|helps|helped|helpful|helping|works?|worked|effective|benefit|benefits|beneficial|"
        r"useful|improves?|slows?|reduces?|stops?|prevents?|unlikely|no evidence|evidence|"
        r"treats?|treated|treating|manages?|managed|managing|eases?|relieves?|minimi[sz]es?|"
        r"lessens?|controls?|can't|cannot|won't)\b"),
    "reason": (
        r"\b(?:because|why|due to|caused by|causing|the cause of|the reason|as a result|thanks to|"
        r"this means|so that)\b"),
    "amount": (
        rf"\b{_NUMBER}\b|\b(?:fewer|most|majority|minority|half|quarter|percent|per cent|"
        r"hundreds?|thousands?|millions?)\b|%"),
    # a definite frequency of something done: "every year", "twice a day", "once a month"
    # ("once your MS becomes ...", "every person", "a regular diet" give no frequency)
    "schedule": (
        rf"\b(?:once|twice|{_NUMBER} times) (?:a|an|per|each|every) (?:day|week|fortnight|month|year)\b"
        rf"|\bevery (?:{_NUMBER} |other |few )?(?:days?|weeks?|fortnights?|months?|years?)\b"
        r"|\b(?:daily|weekly|fortnightly|monthly|yearly|annual|annually|regularly)\b"
        r"|\bregular (?:check-?ups?|checks?|appointments?|reviews?|scans?|mris?|tests?|infusions?|"
        r"injections?)\b"),
    # ("once your MS becomes ..." and "every person" say no rate)
    "rate": (
        rf"\b(?:rare|rarely|occasional|occasionally|often|sometimes|always|never|twice|"
        rf"daily|weekly|monthly|yearly|annual|annually|regular|regularly)\b"
        rf"|\b(?:only |just |at least |more than )once\b|\bonce (?:or twice|in a while|a|an|per|every)\b"
        rf"|\bevery (?:time|now and then|so often|(?:{_NUMBER} |other |few )?"
        r"(?:days?|weeks?|months?|years?))\b"
        rf"|\b{_NUMBER} times\b|\b(?:a|per|each) (?:day|week|month|year)\b"),
    "frequency": (
        r"\b(?:rare|rarely|occasional|occasionally|often|usually|sometimes|always|never|common|"
        r"commonly|likely|unlikely|most people|many people|fewer people|chance|risk)\b"),
    "choice": (
        r"\b(?:whether|tell apart|tell the difference|work out|difference|different|distinguish|"
        r"due to|instead|rather than)\b"),
    "place": (
        r"\b(?:online|websites?|forums?|download|local|near|helplines?|centres?|centers?|clinics?|"
        r"hospitals?|nhs|services?|groups?|branch(?:es)?|at home|phone|call)\b"),
}


#: A number said ("20", "six", "several", "a few", none: "no other"), or a share of a whole
#: ("half of", "most", "10% of"): what answers "how many X?" when the thing counted follows
#: it. "Many" says no number.
_QUANTITY_RE = lazy_pattern(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundreds?|thousands?|millions?|dozens?|several|a few|a couple of|half|most|"
    r"the majority|a minority|a quarter|a third|one in \w+|no other|no more|none of|not any)\b"
    r"(?:\s*(?:%|percent|per cent))?"
    r"(?:\s+of)?(?:\s+(?:the|all|these|those))?")


@cache
def _people() -> frozenset[tuple[str, ...]]:
    """Ways of saying everyone a "how many people / patients / of us ...?" question may count
    (read when first asked: the word forms are data a user may point elsewhere)."""
    return frozenset((t,) for t in terms(
        "people person persons patients men women adults children folk ppl us them"))


@lru_cache(maxsize=65_536)
def counts(unit: str, thing: frozenset[tuple[str, ...]]) -> bool:
    """True when ``unit`` says how many of ``thing`` there are (its ways of saying, as
    index terms): a number or a share, then within five words one of those ways ("around
    20 years", "one disease modifying therapy (DMT)", "several drugs", "most people").

    Why: "how many people ...?" is not answered by "around 20 years", by "fewer people",
    which says which way a number moves, nor by "for many people", which gives none.
    """
    low = unit.casefold()
    wanted = set(thing)
    if wanted & _people():
        wanted |= _people()
    for match in _QUANTITY_RE().finditer(low):
        after = tuple(terms(" ".join(low[match.end():].split()[:5])))
        if any(contains_phrase(after, way) for way in wanted if way):
            return True
    return False


#: A hospital or clinic named by its own name, as it is written (capitals kept): "the
#: National Hospital for Neurology", "King's College Hospital"; "a clinic in Moscow" is
#: none, and neither is a charity ("the MS Trust").
_INSTITUTION_RE = lazy_pattern(
    r"\b(?:[A-Z][\w'&.-]*\s+){1,5}(?:Hospital|Clinic|Centre|Center|Infirmary|Institute)\b"
    r"|\b(?:Hospital|Clinic|Centre|Center|Infirmary|Institute) (?:of|for|in) [A-Z]", flags=0)


@cache
def _kind_re(kind: str) -> re.Pattern[str] | None:
    """The compiled pattern of an answer kind (compiled on first use), None for no pattern."""
    source = _KIND_SOURCES.get(kind)
    return None if source is None else re.compile(source)


def kind_phrases(unit: str, kind: str) -> list[str]:
    """The phrases of ``unit`` that say ``kind`` (a kind with a pattern: "place", "time" ...)."""
    pattern = _kind_re(kind)
    return [] if pattern is None else [m.group(0) for m in pattern.finditer(unit.casefold())]


@lru_cache(maxsize=65_536)
def answers_kind(unit: str, kind: str | None, names: frozenset[tuple[str, ...]] = frozenset()) -> bool:
    """True when ``unit`` says the kind of thing the question asks for ("who" -> a person).

    A "drug" question is answered by a unit naming one of ``names`` (the medicines the
    vocabulary knows: ``Vocabulary.drug_names``, carried by the question's plan).
    """
    if kind == "drug":
        unit_terms = unit_terms_of(unit)
        return any(contains_phrase(unit_terms, name) for name in names)
    if kind == "institution":
        return _INSTITUTION_RE().search(unit) is not None
    pattern = _kind_re(kind or "")
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
