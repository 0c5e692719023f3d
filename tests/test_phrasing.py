"""How people phrase questions: the kind of answer asked for, scaffolding, stories, typos.

Each test is a question the way a patient or carer types it, and what they should see.
"""

from __future__ import annotations

import pytest

import spms_search
from spms_search.analysis import terms
from spms_search.query import expected_answer, function_word_typo
from spms_search.rules import Parameters
from spms_search.sentences import answers_kind
from spms_search.vocabulary import load_vocabulary

from .conftest import CORPUS, answered_from, neither_declined_nor_from

RELAPSES = "can-you-still-get-relapses-with-secondary-progressive-ms-spms"
DIAGNOSED = "how-is-secondary-progressive-ms-spms-diagnosed"
DMT = "disease-modifying-therapies"


@pytest.mark.parametrize("question,kind", [
    ("how long does siponimod take to work", "onset"),  # how soon a treatment acts
    ("when will mayzent start working", "onset"),
    ("how long until the steroids kick in", "onset"),
    ("how long will I be able to work", "time"),  # a job, not a treatment acting
    ("how long does it take for SPMS to start", "time"),
    ("how long does it take siponimod to work", "onset"),
    ("how long before I notice a difference on siponimod", "onset"),
    ("is SPMS slow or fast", "speed"),  # a choice between paces asks the pace
    ("will my SPMS get worse quickly", "speed"),
    ("how long does it take to work out if I have SPMS", "time"),  # finding out, not acting
    ("how long does it take to start working again after a relapse", "time"),  # a job
    ("is physio any use for spms or is it too late", None),  # one thing asked, not a choice
    ("is it a relapse or is it my MS getting worse", "choice"),
    ("who should I talk to about siponimod", "person"),
    ("my legs feel weak, who can help?", "person"),
    ("is there anyone who can help him stay independent", "person"),
    ("how long does recovery from a relapse take", "time"),
    ("how quickly does SPMS progress", "speed"),
    ("why was Extavia withdrawn", "reason"),
    ("what is the rationale for stopping a DMT", "reason"),
    ("how often do relapses happen", "rate"),
    ("how likely am I to get SPMS", "frequency"),
    ("where can I download the booklet", "place"),
    ("is it a relapse or is my MS getting worse", "choice"),
    ("is there a drug for active SPMS?", "drug"),
    ("what medication slows down SPMS", "drug"),
    ("who can have HSCT", "condition"),
    ("am I eligible for HSCT", "condition"),
    ("why are the eligibility rules changing", "reason"),
    ("how long is the wait for HSCT if I qualify", "time"),
    ("I have MS \u2014 who can help me with money I'm entitled to?", "person"),
    ("can people who have SPMS still work", None),  # "who" inside a clause asks for no person
    ("can I still get relapses or not", None),
    ("steroids", None),
    ("is there a new drug for active SPMS?", "drug"),  # a new drug may be a licensed one
    ("which drugs are being tested for SPMS?", None),  # research, told by what it aims to do
    ("are any new medicines being researched for progressive MS", None),
    ("can I still work or drive with SPMS?", None),  # a yes/no question, not a choice of two
    ("who can get me a referral to a physio?", "person"),  # asks who, not on what condition
    ("what number do I ring for the helpline?", "phone"),  # a phone number, not an amount
    ("what's the phone number for the helpline", "phone"),
    ("is he mobile no longer", None),  # "mobile no" is no phone number asked for
    ("what time does the helpline open on Saturdays", "clock"),
    ("what are the helpline's opening hours", "clock"),
    ("what time of year are relapses worse", None),  # a season, not an hour
    ("how much does siponimod cost", "cost"),
    ("how much does exercise help", "amount"),
    ("how do I sign up for a drug trial", "procedure"),
    ("how can I get referred to a physio", "procedure"),
    ("how do I get siponimod", None),  # may be answered by who can have it, not a procedure
    ("how does siponimod actually work?", "mechanism"),
    ("how is Extavia given?", "mechanism"),
    ("is physio working for me?", None),
    ("what is the number of people with SPMS?", "amount"),
    ("does HSCT work for progressive MS?", "efficacy"),
    ("I've had SPMS for ten years. Would physio help?", "efficacy"),
    ("is HSCT worth it if my EDSS is high", "efficacy"),
    ("can anyone help me?", None),  # asks for help, not whether something works
    ("could you help me find a physio", None),
    ("would my MS nurse help me fill in forms?", None),  # a person or service helps
    ("can they help me?", None),
    ("are there any drugs that help slow down SPMS?", "drug"),  # what there is, not whether X works
    ("is Ocrevus better than Mayzent for progressive MS?", "choice"),
    ("does Lemtrada work better than Mayzent?", "choice"),
    ("is there anything worse than SPMS", None),  # what comes after, not two treatments
    ("what are the side effects of siponimod", "harm"),
    ("what are the risks of HSCT", "harm"),
    ("is Mayzent dangerous", "safety"),
    ("extavia side effects", "harm"),
    ("what dose of steroids do they give for a relapse", "dose"),
    ("how many mg of Mayzent a day", "dose"),
    ("how long dose it take for spms to start", "time"),  # "dose" typed for "does"
    ("what dose progressive mean", None),
])
def test_the_wording_says_what_kind_of_answer_is_wanted(question, kind):
    assert expected_answer(question) == kind


@pytest.mark.parametrize("question,section,answer", [
    ("who should I talk to about siponimod", DMT, "ask your neurologist"),
    ("who do I ask about getting a DMT", DMT, "ask your neurologist"),
    ("why was Extavia withdrawn", DMT, "not because of any safety issues"),
    ("is it a relapse or is my MS getting worse", RELAPSES, "hard to tell whether"),
    ("how long does it take for relapsing MS to turn into secondary progressive?",
     "secondary-progressive-ms-spms", "20 years"),
    ("how long does recovery from a relapse take in spms", RELAPSES, "take some time"),
])
def test_the_answer_is_the_kind_of_thing_asked_for(searcher, question, section, answer):
    top = searcher.search(question)[0]
    assert top.section == section
    if answer:
        assert answer in top.answer


@pytest.mark.parametrize("question", ["is there a pill for secondary progressive MS",
                                      "what medication slows down SPMS",
                                      "is there any medicine that slows SPMS progression"])
def test_asking_for_a_drug_finds_the_licensed_drug_not_the_drugs_in_trials(searcher, question):
    top = searcher.search(question)[0]
    assert top.section == DMT
    assert "siponimod" in top.text


def test_drug_names_come_from_the_vocabulary_and_are_names_not_classes():
    names = load_vocabulary().drug_names()
    assert ("siponimod",) in names and ("mayzent",) in names and ("ocrevus",) in names
    assert all(len(n) < 4 for n in names)
    assert ("ms", "drug") not in names and ("relaps", "treatment") not in names
    assert answers_kind("Its name is siponimod (Mayzent).", "drug", names)
    assert not answers_kind("Several drugs are now being tested.", "drug", names)


def test_a_class_of_medicine_reaches_its_named_members_and_nothing_else():
    vocab = load_vocabulary()

    def names(word: str) -> set[str]:
        return {e.text for e in vocab.narrower(tuple(terms(word)))}

    assert {"siponimod", "mayzent", "extavia"} <= names("DMT")
    assert {"dmt", "steroids"} <= names("drug"), "a DMT and a steroid are kinds of medication"
    assert names("interferon beta-1b") == {"betaferon", "betaseron", "extavia"}
    # "attack" => "relapse" points a lay word at a concept: an immune attack is no relapse
    assert names("relapse") == set() and names("walking") == set()
    assert "relapse treatment" not in names("steroids"), "it names what steroids are for"


@pytest.mark.parametrize(("question", "says"), [
    ("Are there medications that treat SPMS?", "one disease modifying therapy (DMT) can slow down"),
    ("interferon beta-1b", "Extavia"),
])
def test_a_question_about_a_class_of_medicine_finds_the_passage_naming_a_member(searcher, question, says):
    assert says in searcher.search(question)[0].text


def test_tell_me_is_scaffolding_but_how_can_i_tell_is_the_question(searcher):
    plan = searcher.rewrite("tell me about steroids")
    assert [g.text for g in plan.groups] == ["steroids"]
    plan = searcher.rewrite("how can I tell if it's a relapse or my MS progressing")
    assert "tell" in [g.text for g in plan.groups]
    assert "tell" in [g.text for g in searcher.rewrite("how do I know if it's a relapse").groups]
    # and as written in a second language, without the auxiliary
    assert "tell" in [g.text for g in searcher.rewrite("how I know if it is relapse").groups]


