"""Sections: lead, levels, parents, spans, emptiness; prose headings."""

from __future__ import annotations

import itertools

from extractor.facts.sections import extract_sections, section_at, section_starts
from extractor.parse import parse
from extractor.records import Section

WIKI = "Lead.\n== A ==\nText.\n=== A1 ===\n\n== B ==\n==== B1 ====\nx\n"


def test_sections_have_levels_parents_and_spans() -> None:
    """Each heading opens a section; parents are the nearest lower level before it."""
    sections = extract_sections(parse(WIKI, "wikitext"))
    expected = [
        Section(0, 0, None, None, (0, 6), False),
        Section(1, 2, "A", 0, (6, 20), False),
        Section(2, 3, "A1", 1, (20, 32), True),
        Section(3, 2, "B", 0, (32, 40), True),
        Section(4, 4, "B1", 3, (40, len(WIKI)), False),
    ]
    assert expected == list(sections)


def test_section_spans_partition_the_page() -> None:
    """Section spans follow each other without gaps from 0 to the end of the page."""
    sections = extract_sections(parse(WIKI, "wikitext"))
    assert sections[0].span[0] == 0
    assert all(a.span[1] == b.span[0] for a, b in itertools.pairwise(sections))
    assert sections[-1].span[1] == len(WIKI)


def test_empty_lead_when_page_starts_with_heading() -> None:
    """A page opening on a heading has an empty lead."""
    sections = extract_sections(parse("== X ==\nbody", "wikitext"))
    assert (sections[0].span, sections[0].empty) == ((0, 0), True)


def test_section_at_finds_the_holding_section() -> None:
    """Offsets map to the section whose span holds them."""
    starts = section_starts(extract_sections(parse(WIKI, "wikitext")))
    assert [section_at(starts, p) for p in (0, 5, 6, 25, 33, 40, len(WIKI))] == [
        0,
        0,
        1,
        2,
        3,
        4,
        4,
    ]


def test_prose_heading_is_a_short_line_between_blank_lines() -> None:
    """In plain text a short title-like line standing alone opens a section."""
    text = (
        "First paragraph of a review.\n\nMovie Soundtrack \n\nBy the mid-2000s it was so.\n\n"
        "Press play button below and enjoy the album:\n"
    )
    sections = extract_sections(parse(text, "text"))
    assert [(s.level, s.title) for s in sections] == [(0, None), (2, "Movie Soundtrack")]
    assert text[sections[1].span[0] :].startswith("Movie Soundtrack")


def test_sentences_and_lead_ins_are_not_prose_headings() -> None:
    """Lines ending like sentences or lead-ins, and long lines, are not headings."""
    text = "Intro.\n\nThis is a sentence.\n\nListen here:\n\n" + "Word " * 12 + "\n\nend\n"
    assert len(extract_sections(parse(text, "text"))) == 1
