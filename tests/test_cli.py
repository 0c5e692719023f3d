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

JSON_KEYS = ["rank", "score", "document", "heading", "headings", "section", "text", "answer"]


@pytest.fixture()
def run(index_dir):
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(main, [*args, "--corpus", str(CORPUS), "--index", str(index_dir)]
                             if args and args[0] in ("search", "sections", "show", "eval")
                             else list(args), env=env, catch_exceptions=False)

    return invoke


def test_search_shows_heading_path_answer_and_passage(run):
    result = run("search", "who", "helps", "with", "balance", "problems?", "--limit", "2")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("1. Secondary progressive MS (SPMS) \u203a Managing secondary progressive "
                          "MS (SPMS) \u203a Wellbeing and rehabilitation")
    assert "\u2192 a physiotherapist and occupational therapist" in out
    assert "\x1b[" not in out  # not a terminal: no colour
    assert "2. " in out and "3. " not in out


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
    assert "combined (ranks, not counted in confidence): treatment + ms attack" in result.output
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
    result = run("sections")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "secondary-progressive-ms.html"
    assert "      Steroids  [steroids]" in lines
    assert len(lines) == 13


def test_show_prints_a_section_by_heading_or_slug(run):
    by_heading = run("show", "HSCT")
    by_slug = run("show", "hsct")
    assert by_heading.exit_code == 0 and by_heading.output == by_slug.output
    assert "HSCT is a kind of stem cell therapy." in by_heading.output


def test_rebuild_prints_counts(tmp_path):
    result = CliRunner().invoke(main, ["rebuild", "--corpus", str(CORPUS), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "documents 1  sections 12  passages 28" in result.output


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


def _exe() -> str:
    found = shutil.which("spms-search", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("spms-search is not installed as a console script in this environment")
    return found


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


def test_non_utf8_bytes_in_the_question_are_handled(tmp_path, index_dir):
    proc = subprocess.run(
        [_exe(), "search", b"relapse \xff\xfe caf\xe9", "--corpus", str(CORPUS), "--index", str(index_dir)],
        cwd=tmp_path, capture_output=True, timeout=120, env=cli_env(),
    )
    assert proc.returncode in (0, 1)
    assert b"Traceback" not in proc.stderr


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
