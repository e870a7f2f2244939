"""Citations: every citation template wherever it stands, and every ``<ref>`` without one.

A template is a citation when :func:`extractor.facts.cs1.citation_kind` knows its name (the
CS1/CS2 family, ``citation`` and other cite-like templates).  A ``<ref>`` holding no citation
template is a citation of kind ``bare`` when it holds only a URL, ``text`` otherwise.  A
self-closing ``<ref name=x />`` is a reuse: it adds to the named ref's ``reuses`` count and is
not a citation of its own.
"""

from __future__ import annotations

import re
from collections import Counter

import attrs

from extractor.facts.cs1 import (
    CitationFields,
    citation_fields,
    citation_kind,
    normalize_template_name,
)
from extractor.facts.datevalues import ImpossibleDate, parse_date
from extractor.facts.sections import section_at
from extractor.parse import Document, RefNode, TemplateNode, ref_text
from extractor.records import Citation, RefInfo

_BARE_URL = re.compile(r"\[?\s*((?:https?:)?//[^\s\]]+)\s*\]?")

#: Citation fields holding dates, and the name the problem messages use for them.
_DATE_FIELDS = (("date", "date"), ("access_date", "access-date"), ("archive_date", "archive-date"))


def extract_citations(doc: Document, starts: list[int]) -> tuple[Citation, ...]:
    """All citations on the page in page order; ``starts`` are the section start offsets."""
    reuses = _reuse_counts(doc.refs)
    found: list[tuple[int, Citation]] = []
    cited_refs: set[int] = set()
    for node in doc.templates:
        name = normalize_template_name(node.name)
        kind = citation_kind(name)
        if kind is None:
            continue
        if node.ref is not None:
            cited_refs.add(node.ref)
        found.append((node.start, _from_template(doc, node, name, kind, reuses, starts)))
    for index, ref in enumerate(doc.refs):
        if ref.self_closing or index in cited_refs or not ref.content.strip():
            continue
        found.append((ref.start, _from_ref(doc, index, reuses, starts)))
    found.sort(key=lambda item: item[0])
    return tuple(attrs.evolve(citation, index=i) for i, (_, citation) in enumerate(found))


def _reuse_counts(refs: list[RefNode]) -> Counter[tuple[str | None, str]]:
    """How often each named ref (by group and name) is used beyond its first use."""
    uses = Counter((ref.group, ref.name) for ref in refs if ref.name)
    return Counter({key: count - 1 for key, count in uses.items()})


def _ref_info(
    doc: Document, index: int | None, reuses: Counter[tuple[str | None, str]]
) -> RefInfo | None:
    if index is None:
        return None
    ref = doc.refs[index]
    count = reuses[(ref.group, ref.name)] if ref.name else 0
    return RefInfo(name=ref.name, group=ref.group, reuses=count)


def _from_template(
    doc: Document,
    node: TemplateNode,
    name: str,
    kind: str,
    reuses: Counter[tuple[str | None, str]],
    starts: list[int],
) -> Citation:
    params = tuple((p.name, p.value) for p in node.params)
    fields = citation_fields(list(params))
    problems = list(fields.problems)
    dates = {}
    for attr, label in _DATE_FIELDS:
        raw = getattr(fields, attr)
        if attr == "date" and raw is None:
            raw = fields.year
        dates[attr] = _iso(raw, label, problems)
    span = doc.source_span(node.start, node.end)
    return _citation(
        template=name,
        kind=kind,
        section=section_at(starts, span[0]),
        span=span,
        ref=_ref_info(doc, node.ref, reuses),
        params=params,
        fields=fields,
        dates=dates,
        problems=problems,
    )


def _from_ref(
    doc: Document, index: int, reuses: Counter[tuple[str | None, str]], starts: list[int]
) -> Citation:
    ref = doc.refs[index]
    content = ref.content.strip()
    bare = _BARE_URL.fullmatch(content)
    text, links = (None, []) if bare else ref_text(content)
    url = bare.group(1) if bare else (links[0][0] if links else None)
    title = _unquoted(links[0][1]) if links else None
    span = doc.source_span(ref.start, ref.end)
    return _citation(
        template=None,
        kind="bare" if bare else "text",
        section=section_at(starts, span[0]),
        span=span,
        ref=_ref_info(doc, index, reuses),
        params=(),
        fields=citation_fields([("url", url)] if url else []),
        dates={"date": None, "access_date": None, "archive_date": None},
        problems=[],
        title=title,
        text=text,
    )


def _citation(
    *,
    template: str | None,
    kind: str,
    section: int,
    span: tuple[int, int],
    ref: RefInfo | None,
    params: tuple[tuple[str, str], ...],
    fields: CitationFields,
    dates: dict[str, str | None],
    problems: list[str],
    title: str | None = None,
    text: str | None = None,
) -> Citation:
    return Citation(
        index=0,
        template=template,
        kind=kind,
        section=section,
        span=span,
        ref=ref,
        params=params,
        text=text,
        title=fields.title if title is None else title,
        url=fields.url,
        authors=fields.authors,
        editors=fields.editors,
        date=dates["date"],
        access_date=dates["access_date"],
        archive_url=fields.archive_url,
        archive_date=dates["archive_date"],
        url_status=fields.url_status,
        work=fields.work,
        publisher=fields.publisher,
        location=fields.location,
        volume=fields.volume,
        issue=fields.issue,
        pages=fields.pages,
        language=fields.language,
        identifiers=fields.identifiers,
        problems=tuple(problems),
    )


def _iso(raw: str | None, label: str, problems: list[str]) -> str | None:
    """ISO form of a citation date field, recording a problem when it is not understood."""
    if raw is None:
        return None
    try:
        value = parse_date(raw)
    except ImpossibleDate as exc:
        problems.append(f"{label}: {exc}")
        return None
    if value is None:
        problems.append(f"{label}: unparseable date {raw!r}")
        return None
    return value.iso


def _unquoted(label: str | None) -> str | None:
    """A link label without the quotation marks editors put around titles."""
    if label is None:
        return None
    return label.strip().strip("\"'“”‘’«»").strip() or None
