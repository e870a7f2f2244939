"""Stage 2: the one place that calls mwparserfromhell.

:func:`parse` turns a page's text into a :class:`Document`: every construct a fact can come
from (headings, templates with their parameters, ``<ref>`` tags, wikilinks), each with its
character span, plus a *prose mask* (the page's text with everything that is not running
prose blanked to spaces, same length, so prose offsets are page offsets).

Extractors in :mod:`extractor.facts` are pure functions of a :class:`Document`; they never see
mwparserfromhell's tree.  That keeps the parser swappable behind this one function (a faster
token-stream parser can fill the same Document), which is the point of this module.

Spans in a Document index into ``Document.wikitext``; :meth:`Document.source_span` maps them
back to the text the caller gave (they differ only for the flat dialect, which is rewritten
to wikitext first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Protocol

import attrs
import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from extractor.dialects import flat_to_wikitext
from extractor.page import ALL_CATEGORY_NAMES

#: Tags whose contents are never prose and never hold facts we extract.
_OPAQUE_TAGS = frozenset(
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
    raw value (stripped), the value's span, and whether the name was written out."""

    name: str
    value: str
    start: int
    end: int
    named: bool


@attrs.frozen
class TemplateNode:
    """A template call anywhere on the page.

    ``ref`` is the index in :attr:`Document.refs` of the innermost ``<ref>`` holding it;
    ``nested`` tells whether it stands inside another template's parameter.
    """

    name: str
    params: tuple[Param, ...]
    start: int
    end: int
    ref: int | None
    nested: bool


@attrs.frozen
class RefNode:
    """A ``<ref>`` tag: ``name``/``group`` attributes, whether it is a self-closing reuse,
    its contents (raw, and as plain text) and their span, the external links found inside it
    and how many templates it holds."""

    name: str | None
    group: str | None
    start: int
    end: int
    self_closing: bool
    content: str
    plain: str
    content_start: int
    content_end: int
    links: tuple[tuple[str, str | None], ...]
    templates: int


@attrs.frozen
class LinkNode:
    """A wikilink ``[[title|text]]`` (title and text raw, ``text`` None without a pipe)."""

    title: str
    text: str | None
    start: int
    end: int


@attrs.frozen
class HeadingNode:
    """A section heading: level (2 for ``==X==``), plain title, span of the heading line."""

    level: int
    title: str
    start: int
    end: int


@attrs.define
class Document:
    """What the parse stage hands to extractors.  See the module docstring."""

    source: str
    wikitext: str
    dialect: str
    headings: list[HeadingNode] = attrs.Factory(list)
    templates: list[TemplateNode] = attrs.Factory(list)
    refs: list[RefNode] = attrs.Factory(list)
    links: list[LinkNode] = attrs.Factory(list)
    prose: str = ""
    problems: list[str] = attrs.Factory(list)
    span_map: SpanMap = attrs.Factory(_Identity)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the caller's input for a span of :attr:`wikitext`."""
        return self.span_map.span_to_source(start, end)


def parse(text: str, dialect: str) -> Document:
    """Parse one page's text in the given dialect ("wikitext", "flat" or "text").

    Plain text is not run through the wiki parser: all of it is prose and its headings are
    found by :mod:`extractor.facts.sections`.
    """
    if dialect == "text":
        return Document(source=text, wikitext=text, dialect=dialect, prose=text)
    span_map: SpanMap = _Identity()
    problems: list[str] = []
    wikitext = text
    if dialect == "flat":
        wikitext, flat_map, flat_problems = flat_to_wikitext(text)
        span_map = flat_map
        problems.extend(flat_problems)
    doc = Document(
        source=text, wikitext=wikitext, dialect=dialect, problems=problems, span_map=span_map
    )
    walker = _Walker(doc)
    tree = mwparserfromhell.parse(wikitext, skip_style_tags=True)
    walker.walk(tree, 0, prose=True, ref=None, nested=False)
    doc.prose = _masked(wikitext, walker.prose_ranges)
    return doc


def _masked(text: str, keep: Iterable[tuple[int, int]]) -> str:
    """``text`` with every character outside ``keep`` turned into a space (newlines stay)."""
    pieces: list[str] = []
    pos = 0
    for start, end in keep:
        if start > pos:
            pieces.append(_blank(text[pos:start]))
        pieces.append(text[start:end])
        pos = end
    pieces.append(_blank(text[pos:]))
    return "".join(pieces)


def _blank(segment: str) -> str:
    """Spaces for ``segment``, keeping its newlines so line structure survives."""
    if "\n" not in segment:
        return " " * len(segment)
    return "\n".join(" " * len(line) for line in segment.split("\n"))


