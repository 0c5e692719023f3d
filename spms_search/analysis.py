"""Text analysis shared by the index and the query: tokens, spelling variants, stop words, stems.

One analyzer is used for indexing and for queries, so a word typed by a user meets the
same word in the corpus whatever its case, its apostrophe (straight or curly), its
possessive ``'s``, its British or American spelling, or its inflection (Snowball English stems).

Two stop lists:

* :data:`INDEX_STOP_WORDS` - function words that carry no subject (articles, pronouns,
  auxiliaries, prepositions). Removed at index and query time.
* :data:`QUESTION_WORDS` - the scaffolding of a question ("what", "how", "tell me",
  "is there", "please"). Removed from queries only, and never inside "quoted phrases".
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
)

from .wordtable import StringTable

#: Bumped whenever analysis changes in a way that changes indexed terms.
ANALYSIS_VERSION = 15

TOKEN_PATTERN = r"\w+(?:['\u2019\u02bc]\w+)*"

INDEX_STOP_WORDS = frozenset(
    """
    a an the and or but nor so yet if then than as of at by for from in into onto on off to
    up down out over under with within without about above below between through during
    before after again further once here there where when why how what which who whom whose
    this that these those i me my mine myself we us our ours ourselves you your yours
    yourself yourselves he him his himself she her hers herself it its itself they them their
    theirs themselves am is are was were be been being have has had having do does did doing
    would should could ought might must shall will can may i'm it's s t d ll m o re ve y
    just too very own same such both each few more most other some any all no not only
    also ever
    isnt dont cant wont doesnt didnt arent wasnt werent havent hasnt hadnt couldnt shouldnt
    wouldnt mustnt im ive id youre youve youd theyre theyve thats whats hows whos wheres
    theres heres lets
    """.split()
) - {"no", "not", "more", "most", "other", "after", "before", "again", "once", "off",
     "all", "few", "over", "down", "out", "up", "about", "still", "same"}

QUESTION_WORDS = frozenset(
    """
    what whats how hows why who whos whom where wheres when which whose
    is are was were be been being do does did doing done can could would should will shall
    might may must i im ive id me my mine myself we our us you your yours it its they them
    their there theres here a an the of to for in on at by with about from into if or and
    please pls plz explain describe know knew wonder wondering want wanted wants
    like need needs anyone someone somebody anybody something anything thing things
    anywhere somewhere besides except aside rationale indicated
    any some much many lot lots kind sort type really actually just also even ever still
    exactly precisely basically simply truly definitely certainly honestly literally probably
    maybe perhaps
    get gets getting got gotten go goes going went possible possibly way ways
    let us hi hello thanks thank because
    vs versus
    mum mom mummy mam dad daddy mother father husband wife hubby son daughter brother sister
    grandma grandad grandmother grandfather aunt uncle cousin boyfriend girlfriend fiance
    friend friends colleague he she him her his hers they them
    ago recently lately currently nowadays now sometime anymore
    said says say told expect expected expecting
    think thinks thought reckon reckons reckoned believe believes believed suppose supposed
    guess guessed suspect suspects suspected mentioned wondered
    u ur r ya wat wot hw abt pls thx shud wud cud coz thot ment hav thru wen tho bcuz bcoz cos
    tbh imo imho fyi btw idk lol omg aka ie eg etc asap
    becuz defo obvs sth smth nvm ty atm dh dw
    """.split()
) - {"still", "after", "more"}

_CONTRACTION_BASES = {"can": "can", "won": "will", "shan": "shall"}


def _fold_apostrophe(word: str) -> str:
    """Possessives and contractions to their base word: ``MS's`` -> ``MS``, ``don't`` -> ``do``."""
    base, _, suffix = word.partition("'")
    low = suffix.lower()
    if low in ("s", ""):
        return base
    if low == "t" and base.lower().endswith("n"):
        return _CONTRACTION_BASES.get(base.lower(), base[:-1])
    if low in ("re", "ve", "ll", "d", "m"):
        return base
    return base + suffix  # names such as O'Brien


class ApostropheFilter(Filter):  # type: ignore[misc]
    """Normalise curly apostrophes, then fold possessives and contractions."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if "\u2019" in text or "\u02bc" in text:
                text = text.replace("\u2019", "'").replace("\u02bc", "'")
            if "'" in text:
                text = _fold_apostrophe(text)
            t.text = text
            yield t


