"""``spms-search serve`` as a real process on a loopback port, and under load."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bench.serve_load import get, run_load, search_paths, serving
from spms_search.cli import main

from .conftest import CORPUS


@pytest.fixture(scope="module")
def base(index_dir) -> Iterator[str]:
    with serving(CORPUS, index_dir) as url:
        yield url


def test_serve_binds_loopback_by_default_and_answers_the_api(base, index_dir):
    assert base.startswith("http://127.0.0.1:")
    status, body = get(base + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, body = get(base + "/api/search?q=can+I+still+get+relapses%3F&limit=3")
    cli = CliRunner().invoke(main, ["search", "--json", "--limit", "3", "can I still get relapses?",
                                    "--corpus", str(CORPUS), "--index", str(index_dir)])
    assert status == 200 and json.loads(body) == json.loads(cli.output)  # the same JSON as --json


def test_serve_answers_errors_as_json_with_their_status(base):
    status, body = get(base + "/api/search?q=relapses&limit=abc")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_input"
    status, body = get(base + "/api/sections/not-a-section")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"


def test_serve_shows_the_page(base):
    status, body = get(base + "/?q=steroids")
    assert status == 200
    assert b'<label for="q">Your question</label>' in body and b"<mark>" in body


def test_a_port_in_use_is_a_one_line_error(index_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--corpus", str(CORPUS),
                                           "--index", str(index_dir)])
    assert result.exit_code == 2
    assert f"spms-search: error: cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_eight_clients_of_two_hundred_requests_see_no_error(base):
    """The load test: pass/fail is zero errors only (``bench/serve_load.py`` reports times)."""
    load = run_load(base, clients=8, requests=200, paths=search_paths())
    assert load.errors == []
    assert len(load.latencies) == 1600


def test_serve_notices_a_changed_corpus_and_answers_from_it(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    page = "<h1>Diet and MS</h1><p>Eating a balanced diet with plenty of vegetables helps your health.</p>"
    (corpus / "diet.html").write_text(page, "utf-8")
    with serving(corpus, tmp_path / "ix", "--watch", "0.2") as url:
        sections = json.loads(get(url + "/api/sections")[1])["sections"]
        assert [s["heading"] for s in sections] == ["Diet and MS"]
        (corpus / "diet.html").write_text(
            page + "<h2>Sleep</h2><p>Poor sleep makes fatigue worse; a regular bedtime helps.</p>", "utf-8")
        deadline = time.monotonic() + 60
        headings: list[str] = []
        while "Sleep" not in headings and time.monotonic() < deadline:
            time.sleep(0.2)
            headings = [s["heading"] for s in json.loads(get(url + "/api/sections")[1])["sections"]]
        assert headings == ["Diet and MS", "Sleep"]
