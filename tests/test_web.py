"""The WSGI application, called directly (no sockets): every route and every error."""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import time
from typing import Any

import pytest

import spms_search
from spms_search.errors import IndexBusyError, IndexCorruptError
from spms_search.web import MAX_QUESTION_CHARS, SearchApp, create_app


class Reply:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, errors: str) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.text = body.decode("utf-8")
        self.errors = errors

    def json(self) -> Any:
        assert self.headers["content-type"].startswith("application/json")
        return json.loads(self.body)


def call(app: Any, path: str, query: str = "", method: str = "GET") -> Reply:
    errors = io.StringIO()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(b""), "wsgi.errors": errors}
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return Reply(seen["status"], seen["headers"], body, errors.getvalue())


@pytest.fixture()
def app(searcher):
    return SearchApp(searcher)


# --------------------------------------------------------------------------- JSON API


def test_search_returns_the_same_json_as_the_library(app, searcher):
    reply = call(app, "/api/search", "q=can+I+still+get+relapses%3F&limit=2")
    assert reply.status == 200
    assert reply.json() == json.loads(json.dumps(searcher.ask("can I still get relapses?", 2).to_dict()))
    top = reply.json()["results"][0]
    assert top["heading"] == "Can you still get relapses with secondary progressive MS (SPMS)?"


def test_a_declined_question_is_a_normal_answer_with_headings_to_browse(app):
    data = call(app, "/api/search", "q=best+pizza+recipe").json()
    assert data["declined"] is True and data["results"] == []
    assert "steroids" in [b["section"] for b in data["browse"]]


def test_sections_list_and_one_section(app):
    sections = call(app, "/api/sections").json()["sections"]
    assert len(sections) == 12 and sections[7]["section"] == "steroids"
    one = call(app, "/api/sections/steroids").json()
    assert one["section"]["headings"][-1] == "Steroids"
    assert any("steroids" in p for p in one["passages"])


def test_healthz(app):
    reply = call(app, "/healthz")
    assert reply.status == 200 and reply.json()["status"] == "ok" and reply.json()["passages"] == 28


@pytest.mark.parametrize("query,fragment", [
    ("", "no question given"),
    ("q=+++", "no question given"),
    ("q=relapses&limit=abc", "whole number"),
    ("q=relapses&limit=0", "at least 1"),
    ("q=relapses&limit=-4", "at least 1"),
    ("q=" + "a" * (MAX_QUESTION_CHARS + 1), "longer than"),
    ("q=relapses&x=" + "b" * 20000, "longer than"),
    ("q=relapses" + "&x=1" * 40, "parameters"),
])
def test_bad_input_is_400_with_a_json_error(app, query, fragment):
    reply = call(app, "/api/search", query)
    assert reply.status == 400
    error = reply.json()["error"]
    assert error["code"] == "bad_input" and error["exit_code"] == 2 and fragment in error["message"]


def test_a_large_limit_is_clamped_not_refused(app, monkeypatch):
    # the page has fewer passages than the real clamp (100): a smaller one shows it happens
    monkeypatch.setattr(sys.modules["spms_search.search"], "MAX_LIMIT", 3)
    reply = call(app, "/api/search", "q=can I still get relapses&limit=100000")
    assert reply.status == 200 and len(reply.json()["results"]) == 3


def test_unknown_section_and_path_are_404(app):
    assert call(app, "/api/sections/no-such-thing").json()["error"]["code"] == "not_found"
    assert call(app, "/api/sections/no-such-thing").status == 404
    assert call(app, "/api/nothing").status == 404


def test_other_methods_are_405_with_allow(app):
    reply = call(app, "/api/search", "q=relapses", method="POST")
    assert reply.status == 405 and reply.headers["allow"] == "GET, HEAD"
    assert reply.json()["error"]["code"] == "method_not_allowed"


def test_head_has_headers_but_no_body(app):
    reply = call(app, "/healthz", method="HEAD")
    assert reply.status == 200 and reply.body == b"" and int(reply.headers["content-length"]) > 0


def test_a_busy_index_is_503(app, monkeypatch):
    def busy(*args: Any, **kwargs: Any) -> Any:
        raise IndexBusyError("another rebuild of /srv/ix is still running after 120 s")

    monkeypatch.setattr(app.searcher, "ask", busy)
    reply = call(app, "/api/search", "q=relapses")
    assert reply.status == 503
    assert reply.json()["error"] == {"code": "index_busy", "exit_code": 5,
                                     "message": "the index is being rebuilt: try again in a minute"}


@pytest.mark.parametrize("error", [RuntimeError("boom at /secret/path"),
                                   IndexCorruptError("the index at /secret/path could not be read")])
def test_a_server_fault_is_500_without_traceback_or_path(app, monkeypatch, error):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(app.searcher, "ask", broken)
    for path in ("/api/search", "/"):
        reply = call(app, path, "q=relapses")
        assert reply.status == 500
        assert "Traceback" not in reply.text and "/secret/path" not in reply.text
        assert "/secret/path" in reply.errors  # the server's log keeps the detail
    want = {"RuntimeError": "internal", "IndexCorruptError": "index_error"}[type(error).__name__]
    assert call(app, "/api/search", "q=relapses").json()["error"]["code"] == want


