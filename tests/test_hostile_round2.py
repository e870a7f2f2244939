"""Hostile input, round two: bad indexes, giant pages, outputs that are inputs, resumes that
would mix two runs, concurrent runs, undecodable names, absurd options, pipes and FIFOs.

Every case runs the real ``extractor`` command in a subprocess on real files (pipes, FIFOs,
symlinks, a second process) and checks what a user sees: the documented exit code, one line
on stderr and no traceback, and an output that loses no page it could have kept.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

import extractor.run.pool
import extractor.sources.xmldump
from extractor import extract
from extractor.run.batch import Options
from extractor.run.pool import WorkerStartError
from extractor.run.runner import run_dump
from tests.strategies import dump_xml, sample_pages
from tests.test_hostile import PAGES, assert_one_line, dump, lines, multistream

CLI = [sys.executable, "-m", "extractor"]


def run(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`extractor ARGS` in a subprocess, with its exit code and stderr."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=600, **kwargs
    )  # type: ignore[call-overload, no-any-return]


def titles(path: Path) -> list[str]:
    return [orjson.loads(line)["title"] for line in lines(path)]


# ------------------------------------------------------------------------ 1. bad indexes

MS_PAGES = PAGES[:60]


@pytest.fixture(scope="module")
def ms(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, list[bytes]]:
    """A multistream dump of 60 pages (10 per stream), its plain index, and the records of
    a run with the index."""
    data, index = multistream(MS_PAGES, per_stream=10)
    folder = tmp_path_factory.mktemp("ms")
    (folder / "x-multistream.xml.bz2").write_bytes(data)
    (folder / "x-multistream-index.txt.bz2").write_bytes(bz2.compress(index))
    code, err = dump("x-multistream.xml.bz2", "-o", "o.jsonl", "-j", "2", "--redirects",
                     cwd=folder)  # fmt: skip
    assert (0, "") == (code, err)
    return data, index, lines(folder / "o.jsonl")


def run_with_index(folder: Path, data: bytes, index: bytes) -> tuple[int, str, list[bytes]]:
    folder.mkdir()
    (folder / "x-multistream.xml.bz2").write_bytes(data)
    (folder / "x-multistream-index.txt.bz2").write_bytes(index)
    code, err = dump("x-multistream.xml.bz2", "-o", "o.jsonl", "-j", "2", "--redirects",
                     cwd=folder)  # fmt: skip
    return code, err, lines(folder / "o.jsonl")


def test_truncated_multistream_with_its_index_keeps_the_pages_before_the_cut(
    tmp_path: Path, ms: tuple[bytes, bytes, list[bytes]]
) -> None:
    """A multistream dump cut in its 4th stream, with its index beside it: the 30 pages
    of the first three streams are written, the index's surplus is a warning, exit 3."""
    data, index, expected = ms
    fourth = int(index.decode().splitlines()[30].split(":")[0])
    code, err, out = run_with_index(tmp_path / "t", data[: fourth + 300], bz2.compress(index))
    assert 3 == code
    assert "past the end" in err and "truncated" in err and "Traceback" not in err
    assert 2 == len(err.strip().splitlines()), err  # the warning, then the damage
    assert expected[:30] == out


def shifted(index: bytes, by: int) -> bytes:
    return b"".join(
        b"%d:%s" % (int(line.split(b":", 1)[0]) + by if i else 0, line.split(b":", 1)[1])
        for i, line in enumerate(index.splitlines(keepends=True))
    )


@pytest.mark.parametrize(
    "case",
    ["shifted by a byte", "another dump's", "a malformed line", "truncated", "empty", "binary"],
)
def test_index_that_does_not_fit_costs_the_index_not_the_pages(
    case: str, tmp_path: Path, ms: tuple[bytes, bytes, list[bytes]]
) -> None:
    """An index that does not match its dump, or cannot be read: one warning line, the
    dump is read in sequence, every page is written as with a good index, exit 0."""
    data, index, expected = ms
    other_data, other_index = multistream(PAGES[60:120], per_stream=7)
    bad = {
        "shifted by a byte": bz2.compress(shifted(index, 1)),
        "another dump's": bz2.compress(other_index),
        "a malformed line": bz2.compress(index + b"this is not an index line\n"),
        "truncated": bz2.compress(index)[:-20],
        "empty": b"",
        "binary": os.urandom(300),
    }[case]
    assert other_data
    code, err, out = run_with_index(tmp_path / "t", data, bad)
    assert 0 == code, err
    assert_one_line(err, "warning", "index", "in sequence")
    assert expected == out


