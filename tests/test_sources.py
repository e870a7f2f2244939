"""Tests for extractor.sources: dumps, multistream ranges, text files, folders, damage."""

from __future__ import annotations

import bz2
import gzip
import io
import itertools
import json
import lzma
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import DumpDamaged, ExtractorError, InputError
from extractor.page import Page, Site
from extractor.sources import (
    Range,
    index_path_for,
    iter_source_files,
    multistream_ranges,
    read_pages,
    read_range,
    read_site,
)
from extractor.sources.siteinfo import lang_from_dbname, lang_from_url
from extractor.sources.sniff import (
    PrologueError,
    root_element,
    sniff_compression,
    sniff_content,
    sniff_other_format,
)
from extractor.sources.xmldump import DumpParser, parse_pages
from tests.paths import SAMPLES, require_shared

DUMPS = require_shared() / "corpus" / "dumps"

CATALOGUE = [
    e for e in json.loads((DUMPS / "DUMPS.json").read_text()) if "-index." not in e["file"]
]
MULTI = DUMPS / "constructed__enwiki-gensim-sample-pages-articles-multistream.xml.bz2"
MULTI_INDEX = DUMPS / "constructed__enwiki-gensim-sample-pages-articles-multistream-index.txt.bz2"
GENSIM = DUMPS / "gensim__enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
PYRUS = DUMPS / "pywikibot__article-pyrus.xml"
REFLINKS = DUMPS / "pywikibot__dummy-reflinks.xml"
MWXML = DUMPS / "python-mwxml__dump.xml"


def dump_path(entry: dict[str, Any]) -> Path:
    """Where a DUMPS.json entry's file is."""
    return DUMPS / entry["file"].split("/", 1)[1]


def collect(source: str | os.PathLike[str] | Iterable[Page]) -> tuple[list[Page], Exception | None]:
    """Pages read until the first error, and that error (None if reading finished)."""
    pages: list[Page] = []
    try:
        for page in read_pages(source) if isinstance(source, (str, os.PathLike)) else source:
            pages.append(page)
    except Exception as exc:  # the tests check the type
        return pages, exc
    return pages, None


def without_source(pages: list[Page]) -> list[Page]:
    """Pages with ``source`` blanked, to compare the same dump from different files."""
    return [attrs.evolve(p, source=None) for p in pages]


def assert_one_line(exc: Exception | None, kind: type[ExtractorError], *words: str) -> None:
    """``exc`` is a ``kind`` whose message is one line and holds ``words``."""
    assert isinstance(exc, kind), repr(exc)
    message = str(exc)
    assert "\n" not in message
    for word in words:
        assert word in message


@pytest.fixture(scope="module")
def gensim_pages() -> list[Page]:
    """All pages of the gensim enwiki excerpt."""
    return list(read_pages(GENSIM))


@pytest.fixture(scope="module")
def multi_pages() -> list[Page]:
    """All pages of the multistream sample, read as one file."""
    return list(read_pages(MULTI))


# ------------------------------------------------------------------------------ real dumps


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e["file"].split("/", 1)[1])
def test_dump_matches_catalogue(entry: dict[str, Any]) -> None:
    """Every real dump gives the catalogued number of pages and redirects, and its site."""
    path = dump_path(entry)
    pages = list(read_pages(path))
    assert entry["pages"] == len(pages)
    if "redirects" in entry:
        assert entry["redirects"] == sum(p.redirect is not None for p in pages)
    site = read_site(path)
    assert entry["lang"] == site.lang
    if "dbname" in entry:
        assert entry["dbname"] == site.dbname
    if entry.get("sitename"):
        assert site.namespaces and "Category" in site.namespaces.get(14, ("Category",))
    assert all(p.site == site and p.dialect == "wikitext" for p in pages)
    assert all(p.source == str(path) and p.title and isinstance(p.page_id, int) for p in pages)


