"""The query vocabulary: lay words, abbreviations, brand names and professions.

Loaded from ``data/vocabulary.txt`` (a reviewed, human-edited file; its header gives the
format). Each entry is analysed with the index analyzer, so matching works on stems:
"flare-ups" in a question meets the entry "flare up".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from .analysis import raw_words, terms
from .english import is_english_word
from .errors import VocabularyError
from .records import FrozenRecord, Record

VOCABULARY_ENV = "SPMS_SEARCH_VOCABULARY"
#: What the vocabulary calls the classes of medicines (see ``data/vocabulary.txt``).
DRUG_CLASSES = ("disease modifying therapy", "steroids", "symptom medication")
#: The everyday word for any medicine: the classes of :data:`DRUG_CLASSES` are kinds of it.
MEDICINE = "medication"
#: Classes of the people who help whose members a question naming the class reaches
#: (:meth:`Vocabulary.narrower`): "which allied health professionals ...?" is answered by a
#: passage naming a physiotherapist. Not "health professional": everyone who treats or
#: advises is one, so the class would reach nearly every passage and, unmatched, weigh
#: nearly nothing ("can a health professional prescribe HSCT?" answered from the HSCT
#: passage); the vocabulary has no line for it.
PROFESSION_CLASSES = ("allied health professional",)


class Expression(FrozenRecord):
    """One way of saying something: its text as written and its index terms."""

    text: str
    terms: tuple[str, ...]

    __slots__ = _fields = ("text", "terms")

    def __init__(self, text: str, terms: tuple[str, ...]) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "terms", terms)


class Vocabulary(Record):
    """Expressions and what each expands to, with a longest-match lookup."""

    expansions: dict[tuple[str, ...], list[Expression]]
    broader: dict[tuple[str, ...], list[Expression]]
    by_first: dict[str, list[tuple[str, ...]]]
    words: set[str]
    #: Each entry as first written in the file.
    texts: dict[tuple[str, ...], str]

    _fields = ("expansions", "broader", "by_first", "words", "texts")

    def __init__(
        self,
        expansions: dict[tuple[str, ...], list[Expression]] | None = None,
        broader: dict[tuple[str, ...], list[Expression]] | None = None,
        by_first: dict[str, list[tuple[str, ...]]] | None = None,
        words: set[str] | None = None,
        texts: dict[tuple[str, ...], str] | None = None,
    ) -> None:
        self.expansions = {} if expansions is None else expansions
        self.broader = {} if broader is None else broader
        self.by_first = {} if by_first is None else by_first
        self.words = set() if words is None else words
        self.texts = {} if texts is None else texts

    def add(self, source: Expression, targets: Sequence[Expression], *, broader: bool = False) -> None:
        """``source`` means the same as ``targets`` (``a | b``), or a kind of them (``a => b``)."""
        if not source.terms:
            return
        self.texts.setdefault(source.terms, source.text)
        table = self.broader if broader else self.expansions
        known = table.setdefault(source.terms, [])
        self.expansions.setdefault(source.terms, [])  # every source is a known entry
        for target in targets:
            if target.terms and target.terms != source.terms and target not in known:
                known.append(target)
        firsts = self.by_first.setdefault(source.terms[0], [])
        if source.terms not in firsts:
            firsts.append(source.terms)
            firsts.sort(key=len, reverse=True)
        self.words.update(raw_words(source.text))  # folded as questions are: "centre" -> "center"

    def related(self, entry: tuple[str, ...]) -> list[Expression]:
        """What ``entry`` is a kind of, also through its synonyms.

        "Ocrevus" is the same as "ocrelizumab", which is a disease modifying therapy, so
        a question about Ocrevus reaches a page that only says "disease modifying therapy".
        One step only: a second ("research" => "tested", and "test" => "diagnosis")
        follows a word into another of its senses.
        """
        out: list[Expression] = []
        same_terms = self._same(entry)
        seen = set(same_terms)
        for same in same_terms:
            for target in self.broader.get(same, []):
                if target.terms not in seen:
                    seen.add(target.terms)
                    out.append(target)
        return out

    def narrower(self, entry: tuple[str, ...]) -> list[Expression]:
        """The entries that are a kind of ``entry`` or of one of its synonyms (cached).

        The mirror of :meth:`related`, for medicines and the people who help only:
        "disease modifying therapy" reaches "siponimod" and "Mayzent", "interferon beta 1b"
        its brand "Extavia", "drug" the classes of medicine, and "allied health
        professional" the physiotherapist (:data:`PROFESSION_CLASSES`; the person, not
        "physiotherapy", the treatment, which shares the physiotherapist's synonym group).
        A passage naming one member of a class answers a question about the class ("is
        there a drug for active SPMS?" is answered by "one disease modifying therapy ...
        its name is siponimod").
        Those classes only, because ``a => b`` also points a lay word at a concept
        ("attack" => "relapse"), and the reverse of that is not true (an immune attack is
        not a relapse). One step only, as for :meth:`related`.
        """
        table: dict[tuple[str, ...], list[Expression]] | None = self.__dict__.get("_narrower")
        if table is None:
            table = {}
            medicines = self.medicines()
            professions = {same for c in PROFESSION_CLASSES for same in self._same(tuple(terms(c)))}
            classes = {*medicines, *self._same(tuple(terms(MEDICINE))), *professions}
            # a profession's members as their own lines name them ("physiotherapist"), not
            # through their synonyms: "physiotherapy", the treatment, is no profession
            known = set(medicines)
            members = [*medicines, *(e for e in self.expansions if e not in known
                                     and any(t.terms in professions for t in self.broader.get(e, [])))]
            for member in members:
                text = self.texts.get(member, " ".join(member))
                for target in self.related(member):
                    if target.terms not in classes:
                        continue  # "fampridine" => "walking": walking is no kind of medicine
                    kinds = table.setdefault(target.terms, [])
                    if all(e.terms != member for e in kinds):
                        kinds.append(Expression(text, member))
            self.__dict__["_narrower"] = table
        same_terms = self._same(entry)
        out: list[Expression] = []
        seen = set(same_terms)
        for same in same_terms:
            for kind in table.get(same, []):
                if kind.terms not in seen:
                    seen.add(kind.terms)
                    out.append(kind)
        return out

    def _same(self, entry: tuple[str, ...]) -> list[tuple[str, ...]]:
        """``entry`` and every synonym of it (``a | b``)."""
        return [entry, *(e.terms for e in self.expansions.get(entry, []))]

    def medicines(self) -> list[tuple[str, ...]]:
        """Every medicine the vocabulary names and every way of naming a class of them
        (:data:`DRUG_CLASSES` and their synonyms), in file order.

        A medicine is a kind of one of the classes none of whose words is an entry of its
        own that is no medicine nor a wider class a medicine is a kind of: "interferon beta
        1b" is one ("interferon", a class wider than the beta interferons, is a word of
        it), "relapse treatment" (=> "steroids") names what a medicine is for, not a medicine.
        """
        classes = {same for c in DRUG_CLASSES for same in self._same(tuple(terms(c)))}
        kinds = self.kinds_of(*DRUG_CLASSES)
        wider = {same for kind in kinds for target in self.related(kind) for same in self._same(target.terms)}
        known = kinds | classes | wider
        return [
            e for e in self.expansions
            if e in classes or (e in kinds and all((w,) in known or (w,) not in self.expansions for w in e))
        ]

    def kinds_of(self, *targets: str) -> frozenset[tuple[str, ...]]:
        """Every entry that is a kind of one of ``targets`` (as :meth:`related` reaches it).

        ``kinds_of("disease modifying therapy", "steroids")`` names every drug the
        vocabulary knows, brand and generic: a "what drug ...?" question is best
        answered by a sentence that names one.
        """
        wanted = {tuple(terms(t)) for t in targets}
        return frozenset(
            entry for entry in self.expansions
            if entry not in wanted and any(e.terms in wanted for e in self.related(entry))
        )

    def drug_names(self) -> frozenset[tuple[str, ...]]:
        """Index terms of every medicine the vocabulary names, brand or generic (cached).

        A name is an entry that is a kind of a class of medicines (:data:`DRUG_CLASSES`)
        and has a word that is not everyday English: "siponimod", "beta interferon", not
        "MS drug". A "what drug ...?" question is best answered by a sentence naming one.
        """
        cached: frozenset[tuple[str, ...]] | None = self.__dict__.get("_drug_names")
        if cached is None:
            cached = frozenset(
                entry for entry in self.kinds_of(*DRUG_CLASSES)
                if any(len(w) > 3 and not is_english_word(w)
                       for w in self.texts.get(entry, "").lower().replace("-", " ").split())
            )
            self.__dict__["_drug_names"] = cached
        return cached

    def phrases(self) -> list[tuple[str, ...]]:
        """Every entry of two or more words, in file order (cached after the first call)."""
        cached: list[tuple[str, ...]] | None = self.__dict__.get("_phrases")
        if cached is None:
            cached = [e for e in self.expansions if len(e) > 1]
            self.__dict__["_phrases"] = cached
        return cached

    def phrases_with(self, terms: Iterable[str]) -> list[tuple[str, ...]]:
        """The entries of :meth:`phrases` made only of ``terms``, in file order."""
        index: dict[str, list[int]] | None = self.__dict__.get("_phrase_index")
        phrases = self.phrases()
        if index is None:
            index = {}
            for i, entry in enumerate(phrases):
                index.setdefault(entry[0], []).append(i)
            self.__dict__["_phrase_index"] = index
        have = set(terms)
        hits = sorted(i for t in have for i in index.get(t, ()))
        return [phrases[i] for i in hits if all(t in have for t in phrases[i])]

    def match(self, stems: Sequence[str], start: int) -> tuple[str, ...] | None:
        """The longest entry starting at ``stems[start]``, if any."""
        for entry in self.by_first.get(stems[start], ()):
            if tuple(stems[start : start + len(entry)]) == entry:
                return entry
        return None


def _expression(text: str, lineno: int) -> Expression:
    expression = Expression(text.strip(), tuple(terms(text)))
    words = expression.text.replace("-", " ").split()
    if len(words) > 1 and len(expression.terms) == 1:
        # "turn into" is indexed and asked as plain "turn" (stop words are dropped), so
        # such an entry would silently make every "turn" a synonym: say it outright.
        raise ValueError(
            f"vocabulary line {lineno}: {expression.text!r} reads as the single word "
            f"{expression.terms[0]!r} once stop words are dropped; write that word instead"
        )
    return expression


def parse_vocabulary(text: str) -> Vocabulary:
    """Build a :class:`Vocabulary` from the file format described in ``data/vocabulary.txt``."""
    vocab = Vocabulary()
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, _, right = line.partition("=>")
            sources = [_expression(p, lineno) for p in left.split(",") if p.strip()]
            targets = [_expression(p, lineno) for p in right.split(",") if p.strip()]
            if not sources or not targets:
                raise ValueError(f"vocabulary line {lineno}: '=>' needs words on both sides")
            for source in sources:
                vocab.add(source, targets, broader=True)
        else:
            group = [_expression(p, lineno) for p in line.split("|") if p.strip()]
            if len(group) < 2 and "|" in line:
                raise ValueError(f"vocabulary line {lineno}: a '|' group needs two or more entries")
            for member in group:
                vocab.add(member, group)
    return vocab


def precompute(vocab: Vocabulary) -> Vocabulary:
    """Fill the caches of :meth:`Vocabulary.drug_names`, :meth:`Vocabulary.narrower` and
    :meth:`Vocabulary.phrases_with`.

    Done once when the vocabulary is compiled (``compiled.py``), so a question does not
    pay for them; the values are the same as computed on first use.
    """
    vocab.drug_names()
    vocab.narrower(())
    vocab.phrases_with(())
    return vocab


#: The most a vocabulary file may hold (the bundled one is about 20 KB).
MAX_VOCABULARY_BYTES = 4 * 1024 * 1024


def _read_vocabulary_file(path: Path) -> bytes:
    """A vocabulary file's bytes: a regular file of at most MAX_VOCABULARY_BYTES, read once.

    ``/dev/zero``, a FIFO or a runaway file would otherwise be read until memory runs out.
    """
    import stat

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a regular file")
    with path.open("rb") as handle:
        content = handle.read(MAX_VOCABULARY_BYTES + 1)
    if len(content) > MAX_VOCABULARY_BYTES:
        raise ValueError(f"it is larger than {MAX_VOCABULARY_BYTES // (1024 * 1024)} MiB")
    return content


@lru_cache(maxsize=4)
def _load(path: str | None) -> Vocabulary:
    from .compiled import bundled_tables, cached, data_inputs

    tables = bundled_tables()  # the analysis tables an own vocabulary is analysed with
    if path:
        try:
            content = _read_vocabulary_file(Path(path))
            return cached([*data_inputs(), ("vocabulary file", content)],
                          lambda: precompute(parse_vocabulary(content.decode("utf-8"))), Vocabulary)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise VocabularyError(
                f"the vocabulary file {path} (SPMS_SEARCH_VOCABULARY) cannot be used: {err}; "
                "fix the file or unset SPMS_SEARCH_VOCABULARY to use the bundled vocabulary"
            ) from None
    if tables.vocabulary is None:
        raise ValueError(tables.vocabulary_error)
    return tables.vocabulary


def load_vocabulary() -> Vocabulary:
    """The bundled vocabulary, or the file named by ``SPMS_SEARCH_VOCABULARY``.

    Both come from the compiled cache when it matches the files (``compiled.py``).
    """
    return _load(os.environ.get(VOCABULARY_ENV) or None)
