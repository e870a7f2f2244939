"""Tell what a byte stream holds from its first bytes (magic numbers, BOMs, XML prologue)."""

from __future__ import annotations

import csv
import json
import re
from typing import Literal

Compression = Literal["bz2", "gzip", "xz"]
Content = Literal["empty", "xml", "text", "binary"]

#: How many leading bytes :func:`sniff_content` looks at for NUL bytes.
BINARY_PROBE = 8192

_BZ2_BLOCK_MAGICS = (b"1AY&SY", b"\x17rE8P\x90")  # first block / empty stream's end marker
_XML_STARTS = ("<?xml", "<mediawiki", "<!doctype")
_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_WS = " \t\r\n"


def sniff_compression(head: bytes) -> Compression | None:
    """The compression format announced by ``head``'s magic bytes, if any."""
    if head[:3] == b"BZh" and len(head) >= 4 and head[3] in b"123456789":
        # A stream cut before its first block's magic still counts: it is a truncated bz2.
        if len(head) < 10 or head[4:10] in _BZ2_BLOCK_MAGICS:
            return "bz2"
    elif head[:3] == b"\x1f\x8b\x08":
        return "gzip"
    elif head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    return None


def xml_codec(head: bytes) -> tuple[str, int]:
    """Codec to read an XML prologue with, and the length of the BOM to skip."""
    if head[:2] == b"\xff\xfe":
        return "utf-16-le", 2
    if head[:2] == b"\xfe\xff":
        return "utf-16-be", 2
    if head[:3] == b"\xef\xbb\xbf":
        return "utf-8", 3
    if head[:2] == b"<\x00":
        return "utf-16-le", 0
    if head[:2] == b"\x00<":
        return "utf-16-be", 0
    # ASCII-compatible: markup is ASCII, so latin-1 finds it whatever the real encoding is.
    return "latin-1", 0


def _decode_head(head: bytes) -> str:
    codec, bom = xml_codec(head)
    body = head[bom:]
    if codec.startswith("utf-16"):
        body = body[: len(body) // 2 * 2]
    return body.decode(codec, errors="replace")


def _skip_comments(text: str) -> str:
    """``text`` without leading whitespace and ``<!-- -->`` comments."""
    text = text.lstrip(_WS)
    while text.startswith("<!--"):
        end = text.find("-->", 4)
        if end < 0:
            return text
        text = text[end + 3 :].lstrip(_WS)
    return text


def sniff_content(head: bytes) -> Content:
    """Whether uncompressed bytes look like XML, text or binary data."""
    if not head:
        return "empty"
    text = _skip_comments(_decode_head(head))
    if text[:10].lower().startswith(_XML_STARTS):
        return "xml"
    codec, _ = xml_codec(head)
    if not codec.startswith("utf-16") and b"\x00" in head[:BINARY_PROBE]:
        return "binary"
    return "text"


class PrologueError(ValueError):
    """The bytes before the root element are not acceptable for a dump."""


def root_element(head: bytes, final: bool) -> str | None:
    """Name of the root element, once ``head`` reaches it; ``None`` if more bytes are needed.

    Refuses (:class:`PrologueError`) a DOCTYPE declaration — dumps never have one, and it
    is where entity bombs and external entities live — and anything that is not XML.
    ``final`` says that ``head`` is the whole document.
    """
    text = _decode_head(head).lstrip(_WS)
    pos = 0
    while True:
        if len(text) - pos < 10 and not final:
            return None
        if pos >= len(text):
            raise PrologueError("has no XML root element")
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                break
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                break
            pos = end + 3
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            raise PrologueError(
                "has a DOCTYPE declaration; refused (dumps have none, and entity "
                "declarations can expand without bound or read local files)"
            )
        elif text.startswith("<", pos) and (match := _NAME.match(text, pos + 1)):
            if match.end() == len(text) and not final:
                return None
            return match.group()
        else:
            raise PrologueError("is not a MediaWiki XML dump (no XML markup where it starts)")
        while pos < len(text) and text[pos] in _WS:
            pos += 1
    if final:
        raise PrologueError("ends inside its XML prologue")
    return None


def sniff_json_object(head: bytes) -> bool:
    """Whether uncompressed ``head`` opens a JSON object with a key (``{"``), as every file
    we write does (records, errors, journal, stats) and no wikitext, corpus file or XML."""
    head = head.lstrip(_WS.encode())
    return head[:1] == b"{" and head[1:].lstrip(_WS.encode())[:1] in (b'"', b"}")


#: Formats that are neither wikitext nor a dump, by the key that counts them
#: (``skipped: {"file:png": 1}``), with the words that name them in messages.
OTHER_FORMATS = {
    "png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image",
    "webp": "a WebP image", "tiff": "a TIFF image", "riff": "a RIFF file (WAV, AVI)",
    "pdf": "a PDF document", "zip": "a ZIP archive (or a document in one: docx, odt, epub)",
    "7z": "a 7z archive", "rar": "a RAR archive", "zstd": "zstd-compressed data",
    "tar": "a tar archive", "sqlite": "an SQLite database", "parquet": "a Parquet file",
    "elf": "an ELF executable", "mp3": "an MP3 file", "ogg": "an Ogg file",
    "flac": "a FLAC file", "mp4": "an MP4 or QuickTime file", "html": "an HTML page",
    "json": "a JSON file", "csv": "a CSV file", "tsv": "a TSV file",
}  # fmt: skip
#: Those of them that are text.
TEXT_FORMATS = frozenset({"html", "json", "csv", "tsv"})
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "png"), (0, b"\xff\xd8\xff", "jpeg"), (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"), (8, b"WEBP", "webp"), (0, b"RIFF", "riff"), (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"), (0, b"%PDF-", "pdf"), (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"), (0, b"7z\xbc\xaf\x27\x1c", "7z"), (0, b"Rar!\x1a\x07", "rar"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"), (257, b"ustar", "tar"),
    (0, b"SQLite format 3\x00", "sqlite"), (0, b"PAR1", "parquet"), (0, b"\x7fELF", "elf"),
    (0, b"ID3", "mp3"), (0, b"OggS", "ogg"), (0, b"fLaC", "flac"), (4, b"ftyp", "mp4"),
)  # fmt: skip
#: Wiki markup: a file with any of it in its first bytes is never taken for CSV.
_MARKUP = re.compile(rb"\[\[|\{\{|\[tpl\]|<ref|''|^=+[^=\n]+=+[ \t]*$", re.MULTILINE)
#: Lines looked at to tell CSV; a CSV file has at least this many fields on each.
_CSV_LINES = 20
_CSV_FIELDS = 3


