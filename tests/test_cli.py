"""The command line, through Click's CliRunner and through real subprocesses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from spms_search.cli import main

from .conftest import CORPUS, cli_env
from .conftest import installed_exe as _exe

JSON_KEYS = ["rank", "score", "document", "heading", "headings", "section", "text", "answer"]


@pytest.fixture()
def run(index_dir):
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(main, [*args, "--corpus", str(CORPUS), "--index", str(index_dir)]
                             if args and args[0] in ("search", "sections", "show", "eval")
                             else list(args), env=env, catch_exceptions=False)

    return invoke


def test_search_groups_passages_under_one_heading_path_without_scores(run):
    result = run("search", "who", "helps", "with", "balance", "problems?", "--limit", "2",
                 env={"COLUMNS": "100"})
    assert result.exit_code == 0
    out = " ".join(result.output.split())
    assert out.startswith(
        "1. Secondary progressive MS (SPMS) \u203a Managing secondary progressive "
        "MS (SPMS) \u203a Wellbeing and rehabilitation For example:")
    # both passages are from that section: one heading path, no second number
    assert out.count("Wellbeing and rehabilitation") == 1 and "\n2. " not in result.output
    # the answer sentence once, inside its passage; piped, nothing marks it
    assert out.count("a physiotherapist and occupational therapist can often help") == 1
    assert "\u2192" not in out and "\x1b[" not in result.output
    assert "score" not in out


def test_explain_shows_each_score(run):
    out = run("search", "--explain", "who helps with balance problems?").output
    assert "(result 1, score " in out


def test_results_far_weaker_than_the_best_are_left_out_and_said_so(run, searcher):
    question = "who helps with balance problems?"
    response = searcher.ask(question, 5)
    best = response.results[0].score
    weak = [r for r in response.results if r.score < best / 10]
    assert weak, "the example needs a weak result"
    out = " ".join(run("search", question).output.split())
    assert f"({len(weak)} weaker result" in out and "--all shows them" in out
    for r in weak:
        assert " ".join(r.text.split()) not in out
    everything = " ".join(run("search", "--all", question).output.split())
    assert all(" ".join(r.text.split()) in everything for r in weak)
    assert "weaker" not in everything


def test_json_output_is_exactly_the_contract(run):
    result = run("search", "--json", "--limit", "3", "can I still get relapses?")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data) == ["version", "query", "results", "suggestion", "confidence", "declined",
                          "browse", "truncated"]
    assert data["version"] == 1
    assert data["declined"] is False and data["browse"] == [] and 0.5 < data["confidence"] <= 1
    assert data["query"] == "can I still get relapses?"
    assert data["suggestion"] is None
    assert len(data["results"]) == 3
    for item in data["results"]:
        assert list(item)[: len(JSON_KEYS)] == JSON_KEYS  # the original keys, in their order
        assert isinstance(item["rank"], int) and isinstance(item["score"], float)
        assert isinstance(item["headings"], list)
    assert data["results"][0]["heading"] == "Can you still get relapses with secondary progressive MS (SPMS)?"


def test_json_links_results_to_their_source_under_spms_search_base_url(run):
    data = json.loads(run("search", "--json", "steroids", env={"SPMS_SEARCH_BASE_URL": "https://pub.example/ms"}).output)
    assert data["results"][0]["url"] == "https://pub.example/ms/secondary-progressive-ms.html#steroids"
    assert json.loads(run("search", "--json", "steroids").output)["results"][0]["url"] is None


def test_json_carries_the_spelling_suggestion(run):
    data = json.loads(run("search", "--json", "steriods").output)
    assert data["suggestion"] == "steroids"
    assert data["results"][0]["section"] == "steroids"


def test_no_confident_answer_exits_1_and_offers_headings(run):
    result = run("search", "how do I renew my passport")
    assert result.exit_code == 1
    assert "No confident answer" in result.output
    assert "Wellbeing and rehabilitation  [wellbeing-and-rehabilitation]" in result.output
    data = json.loads(run("search", "--json", "best pizza recipe").output)
    assert data["results"] == [] and data["declined"] is True
    assert {"heading": "Steroids", "section": "steroids"}.items() <= \
        next(b for b in data["browse"] if b["section"] == "steroids").items()


@pytest.mark.parametrize("args,message", [
    (("search",), "no question given"),
    (("search", "   "), "no question given"),
    (("search", "--limit", "0", "relapses"), "at least 1"),
    (("search", "--limit", "-3", "relapses"), "at least 1"),
    (("show", "no such section"), "spms-search sections"),
])
def test_input_errors_exit_2_with_one_line(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_limit_that_is_not_a_number_is_a_usage_error(run):
    result = run("search", "--limit", "lots", "relapses")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_explain_shows_how_the_question_was_read(run):
    result = run("search", "--explain", "--limit", "1", "physio for wobbly legs")
    assert result.exit_code == 0
    assert "How the question was read:" in result.output
    assert "looking for: physio" in result.output and "physiotherapy" in result.output
    assert "confidence" in result.output and "Result 1:" in result.output


def test_explain_shows_a_definition_question_and_a_combined_group(run):
    result = run("search", "--explain", "--limit", "1", "what does SPMS mean")
    assert "asks what this is: SPMS" in result.output
    result = run("search", "--explain", "--limit", "1", "treatment for an MS attack")
    assert "combined (ranks, not counted in confidence): treatment + attack" in result.output
    assert "steroids" in result.output


def test_explain_shows_the_kind_of_answer_asked_for_and_the_story(run):
    result = run("search", "--explain", "--limit", "1", "who should I talk to about siponimod")
    assert "asks for: a person or service" in result.output
    result = run("search", "--explain", "--limit", "1",
                 "my mum was diagnosed with RRMS 15 years ago and her neurologist says she may "
                 "have moved to secondary progressive, can she still get relapses?")
    assert "story before the question (counts 0.5): diagnosed" in result.output
    assert "looking for: relapses" in result.output


def test_sections_prints_the_heading_tree(run):
    result = run("sections", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "secondary-progressive-ms.html"
    assert "      Steroids  [steroids]" in lines
    assert sum("[" in line for line in lines) == 12  # every section, each once
    assert max(len(line) for line in lines) <= 100


def test_show_prints_a_section_by_heading_or_slug(run):
    by_heading = run("show", "HSCT")
    by_slug = run("show", "hsct")
    assert by_heading.exit_code == 0 and by_heading.output == by_slug.output
    assert "HSCT is a kind of stem cell therapy." in by_heading.output


def test_rebuild_prints_counts(tmp_path):
    result = CliRunner().invoke(main, ["rebuild", "--corpus", str(CORPUS), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "documents 1  sections 12  passages 28" in result.output


def test_rebuild_prints_json(tmp_path):
    result = CliRunner().invoke(main, ["rebuild", "--json", "--corpus", str(CORPUS),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["documents"], data["sections"], data["passages"]) == (1, 12, 28)
    assert data["warnings"] == [] and data["index_dir"] == str(tmp_path / "ix")


def test_rebuild_refuses_a_foreign_folder_with_exit_3(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["rebuild", "--corpus", str(CORPUS), "--index", str(tmp_path)])
    assert result.exit_code == 3
    assert "refusing to touch it" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_a_missing_corpus_exits_4(tmp_path):
    result = CliRunner().invoke(main, ["search", "relapses", "--corpus", str(tmp_path / "none"),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code == 4
    assert "does not exist" in result.output


def test_help_documents_the_exit_codes():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for line in ("0   results found", "1   no passage answered", "2   usage or input error",
                 "3   index problem", "4   corpus problem", "5   another rebuild"):
        assert line in result.output


NASTY = [
    '"unbalanced quote', "(unbalanced bracket", "AND", "OR NOT", "*", "~2", "^3", "[a TO",
    "heading:steroids", "body:", "\x1b[31mred\x1b[0m relapse", "\u202erelapse\u202c", "\U0001f9e0 brain",
    "relapse\x00\x07", "x" * 100_000, "relapse " * 5000, "'", '""', "-", "\ufeff",
]


@pytest.mark.parametrize("question", NASTY, ids=range(len(NASTY)))
def test_hostile_questions_never_show_a_traceback(run, question):
    result = run("search", question)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    assert "\x1b[31m" not in result.output and "\u202e" not in result.output


def test_corpus_escape_sequences_are_not_written_to_the_terminal(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "evil.md").write_text("# Evil\n\nRelapse \x1b]0;pwned\x07 advice \x1b[2J here.\n")
    result = CliRunner().invoke(main, ["search", "relapse advice", "--corpus", str(corpus),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output


# --------------------------------------------------------------------------- real processes


def test_the_installed_command_answers_from_outside_the_checkout(tmp_path):
    proc = subprocess.run(
        [_exe(), "search", "--json", "can I still get relapses?"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env=cli_env(SPMS_SEARCH_INDEX=str(tmp_path / "ix"), XDG_CACHE_HOME=str(tmp_path / "cache")),
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["results"][0]["section"] == "can-you-still-get-relapses-with-secondary-progressive-ms-spms"
    assert "built the index" in proc.stderr


def test_python_dash_m_runs_the_same_command(tmp_path, index_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "spms_search", "search", "--limit", "1", "Mayzent",
         "--corpus", str(CORPUS), "--index", str(index_dir)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=cli_env(),
    )
    assert proc.returncode == 0, proc.stderr
    assert "siponimod (Mayzent)" in proc.stdout


def test_eval_unseen_against_in_a_subprocess(tmp_path, index_dir):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "Is MS contagious?", "off_topic": True}) + "\n"
                         + json.dumps({"question": "is hair dye safe", "off_topic": True}) + "\n")
    tuned = tmp_path / "tuned.jsonl"
    tuned.write_text(json.dumps({"question": "is ms contagious", "off_topic": True}) + "\n")
    proc = subprocess.run(
        [_exe(), "eval", "--json", "--unseen-against", str(tuned), str(questions),
         "--corpus", str(CORPUS), "--index", str(index_dir)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=cli_env(),
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["left_out_seen"] == 1 and data["off_topic"] == 1


def test_non_utf8_bytes_in_the_question_are_handled(tmp_path, index_dir):
    # the undecodable bytes are dropped and the rest of the question is answered
    proc = subprocess.run(
        [_exe(), "search", b"can I still get relapses \xff\xfe caf\xe9", "--json",
         "--corpus", str(CORPUS), "--index", str(index_dir)],
        cwd=tmp_path, capture_output=True, timeout=120, env=cli_env(),
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["results"][0]["section"] == "can-you-still-get-relapses-with-secondary-progressive-ms-spms"


def test_a_corrupt_index_in_a_subprocess_is_repaired_without_a_traceback(tmp_path):
    ix = tmp_path / "ix"
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    args = [_exe(), "search", "steroids", "--corpus", str(CORPUS), "--index", str(ix)]
    assert subprocess.run(args, capture_output=True, timeout=120, env=env).returncode == 0
    (ix / "spms-search-index.json").write_text("garbage")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "Steroids" in proc.stdout


def test_a_bad_vocabulary_file_is_a_one_line_input_error(run, tmp_path, monkeypatch):
    bad = tmp_path / "vocabulary.txt"
    bad.write_text("go on to | move on\n")
    for path in (bad, tmp_path / "missing.txt"):
        monkeypatch.setenv("SPMS_SEARCH_VOCABULARY", str(path))
        result = run("search", "relapses")
        assert result.exit_code == 2, result.output
        assert "SPMS_SEARCH_VOCABULARY" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- issue 13: habits


@pytest.fixture()
def bare(index_dir):
    """Invoke with exactly the given arguments; corpus and index come from the environment."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        environment = {"SPMS_SEARCH_CORPUS": str(CORPUS), "SPMS_SEARCH_INDEX": str(index_dir),
                       "COLUMNS": "100", **(env or {})}
        return runner.invoke(main, list(args), input=input, env=environment, catch_exceptions=False)

    return invoke