def test_history_dump_yields_last_revision() -> None:
    """A page with several revisions comes out once, with its last revision."""
    pages = list(read_pages(MWXML))
    expected = [
        ("Foo", 0, 1, 2, "Revision 2 text", "2004-08-10T09:04:08Z"),
        ("Bar", 1, 2, 3, "Revision 3 text", "2004-08-11T09:04:08Z"),
    ]
    assert expected == [
        (p.title, p.namespace, p.page_id, p.revision_id, p.text, p.timestamp) for p in pages
    ]


def test_old_schema_redirect_target_comes_from_text() -> None:
    """An export-0.3 ``<redirect />`` without title takes its target from the text."""
    (page,) = read_pages(PYRUS)
    expected = ("Pyrus", "Pear", 0, 238392911)
    assert expected == (page.title, page.redirect, page.namespace, page.revision_id)


def test_utf16_dump_equals_utf8_dump() -> None:
    """The UTF-16 copy of a dump reads exactly like the UTF-8 one."""
    utf16 = DUMPS / "pywikibot__article-pyrus-utf16.xml"
    assert without_source(list(read_pages(PYRUS))) == without_source(list(read_pages(utf16)))


@pytest.mark.parametrize("suffix", [".bz2", ".gz", ".xz"])
def test_compressed_dump_equals_plain(suffix: str) -> None:
    """bz2, gzip and xz copies of a dump read like the plain XML."""
    packed = PYRUS.with_name(PYRUS.name + suffix)
    assert without_source(list(read_pages(PYRUS))) == without_source(list(read_pages(packed)))


def test_format_is_sniffed_not_named(tmp_path: Path) -> None:
    """A gzip dump named ``.txt`` is still read as a dump."""
    disguised = tmp_path / "dump.txt"
    disguised.write_bytes((DUMPS / "pywikibot__article-pyrus.xml.gz").read_bytes())
    assert without_source(list(read_pages(PYRUS))) == without_source(list(read_pages(disguised)))


def test_bgwiki_utf16_bz2_titles() -> None:
    """A bz2-compressed UTF-16 dump gives its Cyrillic titles."""
    pages = list(read_pages(DUMPS / "gensim__bgwiki-latest-pages-articles-shortened.xml.bz2"))
    assert all(any("\u0400" <= c <= "\u04ff" for c in p.title or "") for p in pages)


def test_site_has_local_and_canonical_namespace_names() -> None:
    """Namespaces hold the siteinfo name followed by the canonical English names."""
    site = read_site(DUMPS / "json-wikipedia__small-dump.xml.gz")
    expected = ("it", None, ("Categoria", "Category"), ("File", "Image"), ("Portale",))
    ns = site.namespaces
    assert expected == (site.lang, site.dbname, ns[14], ns[6], ns[100])


@pytest.mark.parametrize(
    ("dbname", "lang"),
    [
        ("dewiki", "de"),
        ("enwiktionary", "en"),
        ("zh_min_nanwiki", "zh-min-nan"),
        ("simplewiki", "en"),
        ("commonswiki", None),
        ("wikidatawiki", None),
        (None, None),
    ],
)
def test_lang_from_dbname(dbname: str | None, lang: str | None) -> None:
    """The language code comes from the database name where it holds one."""
    assert lang == lang_from_dbname(dbname)


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        ("https://de.wikipedia.org/wiki/Wikipedia:Hauptseite", "de"),
        ("http://it.wikipedia.org/wiki/Pagina_principale", "it"),
        ("https://www.mediawiki.org/wiki/MediaWiki", None),
        ("https://wiki.example.com/Main", None),
    ],
)
def test_lang_from_url(url: str, lang: str | None) -> None:
    """The language code comes from a Wikimedia project's host name."""
    assert lang == lang_from_url(url)


