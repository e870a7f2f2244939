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
from extractor.sources.compressed import Decompressing, StreamDamage, raw_chunks
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


def _int(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


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
        try:
            self._parser.feed(data)
        except etree.LxmlError as exc:
            self.error = exc
        return self._collect()

    def close(self) -> list[Page]:
        """Finish the document; return the last pages."""
        if self._head is not None:
            if not self._head.strip(b" \t\r\n\x00"):
                raise PrologueError("is empty")
            root = root_element(self._head, final=True)
            _check_root(root or "")
            data, self._head = self._head, None
            try:
                self._parser.feed(data)
            except etree.LxmlError as exc:
                self.error = exc
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
        title = ns = page_id = redirect = revision = None
        is_redirect = False
        for child in elem:
            name = local_name(child.tag)
            if name == "title":
                title = child.text or ""
            elif name == "ns":
                ns = _int(child.text)
            elif name == "id":
                page_id = _int(child.text)
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
    if len(log) >= 2 and _is_restart_artifact(log[-1]) and msg.startswith(log[-1].message):
        # After some errors (an undefined entity) libxml2 adds "Start tag expected" at
        # line 1, column 1; the error that stopped the parser is the entry before it.
        real = log[-2]
        return f"{real.message.strip()}, line {real.line}, column {real.column}"
    return msg


def _is_restart_artifact(entry: Any) -> bool:
    return bool(
        entry.message.startswith("Start tag expected") and (entry.line, entry.column) == (1, 1)
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
    f: BinaryIO, head: bytes, source: str, compression: Compression | None
) -> Iterator[Page]:
    """Pages of the dump in ``f`` (whose first bytes ``head`` were already read)."""
    data, what, where = _decompressed(f, head, compression)
    yield from parse_pages(data, DumpParser(source), what=what, where=where)


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
