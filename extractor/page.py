"""Stage 1 types: a page as a source hands it over, and the site it belongs to.

A :class:`Page` is what every source yields (a file, an XML dump, a flat corpus file,
stdin) and what :func:`extractor.extract_page` turns into a record.  :class:`Site`
carries what the wiki's ``<siteinfo>`` says about namespaces, so that a German dump's
``[[Kategorie:X]]`` is a category.
"""

from __future__ import annotations

import attrs

from extractor.locales import any_locale, locale_of

#: Every localized category namespace name MediaWiki knows, for pages of unknown language.
ALL_CATEGORY_NAMES: tuple[str, ...] = tuple(sorted({"Category", *any_locale().category_names}))


@attrs.frozen
class Site:
    """What a wiki's ``<siteinfo>`` tells about it.

    Attributes:
        dbname: Database name such as ``enwiki``, when known.
        lang: Language code guessed from ``dbname`` or the base URL, when known.
        namespaces: Namespace number -> every name and alias of that namespace
            (``{14: ("Category", "Kategorie")}``).  The names of ``lang``
            (:func:`extractor.locales.locale_of`) are accepted as category prefixes too
            (a dump's ``<siteinfo>`` may be another language's); with neither known, those
            of every language.
    """

    dbname: str | None = None
    lang: str | None = None
    namespaces: dict[int, tuple[str, ...]] = attrs.field(factory=dict)

    def category_names(self) -> tuple[str, ...]:
        """Names that make ``[[Name:X]]`` a category link on this site."""
        names = self.namespaces.get(14, ())
        if self.lang is not None or not names:  # the language's own names count too
            names = (*names, *locale_of(self.lang).category_names)
        return tuple(sorted({"Category", *names}))


@attrs.frozen
class Page:
    """One page as read from a source, before parsing.

    Attributes:
        text: The page's text exactly as the source holds it; spans index into it.
        title: Page title, when the source knows it.
        dialect: ``"wikitext"``, ``"flat"`` or ``"text"``; ``None`` to auto-detect.
        page_id: Page id from a dump.
        namespace: Namespace number from a dump (0 = articles).
        revision_id: Revision id from a dump.
        timestamp: Revision timestamp (ISO 8601) from a dump.
        redirect: Redirect target when the source marks the page as a redirect.
        source: Where the page came from (file path), for error reports.
        offset: Character offset of the page's text within ``source`` (multi-page files).
        site: The wiki the page belongs to.
        problems: What went wrong reading the page (e.g. invalid UTF-8 replaced).
        error: Why the page could not be read at all (it was too large to hold); such a
            page becomes an error record, not an article.
    """

    text: str
    title: str | None = None
    dialect: str | None = None
    page_id: int | None = None
    namespace: int | None = None
    revision_id: int | None = None
    timestamp: str | None = None
    redirect: str | None = None
    source: str | None = None
    offset: int | None = None
    site: Site = attrs.field(factory=Site)
    problems: tuple[str, ...] = ()
    error: str | None = None
