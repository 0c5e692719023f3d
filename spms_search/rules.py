"""The named question and ranking rules, and every ranking constant, in one place.

Each rule the engine applies beyond plain BM25 is an entry of :data:`RULES`: its name,
the stage it acts in, what it does in general and an example, the way Whoosh's query
parser keeps each syntax feature as a plugin. :class:`Parameters` holds every constant
ranking and answer picking use, and which rules are switched off, so measuring what one
rule is worth is a switch, not an edit::

    spms-search eval --without story --without proximity QUESTIONS.jsonl
    open_index(parameters=Parameters().without("story"))

A rule's text says what it does for any question; none is written for one question.
"""

from __future__ import annotations

from .records import FrozenRecord


class Rule(FrozenRecord):
    """One switchable rule: what it does, where, and an example of a question it reads."""

    name: str
    stage: str  # "question" (query.py), "ranking" (scoring.py), "answer" (answers.py) or "decision"
    summary: str
    example: str

    __slots__ = _fields = ("name", "stage", "summary", "example")

    def __init__(self, name: str, stage: str, summary: str, example: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "stage", stage)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "example", example)


RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("spelling", "question",
         "A word that is neither in the index, the vocabulary nor English is replaced by the "
         "closest index or vocabulary word; a real word only when two swapped letters make a "
         "word of the index or vocabulary and it is not everyday English (nor is its base form). "
         "Words under four letters are left alone (their neighbours are as often abbreviations), "
         "but for a typo of one of the commonest function words ('wth', 'teh'), and 'no' "
         "typed for 'know' where only the verb fits and a clause follows ('how do they no if "
         "...', 'how do docs no its SPMS'; not 'how can I no it get worse').",
         "steriods -> steroids; clinical trails -> trials"),
    Rule("vocabulary", "question",
         "Synonyms and broader terms from data/vocabulary.txt are added at a lower weight.",
         "Mayzent also looks for siponimod"),
    Rule("named-members", "question",
         "A class of medicines the question names (a drug, a DMT, steroids, a generic) also "
         "looks for its named members (brands, generics, the classes of medicine), which answer a "
         "question about the class; so do the allied health professions (the physiotherapist, the "
         "occupational therapist).",
         "is there a drug for active SPMS -> also looks for 'disease modifying therapy'"),
    Rule("combined-entries", "question",
         "A multi-word vocabulary entry whose words the question says apart or in other words "
         "becomes one more group, which ranks but adds nothing to the confidence; a passage "
         "saying the entry covers, in ranking, each group it joins as a broader term would. "
         "Not an entry ending in the illness's name said far apart ('active ... MS'), nor a "
         "treatment of a thing the question keeps from happening ('stop me having relapses'), "
         "nor a verb entry whose object is said as the subject.",
         "treatment for an MS attack holds 'relapse treatment'"),
    Rule("scaffolding-phrases", "question",
         "Phrases that only frame a question are dropped (tell me, let me know, I have a "
         "question about, how long, how often, is that normal, are used for, a closing 'or "
         "not').",
         "tell me about steroids -> steroids; what drugs are used for SPMS -> drugs for SPMS"),
    Rule("manner-of-telling", "question",
         "Phrases saying how the asker wants the answer told are dropped (in plain words, in "
         "simple terms, in a nutshell, in layman's terms, simply put, like I'm five): they ask "
         "for a plain answer and name nothing a passage says.",
         "what is HSCT in plain words -> HSCT"),
    Rule("pace-asked", "question",
         "A question that asks how fast the illness goes (how fast / how quickly, slow or fast, "
         "get worse quickly) keeps the pace as the kind of answer asked for and drops the pace "
         "words as words to find, the way 'how long' is; kept when it names a treatment, "
         "asks what slows the pace down or what makes it, or asks the pace of something else "
         "(a relapse, primary progressive or relapsing remitting MS, lesions, being seen or "
         "referred).",
         "is SPMS slow or fast? -> a sentence saying a pace ('very slowly'), not 'slow down how fast'"),
    Rule("how-to-tell", "question",
         "'How do I know if ...' asks how to tell one thing from another, and only the verb "
         "becomes 'tell' (who tells is kept); knowing about something, more of it, where, who, "
         "what or why is learning of it and is left alone.",
         "how do I know if it's a relapse -> how can I tell if it's a relapse"),
    Rule("given-for", "question",
         "What they can give, prescribe or take for a relapse (a flare-up, an attack, or 'it' "
         "after one is told of), the thing given left unnamed ('anything', 'something', "
         "'what'), asks for the treatment of a relapse. Given for the illness itself or for "
         "anything else the words stay, and a thing named ('what dose of steroids do they "
         "give for ...', 'what are his steroids given for?') is asked about in its own words.",
         "she's having a relapse, is there anything they can give her for it? -> is there "
         "treatment for it?"),
    Rule("what-can-be-done", "question",
         "Asking what can be done, or whether anything helps, for a condition ('what can be done "
         "for SPMS?', 'is there anything I can do about it?', 'anything that helps?') asks how "
         "it is managed, and is read as 'manage'; the asker's fear set beside it ('... or do I "
         "just have to put up with it?') names nothing and is dropped.",
         "is there anything that helps, or do I just have to put up with it? -> manage"),
    Rule("last-stage", "question",
         "Asking whether something is the last (final, end) stage or the end of the line, "
         "whether another stage or type "
         "follows it, or what the illness turns into ('will my MS turn into something else?', the "
         "illness named; not a relapse, a drug or a symptom, nor 'will it change anything else?'), "
         "asks what comes after it (the asker's 'worse' or 'else' kept); a question about the last "
         "stage itself ('the symptoms of end stage MS', 'in the final stage', 'is the final stage "
         "painful?', 'what is the end stage like?') does not: the last stage must end its clause.",
         "is SPMS the final stage? -> also looks for 'comes after'"),
    Rule("told-diagnosis", "question",
         "Being told you have a course of MS, a doctor calling it one, deciding or saying "
         "you have it, or knowing (telling) whether you have it ('that' may be left out in "
         "a question of how or when it is known), or have moved to it, is its diagnosis (in "
         "a clause that asks; in the story it is the story). Whether someone knows one has "
         "it ('does my GP know I have SPMS?') asks who has been told, and moving to an MS "
         "nurse, clinic or drug is no course of MS. A claim about a course ('is it true to say that SPMS "
         "has no relapses?', 'told SPMS can't be treated', 'told SPMS follows RRMS') is not.",
         "how long before they call it SPMS? -> how long before diagnosed with SPMS"),
    Rule("person-inactive", "question",
         "Inactive, not active or no longer active said of a person (I, he, she, my dad ... "
         "have become, are, feel inactive) is moving little, physical inactivity; said of MS, "
         "or in a question about relapses, scans, treatment or its eligibility, it keeps the "
         "MS sense (no disease activity), unless the question speaks of moving about.",
         "I have become inactive, is that bad for my MS? -> physically inactive"),
    Rule("definitions", "question",
         "'What is X?' is cut to X, and a passage and sentence defining X are preferred. Among "
         "other sentences 'what is the X?' with X in everyday words ('the reason') points back "
         "at what was said and is no definition; nor is a role noun said with 'the' ('what is "
         "the treatment?'), which on a page about one illness asks which one.",
         "what does SPMS mean -> a sentence 'SPMS is ...'"),
    Rule("answer-kinds", "question",
         "The wording names the kind of answer (who: a person, how long: a time, why: a reason, "
         "is there a drug: a named medicine or steroids (a medicine only mentioned, 'on a DMT', "
         "'non-drug', 'what do DMTs do?', asks for none), where: a place other than the thing "
         "asked about, the side effects of a treatment: a harm or its "
         "safety, what dose: a quantity); passages and sentences saying one are preferred, "
         "most when the sentence saying it also names a thing asked, and a best passage that "
         "says none is evidence that the page does not answer.",
         "who can help with my balance -> a sentence naming a physiotherapist"),
    Rule("effect-focus", "question",
         "A yes/no question about an effect asks about its cause, or about what is affected "
         "when the cause is the page's own subject; a best passage that does not name it is "
         "evidence that the page does not answer.",
         "does hot weather make MS worse -> weather; can MS affect your sleep -> sleep"),
    Rule("story", "question",
         "In a long question that tells a story before it asks, the story's words count less "
         "than the asking clause's, and a story word the corpus never uses is little evidence "
         "that the page cannot answer.",
         "my mum was diagnosed years ago ..., can she still get relapses?"),
    Rule("heading-match", "ranking",
         "A passage whose heading the question names moves up, by the idf-weighted share named.",
         "steroids -> the Steroids section"),
    Rule("proximity", "ranking",
         "A passage saying neighbouring question words in order, close together, moves up.",
         "managing relapses -> a passage that says those words together"),
    Rule("lead-passage", "ranking",
         "A section's opening passage moves up a little, more when the question names the heading.",
         "how is SPMS diagnosed -> the first passage of that section"),
    Rule("heading-topic", "answer",
         "In picking the answer sentence, words of the passage's own heading count little: the "
         "whole passage is about them.",
         "is HSCT offered on the NHS -> the sentence about the NHS, not the one defining HSCT"),
    Rule("heading-class", "answer",
         "With heading-topic, the words of the class the passage puts its heading's subject in "
         "('HSCT is a kind of stem cell therapy') count little too: under that heading they name "
         "the same thing.",
         "can I get stem cell treatment on the NHS? -> 'HSCT is rarely offered on the NHS ...', "
         "not 'HSCT is a kind of stem cell therapy'"),
    Rule("course-names", "answer",
         "In picking the answer sentence, a question word found only inside the name of a course "
         "of MS the question does not name ('relapsing remitting MS', 'primary progressive MS') "
         "counts nothing: the name says nothing about relapses or progression.",
         "will I still have relapses? -> 'You're no longer likely to have relapses ...', not "
         "'SPMS is a stage of MS which comes after relapsing remitting MS'"),
    Rule("set-aside", "answer",
         "What the question sets aside ('apart from X', 'besides X', 'is X the only ...') counts "
         "little in picking the answer sentence: the answer is what else there is.",
         "besides physio, what helps my balance? -> a sentence naming another help"),
    Rule("hedge-exception", "answer",
         "An answer that states a rule with a hedge ('usually', 'generally', 'most people') comes "
         "with the sentence after it when that one names those it does not hold for ('Some people "
         "...', 'Not everyone ...'): alone, the rule reads as true for everyone.",
         "will my relapses stop? -> 'The old pattern of ... relapses ... usually comes to an end. "
         "Some people may still get relapses ...'"),
    Rule("conditions-together", "answer",
         "An answer that states a requirement ('you must have had relapses ...') comes with the "
         "next sentence when that one states a requirement too ('... mustn't be linked to any "
         "relapse'), and one that opens with a requirement starts at the first of those stated "
         "just before it: the conditions of one thing are shown whole, not in part.",
         "does getting worse after a relapse count towards an SPMS diagnosis? -> '... you must have "
         "had relapses in the past ... Things getting worse mustn't be linked to any relapse ...'"),
    Rule("qualifier-explained", "answer",
         "An answer whose condition turns on a word ('... only if their MS is still active') comes "
         "with the next sentence when that one says when the word holds ('Your MS is active if you "
         "still get relapses, or ...'): without it the reader cannot tell whether they meet the "
         "condition.",
         "does my MS have to be active to get HSCT? -> '... only if their MS is still active. Your "
         "MS is active if you still get relapses, or ...'"),
    Rule("inline-list", "answer",
         "An answer comes with the next sentence when that one names the members of what the "
         "answer spoke of ('These include ...', 'For example ...'): the list written into a "
         "sentence, as the bullets after a colon are.",
         "are there new drugs for SPMS? -> 'Several drugs are now being tested ... These include "
         "drugs to repair myelin, protect nerves, ...'"),
    Rule("does-it-mean", "answer",
         "In a yes/no question 'does X mean Y?', 'mean' asks whether one thing signals or leads "
         "to another: in picking the answer sentence it counts nothing, so a sentence that "
         "explains a word ('... here means ...') does not win over one that links X and Y.",
         "does a relapse mean there is inflammation? -> 'A relapse is a sign of this "
         "inflammation.'"),
    Rule("referring-pair", "answer",
         "Sentences that lean on the one before ('Its name is ...', 'If they are, ...', 'But ...') "
         "are offered as one run (at most 3 sentences, 60 words) when the run answers better than "
         "any one of them; an answer that opens by pointing back comes with the sentence it "
         "points at, and one after it that opens with a contrast ('But ...'), a consequence "
         "('So ...'), a reason ('This was because ...'), or points back in at most 12 words, "
         "is joined; and an answer that only says the question back runs on to the next "
         "sentence.",
         "is there a drug for active SPMS -> '... one DMT can slow down ... Its name is siponimod'"),
    Rule("value-kinds", "decision",
         "A question whose answer is a value of one kind (a number, a frequency, a schedule, a "
         "price, a phone number, a time of day, a dose, how soon a treatment acts, a named "
         "hospital, an age, a score on a scale, a length of time asked 'how long') is not "
         "answered by a passage that gives no such value, however well it matches the "
         "words: its confidence is capped below any usual bar "
         "(answerability.VALUE_KIND_CAP).",
         "how many people in the UK have MS -> declined (the page gives no number of people)"),
    Rule("question-text", "decision",
         "On the corpus it was fitted on, what thousands of labelled questions show about a "
         "question's words (which section questions so worded are answered by) orders the "
         "best passages and is evidence for the decision; a place, a safety or a medicine's "
         "name asked and not given is capped, so is 'which X?' of a class of medicine answered "
         "by a passage that says X and names none of it (questiontext.py). Off: the engine's own order, "
         "and the model that knows no section decides.",
         "my legs are getting weaker every year, is that the MS? -> declined (0.10), not "
         "answered from the rehabilitation section (0.81 without it)"),
    Rule("words-favourites", "decision",
         "With question-text, a passage the words model gives at least half the probability "
         "joins the candidates though the engine ranked it below them, when it holds something "
         "the question asks besides the page's own subject: a question worded unlike its "
         "answer otherwise never reaches the passage the words model is sure of. (Without that "
         "condition the words model alone chose the passage, and answered 'can the doctor give "
         "her anything for SPMS?' from the steroids for relapses.)",
         "my brother has SPMS, is there something worse it can turn into? -> 'There's no other "
         "type of MS that comes after ...', not declined"),
    Rule("words-sure", "decision",
         "With words-favourites, a passage the words model gives at least 0.9 joins the "
         "candidates though it shares only the page's own subject with the question, when the "
         "engine's best passage holds less than half the question's weight: the question is "
         "worded wholly unlike its answer and the engine has found nothing better. Where the "
         "engine's best passage says most of the question, the words model's certainty does "
         "not outvote it.",
         "who can I ring with questions about my SPMS? -> 'Our MS Helpline team can help you "
         "answer all your questions ...', not declined"),
    Rule("place-only", "decision",
         "A question that names nothing but a place or the NHS besides the page's own subject "
         "('is it used in the UK?') asks about a thing it does not name: its confidence is "
         "capped below any usual bar.",
         "what is in the UK? -> declined"),
)}


