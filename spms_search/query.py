"""Query understanding: rewrite a free-text question into weighted groups of index terms.

The steps, in order (each one visible in ``spms-search search --explain``):

1. Clean: drop control, format and bidi characters, replace undecodable bytes, fold
   compatibility forms (NFKC), cap the length at :data:`MAX_QUERY_CHARS`.
2. Lift out balanced "quoted phrases" (straight or curly quotes) of up to four indexed
   words; a quotation (a whole question pasted in quotes, a span holding a question or a
   sentence break, more than four indexed words: :func:`_is_quotation`) is read as
   ordinary words, and an unbalanced quote is ordinary punctuation. No other syntax
   exists: ``AND``, ``*``, ``~2``, ``field:`` are just words or punctuation, so no user
   text can make the query fail.
3. Phrases that are only scaffolding ("tell me", "I have a question about") are dropped;
   "how do I know if" is read as "how can I tell if".
4. Words: the index analyzer's normalisation (case, apostrophes, spelling variants).
   Spelling: a word that is in neither the index nor the vocabulary is replaced by the
   closest word of the index or vocabulary (Damerau-Levenshtein distance 1, or 2 for
   words of six letters or more; a real English word only for two swapped letters); the
   corrected question becomes the ``suggestion``.
5. Vocabulary: the longest vocabulary entry at each point becomes one group whose
   alternatives are the user's own words plus the entry's expansions (lower weight).
6. Question scaffolding ("what", "can I", "is there", "said") is dropped; every other
   word is a group of its own.
7. A multi-word vocabulary entry whose words stand apart in the question (possibly as
   synonyms) becomes one more, *combined*, group (see :meth:`QueryRewriter._combinations`).

Before all this, a "what is X?" question is cut to X (:func:`definition_subject`), and
the plan remembers X so that ranking and answer picking prefer the sentence defining it;
the plan also remembers the kind of answer the wording asks for (:func:`expected_answer`:
"who" -> a person). After it, the story told before a long question's question counts
less (:func:`_emphasise_question`).

A :class:`QueryPlan` is the result: groups of alternatives, one group per thing the user
asked about. The scorer (``scoring.py``) takes the best alternative of each group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Protocol

from .analysis import INDEX_STOP_WORDS, QUESTION_WORDS, raw_words, stem, terms, word_spans
from .english import RARE_ZIPF, is_english_word, zipf
from .lazyre import GuardedPattern, lazy_pattern
from .records import FrozenRecord, Record
from .rules import DEFAULT, Parameters
from .vocabulary import Vocabulary

MAX_QUERY_CHARS = 1000
MAX_GROUPS = 32
MAX_REMEMBERED_CORRECTIONS = 10_000
#: How many question plans one rewriter remembers (the same questions come again: a web
#: page's suggested questions, a chat's repeats); each is a few kilobytes.
MAX_REMEMBERED_PLANS = 2_048
#: The user's own words weigh 1; a spelling fix, a synonym, a broader term and the words of
#: a phrase in any order weigh less (``rules.Parameters``).
USER_WEIGHT = 1.0
#: A question of fewer words tells no story before it asks (see :func:`_emphasise_question`).
STORY_MIN_WORDS = 15
#: The asking clause must name something less everyday than "help" (Zipf 6.0) for the
#: story to count less; "changes" (5.4) or "relapses" will do.
ASKING_MAX_ZIPF = 5.5

_QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"
_QUOTED_RE = GuardedPattern(f"[{_QUOTES}]([^{_QUOTES}]+)[{_QUOTES}]", needs=tuple(_QUOTES))
#: A quoted span is a phrase to match unless it is a quotation: quotes around a whole
#: question ("what comes after SPMS" pasted with its quotes), or around a question, an
#: exclamation or more than one sentence, or more than four indexed words, are read as
#: ordinary words. Required as a phrase, such a quotation is held by no passage, and the
#: question found nothing at all. (A period closing the quote, the American way, is no
#: sentence break.)
MAX_PHRASE_TERMS = 4
_SENTENCE_MARK_RE = re.compile(r"[?!]|[.:;]\s*\S")
_WORD_RE = re.compile(r"\w+(?:['\u2019\u02bc]\w+)*")
_BREAK_RE = re.compile(r"[.,;:!?()\[\]/|]")
_JOINING_WORDS = frozenset({"or", "and", "but", "vs", "versus", "nor"})

# "what is X?", "what does X mean?", "define X", "X meaning": the question asks what X *is*,
# so the best answer is the sentence that defines X ("X is a ...", "this is called X").
_SUBJECT = r"(?P<subject>[^?!.]{1,60}?)"
_END = r"\s*[?!.]*$"
#: Each pattern names the words one of which any text it matches must hold (``lazyre``).
_WHAT = ("what", "wat", "wot")
_LEAD = r"^(?:so |and |but |ok |okay |please,? )?"
_POINTED_MEAN = (r"(?:what|wat|wot)(?: exactly| actually| even| really)? (?:does|do) "
                 r"(?:it|that|this|they|those|these)(?: (?:word|words|term|terms|phrase|name|abbreviation|"
                 r"acronym|bit))?(?: even| actually| exactly| really)? mean\b[^?!.]*" + _END)
#: A heading-like request: "SPMS explained", "relapse definition".
_HEADING_LIKE = GuardedPattern(r"^" + _SUBJECT + r" (?:meaning|definition|defined|explained)" + _END,
                               needs=("meaning", "definition", "defined", "explained"))
_DEFINITION_RES = [
    # "how would you define X (when counselling a patient)?", "can you define X for me?",
    # "what is the definition of X?", "how is X defined?": a clinician's or a careful asker's
    # way to ask what X is
    GuardedPattern(_LEAD + r"(?:how (?:would|do|does|should|can|could) (?:you|we|they|doctors|"
                   r"neurologists|one|i|someone|people) define|(?:can|could|would) you (?:please )?define|"
                   r"(?:what|wat|wot)(?:'s| is) the (?:definition|meaning) of) (?:a |an |the )?" + _SUBJECT
                   + r"(?: (?:when|for|in|to|with|by) [^?!.]{1,60})?" + _END,
                   needs=("define", "definition of", "meaning of")),
    # "what does it mean to be diagnosed with X?": what X is ("what does it mean to have a
    # relapse?" asks what follows from one: not read so)
    GuardedPattern(_LEAD + r"(?:what|wat|wot) (?:does|do|would) it (?:actually |really )?mean to be "
                   r"diagnosed with (?:a |an |the )?" + _SUBJECT + _END, needs=("mean to",)),
    GuardedPattern(_LEAD + r"how (?:is|are) (?:a |an |the )?" + _SUBJECT + r" defined"
                   r"(?: (?:when|for|in|to|by) [^?!.]{1,60})?" + _END, needs=("defined",)),
    # ("what dose X mean": "does" as it is often mistyped; a dose means nothing)
    GuardedPattern(_LEAD + r"(?:what|wat|wot) (?:is|are|does|do|dose) (?:a |an |the )?"
                   + _SUBJECT + r" (?:mean|means|stand for|stands for)"
                   # "what does 'active' mean in active SPMS?": where X is used ("mean for me" asks
                   # what follows from X, not what X is)
                   + r"(?: (?:in|on) [^?!.]{1,60})?" + _END, needs=_WHAT),
    # "what mean X?", "what is mean X?", "what is the meaning of X?": the same, as people
    # write it in a second language or in a hurry
    GuardedPattern(_LEAD + r"(?:what|wat|wot)(?: is| does| do|'s)?(?: the)? (?:mean|means|meaning of) "
                   r"(?:a |an |the )?" + _SUBJECT + r"(?: (?:in|on) [^?!.]{1,60})?" + _END, needs=_WHAT),
    GuardedPattern(_LEAD + r"(?:what|wat|wot) (?:do|does) (?:you|they|doctors|people) "
                   r"mean by (?:a |an |the )?" + _SUBJECT + _END, needs=_WHAT),
    GuardedPattern(r"^(?:what|wat|wot) is meant by (?:a |an |the )?" + _SUBJECT + _END, needs=_WHAT),
    GuardedPattern(r"^(?:what|wat|wot) (?:counts|is counted|is classed|is classified|qualifies) as "
                   r"(?:a |an |the )?" + _SUBJECT + _END, needs=_WHAT),
    GuardedPattern(_LEAD + r"(?:what|wat|wot)(?: exactly| actually| really)?"
                   r"(?: is|'s| are) (?:a |an |the )?" + _SUBJECT + _END, needs=_WHAT),
    GuardedPattern(r"^(?:please )?(?:define|definition of|meaning of|explain) (?:a |an |the )?"
                   + _SUBJECT + _END, needs=("define", "definition of", "meaning of", "explain")),
    _HEADING_LIKE,
    # asked inside another sentence: "can you tell me what HSCT actually is", "I don't
    # understand what SPMS means"
    GuardedPattern(r"^(?:.*?\s)?(?:tell me|tell us|explain|know|knows|understand|wondering|wonder|sure|"
                   r"idea|clue|ask)\s+what (?:exactly |actually |really )?(?:a |an |the )?" + _SUBJECT
                   # ("tell me what the options are" asks for a list, not a definition)
                   + r" (?:is|means|mean|stands for)(?: actually| exactly| really)?"
                   # a run-on tail of voice typing: "... what HSCT is I keep hearing about it"
                   r"(?:\s+(?:i|i'm|i've|im|ive|we|my|as|because|since|cos)\b[^?!.]*)?" + _END, needs=_WHAT),
    # a word named first, then asked about by pointing back: "I've heard the term 'disease
    # progression' a lot, but what exactly does it mean?", "Progression, what does that mean?"
    GuardedPattern(r"^(?:.*?\s)?['\"\u2018\u201c](?P<subject>[^'\"\u2019\u201d]{1,60})['\"\u2019\u201d](?!\w)[^?!]*?"
                   + _POINTED_MEAN, needs=_WHAT),
    GuardedPattern(r"^(?P<subject>[^,;:?!.'\"]{1,60})[,;:]\s*(?:but |so )?" + _POINTED_MEAN, needs=_WHAT),
]
#: A subject that starts with one of these is no thing to define ("what is the best ...").
_NOT_DEFINABLE = frozenset(QUESTION_WORDS | INDEX_STOP_WORDS
                           | {"difference", "point", "best", "role", "job", "purpose"})


#: Words that start the object of a verb: "what is making my walking worse?" has a verb
#: with its object where a definition question has a noun ("what is relapsing remitting MS?").
_OBJECT_STARTS = frozenset(
    "my your his her their our the a an it me him them us this that these those".split())


#: Where a second question joins the first: "what is X and how is it treated?".
_SECOND_QUESTION_RE = GuardedPattern(
    r",?\s+(?:and|&)\s+(?=(?:how|what|when|why|where|who|which|is|are|can|could|does|do|will|would|should)\b)",
    re.IGNORECASE, needs=("and", "&"))


#: Auxiliary verbs (a clause's verb begins with one): after "what" they ask about what a
#: medicine does ("what do DMTs do?"), not which medicine.
_AUXILIARIES = frozenset(
    "can could will would should is are do does did has have am was were".split())
_AUXILIARY_ALTERNATION = "(?:" + "|".join(sorted(_AUXILIARIES)) + ")"
#: The words that name a medicine in general, singular or plural ("drugs", "meds", "DMTs").
_MEDICINE_WORDS = r"(?:drugs?|medications?|medicines?|meds|pills?|tablets?|dmts?|dmds?)"
#: Classes of medicine whose members have names of their own ("methylprednisolone").
_MEDICINE_CLASSES = r"(?:(?:cortico)?steroids?|interferons?)"
_MEDICINE_OR_CLASS = r"(?:" + _MEDICINE_WORDS + "|" + _MEDICINE_CLASSES + ")"
#: "Which steroid ...?", "what kind of DMT ...?", "what is the steroid called?", "the name of
#: the steroid": asking to name one member of a class of medicine (the class word is group
#: "c", "n" or "k").
_WHICH_CLASS_RE = GuardedPattern(
    r"\b(?:which|what)\s+(?:kinds? of |types? of |sorts? of )?"
    r"(?P<c>" + _MEDICINE_OR_CLASS + r")\b"
    r"|\bnames? (?:of|for) (?:the |any )?(?P<n>" + _MEDICINE_CLASSES + r")\b"
    r"|\b(?P<k>" + _MEDICINE_CLASSES + r") (?:[\w'-]+ ){0,6}?called\b",
    re.IGNORECASE, needs=("which", "what", "name", "called"))


def asked_medicine_class(question: str) -> str | None:
    """The index term of the class of medicine a "which X ...?" question asks a member of
    ("which steroid is used?" -> "steroid"), or None."""
    match = _WHICH_CLASS_RE.search(question)
    if match is None:
        return None
    found = terms(match.group("c") or match.group("n") or match.group("k"))
    return found[0] if found else None


#: Words before a class of medicine that make it speak of every member ("if you take *a*
#: DMT", "*any* steroid"): such a passage answers "which DMTs ...?" with "any of them".
_EVERY_MEMBER_WORDS = frozenset("a an any your all every each".split())


def names_the_class_only(text: str, asked: str) -> bool:
    """True when ``text`` says the class of medicine ``asked`` (an index term, see
    :func:`asked_medicine_class`) as a class, not of any member: "treated with steroids"
    does not say which steroid; "if you take a DMT, ... coming off it" speaks of every DMT."""
    said = False
    for term, start, _ in word_spans(text):
        if term != asked and term.rstrip("s") != asked.rstrip("s"):  # "DMTs" and "a DMT"
            continue
        before = text[:start].split()
        if before and before[-1].casefold() in _EVERY_MEMBER_WORDS:
            return False
        said = True
    return said


def definition_subject(text: str) -> str | None:
    """What a "what is X?" question asks to have defined, or None for other questions.

    The subject must be short and name something: "what is the difference between X and
    Y" or "what is best for fatigue" ask for more than a definition and are left alone.
    A question that goes on to ask more ("what is X and how is it treated?") asks first
    what X is: the definition answers its first part.
    """
    subject = _definition_subject(text)
    if subject is None:
        first = _SECOND_QUESTION_RE.split(text, maxsplit=1)[0]
        if first != text:
            subject = _definition_subject(first)
    if subject is None:
        # a question followed or preceded by another sentence: the sentence that asks
        sentences = [part for part in _SENTENCE_END_RE.split(text) if part.strip()]
        if len(sentences) > 1:
            subject = next((x for x in (_definition_subject(part, inside=True) for part in sentences)
                            if x is not None), None)
    return subject


#: Among other sentences, "what is the X?" (this X, that X) with X in everyday words points
#: back at something said: "my consultant wants to stop my DMT. What is the reasoning?" asks
#: for the reasoning of what was told, not what reasoning is. A term ("Hi. What is the
#: myelin sheath?", "Sorry for my English. What is the relapse?") is still asked to be
#: defined, and so is anything asked to be defined outright ("what is the meaning of X").
_POINTING_BACK_RE = re.compile(r"^(?:so |and |but |ok |okay )?(?:what|wat|wot)(?: exactly| actually| really)?"
                               r"(?: is|'s| are| was) (?:the|this|that|these|those) (?P<rest>[^?!.]+)")
#: Words that name no thing to define: "nobody", "something" ...
_NO_THING = frozenset("nobody somebody someone anyone everyone everybody anybody noone nothing something "
                      "anything everything".split())
#: Words that make a heading-like request a statement: "the reasons were never explained"
#: says something happened; "SPMS explained" names a thing.
_STATEMENT_WORDS = frozenset("is are was were be been being has have had not never".split())
#: A request to define outright: "what is the meaning of X", "what does X stand for".
_DEFINING_RE = re.compile(r"\b(?:mean|means|meaning|define|defined|definition|stands? for)\b")


def _points_back(low: str) -> bool:
    """True for "what is the X?" whose X is everyday English (every word at least as common
    as :data:`~spms_search.english.RARE_ZIPF`) and no request to define."""
    match = _POINTING_BACK_RE.match(low)
    if match is None or _DEFINING_RE.search(low):
        return False
    words = raw_words(match.group("rest"))
    return bool(words) and all((zipf(w) or 0.0) >= RARE_ZIPF for w in words)


def _is_quotation(match: re.Match[str], text: str) -> bool:
    """A quoted span read as words, not as a phrase to match (:data:`MAX_PHRASE_TERMS`): a
    question pasted whole with its quotes (it wraps the text and starts with an asking word:
    '"what comes after SPMS"'; '"stem cell therapy"' alone is a phrase searched for), or a
    span holding a question, an exclamation or a sentence break."""
    whole = not text[: match.start()].strip() and not text[match.end():].strip(" ?!.")
    first = raw_words(match.group(1))[:1]
    return (whole and bool(first) and first[0] in _ASKING_WORDS) or bool(
        _SENTENCE_MARK_RE.search(match.group(1).strip()))


def _is_participle(word: str) -> bool:
    """'changed', 'involved': a verb's past participle ("what's changed?" is "what has
    changed?", "what is involved?" asks what something involves), not a thing to define.
    A doubled consonant is undone only when doubled ("stopped" -> "stop"): "hatred" is no
    form of "hat"."""
    bases = [word[:-1], word[:-2]] + ([word[:-3]] if len(word) > 4 and word[-3] == word[-4] else [])
    return len(word) >= 6 and word.endswith("ed") and any(is_english_word(base) for base in bases)


_SENTENCE_END_RE = re.compile(r"(?<=[?!.])\s+")
#: Nouns that name a role something plays for an illness ("the treatment for MS", "the test
#: for SPMS"): "what is the X for MS?" asks which thing plays it, not what an X is.
_ROLE_NOUNS = frozenset(
    "treatment treatments therapy therapies cure cures drug drugs medication medications medicine "
    "medicines test tests prognosis outlook expectancy cause causes option options help support best "
    "diet risk risks chance chances rate criteria age scale score".split())
#: Words around a quoted term that are not part of it: "the 'progressive' bit".
_SUBJECT_FRAME_RE = re.compile(r"^(?:the |this |that )|\s+(?:bit|part|word|term|actually|exactly|really)$"
                               # "what does the word neurodegeneration mean?": the word is X
                               r"|^(?:word|term|phrase|abbreviation|acronym)\s+(?=\S)"
                               # "what is HSCT for MS?": the illness the page is about says what X
                               # is used in, not what X is for ("in MS" stays: "what is myelin in
                               # MS?" is no plainer "what is myelin?" for a page that never says)
                               r"|\s+for (?:people with |someone with |patients with )?"
                               r"(?:ms|multiple sclerosis|spms|progressive ms|"
                               r"secondary progressive(?: ms| multiple sclerosis)?)"
                               r"(?: \(?(?:ms|multiple sclerosis|spms)\)?)?$")
#: After "this", "that" or "the" X, a clause saying where the asker met X ("what's this HSCT
#: thing people keep talking about?", "what is the treatment I keep reading about?") is no
#: part of X, nor is a closing "thing".
_MET_CLAUSE_RE = re.compile(r"(?:\s+(?:thing|stuff))?(?:\s+(?:that |which )?(?:people|everyone|everybody|"
                            r"they|you|i|we|doctors|my \w+)\s+(?:keeps?|kept|have been|'ve been|mentioned|"
                            r"mentions|talk(?:s|ed)? about|hear(?:d)? about|heard|read about|saw|see|said|"
                            r"says)\b.*)?$")
_MET_DETERMINER_RE = re.compile(r"^(?:the|this|that) ")


def _definition_subject(text: str, inside: bool = False) -> str | None:
    low = text.casefold().replace("\u2019", "'")
    if inside and _points_back(low):
        return None
    for pattern in _DEFINITION_RES:
        match = pattern.match(low)
        if match is None:
            continue
        subject = match.group("subject").strip(" '\"\u2018\u201c\u201d")
        if _MET_DETERMINER_RE.match(subject) or low[: match.start("subject")].endswith("the "):
            subject = _MET_CLAUSE_RE.sub("", subject, count=1)
        while (framed := _SUBJECT_FRAME_RE.sub("", subject).strip(" '\"\u2018\u201c\u201d")) != subject:
            subject = framed
        words = raw_words(subject)
        if not words or len(words) > 6 or words[0] in _NOT_DEFINABLE or words[0] in _NO_THING:
            return None
        if pattern is _HEADING_LIKE and any(w in _STATEMENT_WORDS for w in words):
            return None  # "the reasons were never explained" says what happened
        if len(words) == 1 and _is_participle(words[0]) and not _DEFINING_RE.search(low):
            return None  # "what's changed?"; "what does 'relapsed' mean?" still asks
        if words[-1] == "there":
            return None  # "I don't know what help there is": what there is, not what help is
        if words[-1] in _ROLE_NOUNS and (subject != match.group("subject").strip(" '\"\u2018\u201c\u201d")
                                         or low[: match.start("subject")].endswith("the ")):
            # a role noun the frame was cut from ("the treatment for MS"), or one said with
            # "the" on a page about one illness ("what is the treatment?", "what is the
            # prognosis?"): it asks which treatment, not what a treatment is
            return None
        if words[0].endswith("ing") and words[1:2] and words[1] in _OBJECT_STARTS:
            return None  # "what is making my walking worse?" asks for a cause, not a definition
        if any(w in _JOINING_WORDS or w in ("between", "for", "with", "after", "before",
                                             "when", "if", "like", "to", "of") for w in words):
            return None  # "what are the side effects of X" asks about X, not what something is
        start = low.find(subject)
        return text[start : start + len(subject)] if start >= 0 and len(low) == len(text) else subject
    return None


# "who can help?", "how long does it take?", "why ...?": the wording of a question says what
# kind of thing answers it (a person or service, a length of time, a reason, an amount, a
# place), as classic question answering systems type their answers. A clause starts at the
# beginning, after punctuation or after "and"/"so"/"but": "people who have SPMS" is no
# question about a person.
_CLAUSE = r"(?:^|[,;:.!?\u2013\u2014]\s*|\s-\s+|\b(?:and|so|but|then|also)\s+)"
# "how does siponimod work?", "how is it given?": how a treatment works or is done, which
# patient information says as "works by ...", "is given as ..." when it says it at all. The
# subject (group w, x or g) must name a treatment (``QueryRewriter._names_a_treatment``).
_MECHANISM_RE = GuardedPattern(
    r"\bhow (?:does|do|did|will|would|can|could) (?P<w>(?:[\w'()-]+ ){1,5}?)"
    r"(?:actually |exactly |really )?work\b(?! out\b)"
    r"|\bhow (?:exactly |actually )(?:does|do) (?P<x>(?:[\w'()-]+ ){1,5}?)work\b(?! out\b)"
    r"|\bhow (?:is|are|was|were) (?P<g>(?:[\w'-]+ ){1,4}?)(?:given|taken|administered|carried out|done)\b",
    needs=("work", "given", "taken", "administered", "carried out", "done"))
# "does HSCT work for progressive MS?", "would physio help?", "is it worth it?", "can HSCT
# cure MS?", "is X a cure?": whether a treatment works, which patient information says as
# "can help", "is unlikely to help", "slows down", "is useful" when it says it at all. A
# yes/no question of its own clause; "does X work" (or "cure") only when X names a treatment
# (group w; ``QueryRewriter._efficacy_of_a_treatment``): "can my husband still work?" asks
# about a job. A person or service as the subject ("can anyone help?", "could you help me",
# "would my MS nurse help me fill in forms?", "can they help?") asks for help, not whether
# something works; "is there anything that helps?" asks what there is (a drug, a place), not
# whether a named thing works.
_HELPERS = (r"(?:my|the|your|our|his|her|their|a|an)\s+(?:\w+\s+)?(?:gp|doctors?|neurologists?|nurses?|"
            r"consultants?|team|helpline|society|trust|council|services?|family|wife|husband|partner|"
            r"carers?|employer|boss|friends?|son|daughter|mum|dad|mother|father|kids|children|charity|"
            r"nhs|person|people|physiotherapists?|therapists?|social workers?)\b")
_EFFICACY_RE = GuardedPattern(
    _CLAUSE + r"(?:does|do|did|will|would|can|could|might|may|is|are|was|were)\s+"
    r"(?!(?:anyone|anybody|someone|somebody|any one|you|i|we|people|he|she|there)\b)"
    r"(?!" + _HELPERS + r")"
    r"(?:(?P<w>(?:[\w'()-]+\s+){1,5}?)(?:actually |really |even )?(?:works?\b(?! out\b)|cures?\b|a cure\b)"
    r"|(?!they\b)(?:[\w'()-]+\s+){1,5}?(?:actually |really |even )?(?:help|helps)\b"
    r"|(?:[\w'()-]+\s+){1,4}?(?:effective|worth it|worthwhile|any good|beneficial|"
    r"worth (?:trying|taking|having|doing|it))\b)",
    needs=("work", "help", "effective", "worth", "any good", "beneficial", "cure"))
# "what are the side effects of X?", "the risks of HSCT", "is X dangerous?": the harm a
# treatment may do. Of "the risk of X", X (group t) must name a treatment ("the risk of
# relapse" is the course of MS, not harm done); otherwise the question must name one
# (``QueryRewriter._asks_harm_of_a_treatment``).
_HARM_RE = GuardedPattern(
    r"\bside[ -]?effects?\b|\badverse (?:effects?|reactions?|events?)\b"
    r"|\b(?:risks?|dangers?|complications?) (?:of|from|with|involved in|when) (?P<t>(?:[\w'()-]+ ?){1,3})"
    # "does Mayzent make you tired?", "will HSCT make me infertile?": an adverse effect asked
    # of a treatment (the question must name one), however it is worded
    r"|\b(?P<s>[\w'()-]+(?: [\w'()-]+){0,2}) (?:will |can |could |might |may |would )?"
    r"(?:make|makes|made|making|cause|causes|caused|give|gives|gave) (?:you|me|him|her|them|people|us|"
    r"someone )?\s*(?:feel |go |get )?(?:tired|sleepy|drowsy|sick|ill|dizzy|nauseous|nauseated|depressed|"
    r"moody|itchy|infertile|sterile|bald|fat|high|put on weight|gain weight|"
    r"lose (?:your |my |their |her |his )?hair|hair loss|headaches?|a headache|insomnia|weight gain)\b",
    needs=("side", "effect", "adverse", "risk", "danger", "complication", "make", "made", "caus", "give",
           "gave"))
# "is HSCT safe?", "how safe is siponimod?", "was Extavia dangerous?": whether a medicine or
# procedure is safe, which a sentence says either way ("not because of any safety issues").
# Of a medicine or procedure only (group x, or the question for "how safe"): "is it safe to
# exercise?" asks whether exercise is advisable, which "appropriate exercise is useful" answers.
_SAFETY_RE = GuardedPattern(
    r"\bhow (?:safe|risky|dangerous|harmful)\b"
    r"|\b(?:is|are|was|were) (?P<x>(?:[\w'()-]+ ){1,4}?)(?:safe|dangerous|risky|harmful|toxic|unsafe)\b",
    needs=("safe", "danger", "risk", "harmful", "toxic"))
#: Words for a slow pace and a fast one (``expected_answer``'s "speed", rule ``pace-asked``).
_SLOW = r"slow|slowly|slower|gradual|gradually|steady|steadily"
_FAST = r"fast|faster|quick|quickly|quicker|rapid|rapidly|sudden|suddenly"
#: The pace words of a question that asks a pace: its kind, like "long" in "how long", not
#: a thing a passage must say ("slow down how fast it gets worse" says what a drug does);
#: "come on" there is the starting whose pace is asked ("does it come on suddenly?").
_PACE_WORDS_RE = GuardedPattern(r"\b(?:" + _SLOW + "|" + _FAST + r"|speed|pace|"
                                r"(?:come|comes|came|coming) on)\b",
                                needs=("slow", "steady", "steadily", "gradual", "fast", "quick", "rapid",
                                       "sudden", "speed", "pace", " on"))
#: What makes a pace faster or slower is a cause asked, not the pace.
_PACE_CAUSE_RE = GuardedPattern(r"\bwhat (?:makes|make|made|causes|caused)\b|\bwhy\b",
                                needs=("what", "why"))
#: How fast a service acts (being seen, referred, answered) is a waiting time, not the pace
#: of the illness: "how quickly can I see a neurologist?", "how fast will the helpline get
#: back to me?".
_SERVICE_PACE_RE = GuardedPattern(
    r"\b(?:see|visit) (?:a |an |the |my |your )?(?:neuro\w*|nurse|ms nurse|doctor|gp|consultant|"
    r"physio\w*|specialist|someone|somebody|team|therapist)\b"
    r"|\b(?:appointments?|referr\w*|waiting|wait|seen|hear back|get back to|reply|replies|respond\w*|"
    r"call back|ring back|book\w*)\b",
    needs=("see", "visit", "appointment", "referr", "wait", "seen", "hear back", "get back", "repl",
           "respond", "call back", "ring back", "book"))
#: Courses and events with a pace of their own (see ``QueryRewriter._asks_pace_of_illness``).
_OTHER_COURSE_RE = GuardedPattern(
    r"\b(?:ppms|primary progressive|relapses?|flares?|flare[ -]?ups?|attacks?|exacerbations?|lesions?)\b",
    needs=("ppms", "primary", "relapse", "flare", "attack", "exacerbation", "lesion"))
_RELAPSING_COURSE_RE = GuardedPattern(r"\b(?:rrms|rms|relapsing)\b", needs=("rms", "relapsing"))
_SECONDARY_RE = GuardedPattern(r"\b(?:spms|secondary|sp)\b", needs=("spms", "secondary", "sp"))
#: "slow down", "slows it down": what a treatment does to a pace, not a pace.
_SLOW_DOWN_RE = GuardedPattern(r"\bslow(?:s|ing|ed)?\s+(?:\w+\s+)?down\b", needs=("slow",))


_EXPECTED_RES: tuple[tuple[str, GuardedPattern], ...] = (
    # a phone number, a clock time and a price are facts a page either prints or does not:
    # "what is the helpline's phone number?" is not answered by a passage that only names
    # the helpline, "what time does it open?" by none that gives no hour or day, "how much
    # does it cost?" by none that names no price or charge
    ("phone", GuardedPattern(
        r"\b(?:phone|telephone|tel|helpline|contact|mobile) (?:numbers?\b|no\.)"
        r"|\bwhat (?:number|no\.?|numbers) (?:do|should|can|shall|would|could|to) (?:i |we |you )?"
        r"(?:ring|call|phone|dial|text)\b"
        r"|\bnumbers? (?:to|for|i can|i should|do i|can i|should i) (?:ring|call|phone|dial|text)\b",
        needs=("number", "no."))),
    ("clock", GuardedPattern(
        # ("what time does it take ...?" is written for "how long": a span, not the clock)
        r"\bwhat time (?:does|do|is|are|will|can|should|would|did)\b(?!\s+(?:it|they|this|that)\s+take)"
        r"|\b(?:at|by|until|till) what time\b"
        r"|\bopening (?:hours|hrs|times)\b|\bwhat (?:hours|hrs|days)\b[^?.]*\bopen\b"
        r"|\bwhen (?:is|are|does|do) (?:[\w'-]+ ){1,5}?(?:open|closed?|shut)\b"
        r"|\bopen (?:at |on )?(?:weekends?|wknds?|sundays?|saturdays?|bank holidays?|evenings?)\b",
        needs=("time", "hours", "hrs", "days", "open", "close", "shut"))),
    # "how do I sign up for a trial?", "how can I get referred?": the way to do it (whom to
    # ask, where to apply), which a passage that only says the thing exists does not give
    ("procedure", GuardedPattern(
        r"\bhow (?:do|can|would|should|could|does|might|will) (?:i|we|you|one|people|someone|he|she|they|"
        r"my [\w'-]+) (?:go about |actually )?(?:sign(?:ing)? up|apply|applying|register|registering|"
        r"enrol|enroll|enrolling|join|joining|take part|taking part|participate|participating|self-refer|"
        r"get referred|be referred|refer (?:myself|him|her|them)|book)\b"
        r"|\bhow to (?:sign up|apply|register|enrol|enroll|join|take part|participate|get referred|"
        r"self-refer)\b",
        needs=("how",))),
    ("cost", GuardedPattern(
        # ("how much do I need to pay attention ...", "at the cost of side effects": no price)
        r"\bhow much (?:does|do|did|will|would|is|are|was|could|might|dose) (?:[\w'-]+ ){0,6}?"
        r"(?:cost|costs|charge|pay|paid)\b(?!\s+attention)"
        r"|\bwhat (?:does|do|did|will|would) (?:[\w'-]+ ){1,6}?cost\b(?!\s+(?:you|me|him|her|them|us) in\b)"
        r"|(?<!\bat )(?<!\band )\b(?:the |what's the |what is the )"
        r"(?:cost|costs|price|prices|fee|fees) (?:of|for)\b"
        r"|\b(?:price|prices|fee|fees) (?:of|for)\b|\bhow expensive\b"
        r"|\bcosts? (?:anything|money|much|a lot)\b"
        # "is the helpline free to call?": whether one pays
        r"|\bfree to (?:call|ring|phone|use|join|attend|access|download)\b",
        needs=("cost", "price", "fee", "expensive", "how much", "free to"))),
    # "who qualifies for HSCT?", "who can get siponimod?": asks for the condition one must
    # meet ("only if ...", "if you ..."), not for a person
    ("condition", GuardedPattern(
        r"\bwho (?:gets|qualifies|is eligible|is suitable)\b"
        # "who is an ideal / a good candidate for HSCT?": the condition that makes one
        r"|\bwho(?:'s| is| are| would be| makes?| would make| will make) (?!not\b|never\b)(?:a |an |the )?"
        r"(?:(?!not\b|poor\b|bad\b|unsuitable\b)\w+ ){0,2}candidates?\b"
        r"|\bwho (?:can|could|may|might|should|would|will|is able to|is allowed to) (?:get|have|take|"
        r"use|receive|be offered|be given|go on|start|try|be treated with)\b(?! (?:me|us|him|her|them)\b)",
        needs=("who ", "who'"))),
    ("person", GuardedPattern(
        _CLAUSE + r"(?:who|whom|who's)\b"
        r"|\b(?:anyone|anybody|someone|somebody|any one|people|person|professionals?)\s+"
        r"(?:who|that)\s+(?:can\s+|could\s+|will\s+|would\s+|might\s+)?(?:help|advise|support|treat)"
        # "which people get SPMS?" asks which patients, not whom to ask
        r"|\bwhich (?:doctors?|professionals?|specialists?|team|service)\b",
        needs=("who", "that", "which "))),
    # "how long does siponimod take to work?", "when will steroids kick in?": how soon a
    # treatment starts to act, which a span said of anything else ("it took around 20 years
    # for relapsing MS to change") does not answer
    ("onset", GuardedPattern(
        r"\bhow (?:long|soon|much time|many (?:days|weeks|months))\b(?: [\w'-]+){0,5}? (?:take|takes|taking)"
        r"(?: (?!(?:me|you|him|her|us|them|i)\b)[\w'-]+){0,3}? (?:to|before it|until it) "
        r"(?:work|start working|start to work|kick in|take effect)\b(?! out\b| again\b)"
        r"|\bhow (?:long|soon|many (?:days|weeks|months)) (?:until|till|before)(?: [\w'-]+){1,4}? "
        r"(?:works?|starts? working|starts? to work|kicks? in|takes? effect)\b(?! out\b| again\b)"
        r"|\b(?:how (?:quickly|fast|soon)|when) (?:does|do|will|would|can|should|might)"
        r"(?! (?:i|you|he|she|we|they|my|me)\b)(?: [\w'-]+){1,4}? (?:work|start working|start to work|"
        r"kick in|take effect)\b(?! out\b| again\b)"
        # "how long before I notice a difference on siponimod?": how soon its effect shows
        r"|\bhow (?:long|soon) (?:before|until|till|will it be before|does it take before) "
        r"(?:i|you|we|he|she|they) (?:notice|see|feel) (?:a |any )?(?:difference|improvement|benefit|effect)",
        needs=("how ", "when "))),
    # "at what age ...?", "how old are people when ...?", "the age limit for HSCT": a
    # person's age, which no span of time says ("how old is the booklet?" asks a date)
    ("age", GuardedPattern(
        r"\b(?:what|which) age\b(?! group)|\bage (?:limits?|cut-?offs?|thresholds?|range|restrictions?)\b"
        r"|\bhow old (?:are|were|is|was|do|does|will|would|should|must|can) (?:i|you|he|she|we|they|people|"
        r"patients?|someone|somebody|most|men|women|adults|children|my \w+|your \w+|his \w+|her \w+)\b",
        needs=("age", "how old"))),
    # "what EDSS score do I need?", "the EDSS cut-off for HSCT": a score on a named scale;
    # "the threshold for HSCT" asks the condition to meet, not a number
    ("score", GuardedPattern(
        r"\b(?:what|which) (?:[\w-]+ )?scores?\b(?! (?:of )?(?:the|a|an|my|your|his|her|their|our)\b)"
        r"|\bedss (?:scores?|levels?|cut-?offs?|thresholds?)\b|\bdisability scores?\b",
        needs=("score", "edss"))),
    ("time", GuardedPattern(
        r"\bhow (?:long|soon|many (?:years|months|weeks|days))\b"
        r"|\b(?:minimum|maximum|shortest|longest) (?:period|duration|length|time)\b"
        r"|" + _CLAUSE + r"when (?:will|does|do|did|is|are|can|could|should|would|might|was|were)\b",
        needs=("how ", "when ", "minimum", "maximum", "shortest", "longest"))),
    ("mechanism", _MECHANISM_RE),
    # "is X better than Y?", "does X work better than Y?": a choice between two treatments,
    # answered only by a passage that says something of each (read before "does X work")
    ("choice", GuardedPattern(
        r"^(?:so |but |and )?(?:is|are|was|were|do|does|did|would|will)\b[^?]*?\s"
        r"(?:better|safer|stronger|more effective|less effective|more powerful)\s+than\s",
        needs=("than",))),
    # "what are the side effects of X?", "the risks of HSCT", "is X dangerous?": the harm a
    # treatment may do, which patient information says as "side effects", "risks", "safe" when
    # it says it at all; the passage that only names the treatment does not say it
    ("harm", _HARM_RE),
    ("safety", _SAFETY_RE),
    # "what dose of siponimod ...?", "how many mg ...?": a dose, which a page gives as a
    # quantity ("2 mg a day") or not at all ("dose" is also a common typing of "does": "what
    # dose it mean" is no dose question)
    ("dose", GuardedPattern(
        r"\bdos(?:age|ages|ing)\b|\bdoses? (?:of|for)\b"
        r"|\b(?:what|which|the right|the usual|the starting|the daily|the maximum|a daily|usual|starting"
        r"|daily|maximum) doses?\b(?! (?:it|i|you|he|she|they|this|that|the|a|an|my|your|ms|spms|"
        r"progressive|progresive|secondary|relapsing)\b)"
        # "what dose active mean": "does" typed so, before the verb it asks with
        r"(?!(?:\s+[\w'-]+){1,3}\s+(?:mean|means|stand|stands|do|help|helps|work|works|involve|involves)\b)"
        r"|\bhow many (?:[\w-]+ )?(?:mg|milligrams?|micrograms?|tablets|pills|capsules)\b"
        # "how much siponimod do I take?": a quantity of a medicine taken
        r"|\bhow much (?:of (?:it|the|my|this|that) )?"
        r"(?:(?!(?:longer|more|time|rest|exercise|off|breaks?|physio|sleep|care)\b)[\w-]+ ){0,2}?"
        r"(?:do|should|can|will|would|must|"
        r"does|did) (?:i|you|he|she|we|they|people|patients?) (?:need to |have to )?"
        r"(?:take|be given|get given)\b",
        needs=("dos", "mg", "milligram", "microgram", "tablets", "pills", "how much"))),
    ("efficacy", _EFFICACY_RE),
    # "is SPMS slow or fast?", "will it get worse quickly?" ask the pace too, as a choice
    # between paces or of a pace that ends the question after the change it is of ("things
    # are going downhill fast, what can I do?" asks what to do)
    ("speed", GuardedPattern(r"\bhow (?:quick|quickly|fast|slow|slowly|rapidly|rapid)\b"
                             r"|\b(?:what|which) (?:speed|rate|pace)\b"
                             r"|\b(?:" + _SLOW + r")\s+or\s+(?:" + _FAST + r")\b"
                             r"|\b(?:" + _FAST + r")\s+or\s+(?:" + _SLOW + r")\b"
                             r"|\b(?:worse|progress|progresses|progressing|change|changes|changing|happen|"
                             r"happens|develop|develops|downhill|deteriorate|deteriorates)"
                             r"\s+(?:very |really |so |too )?(?:" + _FAST + "|" + _SLOW + r")"
                             r"\s*(?:\?|$|or\b)",
                             needs=("how ", "speed", "rate", "pace", "slow", "fast", "quick", "rapid",
                                    "sudden", "gradual", "steady", "steadily"))),
    # "what's the rationale for stopping a DMT?" is "why stop a DMT?", in a clinician's words
    ("reason", GuardedPattern(_CLAUSE + r"(?:why|how come)\b|\b(?:reasons?|rationale|explanation)"
                              r" (?:for|why|behind)\b"
                              r"|\bwhat(?:'s| is)? the (?:reason|point|rationale|explanation)\b"
                              # "what is making my walking worse?" asks for the cause
                              r"|\bwhat(?:'s| is| are)? (?:making|causing)\b",
                              needs=("why", "how come", "reason", "point", "rationale", "explanation",
                                     "making", "causing"))),
    ("amount", GuardedPattern(r"\bhow (?:many|much)\b"
                              # "what number do I ring?" asks for a phone number, not an amount
                              r"|\bwhat (?:is the |'s the )?(?:percentage|proportion|number of)\b",
                              needs=("how ", "percentage", "proportion", "number"))),
    # "how often should I have an MRI?" asks for a rate ("every year", "occasionally"), which
    # "usually" or "likely" does not give; "how common / how likely" asks for a likelihood
    # "how often should I have an MRI?", "how often is Ocrevus given?": a schedule, which only
    # a definite frequency answers ("every year", "twice a day"). "the occasional relapse"
    # says how often relapses happen, not how often anything is done; "how often do
    # relapses happen?" stays a rate
    ("schedule", GuardedPattern(
        r"\bhow (?:often|frequently|many times)\b[^?.!,;]*?"
        r"(?:\b(?:should|must|ought to|need to|needs to|have to|has to|supposed to) (?:[\w'-]+ ){0,2}?"
        r"(?:have|take|do|use|inject|exercise|attend|see|visit|book|repeat|go for|be seen|be checked|"
        r"be scanned|be tested|be reviewed|check)\b(?! (?:a |any )?(?:relapses?|flare|attack|symptoms?)\b)"
        r"|\b(?:take|takes|inject|injects|infuse|injected|infused|dosed)\b"
        r"|\b(?:have|has|get|gets|need|needs|go for) (?:an? |my |the |your )?"
        r"(?:mri|scans?|check-?ups?|checks?|appointments?|reviews?|tests?|blood tests?|infusions?|"
        r"injections?|courses?|doses?)\b)",
        needs=("how ",))),
    ("rate", GuardedPattern(r"\bhow (?:often|frequently)\b|\bhow many times\b", needs=("how ",))),
    ("frequency", GuardedPattern(r"\bhow (?:common|likely|rare|frequent)\b"
                                 r"|\bwhat (?:are the |is the )?(?:chances?|odds)\b",
                                 needs=("how ", "chance", "odds"))),
    # "which hospitals do HSCT?", "which clinic is best?": a named hospital or clinic, which
    # "offered on the NHS" or "at a specialist centre" does not name
    ("institution", GuardedPattern(
        r"\b(?:which|what) (?!(?:do|does|did|can|could|will|would|should|is|are|was|were|have|has)\b)"
        r"(?:[\w'-]+ )?(?:hospitals?|clinics?|centres?|centers?)"
        r"(?=\s*(?:[?,.!]|$)|\s+(?:in|near|around|abroad|overseas|do|does|can|could|will|would|should|"
        r"offer|offers|carry|carries|provide|provides|treat|treats|run|runs|is|are|that|which|for|to)\b)",
        needs=("which ", "what "))),
    ("place", GuardedPattern(_CLAUSE + r"where\b|\bis there (?:anywhere|somewhere)\b",
                             needs=("where",))),
    # "am I eligible for HSCT?", "the criteria for SPMS": a condition too, unless asked why
    ("condition", GuardedPattern(
        r"^(?!.*\b(?:why|how come)\b).*"
        r"(?:\b(?:eligib\w*|qualif(?:y|ies|ied|ying)|criteria|criterion|entitled)\b"
        r"|\b(?:suitable|a candidate|candidates|(?<!\ball )(?<!\balright )right) for\b)",
        needs=("eligib", "qualif", "criteri", "entitled", " for"))),
    # "is it a relapse or my MS getting worse?": a sentence that tells the two apart
    ("choice", GuardedPattern(
        # ("are there any drugs or other treatments?" lists what there is: no choice of two;
        # "is physio any use, or is it too late?" asks one thing and says what the asker fears)
        r"^(?:so |but |and )?(?!(?:is|are) there\b)(?:is|are|was|were|do|does|did|am|has|have)"
        r"\b[^?]*\s(?:or|vs|versus)\s(?!not\b|anything\b|something\b|other\b|any other\b|anything else\b"
        r"|(?:is|are) (?:it|that|this|they|we|i) (?:already )?(?:(?:too|to) (?:late|soon|early)|pointless|"
        r"useless|hopeless|a waste|not worth|no use)\b)"
        r"|\s(?:vs|versus)\.?\s",
        needs=("or", "vs", "versus"))),
    # "is there a drug for ...?", "what medication ...?": a sentence naming a medicine
    # ("new drugs" are drugs in research, not yet named). "Which steroid ...?" asks which
    # one too, but "is there a steroid for ...?" is answered by "treated with steroids".
    # A medicine only mentioned ("can I still have relapses on a DMT?", "is physio a drug
    # treatment?") is not asked for: "a"/"any" ask for one only with what it is for after it.
    ("drug", GuardedPattern(
        r"\b(?:is there|are there)\s+(?:(?!future\b|experimental\b|non\b)\w+\s+){0,2}"
        r"(?<!non-)(?<!non)" + _MEDICINE_WORDS + r"\b(?![- ]?free\b)"
        r"|\b(?:what|which)\s+(?:(?!future\b|experimental\b|" + _AUXILIARY_ALTERNATION + r"\b)\w+\s+)?"
        + _MEDICINE_WORDS + r"\b(?![- ]?free\b)"
        r"|^(?:what|which)\b[^?]*\bbest\s+(?:(?!future\b|experimental\b)\w+\s+)?" + _MEDICINE_WORDS + r"\b"
        r"|\b(?:a|an|any)\s+(?:(?!future\b|experimental\b|non\b)\w+\s+)?(?<!non-)" + _MEDICINE_WORDS + r"\s+"
        r"(?:for|that|to|which|i can|we can|you can|available|out there|on offer)\b"
        r"|\b(?:what|which)\s+(?:kinds? of |types? of |sorts? of )?(?:cortico)?steroids?\b",
        needs=("drug", "medication", "medicine", "meds", "pill", "tablet", "dmt", "dmd", "steroid"))),
)


#: Verbs that begin a vocabulary entry ("stop treatment", "come off", "treat relapse").
_ENTRY_VERBS = ("stop stopping stopped quit quitting come coming go going take taking taken get getting "
                "treat treating start starting switch switching keep keeping stay staying look looking "
                "pay paying wear clear move moving become becoming")


@cache
def _entry_verb_stems() -> frozenset[str]:
    """The stems of :data:`_ENTRY_VERBS` (stemmed on first use, off the import path)."""
    return frozenset(stem(w) for w in _ENTRY_VERBS.split())


def _verb_after_object(entry: tuple[str, ...], where: dict[str, int], groups: list[Group], text: str) -> bool:
    """True when an entry that begins with a verb is said with its object as the verb's
    subject: in "a treatment to stop SPMS" or "a drug that can stop it" the treatment does
    the stopping, it is not what is stopped, so the words said apart are no "stop
    treatment". "I'm on a DMT, will they stop it?" still stops the DMT (the verb's object is
    "it"), and a noun compound joins in any order ("treatment for an MS attack" holds
    "relapse treatment")."""
    if len(entry) < 2 or entry[0] not in _entry_verb_stems():
        return False
    verb = groups[where[entry[0]]].text
    passive = rf"\b(?:be|been|being|is|are|was|were|get|got|gets)\s+{re.escape(verb)}\b"
    if re.search(passive, text, re.IGNORECASE):
        return False  # "my treatment will be stopped": the treatment is what is stopped
    return any(re.search(rf"\b{re.escape(groups[where[t]].text)}\s+(?:[\w']+\s+)?"
                         rf"(?:to|that|which|can|could|will|would|may|might)\s+(?:[\w']+\s+)?"
                         rf"{re.escape(verb)}\b", text, re.IGNORECASE)
               for t in entry[1:] if where[t] < where[entry[0]])


#: The illness named in nearly every question: as the second word of an entry said apart
#: ("active MS") it links nothing (:func:`_said_of_another_thing`).
_ILLNESS_WORDS = "ms spms rrms ppms sclerosis"
#: The most words that may stand between the words of such an entry, in either order:
#: "active SPMS", "relapsing or the MS", "my MS is active", "classify SPMS as active".
ENTRY_GAP = 2


@cache
def _illness_stems() -> frozenset[str]:
    """The stems of :data:`_ILLNESS_WORDS` (stemmed on first use, off the import path)."""
    return frozenset(stem(w) for w in _ILLNESS_WORDS.split())


#: Verbs that say a thing is kept from happening: "stop me having relapses", "prevent
#: relapses", "fewer relapses" (:func:`_prevented_not_treated`).
_PREVENT_RE = (r"\b(?P<p>stop|stops|stopping|prevent|prevents|preventing|reduce|reduces|reducing|cut|"
               r"cuts|avoid|avoids|fewer|less|lower|lowers|delay|delays)\W+(?P<gap>(?:[\w']+\W+){0,3}?)")
#: Nouns a thing may name the kind of ("relapse symptoms", "relapse severity"): lessening
#: those is treating the thing, not keeping it from happening.
_MODIFIED = (r"(?:symptoms?|severity|length|duration|recovery|damage|time|effects?|impact|pain|"
             r"flare|attack)")


def _prevented_not_treated(entry: tuple[str, ...], where: dict[str, int], groups: list[Group],
                           text: str) -> bool:
    """True when a two-word entry joining a treatment word and a thing is said with the thing
    kept from happening: "can treatment stop me having relapses?" asks for a treatment that
    prevents relapses, not the treatment of a relapse ("relapse treatment" => steroids, which
    shorten a relapse and do not make relapses fewer). Not when the treatment itself is
    what is lessened ("less treatment for relapses"), when the thing names a kind of
    something lessened ("relapse symptoms"), or when one relapse is stopped ("stop a
    relapse in its tracks"): each is the treatment of a relapse."""
    if len(entry) != 2:
        return False
    treating = _treating_stems()
    treated = [t for t in entry if t not in treating]
    if len(treated) != 1:
        return False
    thing = re.escape(groups[where[treated[0]]].text.casefold())
    low = text.casefold().replace("\u2019", "'")
    for match in re.finditer(_PREVENT_RE + rf"{thing}\b(?!\W+{_MODIFIED}\b)", low):
        gap = match.group("gap").split()
        if any(stem(w.strip(".,;:!?'")) in treating for w in gap):
            continue  # "less treatment for relapses", "stop treating my flare ups": the treatment
        if (match.group("p") in ("stop", "stops", "stopping", "cut", "cuts") and gap
                and gap[-1] in ("a", "the", "this", "that", "my", "her", "his", "their", "an")
                and not thing.endswith("s")):
            continue  # "stop a relapse (in its tracks)": an ongoing relapse, which is treated
        return True
    return False


def _said_of_another_thing(entry: tuple[str, ...], where: dict[str, int], groups: list[Group],
                           text: str) -> bool:
    """True when a two-word entry whose second word names the illness ("active MS", "active
    SPMS") is said with its words far apart: MS is named in nearly every question, so "can
    I still be active at work with MS?" would read as active MS, though the person is
    active, not the MS. Near each other (at most :data:`ENTRY_GAP` words between, in either
    order: "my MS is active") it is the entry. Longer entries ("active secondary
    progressive MS") join apart as before: a far "active" is as often the illness's there
    ("what do 'active' and 'inactive' mean ... about secondary progressive MS?")."""
    if len(entry) != 2 or entry[1] not in _illness_stems():
        return False
    if " " in groups[where[entry[0]]].text:
        return True  # a word of another phrase: "keep active with SPMS" keeps the person active
    first, second = (re.escape(groups[where[t]].text.casefold()) for t in entry)
    low = text.casefold().replace("\u2019", "'")
    gap = rf"\W+(?:[\w']+\W+){{0,{ENTRY_GAP}}}"
    return re.search(rf"\b{first}{gap}{second}\b|\b{second}{gap}{first}\b", low) is None


@cache
def _treating_stems() -> frozenset[str]:
    """The treatment words and the verb "treat": what treats, in an entry joining it to a thing."""
    return _treatment_stems() | {stem("treat"), stem("treating")}


_TREATMENT_WORDS = ("drug drugs medicine medicines medication medications meds treatment treatments "
                    "therapy therapies dmt dmts dmd dmds steroid steroids hsct transplant stem cell cells "
                    "chemotherapy chemo surgery operation "
                    "physio physiotherapy exercise exercises rehab rehabilitation diet "
                    "injection injections infusion infusions tablet tablets pill pills jab jabs "
                    "it they this that these those")


@cache
def _self_care_stems() -> frozenset[str]:
    """The ways of helping oneself among :data:`_TREATMENT_WORDS` (exercise, physio, diet):
    whether they are safe is whether to do them, not a medicine's safety."""
    words = "physio physiotherapy exercise exercises rehab rehabilitation diet"
    return frozenset(stem(w) for w in words.split())


@cache
def _pronoun_stems() -> frozenset[str]:
    """The pronouns of :data:`_TREATMENT_WORDS`, which stand for a treatment only in a
    question whose subject is one ("how does it work?")."""
    return frozenset(stem(w) for w in "it they this that these those".split())


@cache
def _treatment_stems() -> frozenset[str]:
    """The stems of :data:`_TREATMENT_WORDS` (stemmed on first use, off the import path)."""
    return frozenset(stem(w) for w in _TREATMENT_WORDS.split())


#: The two sides of a choice: "is it X or Y?", "is X better than Y?" (``answerability``
#: checks that the best passage holds something of each).
CHOICE_OR_SPLIT = re.compile(r"\s(?:or|vs\.?|versus)\s", re.IGNORECASE)
CHOICE_THAN_SPLIT = re.compile(r"\sthan\s", re.IGNORECASE)

#: Kinds that choose the answer sentence within a passage but neither rank passages nor count
#: as evidence that the page answers (``QueryPlan.ranking_kind``): their words ("help",
#: "can't", "stops") are in most passages of patient information, so saying them tells no
#: passage apart, and a passage that answers "does X work?" may say it in its own way ("was
#: withdrawn", "only if").
ANSWER_ONLY_KINDS = frozenset({"efficacy"})


def expected_answer(text: str, skip: frozenset[str] = frozenset()) -> str | None:
    """The kind of answer the question's wording asks for, or None.

    One of "phone", "clock", "procedure", "cost", "condition", "person", "onset", "time", "mechanism",
    "harm", "safety", "dose", "efficacy", "speed", "reason", "amount", "schedule", "rate", "frequency",
    "institution", "place", "age", "score",
    "choice" or "drug"; the first kind named wins (of those not in ``skip``). The answer
    picker and the sentence bonus prefer a sentence of that kind (``answers.answers_kind``),
    on top of its words.
    """
    low = text.casefold().replace("\u2019", "'")
    for kind, pattern in _EXPECTED_RES:
        if kind not in skip and pattern.search(low) and not (kind == "drug" and _RESEARCH_RE.search(low)):
            return kind
    return None


#: Drugs being tested, researched or developed are research: patient information tells what
#: they aim to do more often than it names them, so such a question asks for no named medicine.
_RESEARCH_RE = GuardedPattern(
    r"\b(?:tested|testing|trials?|trialled|trialed|trialling|trialing|research|researched|researching"
    r"|developed|developing|development|studied|investigated|investigational|experimental|pipeline"
    r"|looked at|looking at|working on)\b",
    needs=("test", "trial", "research", "develop", "studied", "investigat", "experimental", "pipeline",
           "looked at", "looking at", "working on"))


_NAMES_OF_DRUGS_RE = GuardedPattern(
    r"\bnames? (?:of|for) (?:the |these |those |any |some )?(?:[\w'-]+ )?" + _MEDICINE_OR_CLASS + r"\b"
    r"|\b" + _MEDICINE_OR_CLASS + r" (?:[\w'-]+ ){0,6}?called\b",
    needs=("name", "called"))
#: The words that frame such a question ("the name of", "called"): they ask for a name, and as
#: search words they would find "Its name is ..." or "This is called ..." whatever it names.
_NAME_FRAME_RE = GuardedPattern(r"\bnames?\s+(?:of|for)\b|\bcalled\b", re.IGNORECASE,
                                needs=("name", "called"))


def asks_names_of_drugs(text: str) -> bool:
    """True when the question asks what medicines are called ("what are the names of the
    drugs being tested?"), research or not.

    Such a question is not the named-medicine kind when it is about research
    (:data:`_RESEARCH_RE`): that kind's ranking bonus would move it to the passage naming a
    licensed drug. The plan carries the drug names all the same (``answer_names`` with no
    ``expects``), and the decision checks that the best passage names one
    (``answerability._says_kind_asked``): a passage naming none does not answer.
    """
    return _NAMES_OF_DRUGS_RE.search(text.casefold()) is not None


#: "apart from relapses, what shows SPMS is active?", "besides tablets, what else helps?",
#: "are relapses the only sign ...?": the question sets something aside, and the answer is
#: what else there is. The phrase set aside runs to punctuation or the next clause.
_SET_ASIDE_RE = GuardedPattern(
    r"\b(?:apart from|besides|other than|aside from|except for|except)\s+(?P<a>[^,.;:?!]+?)"
    r"(?=\s*(?:[,.;:?!]|$|\s(?:what|who|how|which|where|is|are|can|could|do|does|will|would)\b))"
    r"|\b(?:is|are|was|were)\s+(?P<b>[^,.;:?!]+?)\s+the only\b",
    needs=("apart", "besides", "other than", "aside", "except", "the only"))


def set_aside(text: str) -> frozenset[str]:
    """The index terms of what ``text`` sets aside (see :data:`_SET_ASIDE_RE`)."""
    low = text.casefold().replace("\u2019", "'")
    out: set[str] = set()
    for match in _SET_ASIDE_RE.finditer(low):
        out.update(terms(match.group("a") or match.group("b") or ""))
    return frozenset(out)


# "what are the side effects of siponimod?", "how long is the waiting list for HSCT?": the
# thing a wh-question asks about is the head of the phrase after the wh-word, its last
# content word before a preposition, a conjunction or punctuation ("side effects",
# "waiting list"). Everything after it ("of siponimod") only says which one.
#: The auxiliaries that may follow a wh-word ("what *is* ...", "which *can* ..."): no noun.
_WH_AUXILIARIES = r"is|are|was|were|do|does|did|can|could|will|would|should"
_FOCUS_RE = GuardedPattern(
    r"^(?:so |and |but |ok |okay )?(?:what|whats|what's|which|how(?: long| many| much| often)?)\b"
    r"(?:\s+(?:" + _WH_AUXILIARIES + r"|the|a|an|i|you|we|my|"
    r"your|kinds? of|sorts? of|types? of))*\s+(?P<rest>.+)$", needs=("what", "which", "how"))
#: A wh-word used as a determiner, straight before the noun it asks about ("what medicine
#: ...", "which DMT ...", "how many sessions ..."), not "what is ...", "how fast ...", nor
#: "what" as the subject of a verb ("what *shows* you have active SPMS?", "what *makes* it
#: worse?"): the verbs that most often follow it, as no word list tells every verb from a noun.
_WH_DETERMINER_RE = GuardedPattern(
    r"^(?:so |and |but |ok |okay )?(?P<wh>what|which|whose|how many|how much)\s+"
    r"(?:kinds? of |sorts? of |types? of )?(?!(?:" + _WH_AUXILIARIES + r"|"
    r"the|a|an|i|you|we|my|your|it|they|he|she|if|about|to|"
    r"happens?|happened|helps?|helped|makes?|made|causes?|caused|shows?|showed|tells?|told|stops?|"
    r"stopped|means?|meant|decides?|decided|determines?|triggers?|affects?|gets?|got|leads?|led|"
    r"works?|worked|counts?|matters?|comes?|came|goes|went|keeps?|kept|slows?|brings?|brought|"
    r"gives?|gave|takes?|took|indicates?|confirms?|proves?|predicts?|defines?|qualifies|"
    r"qualify|classes|classed|sets?|puts?|turns?|changed|starts?|started|needs?|needed)\b)[a-z]",
    needs=("what", "which", "whose", "how many", "how much"))
_FOCUS_STOPS = frozenset(
    "of for in on with to from at by about after before if when while during than and or but "
    "so that who which where because like".split())


#: "how often do people with MS fall?" asks about falling, not about people: a person
#: named only by who they are ("people with MS", "someone who has MS") is the subject of
#: the question, and the thing asked comes after it.
_PERSON_SUBJECT_RE = GuardedPattern(
    r"^(?:people|person|someone|somebody|anyone|anybody|everyone|everybody|patients?|men|women)"
    r"\s+(?:with|who (?:has|have|had|get|gets|got))\s+",
    needs=("with", "who "), at_start=False)


#: "how many people ...?", "on average how many EDSS points ...?": a count asked at the start
#: of a clause. "changing how many people go progressive" asks about a change, not a count.
_COUNTED_RE = GuardedPattern(
    r"(?:^|[,;:.!?\u2013\u2014]\s*|\s-\s+|\b(?:and|so|but|then|also|average|roughly|about|"
    r"approximately|exactly)\s+)how many (?:more |extra )?(?:of the )?"
    r"(?:(?P<people>of (?:us|them|you)\b)|(?P<thing>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2}))?",
    needs=("how many",), at_start=False)
#: Where the noun phrase after "how many" ends: a verb or auxiliary, a preposition, "there".
_COUNT_PHRASE_END = frozenset(
    "is are was were be do does did can could will would should might may must has have had get "
    "gets got go goes need needs take takes make makes end ends there of for in on with to from at "
    "by about after before if when while and or but that who which i you we they he she it".split())


#: Plurals without an -s that "how many" counts.
_PLURALS = frozenset("people children men women folk ppl".split())


def counted_thing(text: str) -> str | None:
    """The index term of what a "how many X ...?" question counts, or None when the question
    asks no count at the start of a clause.

    What is counted is a plural: the first plural of the (up to three) words after "how
    many" before a verb or preposition ("local groups" -> "group", "people progress to" ->
    "people"), else the first word; "how many of us" counts people.
    """
    match = _COUNTED_RE.search(text.casefold().replace("\u2019", "'"))
    if match is None:
        return None
    words: list[str] = []
    for word in ([] if match.group("people") else (match.group("thing") or "").split()):
        if word in _COUNT_PHRASE_END:
            break
        words.append(word)
    plural = next((w for w in words if w in _PLURALS or (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")))), None)
    found = terms(plural or (words[0] if words else "people"))
    return found[0] if found else None


#: "what is Mayzent used for?" asks what Mayzent does: the purpose words name no thing.
#: "what is X called?": "called" and what follows it only say that a name is asked.
_CALLED_RE = GuardedPattern(r"\s+called\b.*$", needs=("called",))
_PURPOSE_RE = GuardedPattern(r"\s+(?:used|good|meant|designed|given|prescribed|needed)\s+for\W*$",
                             needs=("for",))


def question_focus(text: str) -> str | None:
    """The word naming what a wh-question asks about (see ``_FOCUS_RE``), or None."""
    low = text.casefold().replace("\u2019", "'")
    match = _FOCUS_RE.match(low)
    if match is None:
        return None
    determiner = _WH_DETERMINER_RE.match(low)
    # "which patients with SPMS ...?" asks which people (not "how many people ...?", a count)
    rest = match.group("rest")
    if not (determiner and determiner.group("wh") in ("what", "which", "whose")):
        rest = _PERSON_SUBJECT_RE.sub("", rest)
    rest = drop_passive_used(_PURPOSE_RE.sub("", rest))  # "what drugs are used for X?": drugs
    rest = _CALLED_RE.sub("", rest)  # "what is the withdrawn drug called?" asks about the drug
    head = _phrase_head(rest, ends_at_verb=determiner is not None)
    if head in _LIGHT_NOUNS:
        # "what are the characteristics of X?" asks about X
        after = re.split(r"\b(?:of|for|in|on|about|to|with)\b", rest, maxsplit=1)
        return _phrase_head(after[1]) if len(after) > 1 else None
    return head


#: Nouns that take their meaning from what follows them ("the *possibilities* for X",
#: "the *characteristics* of X", "what *kinds* of treatment"):
#: they name no thing a passage must say, so the focus is the phrase after them.
_LIGHT_NOUNS = frozenset(
    "possibility possibilities characteristic characteristics aspect aspects feature features "
    "kind kinds type types sort sorts example examples way ways method methods means option "
    "options detail details fact facts thing things information approach approaches "
    "technique techniques name names".split())


#: Words that begin the rest of the clause after the noun a wh-determiner governs, so the
#: noun phrase asked about has ended there: an auxiliary verb ("what *medicine* do they
#: use?", "which *treatment* is best?", "how many *sessions* will I get?") or a subject
#: pronoun ("what *medicine* they use ...", "what *food* I must not eat"). No noun phrase
#: goes on past one of them. (Not a determiner: "what criteria support a diagnosis?" has a
#: verb before it, which no word list can tell from a noun.)
_PHRASE_END_WORDS = _AUXILIARIES | frozenset("shall might may must had i you we they he she".split())


def _phrase_head(text: str, ends_at_verb: bool = False) -> str | None:
    """The last content word before a preposition, conjunction or punctuation; with
    ``ends_at_verb``, also before a word of :data:`_PHRASE_END_WORDS` after a content word."""
    head: str | None = None
    for token in re.findall(r"[\w']+|[^\w\s]", text):
        if not token[0].isalnum() or token in _FOCUS_STOPS or (
                ends_at_verb and head and token in _PHRASE_END_WORDS):
            break
        if token not in QUESTION_WORDS and token not in INDEX_STOP_WORDS:
            head = token
    return head


# "does hot weather make MS worse?", "can smoking cause MS?", "will yoga help my walking?":
# a yes/no question about an effect asks about its cause (the subject); when the subject is
# the illness itself ("can MS affect your sleep?"), about what is affected (the object).
_EFFECT_RE = GuardedPattern(
    r"^(?:so |and |but |ok |okay )?(?:does|do|did|can|could|will|would|might|may|is|are)\s+"
    r"(?P<subject>(?:[\w'-]+\s+){1,4}?)"
    r"(?:make|makes|cause|causes|trigger|triggers|affect|affects|worsen|worsens|help|helps|slow|"
    r"slows|speed|speeds|stop|stops|prevent|prevents|improve|improves|reverse|reverses|cure|cures)"
    r"\b(?P<object>.*)$",
    needs=("make", "cause", "trigger", "affect", "worsen", "help", "slow", "speed", "stop", "prevent",
           "improve", "reverse", "cure"))

_EFFECT_SKIP = frozenset("taking having doing eating drinking getting using".split())


def effect_focus(text: str) -> tuple[str, str | None] | None:
    """For a yes/no question about an effect, the subject's head word and the object's.

    ``answerability`` asks about the subject, or about the object when the subject is a
    word in nearly every passage (the page's own subject: "can MS affect your sleep?").
    """
    match = _EFFECT_RE.match(text.casefold().replace("\u2019", "'"))
    if match is None:
        return None
    words = [w for w in match.group("subject").split() if w not in _EFFECT_SKIP]
    subject = _phrase_head(" ".join(words))
    if subject is None:
        return None
    return subject, _phrase_head(match.group("object").strip())


#: "of" and something other than the illness: "the next stage *of my rehab*".
def _of_something_else(illness: str) -> str:
    """The pattern of "of" and something other than ``illness`` (or "it", "this", "that")."""
    return r"\s+of\s+(?!(?:" + illness + r")\b|(?:it|this|that)\b)"


_OF_ANOTHER_THING = _of_something_else(
    r"(?:(?:the|my|this|that|his|her|your|their) )?(?:ms|spms|ppms|rrms|multiple|secondary|primary|"
    r"relapsing|progressive|illness|disease|condition)")

#: Scaffolding that is only scaffolding as a phrase: "tell me about relapses" asks about
#: relapses, but "how can I tell if it's a relapse" asks how to tell.
_SCAFFOLD_PHRASE_RE = GuardedPattern(
    r"\b(?:(?:can|could|would|will) (?:you|someone|anyone) )?(?:tell|show) (?:me|us)\b"
    r"|\blet (?:me|us) know\b"
    # "I have a question about ...", "quick question:": but "who can answer my questions?" asks
    r"|\b(?:i have|i've got|ive got|i got|i had|just|quick|a|one|another|simple|silly|stupid) "
    r"(?:quick |simple |little )?questions?(?: about| on| re| regarding)?\b"
    # the kind of answer these ask for is kept in QueryPlan.expects; the words say no subject
    r"|\bhow (?:long|often)\b"
    # "... is that normal?", "is it normal to find walking harder": asks whether what the
    # question describes is to be expected, and names no thing of its own
    r"|\b(?:is|was|are) (?:it|that|this|these|those) (?:normal|usual|to be expected)\b"
    # "... whether I've gone progressive or not?": "or not" closing a yes/no question or a
    # "whether" clause offers the other answer and names nothing
    r"|\bor not\b(?=\s*(?:yet|at all|full stop)?\s*(?:[?.!,;]|$))"
    r"|\b(?:normal|usual) (?:or not|for (?:someone|people|a person) (?:with|like))\b"
    # "apart from relapses, ...": what it sets aside is kept (QueryPlan.excluded)
    r"|\b(?:apart|aside) from\b"
    # "what is the point (role, purpose, aim) of rehab?" asks what rehab is for or does, "what's
    # the reason for X?" why X (the kind asked for is kept in QueryPlan.expects): the words
    # name no thing a passage says
    # (only a word that says no thing may stand between: "the rehab goals" names rehab)
    r"|\bwhat(?:'s| is| are| was| were)? the (?:(?:main|real|whole|overall|key|exact|actual|primary|"
    r"ultimate|usual|best|only|stated|general|chief|underlying|intended|expected|official|specific) )?"
    r"(?:reasons?|point|purpose|role|aims?|goals?)"
    r"(?: (?:of|for|behind))?\b"
    # "how do I find out about support?" asks where, not how to tell ("find out if" is read
    # as telling by rule how-to-tell, before this)
    r"|\bfind out(?: more)?(?: about)?\b(?! (?:if|whether)\b)"
    # "the next stage of my rehab" names a step of something else, not what follows SPMS
    r"|\b(?:next|final|last|end) (?:stage|phase|step)s?(?=" + _OF_ANOTHER_THING + ")"
    # "what is the minimum period of X?" asks how long (the kind asked for is kept)
    r"|\b(?:what(?:'s| is)? the )?(?:minimum|maximum|shortest|longest) (?:period|duration|length|time)"
    r"(?: of)?\b"
    # "GP query:", "MS nurse here -", "Physio asking:": who asks, said before the question;
    # only a person or role ("HSCT question:" names the subject)
    r"|^\s*(?:(?:hi|hello)\W+)?(?:an? |the |as an? )?(?:(?:ms|district|student|practice|community|"
    r"specialist|senior|care home|ward|neurology|rehab|hospital) )?(?:gp|nurse|physio|physiotherapist|ot|"
    r"pharmacist|neurologist|registrar|doctor|dr|carer|caregiver|patient|wife|husband|partner|son|"
    r"daughter|mum|mom|dad|parent|staff|student|consultant|therapist|dieti[ct]ian|social worker|"
    r"health visitor)s? (?:here|query|question|asking|enquiry|writing)\s*[:,\u2013\u2014-]",
    re.IGNORECASE, needs=("tell", "show", "let ", "question", "how ", "normal", "usual", "expected",
                          "apart", "aside", "reason", "point", "purpose", "role", "aim", "goal",
                          "minimum", "maximum", "shortest", "longest", "find out", "stage", "phase", "step",
                          "here", "query", "asking", "enquiry", "writing", "or not"))


#: How the asker wants the answer told: "in plain words", "in simple terms", "in a nutshell",
#: "in layman's terms", "simply put", "briefly" at the end (rule "manner-of-telling"). These
#: ask for a plain answer and name no thing a passage says, in any question on any subject.
#: ("in short" and "in brief" only before punctuation or at the end: "in short bursts"
#: names a way of doing something.)
_MANNER_OF_TELLING_RE = GuardedPattern(
    r"\b(?:in|using|with|into) (?:(?:really|very|nice|more|a few|fairly) )?(?:plain|simple|simpler|"
    r"basic|everyday|layman'?s|laymens|laymans|layperson'?s|lay|easy|non-?medical|ordinary|"
    r"non-?technical|normal) (?:words?|terms?|english|language)\b"
    r"|\bin a nutshell\b|\b(?:simply|briefly|plainly) put\b|\bput (?:simply|briefly|plainly)\b"
    r"|\bin (?:short|brief)\b(?=\s*(?:[,.?!:;]|$))"
    r"|\b(?:for|to) a (?:lay ?person|layman|non-?expert|beginner|child)\b"
    r"|\blike (?:i'?m|i am) (?:five|5|a child|a kid)\b",
    re.IGNORECASE, needs=("words", "word", "terms", "term", "english", "language", "nutshell", " put",
                          "put ", "in short", "in brief", "lay", "expert", "beginner", "child",
                          "five", "5", "kid"))


#: The passive "used" before what something is used for: "what drugs are used for SPMS?" asks
#: which drugs are for SPMS, "is siponimod used in the UK?" whether it is given there, "what's
#: used to treat relapses?" what treats them. "Used" names no thing (the page says "useful",
#: another word), so only it is dropped: the subject and words such as "still" or "now" stay.
#: Not "get used to" (grown accustomed), and not at the end: "what is X used for?" asks what
#: X is for (see ``_PURPOSE_RE``).
_PASSIVE_USED_RE = GuardedPattern(
    r"\b(?:is|are|was|were|be|being|been|isn't|aren't|wasn't|weren't|\w+['\u2019]s)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?P<w>used)(?=\s+(?:for|to|in|with|on|during|by|after|as|against)\s+\w)",
    re.IGNORECASE, needs=("used",))


def drop_passive_used(text: str, drop: Callable[[str], str] | None = None) -> str:
    """``text`` without the passive "used" of :data:`_PASSIVE_USED_RE` (``drop`` says what
    stands in its place: a space by default)."""
    def one(m: re.Match[str]) -> str:
        return m.group(0)[: m.start("w") - m.start()] + (drop("used") if drop else " ")
    return _PASSIVE_USED_RE.sub(one, text)


#: "I have become inactive", "my dad is very inactive now": inactive said of a person is
#: moving little (physical inactivity), not MS without disease activity ("my SPMS has become
#: inactive" keeps the MS sense; so do "I have inactive SPMS" and "I'm inactive MS", where
#: "inactive" stands before a word of the illness). "They" is left out: as often lesions.
_PERSON = (r"(?:i|i'm|im|i've|ive|he|he's|she|she's|we|we've|you|you've|"
           r"my (?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|brother|sister|"
           r"friend|boyfriend|girlfriend|patient|client))")
_PERSON_INACTIVE_RE = GuardedPattern(
    r"\b" + _PERSON + r"\s+(?:(?:am|is|are|was|were|seem|seems|feel|felt|feeling)\s+"
    r"|(?:(?:have|has|had)\s+)?(?:become|became|becoming|got|get|getting|gone|grown|been)\s+)?"
    r"(?:(?:a lot|much|very|quite|more|really|so|too|far|less)\s+)*"
    # "not active" and "no longer active" said of a person are moving little, as "inactive" is
    r"(?P<w>inactive|not\s+(?:very\s+|that\s+|as\s+|so\s+|really\s+)?active|no\s+longer\s+active)\b"
    r"(?!\W+(?:secondary\s+progressive\s+|relapsing\s+|progressive\s+)?"
    r"(?:ms|spms|rrms|ppms|sp|multiple|disease|illness|condition|lesions?)\b)",
    re.IGNORECASE, needs=("active",))
#: Words that put a question about disease activity or its treatment: there "I'm not
#: active" says the MS shows no activity (no relapses, no new lesions), the sense that
#: decides whether a DMT or HSCT is possible, not that the person moves little.
_ACTIVITY_CONTEXT_RE = GuardedPattern(
    r"\b(?:relaps\w*|lesions?|mri|scans?|dmts?|dmds?|disease[- ]modifying|siponimod|mayzent|"
    r"hsct|stem[- ]cells?|treatments?|treated|drugs?|medications?|medicines?|meds|therap(?:y|ies)|"
    r"eligible|eligibility|qualify)\b",
    re.IGNORECASE, needs=("relaps", "lesion", "mri", "scan", "dmt", "dmd", "modifying", "siponimod",
                          "mayzent", "hsct", "stem", "treat", "drug", "medic", "meds", "therap",
                          "eligib", "qualify"))


#: Words of moving about: with them "not active" is said of a person's body whatever else the
#: question names ("I'm not very active any more, is there treatment to help me move more?").
_MOVING_RE = GuardedPattern(
    r"\b(?:move|moving|movement|walk\w*|sit|sits|sitting|sat|exercis\w*|get about|getting about|"
    r"get out|getting out|get moving|out of bed|housebound|stay active|keep active|keep moving)\b",
    re.IGNORECASE, needs=("mov", "walk", "sit", "sat", "exercis", "get", "out of bed", "housebound",
                          "stay active", "keep"))


#: "how do I know if ..." asks how to tell one thing from another, the way patient
#: information says it ("hard to tell whether", "work out whether"); "know" elsewhere
#: ("I want to know") is scaffolding. Knowing about a thing, more of it, where, who or what
#: to do, what causes it or why is learning of it, not telling one thing from another: "how
#: do I know about the support on offer?", "how do I know who to ask?", "how do doctors know
#: what causes it?". Only the verb becomes "tell": who is telling stays in the question.
_KNOW_WHETHER = (r"(?P<v>(?:know|be sure)\b(?!\s+(?:about|more|much|where|who|whom|how|"
                 r"what|why|when\s+to|which\s+to)\b)|find out(?= (?:if|whether)\b))")
_TELL_RE = GuardedPattern(
    r"\bhow (?:(?:do|can|could|would|will|should|does|did) (?:i|you|we|they|one|doctors?|someone) "
    # the same without its auxiliary, as written in a second language: "how I know if ..."
    # ("find out" only before "if" or "whether": "how do I find out about support?" asks where)
    r"|(?:i|we|doctors?) (?:can |could )?)" + _KNOW_WHETHER,
    re.IGNORECASE, needs=("how ",))


def _tell_instead(match: re.Match[str]) -> str:
    """"how do doctors know if ..." -> "how do doctors tell if ...": the verb of knowing
    becomes telling apart; the asker and the rest are kept."""
    start, end = match.span("v")
    text = match.group(0)
    return text[: start - match.start()] + "tell" + text[end - match.start():]


#: Who gives or prescribes, between an auxiliary and the verb: "they", "the doctor", "my GP".
_GIVER = (r"(?:they|you|u|i|we|he|she|someone|anyone|doctors|nurses|(?:the|my|a|your|his|her|their) "
          r"[\w-]+|nhs|gps?|neuros?|neurologists?)")
#: An auxiliary, and the adverbs said between it and the verb ("can they still give ...").
_GIVING_AUXILIARY = r"(?:can|could|do|does|did|will|would|should|might|may|are|is)"
_GIVING_ADVERBS = r"(?:usually|normally|typically|generally|still|ever|also|actually|then|now|just)"
_GIVING_ADVERB = r"(?:\s+" + _GIVING_ADVERBS + r")?"
#: The one it is given to ("give her", "give my dad", "give u", "given to you").
_GIVEN_TO = r"(?:\s+(?:to\s+)?(?:me|him|her|them|you|u|us|people|ppl|(?:my|your|his|her|their) [\w-]+))?"
#: A relapse, as people name one: the ailment "what can they give for it?" is asked of.
_RELAPSE_WORDS = r"(?:relapses?|relapsing|flare[- ]?ups?|flares?|attacks?|exacerbations?)"
#: What it is given for: a relapse, or "it" (that, them) pointing back at one.
_GIVEN_FOR_WHAT = (r"\s+(?:(?:an?|the|my|his|her|their|your|these|those)\s+)?" + _RELAPSE_WORDS
                   + r"\b|\s+(?:it|that|this|them|these|those)\b")
#: What they can give (prescribe, take) for a relapse, the thing given left unnamed
#: ("anything", "something", "what"), asks for the treatment of a relapse: "is there
#: anything they can give her for a flare-up?", "what do they give you for relapses?",
#: "what is given for a relapse?", and "it" or "that" when a relapse was told of before
#: ("... she's having a relapse. Is there anything they can give her for it?"). Only a
#: relapse: given for the illness itself, for a symptom or for something else ("for her
#: SPMS", "for free") the words stay as they are, because "treatment" alone would be
#: answered by the treatment of relapses. A thing named is asked about in its own words
#: ("what dose of steroids do they give for ...", "what are his steroids given for?").
_GIVEN_FOR_RE = GuardedPattern(
    r"\b(?:(?:(?:anything|something)(?:\s+(?:that|which))?\s+" + _GIVER + r"\s+" + _GIVING_AUXILIARY
    + r"(?:\s+not|n't)?" + _GIVING_ADVERB
    + r"|what\s+" + _GIVING_AUXILIARY + r"\s+" + _GIVER + _GIVING_ADVERB + r")"
    r"\s+(?:give|giving|prescribe|prescribing|take|taking)"
    # the passive: only adverbs between "what is" and the participle, the rest is the thing
    r"|(?:what|what's|whats)\s+(?:(?:is|are|can be|could be|would be|will be|should be)\s+)?"
    r"(?:" + _GIVING_ADVERBS + r"\s+)?(?:given|prescribed))"
    + _GIVEN_TO + r"\s+for\b(?P<what>" + _GIVEN_FOR_WHAT + r")"
    r"|\b(?:give|prescribe)" + _GIVEN_TO + r"\s+(?:anything|something)\s+for\b"
    r"(?P<what2>" + _GIVEN_FOR_WHAT + r")",
    re.IGNORECASE, needs=("give", "giving", "prescrib", "take", "taking"))
_RELAPSE_RE = lazy_pattern(r"\b" + _RELAPSE_WORDS + r"\b", re.IGNORECASE)


def _given_for_instead(text: str) -> str:
    """``text`` with what they can give for a relapse read as "treatment for" it
    (:data:`_GIVEN_FOR_RE`); "for it" only when a relapse was named before it."""
    def instead(match: re.Match[str]) -> str:
        what = match.group("what") or match.group("what2") or ""
        if not _RELAPSE_RE().search(what) and not _RELAPSE_RE().search(text, 0, match.start()):
            return match.group(0)  # "it" is no relapse told of: the words stay
        return " treatment for" + what

    return _GIVEN_FOR_RE.sub(instead, text)


#: Who does something for the asker: "what can I (we, they, the doctors) do".
_DOER = (r"(?:i|we|you|u|they|he|she|one|someone|anyone|people|(?:the|my|his|her|your) "
         r"(?:doctors?|neuros?|neurologists?|nurses?|gps?|team))")
_DONE_ADVERB = r"(?:(?:actually|really|still|even|possibly|ever|else|honestly) )?"
#: "anything", also as typed on a phone without its g or its i ("anythin", "anythng").
_ANYTHING = r"(?:any|some|no)th(?:ing|in|ng)"
#: Asking what can be done, or whether anything helps, for a condition ("what can be done
#: for SPMS?", "is there anything I can do about it?", "anything that helps once it's gone
#: progressive?") asks how it is managed: "done", "do" and "helps" name nothing a passage
#: says, and "manage" is what writing about a long-term illness calls all that can be done
#: for it (rule what-can-be-done). A thing to be done that is named stays ("what can I do to
#: exercise more?": only "do" before "for", "about", "with" or the end is read), and so does
#: a thing helped that is named ("anything that helps with balance?": "help" is kept) unless
#: it is the illness itself ("anything that helps with SPMS?" asks how SPMS is managed). "What
#: will (would) they do?" asks what someone is going to do, not what can be done.
#: What may stand between "anything" and what it asks: "anything at all that", "something
#: else which".
_ANYTHING_THAT = r"(?: (?:at all|else|more))?(?: (?:that|which))?"
#: What may follow the asking verb when no thing done is named: "for", "about" or "with" the
#: one it is done for, the fear set beside it ("or ..."), when ("now", "once ..."), or the end.
_NOTHING_NAMED_AFTER = r"(?= (?:for|about|with|or|now|once|when|if)\b|\s*[?.!,]|\s*$)"
_CAN_BE_DONE_RE = GuardedPattern(
    r"\bwhat (?:else |more )?(?:can|could|should|is there to) (?:be )?(?:" + _DOER
    + r" )?" + _DONE_ADVERB + r"do(?:ne)?\b(?= (?:for|about|with)\b|\s*[?.!,]|\s*$)"
    r"|\b(?:" + _ANYTHING + r"|much)" + _ANYTHING_THAT
    + r"(?: " + _DOER + r")? (?:can|could|will|would|might) " + _DONE_ADVERB
    + r"(?:be )?do(?:ne)?\b" + _NOTHING_NAMED_AFTER
    + r"|\b" + _ANYTHING + _ANYTHING_THAT + r" (?:(?:can|could|will|would|might|really|actually) )?helps?"
    # no thing helped is named; or it is the illness itself: "anything that helps with SPMS?",
    # "... helps the progressive kind?" (its name is kept: only the asking is read)
    r"(?:\b(?= (?:or|now|once|when|if)\b|\s*[?.!,]|\s*$)"
    r"|(?: with)?(?= (?:the |my |his |her |their |your )?"
    r"(?:spms|sp ms|ms|multiple sclerosis|it|this|(?:secondary )?progressive)\b))"
    # the question's order: "can anything be done for it?"
    r"|\b(?:can|could|will|would) (?:" + _ANYTHING + r"|much) (?:else |more )?(?:at all )?" + _DONE_ADVERB
    + r"be done\b" + _NOTHING_NAMED_AFTER,
    re.IGNORECASE, needs=("do", "help"))
#: The asker's fear set beside the question: "... or do I just have to put up with it?":
#: the other side of "is there anything that helps?", naming nothing a passage says. ("...
#: or is that it?" stays: it asks whether this is the end, which a passage may answer.)
_PUT_UP_WITH_RE = GuardedPattern(
    r"\bor (?:do|will|would|must|should|shall|does) (?:i|we|you|u|they|he|she|one|people) "
    r"(?:just |simply )?(?:(?:have to|need to|got to|gotta|has to) )?(?:just )?(?:put up with|live with|"
    r"accept|suffer|deal with|get on with) (?:it|this|that|them)(?: (?:now|then|forever|for ever))?\b",
    re.IGNORECASE, needs=("put up", "live with", "accept", "suffer", "deal with", "get on"))


def _can_be_done_instead(text: str, plan: QueryPlan) -> str:
    """``text`` with asking what can be done for a condition read as "manage" and the
    asker's fear beside it dropped (:data:`_CAN_BE_DONE_RE`, :data:`_PUT_UP_WITH_RE`)."""
    def manage(match: re.Match[str]) -> str:
        plan.dropped.extend(raw_words(match.group(0)))
        return " manage "

    text = _PUT_UP_WITH_RE.sub(lambda m: _drop(m.group(0), plan), text)
    return _CAN_BE_DONE_RE.sub(manage, text)


#: Asking whether something is the last stage of a course, or whether another stage follows
#: it, asks what comes after it: "is X the final stage?" is "does anything come after X?".
_NOT_OF_ANOTHER_THING = "(?!" + _OF_ANOTHER_THING + ")"
#: A type, kind or form "of" anything but MS as a whole is another thing's ("another form of
#: progressive MS" is a type beside SPMS, "another form of therapy" no type of MS at all).
_NOT_OF_ANOTHER_KIND = "(?!" + _of_something_else(
    r"ms|multiple|(?:the|my|this|that|his|her) (?:ms|illness|disease|condition)") + ")"
#: The last stage asked about as a stage that may be followed ends its clause ("is SPMS the
#: final stage?", "the last stage of MS, or is there more?", "end stage MS"); with a verb or
#: a question about it after it ("is the final stage painful?", "what is the end stage
#: like?", "how long does the last stage last?") it asks what that stage is like.
_ENDS_ITS_CLAUSE = (r"(?=(?:\s+of)?(?:\s+(?:the |my |this )?(?:ms|spms|multiple sclerosis|illness|disease|"
                    r"condition|(?:secondary |primary )?progressive(?: ms| multiple sclerosis)?|"
                    r"secondary progressive|relapsing remitting(?: ms)?))?"
                    r"\s*(?:[?.!,;:)]|$|\s+(?:or|and|now|yet|then|already|for|in|of|with)\b))")
_LAST_STAGE_RE = GuardedPattern(
    # only of the illness: "another form of therapy" or "the next stage of my rehab" ask no
    # such thing. A stage of any course of MS ("the next stage of SPMS") is a stage of the
    # illness, but another type, kind or form of a course ("another form of progressive MS",
    # "a third type of progressive MS") is a type beside it, not one that follows: there only
    # "of MS" is of the illness as a whole
    # A last stage that is the object of a question about it ("the symptoms of end stage
    # MS", "what happens in the final stage") asks what that stage is like, not whether
    # another follows it
    r"(?<!\bof )(?<!\bof the )(?<!\bin )(?<!\bin the )(?<!\bat )(?<!\bat the )(?<!\bduring )"
    r"(?<!\bduring the )(?<!\bfrom )(?<!\bfrom the )(?<!\bwith )(?<!\bwith the )(?<!\bfor )"
    r"(?<!\bfor the )\b(?:final|last|end) (?:stage|phase|type|kind|form)s?\b" + _NOT_OF_ANOTHER_THING
    + _ENDS_ITS_CLAUSE +
    r"|\b(?:another|a further|a next|the next|a third|a 3rd|one more) (?:stage|phase)\b"
    + _NOT_OF_ANOTHER_THING +
    r"|\b(?:another|a further|a next|the next|a third|a 3rd|one more) (?:type|kind|form)\b"
    + _NOT_OF_ANOTHER_KIND +
    r"|\b(?:stage|phase|type|kind|form)s? (?:of ms |of multiple sclerosis )?(?:that |which )?follows?\b"
    r"|\b(?:turns?|changes?|progress(?:es)?|moves?|goes|go) (?:on )?(?:in)?to (?:a |another |a further )?"
    r"(?:stage|phase)\b" + _NOT_OF_ANOTHER_THING +
    r"|\b(?:turns?|changes?|progress(?:es)?|moves?|goes|go) (?:on )?(?:in)?to (?:a |another |a further )?"
    r"(?:type|kind|form)\b" + _NOT_OF_ANOTHER_KIND +
    # the idiom for the last stage, ending its clause ("is SPMS the end of the line?"; not
    # "the end of the road for my treatment?")
    r"|\bthe end of the (?:line|road)(?=\s*(?:[?.!,;]|$|\s+or\b))",
    re.IGNORECASE, needs=("stage", "phase", "type", "kind", "form", "end of the"))


#: What the illness turns into ("will my MS turn into something else?", "does SPMS become
#: something worse?") is what follows it. Said of the illness by name; "it" only when the
#: question names the illness before it ("Extavia was withdrawn, did it turn into something
#: else?", "the lesion, can it develop into something worse?" ask no such thing).
#: "Change" or "develop" without "into" asks what else changes ("will it change anything
#: else?"), not what it becomes.
_TURNS_INTO_RE = GuardedPattern(
    r"\b(?P<subject>it|ms|spms|illness|disease|condition|progressive|sclerosis)\s+"
    r"(?:(?:will|would|could|might|may|can|ever|eventually|later|then|one day)\s+)*"
    r"(?:(?:turns?|turning|changes?|changing|develops?|developing|moves? on|goes on|go on)\s+(?:in)?to"
    r"|(?:becomes?|becoming)(?:\s+(?:in)?to)?)"
    r"\s+(?:something|anything)\s+(?P<what>else|worse|different|new)\b",
    re.IGNORECASE, needs=("something", "anything"))
_ILLNESS_NAMED_RE = lazy_pattern(r"\b(?:ms|spms|multiple sclerosis|secondary progressive|illness|disease|"
                                 r"condition)\b", re.IGNORECASE)


def _turns_into_instead(text: str) -> str:
    """``text`` with what the illness turns into read as also asking what comes after it
    (:data:`_TURNS_INTO_RE`); the asker's "worse", "else" or "different" is kept."""
    def instead(match: re.Match[str]) -> str:
        if match.group("subject").lower() == "it" and not _ILLNESS_NAMED_RE().search(text, 0, match.start()):
            return match.group(0)
        return match.group("subject") + " what comes after " + match.group("what")

    return _TURNS_INTO_RE.sub(instead, text)


#: Being told you have an illness, or a doctor calling it one, is its diagnosis: "when are
#: you told you have X?", "why would they call it X?" ask about diagnosing X. Only before
#: the name of a course of MS, so "told me to rest" is untouched.
_MS_COURSE_WORDS = r"spms|ppms|rrms|cis|ms\b|multiple|secondary|primary|progressive|the progressive"
_MS_COURSE = r"(?:" + _MS_COURSE_WORDS + r"|relapsing|the relapsing)"
#: The same, where "relapsing" alone would be having a relapse ("how do I know if I'm
#: relapsing?"): it names a course only with the word after it.
_MS_COURSE_NAMED = (r"(?:" + _MS_COURSE_WORDS
                    + r"|(?:the )?relapsing[\s-](?:remitting|ms\b|multiple|phase|form|type))")
#: A course of MS named whole and ending its noun phrase: "SPMS", "secondary progressive
#: MS", but not "SPMS drugs", "MS lesions" or "secondary progressive MS trials".
_COURSE_PHRASE = (r"(?>(?:active |non[- ]?active |inactive )?(?:secondary[- ]progressive|"
                  r"primary[- ]progressive|relapsing[- ]remitting|progressive|relapsing)"
                  r"(?: ms| multiple sclerosis)?+|spms|ppms|rrms|ms|multiple sclerosis)\b(?!['\u2019]s\b)"
                  r"(?!\s+(?:drugs?|treatments?|therap\w*|medications?|medicines?|meds|dmts?|lesions?|"
                  r"inflammation|relapses?|trials?|research|patients?|activity|progression|symptoms?|nurses?|"
                  r"team|society|services?|clinics?|physio\w*|community)\b)")
#: Verbs that make what follows a course of MS a claim about it, not its name as a diagnosis.
_CLAIM_VERBS = (r"(?:can|can't|cant|cannot|could|has|have|hasn't|hasnt|haven't|havent|is|isn't|isnt|"
                r"was|wasn't|wasnt|will|won't|wont|would|does|doesn't|doesnt|did|didn't|didnt|"
                r"means?|causes?|gets?|never|always|only|should|may|might|must|goes|comes|"
                r"affects?|makes?|leads?|stops?|ends?|follows?|progresses|progress|happens?|brings?|"
                r"develops?|starts?|slows?|worsens?|moves?|turns?|changes|needs?|"
                r"usually|often|eventually|normally|generally|typically|rarely|just)\b")
#: Having moved to a course of MS, said in the words people use ("has gone progressive",
#: "moved into secondary progressive", "become SPMS"): in a diagnosis question the same as
#: having it.
_MOVED_INTO = (r"(?:got\s+|become\s+|becoming\s+|developed\s+|developing\s+|(?:moved|moving|gone|going|"
               r"turned|turning|changed|changing|transitioned|transitioning|progressed|progressing|shifted|"
               r"shifting|switched|switching)\s+(?:on\s+)?(?:(?:in)?to\s+|from\s+)?)")
_DIAGNOSIS_RE = GuardedPattern(
    # being told a course ("I was told SPMS", "told I have SPMS"), not told a claim about
    # one ("told SPMS can't be treated")
    r"\b(?:told|informed)\s+(?:that\s+)?(?:(?:you|i|he|she|they|we|someone|people|me|him|her|them|it)\s*"
    r"(?:have|has|had|'ve|'s|got|was|were|are|is)?|have|has|had|got|was|were|are|is)?\s*(?:got\s+)?"
    r"(?:a\s+|the\s+)?(?=" + _MS_COURSE + r")(?!" + _COURSE_PHRASE + r"\s+" + _CLAIM_VERBS + r")"
    r"|\b(?:call|label|class|classify)\s+(?:it|its|it's|it is|that|this|me|him|her|them)\s+"
    r"(?:as\s+|is\s+)?(?=" + _MS_COURSE + r")"
    # "say it's SPMS", but not "is it true to say that SPMS has no relapses?" (a claim)
    r"|\bsay\s+(?:that\s+)?(?:it|it's|it is|me|him|her|them)\s+(?:as\s+|is\s+)?(?=" + _MS_COURSE + r")"
    # "how do doctors decide that someone has SPMS?", "now they say I'm SPMS"
    # (or has moved to it: "how do doctors decide someone has moved into SPMS?")
    r"|\b(?:decide|decided|decides|say|says|said)\s+(?:that\s+)?"
    r"(?:someone|somebody|a person|you|i|he|she|they|my \w+)\s*"
    r"(?:has|have|had|is|are|am|was|'s|'m|'re|'ve)\s+" + _MOVED_INTO
    + r"?(?:a\s+|the\s+)?(?=" + _COURSE_PHRASE + r")"
    # a test for an illness is a means of its diagnosis: "is there a test for SPMS?", "what
    # tests show I have SPMS?" (not drugs "being tested", which share the word's stem)
    # (the course must end the phrase: "tests for SPMS drugs" are trials, "a scan for SPMS
    # lesions" looks for activity)
    r"|\b(?:tests?|scans?|checks?)\s+(?:for|to diagnose|to confirm|to detect|(?:that |which |can |will )?"
    r"(?:shows?|confirms?|diagnoses?|diagnose|detects?|detect|confirm|show))\s+(?:a\s+|the\s+)?"
    r"(?=" + _COURSE_PHRASE + r")"
    r"|\b(?:tests?|scans?|checks?)\s+(?:show|shows|confirm|confirms|prove|proves|tell|tells)\s+(?:that\s+)?"
    r"(?:you|i|he|she|they|we|someone|my \w+)\s*(?:have|has|had|'ve|'s)\s+(?:got\s+)?(?:a\s+|the\s+)?"
    r"(?=" + _COURSE_PHRASE + r")"
    # finding out that you have an illness is being diagnosed with it: "the first time you
    # find out you have MS", "when did you find out you had SPMS?"
    # (not in a time clause inside the question: "what treatments are there once you find out")
    r"|" + "".join(rf"(?<!\b{when} {who})" for when in ("when", "once", "after", "since", "before")
                   for who in ("", "you ", "i ", "we ", "they ", "he ", "she "))
    + r"\b(?:find|finds|finding|found) out\s+(?:that\s+)?(?:you|i|he|she|they|we|someone|my \w+)\s*"
    r"(?:have|has|had|'ve|'s|'d)\s+(?:got\s+)?(?:a\s+|the\s+)?(?=" + _MS_COURSE + r")"
    # knowing whether someone has (or has moved to) a course of MS is its diagnosis: "how do
    # I know if I have X?", "how can you tell when MS has become X?"; not a choice between two
    r"|\b(?:know|tell|be sure|find out|confirm|see|check|decide|decided)\s+(?:if|whether|when|that)\s+"
    r"(?:(?:[\w']+\s+){0,2}?(?:has|have|had|is|are|am|was|'s|'m|'re|'ve)\s+|\w+(?:'ve|'s|'m|'re)\s+)"
    + _MOVED_INTO + r"?(?:a\s+|the\s+)?(?=" + _MS_COURSE_NAMED + r")"
    r"(?![^?]*\s(?:or|vs|versus)\s)"
    # the same with "that" left out, as it mostly is after "know", in a question of how (or
    # when) it is known: "how do they know it's SPMS?", "how does the neurologist know I'm
    # secondary progressive?" ("does my GP know I have SPMS?" asks who has been told; "do
    # they know it's MS that makes my legs stiff?" asks about a cause)
    r"|(?P<how>\b(?:how|when)\s+(?:[\w']+\s+){1,4}?|\b(?:easy|hard|difficult|possible|able|long)\s+"
    r"(?:for\s+[\w']+(?:\s+[\w']+)?\s+)?to\s+)(?:know|tell)\s+"
    r"(?:(?:[\w']+\s+){0,2}?(?:has|have|had|is|are|am|was)\s+|(?:[\w]+(?:'s|'m|'re|'ve)|its|ur)\s+)"
    + _MOVED_INTO + r"?(?:a\s+|the\s+)?(?=" + _COURSE_PHRASE + r"(?!\s+(?:that|which|who)\b))"
    r"(?![^?]*\s(?:or|vs|versus)\s)",
    re.IGNORECASE, needs=("told", "informed", "call", "label", "class", "say", "said", "decide", "know",
                          "tell", "sure", "find out", "finds out", "finding out", "found out", "confirm",
                          "see", "check", "test", "scan"))
_TOLD_OTHERS = (r"children|kids|family|relatives|employer|employers|boss|manager|work|colleagues|friends|"
                r"people|others|everyone|anyone|partner|wife|husband|son|daughter|parents|school|insurer|"
                r"insurance|dvla")
#: Telling other people that you have an illness is disclosure, not its diagnosis: "should my
#: children be told I have SPMS?", "do I have to let work know that I have SPMS?", "how do I
#: tell my boss I have MS?" (a clause holding such words keeps its telling as it is).
_DISCLOSURE_RE = GuardedPattern(
    r"\b(?:" + _TOLD_OTHERS + r")\s+(?:be|been|being|get|gets)\s+told\b"
    r"|\b(?:" + _TOLD_OTHERS + r")\s+(?:need|needs|has|have)\s+to\s+know\b"
    r"|\blet\s+(?!me\b|us\b)(?:[\w']+\s+){1,2}?know\b"
    r"|\b(?:tell|telling|inform|informing)\s+(?:my|our|his|her|their|your)\s+\w+"
    # whether someone knows (has been told) that one has it: "does my GP know I have SPMS?",
    # "should the dentist know ...?", "does my insurer need to know I've become SPMS?"
    r"|^\s*(?:does|do|did|should|would|will|can|could|must)\s+(?:[\w'-]+\s+){1,3}?"
    r"(?:(?:need|needs|have|has|ought)\s+to\s+|ever\s+|already\s+)?know\s+(?:that\s+)?"
    r"(?:i|you|he|she|they|we|my\s+\w+)\s*(?:have|has|had|am|is|are|'m|'s|'ve|'re)\s+"
    r"(?:got\s+|become\s+|gone\s+)?(?:a\s+|the\s+)?(?:" + _MS_COURSE + r")",
    re.IGNORECASE, needs=("told", "let", "know", "tell", "inform"))


#: Where a clause starts: after punctuation or a joining word, or where a question starts
#: without punctuation, as dictated or typed in a hurry: an auxiliary before its subject
#: ("... last week can he still get relapses") or a wh-word before an auxiliary ("... what
#: does that mean").
_CLAUSE_AUXILIARIES = r"can|could|will|would|should|is|are|do|does|did|has|have|am|was|were"
_CLAUSE_SUBJECTS = r"i|you|he|she|it|we|they|my|your|his|her|their|this|that|there"
_CLAUSE_WH_WORDS = r"what|how|why|when|where|who|which"
_clause_split_re = lazy_pattern(
    r"[,;:.!?]+|\s(?:and|but)\s"
    # "so" joins a clause only when one follows (a subject, an auxiliary, a wh-word): "so I
    # stopped", "so can I ...?"; before a word it grades ("so long", "so much", "so hard") it
    # is no joining word, and the clause runs on
    r"|\sso\s(?=(?:" + _CLAUSE_SUBJECTS + r"|our|the|these|those|now|then|if|" + _CLAUSE_AUXILIARIES
    + r"|" + _CLAUSE_WH_WORDS + r")\b)"
    r"|\s(?=(?:" + _CLAUSE_AUXILIARIES + r")\s+(?:" + _CLAUSE_SUBJECTS + r"|anyone|someone)\b)"
    r"|\s(?=(?:" + _CLAUSE_WH_WORDS + r")\s+"
    r"(?:is|are|was|were|do|does|did|can|could|will|would|should|happens|causes)\b)",
    re.IGNORECASE)
#: A wh-word left alone by the split before an auxiliary ("why | is it taking so long?",
#: "how | will my doctor know?"): it asks in the clause after it.
_LONE_WH_WORDS = (["how"], ["why"], ["when"], ["where"], ["who"])
_ASKING_WORDS = _AUXILIARIES | frozenset("what whats how why who when where which may might any".split())


def _diagnosed_with(match: re.Match[str]) -> str:
    """A diagnosis reading's words: "diagnosed with", after the asking words it was found
    behind ("how does she know it's SPMS" -> "how does she diagnosed with SPMS")."""
    return (match.group("how") or "") + " diagnosed with "


def _in_asking_clauses(text: str, pattern: GuardedPattern,
                       replacement: str | Callable[[re.Match[str]], str]) -> str:
    """``pattern`` replaced only in the clauses that ask (they start with an asking word).

    "when are you told you have X?" asks about diagnosis; in "I was told I have X, can Y
    happen?" the telling is the story, and the question is about Y.
    """
    if pattern.search(text) is None:
        return text
    out: list[str] = []
    start = 0
    for sep in _clause_split_re().finditer(text):
        if not sep.group(0).strip() and raw_words(text[start:sep.start()]) in _LONE_WH_WORDS:
            continue  # "how | will my doctor know ...": the wh-word asks in the clause after it
        out.append(_replace_if_asking(text[start:sep.start()], pattern, replacement))
        out.append(sep.group(0))
        start = sep.end()
    out.append(_replace_if_asking(text[start:], pattern, replacement))
    return "".join(out)


def _replace_if_asking(clause: str, pattern: GuardedPattern,
                       replacement: str | Callable[[re.Match[str]], str]) -> str:
    words = raw_words(clause)
    if words[:1] == ["when"] and words[1:2] and words[1] not in _AUXILIARIES:
        return clause  # "when you are told you have X, ...": a time clause, the story
    if pattern is _DIAGNOSIS_RE and _DISCLOSURE_RE.search(clause):
        return clause  # telling others is disclosure, not diagnosis
    return pattern.sub(replacement, clause) if words and words[0] in _ASKING_WORDS else clause


_POINTING_BACK = frozenset({"this", "that", "these", "those"})


def asking_clause(text: str) -> list[str] | None:
    """The words of the clause that asks, when ``text`` tells a story before it ("<what
    happened to me, over several clauses>, can I still get X?" -> "can I still get X");
    None when it tells none (too short, no asking clause, or the question comes first)."""
    if len(raw_words(text)) < STORY_MIN_WORDS:
        return None
    split = [words for c in _clause_split_re().split(text) if (words := raw_words(c))]
    clauses = _join_alternatives(_join_fronted_phrases(split))
    asking = [i for i, words in enumerate(clauses) if words[0] in _ASKING_WORDS]
    if not asking or asking[-1] == 0:
        return None
    first = asking[-1]
    while first > 0 and _is_question(clauses[first - 1]):
        first -= 1  # "is X available in India, and is it cheaper?": two questions, both asked
    if first == 0:
        return None
    return [w for clause in clauses[first: asking[-1] + 1] for w in clause]


def _emphasise_question(groups: list[Group], text: str, known: Callable[[str], bool],
                        emphasis: float) -> list[Group]:
    """Mark the story told before a long question's question, and weigh it down.

    "<what happened to me, over several clauses>, can I still get X?": the last clause that asks
    ("can I still get X") is what must be answered. Every group outside it is marked ``story``:
    a word of the story that the corpus never uses ("dog", "teacher") is the teller's life, not
    what is asked, and is weak evidence that the page cannot answer (``scoring.py``). The
    story's words also count ``emphasis`` in ranking when the asking clause names something the
    corpus knows, not an everyday word, and does not point back: in "... my legs feel weak when
    I walk, is there anyone who can help?" or "..., is that normal?" the story is what is asked
    about, and its known words keep their weight.
    """
    words = asking_clause(text)
    if words is None:
        return groups
    content = [w for w in words if w not in QUESTION_WORDS and w not in INDEX_STOP_WORDS]
    weigh_down = not any(w in _POINTING_BACK for w in words) and any(
        known(w) and (zipf(w) or 0.0) < ASKING_MAX_ZIPF for w in content)
    wanted = {stem(w) for w in content}

    def asked(g: Group) -> bool:
        return g.combined or bool(wanted & set(g.terms)) or any(wanted & set(a.terms) for a in g.alternatives)

    story_emphasis = emphasis if weigh_down else 1.0
    return [g if asked(g) else Group(g.text, g.terms, g.alternatives, g.combined, story_emphasis, story=True)
            for g in groups]


def _is_question(words: list[str]) -> bool:
    """True for a clause that is itself a question: it starts with an auxiliary and its
    subject ("is it ...", "is HSCT ...") or a wh-word and an auxiliary ("how do you ..."),
    not with a wh-word that starts a clause of time or place ("when I was diagnosed ...")
    nor with an auxiliary before a verb ("was told I had RRMS")."""
    return len(words) > 1 and (
        (words[0] in _AUXILIARIES and not _is_verb_form(words[1]))
        or (words[0] in _WH_WORDS and words[1] in _AUXILIARIES))


def _is_verb_form(word: str) -> bool:
    """True for a participle or verb that follows an auxiliary in a statement ("was told",
    "have been", "had started"), where a question has its subject."""
    return word in _PARTICIPLES or word.endswith("ed")


_WH_WORDS = frozenset("what whats how why who when where which".split())
#: Irregular participles and verbs that follow an auxiliary in a statement ("was told I
#: had RRMS", "have been on it for years").
_PARTICIPLES = frozenset(
    "told given put seen known taken been gone done made said found got gotten had left "
    "felt kept lost become come run begun shown thought brought".split())
_WH_DETERMINERS = frozenset({"what", "which", "whose"})
#: The most words a fronted question phrase holds ("what score", "how many more years").
_FRONTED_MAX_WORDS = 4


def _join_fronted_phrases(clauses: list[list[str]]) -> list[list[str]]:
    """Join a fronted question phrase to the clause it asks in.

    "what score | do you need for X?" and "which drug | can I take?" are one question each:
    the clause split before an auxiliary and its subject (meant for
    "... last week | can he still get relapses") cut the thing asked about off its
    question, and the story rule would then weigh it down as the story.
    """
    return _join_when(clauses, lambda before, words: words[0] in _AUXILIARIES and _is_fronted_phrase(before))


def _join_alternatives(clauses: list[list[str]]) -> list[list[str]]:
    """Join the clauses of one alternative question ("A, or is it B?") into one.

    "does X do A, or is it B?" asks one question with two alternatives; split at the comma
    and before "is it", its last asking clause would be "is it B" alone, and the first
    alternative would be weighed down as a story told before the question.
    """
    return _join_when(clauses, lambda before, words: words[0] == "or" or before[-1] == "or")


def _join_when(clauses: list[list[str]], joins: Callable[[list[str], list[str]], bool]) -> list[list[str]]:
    """``clauses`` with each one joined to the one before it where ``joins(before, it)``."""
    out: list[list[str]] = []
    for words in clauses:
        if out and joins(out[-1], words):
            out[-1] = out[-1] + words
        else:
            out.append(words)
    return out


def _is_fronted_phrase(words: list[str]) -> bool:
    """True for "what/which/whose X", "how many/much X" of at most a few words, or a wh-word
    alone (split off before "is it", "can we": "why | is it taking so long?")."""
    if len(words) > _FRONTED_MAX_WORDS:
        return False
    if words in _LONE_WH_WORDS:
        return True
    return words[0] in _WH_DETERMINERS or (words[0] == "how" and words[1:2] in (["many"], ["much"]))


#: The longest word without a vowel read as an abbreviation ("pwms", "nhs"), not a typo.
ABBREVIATION_MAX = 5

#: Function words of three and four letters that a three-letter typo is read as (see
#: :func:`function_word_typo`): the ones the index drops anyway, never "not", "all", "out".
_SHORT_FUNCTION_WORDS = frozenset(w for w in INDEX_STOP_WORDS if 3 <= len(w) <= 4 and w.isalpha())


#: A three-letter typo is read as two letters swapped only in words this common ("the",
#: "and", "you", "for"): a swap of a less common one is as often an abbreviation.
TYPO_SWAP_MIN_ZIPF = 7.0


#: Function words a typo of which is dropped (``function_word_typo``): the index's stop words
#: and "because"; not the scaffolding verbs "know", "think", "said", whose typos the speller
#: corrects ("konw" -> "know" keeps "how do I know if ..." a question of telling apart).
_FUNCTION_WORDS = INDEX_STOP_WORDS | {"because"}


def function_word_typo(word: str) -> str | None:
    """The function word a non-word is a typo of, or None.

    "wth" is "with" with a letter left out, "teh" is "the" with two letters swapped: the
    spelling corrector leaves words this short alone (their neighbours are as often
    abbreviations), and unread, such a typo weighs as a rare name the page lacks and sinks
    a plain question. Only those two typos, and only onto a word the index drops, so that
    an abbreviation one letter longer than a function word ("usa", "ifn") or one letter off
    one ("pml") is never read as it. A letter left out only where no vowel is left ("wth",
    "wht"): "als" (a disease) is no "also", "int" no "into". Two letters swapped only into
    the commonest words (:data:`TYPO_SWAP_MIN_ZIPF`: "teh", "adn", "yuo"): "hse" (Ireland's
    health service) is no "she", "ehr" no "her". Where two fit ("thn": "then", "than")
    either is dropped alike. Four letters or more: two letters swapped ("wiht", "becuase").
    """
    if not word.isalpha() or zipf(word) is not None:
        return None
    if len(word) >= 4:
        # two letters swapped in a longer function word ("wiht", "waht", "becuase"): a
        # non-word of four letters or more is that far from few real words
        fits = {w for w in _FUNCTION_WORDS if len(w) == len(word) and word in _swaps(w)}
        return min(fits) if fits else None
    if len(word) != 3:
        return None
    vowelless = not any(c in "aeiouy" for c in word)
    fits = {w for w in _SHORT_FUNCTION_WORDS
            if (vowelless and len(w) == 4 and any(w[:i] + w[i + 1:] == word for i in range(4)))
            or (len(w) == 3 and word in _swaps(w) and (zipf(w) or 0.0) >= TYPO_SWAP_MIN_ZIPF)}
    return min(fits) if fits else None


def _swaps(word: str) -> list[str]:
    """``word`` with each two neighbouring letters swapped, left to right."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)
            if word[i] != word[i + 1]]


#: The words after "how" that say what kind of answer is asked ("how long", "how often",
#: "how many", "how quickly", "how likely", "how safe"): :func:`how_word_typos` reads a
#: typo of one there as that word.
_HOW_WORDS = ("long often many much soon far quick quickly fast slow slowly rapidly frequently "
              "common likely rare safe serious bad").split()
_HOW_TYPO_RE = re.compile(r"\b(how|hw)\s+([a-z]{3,})\b", re.IGNORECASE)


def how_word_typos(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with a typo of a kind word after "how" read as that word ("how offen" ->
    "how often", "how lnog" -> "how long", "how quikly" -> "how quickly"), and the fixes.

    What kind of answer a question asks (:func:`expected_answer`) and the scaffolding it
    drops ("how long") are read from the wording before any word is corrected, so a slip
    of the thumb there lost the kind, and the word itself was corrected to whatever word of
    the page was nearest ("offen" -> "offer", pulling the question to the passage about what
    the NHS offers). After "how", a word that is no English word and is one edit (a letter
    added, left out, changed or two swapped) from exactly one kind word is that word: no
    other reading fits the place. Text speak "hw" before a kind word is "how" ("hw many").
    """
    fixes: dict[str, str] = {}

    def fix(match: re.Match[str]) -> str:
        how, word = match.group(1), match.group(2)
        low = word.lower()
        if low in _HOW_WORDS:
            fitted = low
        elif is_english_word(low):
            return match.group(0)
        else:
            fits = [w for w in _HOW_WORDS if abs(len(w) - len(low)) <= 1 and damerau(low, w, 1) <= 1]
            if len(fits) != 1:
                return match.group(0)
            fitted = fixes[word] = fits[0]
        if how.lower() == "hw":
            fixes[how] = "how"
        elif fitted == low:
            return match.group(0)
        return f"how {fitted}"

    return (_HOW_TYPO_RE.sub(fix, text) if "h" in text.lower() else text), fixes


#: "no" typed for "know" where only the verb can stand: after "how do (does, did, can,
#: could, would) <someone>" and before what is known ("how do they no its SPMS?", "how do I
#: no if ...", "or how do they no?"). Not "how do they no longer ...", and not where "no"
#: is a second language's "not" ("I no have relapses"): no auxiliary asks there.
_KNOW_SLIP_RE = re.compile(
    r"\b(how\s+(?:do|does|did|can|could|would|will)\s+(?:they|you|u|i|we|he|she|you\s+guys|"
    r"(?:(?:the|my|your|our|his|her|a)\s+)?(?:[\w-]+\s+)?(?:[\w-]+)))\s+no\b"
    # what is known: a clause that says something ("its", "it is", "I have", "mum's MS is"),
    # not "no" + a bare verb ("how can I no it get worse": a second language's "not")
    r"(?=\s+(?:if|whether|when|that|what|which|for sure)\b"
    r"|\s+(?:its|it's|ur|you're|i'm|he's|she's|they're|\w+'s)\b"
    r"|\s+(?:it|u|you|i|he|she|they|we|someone|(?:my|the|your|his|her|our)\s+[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:is|are|has|have|had|was|were|will|am|'s)\b"
    r"|\s*[?.!,]|\s*$)",
    re.IGNORECASE)


def know_slips(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with "no" typed for "know" read as "know" (:data:`_KNOW_SLIP_RE`), and the fix.

    "no" is an English word, so spelling correction leaves it alone, and as a word to find it
    is dropped: "how do docs no its secondary progressive" lost the one word that says what
    is asked. After "how do <someone>" nothing but the verb fits.
    """
    if " no" not in text.lower():
        return text, {}

    def know(match: re.Match[str]) -> str:
        if not text[: match.start()].strip() and not raw_words(text[match.end():]):
            return match.group(0)  # "how do I no?" alone says nothing known: left as typed
        return match.group(1) + " know"

    fixed = _KNOW_SLIP_RE.sub(know, text)
    return fixed, ({"no": "know"} if fixed != text else {})


def _drop(text: str, plan: QueryPlan) -> str:
    plan.dropped.extend(raw_words(text))
    return " "


class Lexicon(Protocol):
    """What query rewriting needs to know about the index."""

    def has_term(self, term: str) -> bool: ...

    def spelling_candidates(self, word: str, maxdist: int) -> list[tuple[str, int]]: ...


class Alternative(FrozenRecord):
    """One way to match a group: index terms, a weight, and whether order matters."""

    text: str
    terms: tuple[str, ...]
    weight: float
    phrase: bool
    #: "user", "quoted", "correction", "bag" (the user's words of a phrase, in any order),
    #: "expansion" (a synonym), "related" (broader) or "narrower" (a named medicine of a class)
    kind: str

    __slots__ = _fields = ("text", "terms", "weight", "phrase", "kind")

    def __init__(self, text: str, terms: tuple[str, ...], weight: float, phrase: bool, kind: str) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "phrase", phrase)
        object.__setattr__(self, "kind", kind)

    def __eq__(self, other: object) -> bool:
        # as Record's, field by field without building tuples: groups key the scorer's
        # caches, and a question's fresh groups are compared with the cached ones there
        if other.__class__ is self.__class__ and isinstance(other, Alternative):
            return (self.text == other.text and self.terms == other.terms and self.weight == other.weight
                    and self.phrase == other.phrase and self.kind == other.kind)
        return NotImplemented

    __hash__ = FrozenRecord.__hash__

    @property
    def from_vocabulary(self) -> bool:
        """True for a synonym or broader term added to the user's words, not their own words."""
        return self.kind in ("expansion", "related", "narrower")


class Group(FrozenRecord):
    """One thing the user asked about, with every way it may be written in the corpus."""

    text: str
    terms: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    #: True for a group the vocabulary built from other groups ("treatment" + "attack" ->
    #: "relapse treatment"): it ranks, but coverage and confidence count only what was asked.
    combined: bool
    #: How much the group counts: less than 1 for the story told before a long question
    #: ("<what happened, over several clauses>, can I still get X?").
    emphasis: float
    #: True for a group only in the story before a long question's asking clause.
    story: bool

    #: Computed once: groups key the scorer's caches and are hashed many times a question.
    _hash: int

    __slots__ = ("_hash", "alternatives", "combined", "emphasis", "story", "terms", "text")
    _fields = ("text", "terms", "alternatives", "combined", "emphasis", "story")

    def __init__(
        self,
        text: str,
        terms: tuple[str, ...],
        alternatives: tuple[Alternative, ...],
        combined: bool = False,
        emphasis: float = 1.0,
        story: bool = False,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "combined", combined)
        object.__setattr__(self, "emphasis", emphasis)
        object.__setattr__(self, "story", story)
        object.__setattr__(self, "_hash", 0)
        self.__post_init__()

    def __post_init__(self) -> None:
        fields = (self.text, self.terms, self.alternatives, self.combined, self.emphasis, self.story)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        # as Record's, field by field, unequal hashes first (see Alternative.__eq__)
        if other.__class__ is self.__class__ and isinstance(other, Group):
            return self is other or (
                self._hash == other._hash and self.text == other.text and self.terms == other.terms
                and self.alternatives == other.alternatives and self.combined == other.combined
                and self.emphasis == other.emphasis and self.story == other.story)
        return NotImplemented


class QueryPlan(Record):
    """How a question was read: what was kept, dropped, corrected and expanded."""

    question: str
    cleaned: str
    groups: list[Group]
    dropped: list[str]
    corrections: dict[str, str]
    truncated: bool
    #: For "what is X?" questions, X as typed: the groups then all name X, and a sentence
    #: that defines X is the best answer.
    definition: str | None
    #: The kind of answer the wording asks for ("who" -> "person"); see :func:`expected_answer`.
    expects: str | None
    #: For a "drug" question, the medicines whose names answer it (from the vocabulary).
    answer_names: frozenset[tuple[str, ...]]
    #: For a wh-question, the index term of the thing it asks about ("what are the side
    #: effects of X?" -> "effect"); see :func:`question_focus`. For a yes/no question about
    #: an effect, its cause ("does hot weather make MS worse?" -> "weather"), with
    #: ``focus_object`` the thing affected (:func:`effect_focus`).
    focus: str | None
    focus_object: str | None
    #: Index terms of what the question sets aside ("apart from relapses, what shows ...?",
    #: "are relapses the only sign ...?"): the answer must say something else
    #: (:func:`set_aside`).
    excluded: frozenset[str]
    #: The phrases saying how the answer is to be told ("in plain words"), as written: they
    #: name nothing, so the question-text decision does not read them (rule
    #: "manner-of-telling", ``questiontext.words_read``).
    manner: tuple[str, ...]

    __slots__ = _fields = (
        "question", "cleaned", "groups", "dropped", "corrections", "truncated", "definition", "expects",
        "answer_names", "focus", "focus_object", "excluded", "manner",
    )

    def __init__(
        self,
        question: str,
        cleaned: str,
        groups: list[Group] | None = None,
        dropped: list[str] | None = None,
        corrections: dict[str, str] | None = None,
        truncated: bool = False,
        definition: str | None = None,
        expects: str | None = None,
        answer_names: frozenset[tuple[str, ...]] = frozenset(),
        focus: str | None = None,
        focus_object: str | None = None,
        excluded: frozenset[str] = frozenset(),
        manner: tuple[str, ...] = (),
    ) -> None:
        self.question = question
        self.cleaned = cleaned
        self.groups = [] if groups is None else groups
        self.dropped = [] if dropped is None else dropped
        self.corrections = {} if corrections is None else corrections
        self.truncated = truncated
        self.definition = definition
        self.expects = expects
        self.answer_names = answer_names
        self.focus = focus
        self.focus_object = focus_object
        self.excluded = excluded
        self.manner = manner

    def copy(self) -> QueryPlan:
        """A plan of its own: the same groups (immutable), in new lists and dicts."""
        return self._replace(groups=list(self.groups), dropped=list(self.dropped),
                             corrections=dict(self.corrections))

    @property
    def suggestion(self) -> str | None:
        """The question with its spelling corrected, when a correction was made."""
        if not self.corrections:
            return None
        fixed = self.cleaned
        for wrong, right in self.corrections.items():
            fixed = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, fixed, flags=re.IGNORECASE)
        return fixed

    @property
    def ranking_kind(self) -> str | None:
        """The kind asked for as ranking and the decision read it: ``expects``, but None for
        a kind that only picks the answer sentence (:data:`ANSWER_ONLY_KINDS`)."""
        return None if self.expects in ANSWER_ONLY_KINDS else self.expects

    @property
    def subject(self) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """For a "what is X?" question, each group of X as its alternatives' terms; else ()."""
        if self.definition is None:
            return ()
        return tuple(tuple(a.terms for a in g.alternatives) for g in self.groups)

    @property
    def expansions(self) -> list[tuple[str, str]]:
        return [(g.text, a.text) for g in self.groups for a in g.alternatives if a.from_vocabulary]


def clean_question(question: str | bytes) -> tuple[str, bool]:
    """Printable, normalised, length-capped question text, and whether it was cut."""
    if isinstance(question, bytes):
        question = question.decode("utf-8", "replace")
    question = question.encode("utf-8", "surrogateescape").decode("utf-8", "replace") \
        if any("\udc80" <= ch <= "\udcff" for ch in question) else question
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = unicodedata.normalize("NFKC", question)
    chars = []
    for ch in question:
        cat = unicodedata.category(ch)
        chars.append(" " if cat[0] in "CZ" and ch != " " else ch)
    text = re.sub(r"\s+", " ", "".join(chars)).strip()
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text, truncated


def damerau(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment edit distance (a transposition counts as one edit)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


#: A misspelling is read as the common English word one edit away only when that word is
#: at least this common (Zipf: "really" 5.9, "before" 6.0, "which" 6.6; "brine" 2.8 is not).
NEIGHBOUR_MIN_ZIPF = 4.0
#: A real word at least this common (Zipf) is never read as two letters swapped.
TRANSPOSITION_MAX_ZIPF = 4.5
NEIGHBOUR_MIN_LETTERS = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _dropped_g(word: str) -> str | None:
    """"bein", "goin", "feelin": the -ing said and typed without its g, at any length, read
    before any other correction ("feelin" is two letters from "myelin" too)."""
    with_g = word + "g"
    if word.endswith("in") and (zipf(with_g) or 0.0) >= NEIGHBOUR_MIN_ZIPF and is_english_word(with_g):
        return with_g
    return None


def _everyday_neighbour(word: str) -> str | None:
    """The commonest English word one edit from ``word`` (which is no English word), or None.

    A typo of a word this page never uses ("realy", "befor", "thier") is otherwise an
    unknown word, weighed as a rare name the page lacks: the question is then declined
    for a slip of the thumb. Read as the everyday word it misspells, it weighs what that
    word weighs. Edits are generated (deletes, swaps, replacements, inserts) and looked up,
    so the cost is a few hundred table lookups. Words shorter than
    :data:`NEIGHBOUR_MIN_LETTERS` are left alone: short ones are as often abbreviations
    ("COPD", "IBS", "THC") as typos, and one edit reaches too many words from them.
    """
    if len(word) < NEIGHBOUR_MIN_LETTERS:
        return None
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    best: tuple[float, str] | None = None
    for cand in edits:
        if len(cand) < 3 or not is_english_word(cand):
            continue
        z = zipf(cand) or 0.0
        if z >= NEIGHBOUR_MIN_ZIPF and (best is None or (z, cand) > best):
            best = (z, cand)
    return best[1] if best else None


class QueryRewriter:
    """Turns questions into :class:`QueryPlan` objects for one index and vocabulary."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, params: Parameters = DEFAULT) -> None:
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.params = params
        self._vocab_words = sorted(w for w in vocabulary.words if w.isalpha() and len(w) >= 4)
        self._corrections: dict[str, str | None] = {}
        self._plans: dict[str | bytes, QueryPlan] = {}

    def _medicine_names(self, but: str | None = None) -> frozenset[tuple[str, ...]]:
        """What answers "what are the medicines called?" or "is there a drug for X?": a
        medicine the vocabulary names, or steroids, a class patient information names as the
        treatment itself ("relapses can be treated with steroids"), unless the class is
        ``but``, the one asked to name a member of ("what is the steroid called?"). (Left out
        of drug questions until the twenty-first session for fear that the kind's ranking
        bonus would lift the steroids passage for any drug question; on the tuning questions
        it moved 20 confidences and gained one right answer.)"""
        steroids = {("steroid",)} | {e.terms for e in self.vocabulary.expansions.get(("steroid",), [])}
        return self.vocabulary.drug_names() | (frozenset() if but == "steroid" else frozenset(steroids))

    def _names_treatment(self, text: str, pronouns: bool = True, self_care: bool = True) -> bool:
        """True when ``text`` holds a word for treatment (with ``pronouns``, also a pronoun
        standing for one; with ``self_care``, also exercise, physio or diet) or a medicine the
        vocabulary names."""
        words = {stem(w) for w in raw_words(text)}
        wanted = _treatment_stems()
        if not pronouns:
            wanted = wanted - _pronoun_stems()
        if not self_care:
            wanted = wanted - _self_care_stems()
        if words & wanted:
            return True
        return any(set(name) <= words for name in self.vocabulary.drug_names())

    def _asks_pace_of_illness(self, text: str) -> bool:
        """True when a pace question asks how fast secondary progressive MS goes ("how fast
        does SPMS get worse?", "is it slow or fast?"), not how fast a treatment acts or what
        it does to the pace ("does siponimod slow down how fast I get worse?"), what makes it
        faster, nor the pace of something else: a relapse comes on in hours or days, primary
        progressive or relapsing remitting MS has a course of its own, and how fast one is
        seen, referred or answered is a waiting time."""
        low = text.casefold()
        return not (_SLOW_DOWN_RE.search(low) or _PACE_CAUSE_RE.search(low)
                    or _OTHER_COURSE_RE.search(low) or _SERVICE_PACE_RE.search(low)
                    or (_RELAPSING_COURSE_RE.search(low) and not _SECONDARY_RE.search(low))
                    or self._names_treatment(text, pronouns=False))

    def _names_a_treatment(self, text: str) -> bool:
        """True when the subject of "how does X work?" / "how is X given?" is a treatment."""
        match = _MECHANISM_RE.search(text.casefold().replace("\u2019", "'"))
        return match is not None and self._names_treatment(
            match.group("w") or match.group("x") or match.group("g") or "")

    def _efficacy_of_a_treatment(self, text: str) -> bool:
        """False when "does X work?" names no treatment as X (see :data:`_EFFICACY_RE`);
        True for "help", "effective", "worth it", whose subject may be any means of help."""
        match = _EFFICACY_RE.search(text.casefold().replace("\u2019", "'"))
        return match is None or match.group("w") is None or self._names_treatment(match.group("w"))

    def _asks_harm_of_a_treatment(self, text: str) -> bool:
        """True when the harm asked about (:data:`_HARM_RE`) is a treatment's: "the risks of
        HSCT", "side effects of siponimod", "does HSCT make you sick?" (what makes one sick
        must be a treatment, or "it" after one: "my relapse made me feel sick" is no harm);
        not "the risk of relapse" or "is SPMS dangerous"."""
        low = text.casefold().replace("\u2019", "'")
        match = _HARM_RE.search(low)
        if match is None:
            return False
        if match.group("t") is not None:
            return self._names_treatment(match.group("t"), pronouns=False)
        if match.group("s") is not None:
            subject = match.group("s")
            if self._names_treatment(subject, pronouns=False):
                return True
            pointing = {stem(w) for w in raw_words(subject)} & _pronoun_stems()
            return bool(pointing) and self._names_treatment(low[: match.start()], pronouns=False)
        return self._names_treatment(text, pronouns=False)

    def _asks_safety_of_a_medicine(self, text: str) -> bool:
        """True when the safety asked about (:data:`_SAFETY_RE`) is a medicine's or a medical
        procedure's ("is HSCT safe?"), not whether to do something ("is it safe to exercise?")."""
        match = _SAFETY_RE.search(text.casefold().replace("\u2019", "'"))
        if match is None:
            return False
        named = match.group("x") if match.group("x") is not None else text
        return self._names_treatment(named, pronouns=False, self_care=False)

    def _compares_treatments(self, text: str) -> bool:
        """False for "is X better than Y?" unless X and Y each name a treatment; True for any
        other choice ("is it X or Y?")."""
        low = text.casefold()
        if CHOICE_THAN_SPLIT.search(low) is None or CHOICE_OR_SPLIT.search(low):
            return True
        before, after = CHOICE_THAN_SPLIT.split(low, maxsplit=1)
        return self._names_treatment(before) and self._names_treatment(after)

    # ---------------------------------------------------------------- spelling

    def _known(self, word: str) -> bool:
        s = stem(word)
        return (
            self.lexicon.has_term(s)
            or word in self.vocabulary.words
            or (s,) in self.vocabulary.expansions
            or s in self.vocabulary.by_first
        )

    def correct(self, word: str) -> str | None:
        """The most likely intended word for an unknown ``word``, or None.

        Remembered per open index (the answer cannot change while the index does not):
        walking the index's spelling automaton costs milliseconds a word, and the same
        typos ("steriods", "relapes") come again and again.
        """
        if not self.params.on("spelling"):
            return None
        if word in self._corrections:
            return self._corrections[word]
        fixed = self._correct(word)
        if len(self._corrections) >= MAX_REMEMBERED_CORRECTIONS:
            self._corrections.clear()
        self._corrections[word] = fixed
        return fixed

    def _correct(self, word: str) -> str | None:
        if (len(word) >= 4 and word[-1] == "1" and word[:-1].isalpha()
                and is_english_word(spelled := word[:-1] + "one")):
            return spelled  # "every1", "any1": text speak for "one"
        if len(word) < 4 or not word.isalpha() or word in QUESTION_WORDS or self._known(word):
            return None
        if is_english_word(word):
            # real words are left alone ("feel" is not a typo of "feet"), but for two
            # letters swapped: "clinical trails", "brian scan" say "trials", "brain"
            return self._transposition(word)
        if len(word) <= ABBREVIATION_MAX and not any(c in "aeiouy" for c in word):
            # an abbreviation's neighbours are other abbreviations: "pwMS" (people with
            # MS) is no typo of "PPMS"; only two letters swapped ("spsm") are corrected
            return next((w for w in _swaps(word) if self._known(w)), None)
        if (dropped := _dropped_g(word)) is not None:
            return dropped
        allowed = 1 if len(word) <= 5 else 2
        scored: dict[str, tuple[int, int, int]] = {}
        for cand, freq in self.lexicon.spelling_candidates(word, 2):
            dist = damerau(word, cand, allowed)
            if dist <= allowed and cand.isalpha():
                scored[cand] = (dist, 0 if cand[0] == word[0] else 1, -freq)
        for cand in self._vocab_words:
            if abs(len(cand) - len(word)) <= allowed and cand[0] in (word[0], word[1:2]):
                dist = damerau(word, cand, allowed)
                if dist <= allowed and (cand not in scored or scored[cand][0] > dist):
                    scored[cand] = (dist, 0 if cand[0] == word[0] else 1, 0)
        if not scored:
            return _everyday_neighbour(word)
        return min(scored, key=lambda c: (scored[c], c))

    def _transposition(self, word: str) -> str | None:
        """A known word that ``word`` becomes with two neighbouring letters swapped.

        Only for words of five letters or more that are not everyday English: among
        those, a swap that lands on a word of this index or vocabulary is nearly always
        a typo ("trails"/"trials", "fiber"/"fibre"), while edit-distance neighbours of
        real words often are not ("meditation"/"medication", "lesson"/"lesion"). A word as
        common as :data:`TRANSPOSITION_MAX_ZIPF` is meant as written: "quiet" is no "quite".
        """
        if len(word) < 5 or (zipf(word) or 0.0) >= TRANSPOSITION_MAX_ZIPF:
            return None
        return next((w for w in _swaps(word) if self._known(w) and self._is_a_word(w)), None)

    def _is_a_word(self, word: str) -> bool:
        """True when ``word`` is itself a word (English, the vocabulary's or the index's),
        not only a string whose stem one has: "easing" swapped is "esaing", which stems
        like the abbreviation "ESA" and is no word."""
        return (is_english_word(word) or word in self.vocabulary.words
                or any(w == word for w, _ in self.lexicon.spelling_candidates(word, 0)))

    # ---------------------------------------------------------------- groups

    def _expansions(self, entry: tuple[str, ...]) -> list[Alternative]:
        if not self.params.on("vocabulary"):
            return []
        same: list[Alternative] = []
        for e in self.vocabulary.expansions.get(entry, []):
            # one alternative per way of writing: "adverse effect" and "adverse effects" once
            if e.terms != entry and all(a.terms != e.terms for a in same):
                same.append(Alternative(e.text, e.terms, self.params.expansion_weight,
                                        len(e.terms) > 1, "expansion"))
        broader = [
            Alternative(e.text, e.terms, self.params.related_weight, len(e.terms) > 1, "related")
            for e in self.vocabulary.related(entry)
        ]
        members = [
            Alternative(e.text, e.terms, self.params.narrower_weight, len(e.terms) > 1, "narrower")
            for e in self.vocabulary.narrower(entry)
        ] if self.params.on("named-members") else []
        return same + broader + members

    def _word_groups(self, words: list[str], hyphen_links: set[int], breaks: set[int],
                     plan: QueryPlan) -> list[Group]:
        stems = [stem(w) for w in words]
        groups: list[Group] = []
        i = 0
        while i < len(words):
            # an entry ends at the next break: "relapse or my MS" is not "relapsing MS"
            stop = min((b for b in breaks if b > i), default=len(words))
            entry = self.vocabulary.match(stems[:stop], i)
            if entry is not None and len(entry) == 1 and words[i] in QUESTION_WORDS:
                entry = None  # "my neuro thinks": scaffolding, though "thinking" is a symptom word
            if entry is not None:
                span = words[i : i + len(entry)]
                text = " ".join(span)
                alts = [Alternative(text, entry, USER_WEIGHT, len(entry) > 1, "user")]
                content = tuple(s for s, w in zip(entry, span) if w not in QUESTION_WORDS)
                if len(content) > 1:  # the same words in any order, a little weaker
                    alts.append(Alternative(text, content, self.params.bag_weight, False, "bag"))
                groups.append(Group(text, entry, (*alts, *self._expansions(entry))))
                i += len(entry)
                continue
            word = words[i]
            if word in QUESTION_WORDS:
                plan.dropped.append(word)
                i += 1
                continue
            j = i + 1
            while j in hyphen_links and j < len(words):  # a hyphenated compound
                j += 1
            if j - i > 1:
                span = words[i:j]
                joined = "".join(span)
                alts = [Alternative("-".join(span), tuple(stems[i:j]), USER_WEIGHT, True, "user"),
                        Alternative(joined, (stem(joined),), USER_WEIGHT, False, "user")]
                groups.append(Group("-".join(span), tuple(stems[i:j]), tuple(alts)))
                i = j
                continue
            kind = "correction" if word in plan.corrections.values() else "user"
            weight = self.params.correction_weight if kind == "correction" else USER_WEIGHT
            alt = Alternative(word, (stems[i],), weight, False, kind)
            groups.append(Group(word, (stems[i],), (alt,)))
            i += 1
        return groups

    def _tokens(self, text: str, plan: QueryPlan) -> tuple[list[str], set[int], set[int]]:
        """Normalised words (index stop words removed), which follow a hyphen, and breaks.

        A break sits before a word that follows punctuation or a joining word ("or",
        "and", "vs"): a vocabulary entry never spans one.
        """
        out: list[str] = []
        links: set[int] = set()
        breaks: set[int] = set()
        last_end = -1
        prev_end = 0
        for match in _WORD_RE.finditer(text):
            normalised = raw_words(match.group(0))
            if not normalised:
                continue
            word = normalised[0]
            surface = match.group(0).lower()
            if surface in QUESTION_WORDS and word not in QUESTION_WORDS:
                word = surface  # "told", "said", "thought": reported speech, not "tell", "say"
            between = text[prev_end : match.start()]
            prev_end = match.end()
            if out and (_BREAK_RE.search(between) or word in _JOINING_WORDS):
                breaks.add(len(out))
            if word in INDEX_STOP_WORDS:
                plan.dropped.append(word)
                last_end = -1
                continue
            fixed = self.correct(word)
            if fixed is not None:
                plan.corrections[match.group(0)] = fixed
                word = fixed
            elif (not match.group(0).isupper() and not self._known(word)
                  and (function := function_word_typo(word)) is not None):
                # a three-letter typo of a function word ("wth") is that word: dropped
                plan.corrections[match.group(0)] = function
                plan.dropped.append(function)
                last_end = -1
                continue
            elif len(word) == 1 and word.isalpha() and not self._known(word):
                # one letter the page and the vocabulary never use names nothing asked
                # about ("X v Y", a stray initial): weighed as an unknown word, it would
                # weigh as a rare name the page lacks and decline the question
                plan.dropped.append(word)
                last_end = -1
                continue
            if out and text[last_end : match.start()] in ("-", "\u2010", "\u2011") and last_end >= 0:
                links.add(len(out))
            out.append(word)
            last_end = match.end()
        return out, links, breaks

    def rewrite(self, question: str | bytes) -> QueryPlan:
        """The :class:`QueryPlan` for ``question``; never raises on any text.

        Remembered per rewriter, as spelling fixes are (the plan cannot change while the
        index, vocabulary and parameters do not): a question asked again is not read again.
        Each call returns a copy of its own, so a caller changing it changes nothing here.
        """
        plan = self._plans.get(question)
        if plan is None:
            plan = self._read(question)
            if len(self._plans) >= MAX_REMEMBERED_PLANS:
                self._plans.clear()
            self._plans[question] = plan
        return plan.copy()

    def _read(self, question: str | bytes) -> QueryPlan:
        on = self.params.on
        cleaned, truncated = clean_question(question)
        cleaned, how_fixes = how_word_typos(cleaned) if on("spelling") else (cleaned, {})
        if on("spelling"):
            cleaned, know_fixes = know_slips(cleaned)
            how_fixes.update(know_fixes)
        expects = expected_answer(cleaned) if on("answer-kinds") else None
        if ((expects == "harm" and not self._asks_harm_of_a_treatment(cleaned))
                or (expects == "safety" and not self._asks_safety_of_a_medicine(cleaned))):
            # "what is my risk of relapse?" (a course of MS, not a treatment's harm), "is it
            # safe to stop taking a DMT?" (whether to do it): the wording may ask another kind
            expects = expected_answer(cleaned, skip=frozenset({"harm", "safety"}))
        if expects == "mechanism" and not self._names_a_treatment(cleaned):
            expects = None  # "how does SPMS work?", "how does the helpline work?": no treatment
        if expects == "choice" and not self._compares_treatments(cleaned):
            expects = None  # "will I feel better than I do now?": no two treatments side by side
        if expects == "efficacy" and not self._efficacy_of_a_treatment(cleaned):
            expects = None  # "can my husband still work?": a job, not whether something works
        plan = QueryPlan(question if isinstance(question, str) else cleaned, cleaned,
                         truncated=truncated, expects=expects,
                         answer_names=self._medicine_names(but=asked_medicine_class(cleaned))
                         if expects == "drug" or (expects is None and on("answer-kinds")
                                                  and asks_names_of_drugs(cleaned))
                         else frozenset())
        plan.corrections.update(how_fixes)
        rest = cleaned
        subject = definition_subject(cleaned) if on("definitions") else None
        focus_words = raw_words(question_focus(cleaned) or "") if subject is None else []
        plan.focus = stem(focus_words[0]) if focus_words else None
        effect = effect_focus(cleaned) if subject is None and on("effect-focus") else None
        if plan.focus is None and effect is not None:
            cause, affected = (raw_words(w or "") for w in effect)
            plan.focus = stem(cause[0]) if cause else None
            plan.focus_object = stem(affected[0]) if affected else None
        if on("set-aside"):
            plan.excluded = set_aside(cleaned)
        if subject is not None:
            plan.definition = subject
            before, _, after = cleaned.partition(subject)
            plan.dropped.extend(raw_words(before) + raw_words(after))
            rest = subject
        for match in _QUOTED_RE.finditer(rest):
            phrase_terms = tuple(terms(match.group(1)))
            if 1 < len(phrase_terms) <= MAX_PHRASE_TERMS and not _is_quotation(match, rest):
                alt = Alternative(match.group(1), phrase_terms, USER_WEIGHT, True, "quoted")
                plan.groups.append(Group(match.group(1), phrase_terms, (alt,)))
                rest = rest.replace(match.group(0), " ", 1)
        if on("how-to-tell"):
            rest = _TELL_RE.sub(_tell_instead, rest)
        if on("given-for"):
            rest = _given_for_instead(rest)
        if on("what-can-be-done"):
            rest = _can_be_done_instead(rest, plan)

        if on("last-stage"):
            rest = _turns_into_instead(_LAST_STAGE_RE.sub(" what comes after ", rest))
        if on("told-diagnosis"):
            rest = _in_asking_clauses(rest, _DIAGNOSIS_RE, _diagnosed_with)
        if on("person-inactive") and (_MOVING_RE.search(cleaned) or not _ACTIVITY_CONTEXT_RE.search(cleaned)):
            rest = _PERSON_INACTIVE_RE.sub(
                lambda m: m.group(0)[: m.start("w") - m.start()] + "physically inactive", rest)
        if on("scaffolding-phrases"):
            rest = _SCAFFOLD_PHRASE_RE.sub(lambda m: _drop(m.group(0), plan), rest)
            rest = drop_passive_used(rest, lambda w: _drop(w, plan))
        if on("manner-of-telling"):
            plan.manner = tuple(m.group(0) for m in _MANNER_OF_TELLING_RE.finditer(rest))
            rest = _MANNER_OF_TELLING_RE.sub(lambda m: _drop(m.group(0), plan), rest)
        if plan.answer_names and plan.expects is None:
            # a question asking what a medicine is called: "name" and "called" say so
            rest = _NAME_FRAME_RE.sub(lambda m: _drop(m.group(0), plan), rest)
        if on("pace-asked") and plan.expects == "speed" and self._asks_pace_of_illness(cleaned):
            rest = _PACE_WORDS_RE.sub(lambda m: _drop(m.group(0), plan), rest)
        words, links, breaks = self._tokens(rest, plan)
        seen = {g.terms for g in plan.groups}
        for group in self._word_groups(words, links, breaks, plan):
            if group.terms not in seen:
                seen.add(group.terms)
                plan.groups.append(group)
        if on("combined-entries"):
            plan.groups.extend(self._combinations(plan.groups, cleaned))
        del plan.groups[MAX_GROUPS:]
        if on("story"):
            plan.groups = _emphasise_question(plan.groups, rest, self._known, self.params.story_emphasis)
        return plan

    def _combinations(self, groups: list[Group], text: str) -> list[Group]:
        """Vocabulary entries the question says apart, in another order or in other words.

        "treatment for an MS attack" holds the entry "relapse treatment" (=> steroids) with
        other words between, and "attack" standing for "relapse": the entry becomes one more
        group, so the passage about treating relapses is found as if it had been asked so.
        """
        where: dict[str, int] = {}
        for gi, group in enumerate(groups):
            for alt in group.alternatives:
                # a one-word way of saying the alternative: "Ocrevus" is a DMT, so
                # "stop my Ocrevus" holds the entry "stop DMT"
                for same in (alt.terms, *(e.terms for e in self.vocabulary.expansions.get(alt.terms, []))):
                    if len(same) == 1:
                        where.setdefault(same[0], gi)
                if alt.kind == "user":  # "new MS drugs": "drugs" may join "new" as "new drugs"
                    for term in alt.terms:
                        where.setdefault(term, gi)
        have = {g.terms for g in groups}
        found: dict[tuple[int, ...], list[Alternative]] = {}
        for entry in self.vocabulary.phrases_with(where):
            if entry in have:
                continue
            parts = tuple(sorted({where[t] for t in entry}))
            if (len(parts) < 2 or _verb_after_object(entry, where, groups, text)
                    or _said_of_another_thing(entry, where, groups, text)
                    or _prevented_not_treated(entry, where, groups, text)):
                continue
            label = " + ".join(groups[i].text for i in parts)
            alts = found.setdefault(parts, [])
            bag = Alternative(label, entry, self.params.bag_weight, False, "bag")
            for alt in (bag, *self._expansions(entry)):
                if all(a.terms != alt.terms for a in alts):
                    alts.append(alt)
        out = []
        for parts, alts in found.items():
            terms_ = tuple(t for i in parts for t in groups[i].terms)
            # alts[0] is the bag of the first entry found, named after the groups it joins
            out.append(Group(alts[0].text, terms_, tuple(alts), combined=True))
        return out
