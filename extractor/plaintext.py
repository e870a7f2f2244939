"""Plain text of small wikitext fragments: citation field values, heading titles, ref text.

These are rendered the way a reader sees them (``[[A|B]]`` -> ``B``, entities decoded,
``<ref>``s and unknown templates dropped, common inline templates such as ``{{lang|fr|X}}``
kept as their text, apostrophe formatting removed).  Fragments are parsed on their own with
mwparserfromhell, so both page walkers get the same answer for the same raw text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

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

_QUOTES = re.compile(r"'{2,}")

#: Fragments the parser would read as one plain Text node: no ``[``, ``{``, ``<`` or ``&``,
#: no line (there is only one) opening with list, heading or rule markup, and no ``:`` that
#: could end a free link's scheme.  These are rendered without a parse, with the same result
#: (a test checks it against the parser on generated fragments).
_MARKUP_FREE = re.compile(r"(?![*#;:=-])(?:[^\[{<&:\n]|:(?!\S))*")


def unquoted(text: str) -> str:
    """Text without MediaWiki's bold/italic apostrophe runs (the page is parsed with
    ``skip_style_tags``, as MediaWiki applies them after templates): runs of 2, 3 and 5
    vanish, 4 leave one apostrophe, longer runs leave the ones beyond 5."""
    return _QUOTES.sub(lambda m: "'" * (len(m[0]) - 5 if len(m[0]) > 5 else len(m[0]) == 4), text)


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
    if _MARKUP_FREE.fullmatch(value):
        return " ".join(unquoted(value).split())
    try:
        text = unquoted(_render(_parse(value)))
    except Exception:  # the parser must never take a citation down with it
        text = COMMENT.sub("", value)
    return " ".join(text.split())


def heading_text(raw: str) -> str:
    """A heading title as plain text: rendered, apostrophe runs removed, spaces collapsed."""
    if _MARKUP_FREE.fullmatch(raw):
        return " ".join(unquoted(raw).split())
    return " ".join(unquoted(_render(_parse(raw))).split())


def ref_text(raw: str) -> tuple[str, list[tuple[str, str | None]]]:
    """The plain text of a ``<ref>``'s contents (like ``strip_code``, spaces collapsed), and
    the (url, label) of each external link in it, in order."""
    if _MARKUP_FREE.fullmatch(raw):
        return " ".join(unquoted(raw).split()), []
    code = _parse(raw)
    links = []
    for link in code.filter_external_links():
        label = None if link.title is None else unquoted(link.title.strip_code()).strip() or None
        links.append((str(link.url).strip(), label))
    return " ".join(unquoted(code.strip_code()).split()), links


def _parse(raw: str) -> Wikicode:
    return mwparserfromhell.parse(raw, skip_style_tags=True)
