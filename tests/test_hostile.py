"""Hostile input through `extractor dump`, end to end: damaged dumps, hostile XML,
pathological pages, and pages that hang or kill their worker.

Each case runs the real command in a subprocess and checks what a user sees: the exit code
the README gives, one line on stderr and no traceback, and an output that holds exactly the
records of the pages before the damage (a prefix of an undamaged run's output).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import json
import multiprocessing
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

import extractor.run.batch
import extractor.run.pool
import extractor.run.runner
from extractor.records import Article
from extractor.run.batch import Options
from extractor.run.pool import watchdog_limit
from extractor.run.runner import run_dump
from tests.paths import SAMPLES, require_shared
from tests.strategies import dump_xml, sample_pages

SHARED = require_shared()
DUMPS = SHARED / "corpus" / "dumps"
OTHER = SHARED / "corpus" / "wikitext" / "other"
#: A real page mwparserfromhell needs ~10 s for (and one that needs ~3 s).
SLOW_PAGE = OTHER / "es__Wikipedia%3AWikirreto_2008%2FNoviembre%2FLucien_leGrey.wiki"

#: 120 pages of real wikitext; as bz2 with 100 kB blocks it has several blocks to damage.
PAGES = sample_pages(120, 3000)
XML = dump_xml(PAGES)
BZ2 = bz2.compress(XML, compresslevel=1)


def dump(*args: str, cwd: Path | None = None, memory_mb: int = 0) -> tuple[int, str]:
    """Exit code and stderr of `extractor dump ARGS -q` in a subprocess (address space
    capped at ``memory_mb`` MiB when given)."""

    def cap() -> None:
        if memory_mb:
            limit = memory_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "extractor", "dump", *args, "-q"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        preexec_fn=cap,
    )
    return result.returncode, result.stderr


def lines(path: Path) -> list[bytes]:
    """The lines of a JSONL file; each must be one whole JSON object."""
    if not path.exists():
        return []
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "the output ends in a torn line"
    out = data.splitlines()
    for line in out:
        assert isinstance(orjson.loads(line), dict)
    return out


def assert_one_line(err: str, *words: str) -> None:
    """stderr is one line, with no traceback, holding ``words``."""
    assert 1 == len(err.strip().splitlines()), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Record lines of the undamaged dump (every page: redirects as records)."""
    folder = tmp_path_factory.mktemp("reference")
    (folder / "d.xml.bz2").write_bytes(BZ2)
    code, err = dump("d.xml.bz2", "-o", "ref.jsonl", "-j", "2", "--redirects", cwd=folder)
    assert 0 == code, err
    out = lines(folder / "ref.jsonl")
    assert len(PAGES) == len(out)
    return out


def good_prefix_pages(data: bytes) -> int:
    """Complete pages in what bz2 gives of ``data`` before it fails, fed as the reader does."""
    out = bytearray()
    dec = bz2.BZ2Decompressor()
    try:
        for i in range(0, len(data), 8 << 10):
            out += dec.decompress(data[i : i + (8 << 10)])
    except (OSError, EOFError):
        pass
    return out.count(b"</page>")


def run_damaged(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, list[bytes]]:
    (tmp_path / name).write_bytes(data)
    code, err = dump(name, "-o", "out.jsonl", "-j", "2", "--redirects", cwd=tmp_path)
    return code, err, lines(tmp_path / "out.jsonl")


# ---------------------------------------------------------------------------- damaged dumps


@pytest.mark.parametrize("fraction", [0.0005, 0.25, 0.5, 0.75, 0.999])
def test_truncated_bz2(fraction: float, tmp_path: Path, reference: list[bytes]) -> None:
    """A .bz2 cut short: the pages of its intact blocks are written, one line, exit 3."""
    data = BZ2[: int(len(BZ2) * fraction)]
    code, err, out = run_damaged(tmp_path, "cut.xml.bz2", data)
    assert 3 == code
    assert_one_line(err, "cut.xml.bz2", "bz2 stream truncated")
    assert good_prefix_pages(data) == len(out)
    assert reference[: len(out)] == out


