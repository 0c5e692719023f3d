"""Driving the real ``spms-search`` program in a pseudo-terminal of a given size.

The standard ``pty`` module gives the program a terminal, so it behaves as it does for
a person: colour on, readline in ``chat``, the width taken from the terminal (no
``COLUMNS``). POSIX only; tests that use it skip elsewhere.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def visible(text: str) -> str:
    """What a reader sees: no escape sequences, no carriage returns."""
    return ANSI.sub("", text).replace("\r", "")


class Terminal:
    """One program running on a pseudo-terminal ``width`` columns wide."""

    def __init__(self, args: Sequence[str], env: dict[str, str], width: int = 80,
                 cwd: str | None = None) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
        env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
        env["TERM"] = "xterm"

        def controlling_terminal() -> None:  # so that Ctrl-C reaches the program as SIGINT
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            # as in a person's terminal session: a test run started as a background job
            # (`cmd &` in a script) ignores SIGINT, and a child would inherit that
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.proc = subprocess.Popen(
            list(args), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            start_new_session=True, preexec_fn=controlling_terminal, close_fds=True,
        )
        os.close(slave)
        self.output = ""
        self._seen = 0  # how much of the visible output earlier expects consumed

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the program closed the terminal
            return False
        if not data:
            return False
        self.output += data.decode("utf-8", errors="replace")
        return True

    def expect(self, text: str, timeout: float = 60.0) -> str:
        """Read until ``text`` is printed after what earlier expects saw; the visible text up to it."""
        deadline = time.monotonic() + timeout
        while True:
            shown = visible(self.output)
            at = shown.find(text, self._seen)
            if at >= 0:
                before, self._seen = shown[self._seen:at], at + len(text)
                return before
            if time.monotonic() > deadline or not self._read(0.2):
                raise AssertionError(f"{text!r} never appeared after what was seen in:\n{shown}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def wait(self, timeout: float = 60.0) -> int:
        """Read everything until the program ends; its exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._read(0.2) and self.proc.poll() is not None:
                break
        else:
            self.proc.kill()
            raise AssertionError(f"the program did not end:\n{visible(self.output)}")
        code = self.proc.wait(timeout=10)
        os.close(self.master)
        return code
