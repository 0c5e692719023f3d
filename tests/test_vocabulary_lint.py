"""The data files are reviewed for truth (docs/vocabulary.md); these checks catch by machine
what a review can miss: entries that merge after analysis, antonyms entered as synonyms or
broader terms, lines that point at one phrase of the bundled page, and word forms whose
everyday meanings are not all that inflection."""

from __future__ import annotations

from collections import defaultdict
from importlib import resources

import pytest

from spms_search.analysis import raw_words, terms
from spms_search.vocabulary import parse_vocabulary

from .conftest import CORPUS

DATA = resources.files("spms_search").joinpath("data")


def _lines(name: str) -> list[tuple[int, str]]:
    text = DATA.joinpath(name).read_text("utf-8")
    return [(n, line.split("#", 1)[0].strip()) for n, line in enumerate(text.splitlines(), 1)
            if line.split("#", 1)[0].strip()]


def _entries() -> list[tuple[int, str, list[str], list[str]]]:
    """(line, kind, sources, targets) of every vocabulary line: kind is '|' or '=>'."""
    out = []
    for n, line in _lines("vocabulary.txt"):
        if "=>" in line:
            left, _, right = line.partition("=>")
            out.append((n, "=>", [p.strip() for p in left.split(",") if p.strip()],
                        [p.strip() for p in right.split(",") if p.strip()]))
        else:
            members = [p.strip() for p in line.split("|") if p.strip()]
            out.append((n, "|", members, members))
    return out


def test_the_vocabulary_loads():
    vocab = parse_vocabulary(DATA.joinpath("vocabulary.txt").read_text("utf-8"))
    assert len(vocab.expansions) > 300


def test_no_entry_joins_two_groups_after_analysis():
    """"speaking" in one group and "speak" in another are one index term, so the two groups
    would silently become one ("speech" would mean "ask"); likewise "discontinued" (off the
    market) and "discontinue" (a patient stops a drug)."""
    groups: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for n, kind, sources, _ in _entries():
        if kind == "|":
            for text in sources:
                groups[tuple(terms(text))].add(n)
    joined = {k: sorted(v) for k, v in groups.items() if len(v) > 1}
    assert not joined, f"one entry in two '|' groups joins them: {joined}"


#: Opposites that must never stand as the same thing or one as a kind of the other.
ANTONYMS = [
    ("same", "different"), ("similar", "different"), ("fast", "slow"), ("quick", "slow"),
    ("permanent", "go away"), ("unrelated", "linked"), ("misdiagnosed", "diagnosed correctly"),
    ("less likely", "likely"), ("rare", "common"), ("worse", "better"), ("worsening", "improve"),
    ("active", "inactive"), ("relapse", "remission"), ("start", "stop"), ("increase", "decrease"),
    ("more", "less"), ("early", "late"), ("strong", "weak"), ("hot", "cold"), ("cure", "treatment"),
    ("gain", "loss"), ("able", "unable"), ("safe", "unsafe"), ("new", "old"), ("before", "after"),
]
_NEGATION_WORDS = ("not ", "non ", "no ")
_NEGATION_PREFIXES = ("un", "in", "non", "dis", "im", "ir")


