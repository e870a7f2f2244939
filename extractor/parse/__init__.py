"""Stage 2: a page's text -> :class:`~extractor.parse.document.Document`, behind one function.

:func:`parse` rewrites the flat dialect to wikitext (with an offset map back to the input),
then reads the wikitext with mwparserfromhell's C tokenizer through the fast walker
(:mod:`extractor.parse.walk_tokens`; a long page in pieces, so that its tokens never all exist at
once).  ``reference=True`` builds mwparserfromhell's full node tree and walks that instead
(:mod:`extractor.parse.walk_tree`): the straightforward path, several times slower (and as heavy
as the tree), kept so a test can check that both give the same Document on every page.

The parse stage is this module, the two walkers and :mod:`extractor.parse.plaintext` (plain text
of small fragments); nothing else in the package calls mwparserfromhell.  Pages are parsed
with ``skip_style_tags``: MediaWiki applies ``''``/``'''`` after templates, so a stray
apostrophe pair never swallows the templates after it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from extractor.parse.dialects import flat_to_wikitext
from extractor.parse.document import (
    Document,
    HeadingNode,
    LinkNode,
    Param,
    RefNode,
    SpanMap,
    TemplateNode,
    link_kind,
)
from extractor.parse.plaintext import heading_text, plain_text, ref_text

# The walkers by other names: ``extractor.parse.walk_tokens`` stays the module.
from extractor.parse.walk_tokens import walk_tokens as _walk_fast
from extractor.parse.walk_tree import walk_tree as _walk_reference

__all__ = [
    "Document",
    "HeadingNode",
    "LinkNode",
    "Param",
    "RefNode",
    "SpanMap",
    "TemplateNode",
    "heading_text",
    "parse",
    "plain_text",
    "ref_text",
]


def parse(text: str, dialect: str, *, reference: bool = False) -> Document:
    """Parse one page's text in the given dialect ("wikitext", "flat" or "text").

    Plain text is not run through the wiki parser: all of it is prose and its headings are
    found by :mod:`extractor.facts.sections`.
    """
    if dialect == "text":
        return Document(source=text, wikitext=text, dialect=dialect, prose=text)
    doc = Document(source=text, wikitext=text, dialect=dialect)
    if dialect == "flat":
        doc.wikitext, doc.span_map, problems = flat_to_wikitext(text)
        doc.problems.extend(problems)
    if "\x00" in doc.wikitext:  # the C tokenizer stops at NUL; same length keeps offsets
        doc.problems.append(f"{doc.wikitext.count(chr(0))} NUL character(s) read as U+FFFD")
        doc.wikitext = doc.wikitext.replace("\x00", "\ufffd")
    if doc.wikitext.startswith("\ufeff"):  # a byte order mark: a heading may follow it
        doc.wikitext = "\n" + doc.wikitext[1:]
    with _deep_recursion():
        (_walk_reference if reference else _walk_fast)(doc)
    doc.ref_lists.sort()
    if "[[" in doc.prose:
        _recover_categories(doc)
    return doc


#: A wikilink left as text in the prose: the tokenizer stops reading markup past its
#: nesting limit (a long run of unclosed ``<tr><td>``) and hands on the rest as text.
_LITERAL_LINK = re.compile(r"\[\[([^\[\]{}|<>\n]+)(\|[^\[\]{}<>\n]*)?\]\]")


def _recover_categories(doc: Document) -> None:
    """Category links the tokenizer left as text become links, with a problem line: a
    page's categories do not depend on where they stand.  Parsed links never stand in the
    prose as written (their brackets are blanked), so a literal one is unread markup."""
    found = [
        LinkNode(m.start(), m.end() - m.start(), len(m[1]), m[2] is not None, doc.wikitext)
        for m in _LITERAL_LINK.finditer(doc.prose)
        if link_kind(m[1]) == "category"
    ]
    if found:
        doc.links = sorted([*doc.links, *found], key=lambda link: link.start)
        doc.problems.append(
            f"{len(found)} category link(s) from offset"
            f" {doc.source_span(found[0].start, found[0].end)[0]} on stand in markup the parser"
            " did not read (nested too deep: unclosed tags?); read as written"
        )


#: Both walkers recurse once per nesting level, a few frames each, and mwparserfromhell's
#: builder (the reference path) does too; its tokenizer caps nesting, so this bounds them.
#: Python-to-Python calls use no C stack (3.11+), so a higher limit is safe.
_RECURSION_LIMIT = 20_000


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """Raise the recursion limit for the walk, then put it back."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)