@pytest.mark.parametrize("fraction", [0.3, 0.7])
def test_flipped_bytes_in_bz2(fraction: float, tmp_path: Path, reference: list[bytes]) -> None:
    """Bytes flipped inside a bz2 block: the pages before that block, one line, exit 3."""
    data = bytearray(BZ2)
    at = int(len(data) * fraction)
    for i in range(at, at + 4):
        data[i] ^= 0x5A
    code, err, out = run_damaged(tmp_path, "flipped.xml.bz2", bytes(data))
    assert 3 == code
    assert_one_line(err, "flipped.xml.bz2", "bz2 data corrupt", "compressed bytes")
    assert 0 < len(out) < len(PAGES)
    assert reference[: len(out)] == out


@pytest.mark.parametrize(
    ("name", "cut_after", "page"),
    [("mid-page", b"<revision>", 60), ("mid-tag", b"<tit", 61), ("mid-text", b"<text", 90)],
)
def test_xml_cut(
    name: str, cut_after: bytes, page: int, tmp_path: Path, reference: list[bytes]
) -> None:
    """XML cut mid-page or mid-tag: exactly the complete pages before the cut, exit 3."""
    start = 0
    for _ in range(page + 1):
        start = XML.index(b"<page>", start) + 1
    cut = XML.index(cut_after, start) + len(cut_after)
    code, err, out = run_damaged(tmp_path, f"{name}.xml", XML[:cut])
    assert 3 == code
    assert_one_line(err, f"{name}.xml", "XML not well-formed", f"{page} pages read before it")
    assert reference[:page] == out


def test_invalid_utf8_in_text(tmp_path: Path, reference: list[bytes]) -> None:
    """Invalid UTF-8 inside a page's <text>: the pages before it, where it is, exit 3."""
    at = XML.index(b"<text", XML.index(b"<title>Page 50<"))
    at = XML.index(b">", at) + 5
    code, err, out = run_damaged(tmp_path, "bad.xml", XML[:at] + b"\xff\xfe\xc3" + XML[at:])
    assert 3 == code
    assert_one_line(err, "bad.xml", "Invalid bytes in character encoding", "line", "'Page 49'")
    assert reference[:50] == out


def test_garbage_after_the_last_stream(tmp_path: Path, reference: list[bytes]) -> None:
    """Bytes after the last bz2 stream: every page is written, the garbage reported."""
    code, err, out = run_damaged(tmp_path, "tail.xml.bz2", BZ2 + b"not bz2 at all")
    assert 3 == code
    assert_one_line(err, "tail.xml.bz2", "not bz2 data")
    assert reference == out


def test_utf16_dump_reads_like_utf8(tmp_path: Path) -> None:
    """The real UTF-16 dump gives the records of its UTF-8 twin; exit 0."""
    outputs = []
    for source in ("pywikibot__article-pyrus.xml", "pywikibot__article-pyrus-utf16.xml"):
        out = tmp_path / f"{source}.jsonl"
        code, err = dump(str(DUMPS / source), "-o", str(out), "--redirects")
        assert (0, "") == (code, err)
        outputs.append(lines(out))
    assert 1 == len(outputs[0])
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.xml", b"", ["empty.xml", "empty file"]),
        ("empty.xml.bz2", b"", ["empty.xml.bz2", "empty"]),
        ("notdump.gz", gzip.compress(b"hello, not a dump\n"), ["notdump.gz", "MediaWiki"]),
        ("page.xml.gz", gzip.compress(b"<?xml version='1.0'?><html/>"), ["page.xml.gz", "html"]),
        ("noise.bin", bytes(range(256)) * 16, ["noise.bin", "binary"]),
    ],
)
def test_unusable_input_is_one_line_exit_2(
    name: str, data: bytes, words: list[str], tmp_path: Path
) -> None:
    """Input that cannot give a single page: exit 2, one line, nothing written."""
    (tmp_path / name).write_bytes(data)
    code, err = dump(name, "-o", "out.jsonl", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, *words)
    assert not (tmp_path / "out.jsonl").exists()


