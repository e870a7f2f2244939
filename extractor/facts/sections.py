"""Sections: the lead and one section per heading, with levels, parents and spans.

Plain prose has no heading markup; there a short, title-like line standing alone between
blank lines ("Movie Soundtrack") opens a level-2 section.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator

import attrs

from extractor.parse import Document
from extractor.records import Section

#: A prose line may be a heading when it is short, starts with a capital or digit and does
#: not end like a sentence or a lead-in (``.``, ``:``, ``,``, quotes, ...).
_TITLE_LIKE = re.compile(r"[A-Z0-9][^\n]{0,59}")
_SENTENCE_END = tuple(".,;:!?…\"'”’)")
_MAX_HEADING_WORDS = 8


def extract_sections(doc: Document) -> tuple[Section, ...]:
    """Sections in page order; index 0 is the lead (which may be empty).

    Each heading's section is made once the next heading (or the page's end) shows where it
    ends, so that no list of headings is held beside the sections.
    """
    heads = _prose_headings(doc.source) if doc.dialect == "text" else _headings(doc)
    sections: list[Section] = []
    open_sections: list[Section] = []  # a stack of strictly rising levels
    before: _Head | None = None  # the heading whose section is not made yet
    for head in itertools.chain(heads, (None,)):
        end = len(doc.source) if head is None else head.start
        wiki_end = len(doc.wikitext) if head is None else head.wiki_start
        if before is None:
            section = Section(
                index=0, level=0, title=None, parent=None, span=(0, end),
                empty=not doc.wikitext[:wiki_end].strip(),
            )  # fmt: skip
        else:
            while open_sections[-1].level >= before.level:
                open_sections.pop()
            section = Section(
                index=len(sections), level=before.level, title=before.title,
                parent=open_sections[-1].index, span=(before.start, end),
                empty=not doc.wikitext[before.wiki_end : wiki_end].strip(),
            )  # fmt: skip
        sections.append(section)
        open_sections.append(section)
        before = head
    return tuple(sections)


def section_starts(sections: tuple[Section, ...]) -> list[int]:
    """Start offsets of the sections, for :func:`section_at`."""
    return [s.span[0] for s in sections]


def section_at(starts: list[int], pos: int) -> int:
    """Index of the section holding input offset ``pos``."""
    return max(bisect.bisect_right(starts, pos) - 1, 0)


@attrs.frozen
class _Head:
    """A heading: level, plain title, start in the input, and its span in the wikitext."""

    level: int
    title: str
    start: int
    wiki_start: int
    wiki_end: int


def _headings(doc: Document) -> Iterator[_Head]:
    for h in doc.headings:
        yield _Head(h.level, h.title, doc.source_span(h.start, h.end)[0], h.start, h.end)


def _prose_headings(text: str) -> list[_Head]:
    """Title-like lines standing alone between blank lines, as level-2 headings."""
    lines = text.split("\n")
    heads: list[_Head] = []
    pos = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        before_blank = i == 0 or not lines[i - 1].strip()
        after_blank = i + 1 < len(lines) and not lines[i + 1].strip()
        if (
            before_blank
            and after_blank
            and i > 0
            and _TITLE_LIKE.fullmatch(stripped)
            and not stripped.endswith(_SENTENCE_END)
            and len(stripped.split()) <= _MAX_HEADING_WORDS
        ):
            start = pos + line.index(stripped)
            heads.append(_Head(2, stripped, start, start, start + len(stripped)))
        pos += len(line) + 1
    return heads
