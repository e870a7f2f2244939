"""The fast walker: mwparserfromhell's C tokenizer's token stream -> :class:`Document`.

Building mwparserfromhell's node tree costs several times more than tokenizing.  This walker
reads the flat token list once, in the order and with the grouping rules of
mwparserfromhell's ``Builder`` (``parser/builder.py``), and advances a character offset by
each token's exact length in the source (``str(parse(s)) == s`` is the contract it relies
on).  It records exactly what :mod:`extractor.walk_tree` records from the tree; a test diffs
the two over the whole shared corpus.

Where the tree walker does not look inside a construct (a parameter's name, a category
link's text, a comment, an attribute), this walker still has to step over its tokens:
it walks them with ``rec=False``, or, when it only learns afterwards that they were a
parameter name or an unwalked link title, rolls back what they recorded.
"""

from __future__ import annotations

from typing import Any

from mwparserfromhell.parser import tokens as T
from mwparserfromhell.parser._tokenizer import CTokenizer

from extractor.document import (
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
from extractor.plaintext import heading_text

_TEXT = T.Text
_TEMPLATE_ENDS = (T.TemplateParamSeparator, T.TemplateClose)
_PARAM_ENDS = (T.TemplateParamEquals, T.TemplateParamSeparator, T.TemplateClose)
_ATTR_ENDS = (T.TagAttrStart, T.TagCloseOpen, T.TagCloseSelfclose)
_ATTR_PARTS = (T.TagAttrEquals, T.TagAttrQuote, *_ATTR_ENDS)
_EXTERNAL_ENDS = (T.ExternalLinkSeparator, T.ExternalLinkClose)


class WalkError(Exception):
    """The token stream does not have the shape the Builder expects (a parser bug)."""


def walk_tokens(doc: Document) -> None:
    """Fill ``doc`` from the token stream of ``doc.wikitext``."""
    tokens = CTokenizer().tokenize(doc.wikitext, 0, True)
    walker = _Walker(doc, tokens)
    end = walker.sequence((), True, None, False, True)
    if end is not None or walker.pos != len(doc.wikitext):
        raise WalkError(f"token walk ended at {walker.pos} of {len(doc.wikitext)}")
    doc.prose = masked(doc.wikitext, walker.prose_ranges)


class _Walker:
    """One pass over the tokens; ``pos`` is the offset of the next token's text."""

    def __init__(self, doc: Document, tokens: list[Any]) -> None:
        self.doc = doc
        self.text = doc.wikitext
        self.tokens = tokens
        self.i = 0
        self.pos = 0
        self.prose_ranges: list[tuple[int, int]] = []

    def sequence(
        self, ends: tuple[type, ...], prose: bool, ref: int | None, nested: bool, rec: bool
    ) -> Any:
        """Walk nodes until a token of a type in ``ends``, which is consumed and returned;
        the end of the stream is an error unless ``ends`` is empty (then None)."""
        tokens = self.tokens
        count = len(tokens)
        keep = prose and rec
        ranges = self.prose_ranges
        i = self.i
        pos = self.pos
        while i < count:
            token = tokens[i]
            i += 1
            kind = type(token)
            if kind is _TEXT:
                end = pos + len(token["text"])
                if keep:
                    ranges.append((pos, end))
                pos = end
            elif kind in ends:
                self.i, self.pos = i, pos
                return token
            else:
                self.i, self.pos = i, pos
                self.node(token, kind, prose, ref, nested, rec)
                i, pos = self.i, self.pos
        self.i, self.pos = i, pos
        if ends:
            raise WalkError(f"missing {ends[0].__name__} at {pos}")
        return None

    # --- one node per token type (mwparserfromhell.parser.builder's handlers) -----------

    def node(
        self, token: Any, kind: type, prose: bool, ref: int | None, nested: bool, rec: bool
    ) -> None:
        if kind is T.TemplateOpen:
            self.template(ref, nested, rec)
        elif kind is T.TagOpenOpen:
            self.tag(token, prose, ref, nested, rec)
        elif kind is T.WikilinkOpen:
            self.wikilink(prose, ref, nested, rec)
        elif kind is T.ExternalLinkOpen:
            self.external_link(token, prose, ref, nested, rec)
        elif kind is T.HTMLEntityStart:
            self.entity()
        elif kind is T.CommentStart:
            self.pos += 4
            self.sequence((T.CommentEnd,), False, ref, nested, False)
            self.pos += 3
        elif kind is T.HeadingStart:
            self.heading(token, prose, ref, nested, rec)
        elif kind is T.ArgumentOpen:
            self.pos += 3
            end = self.sequence((T.ArgumentSeparator, T.ArgumentClose), False, ref, True, False)
            if type(end) is T.ArgumentSeparator:
                self.pos += 1
                self.sequence((T.ArgumentClose,), False, ref, True, False)
            self.pos += 3
        else:
            raise WalkError(f"unexpected {kind.__name__} at {self.pos}")

    def _marks(self) -> tuple[int, int, int, int, int]:
        doc = self.doc
        return (
            len(doc.templates), len(doc.refs), len(doc.links), len(doc.headings),
            len(self.prose_ranges),
        )  # fmt: skip

    def _rollback(self, marks: tuple[int, int, int, int, int]) -> None:
        doc = self.doc
        del doc.templates[marks[0] :], doc.refs[marks[1] :], doc.links[marks[2] :]
        del doc.headings[marks[3] :], self.prose_ranges[marks[4] :]

    def template(self, ref: int | None, nested: bool, rec: bool) -> None:
        start = self.pos
        self.pos += 2
        slot = len(self.doc.templates)
        if rec:
            self.doc.templates.append(None)  # type: ignore[arg-type]  # filled below
        name_start = self.pos
        end = self.sequence(_TEMPLATE_ENDS, False, ref, True, rec)
        name = self.text[name_start : self.pos]
        params: list[Param] = []
        default = 1
        tokens = self.tokens
        while type(end) is T.TemplateParamSeparator:
            self.pos += 1
            key_start = value_start = self.pos
            i = self.i
            if (  # the usual "|name=": one Text then "=", nothing to roll back
                i + 1 < len(tokens)
                and type(tokens[i]) is _TEXT
                and type(tokens[i + 1]) is T.TemplateParamEquals
            ):
                self.pos += len(tokens[i]["text"])
                self.i = i + 2
                end, marks = tokens[i + 1], None
            else:
                marks = self._marks()
                end = self.sequence(_PARAM_ENDS, False, ref, True, rec)
            named = type(end) is T.TemplateParamEquals
            if named:
                if marks is not None:
                    self._rollback(marks)  # the tree walker does not walk parameter names
                key = self.text[key_start : self.pos]
                self.pos += 1
                value_start = self.pos
                end = self.sequence(_TEMPLATE_ENDS, False, ref, True, rec)
            else:
                key = str(default)
                default += 1
            raw = self.text[value_start : self.pos]
            stripped = raw.strip()
            lead = value_start + len(raw) - len(raw.lstrip())
            params.append(Param(key.strip(), stripped, lead, lead + len(stripped), named))
        self.pos += 2
        if rec:
            node = TemplateNode(name.strip(), tuple(params), start, self.pos, ref, nested)
            self.doc.templates[slot] = node

    def wikilink(self, prose: bool, ref: int | None, nested: bool, rec: bool) -> None:
        start = self.pos
        self.pos += 2
        slot = len(self.doc.links)
        if rec:
            self.doc.links.append(None)  # type: ignore[arg-type]  # filled below
        marks = self._marks()
        end = self.sequence((T.WikilinkSeparator, T.WikilinkClose), prose, ref, nested, rec)
        title = self.text[start + 2 : self.pos]
        kind = link_kind(title)
        text = None
        if type(end) is T.WikilinkSeparator or kind != "article":
            self._rollback(marks)  # the title is walked only when it is the shown text
        if type(end) is T.WikilinkSeparator:
            self.pos += 1
            text_start = self.pos
            walk_text = rec and kind in ("article", "file")
            self.sequence((T.WikilinkClose,), prose, ref, nested, walk_text)
            text = self.text[text_start : self.pos]
        self.pos += 2
        if rec:
            self.doc.links[slot] = LinkNode(title, text, start, self.pos)

    def external_link(
        self, token: Any, prose: bool, ref: int | None, nested: bool, rec: bool
    ) -> None:
        brackets = bool(token.get("brackets"))
        self.pos += 1 if brackets else 0
        end = self.sequence(_EXTERNAL_ENDS, False, ref, nested, False)
        if type(end) is T.ExternalLinkSeparator:
            self.pos += 0 if end.get("suppress_space") is True else 1
            self.sequence((T.ExternalLinkClose,), prose, ref, nested, rec and brackets)
        self.pos += 1 if brackets else 0

    def entity(self) -> None:
        tokens = self.tokens
        self.pos += 1  # "&"
        token = tokens[self.i]
        self.i += 1
        if type(token) is T.HTMLEntityNumeric:
            self.pos += 1  # "#"
            token = tokens[self.i]
            self.i += 1
            if type(token) is T.HTMLEntityHex:
                self.pos += len(token["char"])
                token = tokens[self.i]
                self.i += 1
        self.pos += len(token["text"]) + 1  # the name or number, then ";"
        self.i += 1  # HTMLEntityEnd

    def heading(self, token: Any, prose: bool, ref: int | None, nested: bool, rec: bool) -> None:
        level = token["level"]
        start = self.pos
        self.pos += level
        slot = len(self.doc.headings)
        if rec:
            self.doc.headings.append(None)  # type: ignore[arg-type]  # filled below
        self.sequence((T.HeadingEnd,), prose, ref, nested, rec)
        raw = self.text[start + level : self.pos]
        self.pos += level
        if rec:
            self.doc.headings[slot] = HeadingNode(level, heading_text(raw), start, self.pos)

    def tag(self, token: Any, prose: bool, ref: int | None, nested: bool, rec: bool) -> None:
        start = self.pos
        markup = token.get("wiki_markup")
        self.pos += len(markup) if markup is not None else (2 if token.get("invalid") else 1)
        name_start = self.pos
        end = self.sequence(_ATTR_ENDS, False, ref, nested, False)
        if markup is not None:  # a wiki-markup tag's name is not in the source
            name = self._tag_name()
            self.pos = name_start
        else:
            name = self.text[name_start : self.pos]
        name = name.strip().lower()
        attributes: dict[str, str] = {}
        while type(end) is T.TagAttrStart:
            end = self.attribute(end, attributes, ref, nested)
        padding = end.get("padding") or ""
        if type(end) is T.TagCloseSelfclose:
            if markup is not None:
                self.pos += len(padding)
            else:
                self.pos += len(padding) + (1 if end.get("implicit") else 2)
            if name == "ref" and rec and name not in OPAQUE_TAGS:
                self._add_ref(attributes, start, self.pos, "", self.pos, True, nested)
            return
        separator = end.get("wiki_markup") or ""
        self.pos += len(padding) + (len(separator) if markup is not None else 1)
        content_start = self.pos
        is_ref = name == "ref"
        walk = rec and name not in OPAQUE_TAGS
        index = None
        if is_ref and walk:
            index = self._add_ref(attributes, start, -1, "", content_start, False, nested)
        before = len(self.doc.templates)
        close = self.sequence(
            (T.TagOpenClose,), False if is_ref else prose, index if is_ref else ref, nested, walk
        )
        content_end = self.pos
        closing = close.get("wiki_markup")
        if markup is not None:
            self.pos += len(closing) if closing is not None else len(markup)
            mark = self.pos
            self.sequence((T.TagCloseClose,), False, ref, nested, False)
            self.pos = mark  # a wiki-markup tag's closing name is not in the source
        else:
            self.pos += 2
            self.sequence((T.TagCloseClose,), False, ref, nested, False)
            self.pos += 1
        if name == "references" and walk:
            self.doc.ref_lists.append((start, self.pos))
        if index is not None:
            found = self.doc.refs[index]
            self.doc.refs[index] = RefNode(
                name=found.name, group=found.group, start=start, end=self.pos,
                self_closing=False, content=self.text[content_start:content_end],
                content_start=content_start, content_end=content_end,
                templates=len(self.doc.templates) - before,
            )  # fmt: skip

    def _tag_name(self) -> str:
        """Text of the name tokens just walked (wiki-markup tags: not in the source)."""
        parts = []
        j = self.i - 2
        while j >= 0 and type(self.tokens[j]) is _TEXT:
            parts.append(self.tokens[j]["text"])
            j -= 1
        return "".join(reversed(parts))

    def attribute(
        self, start: Any, attributes: dict[str, str], ref: int | None, nested: bool
    ) -> Any:
        """Step over one attribute; record its name and value; return the token after it."""
        self.pos += len(start.get("pad_first") or "")
        name_start = self.pos
        quote = ""
        value_start = None
        while True:
            end = self.sequence(_ATTR_PARTS, False, ref, nested, False)
            kind = type(end)
            if kind is T.TagAttrEquals:
                name_end = self.pos
                self.pos += len(start.get("pad_before_eq") or "") + 1
                self.pos += len(start.get("pad_after_eq") or "")
                value_start = self.pos
            elif kind is T.TagAttrQuote:
                quote = end.get("char") or ""
                self.pos += len(quote)
                value_start = self.pos
            else:
                break
        if value_start is None:  # no value: the padding before a missing "=" is still there
            name = self.text[name_start : self.pos]
            value = ""
            self.pos += len(start.get("pad_before_eq") or "")
        else:
            name = self.text[name_start:name_end]
            value = self.text[value_start : self.pos]
            self.pos += len(quote)
        attributes[name.strip().lower()] = value.strip()
        return end

    def _add_ref(
        self,
        attributes: dict[str, str],
        start: int,
        end: int,
        content: str,
        content_start: int,
        self_closing: bool,
        nested: bool,
    ) -> int:
        self.doc.refs.append(
            RefNode(
                name=attributes.get("name") or None, group=attributes.get("group") or None,
                start=start, end=end, self_closing=self_closing, content=content,
                content_start=content_start, content_end=content_start, templates=0,
            )
        )  # fmt: skip
        return len(self.doc.refs) - 1
