"""Analysis: the word forms a question and a passage must share to meet."""

from __future__ import annotations

import pytest

from spms_search.analysis import terms
from spms_search.vocabulary import parse_vocabulary


@pytest.mark.parametrize("asked,written", [
    ("getting worse", "get worse"),          # Whoosh's Porter left "getting" as "gett"
    ("how long does it take", "it took 20 years"),
    ("recovering fully", "a full recovery"),
    ("progressing slowly", "slow progression"),
    ("symptoms steadily worse", "steady worsening"),
    ("my feet", "unsteadiness on your foot"),
    ("legs getting weaker", "muscle weakness"),
])
def test_a_word_meets_its_other_forms(asked, written):
    assert set(terms(asked)) & set(terms(written)) - {"symptom", "wors", "worsen"}


@pytest.mark.parametrize("a,b", [("general", "generous"), ("news", "new"), ("early", "ear"),
                                 ("family", "fami"), ("belly", "bell"), ("number", "numb"),
                                 ("no longer", "how long")])
def test_words_that_only_look_alike_stay_apart(a, b):
    assert terms(a) != terms(b)


def test_a_vocabulary_phrase_that_would_collapse_to_one_word_is_refused():
    # "turn into" is indexed as plain "turn": the entry would make every "turn" a synonym
    with pytest.raises(ValueError, match="line 1: 'turn into' reads as the single word"):
        parse_vocabulary("turn into | change into\n")
    assert parse_vocabulary("come off | stop taking\n").expansions
