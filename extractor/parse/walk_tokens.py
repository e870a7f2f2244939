"""The fast walker: mwparserfromhell's C tokenizer's token stream -> :class:`Document`.

Building mwparserfromhell's node tree costs several times more than tokenizing.  This walker
reads the flat token list once, in the order and with the grouping rules of
mwparserfromhell's ``Builder`` (``parser/builder.py``), and advances a character offset by
each token's exact length in the source (``str(parse(s)) == s`` is the contract it relies
on).  It records exactly what :mod:`extractor.parse.walk_tree` records from the tree; a test diffs
the two over the whole shared corpus.

Where the tree walker does not look inside a construct (a parameter's name, a category
link's text, a comment, an attribute), this walker still has to step over its tokens:
it walks them with ``rec=False``, or, when it only learns afterwards that they were a
parameter name or an unwalked link title, rolls back what they recorded.

The tokens (~180 bytes each) are what a long page's parse peaks on, so a long page is
tokenized in pieces, each walked and dropped before the next (:class:`_Pieces`).  The
tokenizer reads a piece exactly as it reads the page as long as no construct runs past the
piece's end; where one may (it then fails, and its opener is left as text), the piece is
cut before it and the next one starts there.  A table longer than a piece is read in rows,
each run of rows inside a ``{|`` and ``|}`` of ours whose tokens are dropped; any other
construct that long is read in one piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mwparserfromhell.definitions import PARSER_BLACKLIST, SINGLE, SINGLE_ONLY, URI_SCHEMES
from mwparserfromhell.parser._tokenizer import CTokenizer
from mwparserfromhell.parser.tokens import (
    ArgumentClose,
    ArgumentOpen,
    ArgumentSeparator,
    CommentEnd,
    CommentStart,
    ExternalLinkClose,
    ExternalLinkOpen,
    ExternalLinkSeparator,
    HeadingEnd,
    HeadingStart,
    HTMLEntityEnd,
    HTMLEntityHex,
    HTMLEntityNumeric,
    HTMLEntityStart,
    TagAttrEquals,
    TagAttrQuote,
    TagAttrStart,
    TagCloseClose,
    TagCloseOpen,
    TagCloseSelfclose,
    TagOpenClose,
    TagOpenOpen,
    TemplateClose,
    TemplateOpen,
    TemplateParamEquals,
    TemplateParamSeparator,
    Text,
    WikilinkClose,
    WikilinkOpen,
    WikilinkSeparator,
)

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

_TEMPLATE_ENDS = (TemplateParamSeparator, TemplateClose)
_PARAM_ENDS = (TemplateParamEquals, TemplateParamSeparator, TemplateClose)
_ATTR_ENDS = (TagAttrStart, TagCloseOpen, TagCloseSelfclose)
_ATTR_PARTS = (TagAttrEquals, TagAttrQuote, *_ATTR_ENDS)
_EXTERNAL_ENDS = (ExternalLinkSeparator, ExternalLinkClose)


class WalkError(Exception):
    """The token stream does not have the shape the Builder expects (a parser bug)."""


def walk_tokens(doc: Document) -> None:
    """Fill ``doc`` from the token stream of ``doc.wikitext``, read piece by piece (see
    :class:`_Pieces`), so that only one piece's tokens are alive at a time."""
    text = doc.wikitext
    walker = _Walker(doc)
    pieces = _Pieces(text)
    walker.more = pieces.more
    prose = walker.prose
    while walker.pos < len(text) or not prose:
        start = walker.pos
        marks, lists, parts = walker._marks(), len(doc.ref_lists), len(prose)
        walker.tokens, walker.i, walker.start = pieces.tokens(start), 0, start
        try:
            end = walker.sequence((), True, None, False, True)
        except _TableFailed:  # a table read in rows fails in the page: read it whole
            walker._rollback(marks)
            del doc.ref_lists[lists:], prose[parts:]
            walker.pos, pieces.whole = start, start
            continue
        if end is not None or (walker.pos == start and text):
            raise WalkError(f"token walk ended at {walker.pos} of {len(text)}")
        walker.flush()
    if walker.pos != len(text):
        raise WalkError(f"token walk ended at {walker.pos} of {len(text)}")
    doc.prose = prose[0] if len(prose) == 1 else "".join(prose)


