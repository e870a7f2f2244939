"""MediaWiki XML export reader (schema 0.3-0.11, any language, UTF-8 or UTF-16).

Parsing uses lxml's incremental :class:`~lxml.etree.XMLPullParser` with entity
resolution, DTD loading and network access off; a DOCTYPE is refused before the parser
ever sees it (:func:`~extractor.sources.sniff.root_element`).  Finished ``<page>``
elements are turned into :class:`~extractor.page.Page` objects and dropped from the tree,
earlier ``<revision>`` elements of a history dump as soon as the next one ends, so memory
stays flat whatever the dump's size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from lxml import etree

from extractor.errors import DumpDamaged, InputError
from extractor.page import Page, Site
from extractor.sources.compressed import Decompressing, ReadPosition, StreamDamage, raw_chunks
from extractor.sources.siteinfo import local_name, namespace_of, site_from_siteinfo
from extractor.sources.sniff import Compression, PrologueError, root_element

#: Bytes held back at most while looking for the root element.
PROLOGUE_LIMIT = 1 << 20

_TAGS = ("{*}siteinfo", "{*}page", "{*}revision")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_REDIRECT = re.compile(r"\s*#[^\s\[:]+\s*:?\s*\[\[\s*([^\]|#\n]+)")


def one_line(text: str) -> str:
    """``text`` with whitespace runs (newlines included) collapsed to one space."""
    return " ".join(text.split())


#: Ids and namespace numbers are 64-bit in MediaWiki (and in every JSON reader we serve).
_INT_RANGE = range(-(1 << 63), 1 << 63)


def _int(text: str | None) -> int | None:
    """The integer in ``text``; None when it is missing, not a number or beyond 64 bits."""
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if value in _INT_RANGE else None


def _new_parser() -> Any:
    return etree.XMLPullParser(
        events=("end",),
        tag=_TAGS,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


#: XML bytes that one revision, a page's other content, or the space between two pages may
#: take before it is skipped (a page then becomes an error record).  MediaWiki stores at most
#: 2 MiB of text per revision, a few times that once escaped as XML: this bounds what the
#: reading process holds, whatever a hostile dump holds.
MAX_ELEMENT_BYTES = 64 << 20
#: The element put in place of a skipped one, for :meth:`DumpParser._page` to find.
OVERSIZE = "extractor-oversize"

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
#: Where the reader may cut the byte stream: after a closing ``</page>``, ``</revision>``
#: or ``</siteinfo>``, before an opening ``<page>`` or ``<revision>``.
_STRUCTURE = re.compile(
    rb"</" + _PREFIX + rb"(page|revision|siteinfo)\s*>|<" + _PREFIX + rb"(page|revision)(?=[\s/>])"
)
_CLOSING = {
    "revision": re.compile(rb"</" + _PREFIX + rb"revision\s*>"),
    "page": re.compile(rb"</" + _PREFIX + rb"page\s*>"),
}
_HEADER_FIELD = re.compile(rb"<" + _PREFIX + rb"(title|ns|id)>[^<]{0,4096}</" + _PREFIX + rb"\1>")
#: Bytes kept from one piece to the next so that a tag cut in two is still found.
_OVERLAP = 64


class _Bounded:
    """Pass dump bytes on in pieces that end at a structural tag, so that at most
    :data:`MAX_ELEMENT_BYTES` of one revision, of a page's other content, or of the space
    between pages is ever held back; past that, the element is skipped and a small
    ``<extractor-oversize>`` element stands in its place (whitespace between elements,
    which means nothing, is dropped instead; anything else outside a page is damage)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pending = bytearray()
        self.searched = 0
        self.context = "outside"  # what ``pending`` is part of: outside, page or revision
        self.skipping: str | None = None
        self.skipped = 0
        self.tail = b""

    def feed(self, data: bytes) -> bytes:
        """The bytes that can be parsed now."""
        out: list[bytes] = []
        while data:
            if self.skipping is not None:
                data = self._skip(data, out)
                continue
            self.pending += data
            data = b""
            cut = 0
            for match in _STRUCTURE.finditer(self.pending, max(0, self.searched - _OVERLAP)):
                closed, opened = match.group(1), match.group(2)
                if closed:
                    cut, self.context = match.end(), "page" if closed == b"revision" else "outside"
                else:
                    cut, self.context = match.start(), opened.decode()
            if cut:
                out.append(bytes(self.pending[:cut]))
                del self.pending[:cut]
            self.searched = len(self.pending)
            if len(self.pending) > self.limit:
                self._overflow(out)
        return b"".join(out)

    def close(self) -> bytes:
        """What is left at the end of the data."""
        rest, self.pending = bytes(self.pending), bytearray()
        return rest

    def _overflow(self, out: list[bytes]) -> None:
        pending = self.pending
        if self.context != "revision" and pending.isspace():
            pending.clear()  # whitespace between elements: nothing is lost
        elif self.context == "outside":
            raise StreamDamage(
                f"more than {self.limit >> 20} MiB of data outside any page (not a dump)"
            )
        else:
            if self.context == "page" and pending.startswith(b"<"):
                # The page's own start: keep its title and ids for the error record.
                start = _STRUCTURE.match(pending)
                if start is not None and start.group(2) == b"page":
                    head = bytes(pending[: 1 << 16])
                    fields = b"".join(m.group() for m in _HEADER_FIELD.finditer(head))
                    out.append(b"<page>" + fields)
            self.skipping = self.context
            self.skipped = len(pending)
            self.tail = bytes(pending[-_OVERLAP:])
            pending.clear()
        self.searched = 0

    def _skip(self, data: bytes, out: list[bytes]) -> bytes:
        """Drop ``data`` up to the end of the element being skipped; return what follows."""
        assert self.skipping is not None
        window = self.tail + data
        match = _CLOSING[self.skipping].search(window)
        if match is None:
            self.skipped += len(data)
            self.tail = window[-_OVERLAP:]
            return b""
        end = match.end() - len(self.tail)
        self.skipped += end
        marker = b'<%s bytes="%d"/>' % (OVERSIZE.encode(), self.skipped)
        if self.skipping == "revision":
            out.append(b"<revision>" + marker + b"</revision>")
            self.context = "page"
        else:
            out.append(marker + b"</page>")
            self.context = "outside"
        self.skipping, self.tail = None, b""
        return data[end:]


