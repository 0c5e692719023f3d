"""Ingestion: split source documents into sections and passages under their headings.

Three readers turn a file into a stream of *blocks* (heading, paragraph, list); one
assembler turns blocks into :class:`Section` and :class:`Passage` records, so HTML,
Markdown and plain text follow exactly the same passage rules:

* A passage is one paragraph, or a lead-in paragraph ending in ``:`` together with the
  list right after it ("For example:" plus its bullets is one passage).
* Headings build the heading path, outermost first; every heading is a section with a
  unique URL-style slug, even when it holds no passage of its own.
* Page furniture never becomes a passage: HTML ``script``/``style``/``nav``/``header``
  (the page's own, not an article's)/``footer``/``aside``/forms, and from a review footer
  line ("Last full review:", "Last reviewed", "Page last updated", ...) to the end of the
  page.

Plain-text heading rules (the published text has no markup):

1. A heading is a block of exactly one line, at most 20 words and 150 characters,
   starting with a capital letter or digit, not a bullet, and not ending in ``.``,
   ``,``, ``;`` or ``:`` (a line ending in ``:`` introduces a list).
2. It must be followed by body text (a paragraph or list). Of two heading-like lines in
   a row, only the last is a heading; the earlier one (typically a link such as
   "Find out more about managing relapses") stays a paragraph.
3. The first heading of the file is its title (level 1); the others are level 2,
   because plain text carries no nesting.

Faults are per file: an unreadable, empty, binary or oversized file is reported as a
warning and skipped; text that is not UTF-8 is decoded as Windows-1252 (or Latin-1) and
the warning says so. Only a corpus with no passage at all is an error.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html import unescape as html_unescape
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .corpus import MAX_FILE_BYTES, CorpusFile, FileRead, read_corpus_file, scan_corpus
from .errors import CorpusError
from .names import display_name

#: Passages longer than this are split (at sentence ends, else word breaks) into several:
#: a 30 MB one-line file must not become one passage that every query scores whole. The
#: longest passage of the bundled page is under 600 characters.
MAX_PASSAGE_CHARS = 2000
#: A "heading" longer than this is read as a paragraph: it is a run of text, not a title.
MAX_HEADING_CHARS = 300

BlockKind = Literal["heading", "paragraph", "list"]


@dataclass(frozen=True)
class Block:
    """One structural unit read from a document, before passages are formed."""

    kind: BlockKind
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    #: A heading's own anchor in its source (HTML ``id``, Markdown ``{#id}``), else "".
    anchor: str = ""


@dataclass(frozen=True)
class Passage:
    """A searchable unit: one paragraph, or a lead-in plus its list."""

    document: str
    title: str
    headings: tuple[str, ...]
    section: str
    position: int
    text: str
    items: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else self.title


@dataclass(frozen=True)
class Section:
    """A heading of a document with its path and slug, in document order."""

    document: str
    title: str
    headings: tuple[str, ...]
    section: str
    level: int
    #: Where the heading can be linked to: its anchor in the source ("" when it has none)
    anchor: str = ""
    #: The document's own address (``<link rel="canonical">`` or front matter ``url:``), or "".
    url: str = ""

    @property
    def heading(self) -> str:
        return self.headings[-1]


@dataclass(frozen=True)
class IngestWarning:
    """Something skipped or guessed while reading one file; ingestion went on."""

    document: str
    message: str

    def __str__(self) -> str:
        return f"{self.document}: {self.message}"


@dataclass
class Corpus:
    """Everything ingestion read from a corpus folder."""

    documents: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)
    #: One read per corpus file, whose fingerprints the index manifest records.
    reads: list[FileRead] = field(default_factory=list)


# --------------------------------------------------------------------------- text helpers

_SPACE_RE = re.compile(r"\s+")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")
_BULLET_RE = re.compile(r"^\s*(?:[\u2022\u25cf\u25e6\u2023\u2043\u2219*+\-\u2013\u2014]|\d{1,3}[.)])\s+")
_FOOTER_RE = re.compile(
    r"^(?:last (?:full )?review(?:ed)?\b|next (?:full )?review\b|page last (?:updated|reviewed)\b"
    r"|last updated\b|date of last review\b)",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Collapse runs of white space (no-break spaces included) and drop control characters."""
    if text.isascii():  # the same result, without a category lookup per character
        return _SPACE_RE.sub(" ", _ASCII_CONTROL_RE.sub(" ", text)).strip()
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cf" or ch == "\u00ad"
    )
    text = text.replace("\u00ad", "")
    return _SPACE_RE.sub(" ", text).strip()