def test_a_question_alone_runs_search(bare):
    result = bare("can I still get relapses?")
    assert result.exit_code == 0, result.output
    assert "occasional relapse" in result.output
    assert bare("--limit", "1", "--json", "steroids").exit_code == 0
    assert json.loads(bare("--json", "-n", "1", "steroids").output)["results"][0]["section"] == "steroids"


def test_the_question_can_come_on_standard_input(bare):
    for args in ((), ("search",), ("-",), ("search", "-")):
        result = bare(*args, "--json", input="who helps with\nbalance problems?\n")
        assert result.exit_code == 0, (args, result.output)
        data = json.loads(result.output)
        assert data["query"] == "who helps with balance problems?"
        assert data["results"][0]["section"] == "wellbeing-and-rehabilitation"


def test_an_empty_standard_input_is_no_question(bare):
    result = bare("search", input="")
    assert result.exit_code == 2 and "no question given" in result.output


@pytest.mark.parametrize("args", [
    ("--bogus",), ("search", "--bogus", "q"), ("--limit", "lots", "q"), ("--color", "pink", "q"),
    ("show",), ("eval",), ("rebuild", "extra"), ("sections", "--json", "--nope"),
    ("chat", "--limit", "x"),
])
def test_every_usage_error_is_one_line_in_the_package_format(bare, args):
    result = bare(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("spms-search: error: ") and "--help'" in lines[0]


def test_version_and_help_still_work(bare):  # a bare command on a terminal: test_terminal.py
    assert ", version " in bare("--version").output
    assert "Exit codes:" in bare("--help").output
    assert "read one section in full" in bare("chat", "--help").output


def _bold_runs(text: str) -> list[str]:
    import re

    return re.findall(r"\x1b\[1m(.*?)\x1b\[0m", text, flags=re.S)


def test_the_answer_sentence_is_bold_inside_its_passage_when_colour_is_on(bare):
    result = bare("--color", "always", "--limit", "1", "is HSCT available on the NHS")
    answer = "HSCT is rarely offered on the NHS in the UK to people with secondary progressive MS"
    bold = " ".join(" ".join(_bold_runs(result.output)).split())
    assert answer in bold
    assert "stem cell therapy" not in bold  # only the answer, not the rest of its passage
    plain = bare("--color", "never", "--limit", "1", "is HSCT available on the NHS").output
    assert "\x1b[" not in plain
    assert " ".join(plain.split()).count(answer) == 1


@pytest.mark.parametrize("env,flag,coloured", [
    ({}, None, False),                                  # piped: no colour
    ({"FORCE_COLOR": "1"}, None, True),                 # FORCE_COLOR: colour even piped
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, None, False),  # NO_COLOR wins over FORCE_COLOR
    ({"NO_COLOR": "", "FORCE_COLOR": "1"}, None, True),  # an empty NO_COLOR does not count
    ({"NO_COLOR": "1"}, "always", True),                # the command line wins
    ({"FORCE_COLOR": "1"}, "never", False),
])
def test_colour_follows_the_flag_then_no_color_then_force_color(bare, env, flag, coloured):
    args = ["--color", flag] if flag else []
    result = bare(*args, "--limit", "1", "steroids", env=env)
    assert ("\x1b[" in result.output) is coloured