class DumpParser:
    """Feed decompressed dump bytes, get :class:`Page` objects back.

    ``site`` overrides the dump's ``<siteinfo>`` (a multistream range has none).
    ``prologue=False`` skips the prologue check, for data that starts mid-document after a
    root start tag the caller supplied.  ``label`` names the data in error messages.
    """

    def __init__(
        self,
        source: str,
        site: Site | None = None,
        *,
        prologue: bool = True,
        label: str | None = None,
    ) -> None:
        self.source = source
        self.label = label or source
        self.site = site or Site()
        self.site_known = site is not None
        self.pages = 0
        self.last_title: str | None = None
        self.error: Exception | None = None
        self._parser = _new_parser()
        self._bounded = _Bounded(MAX_ELEMENT_BYTES)
        self._head: bytes | None = b"" if prologue else None
        self._last_revision: Any = None

    def feed(self, data: bytes) -> list[Page]:
        """Parse ``data``; return the pages it completed.  A syntax error is kept in
        :attr:`error` (raise it with :meth:`check`) so the pages before it come first."""
        if self._head is not None:
            self._head += data
            root = root_element(self._head, final=False)
            if root is None:
                if len(self._head) > PROLOGUE_LIMIT:
                    raise PrologueError("has no root element in its first 1 MiB")
                return []
            data, self._head = self._head, None
            _check_root(root)
        self._parse(self._bounded.feed(data))
        return self._collect()

    def _parse(self, data: bytes) -> None:
        if data and self.error is None:
            try:
                self._parser.feed(data)
            except etree.LxmlError as exc:
                self.error = exc

    def close(self) -> list[Page]:
        """Finish the document; return the last pages."""
        if self._head is not None:
            if not self._head.strip(b" \t\r\n\x00"):
                raise PrologueError("is empty")
            root = root_element(self._head, final=True)
            _check_root(root or "")
            data, self._head = self._head, None
            self._parse(self._bounded.feed(data))
        self._parse(self._bounded.close())
        if self.error is None:
            try:
                self._parser.close()
            except etree.LxmlError as exc:
                self.error = exc
        return self._collect()

    def check(self) -> None:
        """Raise the syntax error met so far, if any."""
        if self.error is not None:
            raise self.error

    def progress(self) -> str:
        """How far reading got, for error messages."""
        if not self.pages:
            return "no complete page before it"
        pages = "1 page" if self.pages == 1 else f"{self.pages} pages"
        return f"{pages} read before it, the last '{self.last_title}'"

    def _collect(self) -> list[Page]:
        pages = []
        for _, elem in self._parser.read_events():
            name = local_name(elem.tag)
            if name == "revision":
                previous, self._last_revision = self._last_revision, elem
                if previous is not None:
                    _drop(previous)
            elif name == "page":
                if not self.site_known:
                    self._set_site(None, elem)
                page = self._page(elem)
                pages.append(page)
                self.pages += 1
                self.last_title = page.title
                self._last_revision = None
                _drop(elem)
            elif name == "siteinfo":
                if not self.site_known:
                    self._set_site(elem, elem)
                _drop(elem)
        return pages

    def _set_site(self, siteinfo: Any, elem: Any) -> None:
        lang = elem.getroottree().getroot().get(_XML_LANG)
        self.site = site_from_siteinfo(() if siteinfo is None else siteinfo, lang)
        self.site_known = True

    def _page(self, elem: Any) -> Page:
        title = ns = page_id = redirect = revision = bad_id = oversize = None
        is_redirect = False
        for child in elem:
            name = local_name(child.tag)
            if name == OVERSIZE:
                oversize = child
            elif name == "title":
                title = child.text or ""
            elif name == "ns":
                ns = _int(child.text)
            elif name == "id":
                page_id = _int(child.text)
                if page_id is None:
                    bad_id = one_line(child.text or "")[:40]
            elif name == "redirect":
                is_redirect, redirect = True, child.get("title")
            elif name == "revision":
                revision = child
        text, revision_id, timestamp = "", None, None
        problems: tuple[str, ...] = ()
        if revision is None:
            problems = ("page has no revision in the dump",)
        else:
            text_elem = None
            for child in revision:
                name = local_name(child.tag)
                if name == "text":
                    text_elem = child
                elif name == "id":
                    revision_id = _int(child.text)
                elif name == "timestamp":
                    timestamp = child.text
                elif name == OVERSIZE:
                    oversize = child
            if text_elem is None:
                problems = ("revision has no text in the dump",)
            elif text_elem.get("deleted") is not None:
                problems = ("revision text deleted in the dump",)
            else:
                text = text_elem.text or ""
        if is_redirect and not redirect:
            match = _REDIRECT.match(text)
            redirect = match.group(1).strip() if match else ""
        if ns is None:
            ns = namespace_of(title or "", self.site)
        if bad_id is not None:
            problems = (*problems, f"page id {bad_id!r} is not a 64-bit integer; left out")
        error = None
        if oversize is not None:
            size = _int(oversize.get("bytes")) or 0
            error = (
                f"too large: {size / (1 << 20):,.0f} MiB of XML in one page, over the "
                f"{MAX_ELEMENT_BYTES >> 20} MiB a page may take; skipped"
            )
        return Page(
            text=text,
            title=title,
            dialect="wikitext",
            page_id=page_id,
            namespace=ns,
            revision_id=revision_id,
            timestamp=timestamp,
            redirect=redirect,
            source=self.source,
            site=self.site,
            problems=problems,
            error=error,
        )


