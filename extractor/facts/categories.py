"""Categories: ``[[Category:X|key]]`` links (and the flat dialect's ``CATEGORIES:`` line,
which the parse stage rewrites into such links)."""

from __future__ import annotations

import re

from extractor.facts.sections import section_at
from extractor.parse import Document
from extractor.parse.plaintext import ENTITY, decode_entity
from extractor.records import Category

_SPACES = re.compile(r"[\s_]+")
_INVISIBLE = re.compile(r"<!--.*?(?:-->|\Z)|[\u200e\u200f\u202a-\u202e]", re.DOTALL)


def normalize_title(title: str) -> str:
    """Normalize a page name the way MediaWiki does: comments and direction marks removed,
    entities decoded, underscores and runs of white space to one space, trimmed, a leading
    ``:`` dropped, first letter upper case (when upper-casing keeps it one letter: ``ß``
    stays)."""
    if "<!--" in title or not title.isascii():
        title = _INVISIBLE.sub("", title)
    if "&" in title:  # as MediaWiki decodes them: U+FFFD for control characters
        title = ENTITY.sub(lambda entity: decode_entity(entity[0]), title)
    title = _SPACES.sub(" ", title).strip().removeprefix(":").lstrip()
    first = title[:1].upper()
    return (first if len(first) == 1 else title[:1]) + title[1:]


def extract_categories(
    doc: Document, names: tuple[str, ...], starts: list[int]
) -> tuple[Category, ...]:
    """Categories in order of first appearance, duplicates merged.

    ``starts`` are the section start offsets.  ``names`` are the category namespace's names
    on this wiki (``Category``, ``Kategorie``); they match case-insensitively.  A link
    starting with ``:`` links to a category and does not put the page in it.  When a
    category is given twice, the span is the first one's and the sort key the last one's
    (MediaWiki keeps the last, an absent key included).
    """
    prefixes = {n.lower() for n in names}
    found: dict[str, Category] = {}
    for link in doc.links:
        prefix, colon, rest = link.title.partition(":")
        if not colon or prefix.strip().lower().replace("_", " ") not in prefixes:
            continue
        name = normalize_title(rest)
        if not name:
            continue
        start, end = doc.source_span(link.start, link.end)
        section = section_at(starts, start)
        earlier = found.get(name)
        if earlier is None:
            found[name] = Category(name, link.text, section, (start, end))
        else:  # MediaWiki keeps the last sort key given, even none
            found[name] = Category(name, link.text, earlier.section, earlier.span)
    return tuple(found.values())
