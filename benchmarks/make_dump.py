"""Build a realistic enwiki multistream dump (export-0.10) from the real corpus pages.

    python benchmarks/make_dump.py [OUTDIR] [--mb N] [--force] [--check]

The pages of ``../shared/corpus/wikitext/en/*.wiki`` (titles, revision ids, timestamps and
redirect targets from ``../shared/corpus/MANIFEST.jsonl``) are repeated, as "Title (copy 2)",
"Title (copy 3)", ... with distinct, increasing page ids, until the uncompressed XML reaches
N MB (10^6 bytes; default 32).  Texts are stored as MediaWiki stores them: line endings
normalized to ``\\n`` and trailing whitespace trimmed; ``<sha1>`` is the real base-36 SHA-1.

Written to OUTDIR (default ``benchmarks/_work/``), with ``P = enwiki-bench{N}mb-pages-articles``:

- ``P-multistream.xml.bz2``: Wikimedia's multistream layout, as in the real dumps: one bz2
  stream holding ``<mediawiki ...><siteinfo>...</siteinfo>``, one stream per 100 ``<page>``
  elements (or fewer, up to ~0.5 MB of XML: a real stream's size), one holding ``</mediawiki>``;
- ``P-multistream-index.txt.bz2``: bz2 of ``offset:page_id:title`` lines, ``offset`` being the
  byte offset of the stream that holds the page;
- ``P.xml.bz2`` (one bz2 stream) and ``P.xml`` (uncompressed): the same XML bytes;
- ``P.json``: a stamp with the parameters and the files' sizes and SHA-256.

Output is deterministic (bz2 level 9, no timestamps): same arguments and corpus, same bytes.
If the stamp matches the parameters (and this script's source) and the files are there with
the recorded sizes, they are reused.  ``--check`` reads the result back with the project's own
reader (``extractor.sources``): ``read_pages`` on every file, ``read_range`` over the ranges of
``multistream_ranges`` (default split and one range per stream), and compares with the pages
written.  Importable: :func:`build_dump`, :func:`dump_pages`, :func:`check_dump`.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS = SHARED / "wikitext" / "en"
MANIFEST = SHARED / "MANIFEST.jsonl"
DEFAULT_OUTDIR = HERE / "_work"
DEFAULT_MB = 32.0
MB = 1_000_000
PAGES_PER_STREAM = 100
#: A stream also ends once it holds this much XML.  Real enwiki streams are 100 pages of
#: ~4 KB on average (~0.45 MB of XML); the corpus pages average ~48 KB, so 100 of them made
#: streams ten times the real size, and a 32 MB dump only 9 of them: too few work units to
#: share evenly between workers, unlike a real dump.
STREAM_XML_BYTES = 512 * 1024
LEVEL = 9
#: Bump when the layout changes, so that cached dumps are rebuilt.
FORMAT_VERSION = 2

HEADER = b"""\
<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.10/ \
http://www.mediawiki.org/xml/export-0.10.xsd" version="0.10" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.27.0-wmf.22</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Media</namespace>
      <namespace key="-1" case="first-letter">Special</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="2" case="first-letter">User</namespace>
      <namespace key="3" case="first-letter">User talk</namespace>
      <namespace key="4" case="first-letter">Wikipedia</namespace>
      <namespace key="5" case="first-letter">Wikipedia talk</namespace>
      <namespace key="6" case="first-letter">File</namespace>
      <namespace key="7" case="first-letter">File talk</namespace>
      <namespace key="8" case="first-letter">MediaWiki</namespace>
      <namespace key="9" case="first-letter">MediaWiki talk</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="11" case="first-letter">Template talk</namespace>
      <namespace key="12" case="first-letter">Help</namespace>
      <namespace key="13" case="first-letter">Help talk</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
      <namespace key="15" case="first-letter">Category talk</namespace>
      <namespace key="100" case="first-letter">Portal</namespace>
      <namespace key="101" case="first-letter">Portal talk</namespace>
      <namespace key="108" case="first-letter">Book</namespace>
      <namespace key="109" case="first-letter">Book talk</namespace>
      <namespace key="118" case="first-letter">Draft</namespace>
      <namespace key="119" case="first-letter">Draft talk</namespace>
      <namespace key="446" case="first-letter">Education Program</namespace>
      <namespace key="447" case="first-letter">Education Program talk</namespace>
      <namespace key="710" case="first-letter">TimedText</namespace>
      <namespace key="711" case="first-letter">TimedText talk</namespace>
      <namespace key="828" case="first-letter">Module</namespace>
      <namespace key="829" case="first-letter">Module talk</namespace>
      <namespace key="2300" case="first-letter">Gadget</namespace>
      <namespace key="2301" case="first-letter">Gadget talk</namespace>
      <namespace key="2302" case="case-sensitive">Gadget definition</namespace>
      <namespace key="2303" case="case-sensitive">Gadget definition talk</namespace>
      <namespace key="2600" case="first-letter">Topic</namespace>
    </namespaces>
  </siteinfo>
