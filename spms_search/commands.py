"""The ``spms-search`` commands other than ``search``, imported when one of them is named.

``cli.py`` holds the command group and ``search``, which is all a plain
``spms-search "question"`` needs; the group finds these by name (``SpmsSearchGroup``), so
a question never pays for defining them (Click's lazy-loading pattern).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli import (
    STDIN_LIMIT,
    _color,
    _layout,
    _notes,
    color_option,
    corpus_option,
    echo,
    fail,
    handled_errors,
    index_option,
    json_option,
)
from .errors import EXIT_NO_MATCH, EXIT_USAGE, QueryError
from .rules import RULES


def _complete_sections(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Section slugs for shell completion, from an index already built (never builds one)."""
    from click.shell_completion import CompletionItem

    try:
        from .index import open_built_index

        opened = open_built_index(ctx.params.get("corpus"), ctx.params.get("index_dir"), auto_build=False)
        try:
            sections = opened.manifest.get("sections", [])
        finally:
            opened.ix.close()
        return [CompletionItem(s["section"], help=s["headings"][-1]) for s in sections
                if str(s["section"]).startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never print an error into the shell
        return []


@click.command()
@click.option("--limit", "-n", type=int, default=5, show_default=True,
              help="How many passages at most for each question (1 to 100).")
@color_option
@corpus_option
@index_option
def chat(limit: int, color: str, corpus: Path | None, index_dir: Path | None) -> None:
    """Ask many questions at a prompt; the index is opened once.

    \b
    At the prompt:
      show SECTION   read one section in full
      sections       list the sections
      more           the last answer with its weaker results
      help           the commands
      quit           leave (so do Ctrl-D and Ctrl-C)
    """
    from .chat import ChatSession, enable_line_editing
    from .search import open_index, validate_limit

    with handled_errors():
        validate_limit(limit)
        with open_index(index_dir, corpus) as searcher:
            _notes(searcher)
            use = _color(color)
            session = ChatSession(
                searcher, lambda: _layout(use), lambda text: echo(text, use),
                lambda message: click.echo(f"spms-search: error: {message}", err=True), limit,
            )
            interactive = sys.stdin is not None and sys.stdin.isatty()
            if interactive:
                enable_line_editing(session)
                session.run(input, interactive=True)
            else:
                session.run(_line_reader(), interactive=False)


def _line_reader() -> Callable[[str], str]:
    """``input`` for a pipe: one line of standard input at a time, EOFError at the end."""
    stream = sys.stdin.buffer

    def read(_prompt: str) -> str:
        line: bytes = stream.readline(STDIN_LIMIT)
        if not line:
            raise EOFError
        return line.decode("utf-8", errors="replace")

    return read


@click.command()
@json_option
@corpus_option
@index_option
def rebuild(as_json: bool, corpus: Path | None, index_dir: Path | None) -> None:
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
        if as_json:
            data = dataclasses.asdict(stats)
            data["warnings"] = list(stats.warnings)
            echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        echo(f"Rebuilt {stats.index_dir}")
        echo(f"  documents {stats.documents}  sections {stats.sections}  "
             f"passages {stats.passages}  time {stats.seconds:.2f} s")
        echo(f"  files {stats.files}  indexed again {stats.files_read} (the others kept their "
             "part of the previous index)")


@click.command()
@json_option
@color_option
@corpus_option
@index_option
def sections(as_json: bool, color: str, corpus: Path | None, index_dir: Path | None) -> None:
    """List the heading tree of the indexed corpus, with each section's slug."""
    from . import render
    from .search import open_index

    with handled_errors(), open_index(index_dir, corpus) as searcher:
        _notes(searcher)
        if as_json:
            echo(json.dumps({"sections": [_section_dict(s) for s in searcher.sections]},
                            ensure_ascii=False, indent=2))
        else:
            echo(render.render_sections(searcher.sections, _layout(_color(color))))


def _section_dict(section: Any) -> dict[str, Any]:
    return {"document": section.document, "title": section.title, "heading": section.heading,
            "headings": list(section.headings), "section": section.section, "level": section.level}


@click.command()
@click.argument("section", nargs=-1, required=True, shell_complete=_complete_sections)
@json_option
@color_option
@corpus_option
@index_option
def show(section: tuple[str, ...], as_json: bool, color: str, corpus: Path | None,
         index_dir: Path | None) -> None:
    """Print one SECTION in full, named by its slug or heading text (or the start of either)."""
    from . import render
    from .search import open_index
    from .sections import find_sections, nearest_sections, section_names

    with handled_errors():
        name = " ".join(section)
        with open_index(index_dir, corpus) as searcher:
            _notes(searcher)
            found = find_sections(searcher.sections, name)
            shown = render.sanitize(name)
            if len(found) > 1:
                raise QueryError(f"'{shown}' fits {len(found)} sections: "
                                 + render.sanitize(", ".join(section_names(found)))
                                 + ": name one of these")
            if not found:
                near = nearest_sections(searcher.sections, name)
                hint = ("did you mean " + ", ".join(s.section for s in near) + "? ") if near else ""
                raise QueryError(f"no section called '{shown}': {hint}"
                                 "run 'spms-search sections' to list them, or ask it as a "
                                 "question with 'spms-search search'")
            passages = searcher.section_passages(found[0])
            if as_json:
                data = _section_dict(found[0])
                data["passages"] = passages
                echo(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                use = _color(color)
                echo(render.render_section(found[0], passages, _layout(use)), use)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON.")
@corpus_option
@index_option
def info(as_json: bool, corpus: Path | None, index_dir: Path | None) -> None:
    """Say which corpus and index a search would use, when it was built, and what it holds."""
    from .index import index_info

    with handled_errors():
        about = index_info(corpus_dir=corpus, index_dir=index_dir)
        if as_json:
            click.echo(json.dumps(about.to_dict(), ensure_ascii=False, indent=2))
            return
        click.echo(f"index     {about.index_dir}  ({about.generation})")
        click.echo(f"corpus    {about.corpus_dir}")
        click.echo(f"built     {about.built_at}")
        click.echo(f"contents  {about.documents} documents, {about.sections} sections, "
                   f"{about.passages} passages")
        click.echo(f"status    {'up to date' if about.stale is None else about.stale}")
        for warning in about.warnings:
            click.echo(f"warning   {warning}")


@click.command("eval")
@click.argument("questions", type=click.Path(path_type=Path))
@click.option("--limit", "-n", type=int, default=5, show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 when a figure is below its goal.")
@click.option("--figures-only", is_flag=True,
              help="Print the figures but not the questions that missed (for sealed sets).")
@click.option("--by-kind", is_flag=True,
              help="Also print the main figures for each kind of question the set labels "
                   "(story, typo, real ...). Implies --figures-only, so it is fit for sealed sets.")
@json_option
@click.option("--without", "without", multiple=True, type=click.Choice(list(RULES)), metavar="RULE",
              help="Switch a named rule off to measure what it is worth (repeatable): "
                   + ", ".join(RULES) + ".")
@click.option("--unseen-against", "seen", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Leave out every question that a question file (or a folder of .jsonl files) "
                   "at PATH holds word for word, such as the sets the engine was tuned on "
                   "(repeatable); the number left out is printed.")
@corpus_option
@index_option
def eval_command(questions: Path, limit: int, check: bool, figures_only: bool, by_kind: bool,
                 as_json: bool, without: tuple[str, ...], seen: tuple[Path, ...], corpus: Path | None,
                 index_dir: Path | None) -> None:
    """Score answer quality on a JSON Lines file of questions (see the README)."""
    from .evaluation import GOALS, evaluate, load_questions, unseen
    from .rules import Parameters
    from .search import open_index

    # The per-kind table is meant for sealed sets, whose questions nobody may read: it never
    # comes with the list of misses.
    figures_only = figures_only or by_kind
    with handled_errors():
        items = load_questions(questions)
        left_out = 0
        if seen:
            kept = unseen(items, seen)
            left_out = len(items) - len(kept)
            if not kept:
                raise QueryError(f"every question of {questions} is in {', '.join(map(str, seen))}: "
                                 "nothing is left to measure")
            items = kept
        with open_index(index_dir, corpus, parameters=Parameters().without(*without)) as searcher:
            _notes(searcher)
            report = evaluate(searcher, items, limit)
        if as_json:
            data = report.to_dict()
            if seen:
                data["left_out_seen"] = left_out
            if figures_only:
                data.pop("misses")
            if not by_kind:
                data.pop("by_kind")
            echo(json.dumps(data, indent=2))
        else:
            if seen:
                echo(f"left out {left_out} of {len(items) + left_out} questions: word for word in "
                     f"{', '.join(map(str, seen))}")
            _print_report(report, GOALS, figures_only)
            if by_kind:
                _print_by_kind(report.by_kind)
        if check and not report.meets_goals():
            sys.exit(EXIT_NO_MATCH)


#: The columns of the per-kind table: figure name and its heading.
_KIND_COLUMNS = (("hit_at_1", "Hit@1"), ("hit_at_1_bar_off", "bar off"), ("answer_sentence", "answer"),
                 ("answered", "answered"), ("answered_wrong", "wrong"), ("off_topic_declined", "declined"))


def _print_by_kind(table: dict[str, dict[str, float]]) -> None:
    if not table:
        echo("\nNo question in this set names its kind (a \"kind\" field).")
        return
    echo("\nBy kind of question (answerable + off-topic; '-' where a kind has none):")
    echo(f"  {'kind':<16}{'questions':>10}" + "".join(f"{head:>10}" for _, head in _KIND_COLUMNS))
    for kind, row in table.items():
        count = f"{int(row['answerable'])}+{int(row['off_topic'])}"
        cells = "".join(f"{row[k]:>10.2f}" if k in row else f"{'-':>10}" for k, _ in _KIND_COLUMNS)
        echo(f"  {kind:<16}{count:>10}{cells}")


def _print_report(report: Any, goals: dict[str, float], figures_only: bool) -> None:
    echo(f"{report.answerable} answerable and {report.off_topic} off-topic questions")
    echo(f"{'figure':<22}{'value':>8}{'goal':>8}")
    for key, value in report.figures().items():
        mark = "" if value >= goals[key] else "  below goal"
        echo(f"{key:<22}{value:>8.3f}{goals[key]:>8.2f}{mark}")
    echo(f"{'hit_at_1_bar_off':<22}{report.hit_at_1_bar_off:>8.3f}")
    echo(f"{'mrr_at_5_bar_off':<22}{report.mrr_at_5_bar_off:>8.3f}")
    echo(f"{'answer_words':<22}{report.answer_words:>8.1f}    median words of an answer")
    echo(f"{'answer_is_passage':<22}{report.answer_is_passage:>8.3f}    answers that are a whole passage")
    echo(f"{'answered_wrong':<22}{report.answered_wrong:>8.3f}    answerable questions answered "
         "from a wrong section")
    echo("\nConfidence bar trade-off (answerable answered / off-topic declined):")
    echo("  " + "  ".join(f"{b:.1f}: {a:.2f}/{d:.2f}" for b, a, d in report.curve))
    if report.misses and not figures_only:
        echo("\nMisses:")
        for miss in report.misses:
            got = miss.get("got") or "(no answer)"
            echo(f"  - {miss['question']!r}: {miss['why']}; got {got!r} "
                       f"(confidence {miss['confidence']})")
            if miss["why"] == "answer not in answer sentence":
                echo(f"      answer sentence: {miss['answer']!r}")


@click.command()
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
