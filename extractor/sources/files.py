"""Read pages from any source: a dump, a text file, a folder of files, or stdin (``-``)."""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import re
import sys
from collections.abc import Callable, Collection, Iterator
from typing import Any, BinaryIO

from extractor.errors import DumpDamaged, InputError
from extractor.page import Page, Site
from extractor.sources.compressed import ReadPosition
from extractor.sources.sniff import (
    OTHER_FORMATS,
    TEXT_FORMATS,
    Compression,
    sniff_compression,
    sniff_content,
    sniff_other_format,
)
from extractor.sources.xmldump import read_dump, read_dump_site

log = logging.getLogger("extractor")

#: Bytes read up front to tell what a source holds.
HEAD_SIZE = 64 << 10

_SUFFIXES: dict[str, Compression | str] = {
    ".bz2": "bz2",
    ".gz": "gzip",
    ".xz": "xz",
    ".xml": "xml",
}
_INDEX = re.compile(r".*multistream-index\d*\.txt.*\.bz2")


class NotWikiFile(InputError):
    """The file is of another format (an image, JSON, CSV, ...: see
    :func:`~extractor.sources.sniff.sniff_other_format`): no page is in it.  In a folder
    such a file is skipped; given by name, it is unusable input."""

    def __init__(self, source: str, kind: str) -> None:
        what = OTHER_FORMATS[kind]
        if kind in TEXT_FORMATS:
            super().__init__(f"{source}: is {what}, not wikitext or a dump")
        else:
            super().__init__(f"{source}: is a binary file, not wikitext or a dump ({what})")
        self.source = source
        self.kind = kind


def open_input(path: str) -> BinaryIO:
    """Open ``path`` for reading bytes; failures raise :class:`InputError`."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror or exc})") from None


def read_head(f: BinaryIO, source: str) -> bytes:
    """The first :data:`HEAD_SIZE` bytes of ``f``; failures raise :class:`InputError`."""
    try:
        return f.read(HEAD_SIZE)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None


def _named_as(source: str) -> Compression | str | None:
    return _SUFFIXES.get(os.path.splitext(source)[1].lower())


def _dump_kind(head: bytes, source: str) -> tuple[bool, Compression | None]:
    """(is it a dump, its compression); raises :class:`InputError` for what is unreadable."""
    compression = sniff_compression(head)
    if compression is not None:
        return True, compression
    named = _named_as(source)
    if named in ("bz2", "gzip", "xz"):
        what = "empty" if not head else f"not {named} data (wrong magic bytes)"
        raise InputError(f"{source}: named like a {named} file but {what}")
    content = sniff_content(head)
    if content == "empty":
        raise InputError(f"{source}: empty file")
    other = sniff_other_format(head, source, complete=len(head) < HEAD_SIZE)
    if other == "html" or (content != "xml" and other is not None):
        raise NotWikiFile(source, other)
    if content == "xml":
        return True, None
    if named == "xml":
        raise InputError(f"{source}: not a MediaWiki XML dump (it does not start with XML)")
    if content == "binary":
        raise InputError(f"{source}: is a binary file, not wikitext or a dump")
    return False, None


def read_stream(f: BinaryIO, source: str, position: ReadPosition | None = None) -> Iterator[Page]:
    """Pages from the open binary file ``f``; ``source`` names it in pages and errors;
    ``position`` follows how far into ``f`` the pages read so far reach."""
    head = read_head(f, source)
    is_dump, compression = _dump_kind(head, source)
    if is_dump:
        yield from read_dump(f, head, source, compression, position)
        return
    try:
        raw = head + f.read()
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    # A file's name is its page's title, underscores read as spaces as MediaWiki does.
    title = None if source == "-" else os.path.splitext(os.path.basename(source))[0]
    title = title.replace("_", " ") if title else None
    yield from text_pages(raw, source, title, position)


def decode_text(raw: bytes) -> tuple[str, str, int]:
    """Text of ``raw`` (UTF-8, or UTF-16/UTF-8 with a BOM), the encoding's name, and how
    many invalid byte sequences were replaced by U+FFFD."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec, name = "utf-16", "UTF-16"
    else:
        codec, name = "utf-8-sig", "UTF-8"
    try:
        return raw.decode(codec), name, 0
    except UnicodeDecodeError:
        text = raw.decode(codec, errors="replace")
        bad = text.count("\ufffd") - raw.decode(codec, errors="ignore").count("\ufffd")
        return text, name, max(bad, 1)


def _problems(encoding: str, bad: int) -> tuple[str, ...]:
    return (f"invalid {encoding} replaced at {bad} places",) if bad else ()


def _dialect_functions() -> tuple[Callable[[str], str], Callable[[str], list[Any]]] | None:
    try:
        module = importlib.import_module("extractor.parse.dialects")
    except ModuleNotFoundError as exc:
        if exc.name in ("extractor.parse.dialects", "extractor"):
            return None
        raise
    return module.detect_dialect, module.split_flat_pages


