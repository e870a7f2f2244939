"""Date facts of a page: citation date fields, date templates and prose.

Reading a date string is :mod:`extractor.facts.datevalues`' job; this module finds where
dates stand on a parsed page and gives each its provenance.  An impossible date (February
30) is a problem, never a fact.
"""

from __future__ import annotations

import functools
import re
from array import array

from extractor.facts.cs1 import localized_params, normalize_template_name
from extractor.facts.datevalues import (
    DateValue,
    FoundDate,
    ImpossibleDate,
    find_prose_dates,
    parse_date,
    template_dates,
)
from extractor.facts.localdates import find_local_dates, read_field_date
from extractor.facts.sections import section_at
from extractor.locales import Locale, text_templates
from extractor.parse import Document, TemplateNode, parse
from extractor.parse.walk_tokens import WalkError
from extractor.records import Citation, DateFact

#: Citation parameters holding dates, by the role the fact gets.
_CITATION_DATE_PARAMS: dict[str, str] = {
    "date": "date",
    "year": "year",
    "access-date": "access-date",
    "accessdate": "access-date",
    "archive-date": "archive-date",
    "archivedate": "archive-date",
    "publication-date": "publication-date",
    "publicationdate": "publication-date",
    "orig-date": "orig-date",
    "orig-year": "orig-date",
    "origyear": "orig-date",
}
_CONTEXT = 40


def extract_dates(
    doc: Document, citations: tuple[Citation, ...], starts: list[int], loc: Locale | None = None
) -> tuple[tuple[DateFact, ...], list[str]]:
    """Dates in page order, and one problem line per impossible template or prose date.

    Citation dates belong to the citation at the same span; impossible ones are already in
    that citation's ``problems``.  The text parameters of inline text templates standing in
    prose (``{{nowrap|5 May 1950}}``) are prose too (:func:`_text_template_dates`).  On a
    page of a known language (``loc``), citation fields are read as it writes dates too, and
    prose as it writes them besides English (where both find a date, the language's reading
    wins).
    """
    facts: list[DateFact] = []
    problems: list[str] = []
    by_span = {c.span: c.index for c in citations if c.template is not None}
    for node in doc.templates:
        span = doc.source_span(node.start, node.end)
        citation = by_span.get(span)
        if citation is not None:
            facts.extend(_citation_dates(doc, node, citation, starts, loc))
            continue
        for item in template_dates(node.name, ((p.name, p.value) for p in node.params)) or ():
            if item.value is not None:
                facts.append(_fact(doc, item.value, "template", item.role, span, starts, None))
            elif item.problem:
                problems.append(f"{item.problem} (template at offset {span[0]})")
    hits = _prose_dates(_cells_apart(doc.prose, doc.wikitext), loc)
    inline = _text_template_dates(doc, loc)
    if inline:
        hits = sorted([*hits, *inline], key=lambda hit: hit.start)
    for hit in hits:
        span = doc.source_span(hit.start, hit.end)
        if hit.value is not None:
            facts.append(_fact(doc, hit.value, "prose", None, span, starts, None))
        elif hit.problem:
            problems.append(f"{hit.problem} (offset {span[0]})")
    facts.sort(key=lambda f: (f.span, f.kind))
    return tuple(facts), problems


#: Table cell markup: ``||``, ``!!`` and a cell's ``|`` or ``!`` at a line's start.
_CELL = re.compile(r"\|\||!!|^[ \t]*[|!]", re.MULTILINE)
#: What stands for cell markup in the prose dates are read from: no date pattern crosses
#: it, nor does a bare year's context reach across it.
_BREAK = "\x00"


def _cells_apart(prose: str, wikitext: str) -> str:
    """The prose with the blanked markup of table cells made a break, so that a date never
    runs from one cell into the next (``| 2 || January 1993`` is no 2 January).  The prose
    is the wikitext blanked outside prose, character for character; it is edited as an
    array of characters (a long table has millions of cells: no list of pieces)."""
    if "{|" not in wikitext:  # no table, no cells
        return prose
    chars: array[str] | None = None
    for cell in _CELL.finditer(wikitext):
        start, end = cell.span()
        if prose[start:end].isspace():  # markup, not text that looks like it
            if chars is None:
                chars = array("u", prose)
            chars[start:end] = array("u", _BREAK * (end - start))
    return prose if chars is None else chars.tounicode()


def _prose_dates(prose: str, loc: Locale | None) -> list[FoundDate]:
    """English prose dates, and those of the page's language when it has date formats."""
    english = find_prose_dates(prose)
    if loc is None or loc.lang == "*" or not loc.date_formats:
        return english
    local = find_local_dates(prose, loc)
    kept = [
        hit
        for hit in english
        if not any(hit.start < other.end and other.start < hit.end for other in local)
    ]
    return sorted([*local, *kept], key=lambda hit: hit.start)


#: How many text templates deep, one inside the other, text is read
#: (``{{small|{{nowrap|…}}}}`` is 2): each level parses its parameter again, so the depth
#: bounds the work.
_TEXT_DEPTH = 8
_DIGIT = re.compile(r"\d")