def sniff_other_format(head: bytes, name: str, complete: bool) -> str | None:
    """The key (in :data:`OTHER_FORMATS`) of the format ``head`` shows that is neither
    wikitext nor a dump, or None.

    Told by magic bytes (images, PDF, archives, databases, media); HTML by a leading
    ``<!DOCTYPE html`` or ``<html``; JSON by an object's ``{"`` or ``{}``, or an array
    that parses (``complete``: ``head`` is the whole file) or opens ``[{`` or ``["``;
    CSV or TSV by at least three lines (one when ``name`` ends in ``.csv``/``.tsv``) all
    split by commas, tabs or semicolons into the same number of fields, at least three
    (two for such a name), with no wiki markup (``[[``, ``{{``, ``''``, a heading, a ref).
    """
    for offset, magic, key in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return key
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip(_WS.encode())
    start = _skip_comments(body[:256].decode("latin-1")).lower()
    if start.startswith(("<!doctype html", "<html")):
        return "html"
    if sniff_json_object(body):
        return "json"
    if body[:1] == b"[":
        if complete:
            try:
                json.loads(body.decode("utf-8"))
            except ValueError:
                return None
            return "json"
        if body[1:].lstrip(_WS.encode())[:1] in (b"{", b'"'):
            return "json"
        return None
    return _delimited(body, name, complete)


def _delimited(body: bytes, name: str, complete: bool) -> str | None:
    """``csv`` or ``tsv`` when the first lines of ``body`` are a table (see
    :func:`sniff_other_format`)."""
    if b"\x00" in body[:BINARY_PROBE] or _MARKUP.search(body):
        return None
    lines = body.decode("utf-8", "replace").splitlines()
    if not complete:
        lines = lines[:-1]  # it may be cut short
    lines = [line for line in lines if line.strip()][:_CSV_LINES]
    named = name.lower().endswith((".csv", ".tsv"))
    if len(lines) < (1 if named else 3):
        return None
    for delimiter, key in ((",", "csv"), ("\t", "tsv"), (";", "csv")):
        try:
            widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() >= (2 if named else _CSV_FIELDS):
            return key
    return None