class _TableFailed(Exception):
    """A table read in rows (:meth:`_Pieces.more`) does not close: the page reads it as
    text, so the walk of its piece starts again with the table read whole."""


#: Pages longer than ``WHOLE`` characters are tokenized in pieces of about ``PIECE``
#: characters (a piece of dense markup: ~3 MB of tokens).  Shorter pages, nearly all, are
#: tokenized whole: checking where a piece may end costs ~15% of the parse, and their tokens
#: stay below ~80 MB even for the densest markup (table rows, ~300 bytes a character).
WHOLE = 1 << 18
PIECE = 1 << 14
_LONGEST = 1 << 20

#: Where a piece may end: after a newline; before a tag or wikilink (not after a ``:`` that
#: a free link's scheme could end in, nor after a ``[``); before a word, template or comment
#: after a space (a free link's URL may hold those).  The tokenizer reads none of these
#: differently when it starts a text there.
#: Where a long table may be cut: before a row (``|-``) at a line's start.
_ROW = re.compile(r"\n(?=[ \t]*\|-)")
_TABLE = re.compile(r"[ \t]*\{\|")
_TABLE_LINE = re.compile(r"\n(?=[ \t]*\{\|)")
_PIECE_END = re.compile(r"\n|(?<![:\[])(?=<[A-Za-z]|\[\[)|(?<= )(?=\w|\{\{|<!)")

#: A character of a tag name (anything but white space and the tokenizer's markers).
_NAME = r"[^\s{}\[\]<>|=&'#*;:/!\-]"
_SCHEMES = "|".join(URI_SCHEMES)
#: Text the tokenizer may have left as text only because the piece ended: the opener of a
#: template, table, link, comment (``opener``) or tag (``tag``: its name) that found no end,
#: the ``=`` of a heading whose line runs on.  Other ``[``, ``<``, ``=`` fail on the spot.
_CUT_SHORT = re.compile(
    rf"(?P<opener>\{{(?=[{{|])|\[(?=\[)|<(?=!--))|\[(?://|(?i:{_SCHEMES}):)|\n=[^\n]*\Z|<(?:"
    rf"/(?i:{'|'.join(SINGLE_ONLY)})(?!{_NAME})|(?P<tag>{_NAME}+)(?=[\s>]|/>|\Z))"
)
#: What a failed opener needs to succeed: with none of it after the piece, it fails anyway.
_ENDS = {"{{": "}}", "{|": "|}", "[[": "]]", "<!": "-->"}
#: In an opening tag: its end, or a quoted value (which may hide the end).
_OPENING_END = re.compile(r"""=\s*["']|>""")
#: A closing tag, as a tag body reads it: it settles the tag (closes or fails it) on the spot.
_CLOSING = re.compile(r"</[^<>]*[<>]")
_OPAQUE_BODIES = frozenset(PARSER_BLACKLIST)
_SINGLE = frozenset(SINGLE)
_SINGLE_ONLY = frozenset(SINGLE_ONLY)
_DEPTH = {
    TemplateOpen: 1, ArgumentOpen: 1, WikilinkOpen: 1, ExternalLinkOpen: 1,
    HeadingStart: 1, CommentStart: 1, TagOpenOpen: 1, HTMLEntityStart: 1,
    TemplateClose: -1, ArgumentClose: -1, WikilinkClose: -1, ExternalLinkClose: -1,
    HeadingEnd: -1, CommentEnd: -1, TagCloseSelfclose: -1, TagCloseClose: -1,
    HTMLEntityEnd: -1,
}  # fmt: skip
_TEMPLATE_OPENS = (TemplateOpen, ArgumentOpen)
_WATCHED = frozenset(
    {
        HeadingStart, TagOpenOpen, TagCloseOpen, TagOpenClose, TagCloseClose,
        TagCloseSelfclose, TagAttrEquals, CommentStart, CommentEnd,
    }
)  # fmt: skip
_CUT_BEFORE = (*_TEMPLATE_OPENS, WikilinkOpen, CommentStart)
#: Tokens whose markup an opening tag reads as they are (templates, links, entities) or as
#: text that cannot end it (``|``, ``}}``, ``]]``...); a failed tag is followed only past
#: these and :func:`_plain_opening` tags.
_IN_OPENING = frozenset(
    {
        TemplateOpen, ArgumentOpen, WikilinkOpen, HTMLEntityStart, TagOpenClose,
        TagCloseClose, TemplateClose, TemplateParamSeparator, ArgumentSeparator,
        ArgumentClose, WikilinkSeparator, WikilinkClose, ExternalLinkSeparator,
        ExternalLinkClose,
    }
)  # fmt: skip
#: Deeper than this, a tag and the text around it may meet the tokenizer's depth limit at
#: different places.
_MAX_DEPTH = 64