DOC = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.4/" xml:lang="de">
<siteinfo><sitename>W</sitename><dbname>dewiki</dbname><namespaces>
<namespace key="0" /><namespace key="14">Kategorie</namespace></namespaces></siteinfo>
{pages}
</mediawiki>"""


def page_xml(title: str, body: str = "<text>x</text>") -> str:
    """One ``<page>`` of an old-schema dump (no ``<ns>``)."""
    return f"<page><title>{title}</title><id>7</id><revision><id>8</id>{body}</revision></page>"


def test_namespace_from_title_when_no_ns(tmp_path: Path) -> None:
    """Without ``<ns>`` the namespace is read from the title's prefix."""
    path = tmp_path / "old.xml"
    titles = ["Kategorie:A", "Category:B", "Talk:C", "Plain", "Foo: bar"]
    path.write_text(DOC.format(pages="".join(page_xml(t) for t in titles)), encoding="utf-8")
    expected = [14, 14, 1, 0, 0]
    assert expected == [p.namespace for p in read_pages(path)]


def test_deleted_or_missing_text_is_empty(tmp_path: Path) -> None:
    """Deleted or missing revision text gives an empty text and a problem note."""
    path = tmp_path / "deleted.xml"
    bodies = ['<text deleted="deleted" />', "", "<text />"]
    path.write_text(DOC.format(pages="".join(page_xml("T", b) for b in bodies)), encoding="utf-8")
    pages = list(read_pages(path))
    expected = [("", 1), ("", 1), ("", 0)]
    assert expected == [(p.text, len(p.problems)) for p in pages]


# ----------------------------------------------------------------------------- multistream


def test_index_path_for() -> None:
    """The index is found beside the dump by Wikimedia's naming."""
    assert str(MULTI_INDEX) == index_path_for(MULTI)
    expected = "/d/x-multistream-index2.txt-p5p9.bz2"
    assert expected == index_path_for("/d/x-multistream2.xml-p5p9.bz2")


@pytest.mark.parametrize("target", [1, 600_000, 8 << 20])
def test_ranges_cover_file(target: int) -> None:
    """Ranges tile the file from 0 to its end, each starting a bz2 stream."""
    ranges = multistream_ranges(MULTI, target_bytes=target)
    assert (0, MULTI.stat().st_size) == (ranges[0].start, ranges[-1].end)
    assert all(a.end == b.start for a, b in itertools.pairwise(ranges))
    data = MULTI.read_bytes()
    assert all(sniff_compression(data[r.start : r.start + 10]) == "bz2" for r in ranges)
    assert all(r.size >= target for r in ranges[:-1])


def test_range_count_for_stream_sized_target() -> None:
    """A target of one byte gives one range per stream (header, two page streams, rest)."""
    expected = [0, 638, 575005, 1617601]
    assert expected == [r.start for r in multistream_ranges(MULTI, MULTI_INDEX, 1)]


@pytest.mark.parametrize("target", [1, 600_000, 8 << 20])
def test_ranges_give_the_same_pages(target: int, multi_pages: list[Page]) -> None:
    """Pages from all ranges, concatenated, equal the pages from reading the file whole."""
    site = read_site(MULTI)
    ranges = multistream_ranges(MULTI, target_bytes=target)
    assert multi_pages == [p for r in ranges for p in read_range(r, site)]


def test_multistream_equals_single_stream(
    multi_pages: list[Page], gensim_pages: list[Page]
) -> None:
    """The re-packaged multistream dump holds the same pages as the gensim original."""
    assert without_source(gensim_pages) == without_source(multi_pages)


def test_range_is_picklable() -> None:
    """A range can be sent to a worker process."""
    r = multistream_ranges(MULTI)[0]
    assert r == pickle.loads(pickle.dumps(r))


def test_read_range_uses_given_site() -> None:
    """Pages of a range carry the site passed in."""
    site = Site(dbname="xwiki", lang="x", namespaces={14: ("X",)})
    r = multistream_ranges(MULTI, target_bytes=1)[1]
    pages = list(read_range(r, site))
    expected = (100, True)
    assert expected == (len(pages), all(p.site == site for p in pages))