class AccentFoldFilter(Filter):  # type: ignore[misc]
    """Fold accents and compatibility forms (``naïve`` -> ``naive``, full-width letters)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if not text.isascii():
                decomposed = unicodedata.normalize("NFKD", text)
                folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
                text = folded or text
            t.text = text
            yield t


_folded_forms: dict[str, str] | None = None


def install_folded_forms(table: dict[str, str]) -> None:
    """Use ``table`` as :func:`folded_forms` (``compiled.py`` parses or loads it)."""
    global _folded_forms
    _folded_forms = table
    _TOKEN_TERMS.clear()
    _TOKEN_WORDS.clear()
    for lines in _INDEX_LINES.values():
        lines.clear()
    _SPANS.clear()


def folded_forms() -> dict[str, str]:
    """Every word folded before stemming -> its one form.

    ``data/spelling_variants.txt`` (British/American and other spellings of one word) and
    ``data/word_forms.txt`` (irregular forms a stemmer cannot reach: "took" -> "take"),
    parsed once and cached with the other query data (``compiled.py``).
    """
    if _folded_forms is None:
        from .compiled import bundled_tables

        bundled_tables()  # installs the table
    assert _folded_forms is not None
    return _folded_forms


class VariantFilter(Filter):  # type: ignore[misc]
    """Fold spelling variants and irregular word forms to one form."""

    def __init__(self) -> None:
        self.table = folded_forms()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VariantFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        table = self.table
        for t in tokens:
            t.text = table.get(t.text, t.text)
            yield t


def _stop_filter() -> StopFilter:
    return StopFilter(stoplist=INDEX_STOP_WORDS, minsize=1)


def chained_word_analyzer() -> Analyzer:
    """:func:`word_analyzer` as a chain of Whoosh filters: the reference it must equal.

    Indexes built before the one-pass analyzer carry this chain in their pickled schema,
    so its classes stay importable.
    """
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | ApostropheFilter()
        | LowercaseFilter()
        | AccentFoldFilter()
        | VariantFilter()
        | _stop_filter()
    )


class OnePassAnalyzer(Analyzer):  # type: ignore[misc]
    """The filter chain of :func:`chained_word_analyzer` (then stems, when ``stemmed``) in one loop.

    Whoosh's chain passes every token through six generators; building an index analyses
    every passage, its headings and its whole section, so the chain dominated a build's
    analysis. This yields exactly the same tokens (texts, positions renumbered past stop
    words as ``StopFilter`` does, character spans, stopped flags); a property test holds
    the two equal for every option a Whoosh field passes.
    """

    def __init__(self, stemmed: bool) -> None:
        self.stemmed = stemmed

    def __repr__(self) -> str:
        return f"OnePassAnalyzer(stemmed={self.stemmed})"

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not text")
        folded = folded_forms()
        stemmed = self.stemmed
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans: Iterator[tuple[str, int, int]]
        if tokenize:
            spans = ((m.group(0), m.start(), m.end()) for m in _RAW_WORD_RE.finditer(value))
        else:
            spans = iter([(value, 0, len(value))])
        renumbered: int | None = None
        for n, (raw, start, end) in enumerate(spans):
            t.boost = 1.0
            if keeporiginal or not tokenize:
                t.original = raw
            if positions:
                t.pos = start_pos + n
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            word = _normalise(raw, folded)
            if word and word not in INDEX_STOP_WORDS:
                if positions:  # StopFilter(renumber=True): kept tokens numbered one after another
                    renumbered = t.pos if renumbered is None else renumbered + 1
                    t.pos = renumbered
                t.stopped = False
            elif removestops:
                continue
            else:
                t.stopped = True
            t.text = stem(word) if stemmed else word
            yield t


def word_analyzer() -> Analyzer:
    """Unstemmed words (case, apostrophes, accents and variants folded): spelling field."""
    return OnePassAnalyzer(stemmed=False)


class EnglishStemFilter(Filter):  # type: ignore[misc]
    """Snowball English ("Porter2") stems through the cached :func:`stem`.

    Whoosh's default Porter stemmer leaves "getting" as "gett" (so it never meets "get")
    and folds "general" with "generous" and "news" with "new"; Snowball English, which
    Whoosh also ships, does neither.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnglishStemFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = stem(t.text)
            yield t