def slugify(text: str) -> str:
    """URL-style slug: lower case ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def bounded_pieces(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, in linear time.

    Cuts fall between sentences where possible, else between words, else anywhere.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0

    def emit() -> None:
        nonlocal size
        if current:
            pieces.append(" ".join(current))
            current.clear()
            size = 0

    for sentence in _SENTENCE_END_RE.split(text):
        units = [sentence] if len(sentence) <= limit else sentence.split(" ")
        for unit in units:
            while len(unit) > limit:  # one "word" longer than a passage
                emit()
                pieces.append(unit[:limit])
                unit = unit[limit:]
            if size + len(unit) + (1 if current else 0) > limit:
                emit()
            current.append(unit)
            size += len(unit) + (1 if len(current) > 1 else 0)
    emit()
    return [p for p in pieces if p.strip()]


def is_footer_marker(text: str) -> bool:
    """True for a review-footer line, where page furniture starts."""
    return bool(_FOOTER_RE.match(text.strip()))


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Text from bytes: UTF-8, else a declared charset, else Windows-1252, else Latin-1.

    Returns the text and a warning when it was not UTF-8, so the user knows a guess was made.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    for encoding in filter(None, [declared, "cp1252", "latin-1"]):
        try:
            return data.decode(encoding), f"not valid UTF-8; decoded as {encoding}"
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace"), "not valid UTF-8; undecodable bytes replaced"


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KB mean it is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.1


# --------------------------------------------------------------------------- readers


#: Markup Python's html.parser refuses outright (an unknown or unterminated marked section,
#: "<![0" in a hand-edited page). A browser reads "<!" followed by anything but a comment, a
#: doctype or CDATA as a bogus comment that ends at the next ">" and shows the rest of the
#: page; so does the retry.
_MARKED_SECTION_RE = re.compile(r"<!\[(?!CDATA\[)[^>]*>?", re.IGNORECASE)
#: Any other declaration but a comment or a doctype, dropped the same way as a last resort.
_DECLARATION_RE = re.compile(r"<!(?!--|doctype)[^>]*>?", re.IGNORECASE)


def _parsed_html(source: str) -> Any:
    """The page parsed by BeautifulSoup's html.parser. A page the parser rejects for a stray
    declaration is parsed again without it, as a browser reads it, so that one bad construct
    does not cost the whole document; a page rejected even then raises
    ``bs4.exceptions.ParserRejectedMarkup`` (the file is skipped with the reason)."""
    from bs4 import BeautifulSoup  # only needed to rebuild
    from bs4.exceptions import ParserRejectedMarkup

    def parse(text: str) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return BeautifulSoup(text, "html.parser")

    for stray in (None, _MARKED_SECTION_RE):  # the cleaned text only when the parser refuses
        try:
            return parse(source if stray is None else stray.sub("", source))
        except ParserRejectedMarkup:
            pass
    return parse(_DECLARATION_RE.sub("", source))


def read_html(source: str) -> tuple[str | None, list[Block]]:
    """Blocks of an HTML page, with furniture dropped. Returns (title, blocks)."""
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    soup = _parsed_html(source)
    title_tag = soup.find("title")
    title = clean_text(title_tag.get_text()) if isinstance(title_tag, Tag) else None
    for tag in soup.find_all("header"):
        # a page's own <header> is site furniture; the <header> of an article holds its
        # title and lede, which are content (``<article><header><h1>...``)
        if tag.find_parent(["article", "main", "section"]) is not None:
            tag.unwrap()
    for tag in soup.find_all(list(_HTML_FURNITURE)):
        tag.decompose()
    # comments, doctypes, "<![if ...]>" declarations and "<?xml ...?>" are markup, never text
    unread = (Comment, Declaration, Doctype, ProcessingInstruction)
    for comment in soup.find_all(string=lambda s: isinstance(s, unread)):
        comment.extract()
    root = soup.body or soup
    blocks: list[Block] = []

    def list_items(tag: Tag) -> list[str]:
        items: list[str] = []
        for li in tag.find_all("li", recursive=False):
            nested = [child for child in li.find_all(["ul", "ol"], recursive=False)]
            for child in nested:
                child.extract()
            text = clean_text(li.get_text(" "))
            if text:
                items.append(text)
            for child in nested:
                items.extend(list_items(child))
        return items

    def walk(node: Tag) -> None:
        loose: list[str] = []

        def flush() -> None:
            text = clean_text(" ".join(loose))
            loose.clear()
            if text:
                blocks.append(Block("paragraph", text))

        for child in node.children:
            if isinstance(child, NavigableString):
                loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HTML_INLINE:
                loose.append(child.get_text(" "))
                continue
            flush()
            if re.fullmatch(r"h[1-6]", name):
                # an unclosed heading swallows what follows: its own text ends at the
                # first block element, and the rest is read as ordinary content
                own: list[str] = []
                rest: list[Tag] = []
                for part in child.children:
                    if rest or (isinstance(part, Tag) and part.name.lower() not in _HTML_INLINE):
                        if isinstance(part, Tag):
                            rest.append(part)
                    else:
                        own.append(part.get_text(" ") if isinstance(part, Tag) else str(part))
                text = clean_text(" ".join(own))
                if text:
                    blocks.append(Block("heading", text, level=int(name[1]), anchor=_html_anchor(child)))
                for part in rest:
                    wrapper = soup.new_tag("div")
                    wrapper.append(part.extract())
                    walk(wrapper)
            elif name in ("ul", "ol"):
                items = list_items(child)
                if items:
                    blocks.append(Block("list", items=tuple(items)))
            elif name in _HTML_PARAGRAPHS:
                text = clean_text(child.get_text(" "))
                if text:
                    blocks.append(Block("paragraph", text))
            else:
                walk(child)
        flush()

    walk(root)
    return title, blocks


def _html_anchor(heading: object) -> str:
    """The id a link can point at: the heading's own, else that of an ``<a id>`` inside it."""
    from bs4.element import Tag

    if not isinstance(heading, Tag):
        return ""
    for tag in [heading, *heading.find_all("a")]:
        value = tag.get("id") or (tag.get("name") if tag is not heading else None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


_HTML_FURNITURE = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "canvas", "object", "embed", "head", "menu", "dialog",
    "select", "input", "textarea",
}
_HTML_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "br",
    "wbr", "del", "ins", "img", "label", "font",
}
_HTML_PARAGRAPHS = {
    "p", "pre", "blockquote", "dt", "dd", "td", "th", "caption", "figcaption", "address",
    "summary", "li",
}