class Parameters(FrozenRecord):
    """The ranking constants, and the rules switched off (see :data:`RULES`).

    Left out on purpose: the BM25 constants and field boosts, which belong to the index
    schema (``scoring.FIELDS``, ``scoring.K1``), and the phrase gap of sentence analysis
    (``sentences.PHRASE_GAP``), which the cached sentence functions share.

    The values are round numbers set on the tuning questions (docs/ranking.md, section 4);
    the answer-or-decline model has its own fitted weights (``data/answerability.json``).
    """

    #: What a spelling fix, a synonym, a broader term and the user's words of a phrase in
    #: any order weigh in ranking, against the user's own words (1.0).
    correction_weight: float
    expansion_weight: float
    related_weight: float
    narrower_weight: float
    bag_weight: float
    #: How much a synonym, a broader term and the words of a phrase found apart count
    #: towards covering a group, against the user's own words (1.0).
    expansion_credit: float
    related_credit: float
    narrower_credit: float
    bag_credit: float
    #: A group found only elsewhere in the passage's section counts this much. Fitted by
    #: ``tools/fit_ranking.py`` (0.75 before): 5-fold cross-validated, +8 of 2,013 held-out
    #: outcomes (right section first, top passage and answer hold the expected words) over
    #: the 671 answerable tuning questions; a passage that says the thing itself is the
    #: better answer than one whose neighbour says it.
    context_credit: float
    #: score = bm25 * (coverage_base + coverage) ** coverage_power * (1 + heading bonus)
    coverage_base: float
    coverage_power: float
    heading_bonus: float
    #: Everyday words (``english.is_everyday``) weigh at most this, down to
    #: ``everyday_min_share`` of it.
    common_word_weight: float
    everyday_min_share: float
    #: The second pass, over the best ``rerank_depth`` passages.
    rerank_depth: int
    lead_bonus: float
    lead_heading_bonus: float
    definition_bonus: float
    expected_sentence_share: float
    expected_kind_bonus: float
    #: What the answer-kind bonus counts (of ``expected_kind_bonus``) when no sentence that
    #: says the kind also names a thing asked, itself or in the sentence it leans on: a
    #: time, a person or a place said about something else is weaker evidence that the
    #: passage answers (docs/ranking.md, section 2).
    kind_elsewhere_share: float
    #: 0.5 since the sentence-coverage factor, which also rewarded words said together, was
    #: removed (docs/ranking.md, section 4): neutral on the three public collections (within
    #: 0.002 nDCG@10) and on the tuning questions (one gained, one lost).
    proximity_bonus: float
    #: What the story before a long question counts, and what a word of the story that the
    #: corpus never uses counts of its everyday-English weight.
    story_emphasis: float
    story_unknown_share: float
    #: Answer picking: what saying the kind of thing asked adds (a share of the heaviest
    #: group), and what a word of the passage's own heading counts.
    expected_share: float
    heading_share: float
    disabled: frozenset[str]

    __slots__ = _fields = (
        "correction_weight", "expansion_weight", "related_weight", "narrower_weight", "bag_weight",
        "expansion_credit", "related_credit", "narrower_credit", "bag_credit", "context_credit",
        "coverage_base", "coverage_power",
        "heading_bonus", "common_word_weight", "everyday_min_share", "rerank_depth", "lead_bonus",
        "lead_heading_bonus", "definition_bonus", "expected_sentence_share", "expected_kind_bonus",
        "kind_elsewhere_share", "proximity_bonus", "story_emphasis", "story_unknown_share", "expected_share",
        "heading_share",
        "disabled",
    )

    def __init__(
        self,
        correction_weight: float = 0.9,
        expansion_weight: float = 0.6,
        related_weight: float = 0.45,
        narrower_weight: float = 0.6,
        bag_weight: float = 0.9,
        expansion_credit: float = 0.8,
        related_credit: float = 0.5,
        narrower_credit: float = 0.8,
        bag_credit: float = 0.9,
        context_credit: float = 0.5625,
        coverage_base: float = 0.25,
        coverage_power: float = 3.0,
        heading_bonus: float = 1.0,
        common_word_weight: float = 1.0,
        everyday_min_share: float = 0.7,
        rerank_depth: int = 30,
        lead_bonus: float = 0.05,
        lead_heading_bonus: float = 0.3,
        definition_bonus: float = 1.0,
        expected_sentence_share: float = 0.25,
        expected_kind_bonus: float = 1.5,
        kind_elsewhere_share: float = 0.4,
        proximity_bonus: float = 0.5,
        story_emphasis: float = 0.5,
        story_unknown_share: float = 0.25,
        expected_share: float = 0.5,
        heading_share: float = 0.25,
        disabled: frozenset[str] | None = None,
    ) -> None:
        object.__setattr__(self, "correction_weight", correction_weight)
        object.__setattr__(self, "expansion_weight", expansion_weight)
        object.__setattr__(self, "related_weight", related_weight)
        object.__setattr__(self, "narrower_weight", narrower_weight)
        object.__setattr__(self, "bag_weight", bag_weight)
        object.__setattr__(self, "expansion_credit", expansion_credit)
        object.__setattr__(self, "related_credit", related_credit)
        object.__setattr__(self, "narrower_credit", narrower_credit)
        object.__setattr__(self, "bag_credit", bag_credit)
        object.__setattr__(self, "context_credit", context_credit)
        object.__setattr__(self, "coverage_base", coverage_base)
        object.__setattr__(self, "coverage_power", coverage_power)
        object.__setattr__(self, "heading_bonus", heading_bonus)
        object.__setattr__(self, "common_word_weight", common_word_weight)
        object.__setattr__(self, "everyday_min_share", everyday_min_share)
        object.__setattr__(self, "rerank_depth", rerank_depth)
        object.__setattr__(self, "lead_bonus", lead_bonus)
        object.__setattr__(self, "lead_heading_bonus", lead_heading_bonus)
        object.__setattr__(self, "definition_bonus", definition_bonus)
        object.__setattr__(self, "expected_sentence_share", expected_sentence_share)
        object.__setattr__(self, "expected_kind_bonus", expected_kind_bonus)
        object.__setattr__(self, "kind_elsewhere_share", kind_elsewhere_share)
        object.__setattr__(self, "proximity_bonus", proximity_bonus)
        object.__setattr__(self, "story_emphasis", story_emphasis)
        object.__setattr__(self, "story_unknown_share", story_unknown_share)
        object.__setattr__(self, "expected_share", expected_share)
        object.__setattr__(self, "heading_share", heading_share)
        object.__setattr__(self, "disabled", frozenset() if disabled is None else disabled)

    def on(self, rule: str) -> bool:
        """True unless ``rule`` (a name in :data:`RULES`) is switched off."""
        return rule not in self.disabled

    def without(self, *rules: str) -> Parameters:
        """These parameters with ``rules`` switched off; an unknown name is an error."""
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; the rules are: {', '.join(RULES)}")
        return self._replace(disabled=self.disabled | frozenset(rules))


DEFAULT = Parameters()