def _text_template_dates(doc: Document, loc: Locale | None, depth: int = 0) -> list[FoundDate]:
    """Prose dates in the text parameters of the inline templates standing in ``doc``'s
    prose (``locales/text_templates.json``: ``{{nowrap|5 May 1950}}``, ``{{lang|fr|…}}``'s
    2nd), offsets in ``doc.wikitext``.  The prose mask blanks every template whole, but a
    reader sees that text.  Each parameter is parsed as a document of its own and read as
    the page's prose is; a text template in it is read the same way, ``_TEXT_DEPTH`` levels
    deep.  Templates in another template's parameters (infoboxes, citations) or in refs are
    not prose.  A page without such a template costs one cached name lookup per template.
    """
    found: list[FoundDate] = []
    for node in doc.templates:
        if node.nested or node.ref is not None:
            continue
        names = _text_params(node.name)
        if not names:
            continue
        chosen = {p.name: p for p in node.params if p.name in names}  # the last one counts
        for param in chosen.values():
            if _DIGIT.search(param.value) is None:  # no date without a digit
                continue
            if param.value.count("{{") != param.value.count("}}"):
                # Braces the page's parser did not close (templates nested past its depth
                # limit): parsed alone they take the tokenizer's quadratic path.
                continue
            for hit in _param_dates(param.value, loc, depth):
                start, end = hit.start + param.start, hit.end + param.start
                found.append(FoundDate(start, end, hit.value, hit.problem))
    return found


def _param_dates(value: str, loc: Locale | None, depth: int) -> list[FoundDate]:
    """The prose dates of one text parameter's value, offsets in the value."""
    try:
        sub = parse(value, "wikitext")
    except (WalkError, RecursionError) as exc:  # read alone, out of its page
        return [FoundDate(0, 0, None, f"text of an inline template not read ({exc!r})")]
    hits = _prose_dates(_cells_apart(sub.prose, sub.wikitext), loc)
    if depth + 1 < _TEXT_DEPTH:
        inner = _text_template_dates(sub, loc, depth + 1)
        if inner:
            hits = sorted([*hits, *inner], key=lambda hit: hit.start)
    return hits


@functools.lru_cache(maxsize=4096)
def _text_params(name: str) -> frozenset[str]:
    """The text parameters of template ``name`` (as written), empty when it has none."""
    key = normalize_template_name(name)
    table = text_templates()
    found = table.get(key)
    if found is not None:
        return found
    for pattern, params in table.items():
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            return params
    return frozenset()


def _citation_dates(
    doc: Document, node: TemplateNode, citation: int, starts: list[int], loc: Locale | None
) -> list[DateFact]:
    facts = []
    names = [p.name for p in node.params]
    if loc is not None and loc.citation_templates:  # a localized template's (datum, abruf)
        pairs = [(p.name, p.value) for p in node.params]
        names = [name for name, _ in localized_params(node.name, pairs, loc)]
    for name, param in zip(names, node.params, strict=True):
        role = _CITATION_DATE_PARAMS.get(name.lower())
        text = param.value
        if role is None or not text:
            continue
        try:
            value = parse_date(text) if loc is None else read_field_date(text, loc)
        except ImpossibleDate:
            continue
        if value is not None:
            lead, trail = _comment_margins(text)
            span = doc.source_span(param.start + lead, param.end - trail)
            facts.append(_fact(doc, value, "citation", role, span, starts, citation))
    return facts


def _comment_margins(value: str) -> tuple[int, int]:
    """Lengths of the comments and white space at each end of a value, so a date's span
    covers the date only (``29 August 2007<!--Added by bot-->``).  Linear: comments are
    peeled from each end with ``startswith``/``endswith``, never a backtracking regex."""
    if "<!--" not in value:
        return 0, 0  # parameter values are already stripped of white space
    start, end = 0, len(value)
    while True:
        while start < end and value[start].isspace():
            start += 1
        if not value.startswith("<!--", start, end):
            break
        close = value.find("-->", start + 4, end)
        if close < 0:
            break
        start = close + 3
    while True:
        while end > start and value[end - 1].isspace():
            end -= 1
        if not value.endswith("-->", start, end):
            break
        opening = value.rfind("<!--", start, end - 3)
        if opening < 0:
            break
        end = opening
    return start, len(value) - end


def _fact(
    doc: Document,
    value: DateValue,
    kind: str,
    role: str | None,
    span: tuple[int, int],
    starts: list[int],
    citation: int | None,
) -> DateFact:
    """A date fact; its context is the surrounding input, white space collapsed."""
    source = doc.source
    context = " ".join(source[max(0, span[0] - _CONTEXT) : span[1] + _CONTEXT].split())
    return DateFact(
        iso=value.iso,
        precision=value.precision,
        text=source[span[0] : span[1]],
        kind=kind,
        role=role,
        section=section_at(starts, span[0]),
        span=span,
        context=context,
        citation=citation,
    )
