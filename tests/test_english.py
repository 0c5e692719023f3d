"""General English frequencies: everyday words say little, rare words much."""

from __future__ import annotations

from spms_search.english import informativeness, is_english_word, is_everyday, zipf


def test_common_words_are_less_informative_than_rare_ones():
    assert informativeness("said") < informativeness("cost") < informativeness("contagious")
    assert informativeness("contagious") == 1.0
    assert informativeness("xqzvbw") == 1.0  # unknown words are treated as rare
    assert informativeness("15") < 0.5


def test_inflections_take_the_frequency_of_their_base_form():
    assert zipf("helps") == zipf("help")
    assert is_everyday("helps") and is_everyday("money")
    assert not is_everyday("relapse") and not is_everyday("balance")


def test_typos_are_not_english_words_but_real_words_are():
    assert is_english_word("feel") and is_english_word("cost")
    assert not is_english_word("steriods") and not is_english_word("relapes")


def test_inflections_with_a_spelling_change_find_their_base_form():
    assert zipf("worries") == zipf("worry")
    assert zipf("stopping") == zipf("stop")
