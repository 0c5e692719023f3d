"""The ``spms-search`` command: a thin layer over the library API.

Every command calls one public function (``open_index``, ``build_index``,
``Searcher.ask``, ``evaluate``) and only formats what it returns. Errors are the
package's own exceptions, printed as one line; the exit code says what kind of failure.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import (
    EXIT_BUSY,
    EXIT_CORPUS,
    EXIT_INDEX,
    EXIT_NO_MATCH,
    EXIT_OK,
    EXIT_USAGE,
    QueryError,
    SpmsSearchError,
)
from .rules import RULES

EXIT_INTERNAL = 70

EXIT_CODES_HELP = f"""\b
Exit codes:
  {EXIT_OK}   results found (or the command succeeded)
  {EXIT_NO_MATCH}   no passage answered the question with confidence
  {EXIT_USAGE}   usage or input error (bad option, empty question, unknown section)
  {EXIT_INDEX}   index problem that could not be repaired (unwritable, corrupt, unsafe --index)
  {EXIT_CORPUS}   corpus problem (missing folder, no readable passage)
  {EXIT_BUSY}   another rebuild holds the index lock
  {EXIT_INTERNAL}  unexpected internal error (a bug: please report it)
"""

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


def fail(message: str, code: int) -> None:
    click.echo(f"spms-search: error: {message}", err=True)
    sys.exit(code)


@contextmanager
def handled_errors() -> Iterator[None]:
    """Turn package errors into one line and an exit code; never show a traceback."""
    try:
        yield
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
    except Exception as err:  # noqa: BLE001 - last line of defence
        fail(f"unexpected {type(err).__name__}: {err} (please report this)", EXIT_INTERNAL)


def _notes(searcher: Any) -> None:
    if searcher.stale_warning:
        click.echo(f"spms-search: warning: {searcher.stale_warning}", err=True)
    elif searcher.rebuilt:
        click.echo(f"spms-search: built the index at {searcher.index_dir}", err=True)


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spms-search")
def main() -> None:
    """Answer questions about secondary progressive MS from patient information.

    \b
    Examples:
      spms-search search "can I still get relapses?"
      spms-search search --json --limit 3 "who helps with balance problems?"
      spms-search sections
      spms-search rebuild
      spms-search serve --port 8765
    """


@main.command()
@click.argument("question", nargs=-1)
@click.option("--limit", "-n", type=int, default=5, show_default=True,
              help="How many passages at most (1 to 100; larger values are clamped).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--explain", is_flag=True,
              help="Show how the question was read and why each result scored as it did.")
@corpus_option
@index_option
def search(question: tuple[str, ...], limit: int, as_json: bool, explain: bool,
           corpus: Path | None, index_dir: Path | None) -> None:
    """Find the passages that answer QUESTION (plain words; "quoted phrases" work)."""
    from . import render
    from .search import open_index

    with handled_errors():
        text = " ".join(question)
        if not text.strip():
            raise QueryError('no question given: try spms-search search "can I still get relapses?"')
        with open_index(index_dir, corpus) as searcher:
            _notes(searcher)
            response = searcher.ask(text, limit, explain=explain)
            if as_json:
                click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
                if explain:
                    click.echo(render_explanation(response, searcher), err=True)
            else:
                click.echo(render_response(response, render.use_color()))
                if explain:
                    click.echo(render_explanation(response, searcher))
        sys.exit(EXIT_OK if response.results else EXIT_NO_MATCH)


def render_response(response: Any, color: bool) -> str:
    """The human form of a :class:`~spms_search.search.Response`."""
    from . import render

    width = render.terminal_width()
    lines: list[str] = []
    if response.plan.truncated:
        lines.append("(The question was long; only its first part was used.)")
    if response.suggestion:
        lines.append(f"Showing results for: {render.sanitize(response.suggestion)}")
    if not response.results:
        lines.append(f"No confident answer for \u201c{render.sanitize(response.query)}\u201d.")
        if response.browse:
            lines.append("These sections may help; read one with 'spms-search show SECTION':")
            for s in response.browse:
                lines.append(f"  {'  ' * (s.level - 1)}{render.sanitize(s.heading)}  [{s.section}]")
        return "\n".join(lines)
    for result, spans in zip(response.results, response.highlights):
        title = click.style(render.heading_path(result.headings), bold=True) if color \
            else render.heading_path(result.headings)
        lines.append(f"{result.rank}. {title}")
        lines.append(f"   \u2192 {render.highlight(result.answer, spans, color)}")
        lines.append(render.wrap(result.text, width - 3, "   "))
        lines.append(f"   [{result.section}]  score {result.score:.2f}")
        lines.append("")
    return "\n".join(lines).rstrip()


_EXPECTS = {
    "person": "a person or service (who ...?)",
    "time": "a length of time or a date (how long / when ...?)",
    "speed": "how fast (how quickly ...?)",
    "reason": "a reason (why ...?)",
    "amount": "an amount (how many / how much ...?)",
    "frequency": "how often or how likely (how often / how common ...?)",
    "place": "a place or channel (where ...?)",
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


@main.command()
@corpus_option
@index_option
def rebuild(corpus: Path | None, index_dir: Path | None) -> None:
    """Rebuild the index from the corpus (built aside, then swapped in)."""
    from .index import build_index

    with handled_errors():
        bar: list[Any] = []

        def progress(done: int, total: int) -> None:
            if not sys.stderr.isatty():
                return
            if not bar:
                bar.append(click.progressbar(length=total, label="Indexing passages",
                                             file=sys.stderr).__enter__())
                bar.append(0)
            bar[0].update(done - bar[1])
            bar[1] = done

        try:
            stats = build_index(corpus, index_dir, progress=progress)
        finally:
            if bar:
                bar[0].__exit__(None, None, None)
        for warning in stats.warnings:
            click.echo(f"spms-search: warning: {warning}", err=True)
        click.echo(f"Rebuilt {stats.index_dir}")
        click.echo(f"  documents {stats.documents}  sections {stats.sections}  "
                   f"passages {stats.passages}  time {stats.seconds:.2f} s")


@main.command()
@corpus_option
@index_option
def sections(corpus: Path | None, index_dir: Path | None) -> None:
    """List the heading tree of the indexed corpus, with each section's slug."""
    from . import render
    from .search import open_index

    with handled_errors(), open_index(index_dir, corpus) as searcher:
        _notes(searcher)
        document = None
        for s in searcher.sections:
            if s.document != document:
                document = s.document
                click.echo(f"{render.sanitize(s.document)}")
            click.echo(f"  {'  ' * (s.level - 1)}{render.sanitize(s.heading)}  [{s.section}]")


