"""Page sources: MediaWiki XML dumps (plain, bz2, gzip, xz, multistream), text files,
folders and stdin, all yielding :class:`~extractor.page.Page` lazily in constant memory."""

from __future__ import annotations

from extractor.sources.files import (
    NotWikiFile,
    iter_source_files,
    probe_source,
    read_file,
    read_pages,
    read_site,
)
from extractor.sources.multistream import (
    Range,
    index_path_for,
    multistream_ranges,
    read_range,
)

__all__ = [
    "NotWikiFile",
    "Range",
    "index_path_for",
    "iter_source_files",
    "multistream_ranges",
    "probe_source",
    "read_file",
    "read_pages",
    "read_range",
    "read_site",
]