@pytest.mark.parametrize(("question", "heading"), [
    ("What's Mayzent, in plain words?", "Disease modifying therapies"),
    ("Explain siponimod in simple terms", "Disease modifying therapies"),
    ("what is spms in simple words", "Secondary progressive MS (SPMS)"),
])
def test_how_the_answer_is_to_be_told_is_no_part_of_what_is_asked(searcher, question, heading):
    # "in plain words" names nothing a passage says: the question is answered as if it
    # were not said, and the question-text decision does not read it either
    from spms_search.questiontext import words_read

    plan = searcher.rewrite(question)
    assert not {"plain", "simple", "words", "terms"} & {t for g in plan.groups for t in g.terms}
    assert not {"plain", "simple"} & set(words_read(plan).casefold().split())
    response = searcher.ask(question)
    assert not response.declined and response.results[0].heading == heading
    with spms_search.open_index(searcher.index_dir, CORPUS,
                                parameters=Parameters().without("manner-of-telling")) as off:
        assert off.ask(question).declined


@pytest.mark.parametrize(("question", "kept"), [
    ("will my scans still show new lesions or not?", False),
    ("can exercise help with SPMS or not at all?", False),
    ("should I decide whether or not to stop my DMT?", True),  # not closing the question
])
def test_or_not_closing_a_question_names_nothing(searcher, question, kept):
    texts = [g.text for g in searcher.rewrite(question).groups]
    assert ("not" in texts) == kept
    with spms_search.open_index(searcher.index_dir, CORPUS,
                                parameters=Parameters().without("scaffolding-phrases")) as off:
        assert "not" in [g.text for g in off.rewrite(question).groups]


@pytest.mark.parametrize(("off", "read"), [
    ((), ["drugs", "spms"]),
    (("scaffolding-phrases",), ["drugs", "used", "spms"]),  # the passive "used" is that rule's
    (("manner-of-telling",), ["drugs", "spms", "plain", "words"]),  # only its own phrase stays
])
def test_each_scaffolding_rule_drops_only_its_own_words(searcher, off, read):
    with spms_search.open_index(searcher.index_dir, CORPUS, parameters=Parameters().without(*off)) as s:
        assert [g.text for g in s.rewrite("what drugs are used for SPMS in plain words").groups] == read


def test_a_way_of_doing_something_is_no_manner_of_telling(searcher):
    # "in short bursts" says how to exercise; "in short" at the end says how to answer
    assert "short" in {t for g in searcher.rewrite("can I exercise in short bursts").groups for t in g.terms}
    assert searcher.rewrite("what is HSCT, in short?").manner == ("in short",)


@pytest.mark.parametrize("question", [
    "What's this HSCT thing people keep talking about?",
    "What is this HSCT thing I keep hearing about?",
])
def test_where_the_asker_met_a_word_is_no_part_of_it(searcher, question):
    # the clause after X says where the asker met it: X is what is asked to be defined
    response = searcher.ask(question)
    assert response.plan.definition == "HSCT"
    assert response.results[0].answer == "HSCT is a kind of stem cell therapy."


@pytest.mark.parametrize("question", ["my neuro thinks I have SPMS", "I was told I had SPMS",
                                      "the nurse said it might be SPMS", "I reckon it's SPMS"])
def test_reported_speech_and_hedging_are_not_what_is_asked(searcher, question):
    texts = [g.text for g in searcher.rewrite(question).groups]
    assert not {"thinks", "think", "told", "tell", "said", "say", "reckon"} & set(texts)
    # "thinks" used to reach the cognition vocabulary ("thinking" problems)
    assert not any(a.text == "cognition" for g in searcher.rewrite(question).groups for a in g.alternatives)


def test_the_story_before_a_long_question_counts_less_than_the_question(searcher):
    plan = searcher.rewrite("my mum was diagnosed with RRMS 15 years ago and her neurologist says "
                            "she may have moved to secondary progressive, can she still get relapses?")
    emphasis = {g.text: g.emphasis for g in plan.groups}
    assert emphasis["diagnosed"] < 1 and emphasis["15"] < 1
    assert emphasis["relapses"] == 1 and emphasis["still"] == 1


@pytest.mark.parametrize(("question", "asked"), [
    ("What EDSS score do you need under the new NHS England rules to get siponimod?", "score"),
    ("Which beta interferon can someone with active secondary progressive MS take now that Extavia "
     "has been withdrawn from the market?", "beta interferon"),
])
def test_a_fronted_question_phrase_is_asked_not_story(searcher, question, asked):
    # the clause split before "do you" / "can someone" must not cut "what EDSS score" off
    plan = searcher.rewrite(question)
    assert not any(g.story for g in plan.groups)
    assert {g.text: g.emphasis for g in plan.groups}[asked] == 1


@pytest.mark.parametrize("question", [
    "I was told I had SPMS the very first time I was diagnosed, is that normal?",
    "I've had MS for years and my legs feel weak when I walk, is there anyone who can help?",
])
def test_the_story_counts_fully_when_the_question_points_back_to_it(searcher, question):
    assert all(g.emphasis == 1 for g in searcher.rewrite(question).groups)


def test_the_alternatives_of_one_question_are_both_asked_not_story(searcher):
    # split at the comma and before "is that", the first alternative looked like a story
    plan = searcher.rewrite("Does secondary progressive MS ever change into a different kind of MS "
                            "later on, or is that the end of it?")
    assert not any(g.story for g in plan.groups)


@pytest.mark.parametrize("question", ["will I need another form of therapy",
                                      "what is the next stage of my rehab"])
def test_another_form_of_something_else_is_no_question_about_the_next_stage(searcher, question):
    assert "after" not in {t for g in searcher.rewrite(question).groups for t in g.terms}


def test_another_stage_of_the_illness_asks_what_comes_after(searcher):
    assert "after" in {t for g in searcher.rewrite("is there another stage after SPMS").groups
                       for t in g.terms}


def test_now_is_when_it_is_asked_not_the_drugs_now_in_trials(searcher):
    response = searcher.ask("what can I do now I have secondary progressive MS?")
    assert "now" in response.plan.dropped
    assert not response.results or response.results[0].section != "drugs-now-in-trials"


def test_an_ing_word_typed_without_its_g_is_read_as_meant(searcher):
    plan = searcher.rewrite("are any drugs bein trialled for progressive ms")
    assert plan.corrections.get("bein") == "being"


def test_a_common_word_is_meant_as_written_not_as_two_letters_swapped(searcher):
    # "quiet" is a word of its own, though its swap "quite" is a word of the page
    assert searcher.ask("my husband has become very quiet, is that SPMS?").suggestion is None


def test_a_pseudo_relapse_is_not_read_as_a_relapse(searcher):
    # worse with an infection or heat and no new damage: not a relapse, whose treatment the
    # page gives; no group of the question may match "relapse" on its own
    response = searcher.ask("is a pseudo relapse treated with steroids?")
    assert all(alt.terms != ("relaps",) for g in response.plan.groups for alt in g.alternatives)
    assert response.evidence.absent_name == 1 and response.evidence.unmatched >= 1


@pytest.mark.parametrize("question", ["which steroid is used for relapses",
                                      "what steroids are given for a relapse",
                                      "what kind of steroid will I get for a relapse?"])
def test_which_steroid_is_declined_when_the_page_names_none(searcher, question):
    # "which steroid?" asks for a medicine's name, and the steroids passage names none
    response = searcher.ask(question)
    assert response.plan.expects == "drug" and response.evidence.kind == 0
    assert response.declined


@pytest.mark.parametrize("question", ["what drugs treat relapses?", "what medicine is used for a relapse?"])
def test_a_passage_naming_the_medicines_asked_for_answers_which_ones(searcher, question):
    # the steroids passage does not say "drugs" or "medicine": it names the steroids that
    # answer; only "which steroid?" asks for a member it does not name
    response = searcher.ask(question)
    assert not response.declined and response.results[0].section == "steroids"


def test_a_steroid_question_asking_no_name_is_answered_from_the_steroids_passage(searcher):
    # "is there ...?" is answered by "they can be treated with steroids"
    for question in ("are there steroids for relapses", "can relapses be treated with steroids"):
        response = searcher.ask(question)
        assert response.plan.expects != "drug"
        assert not response.declined and response.results[0].section == "steroids"


