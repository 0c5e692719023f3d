"""Question-text evidence for ranking and the answer-or-decline decision, fitted to the bundled corpus.

The other signals (``answerability.py``) judge a question by the page's own words: how
much of it the best passage holds. They cannot tell that "can my husband still drive?"
and "will I be able to keep working?" are asked of a section in words it never uses:
which section questions so worded are answered by. Thousands of questions written for
this page (the tuning sets, each labelled with the passage that holds its answer or as
off-topic) show it. A multinomial logistic model over a question's words (tf-idf of its
words, as scikit-learn's ``TfidfVectorizer`` reads them; the asking clause of a question
that tells a story first, :func:`words_read`) names the passage; a section's probability
is the sum of its passages'. It gives:

* the order of the engine's best passages (:func:`fused_order`): a passage's place is its
  score as a share of the best one's plus a weight times the probability of its section
  and its own: which section questions so worded are answered by, and which of its
  passages holds the answer;
* ``text_section``: the probability that the section of the best passage (in that order)
  is the one that answers the question, a fifteenth signal for the decision trees.

They know one corpus: the words model names its passages (:func:`passage_keys`). So the
decision applies only when the index holds exactly the passages it was fitted on
(:meth:`TextDecision.applies_to`); an index with a maintainer's own documents keeps the
bundled model (``data/answerability.json``), which knows no section.

The weight and the bar are the ones that give the most right answers less twice the
confident wrong ones (from a wrong section or to a question the page does not answer) out
of fold on the tuning questions: a confident wrong answer costs the asker more than an
honest "not covered here". The model, its weight and its bar are data
(``data/question_text.json``), fitted by ``tools/fit_answerability.py --question-text``;
the rule ``question-text`` switches it off.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .answerability import FEATURES, VALUE_KIND_CAP, Evidence, Trees, _finite, confidence, parse_trees
from .compiled import DATA_DIR, cached
from .query import QueryPlan, asking_clause
from .records import FrozenRecord

#: The signal this module adds after :data:`answerability.FEATURES`. Not the words model's
#: probability that the page does not answer: fitted on questions written for the page, it
#: learns how their writers phrase a question the page does not answer ("how many ...?"),
#: and real people's questions do not follow it (eighteenth session: out of fold on the
#: tuning sets' 1,637 real questions, right answers less twice the confident wrong ones 311
#: with it, 331 without; all tuning questions 6,933 and 6,923).
TEXT_FEATURES = ("text_section",)
#: The label of questions the page does not answer, beside the section headings.
OFF_TOPIC = "(off-topic)"
#: Words as scikit-learn's default ``token_pattern`` reads them: two or more word characters.
_WORD = re.compile(r"\b\w\w+\b")
#: A question longer than this is read by its first so many characters (the engine refuses
#: far longer questions before it gets here; a bound keeps the cost bounded anyway).
MAX_CHARS = 4000


def words_read(plan: QueryPlan) -> str:
    """What the words model reads of a question: its asking clause when it tells a story
    first and the engine weighs that story down (the asking clause names what is asked:
    "<my mum was diagnosed 15 years ago ...>, can she still get relapses?"), else all of it.
    A story's words ("mum", "years", "diagnosed") would pull the section towards whatever
    the story mentions; the engine's own ranking still reads them."""
    text = plan.cleaned
    if any(g.story and g.emphasis < 1.0 for g in plan.groups):
        words = asking_clause(plan.cleaned)
        if words:
            text = " ".join(words)
    return _without_manner(text, plan.manner)


