"""Interruptions: `kill -9` at random moments during `extractor dump -j 2`, then `--resume`,
must end byte-identical to an uninterrupted run with never a torn JSON line; a full disk
must give one clear line, a valid partial output and a journal `--resume` can go on from.

Three kill trials run in the normal suite; `pytest -m slow` runs the long series (plain and
gzip output, a multistream dump, kills during the resume itself).
"""

from __future__ import annotations

import errno
import gzip
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import extractor.run.sinks
from extractor.run.batch import Options
from extractor.run.runner import run_dump
from extractor.run.sinks import SinkError
from tests.paths import SHARED
from tests.strategies import dump_xml, sample_pages

#: About ten units of 64 pages: long enough to be interrupted, short enough to run often.
PAGES = sample_pages(640, 4000)


def command(folder: Path, output: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "extractor", "dump", str(folder / "d.xml"), "-o",
            str(folder / output), "-j", "2", "-q", "--redirects", *extra]  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """The dump, the uninterrupted run's output (plain and gzip), and how long it takes."""
    folder = tmp_path_factory.mktemp("interrupt")
    (folder / "d.xml").write_bytes(dump_xml(PAGES))
    references = {}
    seconds = 0.0
    for suffix in (".jsonl", ".jsonl.gz"):
        started = time.monotonic()
        subprocess.run(command(folder, f"ref{suffix}"), check=True)
        seconds = max(seconds, time.monotonic() - started)
        references[suffix] = (folder / f"ref{suffix}").read_bytes()
    return folder, references, seconds


def records(data: bytes, suffix: str) -> list[bytes]:
    """The record lines of an output; each must be a whole JSON object."""
    plain = gzip.decompress(data) if suffix.endswith(".gz") and data else data
    assert not plain or plain.endswith(b"\n"), "torn last line"
    lines = plain.splitlines()
    for line in lines:
        assert isinstance(orjson.loads(line), dict)
    return lines


def journaled_size(output: Path) -> int:
    """Output bytes the journal vouches for (0 without a journal entry)."""
    journal = Path(f"{output}.journal")
    if not journal.exists():
        return 0
    size = 0
    for line in journal.read_bytes().splitlines(keepends=True)[1:]:  # after the run header
        try:
            size = orjson.loads(line)["out"]
        except orjson.JSONDecodeError:
            break
    return int(size)


def kill_at(cmd: list[str], delay: float) -> None:
    """Run ``cmd`` and SIGKILL it and its workers after ``delay`` seconds."""
    process = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        process.wait(delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def trial(
    corpus: tuple[Path, dict[str, bytes], float], seed: int, suffix: str, kills: int = 1
) -> None:
    """``kills`` runs killed at random moments (the later ones resuming), then a resume
    that finishes: the output equals the uninterrupted run's, byte for byte."""
    folder, references, seconds = corpus
    reference = references[suffix]
    rng = random.Random(seed)
    output = f"out-{seed}{suffix}"
    out = folder / output
    delays = []
    for i in range(kills):
        delay = rng.uniform(0.05, seconds * 0.9)
        delays.append(round(delay, 3))
        kill_at(command(folder, output, *(["--resume"] if i else [])), delay)
        # What the journal vouches for is a whole-record prefix of the reference.
        size = journaled_size(out)
        if size:
            assert out.stat().st_size >= size, delays
            assert reference[:size] == out.read_bytes()[:size], delays
            records(reference[:size], suffix)
    result = subprocess.run(command(folder, output, "--resume"), capture_output=True)
    assert 0 == result.returncode, (delays, result.stderr.decode())
    assert reference == out.read_bytes(), f"resumed output differs (kills at {delays} s)"
    records(out.read_bytes(), suffix)
    assert not Path(f"{out}.journal").exists()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_then_resume_is_byte_identical(
    seed: int, corpus: tuple[Path, dict[str, bytes], float]
) -> None:
    """kill -9 at a random moment of `dump -j 2`, then --resume: the same bytes."""
    trial(corpus, seed, ".jsonl")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 22))
def test_kill_9_trials_plain(seed: int, corpus: tuple[Path, dict[str, bytes], float]) -> None:
    """Twelve more random kills, plain output."""
    trial(corpus, seed, ".jsonl")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30, 36))
def test_kill_9_trials_gzip(seed: int, corpus: tuple[Path, dict[str, bytes], float]) -> None:
    """Random kills with gzip output (one gzip member per unit)."""
    trial(corpus, seed, ".jsonl.gz")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(40, 44))
def test_kill_9_during_resume_too(seed: int, corpus: tuple[Path, dict[str, bytes], float]) -> None:
    """Killed, resumed and killed again (three times), then resumed to the end."""
    trial(corpus, seed, ".jsonl", kills=3)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [50, 51, 52])