def test_no_cors_unless_configured(searcher):
    assert "access-control-allow-origin" not in call(SearchApp(searcher), "/api/search", "q=relapses").headers
    allowed = call(SearchApp(searcher, cors_origin="https://charity.example"), "/api/search", "q=relapses")
    assert allowed.headers["access-control-allow-origin"] == "https://charity.example"


def test_concurrent_requests_on_one_app_give_the_sequential_answers(app):
    questions = ["can I still get relapses?", "steroids", "who helps with balance problems?",
                 "best pizza recipe", "is there a drug for active SPMS?", "HSCT"]
    expected = {q: call(app, "/api/search", f"q={q}").body for q in questions}
    wrong: list[str] = []

    def client(offset: int) -> None:
        for i in range(30):
            q = questions[(offset + i) % len(questions)]
            if call(app, "/api/search", f"q={q}").body != expected[q]:
                wrong.append(q)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


# --------------------------------------------------------------------------- the page


def test_the_page_has_a_labelled_search_field_and_landmarks(app):
    page = call(app, "/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<label for="q">' in html and 'id="q" name="q"' in html
    assert '<main id="main"' in html and 'role="search"' in html and "<header>" in html
    assert "<script" not in html and "http" not in html.split("</head>")[0].replace("http-equiv", "")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_results_show_heading_path_and_the_answer_marked_inside_the_passage(app, searcher):
    html = call(app, "/", "q=steroids+for+a+relapse").text
    top = searcher.search("steroids for a relapse")[0]
    assert "<h3>Secondary progressive MS (SPMS)" in html and "Steroids</h3>" in html
    marked = re.search(r'<p class="passage">(.*?)</p>', html, re.S)
    assert marked and f"<mark>{top.answer}</mark>" in marked.group(1)
    assert 'value="steroids for a relapse"' in html


def test_no_confident_answer_offers_headings_that_open_on_the_page(app):
    html = call(app, "/", "q=best+pizza+recipe").text
    assert "No confident answer" in html
    assert '<a href="/?section=steroids">Steroids</a>' in html
    section = call(app, "/", "section=steroids").text
    assert "they can be treated with steroids" in section


def test_links_to_the_source_when_known(index_dir):
    with spms_search.open_index(index_dir, base_url="https://example.org/ms/") as searcher:
        html = call(SearchApp(searcher), "/", "q=steroids").text
    assert '<a href="https://example.org/ms/secondary-progressive-ms.html#steroids">' in html


def test_corpus_text_and_questions_are_escaped(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "evil.html").write_text(
        "<h1>&lt;script&gt;alert('heading')&lt;/script&gt; Fatigue</h1>"
        "<p>Fatigue &lt;img src=x onerror=alert(1)&gt; is tiredness that rest does not fix.</p>", "utf-8")
    app = create_app(tmp_path / "ix", corpus, watch_seconds=0)
    try:
        for query in ("q=fatigue+tiredness+rest", "q=%3Cscript%3Ealert(2)%3C/script%3E",
                      "section=script-alert-heading-script-fatigue"):
            html = call(app, "/", query).text
            assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&#x27;heading&#x27;)&lt;/script&gt; Fatigue" in \
            call(app, "/", "q=fatigue+tiredness+rest").text
    finally:
        app.close()


def test_a_bad_limit_on_the_page_is_a_message_not_a_crash(app):
    page = call(app, "/", "q=relapses&limit=zero")
    assert page.status == 400 and 'role="alert"' in page.text and "whole number" in page.text


# --------------------------------------------------------------------------- staying current


def test_a_changed_corpus_is_rebuilt_and_swapped_in_while_serving(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    page = "<h1>Diet and MS</h1><p>Eating a balanced diet with plenty of vegetables helps your health.</p>"
    (corpus / "diet.html").write_text(page, "utf-8")
    app = create_app(tmp_path / "ix", corpus, watch_seconds=0.2)
    try:
        first = app.searcher
        assert call(app, "/api/sections").json()["sections"][-1]["heading"] == "Diet and MS"
        (corpus / "diet.html").write_text(
            page + "<h2>Sleep</h2><p>Poor sleep makes fatigue worse; a regular bedtime helps.</p>", "utf-8")
        deadline = time.monotonic() + 60
        while app.searcher is first and time.monotonic() < deadline:
            time.sleep(0.1)
        assert app.searcher is not first, "the watcher did not notice the change within 60 s"
        assert call(app, "/api/sections").json()["sections"][-1]["heading"] == "Sleep"
        assert call(app, "/api/search", "q=regular+bedtime+sleep").json()["results"][0]["heading"] == "Sleep"
        assert app.refresh() is False  # nothing changed since
    finally:
        app.close()
