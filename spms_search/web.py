"""The web front: one WSGI application serving a JSON API and one accessible HTML page.

People with MS mostly reach the engine through a charity's or a clinic's site, not a
terminal, and non-Python tools need HTTP. :func:`create_app` returns a plain WSGI
callable, so any WSGI server can host it (``waitress-serve --call
spms_search.web:create_app``, ``gunicorn 'spms_search.web:create_app()'``);
:func:`make_server` is the standard library's threaded server that ``spms-search serve``
uses by default.

Routes (all ``GET``; ``HEAD`` too)::

    /                      the page: ?q=QUESTION for answers, ?section=SLUG to read a section
    /api/search?q=&limit=  Response.to_dict(), the same JSON as ``search --json``
    /api/sections          every section (heading path, slug, source link)
    /api/sections/<slug>   one section with its passages
    /healthz               {"status": "ok", ...} once the index is open

Decisions a successor needs:

* One :class:`~spms_search.search.Searcher` serves every request; it is safe to share
  between threads, so the server is threaded and nothing here holds state per request.
* Errors are JSON ``{"version", "error": {"code", "exit_code", "message"}}``; ``exit_code``
  is the command line's (README error table) and decides the HTTP status: 2 -> 400,
  5 -> 503, anything else -> 500. A 500 never carries a traceback or a server path: the
  detail goes to the server's error log (``wsgi.errors``) only.
* Corpus text and questions are untrusted: every value written into HTML goes through
  :func:`html.escape` after terminal controls are stripped, the page carries a
  Content-Security-Policy that forbids scripts, and there is no CORS header unless
  ``cors_origin`` is configured.
* The page is server-rendered and needs no JavaScript, fonts or other files; its styles
  meet WCAG 2.2 AA (contrast of at least 4.5:1, a visible focus ring, reflow at 320 px).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from html import escape
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as _wsgiref_make_server

from .errors import EXIT_BUSY, EXIT_USAGE, IndexBusyError, QueryError, SpmsSearchError
from .render import sanitize
from .search import CONTRACT_VERSION, Response, Searcher, SectionInfo, open_index, validate_limit

#: Longest question accepted over HTTP (the engine itself reads the first 1,000 characters).
MAX_QUESTION_CHARS = 4000
#: Longest query string accepted at all, and most parameters in it.
MAX_QUERY_STRING = 16384
MAX_FIELDS = 20
DEFAULT_LIMIT = 5
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
CORS_ENV = "SPMS_SEARCH_CORS_ORIGIN"
WATCH_ENV = "SPMS_SEARCH_WATCH_SECONDS"
#: How often a served index checks that its corpus has not changed (0: never).
DEFAULT_WATCH_SECONDS = 10.0
#: A replaced Searcher is closed this long after the swap, when no request can still use it.
RETIRE_SECONDS = 60.0

StartResponse = Callable[..., Any]
_STATUS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found",
           405: "405 Method Not Allowed", 500: "500 Internal Server Error",
           503: "503 Service Unavailable"}
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'")


class HttpError(Exception):
    """A refusal with its HTTP status, error code and one-line message."""

    def __init__(self, status: int, code: str, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status, self.code, self.exit_code = status, code, exit_code


def error_status(err: SpmsSearchError) -> tuple[int, str]:
    """HTTP status and error code for a package error (README: exit codes)."""
    if isinstance(err, IndexBusyError) or err.exit_code == EXIT_BUSY:
        return 503, "index_busy"
    if err.exit_code == EXIT_USAGE:
        return 400, "bad_input"
    return 500, "index_error" if err.exit_code == 3 else "corpus_error" if err.exit_code == 4 else "internal"


class SearchApp:
    """The WSGI application over one shared :class:`Searcher`."""

    def __init__(self, searcher: Searcher, *, cors_origin: str | None = None,
                 title: str = "Ask about secondary progressive MS") -> None:
        self.searcher = searcher
        self.cors_origin = cors_origin or None
        self.title = title
        self._stop = threading.Event()
        self._retired: list[tuple[float, Searcher]] = []

    # ------------------------------------------------------------------ staying current

    def watch(self, interval: float = DEFAULT_WATCH_SECONDS) -> threading.Thread | None:
        """Check every ``interval`` seconds that the corpus and index are unchanged (0: never).

        When a file was added, changed or removed (or another process rebuilt the index), the
        new index is built aside and opened in this background thread while requests go on
        being answered from the old one; then it is swapped in. Each request uses the one
        Searcher it started with, and a replaced one is closed ``RETIRE_SECONDS`` later.
        """
        if interval <= 0:
            return None
        thread = threading.Thread(target=self._watch, args=(interval,), name="spms-search-watch", daemon=True)
        thread.start()
        return thread

    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.refresh()

    def refresh(self) -> bool:
        """Swap in a fresh Searcher if the corpus or index changed; True when it did."""
        self._close_retired(time.monotonic() - RETIRE_SECONDS)
        current = self.searcher
        try:
            if current.is_current():
                return False
            fresh = current.reopen()
        except Exception as err:  # noqa: BLE001 - the watcher must outlive any failure
            sys.stderr.write(f"spms-search: warning: the corpus changed but the index could not be "
                             f"reopened ({type(err).__name__}: {err}); still answering from the one in use\n")
            return False
        self.searcher = fresh  # one reference swap: a request reads it once
        self._retired.append((time.monotonic(), current))
        sys.stderr.write(f"spms-search: the corpus or index changed; now answering from {fresh.index_dir} "
                         f"({fresh.passage_count} passages)\n")
        for warning in fresh.build_warnings:
            sys.stderr.write(f"spms-search: warning: {warning}\n")
        return True

    def _close_retired(self, before: float) -> None:
        keep = []
        for when, old in self._retired:
            if when <= before:
                old.close()
            else:
                keep.append((when, old))
        self._retired = keep

    def close(self) -> None:
        """Stop watching and release every index this application opened."""
        self._stop.set()
        self._close_retired(float("inf"))
        self.searcher.close()

    # ------------------------------------------------------------------ WSGI entry

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = _path(environ)
        is_api = path.startswith("/api/") or path == "/healthz"
        try:
            if method not in ("GET", "HEAD"):
                raise HttpError(405, "method_not_allowed", f"{method} is not supported here: use GET")
            status, content_type, body = self._route(path, environ, self.searcher)
        except HttpError as err:
            status, content_type, body = self._error(err, is_api)
        except SpmsSearchError as err:
            code_status, code = error_status(err)
            message = str(err) if code_status < 500 else self._log_hidden(environ, err)
            if code_status == 503:
                message = "the index is being rebuilt: try again in a minute"
            status, content_type, body = self._error(
                HttpError(code_status, code, message, err.exit_code), is_api)
        except Exception as err:  # noqa: BLE001 - a request must never show a traceback
            message = self._log_hidden(environ, err)
            status, content_type, body = self._error(HttpError(500, "internal", message, 70), is_api)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))),
                   ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")]
        if content_type.startswith("text/html"):
            headers += [("Content-Security-Policy", _CSP), ("Referrer-Policy", "no-referrer")]
        if is_api and self.cors_origin:
            headers += [("Access-Control-Allow-Origin", self.cors_origin), ("Vary", "Origin")]
        if status == 405:
            headers.append(("Allow", "GET, HEAD"))
        start_response(_STATUS[status], headers)
        return [b""] if method == "HEAD" else [body]

    def _log_hidden(self, environ: dict[str, Any], err: BaseException) -> str:
        """Write the detail to the server's log; the client gets a message without it."""
        stream = environ.get("wsgi.errors") or sys.stderr
        stream.write(f"spms-search: error serving {_path(environ)}: {type(err).__name__}: {err}\n")
        if not isinstance(err, SpmsSearchError):
            stream.write(traceback.format_exc())
        return "the server could not answer this request; its log says why. Try again later"

    def _error(self, err: HttpError, is_api: bool) -> tuple[int, str, bytes]:
        if is_api:
            data = {"version": CONTRACT_VERSION,
                    "error": {"code": err.code, "exit_code": err.exit_code, "message": str(err)}}
            return err.status, "application/json; charset=utf-8", _json(data)
        return err.status, "text/html; charset=utf-8", self._page(error=str(err)).encode("utf-8")

    # ------------------------------------------------------------------ routes

    def _route(self, path: str, environ: dict[str, Any], searcher: Searcher) -> tuple[int, str, bytes]:
        """One request, answered from the one ``searcher`` it started with (see ``watch``)."""
        params = _params(environ)
        if path == "/healthz":
            return 200, "application/json; charset=utf-8", _json(self.health(searcher))
        if path == "/api/search":
            question = _question(params, required=True)
            return 200, "application/json; charset=utf-8", _json(
                searcher.ask(question, _limit(params)).to_dict())
        if path == "/api/sections":
            data = {"version": CONTRACT_VERSION,
                    "sections": [_section(searcher, s) for s in searcher.sections]}
            return 200, "application/json; charset=utf-8", _json(data)
        if path.startswith("/api/sections/"):
            section = _find(searcher, path[len("/api/sections/"):])
            data = {"version": CONTRACT_VERSION, "section": _section(searcher, section),
                    "passages": searcher.section_passages(section)}
            return 200, "application/json; charset=utf-8", _json(data)
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self._page_for(params, searcher).encode("utf-8")
        raise HttpError(404, "not_found", f"nothing at {path}: see /api/search, /api/sections or /")

    @staticmethod
    def health(searcher: Searcher) -> dict[str, Any]:
        return {"version": CONTRACT_VERSION, "status": "ok", "sections": len(searcher.sections),
                "passages": searcher.passage_count}

    # ------------------------------------------------------------------ the page

    def _page_for(self, params: dict[str, list[str]], searcher: Searcher) -> str:
        slug = (params.get("section") or [""])[0]
        if slug:
            try:
                section = _find(searcher, slug)
            except HttpError as err:
                return self._page(error=str(err))
            return self._page(body=self._section_html(searcher, section))
        question = _question(params, required=False)
        if not question.strip():
            return self._page()
        try:
            response = searcher.ask(question, _limit(params))
        except QueryError as err:
            return self._page(question=question, error=str(err))
        return self._page(question=question, body=self._response_html(response))

    def _response_html(self, response: Response) -> str:
        parts: list[str] = []
        note = ""
        if response.plan.truncated:
            note += "<p>The question was long; only its first part was used.</p>"
        if response.suggestion:
            note += f"<p>Showing results for: <strong>{_e(response.suggestion)}</strong></p>"
        if not response.results:
            parts.append('<section id="results" aria-labelledby="results-heading">')
            parts.append('<h2 id="results-heading">No confident answer for '
                         f"\u201c{_e(response.query)}\u201d</h2>")
            parts.append(note)
            parts.append("<p>The information here may not cover this question. "
                         "These sections may help:</p>")
            parts.append('<ul class="browse">')
            for s in response.browse:
                parts.append(f'<li class="level-{min(s.level, 6)}">'
                             f'<a href="/?section={quote(s.section, safe="")}">{_e(s.heading)}</a></li>')
            parts.append("</ul></section>")
            return "".join(parts)
        parts.append('<section id="results" aria-labelledby="results-heading">')
        parts.append(f'<h2 id="results-heading">Answers for \u201c{_e(response.query)}\u201d</h2>')
        parts.append(note)
        parts.append('<ol class="results">')
        for r in response.results:
            parts.append('<li><article class="result">')
            parts.append(f"<h3>{_heading_path(r.headings)}</h3>")
            if r.answer_span is None and r.answer:  # not a verbatim part of the passage: say it apart
                parts.append(f'<p class="answer"><span class="label">Answer:</span> {_e(r.answer)}</p>')
            parts.append(f'<p class="passage">{_marked(r.text, r.answer_span)}</p>')
            parts.append(self._source_link(r.url, r.document, r.headings[-1] if r.headings else r.heading))
            parts.append("</article></li>")
        parts.append("</ol></section>")
        return "".join(parts)

    def _section_html(self, searcher: Searcher, section: SectionInfo) -> str:
        texts = "".join(f'<p class="passage">{_e(t)}</p>' for t in searcher.section_passages(section))
        return ('<section id="results" aria-labelledby="results-heading">'
                f'<h2 id="results-heading">{_heading_path(section.headings)}</h2>'
                f"{texts or '<p>This heading has no text of its own.</p>'}"
                f"{self._source_link(searcher.section_url(section), section.document, section.heading)}"
                "</section>")

    @staticmethod
    def _source_link(url: str | None, document: str, heading: str) -> str:
        if url:
            return (f'<p class="source"><a href="{_e(url)}">Read \u201c{_e(heading)}\u201d at its source'
                    "</a></p>")
        return f'<p class="source">Source: {_e(document)}</p>'

    def _page(self, *, question: str = "", body: str = "", error: str = "") -> str:
        alert = f'<p class="error" role="alert">{_e(error)}</p>' if error else ""
        return PAGE.format(title=_e(self.title), question=_e(question), alert=alert, body=body)