def test_index_option_belongs_to_the_one_bz2_source(
    tmp_path: Path, ms: tuple[bytes, bytes, list[bytes]]
) -> None:
    """--index with a dump and a second, plain source: the plain source is read whole, not
    cut by the index; with two bz2 sources, a one-line refusal (exit 2)."""
    data, index, expected = ms
    (tmp_path / "d.bz2").write_bytes(data)
    (tmp_path / "i.txt").write_bytes(index)
    plain = dump_xml(PAGES[60:90])
    (tmp_path / "plain.xml").write_bytes(plain)
    code, err = dump("d.bz2", "plain.xml", "--index", "i.txt", "-o", "o.jsonl", "--redirects",
                     cwd=tmp_path)  # fmt: skip
    assert (0, "") == (code, err)
    assert 60 + 30 == len(lines(tmp_path / "o.jsonl"))
    assert expected == lines(tmp_path / "o.jsonl")[:60]
    (tmp_path / "e.bz2").write_bytes(data)
    code, err = dump("d.bz2", "e.bz2", "--index", "i.txt", "-o", "o2.jsonl", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "--index", "d.bz2", "e.bz2")
    code, err = dump("d.bz2", "--index", "missing.txt", "-o", "o3.jsonl", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "missing.txt")


# ------------------------------------------------------------------------ 3. giant pages


def giant_dump(text_bytes: int, between: int = 0) -> bytes:
    """A dump: a page, a page whose text is ``text_bytes`` long, ``between`` bytes of
    whitespace, and a last page."""

    def page(i: int, text: bytes) -> bytes:
        return (
            b"<page><title>P%d</title><ns>0</ns><id>%d</id><revision><id>%d</id><text>%s"
            b"</text></revision></page>\n" % (i, i, i, text)
        )

    return (
        b"<mediawiki>"
        + page(1, b"first")
        + page(2, b"a" * text_bytes)
        + b" " * between
        + page(3, b"last")
        + b"</mediawiki>\n"
    )


COMPRESSIONS = {
    "xml": lambda data: data,
    "xml.bz2": bz2.compress,
    "xml.gz": gzip.compress,
    "xml.xz": lambda data: lzma.compress(data, preset=0),
}


@pytest.mark.parametrize("suffix", sorted(COMPRESSIONS))
def test_page_over_the_limit_is_an_error_record_and_the_run_goes_on(
    suffix: str, tmp_path: Path
) -> None:
    """A page past the size a page may take (and as much whitespace after it) from any
    compression: the same records, that page an error record with its title and id, exit 1."""
    limit = extractor.sources.xmldump.MAX_ELEMENT_BYTES
    data = giant_dump(limit + (1 << 20), between=limit + (1 << 20))
    (tmp_path / f"d.{suffix}").write_bytes(COMPRESSIONS[suffix](data))
    code, err = dump(f"d.{suffix}", "-o", "o.jsonl", "-j", "2", cwd=tmp_path)
    assert (1, "") == (code, err)
    assert ["P1", "P3"] == titles(tmp_path / "o.jsonl")
    (error,) = lines(tmp_path / "o.errors.jsonl")
    record = orjson.loads(error)
    assert ("P2", 2) == (record["title"], record["page_id"])
    assert record["reason"].startswith("too large: 65 MiB of XML in one page")


