"""The compact word tables find every listed word, and only those, however they search."""

from __future__ import annotations

import pickle
import random

from spms_search import wordtable
from spms_search.wordtable import FloatTable, SortedWords


def _probes(words: list[str], rng: random.Random) -> list[str]:
    """Listed words, and unlisted ones before, between and after them."""
    probes = list(words)
    for w in rng.sample(words, 200):
        probes += [w + "a", w[:-1], "0" + w, w + "\uffff"]
    return [*probes, "", "0", "\uffff" * 3]


def test_a_table_finds_the_same_places_before_and_after_it_splits_its_words():
    # find() searches the packed string for its first SPLIT_AFTER look-ups, then a list
    # split from it: every word is found at its place in sorted order, an unlisted one
    # nowhere, on either side of the switch
    rng = random.Random(3)
    words = sorted({"".join(rng.choice("abcdefgh") for _ in range(rng.randrange(1, 9))) for _ in range(3000)})
    probes = _probes(words, rng)
    rng.shuffle(probes)
    table = SortedWords(words)
    places = {w: i for i, w in enumerate(words)}
    assert len(probes) > 10 * wordtable.SPLIT_AFTER
    for n, probe in enumerate(probes):
        assert table.find(probe) == places.get(probe, -1), probe
        assert (table._list is not None) == (n >= wordtable.SPLIT_AFTER)
    assert table.words() == words


def test_a_pickled_table_carries_only_its_packed_words():
    # a table is kept in the compiled cache and with the index: the list a search made
    # is not written with it, and the copy finds the same words
    words = [f"w{i:05d}" for i in range(2000)]
    table = FloatTable({w: float(i) for i, w in enumerate(words)})
    for w in words:
        assert table.get(w) is not None
    assert table.keys._list is not None
    copy = pickle.loads(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy.keys._list is None and "_list" not in copy.keys.__dict__
    assert [copy.get(w) for w in words] == [float(i) for i in range(len(words))]
    assert copy.get("w") is None and copy.get("x") is None
    fresh = FloatTable({w: float(i) for i, w in enumerate(words)})
    assert pickle.dumps(table) == pickle.dumps(fresh)