def text_analyzer() -> Analyzer:
    """The indexing and query analyzer: :func:`word_analyzer` followed by stemming."""
    return OnePassAnalyzer(stemmed=True)


def chained_text_analyzer() -> Analyzer:
    """:func:`text_analyzer` as a chain of Whoosh filters: the reference it must equal."""
    return chained_word_analyzer() | EnglishStemFilter()


#: Whoosh's Snowball English stemmer, made on first use: importing it loads the Snowball
#: package's fourteen languages (about 6 ms), and most questions meet only words whose stems
#: were computed ahead (the compiled table, the stems kept with the index).
_STEMMER: Any = None
#: Words ending in "ly" that are not an adverb of the word before it.
_NOT_ADVERBS = frozenset({"barfly", "crawly", "pimply"})


def _adverb_base(word: str) -> str | None:
    """The adjective an "-ly" adverb comes from, when Snowball leaves it unstemmed.

    Snowball stems "rapidly" to "rapid" but leaves "slowly", "steadily" and "easily" as
    "slowli", "steadili", "easili", so "progresses slowly" never met "slow progression".
    Like the Krovetz stemmer, the cut is only made when a dictionary (the English word
    list) knows the base: "early" and "family" stay as they are.
    """
    if len(word) < 5 or not word.endswith("ly") or word in _NOT_ADVERBS:
        return None
    from .english import is_english_word

    candidates = [word[:-3] + "y"] if word.endswith("ily") else []
    candidates.append(word[:-2])
    for base in candidates:
        if len(base) >= 4 and is_english_word(base):
            return base
    return None


_RAW_WORD_RE = re.compile(TOKEN_PATTERN)


def _normalise(token: str, folded: dict[str, str]) -> str:
    """One token as :func:`word_analyzer` leaves it, before its stop list.

    Apostrophes, case, accents and variants, in the analyzer's order; written out because
    a plain loop is several times faster than Whoosh's chain of token generators, and the
    query path analyses every sentence of the best passages (a test holds the two equal).
    """
    word = token.replace("\u2019", "'").replace("\u02bc", "'")
    if "'" in word:
        word = _fold_apostrophe(word)
    word = word.lower()
    if not word.isascii():
        word = "".join(
            ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
        ) or word
    return folded.get(word, word)


def words(text: str) -> list[str]:
    """Normalised words of ``text`` (no stemming), stop words removed: :func:`word_analyzer`."""
    folded = folded_forms()
    out = []
    for match in _RAW_WORD_RE.finditer(text):
        word = _normalise(match.group(0), folded)
        if word and word not in INDEX_STOP_WORDS:
            out.append(word)
    return out


_stems: StringTable | None = None
_corpus_stems: StringTable | None = None


def install_stems(table: StringTable) -> None:
    """Use ``table`` for the stems it holds (``compiled.py`` computes or loads it)."""
    global _stems
    _stems = table
    _TOKEN_TERMS.clear()
    for lines in _INDEX_LINES.values():
        lines.clear()
    _SPANS.clear()