@main.command()
@click.argument("section", nargs=-1, required=True)
@corpus_option
@index_option
def show(section: tuple[str, ...], corpus: Path | None, index_dir: Path | None) -> None:
    """Print one SECTION in full, named by its slug or heading text."""
    from . import render
    from .search import open_index

    with handled_errors():
        name = " ".join(section)
        with open_index(index_dir, corpus) as searcher:
            _notes(searcher)
            found = searcher.find_section(name)
            if found is None:
                raise QueryError(f"no section called '{render.sanitize(name)}': "
                                 "run 'spms-search sections' to list them")
            click.echo(render.heading_path(found.headings))
            click.echo(f"[{found.section}]  {render.sanitize(found.document)}")
            width = render.terminal_width()
            for text in searcher.section_passages(found):
                click.echo("")
                click.echo(render.wrap(text, width, ""))


@main.command("eval")
@click.argument("questions", type=click.Path(path_type=Path))
@click.option("--limit", "-n", type=int, default=5, show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 when a figure is below its goal.")
@click.option("--figures-only", is_flag=True,
              help="Print the figures but not the questions that missed (for sealed sets).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--without", "without", multiple=True, type=click.Choice(list(RULES)), metavar="RULE",
              help="Switch a named rule off to measure what it is worth (repeatable): "
                   + ", ".join(RULES) + ".")
@corpus_option
@index_option
def eval_command(questions: Path, limit: int, check: bool, figures_only: bool, as_json: bool,
                 without: tuple[str, ...], corpus: Path | None, index_dir: Path | None) -> None:
    """Score answer quality on a JSON Lines file of questions (see the README)."""
    from .evaluation import GOALS, evaluate, load_questions
    from .rules import Parameters
    from .search import open_index

    with handled_errors():
        items = load_questions(questions)
        with open_index(index_dir, corpus, parameters=Parameters().without(*without)) as searcher:
            _notes(searcher)
            report = evaluate(searcher, items, limit)
        if as_json:
            data = report.to_dict()
            if figures_only:
                data.pop("misses")
            click.echo(json.dumps(data, indent=2))
        else:
            _print_report(report, GOALS, figures_only)
        if check and not report.meets_goals():
            sys.exit(EXIT_NO_MATCH)


def _print_report(report: Any, goals: dict[str, float], figures_only: bool) -> None:
    click.echo(f"{report.answerable} answerable and {report.off_topic} off-topic questions")
    click.echo(f"{'figure':<22}{'value':>8}{'goal':>8}")
    for key, value in report.figures().items():
        mark = "" if value >= goals[key] else "  below goal"
        click.echo(f"{key:<22}{value:>8.3f}{goals[key]:>8.2f}{mark}")
    click.echo(f"{'hit_at_1_bar_off':<22}{report.hit_at_1_bar_off:>8.3f}")
    click.echo(f"{'mrr_at_5_bar_off':<22}{report.mrr_at_5_bar_off:>8.3f}")
    click.echo("\nConfidence bar trade-off (answerable answered / off-topic declined):")
    click.echo("  " + "  ".join(f"{b:.1f}: {a:.2f}/{d:.2f}" for b, a, d in report.curve))
    if report.misses and not figures_only:
        click.echo("\nMisses:")
        for miss in report.misses:
            got = miss.get("got") or "(no answer)"
            click.echo(f"  - {miss['question']!r}: {miss['why']}; got {got!r} "
                       f"(confidence {miss['confidence']})")
            if miss["why"] == "answer not in answer sentence":
                click.echo(f"      answer sentence: {miss['answer']!r}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 only behind a firewall or proxy you trust).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0 picks a free one and prints it).")
@click.option("--base-url", envvar="SPMS_SEARCH_BASE_URL", default=None,
              help="Where the corpus files are published, for links of documents that give no address.")
@click.option("--cors-origin", envvar="SPMS_SEARCH_CORS_ORIGIN", default=None,
              help="Allow this web origin to call /api/ from a browser [default: no CORS].")
@click.option("--watch", "watch_seconds", type=click.FloatRange(min=0), default=10.0, show_default=True,
              envvar="SPMS_SEARCH_WATCH_SECONDS",
              help="Seconds between checks that the corpus is unchanged (a change is rebuilt and "
                   "swapped in while serving); 0 never checks.")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@corpus_option
@index_option
def serve(host: str, port: int, base_url: str | None, cors_origin: str | None, watch_seconds: float,
          quiet: bool, corpus: Path | None, index_dir: Path | None) -> None:
    """Serve the JSON API and the search page over HTTP (see the README for production)."""
    from .search import open_index
    from .web import SearchApp, make_server

    with handled_errors():
        app = SearchApp(open_index(index_dir, corpus, base_url=base_url), cors_origin=cors_origin)
        try:
            _notes(app.searcher)
            try:
                server = make_server(app, host, port, quiet=quiet)
            except (OSError, OverflowError) as err:
                fail(f"cannot listen on {host}:{port} ({getattr(err, 'strerror', None) or err}): "
                     "choose another --port or --host", EXIT_USAGE)
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"Serving http://{shown}:{server.server_port}/ (Ctrl-C to stop)")
            app.watch(watch_seconds)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                click.echo("Stopped.", err=True)
            finally:
                server.server_close()
        finally:
            app.close()


if __name__ == "__main__":  # pragma: no cover
    main()