def test_hsct_abroad_and_a_side_effect_of_mayzent_are_declined(searcher):
    # the page names HSCT and the NHS in the UK, but no place abroad; it names Mayzent, but
    # no effect it has on tiredness
    assert searcher.ask("where can i have hsct abroad").declined
    assert searcher.ask("does mayzent make you tired").declined


def test_a_pseudo_relapse_question_is_declined(searcher):
    # the page never says "pseudo relapse": its sentence on treating relapses does not answer
    assert searcher.ask("is a pseudo relapse treated with steroids?").declined


def test_two_swapped_letters_in_a_real_word_are_corrected(searcher):
    response = searcher.ask("clinical trails for SPMS")
    assert response.suggestion == "clinical trials for SPMS"
    assert response.results[0].section == "drugs-now-in-trials"


def test_a_real_word_is_not_swapped_into_another_real_word(searcher):
    # "meditation" is one edit from "medication", but no swap of neighbouring letters
    assert searcher.ask("does meditation help MS fatigue").suggestion is None


def test_numbers_in_words_meet_numbers_in_digits(searcher):
    top = searcher.search("twenty years from RRMS to SPMS")[0]
    assert "20 years" in top.answer


def test_words_said_in_the_same_order_pick_the_passage_that_says_them(searcher):
    # the Steroids section links to "managing relapses"; the Managing section says "manage"
    results = searcher.search("managing relapses")
    assert results and results[0].section == "steroids" and "managing relapses" in results[0].answer


def test_a_phrase_with_a_word_between_still_counts(searcher):
    # "getting steadily worse" holds "getting worse"
    top = searcher.search("is it a relapse or is my MS getting worse")[0]
    assert "getting steadily worse" in top.text


def test_what_counts_as_x_asks_for_a_definition(searcher):
    response = searcher.ask("what counts as active SPMS")
    assert response.plan.definition == "active SPMS"
    assert "active secondary progressive MS" in response.results[0].answer


@pytest.mark.parametrize("question", [
    "can I still drive with MS",
    "can stress cause MS",
    "is breastfeeding safe on siponimod"])
def test_an_everyday_word_the_page_never_uses_still_counts_against_answering(searcher, question):
    assert searcher.ask(question).declined


def test_someone_else_is_compared_with_the_individual_course_of_ms(searcher):
    top = searcher.search("why is my MS different from someone else's", min_confidence=0.0)[0]
    assert "individual way" in top.text


@pytest.mark.parametrize("question", [
    "how long do people with SPMS live",
    "how long will I live with secondary progressive MS"])
def test_how_long_will_i_live_is_not_answered_by_a_page_that_does_not_cover_it(searcher, question):
    assert searcher.ask(question).declined


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="known miss (README): 'living' is no word of the page, and the "
                   "vocabulary line that made it 'manage' was not true of 'live' in general")
def test_living_with_spms_is_about_managing_it(searcher):
    results = searcher.search("living with SPMS")
    assert results and results[0].section == "managing-secondary-progressive-ms-spms"


@pytest.mark.parametrize(("question", "subject"), [
    # the word is the one said before, in quotes: "this word" points back at it
    ("My doctor says my MS now has 'neurodegeneration'. What does this word mean?", "neurodegeneration"),
    ("The letter says 'active SPMS'. What does that term mean?", "active SPMS"),
    # "the word X" asks what X means, not what "word X" is
    ("what does the word neurodegeneration mean", "neurodegeneration"),
    ("What is the meaning of the word 'progressive' for MS?", "progressive"),
])
def test_a_word_asked_about_is_the_word_not_word(searcher, question, subject):
    response = searcher.ask(question)
    assert response.plan.definition == subject
    assert not response.declined


def test_this_word_with_no_word_said_asks_nothing(searcher):
    # nothing said to point back at: no subject, nothing answered
    assert searcher.ask("what does this word mean?").declined


def test_x_explained_asks_for_a_definition(searcher):
    response = searcher.ask("SPMS explained")
    assert response.plan.definition == "SPMS"
    assert "is a stage of MS" in response.results[0].answer


def test_a_story_whose_statement_reads_like_a_definition_is_still_searched(searcher):
    # "Nobody explained." was read as a request to define "Nobody": the question was cut to
    # that one word and the engine found no passage at all
    response = searcher.ask("I used Extavia for years, then the pharmacy stopped supplying it. "
                            "Nobody explained. Was something wrong with it?", min_confidence=0.0)
    assert response.plan.definition is None
    assert response.results[0].section == "disease-modifying-therapies"


def test_a_diagnostic_test_is_not_a_drug_being_tested(searcher):
    # "test" and "tested" share a stem; a test for a course of MS is a means of its diagnosis
    # (rule told-diagnosis), drugs being tested are research
    for question in ("is there a test for SPMS", "what tests show I have secondary progressive",
                     "what scans confirm SPMS"):
        results = searcher.search(question)
        assert results and results[0].section == "how-is-secondary-progressive-ms-spms-diagnosed"
    assert searcher.search("which drugs are being tested")[0].section == "drugs-now-in-trials"
    # the course of MS must end the phrase: tests for SPMS drugs are trials, a scan for SPMS
    # lesions looks for activity
    assert searcher.search("are there tests for SPMS drugs?")[0].section == "drugs-now-in-trials"
    assert searcher.search("is there a scan for SPMS lesions")[0].section != (
        "how-is-secondary-progressive-ms-spms-diagnosed")


def test_i_have_a_question_is_scaffolding_but_answering_questions_is_asked_about(searcher):
    assert [g.text for g in searcher.rewrite("I have a question about steroids").groups] == ["steroids"]
    top = searcher.search("who can answer my questions about SPMS")[0]
    assert top.section == "what-support-can-i-get" and "Helpline" in top.answer


def test_new_drugs_are_drugs_in_research_not_a_named_medicine():
    assert expected_answer("new MS drugs coming") is None
    assert expected_answer("are there any new drugs being researched?") is None


def test_what_exactly_is_x_is_a_definition_question(searcher):
    response = searcher.ask("what exactly is secondary progressive multiple sclerosis?")
    assert not response.declined
    assert "is a stage of MS" in response.results[0].answer


def test_what_is_the_role_of_x_asks_what_x_does(searcher):
    # "role", a word the page never uses, names no thing to find: "the role of X" is what X does
    response = searcher.ask("what is the role of a dietitian in MS")
    assert response.plan.definition is None
    assert "role" in response.plan.dropped
    assert not response.declined
    assert "dietician" in response.results[0].answer


@pytest.mark.parametrize("question", ["how can you tell when MS has become secondary progressive?",
                                      "how would I know whether I've moved on to SPMS",
                                      "how do doctors know if someone is shifting from RRMS to SPMS"])
def test_knowing_whether_you_have_a_course_of_ms_asks_how_it_is_diagnosed(searcher, question):
    response = searcher.ask(question)
    assert "diagnos" in {t for g in response.plan.groups for t in g.terms}
    assert response.results[0].section == DIAGNOSED


def test_telling_a_relapse_from_progression_is_no_diagnosis_question(searcher):
    plan = searcher.rewrite("how can I tell if it's relapsing or progressive MS")
    assert "diagnos" not in {t for g in plan.groups for t in g.terms}


def test_a_choice_between_two_is_no_kind_the_decision_can_check(searcher):
    # "is it X or Y?" is answered by a sentence naming X and Y, not by a word like "whether"
    response = searcher.ask("is my new weakness a relapse or is my MS getting worse?")
    assert response.plan.expects == "choice"
    assert response.evidence.kind == 1.0


def test_staying_the_same_is_not_staying_active(searcher):
    # "same" carries the meaning of "stay the same": without it, "stay" met the rehabilitation
    # bullet "help you to stay as active as possible"
    response = searcher.ask("will my symptoms stay the same?", min_confidence=0.0)
    assert "same" not in response.plan.dropped
    assert "stay as active" not in response.results[0].answer


def test_how_a_treatment_works_is_answered_by_what_it_works_by(searcher):
    response = searcher.ask("how do DMTs work?")
    assert not response.declined and "work by" in response.results[0].answer
    # the page says how DMTs in general work, not how one drug does: the passage about the
    # drug says no mechanism, which counts against answering
    response = searcher.ask("how exactly does siponimod (Mayzent) work?", min_confidence=0.0)
    assert response.plan.expects == "mechanism" and response.evidence.kind == 0