def _without_manner(text: str, manner: tuple[str, ...]) -> str:
    """``text`` without the phrases saying how the answer is to be told ("in plain words",
    ``QueryPlan.manner``): words that name no subject must not tell the model which
    section, or none, is asked about."""
    if not manner:
        return text
    for phrase in manner:
        text = re.sub(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def section_key(headings: Iterable[str]) -> str:
    """One section's heading path as one string: how the model names a section."""
    return " > ".join(headings)


#: Between a passage's section key and its place in the section: "... > Steroids #2".
_PLACE = " #"


def passage_keys(headings: Iterable[Iterable[str]]) -> list[str]:
    """Each passage's key, given every passage's heading path in document order: its section
    key and its place among that section's passages, from 1. How the words model names a
    passage: the same text split the same way gets the same keys at every rebuild."""
    seen: Counter[str] = Counter()
    keys = []
    for path in headings:
        section = section_key(path)
        seen[section] += 1
        keys.append(f"{section}{_PLACE}{seen[section]}")
    return keys


def section_of(passage: str) -> str:
    """The section key of a passage key."""
    return passage.rsplit(_PLACE, 1)[0]


def section_probabilities(probabilities: dict[str, float]) -> dict[str, float]:
    """Each section's probability: the sum of its passages' (off-topic left out)."""
    out: dict[str, float] = {}
    for key, p in probabilities.items():
        if key != OFF_TOPIC:
            section = section_of(key)
            out[section] = out.get(section, 0.0) + p
    return out


class WordModel(FrozenRecord):
    """Multinomial logistic regression over a question's tf-idf word vector.

    The weights are one flat array of doubles, a word's weights for every class side by
    side: unpickled from the compiled cache as one block of memory, where a dictionary a
    class took about 3 ms of every start."""

    columns: dict[str, int]
    idf: array[float]
    classes: tuple[str, ...]
    #: ``weights[c * len(classes) + k]``: word column ``c``'s weight for class ``k``.
    weights: array[float]
    intercept: tuple[float, ...]

    __slots__ = _fields = ("columns", "idf", "classes", "weights", "intercept")

    def __init__(self, columns: dict[str, int], idf: array[float], classes: tuple[str, ...],
                 weights: array[float], intercept: tuple[float, ...]) -> None:
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "idf", idf)
        object.__setattr__(self, "classes", classes)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "intercept", intercept)

    def vector(self, question: str) -> dict[int, float]:
        """The question's tf-idf vector: sublinear counts (1 + ln n) times idf, unit length."""
        counts = Counter(self.columns[w] for w in _WORD.findall(question[:MAX_CHARS].lower())
                         if w in self.columns)
        x = {c: (1.0 + math.log(n)) * self.idf[c] for c, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in x.values()))
        return {c: v / norm for c, v in x.items()} if norm else {}

    def probabilities(self, question: str) -> dict[str, float]:
        """Each class's probability for ``question`` (softmax of the classes' scores)."""
        width, weights = len(self.classes), self.weights
        scores = list(self.intercept)
        for c, v in self.vector(question).items():
            base = c * width
            for k in range(width):
                scores[k] += weights[base + k] * v
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {k: e / total for k, e in zip(self.classes, exps)}


class TextDecision(FrozenRecord):
    """The words model, how much it weighs in the order of the best passages, the trees over
    all fifteen signals, the bar and the corpus they know."""

    words: WordModel
    #: A passage's place: its score as a share of the best one's, plus ``weight`` times the
    #: words model's probability of its section and of itself.
    weight: float
    #: How many of the engine's best passages the words model may reorder.
    depth: int
    trees: Trees
    bar: float
    #: The keys of the passages it was fitted on (:func:`passage_keys`).
    passages: frozenset[str]
    fitted: dict[str, Any]

    __slots__ = _fields = ("words", "weight", "depth", "trees", "bar", "passages", "fitted")

    def __init__(self, words: WordModel, weight: float, depth: int, trees: Trees, bar: float,
                 passages: frozenset[str], fitted: dict[str, Any]) -> None:
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "trees", trees)
        object.__setattr__(self, "bar", bar)
        object.__setattr__(self, "passages", passages)
        object.__setattr__(self, "fitted", fitted)

    @property
    def sections(self) -> frozenset[str]:
        """The keys of the sections it was fitted on."""
        return frozenset(section_of(p) for p in self.passages)

    def applies_to(self, passages: Iterable[str]) -> bool:
        """True when an index holds exactly the passages (keys) the model was fitted on."""
        return frozenset(passages) == self.passages

    @staticmethod
    def signals(probabilities: dict[str, float], top_passage: str | None) -> tuple[float]:
        """``text_section`` for a question whose best passage is ``top_passage`` (a passage
        key; None: no passage): the probability of its section."""
        if top_passage is None:
            return (0.0,)
        return (section_probabilities(probabilities).get(section_of(top_passage), 0.0),)

    def probability(self, evidence: Evidence, probabilities: dict[str, float],
                    top_passage: str | None) -> float:
        """The probability that the first result answers the question."""
        return confidence(evidence.vector() + list(self.signals(probabilities, top_passage)),
                          self.trees.log_odds)


