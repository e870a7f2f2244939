"""extractor: MediaWiki pages in, JSON records of their facts out.

The flow, one stage per module, data moving one way:

1. source   :mod:`extractor.sources` reads pages from files, folders, dumps, stdin -> Page
2. parse    :mod:`extractor.parse` (flat dialect rewritten by :mod:`extractor.parse.dialects`,
            with an offset map back to the input) -> Document of located nodes
3. extract  :mod:`extractor.facts`: sections, categories, citations, dates -> facts
4. record   :mod:`extractor.records`: attrs classes and their deterministic JSON
5. sink     :mod:`extractor.run.sinks` writes JSONL (resumable), the CLI JSON

:mod:`extractor.article` runs stages 2-4 for one page; :mod:`extractor.run.batch` runs them over
many pages on a process pool (:mod:`extractor.run.dask_engine` on Dask), and
:mod:`extractor.run.runner` drives a whole dump job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from os import PathLike

import attrs

from extractor._compiled import compiled_modules  # first: it guards the imports below
from extractor.article import extract, extract_page
from extractor.errors import DumpDamaged, ExtractorError, InputError
from extractor.locales import check_language
from extractor.page import Page, Site
from extractor.records import (
    SCHEMA_VERSION,
    Article,
    Author,
    Category,
    Citation,
    DateFact,
    ErrorRecord,
    Identifier,
    RedirectRecord,
    RefInfo,
    Section,
)
from extractor.run.batch import Options
from extractor.run.runner import extract_dump
from extractor.sources import read_pages

#: The distribution's name on package indexes (the import name and the command are
#: ``extractor``).
DISTRIBUTION = "wikitext-extractor"
try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

# A library logs, the application decides where to: nothing is printed unless asked for.
logging.getLogger("extractor").addHandler(logging.NullHandler())


def extract_file(
    path: str | PathLike[str], *, dialect: str = "auto", lang: str | None = None
) -> Iterator[Article]:
    """Yield one :class:`Article` per page in a file, folder, dump or ``-`` (stdin).

    ``lang`` (``"de"``) is the language of every page, over what a dump's ``<siteinfo>``
    says, as ``--lang`` on the command line; an unknown code raises
    :class:`~extractor.locales.LocaleError` before any page is read.

    Every page is yielded, whatever its namespace, redirects too (an article whose
    ``redirect`` is set): this reads what it is given, one page for one article, as
    :func:`read_pages` yields them.  :func:`extract_dump`, the whole-dump job, keeps
    namespace 0 and skips redirects by default, as ``extractor dump`` does (its
    ``Options`` say otherwise).  Files of another format in a folder (images, JSON, CSV)
    are skipped and logged to ``logging.getLogger("extractor")``.
    """
    if lang is not None:
        check_language(lang)
    for page in read_pages(path):
        if dialect != "auto":
            page = attrs.evolve(page, dialect=dialect)
        if lang is not None:
            page = attrs.evolve(page, site=attrs.evolve(page.site, lang=lang))
        yield extract_page(page)


__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Author",
    "Category",
    "Citation",
    "DateFact",
    "DumpDamaged",
    "ErrorRecord",
    "ExtractorError",
    "Identifier",
    "InputError",
    "Options",
    "Page",
    "RedirectRecord",
    "RefInfo",
    "Section",
    "Site",
    "__version__",
    "compiled_modules",
    "extract",
    "extract_dump",
    "extract_file",
    "extract_page",
    "read_pages",
]