def test_a_choice_is_answered_only_by_a_passage_naming_both_sides(searcher):
    # "tablet or injection?": a passage naming siponimod, but neither way of taking it, does
    # not answer; "drug" (broader) or a named steroid (narrower) does not say "tablet"
    for question in ("is siponimod a tablet or an injection?", "are steroids given by drip or as tablets?"):
        response = searcher.ask(question, min_confidence=0.0)
        assert response.plan.expects == "choice" and response.evidence.kind == 0, question
    response = searcher.ask("is it a relapse or is my MS getting worse?", min_confidence=0.0)
    assert response.evidence.kind == 1


@pytest.mark.parametrize("question", ["how does SPMS work?", "how does the MS Helpline work?",
                                      "how do you work out if MS has become secondary progressive?"])
def test_only_a_treatment_is_asked_how_it_works(searcher, question):
    assert searcher.rewrite(question).expects is None


def test_relapsing_now_is_no_question_about_diagnosing_a_course(searcher):
    plan = searcher.rewrite("how do I know if I'm relapsing?")
    assert "diagnos" not in {t for g in plan.groups for t in g.terms}


def test_a_job_is_a_job(searcher):
    assert "job" not in searcher.rewrite("what's the best job for someone with SPMS?").dropped


def test_finding_out_about_something_asks_where_not_how_to_tell(searcher):
    response = searcher.ask("how do I find out about support?")
    assert {"find", "out"} <= set(response.plan.dropped)
    assert not response.declined and response.results[0].section == "what-support-can-i-get"


def test_the_next_stage_of_something_else_is_not_what_comes_after_spms(searcher):
    plan = searcher.rewrite("what's the next stage of my physio?")
    assert "after" not in {t for g in plan.groups for a in g.alternatives for t in a.terms}


def test_an_ing_word_without_its_g_is_read_before_any_other_correction(searcher):
    plan = searcher.rewrite("is it normal to be feelin tired all the time?")
    assert plan.corrections.get("feelin") == "feeling"


def test_the_aims_of_x_ask_what_x_is_for(searcher):
    response = searcher.ask("what are the aims of rehabilitation for people with SPMS", min_confidence=0.0)
    assert "aims" in response.plan.dropped
    assert response.results[0].section == "wellbeing-and-rehabilitation"


def test_the_aims_of_rehabilitation_are_answered(searcher):
    assert not searcher.ask("what are the aims of rehabilitation for people with SPMS").declined


def test_a_minimum_period_asks_how_long(searcher):
    response = searcher.ask("what is the minimum period of worsening before SPMS can be diagnosed")
    assert response.plan.expects == "time"
    assert {"minimum", "period"} <= set(response.plan.dropped)
    assert not response.declined and "six months" in response.results[0].answer


def test_a_phrase_whose_name_the_page_uses_is_no_absent_name(searcher):
    # "MS Society helpline": the page names the MS Society and its helpline
    assert searcher.ask("MS society helpline").evidence.absent_name == 0
    # a phrase that negates is named only as a whole: a page saying "SPMS" and "active"
    # apart does not name non-active SPMS, and siponimod is for active SPMS only
    response = searcher.ask("can I have siponimod for non-active SPMS?")
    assert response.evidence.absent_name == 1 and response.declined
    # a medicine the page never names is an absent name
    assert searcher.ask("would Lemtrada help my MS").evidence.absent_name == 1


def test_what_is_the_point_of_x_asks_what_x_is_for(searcher):
    response = searcher.ask("what is the point of rehabilitation for someone with SPMS", min_confidence=0.0)
    assert "point" in response.plan.dropped
    assert "Rehabilitation" in response.results[0].heading or "rehabilitation" in response.results[0].text


def test_what_is_the_point_of_rehabilitation_is_answered(searcher):
    assert not searcher.ask("what is the point of rehabilitation for someone with SPMS").declined


def test_what_x_means_in_a_context_asks_for_a_definition_of_x(searcher):
    response = searcher.ask("what does 'active' mean in active SPMS?")
    assert response.plan.definition == "active"
    assert response.results[0].answer.startswith("'Active' here means")


def test_what_x_means_for_someone_asks_what_follows_not_what_x_is(searcher):
    assert searcher.ask("What do the siponimod changes mean for people with MS?").plan.definition is None


def test_a_question_that_asks_what_x_is_and_more_is_first_a_definition(searcher):
    response = searcher.ask("What is secondary progressive MS and how is it treated?")
    assert response.plan.definition == "secondary progressive MS"
    assert response.results[0].heading == "Secondary progressive MS (SPMS)"


def test_medical_shorthand_and_text_spellings_read_as_their_words(searcher):
    # "tx" is treatment and "b4" before, as people write them in a message. Read with the
    # bar off: this tests the reading, and the three-word question sits at the bar (0.37
    # against 0.37 before the sixth session's refit, 0.33 against 0.37 after it), as the
    # page never says "relapse treatment", only "relapses ... can be treated"
    top = searcher.ask("SPMS relapse tx?", min_confidence=0.0).results[0]
    assert top.heading == "Steroids"
    assert searcher.rewrite("how long b4 dx").groups[0].alternatives[0].terms == ("befor",)


def test_a_typo_of_an_everyday_word_the_page_never_uses_is_read_as_that_word(searcher):
    # "realy" is no name the page lacks: read as "really", the question is answered
    response = searcher.ask("does spms change things fast or realy slow")
    assert response.suggestion and "really" in response.suggestion
    assert not response.declined


def test_short_words_are_never_corrected_to_an_everyday_word():
    # as often abbreviations as typos: COPD is not "cold", IBS not "its"
    from spms_search.query import _everyday_neighbour
    assert _everyday_neighbour("copd") is None and _everyday_neighbour("ibs") is None
    assert _everyday_neighbour("becuase") == "because"


def test_w_slash_is_with(searcher):
    response = searcher.ask("w/ SPMS do relapses stop?")
    assert not response.declined
    assert "relapses" in response.results[0].answer
    assert not any(a.terms == ("w",) for g in response.plan.groups for a in g.alternatives)


def test_is_that_normal_names_nothing_of_its_own(searcher):
    plan = searcher.ask("neuro wants me to stop my dmt now im spms is that normal").plan
    assert not any("normal" in a.terms for g in plan.groups for a in g.alternatives)


def test_the_next_stage_is_what_comes_after(searcher):
    top = searcher.search("whats the next stage after spms")[0]
    assert top.heading == "What comes after secondary progressive MS (SPMS)?"


def test_patients_are_people(searcher):
    plan = searcher.ask("what should I tell patients about coming off a DMT").plan
    assert any(a.terms == ("peopl",) for g in plan.groups for a in g.alternatives)


@pytest.mark.parametrize("question, cause, affected", [
    ("Does hot weather make SPMS symptoms worse?", "weather", "worse"),
    ("does smoking make MS worse", "smoking", "worse"),
    ("Can MS affect your sleep?", "ms", "sleep"),
    ("Does taking vitamin D slow down SPMS?", "vitamin", "spms"),
    ("will physio help my walking", "physio", "walking"),
])
def test_a_yes_no_question_about_an_effect_names_its_cause_and_what_it_affects(question, cause, affected):
    from spms_search.query import effect_focus
    assert effect_focus(question) == (cause, affected)


@pytest.mark.parametrize("question", [
    "Does hot weather make SPMS symptoms worse?", "does smoking make MS worse",
    "Can MS affect my eyesight?", "Does taking vitamin D slow down SPMS?"])
def test_an_effect_of_something_the_page_never_names_is_declined(searcher, question):
    response = searcher.ask(question)
    assert response.declined and response.evidence.focus == 0.0


def test_an_effect_of_something_the_page_names_is_answered(searcher):
    response = searcher.ask("can steroids help with a relapse")
    assert not response.declined and response.evidence.focus == 1.0


@pytest.mark.parametrize("question, focus", [
    ("how often do people with MS fall", "fall"),
    ("what do people with MS eat", "eat"),
    ("what are the side effects of siponimod", "effects"),
    ("What is Mayzent used for?", "mayzent"),  # the purpose words name no thing
    ("what are the characteristics of interferon beta", "beta"),  # a light noun names no thing
])
def test_a_person_named_by_who_they_are_is_not_what_a_question_asks_about(question, focus):
    from spms_search.query import question_focus
    assert question_focus(question) == focus


