"""Where citation commands get records: a records JSONL file, or any source ``dump`` reads.

A records file (``extractor extract --jsonl`` / ``extractor dump`` output, plain or gzip) is
read line by line.  Anything else (XML dumps, wiki files, folders) is extracted on the fly by
:func:`extractor.extract_dump` on every core.  Either way records stream through as plain
dicts, so memory stays flat however large the input.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO, NoReturn

import orjson

from extractor.errors import DumpDamaged, InputError
from extractor.records import ErrorRecord, to_plain
from extractor.run.runner import PROGRESS_INTERVAL, extract_dump
from extractor.sources.compressed import Decompressing, StreamDamage, raw_chunks
from extractor.sources.sniff import sniff_compression, sniff_json_object

#: Bytes looked at to tell a records file from other sources.
_PROBE = 1 << 16
#: Compressed bytes gunzipped at a time.
_PIECE = 8 << 10


def read_records(
    sources: Iterable[str],
    *,
    jobs: int | None = None,
    progress: bool = False,
    progress_interval: float = PROGRESS_INTERVAL,
) -> Iterator[dict[str, Any]]:
    """Plain record dicts of every source in order: articles, and any redirect or error
    records (error records of single pages of on-the-fly extraction included).  A source
    extracted on the fly shows its progress on stderr when ``progress`` is set, as
    ``extractor dump`` does.

    A source that cannot be read at all raises :class:`InputError`, as does a line of a
    records file that is not a JSON object (naming the file and line); a gzip records file
    that is cut or corrupt, or a read error, raises :class:`DumpDamaged` after the records
    before the damage.  Records are yielded as they are: rows check their fields
    (:func:`extractor.cites.rows.record_rows`).
    """
    for source in sources:
        if _is_pipe(source):
            yield from _read_pipe(source, jobs, progress, progress_interval)
        elif is_records_file(source):
            yield from _read_jsonl(source)
        else:
            yield from _extracted(source, jobs, progress, progress_interval)


def _extracted(
    source: str, jobs: int | None, progress: bool, interval: float
) -> Iterator[dict[str, Any]]:
    for record in extract_dump(source, jobs=jobs, progress=progress, progress_interval=interval):
        if isinstance(record, ErrorRecord) and record.title is None and record.page_id is None:
            raise InputError(record.reason)  # the source (or a range of it), not a page
        yield to_plain(record)


def _is_pipe(source: str) -> bool:
    """Whether ``source`` names a pipe or FIFO (``<(...)``), whose bytes can be read once."""
    if source == "-" or not os.path.exists(source):
        return False
    return not (os.path.isfile(source) or os.path.isdir(source))


def _read_pipe(
    source: str, jobs: int | None, progress: bool, interval: float
) -> Iterator[dict[str, Any]]:
    """Records of a pipe, read once: records are read as they come; anything else is
    first copied to a temporary file, which the dump reader can then open by name."""
    try:
        stream = open(source, "rb", buffering=_PROBE)  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{source}: {exc.strerror or exc}") from None
    with stream:
        if _is_records_head(_peek(stream, _PROBE)):
            yield from _read_jsonl(source, stream)
            return
        with tempfile.TemporaryDirectory(prefix="extractor-") as folder:
            copy = os.path.join(folder, os.path.basename(source) or "pipe")
            with open(copy, "wb") as f:
                shutil.copyfileobj(stream, f)
            yield from _extracted(copy, jobs, progress, interval)


def is_records_file(source: str) -> bool:
    """Whether ``source`` is JSONL records: after gunzipping, its first non-blank bytes
    open a JSON object (``{"``), which no wikitext, flat corpus text or XML does."""
    if source != "-" and os.path.isdir(source):
        return False
    return _is_records_head(_head(source))


def _is_records_head(head: bytes) -> bool:
    if sniff_compression(head) == "gzip":
        head = _gunzip_head(head)
    return sniff_json_object(head)


def _gunzip_head(head: bytes) -> bytes:
    """What ``head`` gunzips to, up to where it is cut or damaged (so that a records file
    damaged early is still told apart, and read up to its damage)."""
    decompressor, out = zlib.decompressobj(wbits=31), b""
    for start in range(0, len(head), 1024):
        try:
            out += decompressor.decompress(head[start : start + 1024], _PROBE)
        except zlib.error:
            break
        if len(out) >= _PROBE or decompressor.eof:
            break
    return out


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


def _read_jsonl(source: str, stream: BinaryIO | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file (gzip or plain, ``-`` for stdin), one per non-blank line.

    gzip checks its data only at the end of a stream, so corrupt data can show first as a
    line that is not JSON: before such a line is blamed, the rest of a gzip stream is read,
    and damage found there is reported instead.
    """
    gzipped, lines = _lines(source, stream)
    read = 0  # lines read and used
    try:
        for number, line in enumerate(lines, 1):
            if line.strip():
                record, problem = _record(line)
                if problem is not None:
                    if gzipped:
                        for _ in lines:  # damage further on raises StreamDamage
                            pass
                    raise InputError(f"{source}:{number}: {problem}")
                yield record
            read = number
    except StreamDamage as exc:
        lines_read = "1 line" if read == 1 else f"{read} lines"
        raise DumpDamaged(f"{source}: {exc}; {lines_read} read before it") from None


def _record(line: bytes) -> tuple[dict[str, Any], str | None]:
    """The record of a line, or what is wrong with the line."""
    try:
        value = _parse(line)
    except ValueError as exc:
        return {}, f"not a JSON record ({exc})"
    if not isinstance(value, dict):
        return {}, "not a JSON object"
    return value, None


def _parse(line: bytes) -> Any:
    """The JSON value of a line.  What orjson refuses but JSON allows (a lone surrogate
    escape such as ``"\\ud800"``, which Python's ``json.dumps`` writes for undecodable file
    names) is read by the standard library; an error is orjson's."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        try:
            return json.loads(line.decode("utf-8"), parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise exc from None


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _lines(source: str, stream: BinaryIO | None) -> tuple[bool, Iterator[bytes]]:
    """Whether ``source`` (read from ``stream`` when given) is gzip, and its lines
    (gunzipped); damage raises StreamDamage."""
    raw = stream or (sys.stdin.buffer if source == "-" else open(source, "rb"))  # noqa: SIM115
    gzipped = sniff_compression(_peek(raw, 16)) == "gzip"
    chunks: Iterable[bytes] = raw_chunks(raw)
    if gzipped:  # in small pieces: damage loses the output of the piece it is in
        chunks = Decompressing(_pieces(chunks, _PIECE), "gzip")
    return gzipped, _split(chunks, raw)


def _split(chunks: Iterable[bytes], raw: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``chunks``; ``raw`` is closed at the end (unless it is stdin)."""
    try:
        pending: list[bytes] = []  # the start of a line that goes on in the next chunk
        for chunk in chunks:
            *lines, tail = chunk.split(b"\n")
            if lines:
                lines[0] = b"".join((*pending, lines[0]))
                pending.clear()
                yield from lines
            pending.append(tail)
        yield b"".join(pending)
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _pieces(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    for chunk in chunks:
        for start in range(0, len(chunk), size):
            yield chunk[start : start + size]


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
