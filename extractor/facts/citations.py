"""Citations: every citation template wherever it stands, and every ``<ref>`` without one.

A template is a citation when :func:`extractor.facts.cs1.citation_kind` knows its name (the
CS1/CS2 family, ``citation`` and other cite-like templates), when it gives itself an anchor
for short citations (``ref={{harvid|...}}``: a specific-source template such as ``{{IUCN}}``,
kind ``other``), or when it is a short citation (``{{sfn}}``, ``{{harvnb}}``: kind
``short``, one citation per source it names, inside refs or not).  A ``<ref>`` holding no
citation template is a citation of kind ``bare`` when it holds only a URL, ``text``
otherwise.  A self-closing ``<ref name=x />`` is a reuse: it adds to the named ref's
``reuses`` count and is one more of its uses, not a citation of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import attrs

from extractor.facts.claims import Uses
from extractor.facts.cs1 import (
    CitationFields,
    citation_fields,
    citation_kind,
    localized_params,
    normalize_template_name,
)
from extractor.facts.datevalues import ImpossibleDate, parse_date
from extractor.facts.localdates import read_field_date
from extractor.facts.sections import section_at
from extractor.facts.shortcites import (
    citation_anchor,
    harvid_anchor,
    link_short_citations,
    short_cites,
)
from extractor.locales import Footnotes, Locale, footnotes
from extractor.parse import Document, RefNode, TemplateNode, ref_text
from extractor.records import Citation, RefInfo, Use

_BARE_URL = re.compile(r"\[?\s*((?:https?:)?//[^\s\]]+)\s*\]?")

#: Citation fields holding dates, and the name the problem messages use for them.
_DATE_FIELDS = (("date", "date"), ("access_date", "access-date"), ("archive_date", "archive-date"))


#: The (group, name) of refs defined again with other content.
_Conflicts = set[tuple[str | None, str | None]]


def extract_citations(
    doc: Document, starts: list[int], loc: Locale | None = None
) -> tuple[Citation, ...]:
    """All citations on the page in page order; ``starts`` are the section start offsets.
    ``loc`` is the page's locale: its citation templates are citations too, their
    parameters and dates read as its language writes them.

    A named ref defined again with the same content is a reuse, not a second citation; with
    other content it is a problem (MediaWiki shows the first definition).  Each citation
    carries its uses and their claims (:mod:`extractor.facts.claims`); short citations are
    linked to the full citations they name (:mod:`extractor.facts.shortcites`).
    """
    fn = footnotes()
    names = [normalize_template_name(node.name) for node in doc.templates]
    listed, harvids = _survey(doc, names, fn)
    reuses = _reuse_counts(doc, listed)
    repeated = _repeated_definitions(doc.refs)
    children = _nested_refs(doc.refs)
    conflicts = {(doc.refs[i].group, doc.refs[i].name) for i, same in repeated.items() if not same}
    short_names, numbered = fn.short_citations.names, fn.numbered_short_citations.names
    templates: list[tuple[TemplateNode, str, str]] = []
    cited_refs: set[int] = set()
    first_template: dict[int, TemplateNode] = {}
    for node, name in zip(doc.templates, names, strict=True):
        if node.ref is not None:
            first_template.setdefault(node.ref, node)
            if node.ref in repeated:
                continue
        kind = citation_kind(name, loc)
        if kind is None:
            if name in short_names or name in numbered:
                kind = _SHORT
            elif harvids and any(p.name == "ref" and p.start in harvids for p in node.params):
                kind = "other"  # a specific-source template ({{IUCN}}) with an anchor
            else:
                continue
        if node.ref is not None:
            cited_refs.add(node.ref)
        templates.append((node, name, kind))
    refs = [
        index
        for index, ref in enumerate(doc.refs)
        if not (ref.self_closing or index in cited_refs or index in repeated)
        and ref.content.strip()
    ]
    if not templates and not refs:  # no citation: no uses to look for (most stubs)
        return ()
    page = _Page(doc, starts, reuses, conflicts, Uses(doc, starts, names, listed, fn))
    # Both lists are in page order: merged, each citation is built once, knowing its index.
    citations: list[Citation] = []
    t = r = 0
    while t < len(templates) or r < len(refs):
        ref_start = doc.refs[refs[r]].start if r < len(refs) else len(doc.wikitext)
        if t < len(templates) and templates[t][0].start < ref_start:
            node, name, kind = templates[t]
            t += 1
            if kind == _SHORT:
                citations.extend(_short(page, node, name, name in numbered, len(citations), fn))
            else:
                citations.append(
                    _from_template(page, node, (name, kind), len(citations), loc, harvids)
                )
        else:
            ref = refs[r]
            r += 1
            template = first_template.get(ref)
            citations.append(_from_ref(page, ref, template, children, len(citations)))
    link_short_citations(citations)
    return tuple(citations)


_SHORT = "short"


@attrs.frozen
class _Page:
    """What building a page's citations needs of the page."""

    doc: Document
    starts: list[int]
    reuses: Counter[tuple[str | None, str]]
    conflicts: _Conflicts
    uses: Uses