@pytest.mark.parametrize("question, focus", [
    ("what medicine do they use for a relapse", "medicine"),   # was "use"
    ("What medicine they use when someone has a relapse?", "medicine"),
    ("which treatment is best for a relapse", "treatment"),    # was "best"
    ("how many physio sessions will I get on the NHS", "sessions"),
    ("which patients with SPMS can get siponimod", "patients"),  # the person is the thing asked
    ("how many people with MS end up in a wheelchair", "up"),  # a count: the person is no focus
    ("what criteria support a diagnosis of SPMS", "diagnosis"),  # a main verb: no word list tells
    ("what is the best treatment for a relapse", "treatment"),  # "what is": no determiner
])
def test_the_noun_a_wh_determiner_asks_about_ends_where_the_clause_goes_on(question, focus):
    from spms_search.query import question_focus
    assert question_focus(question) == focus


@pytest.mark.parametrize("question", [
    "what medicine do they use for a relapse?",
    "What medicine they use when someone with SPMS has a relapse?"])
def test_asked_which_medicine_treats_a_relapse_the_steroids_passage_answers(searcher, question):
    response = searcher.ask(question)
    assert not response.declined and response.results[0].heading == "Steroids"


@pytest.mark.parametrize("question, means", [
    ("can they give me Medrone for a relapse", "steroids"),   # UK brand of methylprednisolone
    ("do I still need my Kesimpta jabs", "injection"),        # British for injections
    ("who is in my MS team - neuro or MSN?", "ms nurse"),     # forum shorthand for the MS nurse
    ("is there a place on the internet to talk to others", "online"),
])
def test_everyday_and_brand_names_reach_what_they_name(searcher, question, means):
    plan = searcher.ask(question, min_confidence=0.0).plan
    want = tuple(terms(means))
    assert any(a.terms == want for g in plan.groups for a in g.alternatives)


def test_is_there_anywhere_asks_for_a_place():
    assert expected_answer("is there anywhere we can talk to other carers") == "place"


AFTER = "what-comes-after-secondary-progressive-ms-spms"


@pytest.mark.parametrize("question", [
    "is SPMS the final stage of MS?", "end stage MS",
    "is there another stage that follows secondary progressive?",
    "does SPMS turn into a further type of MS?",
    # what the illness turns into (twenty-second session)
    "will SPMS turn into something worse?",
    "My husband has had SPMS for years. Will his MS turn into something worse?",
    "once you have SPMS can it turn into something worse later",
    "will my MS turn into something else later on?",
    # the idiom
    "is SPMS the end of the road?",
])
def test_asking_for_the_last_stage_finds_what_comes_after(searcher, question):
    response = searcher.ask(question)
    assert response.results and response.results[0].section == AFTER
    assert "no other type of MS that comes after" in response.results[0].answer


def test_what_the_illness_turns_into_keeps_the_askers_worse(searcher):
    # read as also asking what comes after, not instead of "worse" (the fourteenth review:
    # "does SPMS become something worse?" fell under the bar when "worse" was dropped)
    texts = [g.text for g in searcher.rewrite("does SPMS become something worse?").groups]
    assert "comes after" in texts and "worse" in texts


def test_what_the_illness_may_become_is_read_as_what_comes_after(searcher):
    # read so; the decision is 0.71 here, under the bar: the question-text model reads the
    # asker's own words, which questions the page does not answer share
    question = "Dad has SPMS. Could his MS become something worse?"
    assert "comes after" in [g.text for g in searcher.rewrite(question).groups]


@pytest.mark.parametrize("question", ["can a relapse turn into something worse?",
                                      "could my numbness turn into something else?",
                                      "can physio turn into something I enjoy?",
                                      # (the fourteenth review) "it" of something else, and
                                      # "change" without "into"
                                      "Extavia was withdrawn in 2022, did it turn into something else?",
                                      "the new lesion on my MRI, can it develop into something worse?",
                                      "my MS nurse is leaving, will it change anything else about my care?"])
def test_what_something_else_turns_into_is_not_what_comes_after_the_illness(searcher, question):
    assert "comes after" not in [g.text for g in searcher.rewrite(question).groups]


def test_a_later_stage_is_not_the_last_stage(searcher):
    texts = [g.text for g in searcher.rewrite("what happens in the later stage of SPMS").groups]
    assert "comes after" not in texts
    assert "comes after" in [g.text for g in searcher.rewrite("is SPMS the final stage?").groups]


@pytest.mark.parametrize("question", ["what are the symptoms of end stage MS?",
                                      "what happens in the final stage of MS",
                                      "life expectancy at the end stage"])
def test_a_question_about_the_last_stage_itself_does_not_ask_what_comes_after(searcher, question):
    # the stage is what is asked about ("the symptoms of ..."), not whether another follows
    assert "comes after" not in [g.text for g in searcher.rewrite(question).groups]


@pytest.mark.parametrize("question", ["how do I know about support groups near me",
                                      "how do I know who to ask about benefits",
                                      "how do I know more about siponimod"])
def test_knowing_about_something_is_learning_of_it_not_telling_apart(searcher, question):
    assert "tell" not in [g.text for g in searcher.rewrite(question).groups]
    assert "tell" in [g.text for g in searcher.rewrite("how do I know if it is a relapse").groups]


def test_a_single_letter_the_page_never_uses_is_not_a_thing_asked_about(searcher):
    response = searcher.ask("SPMS v PPMS")
    assert "v" in response.plan.dropped and not response.declined
    assert "primary progressive MS" in response.results[0].answer


@pytest.mark.parametrize("question", ["who can have HSCT", "am I eligible for HSCT"])
def test_an_eligibility_question_is_answered_by_the_condition(searcher, question):
    # not by the sentence saying what HSCT is: who qualifies is said by "only if ..."
    assert "only if their MS is still active" in searcher.search(question)[0].answer


@pytest.mark.parametrize(("question", "says"), [
    ("what does imaging show when SPMS is active", "MRI"),
    ("is SPMS a subtype of MS that can change into another", "no other type of MS"),
])
def test_a_clinicians_words_reach_the_pages_words(searcher, question, says):
    # "imaging" is the MRI scans of MS care; a "subtype" of MS is a type of MS
    assert says in searcher.ask(question, min_confidence=0.0).results[0].text


@pytest.mark.parametrize(("question", "subject"), [
    ("what mean progressive in SPMS?", "progressive"),
    ("Please, what is mean relapse? My English is not good.", "relapse"),
    ("what is the meaning of remitting", "remitting"),
    ("what dose remitting mean", "remitting"),
    ("What does the 'secondary' bit actually mean?", "secondary"),
    ("My friend has SPMS. What does that mean?", None),
    ("my nurse used the word 'remitting', what does it mean?", "remitting"),
    ("Relapse, what does that even mean?", "Relapse"),
    ("I had a relapse last week, what does it mean?", None),
    ("What is rehabilitation? My nurse said I need it.", "rehabilitation"),
    # among other sentences, "what is the X?" points back at what was said, and a statement
    # that something was (not) explained is no request for a definition
    ("My neurologist wants to stop my DMT now that I am secondary progressive. What is the reasoning?",
     None),
    ("The pharmacy stopped supplying my injections. Nobody explained. Was something wrong with them?",
     None),
    # a past participle or "what help there is" names no thing to define
    ("My mum was told the rules in England changed. What's changed?", None),
    ("what is involved", None),
    ("I don't know what help there is.", None),
    ("The reasons were not explained.", None),
    # ... but a term after "the" among other sentences, a definition asked outright, a
    # heading-like request after another sentence and a participle asked about still are
    ("Sorry for my english. What is the relapse?", "relapse"),
    ("Hi. What is the myelin sheath?", "myelin sheath"),
    ("The nurse used a long word. What is the meaning of neurodegeneration?", "neurodegeneration"),
    ("SPMS explained. I need it simple.", "SPMS"),
    ("What does relapsed mean?", "relapsed"),
])
def test_a_definition_question_is_read_however_it_is_worded(question, subject):
    # second-language wording, a second sentence after the question, a quoted word with
    # "the ... bit" around it: each still asks what the word means
    from spms_search.query import definition_subject

    assert definition_subject(question) == subject


def test_the_ms_communitys_short_forms_are_read_not_corrected(searcher):
    # "pwMS" (people with MS) was corrected to "PPMS", another illness course entirely
    plan = searcher.rewrite("do pwMS still get new lesions")
    assert not plan.corrections and "ppms" not in {g.text for g in plan.groups}
    # an abbreviation is corrected only for two letters swapped, never into another one
    assert searcher.rewrite("spsm relapses").corrections == {"spsm": "spms"}
    assert searcher.rewrite("what is ppws").corrections == {}
    # "SP" is secondary progressive; "IFN" interferon; "thot" and "ment" are text-speak
    def ways(question: str) -> set[str]:
        return {a.text for g in searcher.rewrite(question).groups for a in g.alternatives}

    assert "spms" in ways("I'm SP now") and "interferon" in ways("IFN for SPMS")
    assert "meet" not in {g.text for g in searcher.rewrite("i thot spms ment no relapses").groups}


