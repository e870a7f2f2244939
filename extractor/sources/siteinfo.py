"""Build a :class:`~extractor.page.Site` from a dump's ``<siteinfo>`` and guess its language."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from extractor.page import Site

#: Canonical (English) names that every wiki accepts besides its localized ones.
CANONICAL_NAMESPACES: dict[int, tuple[str, ...]] = {
    -2: ("Media",),
    -1: ("Special",),
    1: ("Talk",),
    2: ("User",),
    3: ("User talk",),
    4: ("Project",),
    5: ("Project talk",),
    6: ("File", "Image"),
    7: ("File talk", "Image talk"),
    8: ("MediaWiki",),
    9: ("MediaWiki talk",),
    10: ("Template",),
    11: ("Template talk",),
    12: ("Help",),
    13: ("Help talk",),
    14: ("Category",),
    15: ("Category talk",),
    828: ("Module",),
    829: ("Module talk",),
}

_PROJECTS = "wiki|wiktionary|wikibooks|wikinews|wikiquote|wikisource|wikiversity|wikivoyage"
_DBNAME = re.compile(rf"([a-z][a-z0-9_]*?)(?:{_PROJECTS})")
_SITES = _PROJECTS.replace("wiki|", "wikipedia|")
_HOST = re.compile(rf"([a-z][a-z0-9\-]*)\.(?:m\.)?(?:{_SITES})\.org")
_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")
_NOT_LANGS = frozenset({"www"})


def _lang(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code == "simple":
        return "en"
    return code if _LANG.fullmatch(code) and code not in _NOT_LANGS else None


def lang_from_dbname(dbname: str | None) -> str | None:
    """``dewiki`` -> ``de``, ``zh_min_nanwiki`` -> ``zh-min-nan``; ``None`` for ``commonswiki``."""
    match = _DBNAME.fullmatch(dbname or "")
    return _lang(match.group(1)) if match else None


def lang_from_url(url: str | None) -> str | None:
    """``https://de.wikipedia.org/wiki/...`` -> ``de`` (Wikimedia projects only)."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return None
    match = _HOST.fullmatch(host)
    return _lang(match.group(1)) if match else None


def local_name(tag: object) -> str:
    """Tag name without its ``{namespace}``; ``""`` for comments and the like."""
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def site_from_siteinfo(siteinfo: Any, xml_lang: str | None) -> Site:
    """A :class:`Site` from an lxml ``<siteinfo>`` element and the root's ``xml:lang``."""
    dbname = base = None
    namespaces: dict[int, tuple[str, ...]] = {}
    for child in siteinfo:
        name = local_name(child.tag)
        if name == "dbname":
            dbname = (child.text or "").strip() or None
        elif name == "base":
            base = (child.text or "").strip() or None
        elif name == "namespaces":
            for ns in child:
                try:
                    key = int(ns.get("key", ""))
                except ValueError:
                    continue
                names = [(ns.text or "").strip()]
                names += CANONICAL_NAMESPACES.get(key, ())
                names = list(dict.fromkeys(n for n in names if n))
                if names:
                    namespaces[key] = tuple(names)
    lang = lang_from_dbname(dbname) or lang_from_url(base) or _lang(xml_lang)
    return Site(dbname=dbname, lang=lang, namespaces=namespaces)


def namespace_of(title: str, site: Site) -> int:
    """Namespace number of ``title`` judged by its prefix (old dumps have no ``<ns>``)."""
    prefix, colon, _ = title.partition(":")
    if not colon:
        return 0
    wanted = prefix.replace("_", " ").strip().casefold()
    for table in (site.namespaces, CANONICAL_NAMESPACES):
        for key, names in table.items():
            if any(n.casefold() == wanted for n in names):
                return key
    return 0
