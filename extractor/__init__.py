"""extractor: MediaWiki pages in, JSON records of their facts out.

The flow, one stage per module, data moving one way:

1. source   :mod:`extractor.sources` reads pages from files, folders, dumps, stdin -> Page
2. parse    :mod:`extractor.parse` (flat dialect rewritten by :mod:`extractor.dialects`,
            with an offset map back to the input) -> Document of located nodes
3. extract  :mod:`extractor.facts`: sections, categories, citations, dates -> facts
4. record   :mod:`extractor.records`: attrs classes and their deterministic JSON
5. sink     :mod:`extractor.sinks` writes JSONL (resumable), the CLI JSON

:mod:`extractor.article` runs stages 2-4 for one page; :mod:`extractor.batch` runs them over
many pages on a process pool (:mod:`extractor.dask_engine` on Dask), and
:mod:`extractor.runner` drives a whole dump job.
"""

from __future__ import annotations

from collections.abc import Iterator
from os import PathLike

import attrs

from extractor.article import extract, extract_page
from extractor.batch import Options
from extractor.errors import DumpDamaged, ExtractorError, InputError
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
from extractor.runner import extract_dump
from extractor.sources import read_pages


def extract_file(path: str | PathLike[str], *, dialect: str = "auto") -> Iterator[Article]:
    """Yield one :class:`Article` per page in a file, folder, dump or ``-`` (stdin)."""
    for page in read_pages(path):
        if dialect != "auto":
            page = attrs.evolve(page, dialect=dialect)
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
    "extract",
    "extract_dump",
    "extract_file",
    "extract_page",
    "read_pages",
]
