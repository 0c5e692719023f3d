"""What the query path's modules compile when imported (regular expressions, dataclass
methods) is compiled by the first start only (``patterns.py``, ``records.py``, the kept table
of ``compiled.py``), and what later starts build from it is what compiling gives."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spms_search import compiled, patterns, records

from .conftest import cli_env

#: The modules a command-line question imports.
QUERY_PATH = "import spms_search.cli, spms_search.search, spms_search.render"

#: Imports everything the package needs from outside it first, then counts what importing
#: the package compiles: regular expressions through ``re``'s compiler, and source text
#: handed to ``exec`` or ``compile`` (which is how ``dataclasses`` makes its methods).
_COUNT_COMPILING = r"""
import builtins, importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
import re._compiler
counts = {"patterns": 0, "exec": 0}
real_compile, real_exec, real_builtin_compile = re._compiler.compile, builtins.exec, builtins.compile
def counting_compile(p, flags=0):
    counts["patterns"] += 1
    return real_compile(p, flags)
def counting_exec(source, *args):
    if isinstance(source, str):
        counts["exec"] += 1
    return real_exec(source, *args)
def counting_builtin_compile(source, *args, **kwargs):
    if isinstance(source, str):
        counts["exec"] += 1
    return real_builtin_compile(source, *args, **kwargs)
re._compiler.compile, builtins.exec = counting_compile, counting_exec
builtins.compile = counting_builtin_compile
real_exec(sys.argv[2])
counted = dict(counts)
def patterns_in(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple, dict)):
        for item in (value.values() if isinstance(value, dict) else value):
            yield from patterns_in(item, depth + 1)
found = [p for name, module in list(sys.modules.items()) if name.startswith("spms_search")
         for value in vars(module).values() for p in patterns_in(value)]
differ = [p.pattern for p in found if p != re.compile(p.pattern, p.flags)]  # flags, pattern and code
print(json.dumps({**counted, "found": len(found), "differ": differ}))
"""


def _outside_modules(env: dict[str, str]) -> list[str]:
    code = (f"import sys\n{QUERY_PATH}\nimport json\n"
            "print(json.dumps(sorted(n for n in sys.modules if not n.startswith('spms_search'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return [name for name in json.loads(done.stdout) if name != "__main__"]


def _count(env: dict[str, str], outside: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _COUNT_COMPILING, json.dumps(outside), QUERY_PATH],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_second_start_compiles_no_pattern_and_no_dataclass_method(tmp_path: Path) -> None:
    env = cli_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    outside = _outside_modules(env)  # this first start also fills the kept table
    second = _count(env, outside)
    assert second["patterns"] == 0 and second["exec"] == 0, second
    assert second["found"] >= 40 and second["differ"] == []  # what it built is what re.compile gives


def test_without_a_kept_table_every_start_compiles(tmp_path: Path) -> None:
    """The reference for the test above: an unwritable cache folder means compiling each time."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go")
    env = cli_env(XDG_CACHE_HOME=str(blocker))
    outside = _outside_modules(env)
    again = _count(env, outside)
    assert again["patterns"] >= 40 and again["exec"] >= 40, again


def _fresh_table(monkeypatch: pytest.MonkeyPatch, home: Path) -> compiled.KeptTable:
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    table = compiled.KeptTable(f"test {home}")
    monkeypatch.setattr(compiled, "startup_table", lambda: table)
    return table


PATTERNS = [
    (r"^(?:what|wat) (?:is|are) (?P<subject>[^?!.]{1,60}?)\s*[?!.]*$", 0),
    (r"\b(?:but|however|yet)\b", re.IGNORECASE),
    (r"[\w'\u2019]+|[^\w\s]", 0),
    (r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_pattern_from_the_kept_table_is_the_pattern_re_compiles(tmp_path, monkeypatch, pattern, flags):
    table = _fresh_table(monkeypatch, tmp_path)
    first = patterns.compile(pattern, flags)
    table.save()
    later = _fresh_table(monkeypatch, tmp_path)
    assert later.get(("re", patterns._ENGINE, pattern, int(flags))) is not None  # read back from the file
    kept = patterns.compile(pattern, flags)
    expected = re.compile(pattern, flags)
    assert kept == expected and first == expected  # same flags, pattern and compiled code
    assert kept.groupindex == expected.groupindex and kept.groups == expected.groups
    text = "What is SPMS? But however, it's \u2018fine\u2019. Yet 3 more."
    assert [m.span() for m in kept.finditer(text)] == [m.span() for m in expected.finditer(text)]


def _make_record(decorator):
    @decorator(frozen=True)
    class Record:
        """A record."""

        name: str
        words: tuple[str, ...] = ()
        weight: float = 1.0
        extra: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    return Record


def test_a_dataclass_from_the_kept_table_behaves_as_dataclasses_makes_it(tmp_path, monkeypatch):
    table = _fresh_table(monkeypatch, tmp_path)
    _make_record(records.dataclass)
    table.save()
    _fresh_table(monkeypatch, tmp_path)
    kept, plain = _make_record(records.dataclass), _make_record(dataclasses.dataclass)
    a, b = kept("relapse", ("relaps",), 0.5), plain("relapse", ("relaps",), 0.5)
    assert repr(a).replace(kept.__qualname__, "X") == repr(b).replace(plain.__qualname__, "X")
    assert a == kept("relapse", ("relaps",), 0.5, {"ignored": 1}) and a != kept("relapse")
    assert hash(a) == hash(kept("relapse", ("relaps",), 0.5)) and hash(b) == hash(a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "other"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
    assert dataclasses.replace(a, weight=2.0).weight == 2.0 and dataclasses.asdict(a) == dataclasses.asdict(b)
    assert kept.__match_args__ == plain.__match_args__
    assert "exec" not in vars(dataclasses)  # dataclasses is left as it was


def test_a_damaged_kept_table_is_ignored(tmp_path, monkeypatch):
    table = _fresh_table(monkeypatch, tmp_path)
    patterns.compile(r"\bdamaged\b")
    table.save()
    (stored,) = (tmp_path / "spms-search" / "compiled").glob("*.pickle")
    data = stored.read_bytes()
    stored.write_bytes(data[:-40] + b"\x00" * 40)
    later = _fresh_table(monkeypatch, tmp_path)
    assert later.get(("re", patterns._ENGINE, r"\bdamaged\b", 0)) is None
    assert patterns.compile(r"\bdamaged\b") == re.compile(r"\bdamaged\b")
