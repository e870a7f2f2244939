"""Tell what a byte stream holds from its first bytes (magic numbers, BOMs, XML prologue)."""

from __future__ import annotations

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