def text_pages(
    raw: bytes, source: str, title: str | None, position: ReadPosition | None = None
) -> Iterator[Page]:
    """One page for a text file, or one per page if it is in the flat dialect;
    ``position`` is moved through ``raw`` in proportion to the text the pages cover."""
    text, encoding, bad = decode_text(raw)
    problems = _problems(encoding, bad)
    functions = _dialect_functions()
    if position is not None:
        position.bytes = len(raw)
    if functions is None:
        yield Page(text=text, title=title, source=source, problems=problems)
        return
    detect_dialect, split_flat_pages = functions
    dialect = detect_dialect(text)
    if dialect == "flat":
        flats = split_flat_pages(text)
        for flat in flats:
            part = text[flat.start : flat.end]
            if position is not None:
                position.bytes = len(raw) * flat.end // max(len(text), 1)
            yield Page(
                text=part,
                title=flat.title,
                dialect="flat",
                source=source,
                offset=flat.start,
                problems=_problems(encoding, part.count("\ufffd") if bad else 0),
            )
        if flats:
            return
    yield Page(text=text, title=title, dialect=dialect, source=source, problems=problems)


def iter_source_files(
    folder: str | os.PathLike[str],
    exclude: Collection[str] = frozenset(),
    _seen: frozenset[str] = frozenset(),
) -> Iterator[str]:
    """Files under ``folder``, sorted by name, recursively.

    Hidden files and folders are skipped, and so is a multistream index next to its dump;
    a folder linked back into its own ancestry is not entered again.  A sub-folder that
    cannot be listed and a dangling link are yielded as they are, so that reading them
    fails in their place (an error record for that entry, not the end of the run);
    sockets, FIFOs and devices inside a folder are not read.  Files and folders whose real
    path is in ``exclude`` (the run's own outputs) are left out.
    """
    path = os.fspath(folder)
    real = os.path.realpath(path)
    if real in _seen:
        return
    _seen = _seen | {real}
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{path}: cannot list folder ({exc.strerror or exc})") from None
    has_multistream = any("multistream" in e.name and not _INDEX.fullmatch(e.name) for e in entries)
    for entry in entries:
        if entry.name.startswith(".") or (exclude and os.path.join(real, entry.name) in exclude):
            continue
        if entry.is_dir():
            try:
                os.scandir(entry.path).close()
            except OSError:
                yield entry.path  # read_pages says why it cannot be listed
                continue
            yield from iter_source_files(entry.path, exclude, _seen)
        elif entry.is_file() and not (has_multistream and _INDEX.fullmatch(entry.name)):
            yield entry.path
        elif entry.is_symlink() and not os.path.exists(entry.path):
            yield entry.path  # dangling: reading it says so


def read_file(path: str, position: ReadPosition | None = None) -> Iterator[Page]:
    """Pages of one file of any kind (see :func:`read_stream` for ``position``)."""
    with open_input(path) as f:
        yield from read_stream(f, path, position)


def read_pages(
    source: str | os.PathLike[str], exclude: Collection[str] = frozenset()
) -> Iterator[Page]:
    """Pages from ``source``, lazily and in constant memory.

    ``source`` is a dump (``.xml``, ``.bz2``, ``.gz``, ``.xz``, multistream too), a text file
    (one page, or many in the flat dialect), a folder (its files, see
    :func:`iter_source_files`) or ``"-"`` for stdin.  Formats are told by their bytes.
    Damage part-way raises :class:`~extractor.errors.DumpDamaged` after the pages before
    it; unreadable input raises :class:`~extractor.errors.InputError`.  A file of another
    format (:class:`NotWikiFile`: an image, JSON, CSV, ...) is skipped in a folder (and
    logged), unusable input when given itself.  ``exclude`` is passed on to
    :func:`iter_source_files` for folders.
    """
    path = os.fspath(source)
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InputError("-: no standard input to read")
        yield from read_stream(stdin, "-")
    elif os.path.isdir(path):
        for file in iter_source_files(path, exclude):
            try:
                yield from read_pages(file)
            except NotWikiFile as exc:
                log.info("skipped %s", exc)
    else:
        yield from read_file(path)


def probe_source(path: str | os.PathLike[str]) -> None:
    """Raise :class:`InputError` if the file ``path`` is unusable from its first bytes on.

    Missing, empty, binary, compressed data that is no dump, XML that is not a MediaWiki
    export or has a DOCTYPE: what would stop :func:`read_pages` before its first page.
    Damage further into a dump is left for the reader to meet in its place.
    """
    name = os.fspath(path)
    with open_input(name) as f:
        head = read_head(f, name)
        is_dump, compression = _dump_kind(head, name)
        if is_dump:
            with contextlib.suppress(DumpDamaged):  # met again, in its place, by the reader
                read_dump_site(f, head, name, compression)


def read_site(path: str | os.PathLike[str]) -> Site:
    """The :class:`Site` described by a dump's ``<siteinfo>`` (reads only the start)."""
    name = os.fspath(path)
    with open_input(name) as f:
        head = read_head(f, name)
        is_dump, compression = _dump_kind(head, name)
        if not is_dump:
            raise InputError(f"{name}: not a MediaWiki XML dump")
        return read_dump_site(f, head, name, compression)
