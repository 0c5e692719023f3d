"""The real program in an 80-column pseudo-terminal, read as a person would read it."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest

# a pseudo-terminal needs the POSIX terminal modules; CI's second run, with fcntl blocked
# to prove the rebuild lock works without it, has no terminal to drive
pytest.importorskip("termios")
pytest.importorskip("fcntl")

from spms_search.render import strong_results

from .conftest import CORPUS, cli_env
from .conftest import installed_exe as _exe
from .terminal import Terminal, visible

WIDTH = 80
QUESTIONS = [
    "can I still get relapses?",
    "who helps with balance problems?",
    "is there a drug for active secondary progressive MS?",
    "what is HSCT",
]


def _words(text: str) -> str:
    return " ".join(text.split())


def _heading_paths(lines: list[str]) -> list[str]:
    """Each numbered heading path, its continuation lines joined."""
    paths: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if re.match(r"\d+\. ", line):
            current = [line.split(" ", 1)[1]]
            paths.append("")
        elif current is not None and line.strip():
            current.append(line.strip())
        else:
            current = None
            continue
        paths[-1] = " ".join(current)
    return paths


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_answer_in_an_80_column_terminal_reads_cleanly(question, index_dir, searcher, tmp_path):
    term = Terminal([_exe(), question, "--corpus", str(CORPUS), "--index", str(index_dir)],
                    cli_env(), WIDTH, cwd=str(tmp_path))
    assert term.wait() == 0
    raw = term.output
    shown = visible(raw)
    lines = shown.split("\n")
    assert max(len(line) for line in lines) <= WIDTH, "\n".join(line for line in lines if len(line) > WIDTH)

    text = _words(shown)
    response = searcher.ask(question, 5)
    kept, _ = strong_results(response.results)
    for result in kept:
        # every word of every passage whole and in order: nothing split, nothing lost
        assert _words(result.text) in text
        # the answer sentence once, inside its passage, and bold on a terminal
        assert text.count(_words(result.answer)) == 1
    bold = _words(" ".join(re.findall(r"\x1b\[1m(.*?)\x1b\[0m", raw, flags=re.S)))
    assert _words(kept[0].answer) in bold
    assert "score" not in text

    paths = _heading_paths(lines)
    assert paths and paths[0] == " \u203a ".join(kept[0].headings)
    assert all(a != b for a, b in itertools.pairwise(paths)), paths
    assert len(paths) == len({(r.document, r.section) for r in kept})


def _chat(index_dir: Path, tmp_path: Path) -> Terminal:
    term = Terminal([_exe(), "chat", "--corpus", str(CORPUS), "--index", str(index_dir)],
                    cli_env(), WIDTH, cwd=str(tmp_path))
    term.expect("> ")
    return term


def test_a_chat_answers_two_questions_and_ends_on_ctrl_d(index_dir, tmp_path):
    term = _chat(index_dir, tmp_path)
    term.send("can I still get relapses?\r")
    first = term.expect("\n> ")
    assert "occasional relapse" in first
    term.send("who helps with balance problems?\r")
    second = term.expect("\n> ")
    assert "physiotherapist" in second
    term.send("\x04")
    assert term.wait() == 0
    shown = visible(term.output)
    assert "Traceback" not in shown
    assert max(len(line) for line in shown.split("\n")) <= WIDTH


def test_a_chat_shows_a_section_completed_with_tab_and_ends_on_ctrl_c(index_dir, tmp_path):
    term = _chat(index_dir, tmp_path)
    time.sleep(0.5)  # readline must be waiting before keys that it handles itself arrive
    term.send("show hs\t")
    time.sleep(0.5)
    term.send("\r")
    assert "HSCT is a kind of stem cell therapy." in _words(term.expect("\n> "))
    time.sleep(0.5)
    term.send("\x03")
    assert term.wait() == 0
    assert "Traceback" not in visible(term.output)


def test_the_command_alone_on_a_terminal_prints_the_help_within_80_columns(tmp_path):
    term = Terminal([_exe()], cli_env(), WIDTH, cwd=str(tmp_path))
    assert term.wait() == 0
    shown = visible(term.output)
    assert 'spms-search "can I still get relapses?"' in shown and "Exit codes:" in shown
    assert max(len(line) for line in shown.split("\n")) <= WIDTH


@pytest.mark.parametrize("args", [("sections",), ("show", "what sort"), ("chat", "--help")])
def test_sections_show_and_help_fit_80_columns(args, index_dir, tmp_path):
    term = Terminal([_exe(), *args, "--corpus", str(CORPUS), "--index", str(index_dir)],
                    cli_env(), WIDTH, cwd=str(tmp_path))
    assert term.wait() == 0
    lines = visible(term.output).split("\n")
    assert len(lines) > 3 and max(len(line) for line in lines) <= WIDTH


def test_no_confident_answer_fits_80_columns_and_offers_sections(index_dir, tmp_path):
    term = Terminal([_exe(), "best pizza recipe", "--corpus", str(CORPUS), "--index", str(index_dir)],
                    cli_env(), WIDTH, cwd=str(tmp_path))
    assert term.wait() == 1
    lines = visible(term.output).split("\n")
    assert "No confident answer" in lines[0]
    assert "      Steroids  [steroids]" in lines
    assert max(len(line) for line in lines) <= WIDTH