@pytest.mark.parametrize(("question", "diagnosis"), [
    ("how long before they call it SPMS", True),
    ("how do doctors decide that someone has SPMS?", True),
    ("can you be told you have secondary progressive MS straight away?", True),
    ("my mum was told her MS is now secondary progressive, will her relapses stop?", False),
    ("my neuro told me to rest, will that help?", False),
    # finding out you have an illness is its diagnosis
    ("is it rare to find out you have SPMS straight away?", True),
    ("when did you find out that you had MS?", True),
    ("can you find out about support groups?", False),
    # a time clause is the story, not the question
    ("when you find out you have SPMS, can you still get relapses?", False),
    ("what treatments are there once you find out you have SPMS?", False),
    ("when you are told you have SPMS, can you still get relapses?", False),
])
def test_being_told_you_have_it_asks_about_its_diagnosis(searcher, question, diagnosis):
    # only where the telling is what is asked: in a story it is the story
    texts = {g.text for g in searcher.rewrite(question).groups}
    assert ("diagnosed" in texts) is diagnosis


def test_whether_a_treatment_works_is_answered_by_what_it_can_or_cannot_do(searcher):
    # the HSCT passage says both who is offered it and whether it helps: "does it work?"
    # asks the second
    response = searcher.ask("does HSCT work for progressive MS?")
    assert not response.declined and "unlikely to help" in response.results[0].answer
    # "work" as a job names no treatment: no kind of answer is asked for
    assert searcher.ask("can my husband still work?", min_confidence=0.0).plan.expects is None


def test_whether_it_works_picks_the_sentence_but_is_no_evidence_against_answering(searcher):
    # "does Extavia work?": the page says it was withdrawn in 2022, in no words of the kind
    # ("helps", "can't"); such everyday words are in most passages and tell none apart
    response = searcher.ask("does Extavia work?")
    assert response.plan.expects == "efficacy" and not response.declined
    assert "withdrawn" in response.results[0].text


def test_better_than_is_a_choice_only_between_two_treatments(searcher):
    assert searcher.rewrite("will I feel better than I do now after rehab?").expects is None
    assert searcher.rewrite("is physio better than exercise classes?").expects == "choice"


def test_one_treatment_against_another_is_declined_when_the_page_names_one(searcher):
    # the page names siponimod (Mayzent) but never Ocrevus or Lemtrada: it compares nothing
    for question in ("is Ocrevus better than Mayzent for progressive MS?",
                     "does Lemtrada work better than siponimod?"):
        response = searcher.ask(question)
        assert response.plan.expects == "choice" and response.declined, question


@pytest.mark.parametrize("kind,unit,says", [
    ("phone", "Call our free helpline on 0808 800 8000.", True),
    ("phone", "Our helpline team can answer your questions.", False),
    ("phone", "Extavia was withdrawn in 2022.", False),
    ("clock", "The helpline is open 9am to 7pm, Monday to Friday.", True),
    ("clock", "Our helpline team can answer your questions.", False),
    ("cost", "A month of treatment costs about \u00a32,000.", True),
    ("cost", "HSCT is rarely offered on the NHS.", False),
    ("procedure", "Ask your neurologist or MS nurse about taking part.", True),
    ("procedure", "Several drugs are being tested in trials.", False),
    ("procedure", "Members meet through our network of local groups.", True),  # the channel
    ("safety", "It was withdrawn, not because of any safety issues.", True),  # safety said either way
    ("harm", "It was withdrawn, not because of any safety issues.", False),  # says no side effect
    ("harm", "HSCT is a kind of stem cell therapy.", False),
    ("dose", "The usual dose is 2 mg a day.", True),
    ("dose", "Its name is siponimod (Mayzent).", False),
])
def test_a_phone_number_a_clock_time_a_price_a_way_in_a_harm_or_a_dose_are_said_only_by_giving_one(
        kind, unit, says):
    assert answers_kind(unit, kind) is says


@pytest.mark.parametrize("question", [
    "tell me the MS helpline phone number please",
    "is the helpline open at weekends",
    # the page says no way to sign up
    "how to join a drug trial for progressive MS",
])
def test_a_page_that_prints_no_number_hours_or_way_in_declines_to_give_them(searcher, question):
    # the page names the helpline but gives no number and no opening hours, and names the
    # trials but not how to join one: answering with the passage that names the thing
    # would be a confident answer to what was not asked
    assert searcher.ask(question).declined


@pytest.mark.parametrize("question", [
    "do steroids have side effects",
    "what are the dangers of having HSCT",
    "is Mayzent dangerous",
    "how many mg of methylprednisolone for a relapse",
    "extavia side effects",  # "not because of any safety issues" says nothing of side effects
    "is hsct safe",
])
def test_a_page_that_says_no_harm_or_dose_of_a_treatment_declines_to_give_one(searcher, question):
    # the page names steroids, HSCT and siponimod but says nothing of their side effects,
    # risks or doses: the passage naming the treatment does not answer what it does not say
    response = searcher.ask(question)
    assert response.plan.expects in ("harm", "safety", "dose") and response.declined


def test_the_safety_the_page_does_state_is_answered(searcher):
    response = searcher.ask("was Extavia unsafe")
    assert response.plan.expects == "safety" and not response.declined
    assert "safety issues" in response.results[0].answer


@pytest.mark.parametrize("question", ["what's my risk of going secondary progressive",
                                      "is there a risk of relapse when stopping my DMT",
                                      "is SPMS dangerous"])
def test_a_risk_of_the_course_of_ms_is_no_harm_of_a_treatment(searcher, question):
    assert searcher.ask(question).plan.expects is None


@pytest.mark.parametrize("typed,meant", [
    ("what support is there for people wth SPMS", "what support is there for people with SPMS"),
    ("can teh MS nurse help me", "can the MS nurse help me"),
    ("is exercise good for people wiv spms", "is exercise good for people with spms"),
])
def test_a_short_typo_of_a_function_word_is_read_as_that_word(searcher, typed, meant):
    # unread, "wth" weighed as a rare name the page never uses and declined the question
    typo, plain = searcher.ask(typed), searcher.ask(meant)
    assert not typo.declined
    assert typo.results[0].heading == plain.results[0].heading
    assert abs(typo.confidence - plain.confidence) < 0.05


@pytest.mark.parametrize("question", [
    "is HSCT offered in the USA",  # "usa" is "us" with a letter more: a place, not a typo
    "what is PML",  # one letter off no function word
])
def test_an_abbreviation_near_a_function_word_is_not_read_as_one(searcher, question):
    assert not searcher.ask(question).plan.corrections


def test_asking_how_to_join_is_answered_by_the_passage_that_names_the_way_in(searcher):
    # the support passage says where the forum and the local groups are ("on our forum",
    # "through our network of local groups"): that is the way in, not a passage lacking one
    response = searcher.ask("how do I join an online forum for people with MS")
    assert not response.declined
    assert response.results[0].heading == "What support can I get?"


def test_asking_the_names_of_drugs_in_research_needs_a_passage_that_names_one(searcher):
    # the trials passage says what the drugs aim to do and names none; the ranking stays
    # with it (no pull to the passage naming the licensed drug), and the engine declines
    response = searcher.ask("What are the names of the new drugs being tested for progressive MS?")
    assert response.declined
    assert searcher.ask("What are the names of the new drugs being tested for progressive MS?",
                        min_confidence=0.0).results[0].heading == "Drugs now in trials"
    assert response.plan.expects is None
    # a question whose passage does name the drug is answered
    assert not searcher.ask("what is the DMT for active SPMS called").declined


@pytest.mark.parametrize("word", ["als", "hse", "ehr", "int", "bot"])
def test_a_lower_case_abbreviation_is_no_typo_of_a_function_word(word):
    # "is spms worse than als" had been read as "... than also" and answered with confidence;
    # a letter is taken as left out only where no vowel is left ("wth"), and two letters as
    # swapped only into the commonest words ("teh"): "hse" (Ireland's health service) is no "she"
    assert function_word_typo(word) is None
    assert function_word_typo("wth") == "with" and function_word_typo("teh") == "the"