def _drop(elem: Any) -> None:
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        parent.remove(elem)


def _check_root(name: str) -> None:
    if name.rpartition(":")[2] != "mediawiki":
        raise PrologueError(f"is XML but not a MediaWiki export (root element <{name}>)")


def _xml_message(exc: Exception) -> str:
    """The error's text; libxml2's own when lxml only says "no element found" after the
    parser stopped on an earlier error (the log is per thread: its last entries are ours)."""
    msg = str(getattr(exc, "msg", None) or exc)
    log = list(getattr(exc, "error_log", None) or ())
    if msg.startswith("no element found") and log:
        last = log[-1]
        return f"{last.message.strip()}, line {last.line}, column {last.column}"
    if len(log) >= 2 and _is_restart_artifact(log[-1], log[-2]) and msg.startswith(log[-1].message):
        # After some errors (an undefined entity) libxml2 adds "Start tag expected" at
        # line 1, column 1, or "Extra content" back where the data fed began; the error
        # that stopped the parser is the entry before it.
        real = log[-2]
        return f"{real.message.strip()}, line {real.line}, column {real.column}"
    return msg


def _is_restart_artifact(entry: Any, before: Any) -> bool:
    if entry.message.startswith("Start tag expected") and (entry.line, entry.column) == (1, 1):
        return True
    return bool(
        entry.message.startswith("Extra content at the end")
        and (entry.line, entry.column) < (before.line, before.column)
    )


