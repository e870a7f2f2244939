"""Plain text of small wikitext fragments: citation field values, heading titles, ref text.

These are rendered the way a reader sees them (``[[A|B]]`` -> ``B``, entities decoded,
``<ref>``s and unknown templates dropped, common inline templates such as ``{{lang|fr|X}}``
kept as their text, apostrophe formatting removed).  Fragments are parsed on their own with
mwparserfromhell, so both page walkers get the same answer for the same raw text.  Ref
contents, the most numerous, are rendered straight from its tokenizer's tokens, with the result
its node tree would give (see :func:`ref_text`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.entities import name2codepoint
from types import MappingProxyType
from typing import Any

import mwparserfromhell
from mwparserfromhell.definitions import is_visible
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
from mwparserfromhell.parser import tokens as T
from mwparserfromhell.parser._tokenizer import CTokenizer
from mwparserfromhell.wikicode import Wikicode

_QUOTES = re.compile(r"'{2,}")

_MARKUP = re.compile(r"[\[{<&\n\x00]|:\S")


def _markup_free(raw: str) -> bool:
    """Whether the parser would read ``raw`` as plain Text: no ``[``, ``{``, ``<`` or ``&``,
    no line (there is only one) opening with list, heading or rule markup, no ``:`` that
    could end a free link's scheme, and no NUL (where the tokenizer stops).  Such fragments
    are rendered without a parse, with the same result (a test checks it against the
    parser on generated fragments).  A search, not a backtracking fullmatch: constant
    memory on megabyte-long refs."""
    return (not raw or raw[0] not in "*#;:=-") and _MARKUP.search(raw) is None


#: Marks the renderers put in their output for :func:`unquoted` to resolve: lone surrogates,
#: which never reach them from a page (:func:`extractor.article.extract_page` replaces them).
#: ``EDGE`` stands at each end of a link's label, whose apostrophes MediaWiki pairs apart
#: from the text around it; ``LITERAL`` is an apostrophe written as an entity (``&#39;``),
#: which is text and never part of a run (MediaWiki reads runs before decoding entities).
EDGE = "\ud800"
LITERAL = "\ud801"

#: What an entity naming a character MediaWiki will not decode shows in records.
REPLACEMENT = "\ufffd"


def unquoted(text: str) -> str:
    """Text without MediaWiki's bold/italic apostrophe runs (the page is parsed with
    ``skip_style_tags``, as MediaWiki applies them after templates): runs of 2, 3 and 5
    vanish, 4 leave one apostrophe, longer runs leave the ones beyond 5.  Runs do not reach
    across a link label's edges, and apostrophes written as entities are kept."""
    text = _QUOTES.sub(lambda m: "'" * (len(m[0]) - 5 if len(m[0]) > 5 else len(m[0]) == 4), text)
    if EDGE in text or LITERAL in text:
        text = text.replace(EDGE, "").replace(LITERAL, "'")
    return text


def decodable(codepoint: int) -> bool:
    """Whether MediaWiki decodes an entity of this code point (``Sanitizer::validateCodepoint``):
    not C0 controls but tab and newline, DEL, C1 controls, surrogates, U+FFFE, U+FFFF or
    beyond U+10FFFF.  It shows other entities as the text they are written in."""
    return (
        codepoint in (0x09, 0x0A)
        or 0x20 <= codepoint <= 0x7E
        or 0xA0 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )


def entity_char(codepoint: int) -> str:
    """The character an entity stands for in rendered text: U+FFFD for one MediaWiki does not
    decode (no control character reaches a record), and an apostrophe marked as text for
    :func:`unquoted`."""
    if codepoint == 0x27:
        return LITERAL
    return chr(codepoint) if decodable(codepoint) else REPLACEMENT


#: An HTML entity as written in a page: named or numeric, ending in ``;``.
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_NUMERIC_ENTITY = re.compile(r"&#(?:([0-9]+)|[xX]([0-9A-Fa-f]+));")


def decode_entity(entity: str) -> str:
    """The text of one entity (``&amp;``, ``&#8211;``, ``&#x1b;``) as HTML decodes it, with
    U+FFFD for a numeric one MediaWiki does not decode; unknown names stay as written."""
    match = _NUMERIC_ENTITY.fullmatch(entity)
    if match is None:
        return html.unescape(entity)
    digits = (match[1] or match[2]).lstrip("0") or "0"
    if len(digits) > 8:  # beyond U+10FFFF, however many digits
        return REPLACEMENT
    codepoint = int(digits, 10 if match[1] else 16)
    return chr(codepoint) if decodable(codepoint) else REPLACEMENT


#: An HTML comment, closed or running to the end of the text.
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
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
        return entity_char(ord(node.normalize()))
    if isinstance(node, Wikilink):
        title = str(node.title).strip()
        if title.lower().startswith(_HIDDEN_LINK_PREFIXES):
            return ""
        if node.text is not None:
            return EDGE + _render(node.text) + EDGE
        return EDGE + _render(node.title).strip().lstrip(":") + EDGE  # entities decoded
    if isinstance(node, ExternalLink):
        if node.brackets:
            return EDGE + _render(node.title) + EDGE
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
    if _markup_free(value):
        return " ".join(unquoted(value).split())
    try:
        text = unquoted(_render(_parse(value)))
    except Exception:  # the parser must never take a citation down with it
        text = COMMENT.sub("", value)
    return " ".join(text.split())


def heading_text(raw: str) -> str:
    """A heading title as plain text: rendered, apostrophe runs removed, spaces collapsed."""
    if _markup_free(raw):
        return " ".join(unquoted(raw).split())
    return " ".join(unquoted(_render(_parse(raw))).split())


def ref_text(raw: str) -> tuple[str, list[tuple[str, str | None]]]:
    """The plain text of a ``<ref>``'s contents (like ``strip_code``, spaces collapsed), and
    the (url, label) of each external link in it, in order."""
    if _markup_free(raw):
        return " ".join(unquoted(raw).split()), []
    try:
        return _ref_text_tokens(raw)
    except _Unhandled:
        return _ref_text_tree(raw)


def _ref_text_tokens(raw: str) -> tuple[str, list[tuple[str, str | None]]]:
    """:func:`_ref_text_tree`'s result without building the node tree: rendered from the C
    tokenizer's tokens by :class:`_Renderer` (several times faster); raises :class:`_Unhandled`
    for a token stream of a shape it does not follow."""
    renderer = _Renderer(CTokenizer().tokenize(raw, 0, True))
    text = renderer.code(())[0]
    return " ".join(unquoted(text).split()), renderer.links


def _ref_text_tree(raw: str) -> tuple[str, list[tuple[str, str | None]]]:
    """:func:`ref_text` from mwparserfromhell's node tree (``strip_code()`` and
    ``filter_external_links()``): the fallback, and the reference in tests."""
    code = _parse(raw)
    found = [(str(link.url).strip(), link) for link in code.filter_external_links()]
    _mark(code)
    links = []
    for url, link in found:
        label = None if link.title is None else unquoted(link.title.strip_code()).strip() or None
        links.append((url, label))
    return " ".join(unquoted(code.strip_code()).split()), links


def _mark(code: Wikicode) -> None:
    """Put into the tree what :class:`_Renderer` puts into its text: entities as
    :func:`entity_char` shows them, link labels between :data:`EDGE` marks (innermost
    first, so that ``strip_code()`` then gives the renderer's text)."""
    nodes = code.nodes
    for index, node in enumerate(nodes):
        for child in node.__children__():
            _mark(child)
        if isinstance(node, HTMLEntity):
            nodes[index] = Text(entity_char(ord(node.normalize())))
        elif isinstance(node, Wikilink) or (isinstance(node, ExternalLink) and node.brackets):
            nodes[index] = Text(EDGE + (node.__strip__(**_STRIP) or "") + EDGE)


#: ``strip_code()``'s default arguments, as it hands them to each node's ``__strip__``.
_STRIP: Mapping[str, bool] = MappingProxyType(
    {"normalize": True, "collapse": True, "keep_template_params": False}
)


_NEWLINE_RUNS = re.compile(r"\n{3,}")


def _collapse(text: str) -> str:
    """``Wikicode.strip_code``'s collapse: outer newlines dropped, 3+ newlines made 2."""
    text = text.strip("\n")
    return _NEWLINE_RUNS.sub("\n\n", text) if "\n\n\n" in text else text


class _Unhandled(Exception):
    """The token stream has a shape :class:`_Renderer` does not follow."""


_TEXT = T.Text
_TEMPLATE_ENDS = (T.TemplateParamSeparator, T.TemplateClose)
_PARAM_ENDS = (T.TemplateParamEquals, *_TEMPLATE_ENDS)
_ARGUMENT_ENDS = (T.ArgumentSeparator, T.ArgumentClose)
_WIKILINK_ENDS = (T.WikilinkSeparator, T.WikilinkClose)
_EXTERNAL_ENDS = (T.ExternalLinkSeparator, T.ExternalLinkClose)
_ATTR_ENDS = (T.TagAttrStart, T.TagCloseOpen, T.TagCloseSelfclose)
_ATTR_PARTS = (T.TagAttrEquals, T.TagAttrQuote, *_ATTR_ENDS)

#: ``str()`` of the tokens :func:`_source` rebuilds a URL from, besides Text and HTMLEntityHex.
_SOURCE: Mapping[type, str] = MappingProxyType(
    {
        T.HTMLEntityStart: "&", T.HTMLEntityNumeric: "#", T.HTMLEntityEnd: ";",
        T.TemplateOpen: "{{", T.TemplateParamSeparator: "|", T.TemplateParamEquals: "=",
        T.TemplateClose: "}}", T.ArgumentOpen: "{{{", T.ArgumentSeparator: "|",
        T.ArgumentClose: "}}}", T.WikilinkOpen: "[[", T.WikilinkSeparator: "|",
        T.WikilinkClose: "]]", T.CommentStart: "<!--", T.CommentEnd: "-->",
    }
)  # fmt: skip


def _source(tokens: list[Any]) -> str:
    """The wikitext a link's URL ``tokens`` came from: text, entities, comments, and templates
    holding them and wikilinks.  Tags, links and headings (possible in a template there, never
    seen in real URLs) are left to the tree."""
    parts = []
    for token in tokens:
        kind = type(token)
        if kind is _TEXT:
            parts.append(token["text"])
        elif kind is T.HTMLEntityHex:
            parts.append(token["char"])
        elif kind in _SOURCE:
            parts.append(_SOURCE[kind])
        else:
            raise _Unhandled
    return "".join(parts)


class _Renderer:
    """One pass over a fragment's tokens giving what its node tree would: each node's text as
    its ``__strip__`` renders it, nodes grouped as ``parser/builder.py`` groups them, and the
    external links in ``filter_external_links()`` order (a link before the links inside it)."""

    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.i = 0
        self.links: list[tuple[str, str | None]] = []

    def code(self, ends: tuple[type, ...]) -> tuple[str, Any]:
        """``strip_code()`` of the nodes up to a token of a type in ``ends``, and that token
        (consumed; None at the end of the stream, which only ``ends=()`` allows)."""
        tokens = self.tokens
        count = len(tokens)
        parts = []
        i = self.i
        while i < count:
            token = tokens[i]
            i += 1
            kind = type(token)
            if kind is _TEXT:
                parts.append(token["text"])
            elif kind in ends:
                self.i = i
                return _collapse("".join(parts)), token
            else:
                self.i = i
                parts.append(self.node(kind, token))
                i = self.i
        if ends:
            raise _Unhandled
        self.i = i
        return _collapse("".join(parts)), None

    def node(self, kind: type, token: Any) -> str:
        """The text of the node that ``token`` opens, its tokens consumed."""
        if kind is T.TemplateOpen:  # templates render as nothing but hold links
            end = self.code(_TEMPLATE_ENDS)[1]
            while type(end) is T.TemplateParamSeparator:
                end = self.code(_PARAM_ENDS)[1]
                if type(end) is T.TemplateParamEquals:
                    end = self.code(_TEMPLATE_ENDS)[1]
            return ""
        if kind is T.ExternalLinkOpen:
            return self.external_link(bool(token.get("brackets")))
        if kind is T.WikilinkOpen:
            title, end = self.code(_WIKILINK_ENDS)
            if type(end) is T.WikilinkSeparator:
                title = self.code((T.WikilinkClose,))[0]
            return EDGE + title + EDGE
        if kind is T.HTMLEntityStart:
            return self.entity()
        if kind is T.TagOpenOpen:
            return self.tag()
        if kind is T.CommentStart:  # plain text, hidden
            self.accept(_TEXT)
            self.expect(T.CommentEnd)
            return ""
        if kind is T.HeadingStart:
            return self.code((T.HeadingEnd,))[0]
        if kind is T.ArgumentOpen:  # the default, if any
            end = self.code(_ARGUMENT_ENDS)[1]
            return self.code((T.ArgumentClose,))[0] if type(end) is T.ArgumentSeparator else ""
        raise _Unhandled

    def external_link(self, brackets: bool) -> str:
        """Record the link, then the links inside it; its title if bracketed, else its URL."""
        slot = len(self.links)
        self.links.append(("", None))
        start = self.i
        url, end = self.code(_EXTERNAL_ENDS)
        source = _source(self.tokens[start : self.i - 1]).strip()
        label = title = None
        if type(end) is T.ExternalLinkSeparator:
            title = self.code((T.ExternalLinkClose,))[0]
            label = unquoted(title).strip() or None
        self.links[slot] = (source, label)
        return EDGE + (title or "") + EDGE if brackets else url

    def entity(self) -> str:
        """:func:`entity_char` of ``&name;``, ``&#123;`` or ``&#x7b;``."""
        base = 0
        if self.accept(T.HTMLEntityNumeric):
            base = 16 if self.accept(T.HTMLEntityHex) else 10
        value = self.text()
        self.expect(T.HTMLEntityEnd)
        return entity_char(int(value, base) if base else name2codepoint[value])

    def tag(self) -> str:
        """The contents of a tag if it has any and they are visible; its attributes (walked
        for links) are not shown.  Its names (``li`` for ``*``) are plain text."""
        name = self.text()
        end = self.expect(*_ATTR_ENDS)
        while type(end) is T.TagAttrStart:
            end = self.code(_ATTR_PARTS)[1]
            while type(end) is T.TagAttrEquals or type(end) is T.TagAttrQuote:
                end = self.code(_ATTR_PARTS)[1]
        if type(end) is T.TagCloseSelfclose:
            return ""
        contents = self.code((T.TagOpenClose,))[0]
        self.text()
        self.expect(T.TagCloseClose)
        return contents if is_visible(name) else ""

    def accept(self, kind: type) -> bool:
        """Consume the next token if it is of type ``kind``."""
        if self.i < len(self.tokens) and type(self.tokens[self.i]) is kind:
            self.i += 1
            return True
        return False

    def expect(self, *kinds: type) -> Any:
        """Consume and return the next token, which must be of one of these types."""
        if self.i < len(self.tokens) and type(self.tokens[self.i]) in kinds:
            self.i += 1
            return self.tokens[self.i - 1]
        raise _Unhandled

    def text(self) -> str:
        """The text of the next token, which must be a Text token."""
        return str(self.expect(_TEXT)["text"])


def _parse(raw: str) -> Wikicode:
    return mwparserfromhell.parse(raw, skip_style_tags=True)