def _listed(name: str, names: frozenset[str]) -> bool:
    """Whether a tag name is in one of the tokenizer's lists (it compares ASCII lower case)."""
    return name.isascii() and name.lower() in names


def _unclosed_quote(value: str) -> bool:
    """Whether an attribute value opens with a quote that may run past the piece's end (the
    tokenizer re-reads a value unquoted when its quote is never closed, as it is here, or
    when a closing quote is followed by more text)."""
    quote = value[:1]
    return quote in ("'", '"') and ("\\" in value or quote not in value[1:])


def _plain_opening(kind: type, token: Any) -> bool:
    """Whether a tag token is, to an opening tag around it, a tag too (an HTML one) or text
    that cannot end it (a list or rule marker)."""
    if kind is not TagOpenOpen:
        return False
    if token.get("invalid"):  # "</br>": its ">" would end the opening tag
        return False
    markup = token.get("wiki_markup")
    return markup is None or markup in ("*", "#", ":", ";") or markup.strip("-") == ""


def _opens_table(tokens: list[Any], head: int = 0) -> bool:
    """Whether ``tokens`` open with a table; with ``head``, one whose opening is our own
    ``{|`` and newline, taking exactly ``head`` tokens."""
    if not tokens or type(tokens[0]) is not TagOpenOpen:
        return False
    if tokens[0].get("wiki_markup") != "{|":
        return False
    return not head or (
        len(tokens) > head
        and type(tokens[head - 1]) is TagCloseOpen
        and tokens[head - 1].get("padding") == "\n"
    )


def _table_end(tokens: list[Any]) -> int | None:
    """The index of the token that closes the construct ``tokens`` open with, if any."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += _DEPTH.get(type(token), 0)
        if not depth:
            return index
    return None


def _closed_by_us(tokens: list[Any]) -> bool:
    """Whether a table's tokens end with the close of our ``|}`` and nothing closed it
    before."""
    return (
        _opens_table(tokens)
        and _table_end(tokens) == len(tokens) - 1
        and type(tokens[-3]) is TagOpenClose
        and tokens[-3].get("wiki_markup") == "|}"
    )


class _FailedTag:
    """A tag the tokenizer failed in a piece, followed through the text after it at its
    level (which the tag would have read as its own attributes, then its ``body``), and
    through an external link there (``link``: one is open), which an opening tag reads as
    text."""

    __slots__ = ("body", "cut", "level", "link", "name")

    def __init__(self, name: str, level: int, cut: int) -> None:
        self.name, self.level, self.cut, self.body, self.link = name, level, cut, False, False

    def reads(self, depth: int) -> bool:
        """Whether text at ``depth`` is text of this tag's opening (or body)."""
        return depth == self.level + self.link