@contextmanager
def reporting(
    parser: DumpParser, what: str = "", where: Callable[[], str] | None = None
) -> Iterator[None]:
    """Turn damage met inside the block into one-line :class:`DumpDamaged`/:class:`InputError`.

    ``what`` names the data for prologue complaints (``"bz2-compressed data "``);
    ``where`` tells the current position for XML errors (compressed offset).
    """
    src = parser.label
    try:
        yield
    except StreamDamage as exc:
        raise DumpDamaged(one_line(f"{src}: {exc}; {parser.progress()}")) from None
    except PrologueError as exc:
        if parser.pages:
            raise DumpDamaged(one_line(f"{src}: {exc}; {parser.progress()}")) from None
        raise InputError(one_line(f"{src}: {what}{exc}")) from None
    except etree.LxmlError as exc:
        msg = _xml_message(exc)
        at = f" ({where()})" if where else ""
        raise DumpDamaged(
            one_line(f"{src}: XML not well-formed: {msg}{at}; {parser.progress()}")
        ) from None


def parse_pages(
    data: Iterable[bytes],
    parser: DumpParser,
    *,
    what: str = "",
    where: Callable[[], str] | None = None,
) -> Iterator[Page]:
    """Pages parsed from ``data``; damage is reported as by :func:`reporting`."""
    with reporting(parser, what, where):
        for chunk in data:
            yield from parser.feed(chunk)
            parser.check()
        yield from parser.close()
        parser.check()


def _decompressed(
    f: BinaryIO, head: bytes, compression: Compression | None
) -> tuple[Iterable[bytes], str, Callable[[], str] | None]:
    chunks = raw_chunks(f, head)
    if compression is None:
        return chunks, "", None
    stream = Decompressing(chunks, compression)
    what = f"{compression}-compressed data "
    return stream, what, lambda: f"near compressed byte {stream.offset}"


def read_dump(
    f: BinaryIO,
    head: bytes,
    source: str,
    compression: Compression | None,
    position: ReadPosition | None = None,
) -> Iterator[Page]:
    """Pages of the dump in ``f`` (whose first bytes ``head`` were already read);
    ``position`` follows the bytes of ``f`` consumed (compressed bytes, if compressed)."""
    data, what, where = _decompressed(f, head, compression)
    if position is not None and not isinstance(data, Decompressing):
        data = position.counted(data)
    for page in parse_pages(data, DumpParser(source), what=what, where=where):
        if position is not None and isinstance(data, Decompressing):
            position.bytes = data.offset
        yield page


def read_dump_site(f: BinaryIO, head: bytes, source: str, compression: Compression | None) -> Site:
    """The :class:`Site` of the dump in ``f``, reading no further than needed."""
    data, what, where = _decompressed(f, head, compression)
    parser = DumpParser(source)
    with reporting(parser, what, where):
        for chunk in data:
            parser.feed(chunk)
            if parser.site_known:
                return parser.site
            parser.check()
        parser.close()
        parser.check()
    return parser.site