def test_index_that_does_not_match_is_refused(tmp_path: Path) -> None:
    """An index whose offsets are not stream starts gives an InputError."""
    index = tmp_path / "bad-index.txt.bz2"
    index.write_bytes(bz2.compress(b"638:10:A\n1000:12:B\n"))
    with pytest.raises(InputError) as info:
        multistream_ranges(MULTI, index, target_bytes=1)
    assert_one_line(info.value, InputError, "no bz2 stream at byte 1000")


def test_garbage_index_is_refused(tmp_path: Path) -> None:
    """An index with lines that are not ``offset:id:title`` gives an InputError."""
    index = tmp_path / "bad-index.txt"
    index.write_bytes(b"638:10:A\nhello\n")
    with pytest.raises(InputError) as info:
        multistream_ranges(MULTI, index)
    assert_one_line(info.value, InputError, "not a multistream index")


def test_range_outside_file_is_refused() -> None:
    """A range past the end of the file gives an InputError."""
    pages, exc = collect(read_range(Range(str(MULTI), 638, 10**9), Site()))
    assert not pages
    assert_one_line(exc, InputError, "outside the file")


def test_damaged_range_reports_its_bytes(tmp_path: Path, multi_pages: list[Page]) -> None:
    """A flipped byte inside a range's stream is reported with the range."""
    data = bytearray(MULTI.read_bytes())
    data[1_000_000] ^= 0xFF
    damaged = tmp_path / "x-multistream.xml.bz2"
    damaged.write_bytes(bytes(data))
    r = Range(str(damaged), 575005, 1617601)
    pages, exc = collect(read_range(r, read_site(MULTI)))
    assert_one_line(exc, DumpDamaged, "range 575005-1617601", "bz2 data corrupt")
    assert without_source(multi_pages[100 : 100 + len(pages)]) == without_source(pages)


# ---------------------------------------------------------------------------------- damage


def good_prefix_pages(compressed: bytes) -> int:
    """Complete pages in what a bz2 decompressor makes of ``compressed`` before it fails."""
    out = bytearray()
    dec = bz2.BZ2Decompressor()
    try:
        for i in range(0, len(compressed), 1 << 16):
            out += dec.decompress(compressed[i : i + (1 << 16)])
    except OSError:
        pass
    return out.count(b"</page>")


@pytest.mark.parametrize("cut", [5, 100, 500_000, 1_000_000, -10])
def test_truncated_bz2(cut: int, tmp_path: Path, gensim_pages: list[Page]) -> None:
    """A cut bz2 yields every page its intact blocks hold, then one DumpDamaged."""
    data = GENSIM.read_bytes()[:cut]
    path = tmp_path / "cut.xml.bz2"
    path.write_bytes(data)
    pages, exc = collect(path)
    assert_one_line(exc, DumpDamaged, "cut.xml.bz2", "bz2 stream truncated")
    assert good_prefix_pages(data) == len(pages)
    assert without_source(gensim_pages[: len(pages)]) == without_source(pages)


@pytest.mark.parametrize("offset", [300_000, 700_000, 1_200_000])
def test_flipped_bytes_in_bz2(offset: int, tmp_path: Path, gensim_pages: list[Page]) -> None:
    """Flipped bytes inside a bz2 block: the intact pages before it, then DumpDamaged."""
    data = bytearray(GENSIM.read_bytes())
    for i in range(offset, offset + 4):
        data[i] ^= 0x5A
    path = tmp_path / "flipped.xml.bz2"
    path.write_bytes(bytes(data))
    pages, exc = collect(path)
    assert_one_line(exc, DumpDamaged, "flipped.xml.bz2", "bz2 data corrupt")
    assert 0 < len(pages) < len(gensim_pages)
    assert without_source(gensim_pages[: len(pages)]) == without_source(pages)


def test_flipped_bytes_in_later_stream_keep_earlier_streams(
    tmp_path: Path, multi_pages: list[Page]
) -> None:
    """Damage in the second page stream of a multistream dump keeps the first 100 pages."""
    data = bytearray(MULTI.read_bytes())
    data[1_000_000] ^= 0xFF
    path = tmp_path / "m.xml.bz2"
    path.write_bytes(bytes(data))
    pages, exc = collect(path)
    assert_one_line(exc, DumpDamaged, "bz2 data corrupt")
    assert len(pages) >= 100
    assert without_source(multi_pages[: len(pages)]) == without_source(pages)


