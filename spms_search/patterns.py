"""Regular expressions compiled once per machine instead of once per start.

The query path's modules hold about fifty patterns (answer kinds, definitions, sentence
shapes). Python compiles a pattern with a parser and compiler written in Python, so
compiling them when the modules were imported took about a sixth of a command-line
answer's time above the interpreter's floor, on every start.

:func:`compile` is ``re.compile`` with a memory: the first process that compiles a
pattern keeps what the compiler produced (the code list that CPython's ``_sre.compile``
turns into a pattern object) in the kept table of ``compiled.py``; later starts hand
that code straight to ``_sre.compile``, which is how ``re.compile`` itself ends. The result
is the pattern object ``re.compile`` returns (the two compare equal, code included).

Why this can be trusted:

* The table is keyed by the Python build and carries ``compiled.py``'s checksum; each
  entry is also keyed by ``_sre``'s own format (magic number, code size): another
  interpreter, a damaged or a foreign file is never used.
* A pattern is kept only after the pattern built from its code compared equal to
  ``re.compile``'s own; anything unexpected (another interpreter, a change of ``re``'s
  internals) means plain ``re.compile``, never an error.
"""

from __future__ import annotations

import re
from typing import Any

try:  # CPython's regular-expression engine and the compiler ``re`` uses
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # another interpreter: plain re.compile
    _sre = None

#: What must match for stored code to mean the same to this ``_sre``.
_ENGINE = (f"sre {getattr(_sre, 'MAGIC', '?')} {getattr(_sre, 'CODESIZE', '?')} "
           f"{getattr(_sre, 'MAXREPEAT', '?')} {getattr(_sre, 'MAXGROUPS', '?')}")

#: (flags, code, groups, groupindex, indexgroup): the arguments ``_sre.compile`` takes after the pattern.
Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


def _entry(pattern: str, flags: int) -> tuple[re.Pattern[str], Entry]:
    """Compile as ``re`` does, keeping the code (CPython's ``re._compiler.compile``)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses: keep ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    entry: Entry = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return _sre.compile(pattern, *entry), entry


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the kept code when an earlier start compiled it."""
    flags = int(flags)
    if _sre is None:
        return re.compile(pattern, flags)
    from .compiled import startup_table

    table = startup_table()
    name = ("re", _ENGINE, pattern, flags)
    try:
        entry = table.get(name)
        if entry is not None:
            return _sre.compile(pattern, *entry)  # type: ignore[no-any-return]
        compiled, entry = _entry(pattern, flags)
    except Exception:  # noqa: BLE001 - re's internals differ here: compile as usual
        return re.compile(pattern, flags)
    if compiled != re.compile(pattern, flags):  # never keep code that means something else
        return re.compile(pattern, flags)
    table.add(name, entry)
    return compiled  # type: ignore[no-any-return]