@pytest.mark.parametrize("suffix", ["xml.bz2", "xml.xz"])
def test_gigabyte_text_from_a_tiny_file_in_bounded_memory(suffix: str, tmp_path: Path) -> None:
    """A 1.1 GB ``<text>`` from a few kB of compressed data (past libxml2's own limit):
    the pages after it are kept, and no process of the run grows past 400 MB."""
    compressor = bz2.BZ2Compressor() if suffix == "xml.bz2" else lzma.LZMACompressor(preset=0)
    head, tail = giant_dump(0).split(b"<text></text>")
    parts = [compressor.compress(head + b"<text>")]
    chunk = b"a" * (1 << 24)
    parts += [compressor.compress(chunk) for _ in range(66)]
    parts += [compressor.compress(b"</text>" + tail), compressor.flush()]
    (tmp_path / f"d.{suffix}").write_bytes(b"".join(parts))
    measure = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )  # the peak of the run's processes alone: the parent, or any worker
    result = subprocess.run(
        [sys.executable, "-c", measure, *CLI, "dump", f"d.{suffix}", "-o", "o.jsonl", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    code, peak_mb = map(int, result.stdout.split())
    assert (1, "") == (code, result.stderr)
    assert ["P1", "P3"] == titles(tmp_path / "o.jsonl")
    assert peak_mb < 400, peak_mb


def test_oversized_parts_of_a_page_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a 1 MiB limit: an oversized revision, title, or run of whitespace costs that
    page at most; an earlier oversized revision of a history page costs nothing."""
    monkeypatch.setattr(extractor.sources.xmldump, "MAX_ELEMENT_BYTES", 1 << 20)
    big = b"x" * (2 << 20)
    xml = (
        b"<mediawiki><page><title>A</title><ns>0</ns><id>1</id><revision><id>1</id>"
        b"<text>" + big + b"</text></revision><revision><id>2</id><text>kept</text>"
        b"</revision></page>\n" + b" " * (3 << 20) + b"<page><title>B" + big + b"</title>"
        b"<ns>0</ns><id>2</id></page><page><title>C</title><ns>0</ns><id>3</id><revision>"
        b"<id>3</id><text>" + big + b"</text></revision></page></mediawiki>"
    )
    parser = extractor.sources.xmldump.DumpParser("x")
    pages = [p for i in range(0, len(xml), 50_000) for p in parser.feed(xml[i : i + 50_000])]
    pages += parser.close()
    parser.check()
    assert [("A", 1, "kept", None), (None, None, "", True), ("C", 3, "", True)] == [
        (p.title, p.page_id, p.text, p.error and p.error.startswith("too large")) for p in pages
    ]


# ------------------------------------------------------------- 4-5. outputs never inputs


@pytest.mark.parametrize("flag", ["-o", "--errors", "--stats"])
def test_output_that_is_the_input_is_refused_before_anything_is_written(
    flag: str, tmp_path: Path
) -> None:
    """`dump in.xml -o in.xml` (or --errors, --stats, or through a link): refused with one
    line, exit 2, and the input is untouched; `extract in.wiki -o in.wiki` too."""
    data = dump_xml(PAGES[:5])
    (tmp_path / "in.xml").write_bytes(data)
    (tmp_path / "link.xml").symlink_to("in.xml")
    args = ["-o", "o.jsonl"] if flag != "-o" else []
    code, err = dump("in.xml", *args, flag, "link.xml", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "link.xml", "refusing")
    assert data == (tmp_path / "in.xml").read_bytes()
    result = run("extract", "in.xml", "-o", "in.xml", cwd=tmp_path)
    assert 2 == result.returncode
    assert_one_line(result.stderr, "refusing")
    assert data == (tmp_path / "in.xml").read_bytes()


def test_a_run_never_reads_its_own_outputs(tmp_path: Path) -> None:
    """`dump DIR -o DIR/out.jsonl` (errors, journal and stats in DIR too), run twice, at
    -j 1 and -j 2: the same bytes as with the output outside DIR."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.xml").write_bytes(dump_xml(PAGES[i * 20 : i * 20 + 20]))
    code, err = dump("in", "-o", "ref.jsonl", cwd=tmp_path)
    assert (0, "") == (code, err)
    expected = (tmp_path / "ref.jsonl").read_bytes()
    for jobs in ("1", "2", "2"):
        code, err = dump("in", "-o", "in/out.jsonl", "--stats", "in/s.json", "-j", jobs,
                         cwd=tmp_path)  # fmt: skip
        assert (0, "") == (code, err)
        assert expected == (folder / "out.jsonl").read_bytes()


def test_output_over_a_page_file_of_the_input_folder_is_refused(tmp_path: Path) -> None:
    """`dump DIR -o DIR/page.wiki`: that file is an input, not one of our outputs: refused;
    `extract DIR -o DIR/` too (its records would be read as pages next time)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.wiki").write_text("Some [[Category:X]] text.")
    code, err = dump("in", "-o", "in/page.wiki", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "page.wiki", "refusing")
    assert "Some [[Category:X]] text." == (folder / "page.wiki").read_text()
    result = run("extract", "in", "-o", "in/", cwd=tmp_path)
    assert 2 == result.returncode
    assert_one_line(result.stderr, "input folder")


# ------------------------------------------------------------- 6-7. resume and locking


def interrupted(tmp_path: Path, *args: str, units: int = 2) -> Path:
    """Run `dump in.xml -o out.jsonl ARGS` and stop it, as a kill would, after ``units``
    units are journaled: the output and journal are left as they were then."""
    out = tmp_path / "out.jsonl"
    code = (
        "import sys, extractor.run.sinks as s, extractor.cli as c\n"
        "real = s.JsonlSink.write\n"
        "def write(self, unit, *a, **k):\n"
        f"    if unit == {units}: import os; os._exit(9)\n"
        "    real(self, unit, *a, **k)\n"
        "s.JsonlSink.write = write\n"
        "sys.argv = ['extractor', *sys.argv[1:]]\n"
        "c.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "dump", "in.xml", "-o", str(out), "-q", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert 9 == result.returncode, result.stderr
    assert Path(f"{out}.journal").exists()
    return out


@pytest.fixture
def resumable(tmp_path: Path) -> tuple[Path, bytes]:
    """An input of 200 pages (4 units) and the bytes of its clean run; English pages only,
    as the dump says (a German one would be a warning, on stderr)."""
    pages = [page for page in sample_pages(240, 500) if "[[Kategorie:" not in page[1]]
    (tmp_path / "in.xml").write_bytes(dump_xml(pages[:200]))
    code, err = dump("in.xml", "-o", "clean.jsonl", cwd=tmp_path)
    assert (0, "") == (code, err)
    return tmp_path, (tmp_path / "clean.jsonl").read_bytes()


def test_resume_with_the_same_run_is_byte_identical(resumable: tuple[Path, bytes]) -> None:
    """The control: interrupted after 2 units, resumed with the same command: clean bytes."""
    folder, clean = resumable
    out = interrupted(folder)
    code, err = dump("in.xml", "-o", str(out), "--resume", cwd=folder)
    assert (0, "") == (code, err)
    assert clean == out.read_bytes()


@pytest.mark.parametrize(
    "change", ["input edited", "--redirects", "--namespaces", "--errors elsewhere"]
)
def test_resume_of_another_run_is_refused(change: str, resumable: tuple[Path, bytes]) -> None:
    """--resume after the input or an option that changes the output changed: one line
    naming what changed, exit 2, and the partial output is left as it was."""
    folder, _ = resumable
    out = interrupted(folder)
    partial = out.read_bytes()
    args = {"--redirects": ["--redirects"], "--namespaces": ["--namespaces", "0,14"],
            "--errors elsewhere": ["--errors", "e.jsonl"]}.get(change, [])  # fmt: skip
    if change == "input edited":
        with (folder / "in.xml").open("r+b") as f:
            f.seek(100)
            f.write(b"x")
    code, err = dump("in.xml", "-o", str(out), "--resume", *args, cwd=folder)
    assert 2 == code
    word = {"input edited": "sources", "--errors elsewhere": "errors"}.get(change, change[2:])
    assert_one_line(err, "another run", word, "without --resume")
    assert partial == out.read_bytes()


@pytest.mark.parametrize(
    "damage", ["wrong types", "unit past the end", "output cut mid-line", "foreign journal"]
)
def test_resume_from_a_bad_journal_is_a_one_line_refusal(
    damage: str, resumable: tuple[Path, bytes]
) -> None:
    """A journal with wrong types, one journaling more units than the sources have, an
    output cut inside a record, or a journal of no known format: one line, exit 2."""
    folder, _ = resumable
    out = interrupted(folder)
    journal = Path(f"{out}.journal")
    head, *entries = journal.read_bytes().splitlines(keepends=True)
    if damage == "wrong types":
        entry = orjson.loads(entries[0]) | {"out": "12"}
        journal.write_bytes(head + orjson.dumps(entry) + b"\n" + b"".join(entries[1:]))
    elif damage == "unit past the end":
        last = orjson.loads(entries[-1])
        more = [last | {"unit": unit} for unit in range(last["unit"] + 1, 40)]
        journal.write_bytes(
            head + b"".join(entries) + b"".join(orjson.dumps(e) + b"\n" for e in more)
        )
    elif damage == "output cut mid-line":
        with out.open("r+b") as f:
            f.truncate(orjson.loads(entries[-1])["out"] - 10)
    else:
        journal.write_bytes(b'{"unit": 0, "out": 10, "err": 0, "counts": {}}\n')
    code, err = dump("in.xml", "-o", str(out), "--resume", cwd=folder)
    assert 2 == code
    assert_one_line(err, "journal" if damage != "output cut mid-line" else "out.jsonl")


def test_resume_from_a_pipe_is_refused(tmp_path: Path) -> None:
    """--resume cannot tell that a pipe gives the same pages again: refused, exit 2."""
    read, write = os.pipe()
    os.close(write)
    code = run("dump", f"/dev/fd/{read}", "-o", "o.jsonl", "--resume", cwd=tmp_path,
               pass_fds=(read,)).returncode  # fmt: skip
    os.close(read)
    assert 2 == code


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    """Two runs on the same -o at once: the second is refused with one line, exit 2, and
    the first one's output is whole."""
    (tmp_path / "in.xml").write_bytes(dump_xml(sample_pages(400, 3000)))
    first = subprocess.Popen(
        [*CLI, "dump", "in.xml", "-o", "o.jsonl", "-q", "-j", "1"], cwd=tmp_path,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        journal = tmp_path / "o.jsonl.journal"
        while not journal.exists() and first.poll() is None:
            threading.Event().wait(0.02)
        second = run("dump", "in.xml", "-o", "o.jsonl", "-q", cwd=tmp_path)
    finally:
        assert 0 == first.wait(600)
    assert 2 == second.returncode
    assert_one_line(second.stderr, "o.jsonl", "another run")
    code, err = dump("in.xml", "-o", "clean.jsonl", cwd=tmp_path)
    assert (0, "") == (code, err)
    assert (tmp_path / "clean.jsonl").read_bytes() == (tmp_path / "o.jsonl").read_bytes()


# ----------------------------------------------------------------- 8-10. no tracebacks

BAD_NAME = os.fsdecode(b"caf\xe9 page.wiki")


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A file named with a byte that is not UTF-8, and a --title that is not: records for
    every file with the name written as \\xNN, in dump and extract, exit 0."""
    (tmp_path / BAD_NAME).write_text("Text [[Category:X]].")
    (tmp_path / "good.wiki").write_text("Other text.")
    code, err = dump(".", "-o", os.path.join(os.pardir, "o.jsonl"), cwd=tmp_path)
    assert (0, "") == (code, err)
    assert ["caf\\xe9 page", "good"] == titles(tmp_path.parent / "o.jsonl")
    result = run("extract", BAD_NAME, "--title", os.fsdecode(b"T\xe9"), cwd=tmp_path)
    assert (0, "") == (result.returncode, result.stderr)
    assert "T\\xe9" == orjson.loads(result.stdout)["title"]


def test_lone_surrogate_title_serializes() -> None:
    """An Article whose title holds a lone surrogate becomes JSON with U+FFFD there."""
    assert "a\ufffdb" == orjson.loads(extract("x", title="a\ud800b").to_json())["title"]


def test_page_id_beyond_64_bits(tmp_path: Path) -> None:
    """`<id>99999999999999999999999</id>`: every page is a record, that id null with a
    problem saying so, exit 0."""
    data = dump_xml(PAGES[:3]).replace(b"<id>2</id>", b"<id>99999999999999999999999</id>", 1)
    assert b"99999999999999999999999" in data
    (tmp_path / "d.xml").write_bytes(data)
    code, err = dump("d.xml", "-o", "o.jsonl", "-j", "2", "--redirects", cwd=tmp_path)
    assert (0, "") == (code, err)
    records = [orjson.loads(line) for line in lines(tmp_path / "o.jsonl")]
    assert 3 == len(records)
    (odd,) = [r for r in records if r["page_id"] is None]
    assert any("64-bit" in p for p in odd["problems"])


def test_dangling_link_and_unreadable_folder_are_error_records(tmp_path: Path) -> None:
    """In a folder: a dangling link and a sub-folder that cannot be listed are one error
    record each; the other files are records; exit 1.  (Run without the capabilities that
    let root list any folder.)"""
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.wiki").write_text("A page.")
    (folder / "locked" / "b.wiki").write_text("B page.")
    (folder / "z.wiki").symlink_to(tmp_path / "nowhere")
    (folder / "locked").chmod(0o000)
    drop = (
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if not os.geteuid() else []
    )
    try:
        result = subprocess.run(
            [*drop, *CLI, "dump", "in", "-o", "o.jsonl", "-q"], cwd=tmp_path,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        (folder / "locked").chmod(0o755)
    assert (1, "") == (result.returncode, result.stderr)
    assert ["a"] == titles(tmp_path / "o.jsonl")
    errors = [orjson.loads(line) for line in lines(tmp_path / "o.errors.jsonl")]
    assert ["in/locked", "in/z.wiki"] == [e["source"] for e in errors]
    assert "cannot list folder" in errors[0]["reason"]
    assert "no such file" in errors[1]["reason"]


# ------------------------------------------------------------------- 12. absurd options


@pytest.mark.parametrize(
    "option",
    [
        ("--page-timeout", "inf"), ("--page-timeout", "nan"), ("--page-timeout", "-1"),
        ("--memory-limit", "99999999999999"), ("--memory-limit", "-5"),
        ("--memory-limit", "10"), ("-j", "100000"), ("--namespaces", "x"),
    ],
)  # fmt: skip
def test_absurd_option_values_are_one_line_usage_errors(
    option: tuple[str, str], tmp_path: Path
) -> None:
    """Infinite, NaN, negative or huge values: refused before anything runs, exit 2."""
    (tmp_path / "d.xml").write_bytes(dump_xml(PAGES[:2]))
    result = run("dump", "d.xml", "-o", "o.jsonl", *option, cwd=tmp_path)
    assert 2 == result.returncode
    assert "Traceback" not in result.stderr and option[0].lstrip("-")[:4] in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_workers_that_cannot_start_end_the_run_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers that die as they start (here: their setup exits) are not respawned forever:
    the run stops with WorkerStartError (exit 2) after a few."""
    (tmp_path / "d.xml").write_bytes(dump_xml(sample_pages(400, 200)))
    monkeypatch.setattr(extractor.run.pool, "init_worker", lambda options: os._exit(70))
    with pytest.raises(WorkerStartError) as info:
        run_dump([str(tmp_path / "d.xml")], str(tmp_path / "o.jsonl"), jobs=2,
                 progress=False, options=Options())  # fmt: skip
    assert "die before finishing any work" in str(info.value)
    assert 2 == info.value.exit_code


# -------------------------------------------------------------------- 13. pipes, FIFOs


@pytest.fixture
def gz_dump(tmp_path: Path) -> tuple[bytes, list[bytes]]:
    """A gzip dump of 30 pages and its records, made from a file."""
    data = gzip.compress(dump_xml(PAGES[:30]))
    (tmp_path / "d.xml.gz").write_bytes(data)
    code, err = dump("d.xml.gz", "-o", "ref.jsonl", cwd=tmp_path)
    assert (0, "") == (code, err)
    return data, lines(tmp_path / "ref.jsonl")


def feed(path: str | int, data: bytes) -> threading.Thread:
    """Write ``data`` into the FIFO at ``path`` (or the pipe's end ``path``) from a thread,
    and close it."""

    def write() -> None:
        with open(path, "wb") as f:
            f.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_process_substitution_pipe_is_read_once(
    tmp_path: Path, gz_dump: tuple[bytes, list[bytes]]
) -> None:
    """`dump <(cat d.xml.gz)`: a pipe is read once, from its first byte: every record."""
    data, expected = gz_dump
    read, write = os.pipe()
    writer = feed(write, data)
    result = run("dump", f"/dev/fd/{read}", "-o", "o.jsonl", "-q", cwd=tmp_path,
                 pass_fds=(read,))  # fmt: skip
    writer.join()
    os.close(read)
    assert (0, "") == (result.returncode, result.stderr)
    assert expected == lines(tmp_path / "o.jsonl")


def test_named_fifo_is_read_once(tmp_path: Path, gz_dump: tuple[bytes, list[bytes]]) -> None:
    """A named FIFO as a source: read once, no hang, every record."""
    data, expected = gz_dump
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = feed(str(fifo), data)
    result = run("dump", "fifo", "-o", "o.jsonl", "-q", cwd=tmp_path)
    writer.join(5)
    assert (0, "") == (result.returncode, result.stderr)
    assert expected == lines(tmp_path / "o.jsonl")
