"""Incremental rebuilds: only changed files are indexed again, and the index answers exactly
as a full build of the same corpus would."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import spms_search
from spms_search import index as index_module
from spms_search import ingestion, segments
from spms_search.cli import main
from spms_search.corpus import CorpusFile, FileRead
from spms_search.evaluation import load_questions
from spms_search.index import MANIFEST, MARKER, index_lock
from spms_search.segments import Group, plan_groups

from .conftest import CORPUS, DATA, ROOT, cli_env, installed_exe

#: Small documents about the same subjects as the bundled page, so that they compete with
#: it for the tuning questions. Two share a heading ("Exercise"), so their slugs depend on
#: each other; the file added later shares "Steroids" with the page.
FILES = {
    "a-balance.md": "# Balance and falls\n\n## Exercise\n\nPhysiotherapy and exercise help balance "
                    "problems and can stop falls in progressive MS.\n\n## Walking aids\n\nA stick or "
                    "a walker makes walking safer when legs are weak.\n",
    "b-fatigue.md": "# Fatigue in MS\n\nFatigue is one of the most common symptoms of MS. Pacing "
                    "your day and good sleep help.\n\n## Exercise\n\nGentle exercise can reduce "
                    "fatigue over time.\n",
    "c-steroids.md": "# Relapse treatment\n\n## Steroid courses\n\nA short course of steroids can speed up "
                     "recovery from a relapse but does not change long-term disability.\n",
    "d-diet.txt": "Diet and MS\n\nNo special diet cures MS. A balanced diet supports general "
                  "health and vitamin D levels.\n",
    "e-work.md": "# Work and SPMS\n\nMany people with secondary progressive MS keep working with "
                 "adjustments from their employer.\n",
    "f-bladder.html": "<h1>Bladder problems</h1><p>Bladder problems are common in MS. A continence "
                      "nurse can help.</p><h2>Medicines</h2><p>Some drugs calm an overactive "
                      "bladder.</p>",
    "g-mood.md": "# Mood\n\nDepression and anxiety are common with MS; talk to your GP or MS "
                 "nurse.\n",
    "h-trials.md": "# Clinical trials\n\nDrugs now in trials for progressive MS aim to protect "
                   "nerves and repair myelin.\n",
}
_TOPICS = ["heat", "cooling", "sleep", "pain", "vision", "memory", "speech", "swallowing",
           "driving", "travel", "money", "housing", "carers", "children", "pregnancy", "vaccines"]
FILES.update({f"m-{n:02d}-{topic}.md": f"# Living with MS: {topic}\n\nSome people with MS have "
              f"problems with {topic}; your MS nurse can suggest help with {topic}.\n"
              for n, topic in enumerate(_TOPICS)})


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(CORPUS / "secondary-progressive-ms.html", folder / "secondary-progressive-ms.html")
    for name, text in FILES.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def edit_in_several_ways(corpus: Path) -> None:
    """One file edited, one added, one deleted, one renamed.

    Files sort into five groups of five: the edits touch the first two; the third and
    fourth are kept whole; the fifth holds the page, whose "Steroids" slug the added file
    qualifies."""
    (corpus / "b-fatigue.md").write_text(FILES["b-fatigue.md"] + "\n## Cooling\n\nHeat makes fatigue "
                                         "worse; cooling vests help some people.\n", "utf-8")
    (corpus / "ca-spasms.md").write_text("# Spasticity\n\n## Steroids\n\nSteroids do not treat "
                                         "stiffness; baclofen and stretching do.\n", "utf-8")
    (corpus / "g-mood.md").unlink()
    (corpus / "e-work.md").rename(corpus / "ea-employment.md")


def answers(searcher: spms_search.Searcher, questions: list[str]) -> list[tuple[object, ...]]:
    out = []
    for question in questions:
        response = searcher.ask(question, limit=5)
        out.append((question, [dataclasses.replace(r, score=0.0) for r in response.results],
                    [r.score for r in response.results], response.confidence, response.declined,
                    [s.section for s in response.browse]))
    return out


def manifest(index: Path) -> dict[str, object]:
    current = json.loads((index / MARKER).read_text())["current"]
    data: dict[str, object] = json.loads((index / current / MANIFEST).read_text())
    return data


MIN_GROUP_BYTES = segments.MIN_GROUP_BYTES


@pytest.fixture(autouse=True)
def _small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test corpus is a few KiB: group it by file count alone, as a large corpus is."""
    monkeypatch.setattr(segments, "MIN_GROUP_BYTES", 0)