@pytest.mark.parametrize("question,kind", [
    ("how much do I need to pay attention to my diet?", "amount"),  # no price asked
    ("does siponimod slow things down at the cost of side effects?", "harm"),  # no price asked
    ("what is the cost of HSCT abroad?", "cost"),
    ("what time does it take to recover from a relapse?", None),  # "how long", not the clock
    ("what time does the helpline open?", "clock"),
])
def test_a_price_or_a_clock_time_is_asked_only_in_so_many_words(question, kind):
    assert expected_answer(question) == kind


@pytest.mark.parametrize("unit,says", [
    ("Your MS is active if there are new lesions on your MRI scans.", False),
    ("It is a form of MS.", False),
    ("You can find support on our forum.", True),
])
def test_a_way_in_is_a_place_to_go_not_any_phrase_with_your(unit, says):
    assert answers_kind(unit, "procedure") is says


def test_what_medicines_are_called_is_answered_by_a_passage_naming_steroids(searcher):
    # steroids are the treatment the page names for relapses: a class, but the medicine's name
    response = searcher.ask("what are the medicines called that treat relapses?")
    assert not response.declined and response.results[0].heading == "Steroids"


def test_the_coating_on_the_nerves_is_myelin(searcher):
    # the everyday way of naming myelin; a lay "mend" asks for repair
    response = searcher.ask("Is anyone working on medicines that could mend the coating on the nerves?")
    assert not response.declined and response.results[0].section == "drugs-now-in-trials"
    assert "repair" in response.matched_terms or "myelin" in response.matched_terms


def test_a_coating_on_tablets_and_fixing_an_appointment_are_not_myelin_or_repair(searcher):
    # "coating" alone is also a tablet's, and "fix" also means arrange or prepare: neither
    # is read as myelin or repair, so the page's answers about myelin repair stay out
    for question in ("Do siponimod tablets have a protective coating?",
                     "Can my GP fix a referral to a neurologist?"):
        response = searcher.ask(question)
        assert not {("myelin",), ("repair",)} & {alt.terms for g in response.plan.groups
                                                 for alt in g.alternatives}
        assert response.declined


def test_gait_instability_is_unsteadiness_on_your_feet(searcher):
    # a clinician's name for unsteadiness when walking or standing; the page names who helps
    response = searcher.ask("Who can help with my gait instability?")
    assert not response.declined and response.results[0].section == "wellbeing-and-rehabilitation"
    assert "unsteadiness" in response.results[0].answer


# The eighth truth audit (eighteenth session): three entries read everyday phrases in one MS
# sense. "look after myself" was read as "look after" ("myself" is a stop word), caring for
# anyone; "what happens next" is any follow-up, not the stage after SPMS; "taken off" folded
# to "take off". Each gave a confident answer to a question the page does not answer.
@pytest.mark.parametrize("question, heading", [
    ("who will look after my children if I go into hospital?", None),
    ("I've had a relapse, what happens next?", None),
    ("should I take off my shoes for the MRI?", None),
    # the MS sense of those groups is still read through their other entries
    ("what comes next after SPMS?", "What comes after secondary progressive MS (SPMS)?"),
    ("how can I stay independent with SPMS?", "Wellbeing and rehabilitation"),
])
def test_everyday_phrases_are_not_read_in_one_ms_sense(searcher, question, heading):
    response = searcher.ask(question)
    if heading is None:
        assert response.declined
    else:
        assert not response.declined and response.results[0].heading == heading


# The ninth truth audit (nineteenth session): entries that read a word in a sense it does not
# always have. What a question is read as (its groups and their alternatives), not whether it
# is answered: each reading is untrue wherever the word is used.
def _read_as(searcher, question: str) -> set[str]:
    return {a.text for g in searcher.rewrite(question).groups for a in g.alternatives}


@pytest.mark.parametrize("question, not_read_as", [
    ("I feel dizzy since starting Mayzent", "balance"),  # dizziness is no unsteadiness
    ("what is a bladder scan?", "mri"),  # a scan is a class: OCT, bladder, bone, CT
    ("does hot weather exacerbate my symptoms?", "relapse"),  # the verb is no relapse
    ("does ocrevus make your immune system weak?", "muscle weakness"),
    # registers and surveys are research studies too ("research" alone still points at
    # trials, a wide line an earlier review kept)
    ("should I join a research study about my MS?", "clinical trial"),
    ("what comes afterwards, after the steroids?", "comes after"),  # no stage after SPMS
    pytest.param("can I get help with self care like washing and dressing?", "self management",
                 marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
                     "known miss: the rule combined-entries reads 'help with self ...' as "
                     "the entry 'self help', which is self-management"))),
    ("is there a tablet instead of injections?", "medication"),  # a tablet is one form
    ("are DMTs no longer available to me now I have SPMS?", "withdrawn"),
    ("is the keto diet good for MS?", "healthy eating"),
    ("will I get back to normal after a relapse?", "recovery"),  # a full recovery
    ("I'm always tired, is it MS?", "tiredness"),  # one way: tired points at fatigue
    # the twelfth review (twentieth session): one-way lines and groups untrue in general
    ("What symptom medications are there for SPMS?", "dmt"),  # symptom medicines are a class
    ("Is there any alternative medicine for SPMS?", "drug"),  # medicine as a practice
    ("Can cancer immunotherapy make my SPMS active?", "disease modifying therapy"),
    ("Can I leave money to an MS charity in my will?", "helpline"),
    ("Which professionals are in an MS multidisciplinary team?", "ms team"),
    ("What is a neuro nurse?", "neurologist"),
    ("Is a 4-week trial of Sativex available on the NHS?", "clinical trial"),  # trying it
    ("Has Mayzent been granted approval by NICE?", "financial support"),
    ("who looks after the welfare of my children if I get worse?", "financial support"),
    # the eleventh review (twentieth session): a one-word entry also takes in every word its
    # stem is shared with, and some of those words mean something else
    ("what medical team will look after me with SPMS?", "drug"),  # medical is no medication
    ("conversation is tiring since SPMS, is that normal?", "change"),  # no conversion
    ("is intermittent fasting a good diet for SPMS?", "eating"),  # a diet is not eating
    ("should I get an independent second opinion?", "independence"),  # impartial
    ("is it worth spending money on private physio?", "financial support"),  # a cost
    ("how well does siponimod work?", "wellbeing"),
    ("can I use public transport with SPMS?", "booklet"),
    ("does SPMS make my immune system weak?", "muscle weakness"),
    ("we have exhausted all the treatment options, what now?", "fatigue"),
    ("who should I consult about my bladder?", "neurologist"),  # any specialty's consultant
    ("should I call an ambulance if I have a relapse?", "walking"),
    ("will I need further investigations if my symptoms change?", "trials"),  # tests
    ("my body image has changed since I started using a wheelchair", "mri"),
    ("is assisted dying allowed for people with SPMS?", "support"),
    ("I forgot to take my siponimod, what should I do?", "cognition"),  # a missed dose
    ("does sex affect how fast SPMS progresses?", "sexual"),  # biological sex
])
def test_a_word_is_not_read_in_a_sense_it_does_not_always_have(searcher, question, not_read_as):
    assert not_read_as not in _read_as(searcher, question)


@pytest.mark.parametrize("question, read_as", [
    ("is vertigo a symptom of MS?", "dizziness"),
    ("I'm always tired, is it MS?", "fatigue"),
    ("will I get back to normal after a relapse?", "full recovery"),
    ("is the keto diet good for MS?", "diet"),
    ("what does an MRI scan show", "magnetic resonance imaging"),
    # the twelfth review: a class reaches its members, a phrase keeps its own sense
    ("What symptom medications are there for SPMS?", "baclofen"),
    ("can I join a clinical trial for SPMS?", "trials"),
    ("should I ask my neuro about siponimod?", "neurologist"),
    ("is there an MS society helpline?", "helpline"),
    # the eleventh review: the sense those entries were written for is still read
    ("what medication is there for SPMS?", "drug"),
    ("how long does conversion to SPMS take?", "change"),
    ("how can I stay independent with SPMS?", "independence"),
    ("can I get help with my finances?", "money"),
    ("what can I do for my wellness?", "wellbeing"),
    ("I have weak legs, what helps?", "muscle weakness"),
    ("I feel exhaustion all day", "fatigue"),
    ("what financial support is there?", "money"),
])
def test_the_true_sense_of_those_words_is_still_read(searcher, question, read_as):
    assert read_as in _read_as(searcher, question)