def _survey(
    doc: Document, names: list[str], fn: Footnotes
) -> tuple[Callable[[int], bool], dict[int, str]]:
    """Whether an offset stands in a list of references (``<references>...</references>``,
    or a reference list template's ``refs=``: ``{{reflist|refs=...}}``), and the anchors
    ``{{harvid}}`` calls make, by where they start."""
    lists = list(doc.ref_lists)
    harvids: dict[int, str] = {}
    if not set(names).isdisjoint(fn.reference_lists | fn.anchor_templates):
        for node, name in zip(doc.templates, names, strict=True):
            if name in fn.reference_lists:
                lists += [(p.start, p.end) for p in node.params if p.name in fn.reference_list_refs]
            elif name in fn.anchor_templates:
                harvids[node.start] = harvid_anchor(node)
    if not lists:
        return _nowhere, harvids
    return (lambda pos: any(a <= pos < b for a, b in lists)), harvids


def _nowhere(pos: int) -> bool:
    return False


def _conflict(
    problems: list[str], ref: int | None, doc: Document, conflicts: _Conflicts
) -> tuple[str, ...]:
    """A citation's problems, plus one when its ref's name is defined again differently."""
    if ref is not None and conflicts:
        node = doc.refs[ref]
        if node.name is not None and (node.group, node.name) in conflicts:
            problems.append(f"ref name {node.name!r} is defined again with other content")
    return tuple(problems)


def _reuse_counts(doc: Document, listed: Callable[[int], bool]) -> Counter[tuple[str | None, str]]:
    """How often each named ref (by group and name) is used beyond its first use.

    A definition inside a list of references (a list-defined ref) is not a use.
    """
    uses = Counter((ref.group, ref.name) for ref in doc.refs if ref.name and not listed(ref.start))
    return Counter({key: max(count - 1, 0) for key, count in uses.items()})


def _repeated_definitions(refs: list[RefNode]) -> dict[int, bool]:
    """Refs that define an already defined name again: index -> same content or not."""
    defined: dict[tuple[str | None, str], str] = {}
    repeated: dict[int, bool] = {}
    for index, ref in enumerate(refs):
        if not ref.name or ref.self_closing or not ref.content.strip():
            continue
        key = (ref.group, ref.name)
        content = ref.content.strip()
        if key in defined:
            repeated[index] = defined[key] == content
        else:
            defined[key] = content
    return repeated


def _ref_info(
    doc: Document, index: int | None, reuses: Counter[tuple[str | None, str]]
) -> RefInfo | None:
    if index is None:
        return None
    ref = doc.refs[index]
    if not ref.name and ref.group is None:
        return _UNNAMED
    count = reuses[(ref.group, ref.name)] if ref.name else 0
    return RefInfo(name=ref.name, group=ref.group, reuses=count)


#: The RefInfo of every plain ``<ref>``: records are immutable, so they share one.
_UNNAMED = RefInfo(name=None, group=None, reuses=0)


def _from_template(
    page: _Page,
    node: TemplateNode,
    template: tuple[str, str],
    index: int,
    loc: Locale | None,
    harvids: dict[int, str],
) -> Citation:
    doc = page.doc
    name, kind = template
    params = tuple((p.name, p.value) for p in node.params)
    fields = citation_fields(list(localized_params(name, params, loc)), kind)
    problems = list(fields.problems)
    dates = {}
    for attr, label in _DATE_FIELDS:
        dates[attr] = _iso(getattr(fields, attr), label, problems, loc)
    span = doc.source_span(node.start, node.end)
    if node.ref is not None:
        uses = page.uses.of_ref(node.ref)
    else:
        use = None if node.nested else page.uses.in_prose(node.start, node.end)
        uses = () if use is None else (use,)
    return _citation(
        index=index,
        template=name,
        kind=kind,
        section=section_at(page.starts, span[0]),
        span=span,
        ref=_ref_info(doc, node.ref, page.reuses),
        params=params,
        fields=fields,
        dates=dates,
        problems=_conflict(problems, node.ref, doc, page.conflicts),
        anchor=citation_anchor(node.params, fields.authors, fields.editors, harvids),
        uses=uses,
    )