class _Walker:
    """Walks the tree once, computing each node's offset from the lengths of what precedes it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.prose_ranges: list[tuple[int, int]] = []

    def walk(self, code: Wikicode, pos: int, *, prose: bool, ref: int | None, nested: bool) -> None:
        for node in code.nodes:
            length = len(str(node))
            if isinstance(node, Text):
                if prose and length:
                    self.prose_ranges.append((pos, pos + length))
            elif isinstance(node, Template):
                self._template(node, pos, length, ref=ref, nested=nested)
            elif isinstance(node, Tag):
                self._tag(node, pos, length, prose=prose, ref=ref, nested=nested)
            elif isinstance(node, Wikilink):
                self._wikilink(node, pos, length, prose=prose, ref=ref, nested=nested)
            elif isinstance(node, ExternalLink):
                if node.brackets and node.title is not None:
                    title_start = pos + 1 + len(str(node.url)) + (0 if node.suppress_space else 1)
                    self.walk(node.title, title_start, prose=prose, ref=ref, nested=nested)
            elif isinstance(node, Heading):
                title = " ".join(_unquoted(_render(node.title)).split())
                self.doc.headings.append(HeadingNode(node.level, title, pos, pos + length))
                self.walk(node.title, pos + node.level, prose=prose, ref=ref, nested=nested)
            elif isinstance(node, (Comment, Argument)):
                pass
            pos += length

    def _template(
        self, node: Template, pos: int, length: int, *, ref: int | None, nested: bool
    ) -> None:
        name = str(node.name)
        cursor = pos + 2 + len(name)
        params: list[Param] = []
        values: list[tuple[Wikicode, int]] = []
        for param in node.params:
            cursor += 1  # the "|"
            value_start = cursor + (len(str(param.name)) + 1 if param.showkey else 0)
            raw = str(param.value)
            lead = len(raw) - len(raw.lstrip())
            stripped = raw.strip()
            params.append(
                Param(
                    name=str(param.name).strip(),
                    value=stripped,
                    start=value_start + lead,
                    end=value_start + lead + len(stripped),
                    named=bool(param.showkey),
                )
            )
            values.append((param.value, value_start))
            cursor += len(str(param))
        self.doc.templates.append(
            TemplateNode(name.strip(), tuple(params), pos, pos + length, ref, nested)
        )
        self.walk(node.name, pos + 2, prose=False, ref=ref, nested=True)
        for value, start in values:
            self.walk(value, start, prose=False, ref=ref, nested=True)

    def _tag(
        self, node: Tag, pos: int, length: int, *, prose: bool, ref: int | None, nested: bool
    ) -> None:
        name = str(node.tag).strip().lower()
        if name in _OPAQUE_TAGS:
            return
        if node.self_closing:
            if name == "ref":
                self._ref(node, pos, length, pos + length, 0, nested=nested)
            return
        contents = str(node.contents)
        if node.wiki_markup:
            close = len(node.closing_wiki_markup or "")
        else:
            close = len(str(node.closing_tag)) + 3
        content_start = pos + length - close - len(contents)
        if name == "ref":
            index = self._ref(node, pos, length, content_start, len(contents), nested=nested)
            before = len(self.doc.templates)
            self.walk(node.contents, content_start, prose=False, ref=index, nested=nested)
            found = self.doc.refs[index]
            self.doc.refs[index] = attrs.evolve(
                found,
                templates=len(self.doc.templates) - before,
                links=tuple(_external_links(node.contents)),
                plain=" ".join(_unquoted(node.contents.strip_code()).split()),
            )
            return
        self.walk(node.contents, content_start, prose=prose, ref=ref, nested=nested)

    def _ref(
        self,
        node: Tag,
        pos: int,
        length: int,
        content_start: int,
        content_len: int,
        *,
        nested: bool,
    ) -> int:
        attributes = {
            str(a.name).strip().lower(): (str(a.value).strip() if a.value is not None else "")
            for a in node.attributes
        }
        self.doc.refs.append(
            RefNode(
                name=attributes.get("name") or None,
                group=attributes.get("group") or None,
                start=pos,
                end=pos + length,
                self_closing=bool(node.self_closing),
                content=str(node.contents) if not node.self_closing else "",
                plain="",
                content_start=content_start,
                content_end=content_start + content_len,
                links=(),
                templates=0,
            )
        )
        return len(self.doc.refs) - 1

    def _wikilink(
        self,
        node: Wikilink,
        pos: int,
        length: int,
        *,
        prose: bool,
        ref: int | None,
        nested: bool,
    ) -> None:
        title = str(node.title)
        text = None if node.text is None else str(node.text)
        self.doc.links.append(LinkNode(title, text, pos, pos + length))
        kind = _link_kind(title)
        if kind in ("category", "interwiki"):
            return  # a sort key or another wiki's title: no prose, no facts
        if kind == "file":
            if node.text is not None:  # options and caption: refs, templates, prose
                self.walk(node.text, pos + 3 + len(title), prose=prose, ref=ref, nested=nested)
            return
        if node.text is None:
            self.walk(node.title, pos + 2, prose=prose, ref=ref, nested=nested)
        else:
            self.walk(node.text, pos + 3 + len(title), prose=prose, ref=ref, nested=nested)


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


def _link_kind(title: str) -> str:
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


def _external_links(code: Wikicode) -> Iterable[tuple[str, str | None]]:
    """(url, label) of each external link in ``code``, in order."""
    for link in code.filter_external_links():
        label = None if link.title is None else _unquoted(link.title.strip_code()).strip() or None
        yield str(link.url).strip(), label


# --- plain text of small fragments (citation field values) ---------------------------------

_QUOTES = re.compile(r"'{2,}")


def _unquoted(text: str) -> str:
    """Text without MediaWiki's bold/italic apostrophe runs (the page is parsed with
    ``skip_style_tags``, as MediaWiki applies them after templates): runs of 2, 3 and 5
    vanish, 4 leave one apostrophe, longer runs leave the ones beyond 5."""
    return _QUOTES.sub(lambda m: "'" * (len(m[0]) - 5 if len(m[0]) > 5 else len(m[0]) == 4), text)


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_HIDDEN_LINK_PREFIXES = ("file:", "image:", "category:")

#: Inline templates that render as a fixed string.
_FIXED_TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        "'": "'", "'s": "'s", "!": "|", "=": "=", "ndash": "–", "mdash": "—", "snd": " – ",
        "spaced ndash": " – ", "nbsp": " ", "shy": "", "zwsp": "", "en dash": "–",
        "em dash": "—", "pipe": "|", "!!": "||", "dot": "·", "middot": "·", "spaced en dash": " – ",
    }
)  # fmt: skip

#: Inline formatting templates whose first positional parameter is the text shown.
_FIRST_PARAM_TEMPLATES = frozenset(
    {
        "abbr", "big", "code", "em", "ill", "illm", "interlanguage link", "larger", "mvar",
        "nihongo", "nobold", "nobr", "nobreak", "noitalic", "nowrap", "sc", "small",
        "small caps", "smallcaps", "smaller", "strong", "tooltip", "var", "sub", "sup", "su",
        "math", "mono", "samp", "kbd", "not a typo", "proper name",
    }
)  # fmt: skip

_HIDDEN_LINK_PREFIXES = ("file:", "image:", "category:")


def _render(code: Wikicode | None) -> str:
    """Text a reader sees for ``code``; unknown templates and ``<ref>``s render as nothing."""
    if code is None:
        return ""
    return "".join(_render_node(node) for node in code.nodes)


def _positional(tpl: Template, index: int) -> str:
    """Rendered positional parameter ``index`` of ``tpl`` ("" when absent)."""
    key = str(index)
    return _render(tpl.get(key).value) if tpl.has(key) else ""


def _render_template(tpl: Template) -> str:
    """Text of the inline templates that commonly wrap words in titles and names."""
    name = " ".join(str(tpl.name).replace("_", " ").split()).lower()
    if name in _FIXED_TEMPLATES:
        return _FIXED_TEMPLATES[name]
    if name in _FIRST_PARAM_TEMPLATES or name.startswith("lang-"):
        return _positional(tpl, 1)
    if name == "lang":
        return _positional(tpl, 2)
    if name in ("transl", "transliteration"):
        return _positional(tpl, 3) or _positional(tpl, 2)
    if name == "sic":
        return "".join(_render(p.value) for p in tpl.params if not p.showkey)
    return ""


def _render_node(node: object) -> str:
    """Text of one parsed node (see :func:`_render`)."""
    if isinstance(node, Text):
        return str(node.value)
    if isinstance(node, HTMLEntity):
        return str(node.normalize())
    if isinstance(node, Wikilink):
        title = str(node.title).strip()
        if title.lower().startswith(_HIDDEN_LINK_PREFIXES):
            return ""
        return _render(node.text) if node.text is not None else title.lstrip(":")
    if isinstance(node, ExternalLink):
        if node.brackets:
            return _render(node.title)
        return str(node.url)
    if isinstance(node, Template):
        return _render_template(node)
    if isinstance(node, Tag):
        tag = str(node.tag).strip().lower()
        if tag == "br":
            return " "
        if tag == "ref" or node.self_closing:
            return ""
        if tag == "nowiki":
            return str(node.contents) if node.contents is not None else ""
        return _render(node.contents)
    if isinstance(node, Heading):
        return _render(node.title)
    if isinstance(node, Argument):
        return _render(node.default)
    if isinstance(node, Comment):
        return ""
    return ""


def plain_text(value: str) -> str:
    """The text a reader sees in a wikitext fragment, white space collapsed.

    Like ``strip_code()`` (``[[A|B]]`` -> ``B``, entities decoded, ``<ref>``s and unknown
    templates dropped) but keeping the text of common inline templates
    (``{{lang|fr|Le Monde}}`` -> ``Le Monde``).  Used for citation fields, so it must never
    raise: on a parser failure the comment-stripped value is returned.
    """
    try:
        text = _render(mwparserfromhell.parse(value))
    except Exception:  # the parser must never take a citation down with it
        text = _COMMENT.sub("", value)
    return " ".join(text.split())
