"""Multistream ``.xml.bz2`` dumps: split into byte ranges of whole bz2 streams, read one.

A multistream dump is a header stream (``<mediawiki><siteinfo>…``), streams of ~100
``<page>`` elements each, and a closing stream (``</mediawiki>``).  Its index lists
``offset:page_id:title`` with the byte offset of each page's stream.  bz2 streams are
independent, so a worker process can decompress and parse its own :class:`Range` alone
with :func:`read_range`, given the :class:`~extractor.page.Site` read once up front.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterator
from itertools import chain
from typing import BinaryIO

import attrs

from extractor.errors import InputError
from extractor.page import Page, Site
from extractor.sources.compressed import Decompressing, StreamDamage, raw_chunks
from extractor.sources.files import open_input, read_head
from extractor.sources.sniff import sniff_compression
from extractor.sources.xmldump import DumpParser, one_line, parse_pages

#: Default compressed size of one range.
TARGET_BYTES = 8 << 20
#: Offsets of the index checked against the dump besides the ranges' starts (which are
#: all checked): enough to tell another dump's index, or one shifted, at a few reads.
SAMPLED_OFFSETS = 64

_DUMP_NAME = re.compile(r"(.*multistream)(\d*)\.xml(-p\d+p\d+)?\.bz2")
_INDEX_LINE = re.compile(rb"^(\d+):\d+:", re.MULTILINE)
_BAD_LINE = re.compile(rb"^(?!\d+:\d+:)[^\n]+", re.MULTILINE)


@attrs.frozen
class Range:
    """Bytes ``[start, end)`` of the multistream dump at ``path``: whole bz2 streams."""

    path: str
    start: int
    end: int

    @property
    def size(self) -> int:
        """Compressed size in bytes."""
        return self.end - self.start


def index_path_for(path: str | os.PathLike[str]) -> str:
    """The index beside a dump: ``X-multistream.xml.bz2`` -> ``X-multistream-index.txt.bz2``
    (also ``X-multistream1.xml-p1p41242.bz2`` -> ``X-multistream-index1.txt-p1p41242.bz2``)."""
    folder, name = os.path.split(os.fspath(path))
    match = _DUMP_NAME.fullmatch(name)
    if not match:
        raise InputError(f"{os.fspath(path)}: not named like a multistream dump; give the index")
    return os.path.join(folder, f"{match[1]}-index{match[2]}.txt{match[3] or ''}.bz2")


def read_index_offsets(index_path: str) -> list[int]:
    """Sorted distinct stream offsets listed in a (bz2 or plain) multistream index."""
    offsets: set[int] = set()
    with open_input(index_path) as f:
        head = read_head(f, index_path)
        chunks = raw_chunks(f, head)
        compression = sniff_compression(head)
        data = chunks if compression is None else Decompressing(chunks, compression)
        rest = b""
        try:
            for chunk in chain(data, [b"\n"]):
                block, _, rest = (rest + chunk).rpartition(b"\n")
                bad = _BAD_LINE.search(block)
                if bad:
                    line = one_line(bad.group().decode("utf-8", "replace"))[:60]
                    raise InputError(
                        f"{index_path}: not a multistream index: line {line!r} "
                        "is not 'offset:page_id:title'"
                    )
                offsets.update(map(int, set(_INDEX_LINE.findall(block))))
        except StreamDamage as exc:
            raise InputError(one_line(f"{index_path}: damaged index: {exc}")) from None
    return sorted(offsets)


def _check_stream_start(f: BinaryIO, path: str, offset: int) -> None:
    try:
        f.seek(offset)
        head = f.read(10)
    except OSError as exc:
        raise InputError(f"{path}: cannot read at byte {offset} ({exc.strerror or exc})") from None
    if sniff_compression(head) != "bz2":
        raise InputError(f"{path}: index does not match the dump: no bz2 stream at byte {offset}")


def multistream_ranges(
    path: str | os.PathLike[str],
    index_path: str | os.PathLike[str] | None = None,
    target_bytes: int = TARGET_BYTES,
    warn: Callable[[str], None] | None = None,
) -> list[Range]:
    """Split a multistream dump into ranges of whole streams of about ``target_bytes``.

    The ranges cover the file from byte 0 to its end without gaps or overlaps; the first
    one holds the header stream and the last one the closing stream.  Every range starts
    where the dump has a bz2 stream, and so do :data:`SAMPLED_OFFSETS` offsets spread over
    the index, or :class:`InputError` says that the index does not match the dump (or is
    unreadable, or lists nothing).  Offsets past the end of the file
    (a truncated dump) are left out, said through ``warn``: the last range then meets the
    truncation as damage, after the pages before it.
    """
    name = os.fspath(path)
    index = os.fspath(index_path) if index_path is not None else index_path_for(name)
    with open_input(name) as f:
        size = os.fstat(f.fileno()).st_size
        offsets = read_index_offsets(index)
        if not offsets:
            raise InputError(f"{index}: the index lists no streams")
        inside = bisect.bisect_left(offsets, size)
        if inside < len(offsets) and warn is not None:
            warn(
                f"{index}: lists {len(offsets) - inside} stream(s) past the end of {name} "
                f"({size} bytes): the dump is truncated, or the index is another's"
            )
        ranges, start = [], 0
        for offset in offsets[:inside]:
            if offset - start >= target_bytes:
                ranges.append(Range(name, start, offset))
                start = offset
        ranges.append(Range(name, start, size))
        listed = offsets[:inside]
        sample = listed[:: max(1, len(listed) // SAMPLED_OFFSETS)]
        for offset in sorted({r.start for r in ranges} | set(sample)):
            _check_stream_start(f, name, offset)
    return ranges


def read_range(r: Range, site: Site) -> Iterator[Page]:
    """Pages in the streams of ``r``, decompressing that byte range alone.

    ``site`` is the dump's :class:`Site` (see :func:`~extractor.sources.read_site`).
    """
    with open_input(r.path) as f:
        size = os.fstat(f.fileno()).st_size
        if not 0 <= r.start < r.end <= size:
            raise InputError(
                f"{r.path}: range {r.start}-{r.end} is outside the file ({size} bytes)"
            )
        _check_stream_start(f, r.path, r.start)
        f.seek(r.start)
        stream = Decompressing(raw_chunks(f, offset=r.start, limit=r.size), "bz2", r.start)
        opening = [b"<mediawiki>"] if r.start > 0 else []
        closing = [b"</mediawiki>"] if r.end < size else []
        label = f"{r.path} (range {r.start}-{r.end})"
        parser = DumpParser(r.path, site, prologue=r.start == 0, label=label)
        yield from parse_pages(
            chain(opening, stream, closing),
            parser,
            what="bz2-compressed data ",
            where=lambda: f"near compressed byte {stream.offset}",
        )