def _negation_of(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` negated: "not linked", "non active", "unrelated" -> "related"."""
    a, b = " ".join(raw_words(a)), " ".join(raw_words(b))
    return any(a == w + b for w in _NEGATION_WORDS) or any(a == p + b for p in _NEGATION_PREFIXES)


def _opposite(a: str, b: str) -> bool:
    ta, tb = tuple(terms(a)), tuple(terms(b))
    if any({ta, tb} == {tuple(terms(x)), tuple(terms(y))} for x, y in ANTONYMS):
        return True
    return _negation_of(a, b) or _negation_of(b, a)


def test_no_antonym_is_entered_as_a_synonym_or_broader_term():
    found = [(n, s, t) for n, _, sources, targets in _entries()
             for s in sources for t in targets if s != t and _opposite(s, t)]
    assert not found, f"opposites entered as related: {found}"


def _corpus_terms() -> list[str]:
    return terms(" ".join(p.read_text("utf-8") for p in sorted(CORPUS.rglob("*.html"))))


def _occurrences(phrase: tuple[str, ...], words: list[str]) -> int:
    n = len(phrase)
    return sum(1 for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == phrase)


def test_no_broader_term_points_at_a_phrase_found_once_on_the_bundled_page():
    """A target that is no entry of its own and stands once on the page is a pointer at that
    sentence ("lingering", "less mobile"), not a true relation: it answers one question
    about this page and misleads on any other corpus. A target the vocabulary knows as a
    thing of its own ("helpline", "trials") names a concept, however often a page says it."""
    vocab = parse_vocabulary(DATA.joinpath("vocabulary.txt").read_text("utf-8"))
    words = _corpus_terms()
    once = sorted({(n, t) for n, kind, _, targets in _entries() if kind == "=>" for t in targets
                   if tuple(terms(t)) not in vocab.expansions
                   and _occurrences(tuple(terms(t)), words) == 1})
    assert not once, f"targets found only once in the bundled corpus: {once}"


#: Forms whose everyday meanings are not all one inflection ("left" leg, a "felt" hat, a
#: "rose", a bicycle "spoke", "stuck" fast, a "thought", "broke" for out of money, "spent"
#: for exhausted), and spelling pairs that are two different words ("tyre"/"tire": tired).
NOT_ONLY_AN_INFLECTION = {"left", "found", "felt", "rose", "spoke", "stuck", "thought", "broke",
                          "spent", "saw", "lay", "ground", "wound", "fell", "drove", "bore",
                          "worse", "better", "led", "lead", "tire", "tyre", "lie", "lied", "number"}


@pytest.mark.parametrize("name", ["word_forms.txt", "spelling_variants.txt"])
def test_word_forms_are_only_that_inflection_or_spelling(name):
    bad = [(n, line) for n, line in _lines(name)
           if set(line.split()) & NOT_ONLY_AN_INFLECTION]
    assert not bad, f"{name}: forms with another everyday meaning: {bad}"


def test_one_brand_of_a_generic_never_reads_as_another_brand():
    # Extavia was withdrawn in 2022, Betaferon was not; Avonex is weekly, Rebif is not
    from spms_search.vocabulary import load_vocabulary
    vocab = load_vocabulary()
    for brand, other in (("betaferon", "extavia"), ("avonex", "rebif"), ("tysabri", "tyruko"),
                         ("copaxone", "brabio")):
        key = tuple(terms(brand))
        reached = ({e.terms for e in vocab.expansions.get(key, ())}
                   | {e.terms for e in vocab.broader.get(key, ())})
        assert reached, f"{brand} is in the vocabulary"
        assert tuple(terms(other)) not in reached, f"{brand} expands to {other}"


def _reaches(vocab, word: str) -> set[tuple[str, ...]]:
    key = tuple(terms(word))
    return ({e.terms for e in vocab.expansions.get(key, ())} | {e.terms for e in vocab.related(key)})


@pytest.mark.parametrize("word, not_this", [
    ("memory", "concentration"),      # two domains of cognition, not one
    ("tingling", "numbness"),         # an abnormal feeling is not a lost one
    ("blue badge", "financial support"),  # a parking permit is not money
    ("chemotherapy", "hsct"),         # one step of HSCT, not a kind of it
    ("legs", "muscle weakness"),      # a body part is not a symptom
    ("consultant", "gp"),             # a consultant is a specialist, never the GP
    ("give up", "stop taking"),       # "give up work" is no medicine stopped
    ("ms drug", "disease modifying therapy"),  # steroids and symptom drugs are MS drugs too
    ("decline", "worsening"),         # "decline treatment" is to refuse it
    ("relapsing ms", "rrms"),         # the licensing name covers active SPMS too
    ("new drugs", "trials"),          # a newly licensed drug is new too, not experimental
    ("breakthrough", "trials"),       # "breakthrough relapses": activity on a DMT, not research
    ("nurse", "ms nurse"),            # a district or continence nurse is no MS nurse
    ("nerve damage", "nerve loss"),   # the wider lay term is not the same as one kind of it
    ("brain scan", "magnetic resonance imaging"),  # a brain scan may be a CT
    ("jab", "drug"),                  # a flu jab is a vaccine
    ("gilenya", "tascenso"),          # two brands of fingolimod are two products
])
def test_a_word_never_reaches_what_it_is_not(word, not_this):
    from spms_search.vocabulary import load_vocabulary
    assert tuple(terms(not_this)) not in _reaches(load_vocabulary(), word)


def test_a_kind_still_reaches_what_it_is_a_kind_of():
    from spms_search.vocabulary import load_vocabulary
    vocab = load_vocabulary()
    assert tuple(terms("relapsing ms")) in _reaches(vocab, "rrms")
    assert tuple(terms("cognition")) in _reaches(vocab, "memory")
    assert tuple(terms("bowel")) in _reaches(vocab, "constipation")
    assert {tuple(terms("bladder")), tuple(terms("bowel"))} <= _reaches(vocab, "incontinence")
    assert tuple(terms("neurodegeneration")) in _reaches(vocab, "nerve damage")
    assert tuple(terms("mri")) in _reaches(vocab, "brain scan")
    # recovering completely is a full recovery; weak legs point at muscle weakness, the MS
    # team at the healthcare team (each one way: kinds)
    assert tuple(terms("full recovery")) in _reaches(vocab, "recover completely")
    assert tuple(terms("muscle weakness")) in _reaches(vocab, "weak legs")
    assert tuple(terms("healthcare team")) in _reaches(vocab, "ms team")
    assert tuple(terms("weak legs")) not in _reaches(vocab, "muscle weakness")
    # a class never points at one member: interferon is wider than the beta interferons
    assert tuple(terms("interferon")) in _reaches(vocab, "beta interferon")
    assert tuple(terms("beta interferon")) not in _reaches(vocab, "interferon")
    # chatting with other people who have MS is peer support, as talking to them is
    assert tuple(terms("support group")) in _reaches(vocab, "chat to other people")
