"""Where citation commands get records: a records JSONL file, or any source ``dump`` reads.

A records file (``extractor extract --jsonl`` / ``extractor dump`` output, plain or gzip) is
read line by line.  Anything else (XML dumps, wiki files, folders) is extracted on the fly by
:func:`extractor.extract_dump` on every core.  Either way records stream through as plain
dicts, so memory stays flat however large the input.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

from extractor.errors import InputError
from extractor.records import to_plain
from extractor.runner import extract_dump
from extractor.sources.sniff import sniff_compression

#: Bytes looked at to tell a records file from other sources.
_PROBE = 1 << 16
_BLANK = b" \t\r\n"


def read_records(sources: Iterable[str], *, jobs: int | None = None) -> Iterator[dict[str, Any]]:
    """Plain record dicts of every source in order: articles, and any redirect or error
    records a records file holds (error records of on-the-fly extraction included)."""
    for source in sources:
        if is_records_file(source):
            yield from _read_jsonl(source)
        else:
            for record in extract_dump(source, jobs=jobs):
                yield to_plain(record)


def is_records_file(source: str) -> bool:
    """Whether ``source`` is JSONL records: after gunzipping, its first non-blank bytes
    open a JSON object (``{"``), which no wikitext, flat corpus text or XML does."""
    if source != "-" and os.path.isdir(source):
        return False
    head = _head(source)
    if sniff_compression(head) == "gzip":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, _PROBE)
        except zlib.error:
            return False
    head = head.lstrip(_BLANK)
    return head[:1] == b"{" and head[1:].lstrip(_BLANK)[:1] in (b'"', b"}")


def _head(source: str) -> bytes:
    """The first bytes of ``source`` without consuming them (stdin is peeked)."""
    if source == "-":
        return _peek(sys.stdin.buffer, _PROBE)
    try:
        with open(source, "rb") as f:
            return f.read(_PROBE)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except OSError as exc:
        raise InputError(f"{source}: {exc.strerror or exc}") from None


def _read_jsonl(source: str) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file (gzip or plain, ``-`` for stdin), one per non-blank line."""
    with _open(source) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"{source}:{number}: not a JSON record ({exc})") from None
            if not isinstance(record, dict):
                raise InputError(f"{source}:{number}: not a JSON object")
            yield record


def _open(source: str) -> IO[bytes] | gzip.GzipFile:
    raw: IO[bytes] = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    if sniff_compression(_peek(raw, 16)) == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


def _peek(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` leading bytes of ``stream``, left unread (peeked, or read and sought
    back for seekable streams without ``peek``, such as a test's ``BytesIO``)."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    if stream.seekable():
        position = stream.tell()
        head = stream.read(size)
        stream.seek(position)
        return head
    return b""