def test_an_empty_no_color_leaves_colour_on_a_terminal():
    from spms_search.render import color_choice

    class Tty:
        def isatty(self) -> bool:
            return True

    assert color_choice("auto", Tty(), {"NO_COLOR": ""}) is True  # type: ignore[arg-type]
    assert color_choice("auto", Tty(), {"NO_COLOR": "x"}) is False  # type: ignore[arg-type]
    assert color_choice("auto", Tty(), {"TERM": "dumb"}) is False  # type: ignore[arg-type]


def test_sections_and_show_print_json(bare):
    data = json.loads(bare("sections", "--json").output)
    assert [s["heading"] for s in data["sections"]][:2] == [
        "Secondary progressive MS (SPMS)", "How is secondary progressive MS (SPMS) diagnosed?"]
    assert {"document", "title", "heading", "headings", "section", "level"} <= set(data["sections"][0])
    shown = json.loads(bare("show", "--json", "hsct").output)
    assert shown["section"] == "hsct" and shown["headings"][-1] == "HSCT"
    assert shown["passages"][0].startswith("HSCT is a kind of stem cell therapy.")


def test_eval_prints_json(bare, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "can I still get relapses?",
                                     "headings": ["Can you still get relapses with secondary "
                                                  "progressive MS (SPMS)?"]}) + "\n")
    data = json.loads(bare("eval", "--json", str(questions)).output)
    assert data["hit_at_1"] == 1.0 and "by_kind" not in data