@pytest.fixture()
def edited(tmp_path: Path) -> tuple[Path, spms_search.IndexStats]:
    """An index built, then the corpus edited in several ways and the index rebuilt."""
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "incremental"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    edit_in_several_ways(corpus)
    return corpus, spms_search.build_index(corpus_dir=corpus, index_dir=index)


def test_an_edited_corpus_is_rebuilt_from_its_changed_files_only(edited):
    _corpus, stats = edited
    assert stats.files == 25
    assert stats.files_read == 6 + 4 + 5  # two groups edited, one requalified


def test_an_incremental_rebuild_keeps_every_segment_s_spelling_words(edited):
    """The spelling words are each segment's own list (kept beside it and carried into
    the next generation with it): after the edits they are still exactly the union of
    every segment's words, the edited file's new words included."""
    from spms_search.index import SEGMENT_WORDS_SUFFIX, open_built_index, read_spelling_words

    corpus, _stats = edited
    index = corpus.parent / "incremental"
    opened = open_built_index(corpus_dir=corpus, index_dir=index)
    try:
        kept = read_spelling_words(opened)
        merged: set[str] = set()
        gen = index / opened.generation
        for leaf, _base in opened.ix.reader().leaf_readers():
            own = sorted(set(leaf.field_terms("spell")))
            merged.update(own)
            beside = gen / f"{leaf.segment().segment_id()}.{SEGMENT_WORDS_SUFFIX}"
            assert beside.read_text("utf-8").splitlines() == own
    finally:
        opened.ix.close()
    assert kept == sorted(merged) and "cooling" in merged
    files = manifest(index)["checksums"]
    assert isinstance(files, dict) and any(n.endswith(f".{SEGMENT_WORDS_SUFFIX}") for n in files)


def test_the_incremental_index_answers_every_tuning_question_as_a_full_build_does(tmp_path, edited):
    corpus, _stats = edited
    incremental = tmp_path / "incremental"
    full = tmp_path / "full"
    assert spms_search.build_index(corpus_dir=corpus, index_dir=full).files_read == 25
    questions = [q.question for name in ("dev_questions.jsonl", "validation_questions.jsonl")
                 for q in load_questions(DATA / name)]
    assert len(questions) > 400
    with spms_search.open_index(index_dir=incremental, corpus_dir=corpus) as inc, \
            spms_search.open_index(index_dir=full, corpus_dir=corpus) as ref:
        assert not inc.rebuilt and not ref.rebuilt
        got, want = answers(inc, questions), answers(ref, questions)
        assert [s for s in inc.sections] == [s for s in ref.sections]
    for g, w in zip(got, want, strict=True):
        assert (g[0], g[1], g[4], g[5]) == (w[0], w[1], w[4], w[5])
        assert g[2] == pytest.approx(w[2], abs=1e-9, rel=0)
        assert g[3] == pytest.approx(w[3], abs=1e-9, rel=0)
    inc_manifest, full_manifest = manifest(incremental), manifest(full)
    for key in ("files", "hashes", "documents", "sections", "passages", "warnings"):
        assert inc_manifest[key] == full_manifest[key], key


def test_a_shared_heading_added_elsewhere_requalifies_the_unchanged_page(edited):
    corpus, _stats = edited
    sections = {s["section"] for s in manifest(corpus.parent / "incremental")["sections"]}
    # the new file shares "Steroids" with the unchanged page: both are qualified now
    assert {"secondary-progressive-ms--steroids", "ca-spasms--steroids"} <= sections
    assert "steroids" not in sections
    with spms_search.open_index(index_dir=corpus.parent / "incremental", corpus_dir=corpus) as searcher:
        found = {r.section for r in searcher.search("steroids", limit=10)}
    assert "secondary-progressive-ms--steroids" in found and "steroids" not in found