# Every pattern below runs in time linear in its input: a bracket, paren or emphasis
# span may not contain its own opening character, so each attempt stops at the next one
# instead of scanning to the end of the paragraph (``*a *a *a ...`` was quadratic).
_MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_ANCHOR_ID_RE = re.compile(r"[A-Za-z0-9_:.\-]+")
_MD_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_MD_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
_MD_INLINE = [
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),
    (re.compile(r"<[^<>\n]+>"), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_]+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]


def _strip_comments(text: str) -> str:
    """``text`` without HTML comments, in one pass (an unclosed ``<!--`` is kept as text)."""
    parts: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[pos:start])
        pos = end + 3
    parts.append(text[pos:])
    return "".join(parts)


def _md_heading_anchor(raw: str) -> tuple[str, str]:
    """A Markdown heading's text and its ``{#id}`` anchor (Pandoc/kramdown syntax), if any.

    Plain string operations, not a searching regex, so a long line costs linear time.
    """
    stripped = raw.rstrip()
    if stripped.endswith("}"):
        start = stripped.rfind("{#")
        if start >= 0 and _ANCHOR_ID_RE.fullmatch(stripped[start + 2 : -1]):
            return stripped[:start].rstrip(), stripped[start + 2 : -1]
    return raw, ""


_MD_SYNTAX_RE = re.compile(r"[<*_\[`]")


