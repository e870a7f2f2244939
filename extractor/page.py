"""Stage 1 types: a page as a source hands it over, and the site it belongs to.

A :class:`Page` is what every source yields (a file, an XML dump, a flat corpus file,
stdin) and what :func:`extractor.extract_page` turns into a record.  :class:`Site`
carries what the wiki's ``<siteinfo>`` says about namespaces, so that a German dump's
``[[Kategorie:X]]`` is a category.
"""

from __future__ import annotations

import attrs

#: Category namespace names by language code, used when no ``<siteinfo>`` is at hand
#: (single files).  The canonical English name "Category" is always accepted too.
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "af": ("Kategorie",),
    "ar": ("تصنيف",),
    "bg": ("Категория",),
    "br": ("Rummad",),
    "ca": ("Categoria",),
    "cs": ("Kategorie",),
    "da": ("Kategori",),
    "de": ("Kategorie",),
    "el": ("Κατηγορία",),
    "eo": ("Kategorio",),
    "es": ("Categoría",),
    "fa": ("رده",),
    "fi": ("Luokka",),
    "fr": ("Catégorie",),
    "gl": ("Categoría",),
    "he": ("קטגוריה",),
    "hu": ("Kategória",),
    "id": ("Kategori",),
    "it": ("Categoria",),
    "ja": ("カテゴリ",),
    "kn": ("ವರ್ಗ",),
    "ko": ("분류",),
    "nl": ("Categorie",),
    "no": ("Kategori",),
    "pl": ("Kategoria",),
    "pt": ("Categoria",),
    "ro": ("Categorie",),
    "ru": ("Категория",),
    "sv": ("Kategori",),
    "tr": ("Kategori",),
    "uk": ("Категорія",),
    "vi": ("Thể loại",),
    "zh": ("分类", "分類"),
}

#: Every localized category namespace name we know, for pages of unknown language.
ALL_CATEGORY_NAMES: tuple[str, ...] = tuple(
    sorted({"Category", *(n for names in CATEGORY_NAMES.values() for n in names)})
)


@attrs.frozen
class Site:
    """What a wiki's ``<siteinfo>`` tells about it.

    Attributes:
        dbname: Database name such as ``enwiki``, when known.
        lang: Language code guessed from ``dbname`` or the base URL, when known.
        namespaces: Namespace number -> every name and alias of that namespace
            (``{14: ("Category", "Kategorie")}``).  Empty means "unknown": then
            :data:`ALL_CATEGORY_NAMES` are accepted as category prefixes.
    """

    dbname: str | None = None
    lang: str | None = None
    namespaces: dict[int, tuple[str, ...]] = attrs.field(factory=dict)

    def category_names(self) -> tuple[str, ...]:
        """Names that make ``[[Name:X]]`` a category link on this site."""
        names = self.namespaces.get(14)
        if names:
            return tuple(sorted({"Category", *names}))
        if self.lang and self.lang in CATEGORY_NAMES:
            return tuple(sorted({"Category", *CATEGORY_NAMES[self.lang]}))
        return ALL_CATEGORY_NAMES


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