def test_eval_by_kind_prints_a_row_for_each_kind_and_no_question(bare, tmp_path):
    questions = tmp_path / "q.jsonl"
    relapses = ["Can you still get relapses with secondary progressive MS (SPMS)?"]
    questions.write_text(json.dumps({"question": "can I still get relapses?", "kind": "plain",
                                     "headings": relapses}) + "\n"
                         + json.dumps({"question": "who helps with balance problems?", "kind": "lay",
                                       "headings": relapses}) + "\n")
    # --by-kind is meant for sealed sets: even without --figures-only it never lists a question,
    # not even one that missed.
    for options in (["--figures-only", "--by-kind"], ["--by-kind"]):
        result = bare("eval", *options, str(questions))
        assert result.exit_code == 0
        row = next(line.split() for line in result.output.splitlines() if line.strip().startswith("plain"))
        assert row[:3] == ["plain", "1+0", "1.00"]
        assert "relapses?" not in result.output and "balance" not in result.output
    data = json.loads(bare("eval", "--json", "--by-kind", str(questions)).output)
    assert data["by_kind"]["plain"]["hit_at_1"] == 1.0 and "misses" not in data


def test_eval_unseen_against_leaves_out_the_questions_a_tuning_file_holds(bare, tmp_path):
    relapses = ["Can you still get relapses with secondary progressive MS (SPMS)?"]
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "Can I still get relapses?", "headings": relapses}) + "\n"
                         + json.dumps({"question": "is MS contagious", "off_topic": True}) + "\n")
    tuned = tmp_path / "tuned"
    tuned.mkdir()
    # the same words with other capitals and punctuation count as the same question
    (tuned / "t.jsonl").write_text(json.dumps({"question": "can i still get relapses",
                                               "headings": relapses}) + "\n")
    result = bare("eval", "--figures-only", "--unseen-against", str(tuned), str(questions))
    assert result.exit_code == 0
    assert f"left out 1 of 2 questions: word for word in {tuned}" in result.output
    assert "0 answerable and 1 off-topic questions" in result.output
    data = json.loads(bare("eval", "--json", "--unseen-against", str(tuned), str(questions)).output)
    assert data["left_out_seen"] == 1 and data["answerable"] == 0 and data["off_topic"] == 1


