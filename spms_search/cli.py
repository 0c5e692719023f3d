"""The ``spms-search`` command: a thin layer over the library API.

Every command calls one public function (``open_index``, ``build_index``,
``Searcher.ask``, ``evaluate``) and only formats what it returns. Errors are the
package's own exceptions, printed as one line; the exit code says what kind of failure.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar

import click

from .errors import (
    EXIT_BUSY,
    EXIT_CORPUS,
    EXIT_INDEX,
    EXIT_NO_MATCH,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    OutputError,
    QueryError,
    SpmsSearchError,
)

EXIT_INTERNAL = 70

EXIT_CODES_HELP = f"""\b
Exit codes:
  {EXIT_OK}   results found (or the command succeeded)
  {EXIT_NO_MATCH}   no passage answered the question with confidence
  {EXIT_USAGE}   usage or input error (bad option, empty question, unknown section)
  {EXIT_INDEX}   index problem that could not be repaired (unwritable, corrupt, unsafe)
  {EXIT_CORPUS}   corpus problem (missing folder, no readable passage)
  {EXIT_BUSY}   another rebuild holds the index lock
  {EXIT_OUTPUT}  the output could not be written (full disk, closed output)
  {EXIT_INTERNAL}  unexpected internal error (a bug: please report it)
"""

#: Most of a question read from standard input; the library uses the first 1,000 characters.
STDIN_LIMIT = 100_000

F = TypeVar("F", bound=Callable[..., Any])


corpus_option = click.option(
    "--corpus", type=click.Path(path_type=Path), default=None, envvar="SPMS_SEARCH_CORPUS",
    help="Folder of .html/.md/.txt documents [default: the bundled corpus].",
)
index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=None,
    envvar="SPMS_SEARCH_INDEX",
    help="Index folder [default: index/ of a checkout, else a per-user cache folder].",
)
color_option = click.option(
    "--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
    show_default=True,
    help="Bold answers and coloured headings: auto = on a terminal unless NO_COLOR is set "
         "(FORCE_COLOR turns it on when piped).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"spms-search: error: {message}", err=True)
    sys.exit(code)


def echo(text: str, color: bool = False) -> None:
    """Print ``text`` on standard output; a write that fails becomes :class:`OutputError`."""
    try:
        click.echo(text, color=color)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(err.strerror or str(err)) from None


def _output_failed(reason: str) -> str:
    return f"could not write the output ({reason}): free some space or write it elsewhere"


@contextmanager
def handled_errors() -> Iterator[None]:
    """Turn package errors into one line and an exit code; never show a traceback."""
    try:
        _check_stdout()
        yield
    except OutputError as err:  # before SpmsSearchError, of which it is one
        fail(_output_failed(str(err)), EXIT_OUTPUT)
    except SpmsSearchError as err:
        fail(str(err), err.exit_code)
    except KeyboardInterrupt:
        click.echo("spms-search: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (`spms-search ... | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except OSError as err:  # the library turns its own OS faults into package errors: this is output
        fail(f"cannot write the output ({err.strerror or err}): check the disk or where the "
             "output goes", EXIT_OUTPUT)
    except Exception as err:  # noqa: BLE001 - last line of defence
        fail(f"unexpected {type(err).__name__}: {err} (please report this)", EXIT_INTERNAL)


def _check_stdout() -> None:
    """Refuse to run with standard output closed (``>&-``): the results would be lost silently."""
    if sys.stdout is None or sys.stdout.closed:
        raise OutputError("standard output is closed, so the results cannot be written: "
                          "run the command with its output going somewhere")


def _notes(searcher: Any) -> None:
    if getattr(searcher, "corpus_note", None):
        click.echo(f"spms-search: warning: {searcher.corpus_note}", err=True)
    if searcher.stale_warning:
        click.echo(f"spms-search: warning: {searcher.stale_warning}", err=True)
    elif searcher.rebuilt:
        click.echo(f"spms-search: built the index at {searcher.index_dir}", err=True)


def _layout(color: bool, *, explain: bool = False, show_all: bool = False) -> Any:
    from . import render

    return render.Layout(render.terminal_width(), color, explain, show_all)


def _color(choice: str) -> bool:
    from . import render

    return render.color_choice(choice)


class SpmsSearchGroup(click.Group):
    """The command group: ``search`` is the default command, and every refusal is one line.

    ``spms-search "question"`` runs ``search``: a first argument that is neither a
    command nor one of the group's own options (``--help``, ``--version``) starts the
    default command, and so does no argument at all when a question waits on standard
    input. Click's own usage errors (unknown option, bad value) are printed in the
    package's format, ``spms-search: error: ...``, on one line with exit 2.

    The commands other than ``search`` are defined in ``commands.py``, imported when one
    of them is named or the help lists them (Click's lazy-loading pattern): a question
    does not pay for defining seven commands it does not run.
    """

    default_command = "search"
    #: Command name -> the name that defines it in ``commands.py``.
    lazy_commands: ClassVar[dict[str, str]] = {
        "chat": "chat", "eval": "eval_command", "info": "info", "rebuild": "rebuild",
        "sections": "sections", "serve": "serve", "show": "show",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            from . import commands

            self.add_command(getattr(commands, self.lazy_commands[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (args and args[0] not in self.commands and args[0] not in self.lazy_commands
                and args[0] not in self._own_options(ctx)):
            args = [self.default_command, *args]
        elif not args and not ctx.resilient_parsing and not _stdin_is_terminal():
            args = [self.default_command]
        return super().parse_args(ctx, args)

    def _own_options(self, ctx: click.Context) -> set[str]:
        names: set[str] = set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names.update(param.opts)
                names.update(param.secondary_opts)
        return names

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:  # an embedding caller handles errors itself
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            self._standalone(args, prog_name, complete_var, **extra)
        finally:
            if args is None:
                _ending_process()

    def _standalone(self, args: Any, prog_name: str | None, complete_var: str | None,
                    **extra: Any) -> NoReturn:
        if sys.stdout is None:  # started with standard output closed (`>&-`)
            fail("standard output is closed, so the answer would be lost: "
                 "run it with its output going to a terminal, file or pipe", EXIT_OUTPUT)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except _NO_ARGS_IS_HELP as err:  # `spms-search` alone on a terminal: the help
            click.echo(err.ctx.get_help() if err.ctx is not None else "")
            sys.exit(EXIT_OK)
        except click.UsageError as err:
            fail(_usage_message(err), EXIT_USAGE)
        except click.ClickException as err:
            fail(_lower_first(err.format_message()), EXIT_USAGE)
        except click.Abort:
            click.echo("spms-search: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except OSError as err:  # Click itself writing --help or --version
            fail(_output_failed(err.strerror or str(err)), EXIT_OUTPUT)
        except Exception as err:  # noqa: BLE001 - outside a command's own handling: still one line
            fail(f"unexpected {type(err).__name__}: {err} (please report this)", EXIT_INTERNAL)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _ending_process() -> None:
    """Spare the interpreter's final garbage collections: the process ends next.

    Called once a command run from the process's own command line (``main()`` with no
    ``args``, as the ``spms-search`` script and ``python -m spms_search`` call it) is done
    and its output written: Click's standalone mode ends the interpreter there. At exit
    CPython clears the modules and then collects and frees, cycle by cycle, every object
    the imports made (Click, Whoosh, this package, the query data): about 20 ms of CPU,
    more than answering the question. ``gc.freeze()`` (public since Python 3.7) moves
    them out of the collector's reach, so the operating system reclaims them at once.
    Nothing is lost: output streams are flushed at exit regardless, no file this package
    writes is left open, and CPython never promised ``__del__`` for objects alive at exit.
    Callers passing ``args`` (Click's test runner, embedding code) are left alone.
    """
    gc.freeze()


#: Click 8.2+ raises this for a group called without arguments; 8.1 prints the help itself.
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _usage_message(err: click.UsageError) -> str:
    """Click's usage error as one line: what is wrong, then where the help is."""
    message = " ".join(_lower_first(err.format_message()).split()).rstrip(".")
    message = re.sub(r"\.? (Did you mean .*\?)$", lambda m: f" ({_lower_first(m.group(1))})", message)
    path = err.ctx.command_path if err.ctx is not None else "spms-search"
    return f"{message}: see '{path} --help'"


def _stdin_is_terminal() -> bool:
    stream = sys.stdin
    if stream is None:
        return True  # nothing to read: behave as on a terminal
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return True


def _read_question(words: tuple[str, ...]) -> str:
    """The question from the arguments, or from standard input (``-``, or none on a pipe)."""
    if words == ("-",) or (not words and not _stdin_is_terminal()):
        data: bytes = sys.stdin.buffer.read(STDIN_LIMIT)
        return data.decode("utf-8", errors="replace")
    return " ".join(words)


@click.group(cls=SpmsSearchGroup, epilog=EXIT_CODES_HELP,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spms-search")
def main() -> None:
    """Answer questions about secondary progressive MS from patient information.

    \b
    Examples:
      spms-search "can I still get relapses?"
      echo "who helps with balance problems?" | spms-search
      spms-search chat                       many questions, one start-up
      spms-search --json --limit 3 "is there a drug for active SPMS?"
      spms-search sections
      spms-search show steroids
      spms-search serve --port 8765

    A question that starts with a command's name ("show ...") needs
    'spms-search search "..."'.
    """


@main.command()
@click.argument("question", nargs=-1)
@click.option("--limit", "-n", type=int, default=5, show_default=True,
              help="How many passages at most (1 to 100; larger values are clamped).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--explain", is_flag=True,
              help="Show how the question was read and why each result scored as it did.")
@click.option("--all", "show_all", is_flag=True,
              help="Also show results far weaker than the best one (left out by default).")
@color_option
@corpus_option
@index_option
def search(question: tuple[str, ...], limit: int, as_json: bool, explain: bool, show_all: bool,
           color: str, corpus: Path | None, index_dir: Path | None) -> None:
    """Find the passages that answer QUESTION (plain words; "quoted phrases" work).

    With no QUESTION, or '-', the question is read from standard input.
    """
    from . import render
    from .search import open_index

    with handled_errors():
        text = _read_question(question)
        if not text.strip():
            raise QueryError('no question given: try spms-search "can I still get relapses?"')
        with open_index(index_dir, corpus) as searcher:
            _notes(searcher)
            response = searcher.ask(text, limit, explain=explain)
            if as_json:
                echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
                if explain:
                    click.echo(render_explanation(response, searcher), err=True)
            else:
                use = _color(color)
                layout = _layout(use, explain=explain, show_all=show_all)
                echo(render.render_response(response, layout), use)
                if explain:
                    echo(render.fit(render_explanation(response, searcher), layout.width))
        sys.exit(EXIT_OK if response.results else EXIT_NO_MATCH)


_EXPECTS = {
    "phone": "a phone number (what is the phone number ...?)",
    "clock": "a time of day or opening hours (what time does ... open?)",
    "procedure": "whom to ask or where to go (how do I sign up / apply ...?)",
    "cost": "a price or charge (how much does ... cost?)",
    "person": "a person or service (who ...?)",
    "onset": "how soon a treatment starts to act (how long does X take to work ...?)",
    "time": "a length of time or a date (how long / when ...?)",
    "condition": "a condition to meet (who qualifies / am I eligible ...?)",
    "mechanism": "how a treatment works or is given (how does X work ...?)",
    "harm": "side effects or risks (what are the side effects of X ...?)",
    "safety": "whether a medicine or procedure is safe (is X safe ...?)",
    "dose": "a dose (what dose of X ...?)",
    "efficacy": "whether a treatment works (does X work / help ...?)",
    "speed": "how fast (how quickly ...?)",
    "reason": "a reason (why ...?)",
    "amount": "an amount (how many / how much ...?)",
    "schedule": "how often something is done (how often should I have X ...?)",
    "rate": "how often something happens (how often ...?)",
    "frequency": "how common or how likely (how common / how likely ...?)",
    "institution": "a named hospital or clinic (which hospitals ...?)",
    "place": "a place or channel (where ...?)",
    "age": "an age (at what age / how old ...?)",
    "score": "a score on a scale (what EDSS score ...?)",
    "choice": "telling two things apart (is it X or Y?)",
    "drug": "a named medicine (is there a drug ...?)",
}


def render_explanation(response: Any, searcher: Any) -> str:
    """How the question was read and why each result scored as it did."""
    from . import render

    plan = response.plan
    lines = ["", "How the question was read:"]
    if plan.dropped:
        lines.append(f"  question words dropped: {', '.join(render.sanitize(w) for w in plan.dropped)}")
    for wrong, right in plan.corrections.items():
        lines.append(f"  spelling: {render.sanitize(wrong)} -> {right}")
    if plan.definition is not None:
        lines.append(f"  asks what this is: {render.sanitize(plan.definition)} "
                     "(a sentence defining it is preferred)")
    if plan.expects is not None:
        lines.append(f"  asks for: {_EXPECTS.get(plan.expects, plan.expects)} "
                     "(a passage and sentence that says one is preferred)")
    for group in plan.groups:
        weight = searcher.stats.group_weight(group)
        alts = [a.text for a in group.alternatives if a.from_vocabulary]
        extra = f"  (also: {', '.join(alts)})" if alts else ""
        label = "combined (ranks, not counted in confidence)" if group.combined else "looking for"
        if group.story:
            label = f"story before the question (counts {group.emphasis:g})"
        lines.append(f"  {label}: {render.sanitize(group.text)}  weight {weight:.2f}{extra}")
    evidence = ", ".join(f"{k} {v:.2f}" for k, v in response.evidence.to_dict().items())
    lines.append(f"  evidence that the page answers: {evidence}")
    lines.append(f"  confidence {response.confidence:.2f} (answers need at least "
                 f"{searcher.confidence_bar:.2f})" + ("  -> declined" if response.declined else ""))
    for i, matches in enumerate(response.explanations, 1):
        lines.append(f"Result {i}:")
        for m in matches:
            if m.score > 0:
                lines.append(f"  {m.group!s:<24} matched {m.alternative!r} ({m.kind}) in "
                             f"{', '.join(m.fields)}: +{m.score:.2f}")
            else:
                lines.append(f"  {m.group!s:<24} not found")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