def _md_inline(text: str) -> str:
    if _MD_SYNTAX_RE.search(text):  # most lines hold no inline syntax at all
        text = _strip_comments(text)
        for pattern, repl in _MD_INLINE:
            text = pattern.sub(repl, text)
    return clean_text(text)


def _atx_heading(line: str) -> tuple[int, str] | None:
    """(level, raw text) of an ATX heading line, its closing ``#`` run removed, else None."""
    match = _MD_HEADING_RE.match(line)
    if match is None:
        return None
    text = match.group(2).rstrip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip()
    return len(match.group(1)), text


def _split_blocks(lines: Iterable[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            yield current
            current = []
    if current:
        yield current


def _markdown_chunk(chunk: list[str]) -> list[Block]:
    """Blocks of one run of non-blank Markdown lines (headings, a paragraph, a list)."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[list[str]] = []  # each item's lines, joined once (no repeated concatenation)

    def flush_para() -> None:
        if not para:
            return
        text = _md_inline(" ".join(para))
        para.clear()
        if text:
            blocks.append(Block("paragraph", text))

    def flush_items() -> None:
        if not items:
            return
        cleaned = tuple(t for t in (_md_inline(" ".join(i)) for i in items) if t)
        items.clear()
        if cleaned:
            blocks.append(Block("list", items=cleaned))

    for line in chunk:
        heading = _atx_heading(line)
        setext = _MD_SETEXT_RE.match(line)
        if heading:
            flush_para()
            flush_items()
            raw, anchor = _md_heading_anchor(heading[1])
            text = _md_inline(raw)
            if text:
                blocks.append(Block("heading", text, level=heading[0], anchor=anchor))
        elif setext and para and not items:
            text = _md_inline(" ".join(para))
            para.clear()
            if text:
                blocks.append(Block("heading", text, level=1 if setext.group(1)[0] == "=" else 2))
        elif _BULLET_RE.match(line):
            flush_para()
            items.append([_BULLET_RE.sub("", line, count=1)])
        elif items and line[:1].isspace():
            items[-1].append(line.strip())
        else:
            flush_items()
            para.append(line.strip())
    flush_para()
    flush_items()
    return blocks


def read_markdown(source: str) -> tuple[str | None, list[Block]]:
    """Blocks of a Markdown document: ATX and setext headings, paragraphs, lists."""
    lines = source.splitlines()
    title = None
    if lines and lines[0].strip() == "---":  # YAML front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                for meta in lines[1:end]:
                    if meta.lower().startswith("title:"):
                        title = clean_text(meta.split(":", 1)[1].strip().strip("'\""))
                lines = lines[end + 1 :]
                break
    unfenced: list[str] = []
    in_fence = False
    for line in lines:
        if _MD_FENCE_RE.match(line):
            in_fence = not in_fence
            unfenced.append("")
            continue
        unfenced.append(line)
    blocks: list[Block] = []
    for chunk in _split_blocks(unfenced):
        blocks.extend(_markdown_chunk(chunk))
    return title, blocks


def _text_heading_candidate(lines: list[str]) -> bool:
    if len(lines) != 1 or len(lines[0]) > 1000:  # no need to clean a huge line to say no
        return False
    line = clean_text(lines[0])
    if not line or len(line) > 150 or len(line.split()) > 20:
        return False
    if _BULLET_RE.match(lines[0]) or line[-1] in ".,;:":
        return False
    return line[0].isupper() or line[0].isdigit()


def read_text(source: str) -> tuple[str | None, list[Block]]:
    """Blocks of a plain-text document, headings found by the rules in the module docstring."""
    chunks = list(_split_blocks(source.splitlines()))
    blocks: list[Block] = []
    seen_heading = False
    for i, chunk in enumerate(chunks):
        if all(_BULLET_RE.match(line) for line in chunk):
            items = tuple(t for t in (clean_text(_BULLET_RE.sub("", ln, count=1)) for ln in chunk) if t)
            if items:
                blocks.append(Block("list", items=items))
            continue
        followed_by_body = i + 1 < len(chunks) and not _text_heading_candidate(chunks[i + 1])
        if _text_heading_candidate(chunk) and followed_by_body:
            blocks.append(Block("heading", clean_text(chunk[0]), level=2 if seen_heading else 1))
            seen_heading = True
            continue
        text = clean_text(" ".join(chunk))
        if text:
            blocks.append(Block("paragraph", text))
    return None, blocks


READERS = {"html": read_html, "markdown": read_markdown, "text": read_text}


# --------------------------------------------------------------------------- assembly


def drop_footer(blocks: list[Block]) -> list[Block]:
    """Cut the page from a review-footer line onwards, unless a heading follows it."""
    last_heading = max((i for i, b in enumerate(blocks) if b.kind == "heading"), default=-1)
    for i in range(last_heading + 1, len(blocks)):
        if blocks[i].kind == "paragraph" and is_footer_marker(blocks[i].text):
            return blocks[:i]
    return blocks


class _SlugRegistry:
    """Hands out section slugs unique within one document (``_qualify_shared_slugs`` does the rest).

    The next number to try is remembered per base slug, so 100,000 identical headings
    cost linear time, not a scan of ``-2``, ``-3``, ... for each one.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_number: dict[str, int] = {}

    def claim(self, text: str) -> str:
        base = slugify(text)
        slug, n = base, self.next_number.get(base, 2)
        while slug in self.used:
            slug, n = f"{base}-{n}", n + 1
        self.next_number[base] = n
        self.used.add(slug)
        return slug


def qualified_slugs(sections: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Slugs unique across documents, without letting file order decide who keeps one.

    ``sections`` are ``(document, slug within its document)`` in corpus order; the answer
    maps those that must change to their new slug. A slug that more than one document
    uses is prefixed, in every one of those documents, with its document's path less the
    extension (``a--help``, ``guides-b--help``). A section's slug therefore depends only on
    its own document and on whether another document shares the heading, never on which
    file sorts first (except between files that differ only in extension, ``a.md`` and
    ``a.html``, numbered in file order). It is the one thing ingestion computes over the
    whole corpus, so an incremental rebuild recomputes it from every document's own slugs
    (``index.py`` keeps them in the manifest) and re-indexes any document whose slugs move.
    """
    pairs = list(sections)
    owners: dict[str, set[str]] = {}
    for document, slug in pairs:
        owners.setdefault(slug, set()).add(document)
    shared = {slug for slug, docs in owners.items() if len(docs) > 1}
    renamed: dict[tuple[str, str], str] = {}
    if not shared:
        return renamed
    taken = set(owners) - shared
    for document, own in pairs:
        if own in shared:
            prefix = slugify(str(PurePosixPath(document).with_suffix("")))
            slug, n = f"{prefix}--{own}", 2
            while slug in taken:
                slug, n = f"{prefix}--{own}-{n}", n + 1
            taken.add(slug)
            renamed[(document, own)] = slug
    return renamed


def with_slugs(renamed: dict[tuple[str, str], str], sections: list[Section],
               passages: list[Passage]) -> tuple[list[Section], list[Passage]]:
    """``sections`` and ``passages`` with the slugs :func:`qualified_slugs` changed."""
    if not renamed:
        return sections, passages
    return ([replace(s, section=renamed.get((s.document, s.section), s.section)) for s in sections],
            [replace(p, section=renamed.get((p.document, p.section), p.section)) for p in passages])


def _qualify_shared_slugs(corpus: Corpus) -> None:
    """Make the slugs of ``corpus`` unique across its documents (:func:`qualified_slugs`)."""
    renamed = qualified_slugs((s.document, s.section) for s in corpus.sections)
    corpus.sections[:], corpus.passages[:] = with_slugs(renamed, corpus.sections, corpus.passages)


def assemble(
    document: str, title: str, blocks: list[Block], slugs: _SlugRegistry, *, url: str = ""
) -> tuple[list[Section], list[Passage]]:
    """Sections and passages of one document from its blocks (``url``: the document's address)."""
    sections: list[Section] = []
    passages: list[Passage] = []
    stack: list[tuple[int, str]] = []
    current: Section | None = None
    pending_lead: str | None = None

    def ensure_section() -> Section:
        nonlocal current
        if current is None:  # text before the first heading sits under the title
            current = Section(document, title, (title,), slugs.claim(title), 1, url=url)
            sections.append(current)
        return current

    def add(text: str, items: tuple[str, ...] = ()) -> None:
        section = ensure_section()
        for piece, piece_items in _bounded(text, items):
            passages.append(Passage(document, title, section.headings, section.section,
                                    len(passages), piece, piece_items))

    def flush_lead() -> None:
        nonlocal pending_lead
        if pending_lead is not None:
            add(pending_lead)
            pending_lead = None

    for block in drop_footer(blocks):
        if block.kind == "heading" and len(block.text) > MAX_HEADING_CHARS:
            block = Block("paragraph", block.text)
        if block.kind == "heading":
            flush_lead()
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            headings = tuple(text for _, text in stack)
            current = Section(document, title, headings, slugs.claim(block.text), block.level,
                              anchor=block.anchor, url=url)
            sections.append(current)
        elif block.kind == "paragraph":
            flush_lead()
            if block.text.endswith(":"):
                pending_lead = block.text
            else:
                add(block.text)
        else:
            bullets = "\n".join(f"\u2022 {item}" for item in block.items)
            if pending_lead is not None:
                add(f"{pending_lead}\n{bullets}", block.items)
                pending_lead = None
            else:
                add(bullets, block.items)
    flush_lead()
    return sections, passages


def _bounded(text: str, items: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """A passage's text and list items as one or more passages of bounded length.

    A list too long for one passage is split between items (the lead-in stays with the
    first part); an item or paragraph too long on its own is cut by :func:`bounded_pieces`.
    """
    if len(text) <= MAX_PASSAGE_CHARS:
        return [(text, items)]
    if not items:
        return [(piece, ()) for piece in bounded_pieces(text)]
    lead = text.split("\n", 1)[0] if not text.startswith("\u2022 ") else ""
    parts: list[tuple[str, tuple[str, ...]]] = []
    if len(lead) > MAX_PASSAGE_CHARS // 2:  # an over-long lead-in stands on its own
        parts.extend((piece, ()) for piece in bounded_pieces(lead))
        lead = ""
    lines: list[str] = [lead] if lead else []
    group: list[str] = []
    size = len(lead)
    for item in items:
        for piece in bounded_pieces(item, MAX_PASSAGE_CHARS - 2):
            bullet = f"\u2022 {piece}"
            if group and size + len(bullet) + 1 > MAX_PASSAGE_CHARS:
                parts.append(("\n".join(lines), tuple(group)))
                lines, group, size = [], [], 0
            lines.append(bullet)
            group.append(piece)
            size += len(bullet) + 1
    parts.append(("\n".join(lines), tuple(group)))
    return parts


# ``[^<>]`` stops each attempt at the next tag, so scanning a page is linear in its length
_CANONICAL_RE = re.compile(r"<link\b[^<>]{0,2000}>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FRONT_MATTER_URL_KEYS = ("canonical_url", "canonical", "url", "source_url", "source")


def source_url(kind: str, text: str) -> str:
    """The address a document gives for itself, or "" when it gives none.

    HTML: ``<link rel="canonical" href="...">``. Markdown: a front matter key ``url:``,
    ``canonical_url:``, ``canonical:``, ``source_url:`` or ``source:``. Only absolute
    ``http(s)`` addresses count, so a result never links to a relative path that means
    nothing outside the corpus folder (``--base-url`` covers documents without one).
    """
    found = ""
    if kind == "html":
        for tag in _CANONICAL_RE.findall(text[:65536]):
            attrs = {m.group(1).lower(): html_unescape(m.group(2) or m.group(3) or m.group(4) or "")
                     for m in _ATTR_RE.finditer(tag)}
            if "canonical" in attrs.get("rel", "").lower().split():
                found = attrs.get("href", "")
                break
    elif kind == "markdown":
        lines = text.splitlines()
        if lines and lines[0].strip() == "---":
            meta: dict[str, str] = {}
            for line in lines[1:]:
                if line.strip() in ("---", "..."):
                    break
                key, sep, value = line.partition(":")
                if sep:
                    meta.setdefault(key.strip().lower(), value.strip().strip("'\""))
            found = next((meta[k] for k in _FRONT_MATTER_URL_KEYS if meta.get(k)), "")
    found = found.strip()
    return found if re.match(r"https?://[^\s<>\"]+$", found) else ""


def _title_of(path: str, title: str | None, blocks: list[Block]) -> str:
    if title:
        return title
    for block in blocks:
        if block.kind == "heading":
            return block.text
    return Path(path).stem.replace("-", " ").replace("_", " ").strip() or path


def _read_file(file: CorpusFile) -> tuple[str | None, str | None, FileRead]:
    """The decoded text of a file (or None and the reason it was skipped), and the read."""
    read = read_corpus_file(file, MAX_FILE_BYTES)
    data = read.data
    if data is None:
        return None, f"skipped: {read.problem}", read
    if not data.strip():
        return None, "skipped: empty file", read
    if looks_binary(data):
        return None, "skipped: binary content, not text", read
    declared = None
    if file.kind == "html":
        match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
        declared = match.group(1).decode("ascii") if match else None
    text, note = decode_bytes(data, declared)
    return text, note, read


def ingest_file(file: CorpusFile, slugs: _SlugRegistry | None = None) -> tuple[
    list[Section], list[Passage], list[IngestWarning]
]:
    """Sections, passages and warnings of a single corpus file."""
    sections, passages, notes, _read = _ingest_file(file, slugs or _SlugRegistry())
    return sections, passages, notes


@dataclass
class FileIngest:
    """What one corpus file gave, with slugs unique within its own document only."""

    sections: list[Section]
    passages: list[Passage]
    notes: list[IngestWarning]
    read: FileRead


def ingest_document(file: CorpusFile) -> FileIngest:
    """One file read and split on its own: what a rebuild of that file alone needs.

    Slugs are numbered within their own document, so adding a file cannot renumber
    another's; :func:`qualified_slugs` then settles the slugs documents share.
    """
    return FileIngest(*_ingest_file(file, _SlugRegistry()))


def _ingest_file(file: CorpusFile, slugs: _SlugRegistry) -> tuple[
    list[Section], list[Passage], list[IngestWarning], FileRead
]:
    name = file.name  # the file name made safe to store and print
    text, note, read = _read_file(file)
    notes = [IngestWarning(name, note)] if note else []
    if text is None:
        return [], [], notes, read
    try:
        title, blocks = READERS[file.kind](text)
    except Exception as err:  # noqa: BLE001 - a parser bug must cost one file, not the corpus
        return [], [], [*notes, IngestWarning(name, f"skipped: cannot parse ({err})")], read
    title = _title_of(name, title, blocks)
    sections, passages = assemble(name, title, blocks, slugs, url=source_url(file.kind, text))
    if not passages:
        notes.append(IngestWarning(name, "no passages found"))
    return sections, passages, notes, read


def no_passage_error(root: Path, warnings: list[str]) -> CorpusError:
    """The error of a corpus from which no passage at all could be read."""
    detail = "; ".join(warnings[:3])
    return CorpusError(
        f"no passage could be read from {root}"
        + (f" ({detail})" if detail else " (no .html, .md or .txt files)")
        + ": add readable documents or pass --corpus DIR"
    )


def ingest_corpus(corpus_dir: Path | str) -> Corpus:
    """Read every corpus file in stable order; raise :class:`CorpusError` if none yields text."""
    root = Path(corpus_dir)
    files, skipped = scan_corpus(root)
    corpus = Corpus()
    corpus.warnings.extend(IngestWarning(display_name(s.relpath), f"skipped: {s.reason}")
                           for s in skipped)
    for file in files:
        got = ingest_document(file)
        corpus.reads.append(got.read)
        corpus.warnings.extend(got.notes)
        if got.passages:
            corpus.documents.append(file.name)
            corpus.sections.extend(got.sections)
            corpus.passages.extend(got.passages)
    _qualify_shared_slugs(corpus)
    if not corpus.passages:
        raise no_passage_error(root, [str(w) for w in corpus.warnings])
    return corpus