def test_eval_says_so_when_every_question_was_seen_or_the_tuning_file_is_missing(bare, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "is MS contagious", "off_topic": True}) + "\n")
    result = bare("eval", "--unseen-against", str(questions), str(questions))
    assert result.exit_code == 2 and "nothing is left to measure" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = bare("eval", "--unseen-against", str(tmp_path / "absent.jsonl"), str(questions))
    assert result.exit_code == 2 and "cannot read question file" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = bare("eval", "--unseen-against", str(empty), str(questions))
    assert result.exit_code == 2 and "holds no .jsonl question file" in result.output


def test_show_lists_the_candidates_when_a_name_fits_several_sections(bare):
    result = bare("show", "what")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    for slug in ("what-sort-of-changes-happen-when-you-move-from-relapsing-to-secondary-progressive-ms-spms",
                 "what-comes-after-secondary-progressive-ms-spms", "what-support-can-i-get"):
        assert slug in result.output


def test_show_suggests_the_nearest_headings_when_nothing_fits(bare):
    result = bare("show", "relapse")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "did you mean can-you-still-get-relapses-with-secondary-progressive-ms-spms" in result.output
    assert "steroid" in bare("show", "steriods").output


def test_show_refuses_a_heading_two_documents_share(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.md").write_text(f"# Guide {name}\n\n## Steroids\n\nSteroids text {name}.\n")
    result = CliRunner().invoke(main, ["show", "steroids", "--corpus", str(corpus),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2, result.output
    assert "fits 2 sections: a.md#a--steroids, b.md#b--steroids" in result.output
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    assert "Steroids text a." in CliRunner().invoke(main, ["show", "a.md#a--steroids", *args]).output
    assert "Steroids text b." in CliRunner().invoke(main, ["show", "b--steroids", *args]).output


def _complete(words: str, index_dir: Path) -> list[str]:
    env = {"_SPMS_SEARCH_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
           "SPMS_SEARCH_CORPUS": str(CORPUS), "SPMS_SEARCH_INDEX": str(index_dir)}
    result = CliRunner().invoke(main, [], env=env, prog_name="spms-search")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_the_shell_completes_commands_options_and_section_slugs(index_dir):
    assert {"search", "sections", "show"} <= set(_complete("spms-search s", index_dir))
    assert "chat" in _complete("spms-search c", index_dir)
    assert "--limit" in _complete("spms-search search --l", index_dir)
    assert _complete("spms-search show ste", index_dir) == ["steroids"]
    assert "hsct" in _complete("spms-search show ", index_dir)


def test_completing_a_slug_never_builds_an_index(tmp_path):
    assert _complete("spms-search show ste", tmp_path / "none") == []
    assert not (tmp_path / "none").exists()


def test_chat_answers_lines_from_a_pipe_and_understands_its_commands(bare):
    lines = ["can I still get relapses?", "show hsct", "sections", "help",
             "show me the drug for active SPMS", "", "quit", "this is never read"]
    result = bare("chat", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "occasional relapse" in out
    assert "HSCT is a kind of stem cell therapy." in out
    assert "[what-support-can-i-get]" in out
    assert "read one section in full" in out
    assert "siponimod" in out  # "show me ..." names no section: answered as a question
    assert "> " not in out  # no prompt when not at a terminal


def test_chat_opens_the_index_once_for_all_its_questions(bare, monkeypatch):
    import importlib

    search_module = importlib.import_module("spms_search.search")
    opened: list[object] = []
    real = search_module.open_index

    def counting(*args: object, **kwargs: object):
        opened.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "open_index", counting)
    result = bare("chat", input="steroids\nrelapses\nwho helps with balance problems?\n")
    assert result.exit_code == 0 and "physiotherapist" in result.output
    assert len(opened) == 1


def test_chat_offers_sections_to_read_with_its_own_show(bare):
    out = bare("chat", input="best pizza recipe\n").output
    assert "No confident answer" in out and "read one with 'show SECTION'" in out
    assert "spms-search show" not in out


def test_chat_reports_a_bad_question_and_goes_on(bare):
    # control characters alone are an empty question: an error, then the next question
    out = bare("chat", input="\x07\x07\nsteroids\n")
    assert out.exit_code == 0
    error = out.output.index("error: the question is empty")
    assert out.output.index("they can be treated with", error) > error


# --------------------------------------------------------------------------- output errors


def test_a_full_disk_is_reported_with_exit_74(index_dir):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([_exe(), "steroids", "--corpus", str(CORPUS), "--index", str(index_dir)],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, env=cli_env())
    assert proc.returncode == 74, proc.stderr
    assert proc.stderr.startswith("spms-search: error: could not write the output")
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_a_closed_standard_output_is_reported_with_exit_74(index_dir):
    if shutil.which("sh") is None:
        pytest.skip("needs a POSIX shell to close standard output")
    proc = subprocess.run(["sh", "-c", '"$0" "$@" >&-', _exe(), "steroids", "--corpus", str(CORPUS),
                           "--index", str(index_dir)],
                          stderr=subprocess.PIPE, text=True, timeout=120, env=cli_env())
    assert proc.returncode == 74, proc.stderr
    assert "standard output is closed" in proc.stderr and "Traceback" not in proc.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(index_dir):
    if shutil.which("sh") is None:
        pytest.skip("needs a POSIX shell")
    proc = subprocess.run(["sh", "-c", '"$0" "$@" | head -c 1 >/dev/null', _exe(), "--all", "-n", "100",
                           "relapses", "--corpus", str(CORPUS), "--index", str(index_dir)],
                          stderr=subprocess.PIPE, text=True, timeout=120, env=cli_env())
    assert proc.returncode == 0 and proc.stderr == ""


def test_chat_more_shows_what_the_last_answer_left_out(bare, searcher):
    question = "who helps with balance problems?"
    response = searcher.ask(question, 5)
    weak = [r for r in response.results if r.score < response.results[0].score / 10]
    out = bare("chat", input=f"{question}\n").output
    assert "type more to see them" in out
    assert not any(" ".join(r.text.split()) in " ".join(out.split()) for r in weak)
    out = " ".join(bare("chat", input=f"{question}\nmore\n").output.split())
    assert weak and all(" ".join(r.text.split()) in out for r in weak)


_FREEZE_PROBE = """
import gc, sys
from spms_search.cli import main
before = gc.get_freeze_count()
try:
    main(sys.argv[1:], prog_name="spms-search")
except SystemExit:
    pass
given = gc.get_freeze_count()
sys.argv[1:] = ["--version"]
try:
    main()
except SystemExit:
    pass
print(before, given, gc.get_freeze_count() > 0, file=sys.stderr)
"""


def test_only_a_command_line_of_the_process_s_own_ends_without_the_final_collections():
    """``main()`` as the script calls it leaves the objects alive at exit to the operating
    system (``gc.freeze``); ``main(args)`` (the test runner, embedding code) never does."""
    proc = subprocess.run([sys.executable, "-c", _FREEZE_PROBE, "--version"], capture_output=True,
                          text=True, timeout=120, env=cli_env())
    assert proc.stderr.split() == ["0", "0", "True"], proc.stderr


def test_explain_says_a_phone_number_was_asked_for_and_the_page_declines(run, tmp_path, index_dir):
    # the page names the helpline but prints no number: the reader sees why nothing is shown
    question = "tell me the MS helpline phone number please"
    result = run("search", "--explain", question)
    assert result.exit_code == 1
    assert "asks for: a phone number" in " ".join(result.output.split())
    proc = subprocess.run(
        [sys.executable, "-m", "spms_search", "search", "--explain", question,
         "--corpus", str(CORPUS), "--index", str(index_dir)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=cli_env(),
    )
    assert proc.returncode == 1
    assert "asks for: a phone number" in " ".join((proc.stdout + proc.stderr).split())
