"""The reference walker: mwparserfromhell's full node tree -> :class:`Document`.

The straightforward path, kept as the reference that the fast token walker
(:mod:`extractor.parse.walk_tokens`) must match record for record.  Each node's offset is computed
from the lengths of what precedes it (``str(node)`` round-trips exactly).
"""

from __future__ import annotations

import attrs
import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from extractor.parse.document import (
    OPAQUE_TAGS,
    Document,
    HeadingNode,
    LinkNode,
    Param,
    RefNode,
    TemplateNode,
    link_kind,
    masked,
)
from extractor.parse.plaintext import heading_text


def walk_tree(doc: Document) -> None:
    """Fill ``doc`` from the full parse tree of ``doc.wikitext``."""
    walker = _Walker(doc)
    tree = mwparserfromhell.parse(doc.wikitext, skip_style_tags=True)
    walker.walk(tree, 0, prose=True, ref=None, nested=False)
    doc.prose = masked(doc.wikitext, walker.prose_ranges)


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
                title = heading_text(str(node.title))
                self.doc.headings.append(HeadingNode(node.level, title, pos, length))
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
                    named=bool(param.showkey),
                )
            )
            values.append((param.value, value_start))
            cursor += len(str(param))
        self.doc.templates.append(
            TemplateNode(name.strip(), tuple(params), pos, length, ref, nested)
        )
        self.walk(node.name, pos + 2, prose=False, ref=ref, nested=True)
        for value, start in values:
            self.walk(value, start, prose=False, ref=ref, nested=True)

    def _tag(
        self, node: Tag, pos: int, length: int, *, prose: bool, ref: int | None, nested: bool
    ) -> None:
        name = str(node.tag).strip().lower()
        if name in OPAQUE_TAGS:
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
        if name == "references":
            self.doc.ref_lists.append((pos, pos + length))
        if name == "ref":
            index = self._ref(node, pos, length, content_start, len(contents), nested=nested)
            before = len(self.doc.templates)
            self.walk(node.contents, content_start, prose=False, ref=index, nested=nested)
            found = self.doc.refs[index]
            self.doc.refs[index] = attrs.evolve(found, templates=len(self.doc.templates) - before)
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
                length=length,
                self_closing=bool(node.self_closing),
                head=content_start - pos,
                content_length=content_len,
                templates=0,
                page=self.doc.wikitext,
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
        piped = node.text is not None
        self.doc.links.append(LinkNode(pos, length, len(title), piped, self.doc.wikitext))
        kind = link_kind(title)
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
