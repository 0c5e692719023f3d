"""``dataclass``, with the methods it writes compiled once per machine instead of once per start.

``dataclasses.dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__`` (and,
for a frozen class, ``__setattr__``, ``__delattr__`` and ``__hash__``) and compiles it with
``exec`` when the class is created, about a millisecond a class. The query path defines
about twenty dataclasses, so that compiling was a fifth of a command-line answer's time
above the interpreter's floor, on every start.

:func:`dataclass` is ``dataclasses.dataclass`` itself, run with one difference: the source it
hands to ``exec`` is compiled once, and the code object (``marshal``'s format, as in a
``.pyc`` file) kept in the kept table of ``compiled.py``, keyed by the source text itself
and the interpreter build. The class is the one ``dataclasses`` makes, attribute for
attribute: only where the compiled code comes from differs. Where ``dataclasses`` no longer
calls ``exec`` by that name, nothing is kept and nothing changes.

Type checkers see ``dataclasses.dataclass``.
"""

from __future__ import annotations

import dataclasses
import marshal
import threading
from typing import TYPE_CHECKING, Any

_lock = threading.Lock()


def _kept_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
    """``exec`` for ``dataclasses``: the same source runs from code compiled by an earlier start."""
    if not isinstance(source, str):
        exec(source, globals, locals)
        return
    try:
        from .compiled import startup_table  # compiled.py's own dataclass is made while it imports
    except ImportError:
        exec(source, globals, locals)
        return
    table = startup_table()
    name = ("dataclass", source)
    stored = table.get(name)
    code = None
    if isinstance(stored, bytes):
        try:
            code = marshal.loads(stored)
        except (ValueError, EOFError, TypeError):
            code = None
    if code is None:
        code = compile(source, "<string>", "exec")  # what exec(source) compiles
        table.add(name, marshal.dumps(code))
    exec(code, globals, locals)


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls=None, /, **options):
        """``dataclasses.dataclass(cls, **options)`` (see the module's docstring)."""

        def wrap(target):
            with _lock:
                if "exec" in vars(dataclasses):  # not the builtin it looks up: leave it alone
                    return dataclasses.dataclass(**options)(target)
                dataclasses.exec = _kept_exec
                try:
                    return dataclasses.dataclass(**options)(target)
                finally:
                    del dataclasses.exec

        return wrap if cls is None else wrap(cls)