# What they can give for an ailment, the thing given unnamed, asks for its treatment (rule
# given-for): the carer's "is there anything they can give him for it?" after a relapse.
@pytest.mark.parametrize("question", [
    "My husband's MS is secondary progressive and he has had a flare-up since Monday. "
    "Could the doctors give him anything for it?",
    "I'm secondary progressive and I think this is a relapse. What can they give me for it?",
    "what is given for a relapse in SPMS?",
])
def test_what_they_can_give_for_a_relapse_is_answered_by_its_treatment(searcher, question):
    response = answered_from(searcher, question, "steroids")
    assert "treated with steroids" in response.results[0].answer


@pytest.mark.parametrize("question, read", [
    ("Could the doctors give him anything for a flare-up?", "treatment"),
    ("what's given for a relapse?", "treatment"),
    ("what are they giving her for the relapses?", "treatment"),
    # (the decision still declines this one: the question-text model reads the asker's own
    # words, and "prescribe" is said mostly in questions the page does not answer)
    ("my dad is spms and having a relapse is there something his gp can prescribe for it",
     "relapse treatment"),
])
def test_an_unnamed_thing_given_for_a_relapse_is_read_as_its_treatment(searcher, question, read):
    assert read in [g.text for g in searcher.rewrite(question).groups]


# (the fourteenth review) "treatment" alone is answered by the treatment of relapses, so
# given for the illness itself, for "it" with no relapse told of, or for anything else, the
# words stay as they are
@pytest.mark.parametrize("question", [
    "my wife has secondary progressive MS. Can the doctor give her anything for it?",
    "can the doctors give my wife anything for her SPMS?",
    "is there anything they can still give for my MS now it has become secondary progressive?",
])
def test_what_they_can_give_for_the_illness_is_not_the_treatment_of_a_relapse(searcher, question):
    assert "treatment" not in [g.text for g in searcher.rewrite(question).groups]
    neither_declined_nor_from(searcher, question, "steroids")


@pytest.mark.parametrize("question, kept", [
    ("what are his steroids given for?", "steroids"),  # the thing given, not the giver
    ("what is the HSCT given for?", "hsct"),
    ("what does the NHS give for free to people with SPMS?", "free"),
    ("what do doctors take for proof that it is SPMS?", "proof"),
])
def test_a_thing_given_or_what_it_is_given_for_stays_a_word_to_find(searcher, question, kept):
    texts = [g.text for g in searcher.rewrite(question).groups]
    assert kept in texts and "treatment" not in texts


@pytest.mark.parametrize("question", [
    "what dose of steroids do they give for a relapse?",  # the thing given is named
    "what exercises will the physio give me for my legs?",
    "how many physio sessions will the NHS give me for my MS?",
    "did they give you a leaflet?",  # no "for": nothing is treated
])
def test_a_thing_given_that_is_named_is_asked_about_in_its_own_words(searcher, question):
    assert "treatment" not in [g.text for g in searcher.rewrite(question).groups]


def test_the_given_for_reading_is_a_rule_that_can_be_switched_off(searcher):
    question = "I'm secondary progressive and I think this is a relapse. What can they give me for it?"
    with spms_search.open_index(searcher.index_dir, CORPUS,
                                parameters=Parameters().without("given-for")) as off:
        assert "treatment" not in [g.text for g in off.rewrite(question).groups]
    assert "treatment" in [g.text for g in searcher.rewrite(question).groups]


# Deciding or saying that someone has moved to a course of MS is its diagnosis, as knowing
# whether they have moved to it is, and "that" is mostly left out after "know" in a
# question of how (when) it is known (rule told-diagnosis)
@pytest.mark.parametrize("question", [
    "how does a neurologist decide that someone has moved into secondary progressive MS?",
    "what has to happen before they will say my wife has gone secondary progressive?",
    "How do doctors decide someone has gone from relapsing MS to SPMS?",
    "how does the neurologist know it is SPMS?",
    "how would the doctors know it has turned secondary progressive?",
    "Is it easy for doctors to know I have SPMS?",
    # (the fourteenth review) "I'm", "you're"; "how | will ..."; decide when
    "how does the neuro know you're secondary progressive?",
    "How will my doctor know my MS has become secondary progressive?",
    "how did the doctors decide when my mum had become SPMS?",
])
def test_how_it_is_known_or_decided_that_someone_has_spms_is_its_diagnosis(searcher, question):
    assert "diagnosed" in [g.text for g in searcher.rewrite(question).groups]
    answered_from(searcher, question, DIAGNOSED)


def test_deciding_someone_has_moved_house_is_no_diagnosis(searcher):
    assert "diagnosed" not in [g.text for g in searcher.rewrite(
        "how do the council decide someone has moved into a care home?").groups]


def test_knowing_it_is_spms_in_the_story_is_the_story(searcher):
    response = searcher.ask("I know it's SPMS now, can I still get relapses?")
    assert "diagnosed" not in [g.text for g in response.plan.groups]
    assert response.results and response.results[0].section == RELAPSES


# (the fourteenth review) whether someone knows one has SPMS asks who has been told; a
# service or a drug moved to is no course of MS; "it's MS that ..." asks about a cause
@pytest.mark.parametrize("question", [
    "does my GP know I have SPMS?",
    "should the dentist know I have SPMS before treatment?",
    "is it normal that they decide he has moved on to the MS nurse rather than the neurologist?",
    "do they know it is MS that makes my legs stiff?",
])
def test_knowing_that_is_not_asking_how_it_is_known_is_no_diagnosis(searcher, question):
    assert "diagnosed" not in [g.text for g in searcher.rewrite(question).groups]
    neither_declined_nor_from(searcher, question, DIAGNOSED)


# "a bad spell" is how people with MS often name a relapse (vocabulary, a lay pointer)
@pytest.mark.parametrize("question", ["after my last bad spell my hand stayed numb, will it get better?",
                                      "can I still get bad spells with SPMS?"])
def test_a_bad_spell_is_read_as_a_relapse(searcher, question):
    assert "relapse" in _read_as(searcher, question)
    answered_from(searcher, question, RELAPSES)


# "the end of the line (road)" is the idiom for the last stage only when it ends its clause
def test_the_end_of_the_road_for_something_is_not_the_last_stage(searcher):
    assert "comes after" not in [g.text for g in searcher.rewrite(
        "is this the end of the road for my treatment?").groups]


# Asking what can be done for a condition, or whether anything helps, asks how it is
# managed (rule what-can-be-done); the asker's fear beside it names nothing
MANAGING = "managing-secondary-progressive-ms-spms"


@pytest.mark.parametrize("question", [
    "Is there anything that helps now my MS has gone progressive, or do I just have to put up with it?",
    "what can be done for secondary progressive MS?",
    "can anything be done for my husband's SPMS?",
    "is there anythin u can do for spms or do u just have to live with it",
    # the illness itself as the thing helped; the fear without "have to"
    "is there anything that helps with the progressive type or do you just put up with it?",
])
def test_what_can_be_done_for_the_illness_is_how_it_is_managed(searcher, question):
    plan = searcher.rewrite(question)
    assert "manage" in [g.text for g in plan.groups]
    assert not {"put", "live", "done"} & {t for g in plan.groups for t in g.terms}
    answered_from(searcher, question, MANAGING)


@pytest.mark.parametrize(("question", "kept"), [
    ("what can I do to exercise more?", "exercise"),  # the thing to be done is named
    ("is there anything that can help with my balance?", "help"),  # the thing helped is named
    ("what will the physio do at my first appointment?", "physio"),  # what someone will do
])
def test_a_thing_to_be_done_or_helped_that_is_named_stays_as_it_is(searcher, question, kept):
    texts = [g.text for g in searcher.rewrite(question).groups]
    assert kept in texts and "manage" not in texts


def test_what_can_be_done_for_what_the_page_does_not_cover_is_still_declined(searcher):
    # "manage" is found on the page, "bladder" is not: the thing asked about decides
    response = searcher.ask("what can I do about my bladder?")
    assert "manage" in [g.text for g in response.plan.groups]
    assert response.declined


def test_the_what_can_be_done_reading_is_a_rule_that_can_be_switched_off(searcher):
    question = "is there anything at all that helps, or do you just have to put up with it?"
    with spms_search.open_index(searcher.index_dir, CORPUS,
                                parameters=Parameters().without("what-can-be-done")) as off:
        assert "manage" not in [g.text for g in off.rewrite(question).groups]
        assert off.ask(question).declined
    answered_from(searcher, question, MANAGING)