class _Pieces:
    """Cuts a page into pieces that the tokenizer reads exactly as it reads the whole page.

    A construct running past a piece's end fails there and is re-read as text (or, for
    ``<li>``-like tags and quoted attributes, closes early): the first sign that the page
    may differ (:meth:`safe_prefix`) ends what is kept of the piece.  A failed opener is no
    such sign when what it needs (``}}``, ``]]``, a closing tag...) never comes after the
    piece, nor is a failed tag when the text after it, as the tag would read it, ends its
    opening tag and then meets a closing tag within the piece (there its body stops).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = 0  # where the piece being checked ends
        self.ahead: dict[str, tuple[int, int]] = {}  # an end -> (searched from, found at)
        self.row: int | None = None  # where the next rows of a table read in rows start
        self.whole = -1  # a piece start whose table is to be read whole

    def tokens(self, start: int) -> list[Any]:
        """Tokens of the page from ``start`` on, exactly as the whole page's tokens have
        them: all the rest of the page, or a piece ending where :meth:`safe_prefix` allows."""
        text = self.text
        size = PIECE if len(text) > WHOLE else len(text)
        while True:
            match = _PIECE_END.search(text, start + size) if len(text) - start > size else None
            self.end = len(text) if match is None else match.end()
            tokens: list[Any] = CTokenizer().tokenize(text[start : self.end], 0, True)
            if match is None:
                return tokens
            cut = self.safe_prefix(tokens)
            if not cut and start != self.whole:
                if _TABLE.match(text, start):
                    rows = self._first_rows(start, size)
                else:  # a table that starts in the piece: end the piece before it
                    rows = self._before_table(start)
                if rows is not None:
                    return rows
            del tokens[cut:]  # all of them when the piece is to be taken longer
            if cut:
                return tokens
            # One construct spans the piece: take a longer one, past 1 MB all the rest (a
            # construct that long, other than a table, is read whole).
            size = size * 4 if size < _LONGEST else len(text)

    def _before_table(self, start: int) -> list[Any] | None:
        """The tokens of the text before the first table that starts a line in the piece,
        when nothing in them may read differently in the page."""
        match = _TABLE_LINE.search(self.text, start + 1, self.end)
        if match is None:
            return None
        tokens: list[Any] = CTokenizer().tokenize(self.text[start : match.end()], 0, True)
        self.end = match.end()
        return tokens if tokens and self.safe_prefix(tokens) == len(tokens) else None

    def _first_rows(self, start: int, size: int) -> list[Any] | None:
        """A table that spans the piece, read in rows: its tokens up to a row start after
        ``size`` characters, as the table (closed there by a ``|}`` of ours) has them, when
        nothing in them may read differently in the page; :meth:`more` gives the rest."""
        match = _ROW.search(self.text, start + size)
        if match is None:
            return None
        tokens: list[Any] = CTokenizer().tokenize(self.text[start : match.end()] + "|}", 0, True)
        self.end = match.end()
        if _closed_by_us(tokens) and self.safe_prefix(tokens) == len(tokens):
            del tokens[-3:]
            self.row = match.end()
            return tokens
        return None

    def more(self) -> list[Any] | None:
        """The next tokens of a table read in rows (None when none is being read): its
        rows up to the next row start after :data:`PIECE` characters, read inside a table
        of ours (``{|`` before, ``|}`` after); or, when it ends there, up to its end and on
        to where :meth:`safe_prefix` allows; or all the rest of the page."""
        row, self.row = self.row, None
        if row is None:
            return None
        text = self.text
        match = _ROW.search(text, row + PIECE)
        if match is not None:
            cut = match.end()
            tokens: list[Any] = CTokenizer().tokenize("{|\n" + text[row:cut] + "|}", 0, True)
            end = _table_end(tokens) if _opens_table(tokens, 3) else None
            if end == len(tokens) - 1 and _closed_by_us(tokens):
                self.end = cut
                if self.safe_prefix(tokens) == len(tokens):
                    self.row = cut
                    return tokens[3:-3]
            elif end is not None:  # the table ends in these rows: read on to a safe cut
                tokens = CTokenizer().tokenize("{|\n" + text[row:cut], 0, True)
                self.end = cut
                keep = self.safe_prefix(tokens)
                if keep > end and _table_end(tokens) == end and _opens_table(tokens, 3):
                    del tokens[keep:]
                    return tokens[3:]
        tokens = CTokenizer().tokenize("{|\n" + text[row:], 0, True)
        if not _opens_table(tokens, 3) or _table_end(tokens) is None:
            raise _TableFailed
        return tokens[3:]

    def safe_prefix(self, tokens: list[Any]) -> int:
        """How many of a piece's tokens the whole page's tokens begin with for sure: all of
        them, or those before the last top-level construct or line start ahead of the first
        sign that the page may differ (0 when there is none ahead of it).

        Signs: :data:`_CUT_SHORT` text outside comments and unparsed tag bodies (but see the
        class docstring), a failed argument or link just before a template or link, an
        implicitly closed tag, an attribute value opening with an unclosed quote, a piece
        ending on a heading's line (its last ``=`` ends it) or a ``;`` term's line (where a
        ``:`` starts the definition).
        """
        depth = cut = linked = 0  # linked: how many external links are open
        names: list[str] = []  # the open tags
        failed: list[_FailedTag] = []  # not settled yet
        quiet = naming = equals = line = held = False
        tail = ""  # the last character of the text just before
        for index, token in enumerate(tokens):
            kind = type(token)
            if kind is Text:
                value = token["text"]
                if naming:
                    names[-1], naming = value, False
                elif not quiet:
                    # Signs first: a failed tag's body does not stop at a closing tag after
                    # an opener that may run past the piece (the tag may then not fail).
                    earlier = [f for f in failed if f.reads(depth)] if failed else ()
                    if (equals and _unclosed_quote(value)) or (
                        index == 0 and value[:1] == "=" and "\n" not in value
                    ):  # (a piece's first line, a failed heading's, runs on)
                        return failed[0].cut if failed else cut
                    if "{" in value or "[" in value or "<" in value or "\n=" in value:
                        last = index == len(tokens) - 1
                        for match in _CUT_SHORT.finditer(value):
                            if not self._settled(match, value, depth, cut, failed, last, linked):
                                return failed[0].cut if failed else cut
                    for tag in earlier:
                        settled = self._follow(tag, value, 0)
                        if settled is None:
                            return failed[0].cut
                        if settled:
                            failed.remove(tag)
                equals = False
                tail = "" if quiet else value[-1:]
                if not depth:
                    line = value.endswith("\n")
                    held = held and "\n" not in value
                continue
            if tail and (
                (tail == "{" and kind in _TEMPLATE_OPENS)
                or (tail == "[" and kind is ExternalLinkOpen)
            ):  # a failed argument before a template, a failed link before a link
                return failed[0].cut if failed else cut
            if (
                not depth
                and not held
                and (
                    line
                    or kind in _CUT_BEFORE
                    or (kind is TagOpenOpen and token.get("wiki_markup") is None)
                )
            ):
                cut = index
            line = equals = False
            tail = ""
            if failed and kind not in _IN_OPENING and not _plain_opening(kind, token):
                for tag in failed:  # markup a failed tag's opening tag reads as unseen text
                    if tag.body or depth > tag.level + tag.link:
                        continue
                    if kind is ExternalLinkOpen and not tag.link:
                        tag.link = True  # its URL and title are followed as text
                    else:
                        return failed[0].cut
            elif kind is ExternalLinkClose and failed:
                for tag in failed:
                    if tag.link and depth == tag.level + 1:
                        tag.link = False
            depth += _DEPTH.get(kind, 0)
            if kind is ExternalLinkOpen or kind is ExternalLinkClose:
                linked += 1 if kind is ExternalLinkOpen else -1
            if failed:
                if depth > _MAX_DEPTH:
                    return failed[0].cut
                for tag in failed:
                    tag.level = min(tag.level, depth)
            if kind not in _WATCHED:
                continue
            if kind is HeadingStart:
                held = held or depth == 1
            elif kind is TagOpenOpen:
                names.append("")
                naming = True
                held = held or (depth == 1 and token.get("wiki_markup") == ";")
            elif kind is TagCloseOpen:
                quiet = _listed(names[-1], _OPAQUE_BODIES)
            elif kind is TagOpenClose:
                quiet = False
                if failed and token.get("wiki_markup") is None:  # a closing tag
                    for tag in [f for f in failed if f.level == depth]:
                        settled = self._follow(tag, None, 0)
                        if settled is None:
                            return failed[0].cut
                        if settled:
                            failed.remove(tag)
            elif kind is TagCloseClose:
                names.pop()
            elif kind is TagCloseSelfclose:
                name = names.pop()
                if token.get("implicit") and not _listed(name, _SINGLE_ONLY):
                    return failed[0].cut if failed else cut
            elif kind is TagAttrEquals:
                equals = True
            elif kind is CommentStart:
                quiet = True
            elif kind is CommentEnd:
                quiet = False
        if failed:
            return failed[0].cut
        return cut if held else len(tokens)

    def _settled(
        self,
        match: re.Match[str],
        value: str,
        depth: int,
        cut: int,
        failed: list[_FailedTag],
        last: bool,
        linked: int,
    ) -> bool:
        """Whether an opener that failed in the piece surely fails in the page too, or may
        still be shown to (then it joins ``failed``).  A tag in an external link's title is
        not followed: there the tokenizer reads no links, and the tag's body would."""
        if match["opener"] is not None:
            start = match.start()
            return self._nowhere(_ENDS[value[start : start + 2]])
        name = match["tag"]
        if name is None or _listed(name, _SINGLE_ONLY) or depth > _MAX_DEPTH or linked:
            return False
        if match.end() == len(value):  # its name runs into markup, where it fails
            return not last
        tag = _FailedTag(name, depth, cut)
        settled = self._follow(tag, value, match.end())
        if settled is False:
            failed.append(tag)
        return settled is not None

    def _follow(self, tag: _FailedTag, value: str | None, pos: int) -> bool | None:
        """Read what follows a failed tag at its level as the tag would (``value``: text,
        None: a closing tag): True once that shows it fails in the page too, False while it
        does not yet, None if the page may differ."""
        if value is None:
            return True if tag.body else self._opened(tag)
        while not tag.body:
            end = _OPENING_END.search(value, pos)
            if end is None:
                return False
            if end[0] == ">":
                if value[end.start() - 1 : end.start()] == "/":  # "/>" (not seen failing)
                    return None
                settled = self._opened(tag)
                if settled is not False:
                    return settled
                pos = end.end()
            else:  # a quoted value, which must end in this text
                close = value.find(end[0][-1], end.end())
                if close < 0 or close + 1 == len(value) or value[close - 1] == "\\":
                    return None
                after = value[close + 1]  # unless a space or ">", the value is read unquoted
                pos = close + 1 if after.isspace() or after == ">" else end.end()
        return _CLOSING.search(value, pos) is not None

    def _opened(self, tag: _FailedTag) -> bool | None:
        """A failed tag's opening tag ends (at a ``>``; inside a closing tag, if at one):
        True if it fails in the page anyway, None if its body could end past the piece, else
        False (its body is followed next)."""
        name = tag.name
        if not _listed(name, _SINGLE) and name.isascii() and self._nowhere(f"</{name}"):
            return True
        if _listed(name, _OPAQUE_BODIES):  # its body stops only at its own closing tag
            return None
        tag.body = True
        return False

    def _nowhere(self, end: str) -> bool:
        """Whether ``end`` (a closing tag's start: in any case) never comes after the piece."""
        since, at = self.ahead.get(end, (len(self.text) + 1, -1))
        if since > self.end or 0 <= at < self.end:
            if end.startswith("</"):
                found = re.compile(rf"</\s*{re.escape(end[2:])}", re.IGNORECASE).search(
                    self.text, self.end
                )
                at = found.start() if found else -1
            else:
                at = self.text.find(end, self.end)
            self.ahead[end] = (self.end, at)
        return at < 0


