"""Categories: ``[[Category:X|key]]`` links (and the flat dialect's ``CATEGORIES:`` line,
which the parse stage rewrites into such links)."""

from __future__ import annotations

import html
import re

from extractor.facts.sections import section_at
from extractor.parse import Document
from extractor.records import Category

_SPACES = re.compile(r"[\s_]+")


def normalize_title(title: str) -> str:
    """Normalize a page name the way MediaWiki does: entities decoded, underscores and runs
    of white space to one space, trimmed, first letter upper case."""
    if "&" in title:
        title = html.unescape(title)
    title = _SPACES.sub(" ", title).strip()
    return title[:1].upper() + title[1:]


def extract_categories(
    doc: Document, names: tuple[str, ...], starts: list[int]
) -> tuple[Category, ...]:
    """Categories in order of first appearance, duplicates merged.

    ``starts`` are the section start offsets.  ``names`` are the category namespace's names
    on this wiki (``Category``, ``Kategorie``); they match case-insensitively.  A link
    starting with ``:`` links to a category and does not put the page in it.  When a
    category is given twice, the span is the first one's and the sort key the last one
    given (MediaWiki keeps the last).
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
        elif link.text is not None:
            found[name] = Category(name, link.text, earlier.section, earlier.span)
    return tuple(found.values())