def install_corpus_stems(table: StringTable | None) -> None:
    """Also use ``table``, the stems of an index's own words (``index.read_corpus_stems``).

    Every stem it holds was computed by :func:`compute_stem` with the code and data this
    process has (the index checks that before handing it over), so a word finds the same
    stem with or without it: the table only spares importing the stemmer.
    """
    global _corpus_stems
    _corpus_stems = table


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index form of one already-normalised word (cached: stemming is the hot path).

    Words of the vocabulary and common English words were stemmed once, when the query data
    was compiled (``compiled.py``), and the words of the corpus when its index was built;
    others are stemmed here.
    """
    if _stems is not None:
        found = _stems.get(word)
        if found is not None:
            return found
    if _corpus_stems is not None:
        found = _corpus_stems.get(word)
        if found is not None:
            return found
    return compute_stem(word)


def _snowball(word: str) -> str:
    global _STEMMER
    if _STEMMER is None:
        from whoosh.lang.snowball.english import EnglishStemmer

        _STEMMER = EnglishStemmer()
    return str(_STEMMER.stem(word))


#: Words the English stemmer cuts to a word of another meaning, each kept as a stem of its
#: own: "fasting" (going without food) is not "fast" (quick), or "can fasting help SPMS?"
#: would meet "how fast your symptoms get worse". The stemmer cuts "-ful" whatever the
#: word became: "useful" (of benefit) is not "use", "used" or "using" (to use something,
#: or "used to"), and "careful" (cautious) is not "care" (looking after someone), so a
#: question about the drugs used for MS, or about care, does not meet a sentence saying
#: what is useful, or what to be careful of. Other cuts that meet a word of another meaning:
#: "several" (a few) is not "severe"; "likely" and "unlikely" (probable or not) are not
#: "like" and "unlike"; "evening" is not "even"; "hardly" (barely) is not "hard"; "informal"
#: (carers) is not "information"; "wonderful" is not "wonder"; "affection" is not
#: "affected"; "nursing" is most often a nursing home, not the MS nurse (an "MS nursing
#: service" no longer meets "MS nurse": the price of keeping care homes apart); "dating"
#: (romance) is not "up to date"; "fasted" is "fasting"; "findings" (what a scan showed) is
#: not "find". ("manager" stays "manage": a care manager manages care.)
OWN_STEMS = {"fasting": "fasting", "fasted": "fasting", "useful": "useful", "usefully": "useful",
             "usefulness": "useful", "careful": "careful", "carefully": "careful",
             "several": "several", "likely": "likely", "unlikely": "unlikely", "evening": "evening",
             "evenings": "evening", "hardly": "hardly", "informal": "informal",
             "informally": "informal", "wonderful": "wonderful", "affection": "affection",
             "nursing": "nursing", "dating": "dating", "findings": "findings",
             # the verb "make worse" is no exacerbation (a relapse): "does heat exacerbate it?"
             "exacerbate": "exacerbate", "exacerbates": "exacerbate",
             "exacerbated": "exacerbate", "exacerbating": "exacerbate",
             # words whose Snowball stem is that of a word of another meaning (the eleventh
             # review): "medical" is no medication, "conversation" no conversion, "well" no
             # wellness, "exhausted (the options)" no exhaustion, "investigations" (tests)
             # not investigational drugs, an ambulance no ambulation, a body image no
             # imaging, "assisted" no assistance, "forgot (a dose)" no forgetfulness,
             # "independent" (impartial) no independence
             "medication": "medication", "medications": "medication",
             "conversion": "conversion", "conversions": "conversion",
             "wellness": "wellness", "exhaustion": "exhaustion",
             "investigational": "investigational", "ambulation": "ambulation",
             "imaging": "imaging", "neuroimaging": "neuroimaging", "assistance": "assistance",
             "forgetful": "forgetful", "forgetfulness": "forgetful",
             "independent": "independent", "independently": "independent",
             # the twelfth review: "granted (a licence, approval)" is no grant (money)
             "granted": "granted"}


def compute_stem(word: str) -> str:
    """Snowball English stem of ``word``, with "-ly" adverbs cut to a known adjective and
    the words of :data:`OWN_STEMS` kept apart from the word the stemmer would make them."""
    own = OWN_STEMS.get(word)
    if own is not None:
        return own
    stemmed = _snowball(word)
    if stemmed.endswith("li"):
        base = _adverb_base(word)
        if base is not None:
            return _snowball(base)
    return stemmed


#: Raw token -> its index term, or None for a stop word. The query path analyses the same
#: words again and again (every sentence of the best passages, the highlights of every
#: result: at 100 results, most of a question's time went to normalising and stemming
#: tokens already seen), and a token's term depends only on the tables installed, so it is
#: remembered; installing a table forgets it.
_TOKEN_TERMS: dict[str, str | None] = {}
#: Most remembered tokens (a long-running server meets many).
TOKEN_TERMS_LIMIT = 200_000
_UNSEEN = object()


def _token_term(token: str) -> str | None:
    """The index term of one raw token (None for a stop word): what :func:`terms` keeps."""
    word = _normalise(token, folded_forms())
    term = stem(word) if word and word not in INDEX_STOP_WORDS else None
    if len(_TOKEN_TERMS) >= TOKEN_TERMS_LIMIT:
        _TOKEN_TERMS.clear()
    _TOKEN_TERMS[token] = term
    return term


#: Raw token -> its normalised word, or None for a stop word: :func:`_token_term` before
#: stemming, for the unstemmed field a build indexes (``spell``).
_TOKEN_WORDS: dict[str, str | None] = {}


def _token_word(token: str) -> str | None:
    """The normalised word of one raw token (None for a stop word), remembered."""
    word = _normalise(token, folded_forms())
    found = word if word and word not in INDEX_STOP_WORDS else None
    if len(_TOKEN_WORDS) >= TOKEN_TERMS_LIMIT:
        _TOKEN_WORDS.clear()
    _TOKEN_WORDS[token] = found
    return found


#: Line -> (its kept words, index of the first kept token or -1, its number of tokens), for
#: stemmed (``True``) and unstemmed words: :func:`indexed_words`.
_INDEX_LINES: dict[bool, dict[str, tuple[list[str], int, int]]] = {True: {}, False: {}}
#: Most lines remembered (each analysed once per build while it stays).
INDEX_LINES_LIMIT = 50_000


def indexed_words(text: str, stemmed: bool) -> tuple[list[str], int]:
    """What :class:`OnePassAnalyzer` (``stemmed`` or not) indexes of ``text``: the kept
    words in order, and the position of the first (the rest follow it one by one, as
    ``StopFilter(renumber=True)`` numbers them; 0 when none is kept).

    A build indexes the same text in several fields and passages: a passage's text in
    ``body``, ``spell`` and the ``context`` of every passage of its section, its headings
    in ``heading``, ``parents``, ``context`` and ``spell``. No token spans a line break, so
    ``text`` is analysed line by line and each line's words remembered: a line is analysed
    once, not once per field and passage (a test holds this equal to the analyzer).
    """
    lines = _INDEX_LINES[stemmed]
    if "\n" not in text:
        found = lines.get(text)
        if found is None:
            found = _index_line(text, stemmed, lines)
        return found[0], max(found[1], 0)
    out: list[str] = []
    first = -1
    before = 0  # tokens before the line
    for line in text.split("\n"):
        found = lines.get(line)
        if found is None:
            found = _index_line(line, stemmed, lines)
        kept, at, count = found
        if first < 0 and at >= 0:
            first = before + at
        out += kept
        before += count
    return out, max(first, 0)


def _index_line(line: str, stemmed: bool,
                lines: dict[str, tuple[list[str], int, int]]) -> tuple[list[str], int, int]:
    """One line's kept words (see :func:`indexed_words`), each token's found through the
    remembered tokens (:data:`_TOKEN_TERMS`, :data:`_TOKEN_WORDS`): a corpus says the
    same words again and again, and normalising each time was most of the analysis."""
    kept: list[str] = []
    first = -1
    tokens = _RAW_WORD_RE.findall(line)
    known = _TOKEN_TERMS if stemmed else _TOKEN_WORDS
    find = _token_term if stemmed else _token_word
    for n, token in enumerate(tokens):
        found = known.get(token, _UNSEEN)
        if found is _UNSEEN:
            found = find(token)
        if found is not None:
            if first < 0:
                first = n
            kept.append(found)  # type: ignore[arg-type]
    if len(lines) >= INDEX_LINES_LIMIT:
        lines.clear()
    found = lines[line] = (kept, first, len(tokens))
    return found


def terms(text: str) -> list[str]:
    """Index terms of ``text``: normalised, stop words removed, stemmed."""
    known = _TOKEN_TERMS
    out = []
    for token in _RAW_WORD_RE.findall(text):
        term = known.get(token, _UNSEEN)
        if term is _UNSEEN:
            term = _token_term(token)
        if term is not None:
            out.append(term)
    return out  # type: ignore[return-value]


#: Text -> its word spans (terms, starts, ends), for the texts most recently highlighted:
#: every result's passage is highlighted, the same passages answer many questions, and
#: finding the words of a passage again cost more than the rest of building its result.
_SPANS: dict[str, tuple[tuple[str, ...], array[int], array[int]]] = {}
#: Most remembered texts (each holds its words' terms and two small arrays of offsets).
SPANS_LIMIT = 2048


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """(stemmed term, start, end) for each non-stop word of ``text``: used for highlighting."""
    return list(zip(*_remembered_spans(text), strict=True))


def _remembered_spans(text: str) -> tuple[tuple[str, ...], array[int], array[int]]:
    found = _SPANS.get(text)
    if found is None:
        found = _find_spans(text)
        if len(_SPANS) >= SPANS_LIMIT:
            _SPANS.clear()
        _SPANS[text] = found
    return found


def matched_spans(text: str, matched: AbstractSet[str], start: int = 0,
                  end: int | None = None) -> list[tuple[int, int]]:
    """Spans, counted from ``start``, of the words of ``text[start:end]`` whose term is in
    ``matched``: what highlighting that cut of the text marks.

    A result's answer is a cut of its passage, and answers differ from question to
    question: remembering each would push the passages out. The passage's remembered words
    give the cut's words exactly wherever no word runs across ``start`` or ``end``.
    """
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text) or _splits_a_word(text, start) or _splits_a_word(text, end):
        return [(s, e) for term, s, e in word_spans(text[start:end]) if term in matched]
    found, starts, ends = _remembered_spans(text)
    first, last = bisect_left(starts, start), bisect_right(ends, end)  # words inside the cut
    return [(starts[i] - start, ends[i] - start) for i in range(first, last) if found[i] in matched]


_WORD_CHAR_RE = re.compile(r"\w")
_APOSTROPHES = "'\u2019\u02bc"


def _splits_a_word(text: str, at: int) -> bool:
    """True when one match of :data:`TOKEN_PATTERN` in ``text`` holds both ``text[at - 1]``
    and ``text[at]``: two word characters, or a word character and an apostrophe with a
    word character on its other side."""
    if at <= 0 or at >= len(text):
        return False

    def word(i: int) -> bool:
        return 0 <= i < len(text) and _WORD_CHAR_RE.match(text, i) is not None

    before, after = text[at - 1], text[at]
    if word(at - 1):
        return word(at) or (after in _APOSTROPHES and word(at + 1))
    return before in _APOSTROPHES and word(at) and word(at - 2)


def _find_spans(text: str) -> tuple[tuple[str, ...], array[int], array[int]]:
    known = _TOKEN_TERMS
    found: list[str] = []
    starts, ends = array("I"), array("I")
    for match in _RAW_WORD_RE.finditer(text):
        token = match.group(0)
        term = known.get(token, _UNSEEN)
        if term is _UNSEEN:
            term = _token_term(token)
        if term is not None:
            found.append(term)  # type: ignore[arg-type]
            starts.append(match.start())
            ends.append(match.end())
    return tuple(found), starts, ends


def raw_words(text: str) -> list[str]:
    """Lower-cased words with apostrophes folded but stop words kept (for query parsing)."""
    folded = folded_forms()
    return [_normalise(match.group(0), folded) for match in _RAW_WORD_RE.finditer(text)]