def test_garbage_after_bz2_stream(tmp_path: Path) -> None:
    """Bytes after the last bz2 stream come after all pages, as DumpDamaged."""
    path = tmp_path / "tail.xml.bz2"
    path.write_bytes(bz2.compress(REFLINKS.read_bytes()) + b"garbage!")
    pages, exc = collect(path)
    assert_one_line(exc, DumpDamaged, "not bz2 data")
    assert without_source(list(read_pages(REFLINKS))) == without_source(pages)


@pytest.mark.parametrize(
    ("name", "cut_after"),
    [("mid-page", b"<revision>"), ("mid-tag", b"<tit"), ("mid-text", b"Fake page")],
)
def test_xml_cut(name: str, cut_after: bytes, tmp_path: Path) -> None:
    """XML cut mid-page or mid-tag: the complete pages, then DumpDamaged."""
    data = REFLINKS.read_bytes()
    data = data[: data.rfind(cut_after) + len(cut_after)]
    path = tmp_path / f"{name}.xml"
    path.write_bytes(data)
    pages, exc = collect(path)
    assert data.count(b"</page>") == len(pages)
    assert_one_line(exc, DumpDamaged, f"{name}.xml", "XML not well-formed")


def test_garbage_bytes_in_xml(tmp_path: Path) -> None:
    """Binary garbage between pages: the page before it, then DumpDamaged."""
    data = REFLINKS.read_bytes()
    end = data.find(b"</page>") + len(b"</page>")
    path = tmp_path / "garbage.xml"
    path.write_bytes(data[:end] + bytes(range(256)) + data[end:])
    pages, exc = collect(path)
    expected = ["Fake page"]
    assert expected == [p.title for p in pages]
    assert_one_line(exc, DumpDamaged, "XML not well-formed", "1 page read")


@pytest.mark.parametrize("name", ["empty.xml", "empty.xml.bz2", "empty.wiki", "empty"])
def test_empty_file(name: str, tmp_path: Path) -> None:
    """An empty file is an InputError."""
    path = tmp_path / name
    path.write_bytes(b"")
    pages, exc = collect(path)
    assert not pages
    assert_one_line(exc, InputError, name)


def test_empty_after_decompression(tmp_path: Path) -> None:
    """A bz2 file holding nothing is an InputError."""
    path = tmp_path / "nothing.xml.bz2"
    path.write_bytes(bz2.compress(b""))
    assert_one_line(collect(path)[1], InputError, "is empty")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("text.gz", gzip.compress(b"hello, this is not XML\n")),
        ("text.xz", lzma.compress(b"== hello ==\n")),
        ("page.html.bz2", bz2.compress(b"<?xml version='1.0'?><html><body/></html>")),
    ],
)
def test_compressed_non_dump(name: str, data: bytes, tmp_path: Path) -> None:
    """Compressed data that is not a MediaWiki dump is an InputError."""
    path = tmp_path / name
    path.write_bytes(data)
    pages, exc = collect(path)
    assert not pages
    assert_one_line(exc, InputError, name, "MediaWiki")


def test_binary_file(tmp_path: Path) -> None:
    """A binary file is refused as such."""
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert_one_line(collect(path)[1], InputError, "is a binary file, not wikitext or a dump")


@pytest.mark.parametrize(
    ("name", "data"),
    [("fake.bz2", b"BZ but not really bz2 at all"), ("fake.xml", b"just words\n")],
)
def test_named_like_dump_but_not(name: str, data: bytes, tmp_path: Path) -> None:
    """A file named like a dump that holds something else is an InputError."""
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line(collect(path)[1], InputError, name)


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an InputError."""
    path = tmp_path / "nope.xml.bz2"
    assert_one_line(collect(path)[1], InputError, "no such file")
    with pytest.raises(InputError):
        read_site(path)


# ---------------------------------------------------------------------------------- safety

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE mediawiki [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<mediawiki><page><title>Laughs &lol9;</title><ns>0</ns><id>1</id>
<revision><id>2</id><text>&lol9;</text></revision></page></mediawiki>
"""