def test_nothing_changed_reads_no_file(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    again = spms_search.build_index(corpus_dir=corpus, index_dir=index)
    assert (again.files_read, again.files, again.passages) == (0, 25, manifest(index)["passages"])
    with spms_search.open_index(index_dir=index, corpus_dir=corpus) as searcher:
        assert not searcher.rebuilt
        assert searcher.search("steroids speed up recovery from a relapse")[0].document == "c-steroids.md"


def test_a_file_the_last_build_could_not_read_is_read_again(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    real = ingestion.read_corpus_file

    def denied(file: CorpusFile, *args: int) -> FileRead:
        if file.relpath == "d-diet.txt":  # as a file without read permission reads (not as root)
            return FileRead(file.relpath, file.size, file.mtime_ns, "unreadable", None,
                            "cannot read (Permission denied)")
        return real(file, *args)

    monkeypatch.setattr(ingestion, "read_corpus_file", denied)
    first = spms_search.build_index(corpus_dir=corpus, index_dir=index)
    assert first.warnings == ("d-diet.txt: skipped: cannot read (Permission denied)",)
    monkeypatch.setattr(ingestion, "read_corpus_file", real)  # permission given: same size, same time
    again = spms_search.build_index(corpus_dir=corpus, index_dir=index)
    assert (again.warnings, again.files_read, again.documents) == ((), 5, first.documents + 1)


@pytest.mark.parametrize("change", ["schema", "analysis-data", "damaged", "other-corpus"])
def test_a_full_rebuild_when_the_live_index_cannot_be_kept(tmp_path, monkeypatch, change):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    (corpus / "d-diet.txt").write_text("Diet and MS\n\nVitamin D matters.\n", "utf-8")
    if change == "schema":
        monkeypatch.setattr(index_module, "SCHEMA_VERSION", index_module.SCHEMA_VERSION + 100)
    elif change == "analysis-data":
        monkeypatch.setattr(index_module, "_analysis_data_digest", lambda: "another word list")
    elif change == "damaged":
        gen = index / json.loads((index / MARKER).read_text())["current"]
        segment = max(gen.glob("MAIN_*.seg"), key=lambda p: p.stat().st_size)
        segment.write_bytes(b"\0" * segment.stat().st_size)
    else:
        other = tmp_path / "copy"
        shutil.copytree(corpus, other)
        corpus = other
    stats = spms_search.build_index(corpus_dir=corpus, index_dir=index)
    assert stats.files_read == stats.files == 25


def test_groups_stay_runs_of_files_in_corpus_order():
    first = plan_groups([(f"f{n:03d}", 20_000) for n in range(100)])
    assert [len(g.files) for g in first] == [10] * 10
    kept = [Group(g.files, f"seg{n}", 5) for n, g in enumerate(first)]
    files = [f"f{n:03d}" for n in range(100) if n != 15] + ["f015a", "f0999"]
    again = plan_groups([(f, 20_000) for f in sorted(files)], kept)
    assert [f for g in again for f in g.files] == sorted(files)
    assert [g.reuse for g in again] == [True, False, True, True, True, True, True, True, True, False]
    assert again[2].segment == "seg2"


def test_small_files_share_fewer_larger_segments(monkeypatch):
    monkeypatch.setattr(segments, "MIN_GROUP_BYTES", MIN_GROUP_BYTES)  # the real floor here
    abstracts = plan_groups([(f"a{n:04d}", 1_000) for n in range(1400)])  # Cranfield-sized
    assert [len(g.files) for g in abstracts[:-1]] == [132] * 10 and len(abstracts) == 11
    pages = plan_groups([(f"p{n:04d}", 12_000) for n in range(2000)])  # patient pages
    assert len(pages) == 45 and {len(g.files) for g in pages[:-1]} == {45}
    assert len(plan_groups([("a.md", 3_000), ("b.md", 4_000)])) == 1


def test_a_rebuild_that_waited_for_another_one_does_not_rebuild_again(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    (corpus / "d-diet.txt").write_text("Diet and MS\n\nVitamin D matters.\n", "utf-8")
    results: list[spms_search.IndexStats] = []
    waiting = threading.Thread(target=lambda: results.append(
        spms_search.build_index(corpus_dir=corpus, index_dir=index)))
    with index_lock(index):  # another process is rebuilding: this rebuild queues on the lock
        waiting.start()
        time.sleep(0.5)
        index_module._build_locked(corpus.absolute(), index, None)  # the rebuild it needs
    waiting.join(60)
    assert json.loads((index / MARKER).read_text())["current"] == "gen-000002"  # not gen-000003
    assert results and results[0].files_read == 0
    assert results[0].passages == manifest(index)["passages"]


READER = textwrap.dedent(
    """
    import sys, time
    from spms_search.index import open_built_index
    from spms_search.search import Searcher
    corpus, index, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    failures = rounds = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rounds += 1
        try:  # readers only: the test's loop is the one rebuilding (CI blocks fcntl in it alone)
            opened = open_built_index(corpus_dir=corpus, index_dir=index, auto_build=False)
            with Searcher(opened) as s:
                top = s.search("can I still get relapses?")
                if not top or not top[0].section.startswith("can-you-still-get-relapses"):
                    failures += 1
        except Exception as err:
            failures += 1
            print(repr(err), file=sys.stderr)
    print(failures, rounds)
    """
)


@pytest.mark.slow
def test_readers_in_other_processes_never_fail_while_incremental_rebuilds_swap(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    spms_search.build_index(corpus_dir=corpus, index_dir=index)
    script = tmp_path / "reader.py"
    script.write_text(READER)
    readers = [subprocess.Popen([sys.executable, str(script), str(corpus), str(index), "6"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
               for _ in range(2)]
    rebuilds = 0
    while any(r.poll() is None for r in readers):
        (corpus / "d-diet.txt").write_text(f"Diet and MS\n\nVitamin D, round {rebuilds}.\n", "utf-8")
        assert spms_search.build_index(corpus_dir=corpus, index_dir=index).files_read < 25
        rebuilds += 1
    outputs = [r.communicate(timeout=60) for r in readers]
    assert rebuilds >= 3
    for out, err in outputs:
        failures, rounds = out.split()
        assert failures == "0" and int(rounds) > 0, err


def test_rebuild_says_how_many_files_it_indexed_again(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    args = ["rebuild", "--corpus", str(corpus), "--index", str(index)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "files 25  indexed again 25" in first.output
    (corpus / "d-diet.txt").write_text("Diet and MS\n\nVitamin D matters.\n", "utf-8")
    again = CliRunner().invoke(main, [*args, "--json"])
    assert again.exit_code == 0
    assert (json.loads(again.output)["files"], json.loads(again.output)["files_read"]) == (25, 5)
    (corpus / "d-diet.txt").write_text("Diet and MS\n\nVitamin D matters a lot.\n", "utf-8")
    proc = subprocess.run([installed_exe(), *args], capture_output=True, text=True, timeout=120,
                          env=cli_env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert proc.returncode == 0, proc.stderr
    assert "files 25  indexed again 5 (the others kept their part of the previous index)" in proc.stdout


def test_one_segment_or_many_gives_the_same_answers_typos_included(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    many = tmp_path / "many"
    assert spms_search.build_index(corpus_dir=corpus, index_dir=many).files_read == 25
    monkeypatch.setattr(segments, "files_per_group", lambda n: n)
    one = tmp_path / "one"
    spms_search.build_index(corpus_dir=corpus, index_dir=one)
    assert (len(manifest(many)["groups"]), len(manifest(one)["groups"])) == (5, 1)
    questions = [q.question for q in load_questions(DATA / "dev_questions.jsonl")]
    questions += ["can sterods help", "fatige and cooling vest", "bladdr problms", "excercise for balanse"]
    with spms_search.open_index(index_dir=many, corpus_dir=corpus) as a, \
            spms_search.open_index(index_dir=one, corpus_dir=corpus) as b:
        assert [a.rewrite(q).suggestion for q in questions[-4:]] == [b.rewrite(q).suggestion
                                                                     for q in questions[-4:]]
        assert any(a.rewrite(q).suggestion for q in questions[-4:])
        got, want = answers(a, questions), answers(b, questions)
    for g, w in zip(got, want, strict=True):
        assert (g[0], g[1], g[4], g[5]) == (w[0], w[1], w[4], w[5])
        assert g[2] == pytest.approx(w[2], abs=1e-9, rel=0)
        assert g[3] == pytest.approx(w[3], abs=1e-9, rel=0)


def _segment_content(folder: Path) -> list:
    """Everything a reader reads of an index: postings with their values, lengths, stored fields."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))
    out: list = []
    with ix.reader() as reader:
        names = sorted(reader.indexed_field_names())
        for field in names:
            out.append((field, reader.field_length(field)))
            for term in reader.lexicon(field):
                info = reader.term_info(field, term)
                out.append((field, term, info.weight(), info.doc_frequency(), info.min_length(),
                            info.max_length(), info.max_weight(), info.min_id(), info.max_id()))
                matcher = reader.postings(field, term)
                while matcher.is_active():
                    out.append((field, term, matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
        for docnum in range(reader.doc_count_all()):
            out.append((sorted(reader.stored_fields(docnum).items()),
                        [reader.doc_field_length(docnum, f) for f in names]))
    ix.close()
    return out


class _WhooshFieldWriterCodec(segments.InlineCodec):
    """The build's codec with Whoosh's own field writer (posting by posting)."""

    def field_writer(self, storage, segment):
        from whoosh.codec.whoosh3 import W3FieldWriter

        return W3FieldWriter(self, storage, segment)


def _segment_bytes(folder: Path) -> dict[str, bytes]:
    """The postings file's bytes (its name holds a random segment id), and the term table's
    entries decoded (the build pickles inlined postings with a newer protocol)."""
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.filedb.structfile import StructFile

    out: dict[str, bytes] = {p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix == ".pst"}
    (table,) = [p for p in folder.iterdir() if p.suffix == ".trm"]
    with open(table, "rb") as handle:
        reader = OrderedHashReader(StructFile(handle), table.stat().st_size)
        entries = [(key, vars(W3TermInfo.from_bytes(value))) for key, value in reader.items()]
    out[".trm"] = repr(entries).encode()
    return out


def _write_segment(folder: Path, documents: list[dict], writer_class, codec, pool_limit: int = 0) -> None:
    folder.mkdir()
    ix = segments.BuildStorage(str(folder)).create_index(index_module.make_schema())
    writer = writer_class(ix, codec=codec, compound=False)
    if pool_limit:  # the posting pool sorts runs of this many bytes on disk, then merges them
        writer.pool.limit = pool_limit
    for doc in documents:
        writer.add_document(**doc)
    writer.commit(merge=False)
    ix.close()


def test_the_build_writer_writes_what_whoosh_s_own_writer_writes(tmp_path):
    """``segments.BuildWriter`` indexes each token and each repeated field value once, and
    its field writer inlines short posting lists in one step: its segment must hold exactly
    what Whoosh's ``SegmentWriter`` and field writer make of the same passages.

    The files differ where a repeated value (a section's text, the ``context`` of each of
    its passages) is one bytes object, which pickle writes once, and in the pickle protocol
    of the inlined postings: the field writer alone writes the same postings file and term
    table entries."""
    from whoosh.writing import SegmentWriter

    corpus = ingestion.ingest_corpus(CORPUS)
    documents = list(index_module._documents(corpus))
    documents.append({**documents[0], "body": "", "context": "the of and", "spell": "Café's O'Brien"})
    # posting lists long enough to be written as blocks, and longer than one block (128)
    documents += [{**doc, "doc": f"copy-{n}"} for n, doc in enumerate(documents * 5)]
    _write_segment(tmp_path / "fast", documents, segments.BuildWriter, segments.InlineCodec())
    _write_segment(tmp_path / "whoosh", documents, SegmentWriter, _WhooshFieldWriterCodec())
    assert _segment_content(tmp_path / "fast") == _segment_content(tmp_path / "whoosh")
    _write_segment(tmp_path / "fields", documents, SegmentWriter, segments.InlineCodec())
    assert _segment_bytes(tmp_path / "fields") == _segment_bytes(tmp_path / "whoosh")
    _write_segment(tmp_path / "runs", documents, segments.BuildWriter, segments.InlineCodec(), 200_000)
    assert _segment_content(tmp_path / "runs") == _segment_content(tmp_path / "whoosh")


def test_the_build_s_term_table_hashes_are_whoosh_s_byte_for_byte(tmp_path, monkeypatch):
    """The field writer hashes each term table key from its digest's bytes and writes each
    bucket's hash table in one call (``segments._md5_low32``, ``segments._write_hashes``):
    every file of the segment is the one Whoosh's ``md5_hash`` and ``_write_hashes`` make,
    and the hash of any key is Whoosh's."""
    import random

    from whoosh.filedb.filetables import HashWriter, md5_hash

    documents = list(index_module._documents(ingestion.ingest_corpus(CORPUS)))
    _write_segment(tmp_path / "fast", documents, segments.BuildWriter, segments.InlineCodec())
    monkeypatch.setattr(segments, "_md5_low32", md5_hash)
    monkeypatch.setattr(segments, "_write_hashes", HashWriter._write_hashes)
    _write_segment(tmp_path / "whoosh", documents, segments.BuildWriter, segments.InlineCodec())

    def files(folder: Path) -> dict[str, bytes]:
        # MAIN_<segment id><the rest>: the id is random
        return {p.name[len("MAIN_") + 16:]: p.read_bytes() for p in folder.iterdir() if p.suffix != ".toc"}

    fast, whoosh = files(tmp_path / "fast"), files(tmp_path / "whoosh")
    assert ".trm" in fast and ".pst" in fast and fast == whoosh
    monkeypatch.undo()
    rng = random.Random(7)
    for key in [b"", b"\x00", *(rng.randbytes(rng.randrange(1, 40)) for _ in range(2000))]:
        assert segments._md5_low32(key) == md5_hash(key)
