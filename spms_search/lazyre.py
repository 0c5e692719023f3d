"""Regular expressions compiled when first used instead of when their module is imported.

Compiling a pattern costs a fraction of a millisecond to a millisecond and a half (``re``
parses it in Python); a command-line answer pays that at import for every pattern of the
modules it loads, though a plain question uses only some of them. A pattern made here is
compiled by :func:`re.compile` exactly as written, on the first call, and kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call."""
    return cache(partial(re.compile, pattern, flags))