def test_damage_in_one_source_spares_the_next(tmp_path: Path, reference: list[bytes]) -> None:
    """A damaged dump among sources: its good pages and all of the next source; exit 3."""
    (tmp_path / "a.xml.bz2").write_bytes(BZ2[: len(BZ2) // 2])
    (tmp_path / "b.xml").write_bytes(dump_xml(PAGES[:3]))
    code, err = dump("a.xml.bz2", "b.xml", "-o", "out.jsonl", "--redirects", cwd=tmp_path)
    assert 3 == code
    assert_one_line(err, "a.xml.bz2")
    out = lines(tmp_path / "out.jsonl")
    kept = good_prefix_pages(BZ2[: len(BZ2) // 2])
    assert reference[:kept] + reference[:3] == out


def multistream(pages: list[tuple[str, str]], per_stream: int) -> tuple[bytes, bytes]:
    """A multistream dump of ``pages`` and its index (plain text)."""
    xml = dump_xml(pages)
    head_end = xml.index(b"<page>")
    bodies = xml[head_end : xml.rindex(b"</mediawiki>")].split(b"</page>\n")
    page_xml = [b + b"</page>\n" for b in bodies if b]
    data, index = bytearray(bz2.compress(xml[:head_end])), []
    for i in range(0, len(page_xml), per_stream):
        for j in range(i, min(i + per_stream, len(page_xml))):
            index.append(f"{len(data)}:{j + 1}:Page {j}\n")
        data += bz2.compress(b"".join(page_xml[i : i + per_stream]))
    data += bz2.compress(b"</mediawiki>\n")
    return bytes(data), "".join(index).encode()


def test_damaged_multistream_range_costs_only_its_own_pages(tmp_path: Path) -> None:
    """Damage inside one stream of a multistream dump cut into one range per stream: the
    ranges before and after it are written whole; the damage is said with its range."""
    pages = PAGES[:60]
    data, index = multistream(pages, per_stream=10)
    options = Options(redirects=True, range_bytes=1)
    name = "x-multistream.xml.bz2"
    for folder in (tmp_path / "good", tmp_path / "bad"):
        folder.mkdir()
        (folder / "x-multistream-index.txt.bz2").write_bytes(bz2.compress(index))
    (tmp_path / "good" / name).write_bytes(data)
    summary = run_dump([str(tmp_path / "good" / name)], str(tmp_path / "good" / "o.jsonl"),
                       jobs=2, progress=False, options=options)  # fmt: skip
    assert 0 == summary.exit_code
    expected = lines(tmp_path / "good" / "o.jsonl")
    assert len(pages) == len(expected)
    damaged = bytearray(data)
    third = int(index.decode().splitlines()[30].split(":")[0])  # the stream of pages 30-39
    damaged[third + 200] ^= 0xFF
    (tmp_path / "bad" / name).write_bytes(bytes(damaged))
    summary = run_dump([str(tmp_path / "bad" / name)], str(tmp_path / "bad" / "o.jsonl"),
                       jobs=2, progress=False, options=options)  # fmt: skip
    assert 3 == summary.exit_code
    (damage,) = summary.damage
    assert f"range {third}-" in damage and "bz2 data corrupt" in damage and "\n" not in damage
    assert expected[:30] + expected[40:] == lines(tmp_path / "bad" / "o.jsonl")


# ---------------------------------------------------------------------------- hostile XML

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE mediawiki [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<mediawiki><page><title>Laughs</title><ns>0</ns><id>1</id>
<revision><id>2</id><text>&h;&h;&h;&h;&h;&h;&h;&h;</text></revision></page></mediawiki>
"""


@contextlib.contextmanager
def listener() -> Iterator[tuple[int, Callable[[], bool]]]:
    """A TCP port on 127.0.0.1, and a function telling whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    def connected() -> bool:
        try:
            server.accept()[0].close()
        except BlockingIOError:
            return False
        return True

    try:
        yield server.getsockname()[1], connected
    finally:
        server.close()


def assert_nothing_leaked(folder: Path, *secrets: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".json"):
            text = path.read_text(errors="replace")
            for secret in secrets:
                assert secret not in text, path


@pytest.mark.parametrize("pack", [bytes, bz2.compress], ids=["xml", "bz2"])
def test_billion_laughs_refused_in_bounded_memory(
    pack: Callable[[bytes], bytes], tmp_path: Path
) -> None:
    """Nested entities (~25 GB expanded) are refused in one line, in a 1 GiB process."""
    (tmp_path / "laughs.xml").write_bytes(pack(LAUGHS))
    code, err = dump("laughs.xml", "-o", "out.jsonl", cwd=tmp_path, memory_mb=1024)
    assert 2 == code
    assert_one_line(err, "laughs.xml", "DOCTYPE")
    assert "lollol" not in err
    assert not (tmp_path / "out.jsonl").exists()


def test_external_entities_read_no_file(tmp_path: Path) -> None:
    """SYSTEM entities on a local file are refused; the file's content appears nowhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    for i, target in enumerate([secret.as_uri(), "file:///etc/passwd", str(secret)]):
        (tmp_path / f"xxe{i}.xml").write_bytes(
            f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [<!ENTITY x SYSTEM "{target}">]>\n'
            "<mediawiki><page><title>&x;</title><ns>0</ns><id>1</id><revision><id>2</id>"
            "<text>&x;</text></revision></page></mediawiki>".encode()
        )
        code, err = dump(f"xxe{i}.xml", "-o", f"out{i}.jsonl", cwd=tmp_path)
        assert 2 == code
        assert_one_line(err, "DOCTYPE")
        assert "TOP-SECRET" not in err and "root:" not in err
    assert_nothing_leaked(tmp_path, "TOP-SECRET", "root:x:0")


def test_network_is_never_touched(tmp_path: Path) -> None:
    """An external DTD, a schema location, a stylesheet and XInclude pointing at a local
    port: nothing connects; a DOCTYPE is refused, the rest is ignored."""
    with listener() as (port, connected):
        url = f"http://127.0.0.1:{port}"
        (tmp_path / "dtd.xml").write_bytes(
            f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki SYSTEM "{url}/export.dtd">\n'.encode()
            + XML
        )
        code, err = dump("dtd.xml", "-o", "dtd.jsonl", cwd=tmp_path)
        assert 2 == code
        assert_one_line(err, "DOCTYPE")
        body = XML.replace(
            b'xml:lang="en">',
            f'xml:lang="en" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'xsi:schemaLocation="{url}/export-0.10.xsd">'.encode(),
            1,
        ).replace(
            b"</siteinfo>",
            f'</siteinfo><xi:include href="{url}/inc.xml"/>'
            f'<xi:include href="file:///etc/passwd" parse="text"/>'.encode(),
            1,
        )
        stylesheet = f'<?xml-stylesheet type="text/xsl" href="{url}/s.xsl"?>\n'.encode()
        (tmp_path / "refs.xml").write_bytes(stylesheet + body)
        code, err = dump("refs.xml", "-o", "refs.jsonl", "--redirects", cwd=tmp_path)
        assert (0, "") == (code, err)
        assert len(PAGES) == len(lines(tmp_path / "refs.jsonl"))
        time.sleep(0.2)
        assert not connected(), "something connected to the network"
    assert_nothing_leaked(tmp_path, "root:x:0")


def test_undeclared_entity_is_damage_not_expansion(tmp_path: Path, reference: list[bytes]) -> None:
    """An entity reference with no DTD mid-dump: the pages before it, one line, exit 3."""
    at = XML.index(b"<title>Page 10<")
    data = XML[:at] + b"<title>&xxe;</title>" + XML[at + len(b"<title>Page 10</title>") :]
    code, err, out = run_damaged(tmp_path, "entity.xml", data)
    assert 3 == code
    assert_one_line(err, "entity.xml", "xxe")
    assert reference[:10] == out


# ----------------------------------------------------------------------- pathological pages


def big_text(size: int) -> str:
    """``size`` characters of real wikitext (a page with 98 citations, repeated)."""
    page = (SAMPLES / "Bootham_Crescent.wiki").read_text(encoding="utf-8")
    return (page * (size // len(page) + 1))[:size]


#: Pathological pages by name, made at a scale: 10 in the normal suite, 100 (the full
#: sizes: 20 MB of text, 100 000 templates and headings, 10 000-deep refs) in the slow one.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "big text": lambda scale: big_text(scale * 200_000),
    "nested braces": lambda scale: "{{" * 10_000 + "x" + "}}" * 10_000,
    "many templates": lambda scale: "{{a}}" * (scale * 1000),
    "long line": lambda scale: "word [[link]] " * 75_000,
    "many parameters": lambda scale: (
        "{{cite web|" + "|".join(f"p{i}=v{i}" for i in range(50_000)) + "}}"
    ),
    "nested refs": lambda scale: "<ref>" * min(scale**2, 10_000) + "x" + "</ref>" * 10_000,
    "nested links": lambda scale: "[[" * 10_000 + "x" + "]]" * 10_000,
    "unclosed": lambda scale: "{{" * 10_000 + "[[" * 10_000 + "<ref>" * 10_000,
    "many headings": lambda scale: "== H ==\n" * (scale * 1000),
}


def pathological_run(tmp_path: Path, scale: int, timeout: str) -> tuple[dict[str, int], int]:
    """Run a dump of the pathological pages between normal ones; check and return the
    stats and the workers' peak RSS in KiB."""
    normal = sample_pages(len(PATHOLOGICAL) + 1, 3000)
    pages: list[tuple[str, str]] = [normal[0]]
    for i, (name, make) in enumerate(PATHOLOGICAL.items()):
        pages += [(name, make(scale)), normal[i + 1]]
    (tmp_path / "p.xml").write_bytes(dump_xml(pages))
    memory_mb = 2048
    script = (
        "import resource, sys\n"
        "from extractor.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], prog_name='extractor')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    command = [
        sys.executable, "-c", script, "dump", "p.xml", "-o", "out.jsonl", "-j", "2", "-q",
        "--page-timeout", timeout, "--memory-limit", str(memory_mb), "--stats", "s.json",
        "--redirects",
    ]  # fmt: skip
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=900,
    )
    assert result.returncode in (0, 1), result.stderr
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    stats = json.loads((tmp_path / "s.json").read_text())
    titles = [orjson.loads(line)["title"] for line in lines(tmp_path / "out.jsonl")]
    errors = {orjson.loads(e)["title"] for e in lines(tmp_path / "out.errors.jsonl")}
    assert len(pages) == stats["pages"] == stats["records"] + stats["errors"]
    assert not stats["skipped"]
    for title, _ in normal:
        assert title in titles, f"normal page {title} lost"
    for name in PATHOLOGICAL:
        assert (name in titles) != (name in errors), f"{name}: not exactly one record"
    assert [t for t, _ in pages if t not in errors] == titles, "records out of page order"
    assert peak_kib << 10 < memory_mb << 20
    return stats, peak_kib


def test_pathological_pages_are_records_or_errors_and_the_run_goes_on(tmp_path: Path) -> None:
    """Deep nesting, 10 000s of templates, parameters and headings, a 1 MB line, 2 MB of
    text, among normal pages: each is a record or an error record, none is lost, every
    normal page is a record, the workers stay under their memory cap."""
    pathological_run(tmp_path, scale=10, timeout="20")


@pytest.mark.slow
def test_pathological_pages_full_size(tmp_path: Path) -> None:
    """The full sizes: 20 MB of text, 100 000 templates, 100 000 headings."""
    stats, _ = pathological_run(tmp_path, scale=100, timeout="20")
    assert stats["records"] >= len(PATHOLOGICAL)


# --------------------------------------------------------------- pages that hang or kill


def test_watchdog_limit() -> None:
    """The parent's deadline is the page timeout plus a grace; none without a timeout."""
    assert (None, 2.0, 75.0) == (watchdog_limit(0), watchdog_limit(1), watchdog_limit(60))


def test_slow_real_page_times_out_quickly(tmp_path: Path) -> None:
    """A real page that takes seconds to parse becomes a timeout error record at
    --page-timeout 1, quickly; the pages around it are records."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.wiki").write_text((SAMPLES / "Albedo.wiki").read_text())
    (folder / "b.wiki").write_bytes(SLOW_PAGE.read_bytes())
    (folder / "c.wiki").write_text((SAMPLES / "Actrius.wiki").read_text())
    started = time.monotonic()
    code, err = dump("in", "-o", "out.jsonl", "--page-timeout", "1", "-j", "2", cwd=tmp_path)
    seconds = time.monotonic() - started
    assert (1, "") == (code, err)
    assert [b"a", b"c"] == [
        orjson.loads(x)["title"].encode() for x in lines(tmp_path / "out.jsonl")
    ]
    (error,) = [orjson.loads(x) for x in lines(tmp_path / "out.errors.jsonl")]
    assert ("b", "timeout: extraction took longer than 1 s") == (error["title"], error["reason"])
    assert seconds < 8


needs_fork = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the fault is injected into workers through fork-inherited state",
)


def _no_alarm(seconds: float) -> contextlib.AbstractContextManager[None]:
    """In place of the SIGALRM page timeout: as if the page were stuck in C code."""
    return contextlib.nullcontext()


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_watchdog_stops_a_page_sigalrm_cannot_reach(
    jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SIGALRM out of play, the real slow page is still stopped by the parent's
    watchdog at timeout + grace, becomes a timeout error record, and the run goes on."""
    monkeypatch.setattr(extractor.run.batch, "_time_limit", _no_alarm)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.wiki").write_text((SAMPLES / "Albedo.wiki").read_text())
    (folder / "b.wiki").write_bytes(SLOW_PAGE.read_bytes())
    (folder / "c.wiki").write_text((SAMPLES / "Actrius.wiki").read_text())
    started = time.monotonic()
    summary = run_dump(
        [str(folder)], str(tmp_path / "o.jsonl"), jobs=jobs, progress=False,
        options=Options(page_timeout=1),
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert 1 == summary.exit_code
    assert [b"a", b"c"] == [orjson.loads(x)["title"].encode() for x in lines(tmp_path / "o.jsonl")]
    (error,) = [orjson.loads(x) for x in lines(tmp_path / "o.errors.jsonl")]
    assert ("b", "timeout: extraction took longer than 1 s") == (error["title"], error["reason"])
    assert seconds < 2.0 + 5


@needs_fork
def test_page_that_never_returns_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that blocks SIGALRM and never returns (a C-level hang) costs that page only,
    in a unit of many pages, with other units in flight."""
    real = extractor.run.batch.extract_page

    def hanging(page: object) -> Article:
        if getattr(page, "title", None) == "Page 70":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        return real(page)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor.run.batch, "extract_page", hanging)
    pages = sample_pages(200, 500)
    (tmp_path / "d.xml").write_bytes(dump_xml(pages))
    options = Options(page_timeout=0.5, redirects=True)
    summary = run_dump(
        [str(tmp_path / "d.xml")], str(tmp_path / "o.jsonl"), jobs=2, progress=False,
        options=options,
    )  # fmt: skip
    assert 1 == summary.exit_code
    titles = [orjson.loads(x)["title"] for x in lines(tmp_path / "o.jsonl")]
    assert [t for t, _ in pages if t != "Page 70"] == titles
    (error,) = [orjson.loads(x) for x in lines(tmp_path / "o.errors.jsonl")]
    assert ("Page 70", "timeout") == (error["title"], error["reason"].split(":")[0])
    assert 200 == summary.counts["pages"] == summary.counts["records"] + summary.counts["errors"]


@needs_fork
def test_page_killed_by_the_kernel_is_a_crash_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker SIGKILLed on a page (as the OOM killer does) costs that page only."""
    real = extractor.run.batch.extract_page

    def killed(page: object) -> Article:
        if getattr(page, "title", None) in ("Page 3", "Page 100"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(page)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor.run.batch, "extract_page", killed)
    pages = sample_pages(150, 500)
    (tmp_path / "d.xml").write_bytes(dump_xml(pages))
    summary = run_dump(
        [str(tmp_path / "d.xml")], str(tmp_path / "o.jsonl"), jobs=2, progress=False,
        options=Options(redirects=True),
    )  # fmt: skip
    assert 1 == summary.exit_code
    titles = [orjson.loads(x)["title"] for x in lines(tmp_path / "o.jsonl")]
    assert [t for t, _ in pages if t not in ("Page 3", "Page 100")] == titles
    errors = [orjson.loads(x) for x in lines(tmp_path / "o.errors.jsonl")]
    expected = [
        ("Page 3", "crash: the worker process died on this page (killed by SIGKILL)"),
        ("Page 100", "crash: the worker process died on this page (killed by SIGKILL)"),
    ]
    assert expected == [(e["title"], e["reason"]) for e in errors]


def test_memory_cap_never_exceeds_an_inherited_hard_limit() -> None:
    """A worker's cap is clamped to a hard limit already in force instead of failing."""
    script = (
        "import resource\n"
        "from extractor.run.batch import Options, init_worker\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "init_worker(Options(memory_mb=4096))\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ("1024\n", "") == (out.stdout, out.stderr)


def test_extract_dump_library_gets_the_same_protection(
    tmp_path: Path,
) -> None:
    """The library's extract_dump() runs through the same watchdogged pool."""
    (tmp_path / "d.xml").write_bytes(dump_xml([("Slow", SLOW_PAGE.read_text()), ("Ok", "Hi.")]))
    records = list(
        extractor.run.runner.extract_dump(
            str(tmp_path / "d.xml"), jobs=2, options=Options(page_timeout=1)
        )
    )
    assert ["ErrorRecord", "Article"] == [type(r).__name__ for r in records]


@needs_fork
def test_unit_that_keeps_killing_workers_outside_pages_is_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit whose worker dies before any page (three times) becomes error records for
    all its pages, with the reason; the units around it are written; the run ends."""
    real = extractor.run.pool.process_unit
    parent = os.getpid()

    def dying(unit: object, *args: object) -> object:
        pages = getattr(unit, "pages", ())
        if os.getpid() != parent and any(p.title == "Page 70" for p in pages):
            os._exit(3)
        return real(unit, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor.run.pool, "process_unit", dying)
    pages = sample_pages(200, 300)
    (tmp_path / "d.xml").write_bytes(dump_xml(pages))
    summary = run_dump(
        [str(tmp_path / "d.xml")], str(tmp_path / "o.jsonl"), jobs=2, progress=False,
        options=Options(redirects=True),
    )  # fmt: skip
    assert 1 == summary.exit_code
    titles = [orjson.loads(x)["title"] for x in lines(tmp_path / "o.jsonl")]
    assert [t for t, _ in pages[:64] + pages[128:]] == titles
    errors = [orjson.loads(x) for x in lines(tmp_path / "o.errors.jsonl")]
    assert [t for t, _ in pages[64:128]] == [e["title"] for e in errors]
    reason = f"crash: the worker process died {extractor.run.pool.MAX_UNIT_DEATHS + 1} times"
    assert all(e["reason"].startswith(reason) for e in errors), errors[0]
    assert 200 == summary.counts["pages"] == summary.counts["records"] + summary.counts["errors"]