"""
FOOTER = b"</mediawiki>\n"

_ATTR = {'"': "&quot;"}
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class CorpusPage:
    """One page of the corpus, as the manifest and its file describe it."""

    title: str
    text: str
    rev_id: int | None
    timestamp: str | None
    redirect: str | None


@dataclass(frozen=True)
class DumpPage:
    """One ``<page>`` of the generated dump, with its serialized XML."""

    page_id: int
    title: str
    rev_id: int
    timestamp: str
    redirect: str | None
    text: str
    xml: bytes


@dataclass(frozen=True)
class DumpFiles:
    """The files written by :func:`build_dump` and what they hold."""

    multistream: Path
    index: Path
    single: Path
    xml: Path
    stamp: Path
    pages: int
    redirects: int
    streams: int
    xml_bytes: int
    text_bytes: int
    reused: bool

    def sizes(self) -> dict[str, int]:
        """File sizes in bytes by role."""
        return {
            role: getattr(self, role).stat().st_size
            for role in ("multistream", "index", "single", "xml")
        }


def normalize(text: str) -> str:
    """Text as MediaWiki saves it: ``\\r\\n`` and ``\\r`` become ``\\n``, trailing space trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def sha1_base36(data: bytes) -> str:
    """SHA-1 in base 36, 31 digits, as in MediaWiki's ``<sha1>``."""
    n = int.from_bytes(hashlib.sha1(data).digest(), "big")
    digits = []
    while n:
        n, d = divmod(n, 36)
        digits.append(_DIGITS36[d])
    return "".join(reversed(digits)).rjust(31, "0")


def load_corpus(corpus: Path = CORPUS, manifest: Path = MANIFEST) -> list[CorpusPage]:
    """The corpus pages under ``corpus`` listed in ``manifest``, in manifest order."""
    pages = []
    folder = f"wikitext/{corpus.name}/"
    with manifest.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            if not entry["file"].startswith(folder):
                continue
            text = (corpus / entry["file"][len(folder) :]).read_text(encoding="utf-8")
            rev = entry.get("rev_id")
            pages.append(
                CorpusPage(
                    title=entry["title"],
                    text=normalize(text),
                    rev_id=int(rev) if rev else None,
                    timestamp=entry.get("timestamp") or None,
                    redirect=entry.get("redirect") or None,
                )
            )
    if not pages:
        raise SystemExit(f"no pages under {corpus} in {manifest}")
    return pages


def _crc(title: str) -> int:
    return zlib.crc32(title.encode("utf-8"))


def _timestamp(title: str) -> str:
    """A stand-in timestamp for pages whose manifest has none, fixed by the title."""
    seconds = 1262304000 + _crc(title) % (10 * 365 * 86400)  # 2010-01-01 + up to 10 years
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_xml(
    page_id: int, title: str, rev_id: int, timestamp: str, redirect: str | None, text: str
) -> bytes:
    """One ``<page>`` element, indented and escaped as MediaWiki's XmlDumpWriter writes it."""
    raw = text.encode("utf-8")
    lines = [
        "  <page>",
        f"    <title>{escape(title, _ATTR)}</title>",
        "    <ns>0</ns>",
        f"    <id>{page_id}</id>",
    ]
    if redirect is not None:
        lines.append(f'    <redirect title="{escape(redirect, _ATTR)}" />')
    lines += [
        "    <revision>",
        f"      <id>{rev_id}</id>",
        f"      <timestamp>{timestamp}</timestamp>",
        "      <model>wikitext</model>",
        "      <format>text/x-wiki</format>",
        f'      <text bytes="{len(raw)}" xml:space="preserve">{escape(text, _ATTR)}</text>',
        f"      <sha1>{sha1_base36(raw)}</sha1>",
        "    </revision>",
        "  </page>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def dump_pages(target_bytes: int, corpus: list[CorpusPage] | None = None) -> Iterator[DumpPage]:
    """The dump's pages: the corpus repeated until header + pages + footer >= ``target_bytes``.

    Copy 1 of a page keeps its title and revision id; copy k > 1 is titled "Title (copy k)"
    and gets revision id 2,000,000,000 + page id.  Page ids start at 10 and grow by 1 to 9.
    """
    pages = load_corpus() if corpus is None else corpus
    size = len(HEADER) + len(FOOTER)
    page_id = 0
    copy = 0
    while True:
        copy += 1
        for source in pages:
            title = source.title if copy == 1 else f"{source.title} (copy {copy})"
            page_id = page_id + 1 + _crc(title) % 9 if page_id else 10
            rev_id = source.rev_id if copy == 1 and source.rev_id else 2_000_000_000 + page_id
            stamp = source.timestamp or _timestamp(title)
            xml = page_xml(page_id, title, rev_id, stamp, source.redirect, source.text)
            yield DumpPage(page_id, title, rev_id, stamp, source.redirect, source.text, xml)
            size += len(xml)
            if size >= target_bytes:
                return


def _prefix(mb: float) -> str:
    return f"enwiki-bench{mb:g}mb-pages-articles"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _params(mb: float) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "mb": mb,
        "pages_per_stream": PAGES_PER_STREAM,
        "stream_xml_bytes": STREAM_XML_BYTES,
        "bz2_level": LEVEL,
        "manifest_sha256": _sha256(MANIFEST),
        "script_sha256": _sha256(Path(__file__).resolve()),
    }


