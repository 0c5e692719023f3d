"""Where the corpus and the index live when the caller does not say.

Order of precedence, for both: an explicit argument, then the environment
(``SPMS_SEARCH_CORPUS`` / ``SPMS_SEARCH_INDEX``), then the defaults below.

* Corpus: the ``corpus/`` folder of a source checkout, else the copy bundled into the
  installed package (``spms_search/corpus``), so ``pip install .`` works from anywhere.
* Index: ``index/`` of the checkout when the bundled checkout corpus is used and the
  checkout is writable; otherwise a per-user cache folder keyed by the corpus path, so two
  corpora never share (and fight over) one index. The cache folder is the platform's own
  (see ``_cache_home``).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from .errors import CorpusError

CORPUS_ENV = "SPMS_SEARCH_CORPUS"
INDEX_ENV = "SPMS_SEARCH_INDEX"

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent


def _checkout_corpus() -> Path | None:
    corpus = _CHECKOUT_DIR / "corpus"
    if corpus.is_dir() and (_CHECKOUT_DIR / "setup.cfg").is_file():
        return corpus
    return None


def default_corpus_dir() -> Path:
    """The corpus used when none is given: environment, checkout, then bundled copy."""
    env = os.environ.get(CORPUS_ENV)
    if env:
        return Path(env).expanduser()
    checkout = _checkout_corpus()
    if checkout is not None:
        return checkout
    bundled = _PACKAGE_DIR / "corpus"
    if bundled.is_dir():
        return bundled
    raise CorpusError(
        "no corpus found: pass --corpus DIR or set SPMS_SEARCH_CORPUS to a folder of "
        ".html, .md or .txt files"
    )


def named_corpus_dir(corpus_dir: str | os.PathLike[str] | None) -> Path | None:
    """The corpus the caller named (argument, else ``SPMS_SEARCH_CORPUS``), or None.

    Only a named corpus may override the corpus an index records: the defaults never do,
    so an index of your own documents is never silently rebuilt from the bundled page.
    """
    if corpus_dir is not None:
        return Path(corpus_dir).expanduser().absolute()
    env = os.environ.get(CORPUS_ENV)
    return Path(env).expanduser().absolute() if env else None


def named_index_dir(index_dir: str | os.PathLike[str] | None) -> Path | None:
    """The index folder the caller named (argument, else ``SPMS_SEARCH_INDEX``), or None."""
    if index_dir is not None:
        return Path(index_dir).expanduser().absolute()
    env = os.environ.get(INDEX_ENV)
    return Path(env).expanduser().absolute() if env else None


def same_folder(a: Path, b: Path) -> bool:
    """True when two paths name one folder (symlinks and ``..`` resolved where possible)."""
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return a.absolute() == b.absolute()


def legacy_paths(
    function: str,
    positional: tuple[str | os.PathLike[str] | None, ...],
    order: tuple[str, ...],
    named: dict[str, str | os.PathLike[str] | None],
) -> dict[str, str | os.PathLike[str] | None]:
    """Map the old positional path arguments of ``function`` onto their keyword names.

    The public functions take ``corpus_dir=`` and ``index_dir=`` by keyword (their old
    positional orders disagreed); positional calls written before keep working.
    """
    if len(positional) > len(order):
        raise TypeError(f"{function}() takes at most {len(order)} positional path arguments")
    out = dict(named)
    for name, value in zip(order, positional):
        if out.get(name) is not None:
            raise TypeError(f"{function}() got {name} both by position and by keyword")
        out[name] = value
    return out


def resolve_corpus_dir(corpus_dir: str | os.PathLike[str] | None) -> Path:
    """An absolute corpus path from an explicit value or the defaults."""
    path = Path(corpus_dir).expanduser() if corpus_dir is not None else default_corpus_dir()
    return path.absolute()


def _cache_home() -> Path:
    """The platform's per-user cache folder (``XDG_CACHE_HOME`` wins wherever it is set).

    Linux and other Unix: ``~/.cache``; macOS: ``~/Library/Caches``; Windows:
    ``%LOCALAPPDATA%`` (the folder for machine-local, non-roaming data).
    """
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) if local else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path.home() / ".cache"


def default_index_dir(corpus_dir: Path) -> Path:
    """The index location for ``corpus_dir`` when none is given."""
    env = os.environ.get(INDEX_ENV)
    if env:
        return Path(env).expanduser().absolute()
    checkout = _checkout_corpus()
    if (checkout is not None and checkout.resolve() == corpus_dir.resolve()
            and os.access(_CHECKOUT_DIR, os.W_OK)):
        return _CHECKOUT_DIR / "index"
    key = hashlib.sha256(str(corpus_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return _cache_home() / "spms-search" / key[:16]


def resolve_index_dir(index_dir: str | os.PathLike[str] | None, corpus_dir: Path) -> Path:
    """An absolute index path from an explicit value or the defaults."""
    if index_dir is not None:
        return Path(index_dir).expanduser().absolute()
    return default_index_dir(corpus_dir)
