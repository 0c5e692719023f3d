"""``spms-search chat``: many questions on one open index, at a prompt.

Opening the index and loading the vocabulary is most of what a single question costs
(README, Benchmarks), so a person with several questions asks them here and pays it once.
Besides questions the loop understands a few words: ``show SECTION``, ``sections``,
``more`` (the last answer with the weaker results too), ``help`` and ``quit`` (or
``exit``); Ctrl-D and Ctrl-C leave it. Anything else is a
question, including a line starting with "show" that names no section ("show me the
drugs for SPMS").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import render
from .errors import SpmsSearchError
from .sections import find_sections, section_names

HELP = """\
Type a question and press Enter, e.g. can I still get relapses?
  show SECTION   read one section in full (its slug or the start of its heading)
  sections       list the sections, with their slugs
  more           the last answer again, with the weaker results left out of it
  help           this text
  quit           leave (so do Ctrl-D and Ctrl-C)"""

BANNER = ("Ask a question about secondary progressive MS. "
          "Type help for commands; Ctrl-D or quit leaves.")

PROMPT = "> "

Echo = Callable[[str], None]


class ChatSession:
    """One conversation: reads lines, answers each, on one :class:`~spms_search.Searcher`.

    ``layout`` is called for every answer so a resized terminal is followed; ``out``
    prints to the reader and ``err`` prints a one-line problem (the session goes on).
    """

    def __init__(self, searcher: Any, layout: Callable[[], render.Layout], out: Echo, err: Echo,
                 limit: int = 5) -> None:
        self.searcher = searcher
        self.layout = layout
        self.out = out
        self.err = err
        self.limit = limit
        self.last: Any = None  # the last response, for ``more``

    def commands(self) -> list[str]:
        """Words the prompt completes: the commands, then ``show`` with every slug."""
        return ["help", "more", "quit", "exit", "sections", "show "] + \
            [f"show {s.section}" for s in self.searcher.sections]

    def handle(self, line: str) -> bool:
        """Answer one line; False when the person asked to leave."""
        text = line.strip()
        word = text.casefold().rstrip(".!")
        if not text:
            return True
        if word in ("quit", "exit", "q"):
            return False
        if word in ("help", "?"):
            self.out(render.fit(HELP, self.layout().width, "                 "))
        elif word == "more" and self.last is not None:
            self.out(render.render_response(self.last, self.layout()._replace(show_all=True)))
        elif word == "sections":
            self.out(render.render_sections(self.searcher.sections, self.layout()))
        elif word.split(" ", 1)[0] == "show" and self._show(text[4:].strip()):
            pass
        else:
            self._ask(text)
        return True

    def _show(self, name: str) -> bool:
        """Show the section ``name`` names; False when it names none (then it is a question)."""
        if not name:
            self.err("say which section: show SECTION ('sections' lists them)")
            return True
        found = find_sections(self.searcher.sections, name)
        if not found:
            return False
        if len(found) > 1:
            self.err(f"'{render.sanitize(name)}' fits {len(found)} sections: "
                     + render.sanitize(", ".join(section_names(found))) + ": show one of these")
            return True
        section = found[0]
        self.out(render.render_section(section, self.searcher.section_passages(section), self.layout()))
        return True

    def _ask(self, question: str) -> None:
        try:
            response = self.searcher.ask(question, self.limit)
        except SpmsSearchError as error:
            if error.exit_code != 2:  # an index or corpus fault ends the session
                raise
            self.err(str(error))
            return
        self.last = response
        layout = self.layout()._replace(more_hint="type more to see them", show_hint="'show SECTION'")
        self.out(render.render_response(response, layout))

    def run(self, read: Callable[[str], str], interactive: bool) -> None:
        """Read lines with ``read(prompt)`` until quit, end of input or Ctrl-C."""
        if interactive:
            self.out(render.wrap(BANNER, self.layout().width, ""))
        while True:
            try:
                line = read(PROMPT if interactive else "")
            except (EOFError, KeyboardInterrupt):
                if interactive:
                    self.out("")
                return
            try:
                if not self.handle(line):
                    return
            except KeyboardInterrupt:  # Ctrl-C while an answer is worked out also leaves
                self.out("")
                return
            if interactive:
                self.out("")


def enable_line_editing(session: ChatSession) -> None:
    """Line editing, history and Tab completion through ``readline``, where the platform has it."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return
    words = session.commands()

    def complete(text: str, state: int) -> str | None:
        line = readline.get_line_buffer()
        matches = [w for w in words if w.startswith(line)]
        # readline replaces only the current word: hand back the part from it on
        start = len(line) - len(text)
        found = [m[start:] for m in matches]
        return found[state] if state < len(found) else None

    readline.set_completer_delims(" ")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