def _short(
    page: _Page, node: TemplateNode, name: str, numbered: bool, index: int, fn: Footnotes
) -> list[Citation]:
    """The short citations of a template (one per source it names), each with the anchor
    it names; their targets are found once every citation is known."""
    doc = page.doc
    span = doc.source_span(node.start, node.end)
    if node.ref is not None:
        uses = page.uses.of_ref(node.ref)
    else:
        uses = (page.uses.use("template", node.start, node.end),)
    return [
        _citation(
            index=index + i,
            template=name,
            kind=_SHORT,
            section=section_at(page.starts, span[0]),
            span=span,
            ref=_ref_info(doc, node.ref, page.reuses),
            params=cite.params,
            fields=_NO_FIELDS,
            dates=_NO_DATES,
            problems=_conflict([], node.ref, doc, page.conflicts),
            pages=cite.pages,
            anchor=cite.anchor,
            uses=uses,
        )
        for i, cite in enumerate(short_cites(node, numbered, fn))
    ]


_NO_FIELDS = citation_fields([])
_NO_DATES: dict[str, str | None] = {"date": None, "access_date": None, "archive_date": None}


def _own_content(doc: Document, index: int, children: dict[int, list[int]]) -> str:
    """A ref's contents without the refs nested in it (they are citations of their own), so
    that deep nesting costs linear time, not the square of the depth."""
    ref = doc.refs[index]
    pieces, pos = [], ref.content_start
    for child in children.get(index, ()):
        inner = doc.refs[child]
        pieces.append(doc.wikitext[pos : inner.start])
        pos = inner.end
    pieces.append(doc.wikitext[pos : ref.content_end])
    return "".join(pieces)


def _nested_refs(refs: list[RefNode]) -> dict[int, list[int]]:
    """Each ref's directly nested refs (refs are in page order), in one stack pass."""
    children: dict[int, list[int]] = {}
    stack: list[int] = []
    for index, ref in enumerate(refs):
        while stack and ref.start >= refs[stack[-1]].end:
            stack.pop()
        if stack:
            children.setdefault(stack[-1], []).append(index)
        if not ref.self_closing:
            stack.append(index)
    return children


def _from_ref(
    page: _Page,
    index: int,
    template: TemplateNode | None,
    children: dict[int, list[int]],
    at: int,
) -> Citation:
    """A ref with no citation template: ``bare`` (a URL) or ``text``.  When the ref holds
    a template, its name and parameters are kept."""
    doc = page.doc
    ref = doc.refs[index]
    content = (_own_content(doc, index, children) if index in children else ref.content).strip()
    bare = _BARE_URL.fullmatch(content)
    text, links = (None, []) if bare else ref_text(content)
    url = bare.group(1) if bare else (links[0][0] if links else None)
    title = _unquoted(links[0][1]) if links else None
    span = doc.source_span(ref.start, ref.end)
    name = None if template is None else normalize_template_name(template.name)
    return _citation(
        index=at,
        template=name,
        kind="bare" if bare else "text",
        section=section_at(page.starts, span[0]),
        span=span,
        ref=_ref_info(doc, index, page.reuses),
        params=() if template is None else tuple((p.name, p.value) for p in template.params),
        fields=citation_fields([("url", url)]) if url else _NO_FIELDS,
        dates=_NO_DATES,
        problems=_conflict([], index, doc, page.conflicts),
        title=title,
        text=text,
        uses=page.uses.of_ref(index),
    )


def _citation(
    *,
    index: int,
    template: str | None,
    kind: str,
    section: int,
    span: tuple[int, int],
    ref: RefInfo | None,
    params: tuple[tuple[str, str], ...],
    fields: CitationFields,
    dates: dict[str, str | None],
    problems: tuple[str, ...],
    title: str | None = None,
    text: str | None = None,
    pages: str | None = None,
    anchor: str | None = None,
    uses: tuple[Use, ...] = (),
) -> Citation:
    return Citation(
        index=index,
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
        pages=fields.pages if pages is None else pages,
        language=fields.language,
        identifiers=fields.identifiers,
        anchor=anchor,
        target=None,
        uses=uses,
        problems=problems,
    )


def _iso(raw: str | None, label: str, problems: list[str], loc: Locale | None) -> str | None:
    """ISO form of a citation date field, recording a problem when it is not understood;
    with a locale, as English or as its language writes dates."""
    if raw is None:
        return None
    try:
        value = parse_date(raw) if loc is None else read_field_date(raw, loc)
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
