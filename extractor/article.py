"""One page in, one record out: the per-page pipeline.

1. the dialect is detected (or given),
2. :func:`extractor.parse.parse` builds the located document (the only parse of the page),
3. the extractors in :mod:`extractor.facts` read it: sections first (every fact is placed in
   one), then categories, citations and dates,
4. the facts become an :class:`extractor.records.Article`.
"""

from __future__ import annotations

import re

import attrs

from extractor.facts.categories import extract_categories, normalize_title
from extractor.facts.citations import extract_citations
from extractor.facts.dates import extract_dates
from extractor.facts.sections import extract_sections, section_starts
from extractor.locales import any_locale, check_language, locale_of
from extractor.page import Page, Site
from extractor.parse import Document, parse
from extractor.parse.dialects import detect_dialect, flat_title
from extractor.records import SCHEMA_VERSION, Article

DIALECTS = ("wikitext", "flat", "text")

#: ``#REDIRECT [[Target]]`` in any language MediaWiki knows (the union of every locale).
#: A few languages' words begin with a full-width ``＃`` of their own (``＃転送``), with no
#: ``#`` before it.
_REDIRECT = re.compile(
    r"\s*(?:#|(?=＃))\s*(?:"
    + "|".join(map(re.escape, sorted(any_locale().redirect_words, key=len, reverse=True)))
    + r")\s*:?\s*\[\[([^\]|#\n]+)",
    re.IGNORECASE,
)
#: ``{{DEFAULTSORT:key}}`` in any language MediaWiki knows.
_DEFAULTSORT = re.compile(
    "(?:"
    + "|".join(map(re.escape, sorted(any_locale().defaultsort_words, key=len, reverse=True)))
    + "):(.*)",
    re.DOTALL,
)


def extract(
    text: str,
    *,
    title: str | None = None,
    dialect: str = "auto",
    site: Site | None = None,
    lang: str | None = None,
    reference: bool = False,
) -> Article:
    """Extract the record of one page of ``text``.

    ``dialect`` is ``"auto"`` (detected), ``"wikitext"``, ``"flat"`` or ``"text"``.  For the
    flat dialect a leading ``[[Title]]`` line gives the title when ``title`` is None.  Spans
    in the record index into ``text``.  ``lang`` is the page's language (``"de"``), over
    ``site``'s; unknown, every language's names are accepted.  ``reference=True`` takes the
    slow reference parse (see :func:`extractor.parse.parse`); the record must be the same.
    """
    site = site or Site()
    if lang is not None:
        check_language(lang)
        site = attrs.evolve(site, lang=lang)
    page = Page(text=text, title=title, dialect=None if dialect == "auto" else dialect, site=site)
    return extract_page(page, reference=reference)


def extract_page(page: Page, *, reference: bool = False) -> Article:
    """Extract the record of a :class:`~extractor.page.Page` from any source."""
    page = _encodable(page)
    dialect = page.dialect or detect_dialect(page.text)
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
    doc = parse(page.text, dialect, reference=reference)
    loc = locale_of(page.site.lang)
    sections = extract_sections(doc)
    starts = section_starts(sections)
    citations = extract_citations(doc, starts, loc)
    dates, date_problems = extract_dates(doc, citations, starts, loc)
    title = page.title
    if title is None and dialect == "flat":
        title = flat_title(page.text)
    return Article(
        schema_version=SCHEMA_VERSION,
        title=title,
        dialect=dialect,
        lang=page.site.lang,
        page_id=page.page_id,
        namespace=page.namespace,
        revision_id=page.revision_id,
        timestamp=page.timestamp,
        offset=page.offset,
        redirect=page.redirect or _redirect(doc),
        default_sort=_default_sort(doc),
        categories=extract_categories(doc, page.site.category_names(), starts),
        sections=sections,
        citations=citations,
        dates=dates,
        problems=(*page.problems, *doc.problems, *_unclosed(doc), *date_problems),
    )


def _encodable(page: Page) -> Page:
    """The page with lone surrogates (which no UTF-8 output can hold) read as ``?``; the
    text keeps its length, so spans still index the caller's text."""
    if page.text.isascii():
        return page
    try:
        page.text.encode("utf-8")
    except UnicodeEncodeError:
        text = page.text.encode("utf-8", "replace").decode("utf-8")
        count = sum(1 for a, b in zip(page.text, text, strict=True) if a != b)
        problem = f"{count} lone surrogate(s) read as '?'"
        return attrs.evolve(page, text=text, problems=(*page.problems, problem))
    return page


def _redirect(doc: Document) -> str | None:
    """Target of a ``#REDIRECT [[Target]]`` page."""
    return None if doc.dialect == "text" else redirect_target(doc.wikitext)


def redirect_target(wikitext: str) -> str | None:
    """Target of a page starting with ``#REDIRECT [[Target]]`` (or a localized form)."""
    match = _REDIRECT.match(wikitext)
    return normalize_title(match.group(1)) if match else None


def _default_sort(doc: Document) -> str | None:
    """The last ``{{DEFAULTSORT:key}}`` on the page (MediaWiki keeps the last)."""
    key = None
    for node in doc.templates:
        match = _DEFAULTSORT.fullmatch(node.name)
        if match:
            key = match.group(1).strip() or None
    return key


def _unclosed(doc: Document) -> list[str]:
    """A problem for the first ``{{`` the parser left as text: a template never closed."""
    if doc.dialect == "text":
        return []
    at = doc.prose.find("{{")
    if at < 0:
        return []
    return [f"unterminated '{{{{' at offset {doc.source_span(at, at + 2)[0]}"]