def test_kill_9_multistream(seed: int, tmp_path: Path) -> None:
    """Random kills on the real multistream dump (units are ranges read by workers)."""
    dump = SHARED / "corpus" / "dumps"
    multi = dump / "constructed__enwiki-gensim-sample-pages-articles-multistream.xml.bz2"
    if not multi.exists():
        pytest.skip(f"{multi} is not there")
    cmd = [sys.executable, "-m", "extractor", "dump", str(multi), "-j", "2", "-q", "-o"]
    started = time.monotonic()
    subprocess.run([*cmd, str(tmp_path / "ref.jsonl")], check=True)
    seconds = time.monotonic() - started
    out = tmp_path / "out.jsonl"
    delay = random.Random(seed).uniform(0.5, seconds * 0.9)
    kill_at([*cmd, str(out)], delay)
    subprocess.run([*cmd, str(out), "--resume"], check=True)
    assert (tmp_path / "ref.jsonl").read_bytes() == out.read_bytes(), delay


# ------------------------------------------------------------------------------- full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (as root); skipped where mounting is not permitted, except under CI."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mount.returncode != 0:
        message = f"cannot mount a tmpfs here: {mount.stderr.strip() or mount.returncode}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI runs as root and must be able to)")
        pytest.skip(message)
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def check_partial(out: Path, reference: bytes) -> int:
    """The output after a failed write: complete records, a prefix of the reference, and
    exactly what the journal says; returns its size."""
    data = out.read_bytes()
    assert data == reference[: len(data)]
    records(data, out.name)
    assert journaled_size(out) == len(data)
    return len(data)


def test_full_disk_is_one_line_and_resume_finishes(
    small_disk: Path, corpus: tuple[Path, dict[str, bytes], float]
) -> None:
    """Writing to a full tmpfs: exit 2 with one line saying so, the output holds complete
    records and is journaled; after the disk grows, --resume ends byte-identical."""
    folder, references, _ = corpus
    out = small_disk / "out.jsonl"
    cmd = [sys.executable, "-m", "extractor", "dump", str(folder / "d.xml"), "-o", str(out),
           "-j", "2", "-q", "--redirects"]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert 2 == result.returncode
    assert 1 == len(result.stderr.strip().splitlines()), result.stderr
    assert "Traceback" not in result.stderr
    for words in ("disk full", str(out), "--resume"):
        assert words in result.stderr
    size = check_partial(out, references[".jsonl"])
    assert 0 < size < len(references[".jsonl"])
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    result = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    assert (0, "") == (result.returncode, result.stderr)
    assert references[".jsonl"] == out.read_bytes()


@pytest.mark.parametrize("target", ["out", "journal"])
def test_failed_write_undoes_the_unit(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way (ENOSPC) on the output or on the journal: the unit is
    undone in every file, SinkError says so in one line, and --resume completes."""
    source = tmp_path / "d.xml"
    source.write_bytes(dump_xml(PAGES[:320]))
    options = Options(redirects=True)
    reference = tmp_path / "ref.jsonl"
    run_dump([str(source)], str(reference), jobs=2, options=options, progress=False)
    real = extractor.run.sinks._write_all
    calls = {"n": 0}
    fail_at = 4 if target == "journal" else 3  # the journal's first write is its run header

    def failing(f: object, data: bytes) -> None:
        name = getattr(f, "name", "")
        if str(name).endswith(".journal" if target == "journal" else "out.jsonl"):
            calls["n"] += 1
            if calls["n"] == fail_at:
                real(f, data[: len(data) // 2])  # type: ignore[arg-type]
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(f, data)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor.run.sinks, "_write_all", failing)
    out = tmp_path / "out.jsonl"
    with pytest.raises(SinkError) as info:
        run_dump([str(source)], str(out), jobs=2, options=options, progress=False)
    message = str(info.value)
    assert "\n" not in message and "disk full" in message and "first 2 unit(s)" in message
    size = check_partial(out, reference.read_bytes())
    assert 0 < size
    monkeypatch.setattr(extractor.run.sinks, "_write_all", real)
    summary = run_dump(
        [str(source)], str(out), jobs=2, options=options, progress=False, resume=True
    )
    assert 0 == summary.exit_code
    assert reference.read_bytes() == out.read_bytes()
    assert 320 == summary.counts["pages"]


def test_torn_journal_line_is_dropped_on_resume(tmp_path: Path) -> None:
    """A journal ending in a torn line is cut back to its last whole line on resume, so
    later entries are not hidden behind it, and the output to the size it journals."""
    out = tmp_path / "out.jsonl"
    run = {"sources": ["d.xml"]}
    lines = [b'{"title":"%d"}\n' % i for i in range(50)]
    sink = extractor.run.sinks.JsonlSink(str(out), None, run=run)
    sink.write(0, lines, [], Counter(pages=50))
    sink.close(complete=False)
    journal = Path(f"{out}.journal")
    whole, first_unit = journal.read_bytes(), out.stat().st_size
    with out.open("ab") as f:
        f.write(b'{"schema_version":"1.0","tit')
    with journal.open("ab") as f:
        f.write(b'{"unit": 1, "ou')
    sink = extractor.run.sinks.JsonlSink(str(out), None, resume=True, run=run)
    try:
        assert 1 == sink.done_units
        assert whole == journal.read_bytes()
        assert first_unit == out.stat().st_size
    finally:
        sink.close(complete=False)
