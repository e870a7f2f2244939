"""Byte layer: read a file in chunks and decompress bz2 / gzip / xz streams as they come.

Damage is reported as :class:`StreamDamage` with the compressed byte offset; the XML layer
adds the file name and the last good page.  bz2 output is CRC-checked block by block by
libbz2 before :meth:`bz2.BZ2Decompressor.decompress` returns it, so corrupt data never
reaches the parser (``indexed_bzip2`` hands out unverified data before noticing).
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol

from extractor.sources.sniff import Compression

#: Bytes read from a file at a time.
READ_CHUNK = 1 << 20
#: Compressed bytes handed to the decompressor at a time.  Small for bz2: a block's output
#: is lost if the next block's damage is found in the same call, so this bounds that window.
PIECE = {"bz2": 8 << 10, "gzip": 64 << 10, "xz": 64 << 10}
#: Decompressed bytes handed on at a time, at most.
OUTPUT_PIECE = 1 << 20

_ERRORS = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError)


class ReadPosition:
    """How many bytes of a file its reader has consumed so far (of a compressed file, the
    compressed bytes), updated as pages are read: for progress."""

    def __init__(self) -> None:
        self.bytes = 0

    def counted(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """``chunks``, counting their bytes as they are taken."""
        for chunk in chunks:
            self.bytes += len(chunk)
            yield chunk


class StreamDamage(Exception):
    """The byte stream is damaged; the message says what and at which byte."""


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, /, max_length: int = -1) -> bytes: ...


def _decompressor(kind: Compression) -> _Decompressor:
    if kind == "bz2":
        return bz2.BZ2Decompressor()
    if kind == "gzip":
        return zlib.decompressobj(wbits=31)
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ)


def raw_chunks(
    f: BinaryIO, head: bytes = b"", offset: int = 0, limit: int | None = None
) -> Iterator[bytes]:
    """``head`` then the rest of ``f``, at most ``limit`` bytes in all; read errors raise
    :class:`StreamDamage` (``offset`` is where ``head`` starts in the file)."""
    left = -1 if limit is None else limit
    if head:
        if left >= 0:
            head = head[:left]
            left -= len(head)
        offset += len(head)
        yield head
    while left != 0:
        try:
            chunk = f.read(READ_CHUNK if left < 0 else min(left, READ_CHUNK))
        except OSError as exc:
            raise StreamDamage(f"read error at byte {offset} ({exc.strerror or exc})") from None
        if not chunk:
            return
        if left > 0:
            left -= len(chunk)
        offset += len(chunk)
        yield chunk


def _drain(dec: _Decompressor, data: bytes, zlib_like: bool) -> Iterator[bytes]:
    """Everything ``dec`` makes of ``data``, in pieces of at most :data:`OUTPUT_PIECE`."""
    out = dec.decompress(data, OUTPUT_PIECE)
    while True:
        if out:
            yield out
        if dec.eof:
            return
        if zlib_like:  # zlib keeps the input it did not use in unconsumed_tail
            tail: bytes = getattr(dec, "unconsumed_tail", b"")
            if not tail and len(out) < OUTPUT_PIECE:
                return
            out = dec.decompress(tail, OUTPUT_PIECE)
        else:  # bz2 and lzma keep it inside, and say whether they need more
            if getattr(dec, "needs_input", True):
                return
            out = dec.decompress(b"", OUTPUT_PIECE)


class Decompressing:
    """Iterate over the decompressed bytes of concatenated ``kind`` streams.

    ``offset`` is the absolute compressed offset of the next byte to consume; NUL padding
    between or after streams is skipped.
    """

    def __init__(self, raw: Iterable[bytes], kind: Compression, offset: int = 0) -> None:
        self.raw = raw
        self.kind: Compression = kind
        self.offset = offset
        self.streams = 0

    def __iter__(self) -> Iterator[bytes]:
        kind, piece = self.kind, PIECE[self.kind]
        dec: _Decompressor | None = None
        stream_start = self.offset
        for chunk in self.raw:
            view, pos, base = memoryview(chunk), 0, self.offset
            while pos < len(view):
                if dec is None:
                    while pos < len(view) and view[pos] == 0:
                        pos += 1
                    self.offset = base + pos
                    if pos == len(view):
                        break
                    dec, stream_start = _decompressor(kind), self.offset
                    self.streams += 1
                data = bytes(view[pos : pos + piece])
                try:
                    # Output comes in pieces of at most OUTPUT_PIECE: a few compressed
                    # bytes can stand for gigabytes, which must never be one string.
                    yield from _drain(dec, data, kind == "gzip")
                except _ERRORS as exc:
                    raise StreamDamage(self._describe(exc, stream_start, len(data))) from None
                pos += len(data) - len(dec.unused_data) if dec.eof else len(data)
                self.offset = base + pos
                if dec.eof:
                    dec = None
        if dec is not None:
            raise StreamDamage(
                f"{kind} stream truncated: the data ends at byte {self.offset}, "
                "before the stream's end marker"
            )
        if self.streams == 0:
            raise StreamDamage(f"no {kind} data at byte {self.offset}")

    def _describe(self, exc: BaseException, stream_start: int, size: int) -> str:
        if self.offset == stream_start and self.streams > 1:
            return (
                f"bytes after the end of the {self.kind} stream at byte {self.offset} "
                f"are not {self.kind} data ({exc})"
            )
        end = self.offset + size
        return f"{self.kind} data corrupt, detected at compressed bytes {self.offset}-{end} ({exc})"