#: Kinds of answer the words model cannot tell are missing, beside ``answerability``'s
#: value kinds: a place ("where can I have HSCT abroad?"), whether a treatment is safe ("is
#: Mayzent dangerous?"). A passage that gives none does not answer, however surely the
#: words point at its section.
KINDS_NOT_SAID = frozenset({"place", "safety"})


def capped_for_kind_not_said(confidence: float, evidence: Evidence, expects: str | None,
                             only_the_class: bool = False) -> float:
    """``confidence``, capped at :data:`answerability.VALUE_KIND_CAP` when the question asks
    for a kind of answer (:data:`KINDS_NOT_SAID`, or the name of a medicine while the thing
    asked about is not in the passage either: "what steroids are given ...?" against "treated
    with steroids") that the best passage does not give (its ``kind`` evidence is 0).
    ``only_the_class``: the question asks which member of a class of medicine ("which
    steroid ...?") and the passage says the class itself but names no member: "treated with
    steroids" does not say which steroid. ("What drugs treat relapses?" is answered by it:
    the passage does not say "drugs", it names the steroids that are the answer.)

    Why with this decision only: the model that knows no section weighs ``kind`` and
    ``focus`` itself; the trees of this decision let a sure section outvote them. Out of fold
    on the tuning questions, each cap cost one right answer (eighteenth session).
    """
    if evidence.kind == 0.0 and (expects in KINDS_NOT_SAID or only_the_class
                                 or (expects == "drug" and evidence.focus == 0.0)):
        return min(confidence, VALUE_KIND_CAP)
    return confidence


#: The least probability the words model gives a passage for it to join the candidates that
#: the engine ranked lower (rule "words-favourites"): at least half, so at most one passage,
#: the one the model is surer of than of all else together, off-topic included.
WORDS_FAVOURITE = 0.5


def words_favourites(probabilities: dict[str, float], have: Iterable[str]) -> frozenset[str]:
    """The passages the words model is sure of (:data:`WORDS_FAVOURITE`) not in ``have``.

    Why: the engine's first passages are those saying most of the question's words; a
    question worded unlike its answer ("is there something worse it can turn into?" for
    "There's no other type of MS that comes after ...") can leave out the passage the words
    model names with certainty, and the fusion (:func:`fused_order`) then never sees it."""
    held = set(have)
    return frozenset(k for k, p in probabilities.items()
                     if p >= WORDS_FAVOURITE and k != OFF_TOPIC and k not in held)


#: A favourite that holds nothing the question asks besides the page's own subject joins
#: only when the words model gives it at least this much (rule "words-sure") ...
WORDS_SURE = 0.9
#: ... and the engine's own best passage holds less than this share of the question's
#: weight (its ``coverage``): the engine has found no passage saying the question either.
ENGINE_UNSURE = 0.5


def favourite_joins(probability: float, holds_a_thing_asked: bool, engine_coverage: float,
                    sure: bool = True) -> bool:
    """Whether a favourite of the words model (:func:`words_favourites`) joins the candidates.

    One that holds something asked besides the page's own subject always does. One that
    shares only the subject with the question ("who can I talk to about my SPMS?" and the
    passage on the MS Helpline share "SPMS") is the words model's choice alone: it joins
    when the model is near certain (:data:`WORDS_SURE`) and the engine found nothing better
    (:data:`ENGINE_UNSURE`), with rule ``sure`` ("words-sure"). Where the engine's best
    passage says most of the question, the words model's certainty is not let outvote it:
    "can the doctors give my wife anything for her SPMS?" is near certain (0.92) for the
    steroids given for a relapse, from the word "give", while the engine's best passage holds
    0.79 of the question.
    """
    return holds_a_thing_asked or (sure and probability >= WORDS_SURE
                                   and engine_coverage < ENGINE_UNSURE)