def external_entity(target: str) -> bytes:
    """A dump whose DTD declares an external entity on ``target`` and uses it."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [<!ENTITY xxe SYSTEM "{target}">]>\n'
        "<mediawiki><page><title>X</title><ns>0</ns><id>1</id><redirect title='&xxe;'/>"
        "<revision><id>2</id><text>before &xxe; after</text></revision></page></mediawiki>"
    ).encode()


@pytest.mark.parametrize("pack", [bytes, bz2.compress], ids=["xml", "bz2"])
def test_billion_laughs_is_refused(pack: Any, tmp_path: Path) -> None:
    """A DOCTYPE with nested entities is refused with one line, nothing expanded."""
    path = tmp_path / "laughs.xml"
    path.write_bytes(pack(LAUGHS))
    pages, exc = collect(path)
    assert not pages
    assert_one_line(exc, InputError, "DOCTYPE")
    assert "lollol" not in str(exc)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "SECRET"])
def test_external_entity_is_refused(target: str, tmp_path: Path) -> None:
    """An external entity on a local file is refused; the file's content never shows."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    target = secret.as_uri() if target == "SECRET" else target
    path = tmp_path / "xxe.xml"
    path.write_bytes(external_entity(target))
    pages, exc = collect(path)
    assert not pages
    assert_one_line(exc, InputError, "DOCTYPE")
    assert "TOP-SECRET" not in str(exc) and "root:" not in str(exc)


def test_entities_never_resolved_without_prologue_check(tmp_path: Path) -> None:
    """Even the parser used mid-document (multistream ranges) expands no entity."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    body = external_entity(secret.as_uri()).split(b"\n", 2)[2]
    chunks = [b"<mediawiki>", body.replace(b"<mediawiki>", b"")]
    pages, exc = collect(parse_pages(chunks, DumpParser("range", Site(), prologue=False)))
    assert all("TOP-SECRET" not in p.text and "TOP-SECRET" not in (p.redirect or "") for p in pages)
    assert_one_line(exc, DumpDamaged, "XML not well-formed")


def test_doctype_after_comments_is_refused() -> None:
    """The prologue scan looks past comments and processing instructions."""
    head = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<?pi x?><!DOCTYPE x []><mediawiki>'
    with pytest.raises(PrologueError):
        root_element(head, final=True)
    expected = "mediawiki"
    assert expected == root_element(b"<!-- a --><?x y?>\n<mediawiki xmlns='n'>", final=True)
    assert root_element(b"<!-- a", final=False) is None


# ------------------------------------------------------------------------ property: damage

SMALL_BZ2 = bz2.compress(REFLINKS.read_bytes())
SMALL_PAGES = without_source(list(read_pages(REFLINKS)))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cut=st.integers(0, len(SMALL_BZ2)),
    flips=st.lists(st.tuples(st.integers(0, len(SMALL_BZ2) - 1), st.integers(1, 255)), max_size=3),
)
def test_any_bz2_damage_is_reported_cleanly(
    tmp_path_factory: pytest.TempPathFactory, cut: int, flips: list[tuple[int, int]]
) -> None:
    """Truncated or bit-flipped bz2: a prefix of the true pages, only our errors, one line."""
    data = bytearray(SMALL_BZ2)
    for pos, mask in flips:
        data[pos] ^= mask
    path = tmp_path_factory.mktemp("prop") / "d.xml.bz2"
    path.write_bytes(bytes(data[:cut]))
    pages, exc = collect(path)
    assert exc is None or (isinstance(exc, ExtractorError) and "\n" not in str(exc))
    assert SMALL_PAGES[: len(pages)] == without_source(pages)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_xml_damage_is_reported_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Cut or garbled XML raises nothing but one-line InputError/DumpDamaged."""
    raw = bytearray(REFLINKS.read_bytes())
    cut = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.binary(max_size=8))
    at = data.draw(st.integers(0, cut))
    raw = raw[:at] + junk + raw[at:cut]
    path = tmp_path_factory.mktemp("prop") / "d.xml"
    path.write_bytes(bytes(raw))
    pages, exc = collect(path)
    assert exc is None or (isinstance(exc, ExtractorError) and "\n" not in str(exc))
    assert all(isinstance(p, Page) for p in pages)