# --------------------------------------------------------------------------- helpers


def _find(searcher: Searcher, slug: str) -> SectionInfo:
    for section in searcher.sections:
        if section.section == slug:
            return section
    raise HttpError(404, "not_found",
                    f"no section with the slug {slug[:100]!r}: GET /api/sections lists them")


def _section(searcher: Searcher, s: SectionInfo) -> dict[str, Any]:
    return {"section": s.section, "heading": s.heading, "headings": list(s.headings),
            "level": s.level, "document": s.document, "title": s.title,
            "anchor": s.anchor or None, "url": searcher.section_url(s)}


def _e(text: str) -> str:
    """Untrusted text made safe for HTML: terminal controls dropped, markup escaped."""
    return escape(sanitize(text), quote=True)


def _heading_path(headings: Iterable[str]) -> str:
    return '<span class="sep" aria-hidden="true"> \u203a </span>'.join(_e(h) for h in headings)


def _marked(text: str, span: tuple[int, int] | None) -> str:
    """The passage with its answer sentence in ``<mark>`` (announced as highlighted text)."""
    if span is None:
        return _e(text)
    start, end = span
    return (f'{_e(text[:start])}<span class="vh">Answer: </span><mark>{_e(text[start:end])}</mark>'
            f'<span class="vh"> (end of answer)</span>{_e(text[end:])}')


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _path(environ: dict[str, Any]) -> str:
    raw = environ.get("PATH_INFO") or "/"
    try:  # PEP 3333: PATH_INFO is bytes decoded as latin-1
        return str(raw.encode("latin-1").decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return str(raw)


def _params(environ: dict[str, Any]) -> dict[str, list[str]]:
    query = environ.get("QUERY_STRING") or ""
    if len(query) > MAX_QUERY_STRING:
        raise HttpError(400, "bad_input", f"the request is longer than {MAX_QUERY_STRING} characters: "
                        "ask a shorter question")
    try:
        return parse_qs(query, keep_blank_values=True, errors="replace", max_num_fields=MAX_FIELDS)
    except ValueError:
        raise HttpError(400, "bad_input",
                        f"more than {MAX_FIELDS} parameters: send q and limit only") from None


def _question(params: dict[str, list[str]], *, required: bool) -> str:
    question = (params.get("q") or [""])[0]
    if required and not question.strip():
        raise HttpError(400, "bad_input",
                        "no question given: add ?q=, e.g. /api/search?q=can+I+still+get+relapses")
    if len(question) > MAX_QUESTION_CHARS:
        raise HttpError(400, "bad_input", f"the question is longer than {MAX_QUESTION_CHARS} characters: "
                        "ask a shorter question")
    return question


def _limit(params: dict[str, list[str]]) -> int:
    raw = (params.get("limit") or [""])[0].strip()
    if not raw:
        return DEFAULT_LIMIT
    if not raw.lstrip("-").isdigit() or len(raw) > 6:
        raise HttpError(400, "bad_input", f"limit must be a whole number from 1 to 100, not {raw[:20]!r}")
    return validate_limit(int(raw))


# --------------------------------------------------------------------------- construction


def create_app(index_dir: str | os.PathLike[str] | None = None,
               corpus_dir: str | os.PathLike[str] | None = None, *,
               base_url: str | None = None, cors_origin: str | None = None,
               watch_seconds: float | None = None) -> SearchApp:
    """The WSGI application over a freshly opened index (builds it on first use), watching it.

    With no arguments (``waitress-serve --call spms_search.web:create_app``) the index,
    corpus, base URL, CORS origin and watch interval come from ``SPMS_SEARCH_INDEX``,
    ``SPMS_SEARCH_CORPUS``, ``SPMS_SEARCH_BASE_URL``, ``SPMS_SEARCH_CORS_ORIGIN`` and
    ``SPMS_SEARCH_WATCH_SECONDS`` (default 10; 0 never checks), as for the command line.
    """
    searcher = open_index(index_dir, corpus_dir, base_url=base_url)  # None: SPMS_SEARCH_BASE_URL
    origin = cors_origin if cors_origin is not None else os.environ.get(CORS_ENV)
    app = SearchApp(searcher, cors_origin=origin)
    if watch_seconds is None:
        try:
            watch_seconds = float(os.environ.get(WATCH_ENV) or DEFAULT_WATCH_SECONDS)
        except ValueError:
            watch_seconds = DEFAULT_WATCH_SECONDS
    app.watch(watch_seconds)
    return app


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """The standard library's WSGI server, one thread per request."""

    daemon_threads = True
    request_queue_size = 64


class _Handler(WSGIRequestHandler):
    quiet = False

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def make_server(app: Callable[..., Any], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                quiet: bool = False) -> ThreadingWSGIServer:
    """A threaded ``wsgiref`` server for ``app`` (port 0 picks a free port: see ``server_port``)."""
    handler = type("Handler", (_Handler,), {"quiet": quiet})
    server = _wsgiref_make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=handler)
    return server  # type: ignore[return-value]


PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ font-size: 112.5%; }}
body {{ margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  line-height: 1.6; color: #1a1a1a; background: #ffffff; }}
.wrap {{ max-width: 46rem; margin: 0 auto; padding: 1rem; }}
header {{ background: #12315e; color: #ffffff; }}
header h1 {{ margin: 0; font-size: 1.5rem; line-height: 1.3; }}
.skip {{ position: absolute; left: -999rem; }}
.vh {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }}
.skip:focus {{ position: static; display: inline-block; margin: .5rem; padding: .5rem;
  background: #ffffff; color: #12315e; }}
a {{ color: #0b4f9c; text-decoration: underline; }}
a:visited {{ color: #5a2a82; }}
:focus-visible {{ outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd54a; }}
form {{ margin: 1rem 0 1.5rem; }}
label {{ display: block; font-weight: 700; margin-bottom: .25rem; }}
.field {{ display: flex; flex-wrap: wrap; gap: .5rem; }}
input[type=search] {{ flex: 1 1 14rem; min-width: 0; font: inherit; padding: .5rem .6rem;
  border: 2px solid #4a4a4a; border-radius: 4px; color: #1a1a1a; background: #ffffff; }}
button {{ font: inherit; font-weight: 700; padding: .5rem 1.1rem; border: 2px solid #12315e;
  border-radius: 4px; background: #12315e; color: #ffffff; cursor: pointer; }}
.hint {{ color: #4a4a4a; margin: .25rem 0 0; }}
h2 {{ font-size: 1.3rem; line-height: 1.35; }}
h3 {{ font-size: 1.1rem; line-height: 1.4; margin: 0 0 .5rem; }}
ol.results, ul.browse {{ padding-left: 1.25rem; }}
ul.browse li {{ margin: .35rem 0; }}
ul.browse .level-2 {{ margin-left: 1rem; }}
ul.browse .level-3, ul.browse .level-4, ul.browse .level-5, ul.browse .level-6 {{ margin-left: 2rem; }}
.result {{ border-top: 1px solid #8a8a8a; padding: .75rem 0; }}
.answer {{ font-weight: 600; }}
.label {{ color: #4a4a4a; font-weight: 700; }}
.passage {{ white-space: pre-line; overflow-wrap: anywhere; }}
mark {{ background: #fff1a8; color: #1a1a1a; padding: 0 .1em; border-bottom: 2px solid #8a6d00; }}
.error {{ border-left: 4px solid #b00020; padding: .5rem .75rem; background: #fdecee; color: #1a1a1a; }}
footer {{ border-top: 1px solid #8a8a8a; margin-top: 2rem; color: #4a4a4a; }}
@media (max-width: 30rem) {{ html {{ font-size: 100%; }} .wrap {{ padding: .75rem; }} }}
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the search</a>
<header><div class="wrap"><h1>{title}</h1></div></header>
<main id="main" class="wrap">
<form method="get" action="/" role="search" aria-label="Ask a question">
<label for="q">Your question</label>
<div class="field">
<input id="q" name="q" type="search" value="{question}" maxlength="1000" autocomplete="off"
 aria-describedby="q-hint">
<button type="submit">Search</button>
</div>
<p id="q-hint" class="hint">Plain words are fine, for example \u201ccan I still get relapses?\u201d</p>
</form>
{alert}{body}
</main>
<footer><div class="wrap"><p>Answers are quoted from patient information; they are not medical advice.
Ask your MS team about your own care.</p></div></footer>
</body>
</html>
"""