class _Walker:
    """One pass over the tokens; ``pos`` is the offset of the next token's text."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.wikitext
        self.tokens: list[Any] = []
        self.i = 0
        self.pos = 0
        self.prose_ranges: list[tuple[int, int]] = []
        self.prose: list[str] = []  # the page's prose, piece by piece
        self.start = 0  # where the prose ranges being collected start
        self.more: Callable[[], list[Any] | None] = lambda: None
        self.names: dict[str, str] = {}  # one string per name: templates, parameters, refs

    def flush(self) -> None:
        """Turn the prose ranges collected so far into prose text."""
        self.prose.append(masked(self.text, self.prose_ranges, self.start, self.pos))
        self.prose_ranges.clear()
        self.start = self.pos

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
        while True:
            while i < count:
                token = tokens[i]
                i += 1
                kind = type(token)
                if kind is Text:
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
                    if self.tokens is not tokens:  # a table read in rows (see walk_tokens)
                        tokens, count = self.tokens, len(self.tokens)
            self.i, self.pos = i, pos
            if not ends:
                return None
            more = self.more()  # the next rows of a table read in rows
            if more is None:
                raise WalkError(f"missing {ends[0].__name__} at {pos}")
            self.flush()
            tokens, count, i = more, len(more), 0
            self.tokens, self.i = tokens, 0

    # --- one node per token type (mwparserfromhell.parser.builder's handlers) -----------

    def node(
        self, token: Any, kind: type, prose: bool, ref: int | None, nested: bool, rec: bool
    ) -> None:
        if kind is TemplateOpen:
            self.template(ref, nested, rec)
        elif kind is TagOpenOpen:
            self.tag(token, prose, ref, nested, rec)
        elif kind is WikilinkOpen:
            self.wikilink(prose, ref, nested, rec)
        elif kind is ExternalLinkOpen:
            self.external_link(token, prose, ref, nested, rec)
        elif kind is HTMLEntityStart:
            self.entity()
        elif kind is CommentStart:
            self.pos += 4
            self.sequence((CommentEnd,), False, ref, nested, False)
            self.pos += 3
        elif kind is HeadingStart:
            self.heading(token, prose, ref, nested, rec)
        elif kind is ArgumentOpen:
            self.pos += 3
            end = self.sequence((ArgumentSeparator, ArgumentClose), False, ref, True, False)
            if type(end) is ArgumentSeparator:
                self.pos += 1
                self.sequence((ArgumentClose,), False, ref, True, False)
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
        tokens, names = self.tokens, self.names
        while type(end) is TemplateParamSeparator:
            self.pos += 1
            key_start = value_start = self.pos
            i = self.i
            if (  # the usual "|name=": one Text then "=", nothing to roll back
                i + 1 < len(tokens)
                and type(tokens[i]) is Text
                and type(tokens[i + 1]) is TemplateParamEquals
            ):
                self.pos += len(tokens[i]["text"])
                self.i = i + 2
                end, marks = tokens[i + 1], None
            else:
                marks = self._marks()
                end = self.sequence(_PARAM_ENDS, False, ref, True, rec)
            named = type(end) is TemplateParamEquals
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
            key = key.strip()
            params.append(Param(names.setdefault(key, key), stripped, lead, named))
        self.pos += 2
        if rec:
            name = name.strip()
            name = names.setdefault(name, name)
            node = TemplateNode(name, tuple(params), start, self.pos - start, ref, nested)
            self.doc.templates[slot] = node

    def wikilink(self, prose: bool, ref: int | None, nested: bool, rec: bool) -> None:
        start = self.pos
        self.pos += 2
        slot = len(self.doc.links)
        if rec:
            self.doc.links.append(None)  # type: ignore[arg-type]  # filled below
        marks = self._marks()
        end = self.sequence((WikilinkSeparator, WikilinkClose), prose, ref, nested, rec)
        title = self.text[start + 2 : self.pos]
        kind = link_kind(title)
        piped = type(end) is WikilinkSeparator
        if piped or kind != "article":
            self._rollback(marks)  # the title is walked only when it is the shown text
        if piped:
            self.pos += 1
            walk_text = rec and kind in ("article", "file")
            self.sequence((WikilinkClose,), prose, ref, nested, walk_text)
        self.pos += 2
        if rec:
            self.doc.links[slot] = LinkNode(start, self.pos - start, len(title), piped, self.text)

    def external_link(
        self, token: Any, prose: bool, ref: int | None, nested: bool, rec: bool
    ) -> None:
        brackets = bool(token.get("brackets"))
        self.pos += 1 if brackets else 0
        end = self.sequence(_EXTERNAL_ENDS, False, ref, nested, False)
        if type(end) is ExternalLinkSeparator:
            self.pos += 0 if end.get("suppress_space") is True else 1
            self.sequence((ExternalLinkClose,), prose, ref, nested, rec and brackets)
        self.pos += 1 if brackets else 0

    def entity(self) -> None:
        tokens = self.tokens
        self.pos += 1  # "&"
        token = tokens[self.i]
        self.i += 1
        if type(token) is HTMLEntityNumeric:
            self.pos += 1  # "#"
            token = tokens[self.i]
            self.i += 1
            if type(token) is HTMLEntityHex:
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
        self.sequence((HeadingEnd,), prose, ref, nested, rec)
        raw = self.text[start + level : self.pos]
        self.pos += level
        if rec:
            self.doc.headings[slot] = HeadingNode(level, heading_text(raw), start, self.pos - start)

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
        while type(end) is TagAttrStart:
            end = self.attribute(end, attributes, ref, nested)
        padding = end.get("padding") or ""
        if type(end) is TagCloseSelfclose:
            if markup is not None:
                self.pos += len(padding)
            else:
                self.pos += len(padding) + (1 if end.get("implicit") else 2)
            if name == "ref" and rec and name not in OPAQUE_TAGS:
                self._add_ref(attributes, start, self.pos - start, True)
            return
        separator = end.get("wiki_markup") or ""
        self.pos += len(padding) + (len(separator) if markup is not None else 1)
        content_start = self.pos
        is_ref = name == "ref"
        walk = rec and name not in OPAQUE_TAGS
        index = None
        if is_ref and walk:
            index = self._add_ref(attributes, start, 0, False)
        before = len(self.doc.templates)
        close = self.sequence(
            (TagOpenClose,), False if is_ref else prose, index if is_ref else ref, nested, walk
        )
        content_end = self.pos
        closing = close.get("wiki_markup")
        if markup is not None:
            self.pos += len(closing) if closing is not None else len(markup)
            mark = self.pos
            self.sequence((TagCloseClose,), False, ref, nested, False)
            self.pos = mark  # a wiki-markup tag's closing name is not in the source
        else:
            self.pos += 2
            self.sequence((TagCloseClose,), False, ref, nested, False)
            self.pos += 1
        if name == "references" and walk:
            self.doc.ref_lists.append((start, self.pos))
        if index is not None:
            found = self.doc.refs[index]
            self.doc.refs[index] = RefNode(
                name=found.name, group=found.group, start=start, length=self.pos - start,
                self_closing=False, head=content_start - start,
                content_length=content_end - content_start,
                templates=len(self.doc.templates) - before, page=self.text,
            )  # fmt: skip

    def _tag_name(self) -> str:
        """Text of the name tokens just walked (wiki-markup tags: not in the source)."""
        parts = []
        j = self.i - 2
        while j >= 0 and type(self.tokens[j]) is Text:
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
            if kind is TagAttrEquals:
                name_end = self.pos
                self.pos += len(start.get("pad_before_eq") or "") + 1
                self.pos += len(start.get("pad_after_eq") or "")
                value_start = self.pos
            elif kind is TagAttrQuote:
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
        self, attributes: dict[str, str], start: int, length: int, self_closing: bool
    ) -> int:
        """Record a ref (an open one is completed once its closing tag is reached)."""
        name, group = attributes.get("name") or None, attributes.get("group") or None
        self.doc.refs.append(
            RefNode(
                name=name and self.names.setdefault(name, name),
                group=group and self.names.setdefault(group, group),
                start=start, length=length, self_closing=self_closing, head=length,
                content_length=0, templates=0, page=self.text,
            )
        )  # fmt: skip
        return len(self.doc.refs) - 1