# ------------------------------------------------------------------------------ text files


def test_text_file_is_one_page(tmp_path: Path) -> None:
    """A wikitext file is one page, its text exactly as stored (CRLF kept)."""
    path = tmp_path / "Some_Page.wiki"
    path.write_bytes(b"'''Bold''' [[Link]]\r\n== H ==\r\n")
    (page,) = read_pages(path)
    assert (
        Page(
            text="'''Bold''' [[Link]]\r\n== H ==\r\n",
            title="Some Page",
            dialect=page.dialect,
            source=str(path),
        )
        == page
    )


def test_invalid_utf8_is_replaced_and_noted(tmp_path: Path) -> None:
    """Invalid UTF-8 is replaced, counted in ``problems``; real U+FFFD is not counted."""
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \xff\xfe here \xc3 and a real \xef\xbf\xbd")
    (page,) = read_pages(path)
    expected = (
        "ok \ufffd\ufffd here \ufffd and a real \ufffd",
        ("invalid UTF-8 replaced at 3 places",),
    )
    assert expected == (page.text, page.problems)


def test_utf16_text_file(tmp_path: Path) -> None:
    """A UTF-16 text file with a BOM is decoded, BOM dropped."""
    path = tmp_path / "u.txt"
    path.write_bytes("Grüße [[Welt]]".encode("utf-16"))
    expected = ["Grüße [[Welt]]"]
    assert expected == [p.text for p in read_pages(path)]


def test_flat_file_is_split() -> None:
    """A flat-dialect file gives one page per ``[[Title]]`` block, as the dialect splits it."""
    dialects = pytest.importorskip("extractor.parse.dialects")
    path = SAMPLES / "wiki-example.txt"
    text = path.read_text(encoding="utf-8")
    expected = [
        Page(
            text=text[f.start : f.end],
            title=f.title,
            dialect="flat",
            source=str(path),
            offset=f.start,
        )
        for f in dialects.split_flat_pages(text)
    ]
    assert dialects.detect_dialect(text) == "flat"
    assert expected == list(read_pages(path))


