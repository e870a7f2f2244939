"""The parse stage's product: a page's constructs with their spans, for the extractors.

A :class:`Document` holds every construct a fact can come from (headings, templates with
their parameters, ``<ref>`` tags, wikilinks), each with its character span in
``Document.wikitext``, plus a *prose mask*: the text with everything that is not running
prose blanked to spaces (same length, newlines kept), so prose offsets are page offsets.
:meth:`Document.source_span` maps spans back to the caller's input (they differ only for the
flat dialect, which is rewritten to wikitext first).

The rules of what gets recorded live here too, because both walkers that fill a Document
(:mod:`extractor.parse.walk_tokens`, the fast one, and :mod:`extractor.parse.walk_tree`, the
reference) must apply them identically.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from extractor.page import ALL_CATEGORY_NAMES

#: Tags whose contents are never prose and never hold facts we extract.
OPAQUE_TAGS = frozenset(
    {
        "nowiki", "pre", "math", "chem", "ce", "source", "syntaxhighlight", "score", "timeline",
        "hiero", "graph", "templatedata", "imagemap", "inputbox", "categorytree", "section",
        "gallery", "code", "mapframe", "maplink",
    }
)  # fmt: skip


class SpanMap(Protocol):
    """Maps a span of the parsed wikitext back to the caller's input."""

    def span_to_source(self, start: int, end: int) -> tuple[int, int]: ...


@attrs.frozen
class _Identity:
    """The span map of a page parsed as given."""

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        return start, end


@attrs.frozen
class Param:
    """One template parameter: name as written (stripped; positional ones are "1", "2", ...),
    raw value (stripped), where the value starts, and whether the name was written out."""

    name: str
    value: str
    start: int
    named: bool

    @property
    def end(self) -> int:
        """Where the value ends."""
        return self.start + len(self.value)


@attrs.frozen
class TemplateNode:
    """A template call anywhere on the page, ``length`` characters from ``start``.

    ``ref`` is the index in :attr:`Document.refs` of the innermost ``<ref>`` holding it;
    ``nested`` tells whether it stands inside another template's parameter.
    """

    name: str
    params: tuple[Param, ...]
    start: int
    length: int
    ref: int | None
    nested: bool

    @property
    def end(self) -> int:
        """Where the call ends."""
        return self.start + self.length


@attrs.frozen
class RefNode:
    """A ``<ref>`` tag, ``length`` characters from ``start``: ``name``/``group`` attributes,
    whether it is a self-closing reuse, where its contents start (``head`` characters in) and
    how long they are, and how many templates it holds.

    The contents are read from the page (``page``) when asked for, and the offsets are kept
    as lengths, mostly small integers that Python shares: a page of refs holds little more
    than one object each.
    """

    name: str | None
    group: str | None
    start: int
    length: int
    self_closing: bool
    head: int
    content_length: int
    templates: int
    page: str = attrs.field(eq=False, repr=False)

    @property
    def end(self) -> int:
        """Where the tag ends."""
        return self.start + self.length

    @property
    def content_start(self) -> int:
        """Where the contents start."""
        return self.start + self.head

    @property
    def content_end(self) -> int:
        """Where the contents end."""
        return self.start + self.head + self.content_length

    @property
    def content(self) -> str:
        """The contents, raw."""
        start = self.start + self.head
        return self.page[start : start + self.content_length]


@attrs.frozen
class LinkNode:
    """A wikilink ``[[title|text]]``, ``length`` characters from ``start``; ``title`` and
    ``text`` (None without a pipe) are read from the page (``page``) when asked for."""

    start: int
    length: int
    title_length: int
    piped: bool
    page: str = attrs.field(eq=False, repr=False)

    @property
    def end(self) -> int:
        """Where the link ends."""
        return self.start + self.length

    @property
    def title(self) -> str:
        """The title, raw."""
        return self.page[self.start + 2 : self.start + 2 + self.title_length]

    @property
    def text(self) -> str | None:
        """The text after the pipe, raw; None without a pipe."""
        if not self.piped:
            return None
        return self.page[self.start + 3 + self.title_length : self.start + self.length - 2]


@attrs.frozen
class HeadingNode:
    """A section heading: level (2 for ``==X==``), plain title (see
    :func:`extractor.parse.plaintext.heading_text`), start and length of the heading line."""

    level: int
    title: str
    start: int
    length: int

    @property
    def end(self) -> int:
        """Where the heading ends."""
        return self.start + self.length


@attrs.define
class Document:
    """What the parse stage hands to extractors.  See the module docstring.

    ``ref_lists`` are the spans of ``<references>...</references>`` tags (list-defined refs
    inside them are definitions, not uses), sorted by start.
    """

    source: str
    wikitext: str
    dialect: str
    headings: list[HeadingNode] = attrs.Factory(list)
    templates: list[TemplateNode] = attrs.Factory(list)
    refs: list[RefNode] = attrs.Factory(list)
    links: list[LinkNode] = attrs.Factory(list)
    ref_lists: list[tuple[int, int]] = attrs.Factory(list)
    prose: str = ""
    problems: list[str] = attrs.Factory(list)
    span_map: SpanMap = attrs.Factory(_Identity)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the caller's input for a span of :attr:`wikitext`."""
        return self.span_map.span_to_source(start, end)


#: File namespace names: the text of a file link is its options and caption, which holds
#: prose, refs and templates like any paragraph.
_FILE_PREFIXES = frozenset(
    {
        "file", "image", "media", "datei", "bild", "fichier", "archivo", "imagen", "immagine",
        "файл", "изображение", "ファイル", "画像", "文件", "圖像", "ملف", "plik", "bestand",
        "arquivo", "fil", "tiedosto",
    }
)  # fmt: skip
_CATEGORY_PREFIXES = frozenset(name.lower() for name in ALL_CATEGORY_NAMES)


def link_kind(title: str) -> str:
    """``file``, ``category`` or ``interwiki`` for namespaced links, else ``article``."""
    prefix, colon, _ = title.strip().partition(":")
    if not colon or title.strip().startswith(":"):
        return "article"
    lowered = prefix.strip().lower()
    if lowered in _FILE_PREFIXES:
        return "file"
    if lowered in _CATEGORY_PREFIXES:
        return "category"
    if 2 <= len(lowered) <= 3 and lowered.isascii() and lowered.isalpha():
        return "interwiki"
    return "article"


def masked(
    text: str, keep: Iterable[tuple[int, int]], start: int = 0, end: int | None = None
) -> str:
    """``text[start:end]`` with every character outside ``keep`` (sorted spans within it)
    turned into a space (newlines stay)."""
    pieces: list[str] = []
    pos = start
    for kept_start, kept_end in keep:
        if kept_start > pos:
            pieces.append(_blank(text[pos:kept_start]))
        pieces.append(text[kept_start:kept_end])
        pos = kept_end
    pieces.append(_blank(text[pos:end]))
    return "".join(pieces)


def _blank(segment: str) -> str:
    """Spaces for ``segment``, keeping its newlines so line structure survives."""
    if "\n" not in segment:
        return " " * len(segment)
    return "\n".join(" " * len(line) for line in segment.split("\n"))