def _files(outdir: Path, mb: float) -> dict[str, Path]:
    prefix = _prefix(mb)
    return {
        "multistream": outdir / f"{prefix}-multistream.xml.bz2",
        "index": outdir / f"{prefix}-multistream-index.txt.bz2",
        "single": outdir / f"{prefix}.xml.bz2",
        "xml": outdir / f"{prefix}.xml",
        "stamp": outdir / f"{prefix}.json",
    }


def _from_stamp(files: dict[str, Path], stamp: dict[str, Any], reused: bool) -> DumpFiles:
    return DumpFiles(
        **files,
        **{k: stamp[k] for k in ("pages", "redirects", "streams", "xml_bytes", "text_bytes")},
        reused=reused,
    )


def _cached(files: dict[str, Path], params: dict[str, Any]) -> DumpFiles | None:
    try:
        stamp = json.loads(files["stamp"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("params") != params:
        return None
    for role, size in stamp.get("sizes", {}).items():
        path = files[role]
        if not path.is_file() or path.stat().st_size != size:
            return None
    return _from_stamp(files, stamp, reused=True)


def build_dump(
    outdir: str | os.PathLike[str] = DEFAULT_OUTDIR, mb: float = DEFAULT_MB, force: bool = False
) -> DumpFiles:
    """Write (or reuse) the dump files of about ``mb`` MB of XML in ``outdir``."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    files = _files(out, mb)
    params = _params(mb)
    if not force:
        cached = _cached(files, params)
        if cached is not None:
            return cached
    files["stamp"].unlink(missing_ok=True)
    temp = {role: path.with_name(path.name + ".tmp") for role, path in files.items()}
    single = bz2.BZ2Compressor(LEVEL)
    index_lines: list[bytes] = []
    counts = {"pages": 0, "redirects": 0, "streams": 0, "xml_bytes": 0, "text_bytes": 0}
    with (
        temp["multistream"].open("wb") as ms,
        temp["single"].open("wb") as sf,
        temp["xml"].open("wb") as xf,
    ):

        def emit(data: bytes) -> None:
            """Write ``data`` as one multistream stream and append it to the other two."""
            ms.write(bz2.compress(data, LEVEL))
            sf.write(single.compress(data))
            xf.write(data)
            counts["streams"] += 1
            counts["xml_bytes"] += len(data)

        emit(HEADER)
        group: list[bytes] = []
        offset = 0
        for page in dump_pages(round(mb * MB)):
            if not group:
                offset = ms.tell()
            group.append(page.xml)
            index_lines.append(f"{offset}:{page.page_id}:{page.title}\n".encode())
            counts["pages"] += 1
            counts["redirects"] += page.redirect is not None
            counts["text_bytes"] += len(page.text.encode("utf-8"))
            if len(group) == PAGES_PER_STREAM or sum(map(len, group)) >= STREAM_XML_BYTES:
                emit(b"".join(group))
                group = []
        if group:
            emit(b"".join(group))
        emit(FOOTER)
        sf.write(single.flush())
    temp["index"].write_bytes(bz2.compress(b"".join(index_lines), LEVEL))
    for role in ("multistream", "index", "single", "xml"):
        os.replace(temp[role], files[role])
    stamp = {
        "params": params,
        **counts,
        "sizes": {role: files[role].stat().st_size for role in ("multistream", "index", "single")}
        | {"xml": counts["xml_bytes"]},
        "sha256": {role: _sha256(files[role]) for role in ("multistream", "index", "single")},
    }
    temp["stamp"].write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    os.replace(temp["stamp"], files["stamp"])
    return _from_stamp(files, stamp, reused=False)


class CheckFailed(Exception):
    """The project's reader does not read back what was written."""


Key = tuple[int | None, str | None, int | None, int | None, str | None, str | None, str]


def _key(page: Any) -> Key:
    """What must survive the round trip, for a :class:`DumpPage` or an ``extractor`` page."""
    digest = hashlib.sha1(page.text.encode("utf-8")).hexdigest()
    if isinstance(page, DumpPage):
        return (page.page_id, page.title, 0, page.rev_id, page.timestamp, page.redirect, digest)
    ids = (page.page_id, page.title, page.namespace, page.revision_id)
    return (*ids, page.timestamp, page.redirect, digest)


def _compare(what: str, got: list[Key], expected: list[Key]) -> None:
    if got == expected:
        return
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        if g != e:
            raise CheckFailed(f"{what}: page {i} differs: read {g}, wrote {e}")
    raise CheckFailed(f"{what}: read {len(got)} pages, wrote {len(expected)}")


def check_dump(dump: DumpFiles, mb: float) -> dict[str, int]:
    """Read the dump back with ``extractor.sources``; raise :class:`CheckFailed` on mismatch."""
    from extractor.sources import multistream_ranges, read_pages, read_range, read_site

    expected = [_key(p) for p in dump_pages(round(mb * MB))]
    counts: dict[str, int] = {"pages_written": len(expected)}
    for role in ("multistream", "single", "xml"):
        got = [_key(p) for p in read_pages(getattr(dump, role))]
        _compare(f"read_pages({role})", got, expected)
        counts[f"read_pages_{role}"] = len(got)
    site = read_site(dump.multistream)
    if site.dbname != "enwiki" or "Category" not in site.namespaces.get(14, ()):
        raise CheckFailed(f"read_site: unexpected {site}")
    ranges = multistream_ranges(dump.multistream)
    got = [_key(p) for r in ranges for p in read_range(r, site)]
    _compare("read_range over multistream_ranges()", got, expected)
    counts["ranges_default"] = len(ranges)
    counts["read_range_default"] = len(got)
    # One range per stream: every page must sit in the stream its index line points to.
    offsets: dict[int, int] = {}
    with bz2.open(dump.index, "rt", encoding="utf-8") as f:
        for line in f:
            offset, page_id, _ = line.split(":", 2)
            offsets[int(page_id)] = int(offset)
    ranges = multistream_ranges(dump.multistream, target_bytes=1)
    got = []
    for r in ranges:
        for page in read_range(r, site):
            if offsets.get(page.page_id or -1) != r.start:
                raise CheckFailed(f"page {page.page_id} is in the stream at {r.start}, not its own")
            got.append(_key(page))
    _compare("read_range, one range per stream", got, expected)
    if len(ranges) != dump.streams - 1:  # the header alone, then each page stream
        raise CheckFailed(f"{len(ranges)} ranges for {dump.streams} streams")
    counts["index_lines"] = len(offsets)
    counts["ranges_per_stream"] = len(ranges)
    counts["read_range_per_stream"] = len(got)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the dump, print its files, optionally check it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR)
    parser.add_argument("--mb", type=float, default=DEFAULT_MB, help="MB (10^6 B) of XML")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    parser.add_argument("--check", action="store_true", help="read back with extractor")
    args = parser.parse_args(argv)
    if args.mb <= 0:
        parser.error("--mb must be positive")
    dump = build_dump(args.outdir, args.mb, force=args.force)
    state = "reused" if dump.reused else "written"
    print(
        f"{state}: {dump.pages} pages ({dump.redirects} redirects), {dump.streams} bz2 streams, "
        f"{dump.xml_bytes / MB:.2f} MB XML, {dump.text_bytes / MB:.2f} MB page text"
    )
    for role, size in dump.sizes().items():
        print(f"  {size / MB:9.3f} MB  {getattr(dump, role)}")
    if args.check:
        try:
            counts = check_dump(dump, args.mb)
        except CheckFailed as exc:
            print(f"check FAILED: {exc}", file=sys.stderr)
            return 1
        print("check OK: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