def test_folder_files_sorted_recursive_without_hidden(tmp_path: Path) -> None:
    """A folder gives its files sorted by name, recursively, hidden ones skipped."""
    for name in ["b.wiki", "a.wiki", "sub/c.wiki", ".hidden.wiki", ".git/d.wiki", "sub/.e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"text of {name}")
    expected = ["text of a.wiki", "text of b.wiki", "text of sub/c.wiki"]
    assert expected == [p.text for p in read_pages(tmp_path)]


def test_folder_symlink_loop_is_entered_once(tmp_path: Path) -> None:
    """A folder linking to its own parent does not loop."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.wiki").write_text("A")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    expected = [str(tmp_path / "sub" / "a.wiki")]
    assert expected == list(iter_source_files(tmp_path))


def test_folder_skips_multistream_index(tmp_path: Path) -> None:
    """A multistream index beside its dump is not read as a source of its own."""
    for src in (MULTI, MULTI_INDEX):
        (tmp_path / src.name).symlink_to(src)
    assert [str(tmp_path / MULTI.name)] == list(iter_source_files(tmp_path))


@pytest.mark.parametrize("kind", ["dump", "text"])
def test_stdin(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-`` reads stdin's bytes, sniffed like a file."""
    data = (DUMPS / "pywikibot__article-pyrus.xml.bz2").read_bytes() if kind == "dump" else b"Hi"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    pages = list(read_pages("-"))
    if kind == "dump":
        assert without_source(list(read_pages(PYRUS))) == without_source(pages)
    else:
        expected = [("Hi", None, "-")]
        assert expected == [(p.text, p.title, p.source) for p in pages]


def test_read_site_of_text_file_is_refused(tmp_path: Path) -> None:
    """``read_site`` wants a dump."""
    path = tmp_path / "a.wiki"
    path.write_text("hello")
    with pytest.raises(InputError):
        read_site(path)


# ----------------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (bz2.compress(b"x")[:16], "bz2"),
        (b"BZh9", "bz2"),
        (gzip.compress(b"x")[:16], "gzip"),
        (lzma.compress(b"x")[:16], "xz"),
        (b"BZh9 is how a text may start", None),
        (b"<mediawiki>", None),
    ],
)
def test_sniff_compression(head: bytes, expected: str | None) -> None:
    """Compression is told by magic bytes."""
    assert expected == sniff_compression(head)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><mediawiki>", "xml"),
        (b"\xef\xbb\xbf  <mediawiki xmlns='x'>", "xml"),
        ("<mediawiki>".encode("utf-16"), "xml"),
        ("<mediawiki>".encode("utf-16-be"), "xml"),
        (b"<!-- note -->\n<mediawiki>", "xml"),
        (b"<!-- note -->\n'''Bold''' text", "text"),
        (b"{{Infobox}}\x00", "binary"),
        ("== Ünïcode ==".encode(), "text"),
    ],
)
def test_sniff_content(head: bytes, expected: str) -> None:
    """XML, text and binary are told apart by the first bytes."""
    assert expected == sniff_content(head)


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b'{"title": "x"}\n', "a.txt", "json"),
        (b"\xef\xbb\xbf  {}", "a", "json"),
        (b'[1, 2, {"a": null}]', "a", "json"),
        (b"<!-- x -->\n<!DOCTYPE html><p>", "a", "html"),
        (b"<HTML><body>", "a", "html"),
        (b"a,b,c\n1,2,3\n4,5,6\n", "x", "csv"),
        (b"a\tb\tc\n1\t2\t3\n4\t5\t6\n", "x", "tsv"),
        (b"a,b\n1,2\n", "x.csv", "csv"),
        (b"GIF89a\x01\x00", "a.wiki", "gif"),
        (b"[[1]]", "a", "json"),
        (b"[[Category:X]] text", "a", None),  # wikitext, not a JSON array
        (b"{{Infobox person\n| name = A\n}}", "a", None),
        (b'{| class="wikitable"\n|-\n| a || b\n|}', "a", None),
        (b"Paris, Lyon, Nice\nRome, Milan, Turin\n== Heading ==\nx, y, z\n", "a", None),
        (b"a,b\n1,2\n", "x.txt", None),  # two fields on two lines is not enough evidence
        (b"[tpl]cite web|a=b[/tpl], x, y\nA, B, C\nD, E, F\n", "a", None),
        (b"Short prose, with a comma.\nAnother line.\n", "a", None),
    ],
)  # fmt: skip
def test_sniff_other_format(head: bytes, name: str, kind: str | None) -> None:
    """Formats that are neither wikitext nor a dump are told by their whole first bytes;
    wiki markup is never taken for JSON or CSV."""
    assert kind == sniff_other_format(head, name, complete=True)


def test_sniff_other_format_of_a_long_file() -> None:
    """Of a file longer than its head, an array that opens ``[{`` is JSON (it cannot be
    parsed whole), the cut last line of a table is left out, and ``[[`` is not JSON."""
    assert "json" == sniff_other_format(b'[\n  {"a": 1', "a", complete=False)
    assert "csv" == sniff_other_format(b"a,b,c\n1,2,3\n4,5,6\n7,8", "a", complete=False)
    assert None is sniff_other_format(b"[[Page]]\n\nText, a, b\n", "a", complete=False)
