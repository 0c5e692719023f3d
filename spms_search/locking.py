"""One rebuild of an index folder at a time, across processes, on any platform.

The lock is the file ``.lock`` in the index folder, held for the whole build:

* POSIX: ``fcntl.flock`` on it. The kernel releases it when the holder dies, however it
  dies, so a killed build never leaves the folder locked.
* Windows: ``msvcrt.locking`` on its first byte, released the same way.
* Neither available (a restricted interpreter): an exclusive-create owner file
  ``.lock.owner`` holding the process id; an owner file whose process is gone is stale and
  taken over, so this too survives a killed build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import IndexBusyError, IndexNotWritableError

LOCK_NAME = ".lock"
OWNER_NAME = ".lock.owner"

#: Tries the lock once: True when taken, False when someone else holds it.
TryLock = Callable[[IO[str]], bool]
Unlock = Callable[[IO[str]], None]


def not_writable(index_dir: Path, err: OSError) -> IndexNotWritableError:
    """The one message for an index folder that cannot be written."""
    reason = err.strerror or str(err)
    return IndexNotWritableError(
        f"cannot write the index at {index_dir} ({reason}): pass --index DIR (or set "
        "SPMS_SEARCH_INDEX) to a writable folder"
    )


def _busy(err: OSError) -> bool:
    return err.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK)


def _os_lock() -> tuple[TryLock, Unlock] | None:
    """The platform's own file lock, or None when the interpreter offers none."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        def try_flock(handle: IO[str]) -> bool:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                if _busy(err):
                    return False
                raise
            return True

        return try_flock, lambda handle: None  # closing the file releases it
    try:
        import msvcrt
    except ImportError:
        return None

    def try_msvcrt(handle: IO[str]) -> bool:  # pragma: no cover - Windows only
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError as err:
            if _busy(err):
                return False
            raise
        return True

    def unlock_msvcrt(handle: IO[str]) -> None:  # pragma: no cover - Windows only
        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

    return try_msvcrt, unlock_msvcrt


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it there; msvcrt is used anyway
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _owner_lock(index_dir: Path) -> tuple[TryLock, Unlock]:
    """Exclusive creation of an owner file: the lock of last resort."""
    owner = index_dir / OWNER_NAME

    def try_owner(handle: IO[str]) -> bool:
        try:
            fd = os.open(owner, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(owner.read_text("ascii").strip() or "0")
            except (OSError, ValueError):
                return False  # being written right now, or unreadable: wait
            if not _pid_alive(pid):
                with contextlib.suppress(OSError):
                    owner.unlink()
            return False
        with os.fdopen(fd, "w") as out:
            out.write(str(os.getpid()))
        return True

    def release(handle: IO[str]) -> None:
        with contextlib.suppress(OSError):
            owner.unlink()

    return try_owner, release


@contextmanager
def index_lock(index_dir: Path, timeout: float, *, portable_only: bool = False) -> Iterator[bool]:
    """Hold the rebuild lock of ``index_dir`` for the ``with`` block.

    The ``with`` value says whether another holder made this one wait: a rebuild that
    waited checks whether the holder already did its work (``index.build_index``).

    Raises :class:`IndexBusyError` after ``timeout`` seconds of waiting and
    :class:`IndexNotWritableError` when the lock file cannot be made. ``portable_only``
    forces the owner-file lock (for tests of the fallback).
    """
    methods = None if portable_only else _os_lock()
    try_lock, unlock = methods if methods is not None else _owner_lock(index_dir)
    try:
        handle = open(index_dir / LOCK_NAME, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as err:
        raise not_writable(index_dir, err) from None
    deadline = time.monotonic() + timeout
    waited = False
    try:
        while True:
            try:
                if try_lock(handle):
                    break
            except OSError as err:
                raise not_writable(index_dir, err) from None
            if time.monotonic() >= deadline:
                raise IndexBusyError(
                    f"another rebuild of {index_dir} is still running after {timeout:.0f} s: "
                    "wait for it to finish, then try again"
                )
            waited = True
            time.sleep(0.05)
        try:
            yield waited
        finally:
            unlock(handle)
    finally:
        handle.close()