def fused_order(scores: list[float], passages: list[str], probabilities: dict[str, float],
                weight: float) -> list[int]:
    """Indices of passages (best first, with their ``scores`` and passage keys) in the order
    of score share plus ``weight`` x (the probability of the passage's section + its own):
    the engine knows which passage says most of the question's words, the words model which
    section questions so worded are answered by and which of its passages holds the answer.
    Ties keep the engine's order."""
    if not scores or scores[0] <= 0:
        return list(range(len(scores)))
    best = scores[0]
    by_section = section_probabilities(probabilities)
    place = [s / best + weight * (by_section.get(section_of(k), 0.0) + probabilities.get(k, 0.0))
             for s, k in zip(scores, passages)]
    return sorted(range(len(scores)), key=lambda i: (-place[i], i))


def _words_model(data: Any) -> WordModel:
    if not isinstance(data, dict):
        raise ValueError("the words model is not a JSON object")
    vocabulary = data.get("vocabulary")
    if not isinstance(vocabulary, list) or not all(isinstance(w, str) for w in vocabulary):
        raise ValueError("the words model's vocabulary is not a list of words")
    idf = tuple(_finite(v, "an idf") for v in data.get("idf") or [])
    classes = data.get("classes")
    coef = data.get("coef")
    intercept = tuple(_finite(v, "an intercept") for v in data.get("intercept") or [])
    if len(idf) != len(vocabulary):
        raise ValueError("the words model has not one idf a word")
    if (not isinstance(classes, list) or OFF_TOPIC not in classes or not isinstance(coef, list)
            or len(coef) != len(classes) or len(intercept) != len(classes)):
        raise ValueError("the words model has not one weight row and intercept a class")
    weights = array("d", bytes(8 * len(vocabulary) * len(classes)))
    for k, row in enumerate(coef):
        if not isinstance(row, list) or len(row) != len(vocabulary):
            raise ValueError("a weight row has not one weight a word")
        for c, v in enumerate(row):
            weights[c * len(classes) + k] = _finite(v, "a weight")
    return WordModel({w: i for i, w in enumerate(vocabulary)}, array("d", idf), tuple(map(str, classes)),
                     weights, intercept)


def parse_decision(text: str) -> TextDecision:
    """The decision in a ``question_text.json`` file's text; ValueError when it is none."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a question-text file holds one JSON object")
    features = list(FEATURES) + list(TEXT_FEATURES)
    if data.get("features") != features:
        raise ValueError(f"the decision's features {data.get('features')} are not {features}")
    bar = _finite(data.get("bar"), "the bar")
    if not 0.0 < bar < 1.0:
        raise ValueError(f"the bar {bar} is not a probability between 0 and 1")
    passages = data.get("passages")
    if not isinstance(passages, list) or not passages or not all(isinstance(p, str) for p in passages):
        raise ValueError("the decision names no passages")
    fitted = data.get("fitted") or {}
    if not isinstance(fitted, dict):
        raise ValueError("the decision's fitted record is not a JSON object")
    weight = _finite(data.get("weight"), "the weight")
    depth = data.get("depth")
    if not 0.0 <= weight <= 100.0 or type(depth) is not int or not 1 <= depth <= 50:
        raise ValueError("the decision's weight or depth is out of range")
    words = _words_model(data.get("words"))
    if not set(words.classes) <= set(passages) | {OFF_TOPIC}:
        raise ValueError("the words model names passages the decision does not")
    return TextDecision(words, weight, depth,
                        parse_trees(data.get("trees"), len(features)), bar, frozenset(passages), fitted)


@lru_cache(maxsize=1)
def load_decision() -> TextDecision | None:
    """The bundled decision (``data/question_text.json``), None when there is none; from
    the compiled cache when made from the same file by the same parser."""
    path = DATA_DIR / "question_text.json"
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        source = Path(__file__).read_bytes()
    except OSError:
        source = b"(no source)"
    inputs = [("data question_text.json", text), ("source questiontext.py", source)]
    return cached(inputs, lambda: parse_decision(text.decode("utf-8")), TextDecision)
