"""Plain record classes: what ``@dataclass`` gives the query path's classes, without ``exec``.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` and (when frozen)
``__hash__`` and ``__setattr__`` as source text and runs it through ``exec`` when the module
is imported: about a millisecond a class, some 20 ms of every command-line answer for the
classes a question touches. A class built on :class:`FrozenRecord` or :class:`Record`
writes its typed ``__init__`` by hand and names its fields in ``_fields``; the rest is
shared here and behaves as the dataclass did:

* ``repr``: ``Name(field=value, ...)`` over ``_fields``;
* ``==``: equal when of the very same class with equal ``_fields`` (else NotImplemented);
* :class:`FrozenRecord`: hashed by its ``_fields``, assigning or deleting an attribute raises
  :class:`dataclasses.FrozenInstanceError`, and copies and pickles are made through
  ``__init__`` (so ``_fields`` must be the ``__init__`` arguments, in order);
* ``_replace(**changes)``: a copy with some fields changed (``dataclasses.replace``);
* :class:`Record` (mutable): unhashable (it defines ``__eq__`` only), as a dataclass with
  ``eq`` and not ``frozen`` is.

The public result classes (``Result``, documented as a frozen dataclass, ``Response``,
``SectionInfo``, ``IndexStats``, ``IndexInfo``) stay dataclasses: callers may use
``dataclasses.replace`` and ``asdict`` on them.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, Self


class Record:
    """A mutable record: ``repr`` and ``==`` over ``_fields``; unhashable."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def _replace(self, **changes: Any) -> Self:
        """A new record with ``changes`` made to its fields (``dataclasses.replace``)."""
        return type(self)(**{**dict(zip(self._fields, self._values())), **changes})

    def __repr__(self) -> str:
        inner = ", ".join([f"{name}={getattr(self, name)!r}" for name in self._fields])
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__ and isinstance(other, Record):
            return self._values() == other._values()
        return NotImplemented


class FrozenRecord(Record):
    """An immutable record: as :class:`Record`, hashable, and attributes cannot change."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[FrozenRecord], tuple[Any, ...]]:
        return (type(self), self._values())
