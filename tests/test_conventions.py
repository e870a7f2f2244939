"""Unix conventions and honest progress (issue 13), through the real command in subprocesses
on real files, with real signals and a real terminal (a pty): Ctrl-C and SIGTERM, a journal
left behind, `-` for stdin and stdout, click's usage errors as one line, files of other
formats in a folder, the error file, the distribution's name and version, the library's
log with -v/-q, the defaults of extract_file and extract_dump, and progress after
--resume, for a single-stream .bz2, off a terminal and on one.
"""

from __future__ import annotations

import bz2
import fcntl
import importlib.metadata
import json
import logging
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import orjson
import pytest

import extractor
import extractor.records
from extractor import Article, Options, extract_dump, extract_file
from extractor._compiled import build_summary
from extractor.errors import InputError
from extractor.locales import LocaleError
from extractor.records import RedirectRecord, dumps
from extractor.run.runner import Interrupted
from extractor.sources import NotWikiFile, probe_source
from tests.paths import ROOT, SAMPLES, SHARED
from tests.strategies import dump_xml, sample_pages

CLI = [sys.executable, "-m", "extractor"]
#: Long enough (24 units of 64 pages) to be stopped well before its end.
PAGES = sample_pages(1500, 4000)


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """`extractor ARGS` in a subprocess: exit code, stdout and stderr as text."""
    return subprocess.run(
        [*CLI, *args], cwd=cwd, input=None if stdin is None else stdin.decode(),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def one_line(err: str, *words: str) -> None:
    """stderr is one `extractor: ` line, without a traceback, click's usage block or its
    "Aborted!", holding ``words``."""
    assert 1 == len(err.strip().splitlines()), err
    assert err.startswith("extractor: "), err
    for noise in ("Traceback", "Usage:", "Aborted"):
        assert noise not in err, err
    for word in words:
        assert word in err, err


def journal_entries(out: Path) -> int:
    journal = Path(f"{out}.journal")
    return journal.read_bytes().count(b"\n") - 1 if journal.exists() else 0


def stop(folder: Path, sig: signal.Signals, *, group: bool, units: int = 2) -> tuple[int, str]:
    """Start `dump d.xml -o o.jsonl -j 2 -q`, send ``sig`` (to its whole process group, as
    Ctrl-C does, or to the parent alone, as `kill` does) once ``units`` units are
    journaled; its exit code and stderr, after checking that no process of it is left."""
    process = subprocess.Popen(
        [*CLI, "dump", "d.xml", "-o", "o.jsonl", "-j", "2", "-q"], cwd=folder,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while journal_entries(folder / "o.jsonl") < units and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.01)
    (os.killpg if group else os.kill)(process.pid, sig)
    _, err = process.communicate(timeout=120)
    deadline = time.monotonic() + 10
    while True:  # the workers are gone: no process is left in the run's group
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "a worker outlived the interrupted run"
        time.sleep(0.05)
    return process.returncode, err


@pytest.fixture(scope="module")
def long_dump(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A folder with the dump d.xml, and the bytes of its uninterrupted run."""
    folder = tmp_path_factory.mktemp("conventions")
    (folder / "d.xml").write_bytes(dump_xml(PAGES))
    result = run("dump", "d.xml", "-o", "clean.jsonl", "-j", "2", "-q", cwd=folder)
    assert (0, "") == (result.returncode, result.stderr)
    return folder, (folder / "clean.jsonl").read_bytes()


@pytest.fixture
def dump_folder(long_dump: tuple[Path, bytes], tmp_path: Path) -> tuple[Path, bytes]:
    """A fresh folder holding d.xml (a link to the module's), and the clean bytes."""
    os.link(long_dump[0] / "d.xml", tmp_path / "d.xml")
    return tmp_path, long_dump[1]


# ------------------------------------------------------------------ Ctrl-C and SIGTERM


@pytest.mark.parametrize(
    ("sig", "group", "code"), [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143)]
)
def test_a_signal_stops_dump_with_one_line_and_resume_finishes(
    sig: signal.Signals, group: bool, code: int, dump_folder: tuple[Path, bytes]
) -> None:
    """Ctrl-C (SIGINT to the process group) or SIGTERM (to the parent): exit 130 or 143,
    one line saying how far it got and that --resume goes on, no worker left; the output
    holds whole records of the journaled units; a run without --resume is refused in one
    line; --resume ends byte-identical to an uninterrupted run."""
    folder, clean = dump_folder
    returncode, err = stop(folder, sig, group=group)
    assert code == returncode, err
    one_line(err, f"interrupted ({sig.name})", "o.jsonl holds the records of", "--resume")
    out = folder / "o.jsonl"
    partial = out.read_bytes()
    assert partial and clean.startswith(partial)  # whole records only: cut back if torn
    assert partial.count(b"\n") < clean.count(b"\n")
    again = run("dump", "d.xml", "-o", "o.jsonl", "-j", "2", "-q", cwd=folder)
    assert 2 == again.returncode
    one_line(again.stderr, "o.jsonl.journal", "interrupted run", "--resume", "--force")
    assert partial == out.read_bytes()
    resumed = run("dump", "d.xml", "-o", "o.jsonl", "-j", "2", "-q", "--resume", cwd=folder)
    assert (0, "") == (resumed.returncode, resumed.stderr)
    assert clean == out.read_bytes()
    assert not Path(f"{out}.journal").exists()


def test_force_starts_over_and_excludes_resume(dump_folder: tuple[Path, bytes]) -> None:
    """After an interruption --force starts over (and --resume with --force is a one-line
    usage error): the clean bytes, no journal left."""
    folder, clean = dump_folder
    assert 130 == stop(folder, signal.SIGINT, group=True)[0]
    both = run("dump", "d.xml", "-o", "o.jsonl", "--resume", "--force", cwd=folder)
    assert 2 == both.returncode
    one_line(both.stderr, "--resume", "--force")
    forced = run("dump", "d.xml", "-o", "o.jsonl", "-j", "2", "-q", "--force", cwd=folder)
    assert (0, "") == (forced.returncode, forced.stderr)
    assert clean == (folder / "o.jsonl").read_bytes()
    assert not (folder / "o.jsonl.journal").exists()


def test_a_signal_stops_extract_and_leaves_its_output_as_it_was(tmp_path: Path) -> None:
    """SIGINT while `extract` writes -o FILE: exit 130, one line with the pages done, FILE
    as it was and no temporary file left; SIGTERM while it writes to stdout: exit 143,
    and the lines written are whole records."""
    big = tmp_path / "big.txt"
    big.write_text(((SAMPLES / "wiki-example.txt").read_text() + "\n\n") * 20)
    (tmp_path / "out.json").write_text("kept\n")
    process = subprocess.Popen(
        [*CLI, "extract", "big.txt", "-o", "out.json"], cwd=tmp_path,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".out.json.") and p.stat().st_size for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert 130 == process.returncode, err
    one_line(err, "interrupted (SIGINT) after", " page", "out.json is left as it was")
    assert "kept\n" == (tmp_path / "out.json").read_text()
    assert ["big.txt", "out.json"] == sorted(p.name for p in tmp_path.iterdir())
    process = subprocess.Popen(
        [*CLI, "extract", "big.txt", "--jsonl", "-o", "-"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    os.kill(process.pid, signal.SIGTERM)
    rest, err_bytes = process.communicate(timeout=120)
    assert 143 == process.returncode
    one_line(err_bytes.decode(), "interrupted (SIGTERM) after", "written to stdout")
    for line in (first + rest).splitlines():
        assert isinstance(orjson.loads(line), dict)


@pytest.mark.parametrize(
    "raised", [Interrupted(signal.SIGINT), Interrupted(signal.SIGTERM), KeyboardInterrupt(),
               MemoryError()],
)  # fmt: skip
def test_a_signal_while_a_record_is_encoded_stays_the_signal(
    raised: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    """orjson makes a TypeError of whatever its ``default`` hook raises: Ctrl-C landing while
    a record is encoded (seen: ``extract -o FILE`` ending with exit 1 and a traceback instead
    of 130) must stay the signal's exception, a MemoryError a MemoryError; a value that is no
    JSON is still a TypeError."""
    record = extractor.extract("Text.<ref>{{cite web|url=http://x.org|title=T}}</ref>")

    def hook(value: object) -> object:
        raise raised

    monkeypatch.setattr(extractor.records, "_fields", hook)
    with pytest.raises(type(raised)) as caught:
        record.to_json()
    assert caught.value is raised
    monkeypatch.undo()
    with pytest.raises(TypeError):
        dumps({"value": object()})


# ---------------------------------------------------------------------- - and usage


def test_dash_is_stdout_and_stdin_for_extract_and_dump(tmp_path: Path) -> None:
    """`extract -o -` writes to stdout and makes no file named `-`; `-` reads stdin; the
    same for `dump`."""
    albedo = (SAMPLES / "Albedo.wiki").read_bytes()
    to_stdout = run("extract", str(SAMPLES / "Albedo.wiki"), "-o", "-", cwd=tmp_path)
    assert 0 == to_stdout.returncode
    assert "Albedo" == json.loads(to_stdout.stdout)["title"]
    piped = run("extract", "-", "-o", "-", "--title", "Albedo", cwd=tmp_path, stdin=albedo)
    assert (0, to_stdout.stdout) == (piped.returncode, piped.stdout)
    dumped = run("dump", "-", "-o", "-", "-q", cwd=tmp_path, stdin=albedo)
    assert (0, 1) == (dumped.returncode, len(dumped.stdout.splitlines()))
    assert json.loads(dumped.stdout)["citations"] == json.loads(to_stdout.stdout)["citations"]
    assert [] == os.listdir(tmp_path)


@pytest.mark.parametrize("command", ["extract", "dump"])
def test_a_reader_that_stops_early_ends_the_command_quietly(command: str, tmp_path: Path) -> None:
    """`extractor … | head -c 100`: the reader goes away, the command ends at once, exit 0,
    nothing on stderr."""
    (tmp_path / "big.txt").write_text(((SAMPLES / "wiki-example.txt").read_text() + "\n\n") * 5)
    args = ["big.txt", "--jsonl"] if command == "extract" else ["big.txt", "-q", "-j", "2"]
    process = subprocess.Popen([*CLI, command, *args], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert 100 == len(process.stdout.read(100))
    process.stdout.close()
    err = process.stderr.read()
    assert (0, b"") == (process.wait(120), err)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["dump", "x.xml", "--no-such"], ["dump: no such option", "--no-such",
                                          "extractor dump --help"]),
        (["dump", "x.xml", "-j", "many"], ["dump: invalid value", "'many'", "--jobs"]),
        (["dump"], ["dump: missing argument", "SOURCES"]),
        (["extract", "x.wiki", "--dialect", "latex"], ["extract: invalid value", "latex",
                                                        "wikitext"]),
        (["nope"], ["no such command", "nope", "'extractor --help'"]),
        (["cites", "list", "x.jsonl", "--bogus"], ["cites list: no such option", "--bogus"]),
    ],
)  # fmt: skip
def test_click_usage_errors_are_one_line_and_exit_2(
    args: list[str], words: list[str], tmp_path: Path
) -> None:
    """An unknown option, a bad value, a missing argument, an unknown command: one
    `extractor: ` line naming the command and where its help is, exit 2, nothing made."""
    result = run(*args, cwd=tmp_path)
    assert (2, "") == (result.returncode, result.stdout)
    one_line(result.stderr, *words)
    assert [] == os.listdir(tmp_path)


def test_help_and_version_still_print_in_full(tmp_path: Path) -> None:
    """--help prints click's help (exit 0); --version the package's version."""
    helped = run("dump", "--help", cwd=tmp_path)
    assert 0 == helped.returncode and "Usage: extractor dump" in helped.stdout
    assert "--force" in helped.stdout and "--progress-interval" in helped.stdout
    version = run("--version", cwd=tmp_path)
    said = f"extractor, version {extractor.__version__} ({build_summary()})\n"
    assert (0, said) == (
        version.returncode,
        version.stdout,
    )


# ------------------------------------------------------------- files of other formats

#: Files that are not wiki pages, by the skip each must count as.
OTHER_FILES = {
    "DUMPS.json": ("file:json", b'{\n  "file": "x.xml", "pages": 3\n}\n'),
    "list.json": ("file:json", b'[{"a": 1}, {"a": 2}]\n'),
    "records.jsonl": ("file:json", b'{"schema_version":"1.1","title":"T"}\n'),
    "logo.png": ("file:png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    "paper.pdf": ("file:pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    "table.csv": ("file:csv", b"title,year,views\nJuno,2007,100\nAlbedo,2001,50\n"),
    "short.csv": ("file:csv", b"name,count\nx,1\n"),
    "table.tsv": ("file:tsv", b"title\tyear\tviews\nJuno\t2007\t100\nA\t2001\t50\n"),
    "page.html": ("file:html", b"<!DOCTYPE html>\n<html><body>Hi</body></html>\n"),
}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of two wiki files (one with commas on every line), a flat corpus file and
    a file of every other format above."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "Albedo.wiki", folder / "Albedo.wiki")
    (folder / "Commas.wiki").write_text(
        "Paris, Lyon, Nice\nRome, Milan, Turin\nBern, Basel, Geneva\n[[Category:Cities]]\n"
    )
    shutil.copy(SAMPLES / "wiki-example.txt", folder / "wiki-example.txt")
    for name, (_, data) in OTHER_FILES.items():
        (folder / name).write_bytes(data)
    return folder


def test_other_formats_in_a_folder_are_counted_skips(mixed: Path) -> None:
    """`dump` skips every file of another format with its reason in --stats (a file not
    read counts as a page read), `extract` gives the same records, -v names each skip;
    wikitext with commas on every line is still a page."""
    stats = mixed.parent / "s.json"
    result = run("dump", "in", "-o", "o.jsonl", "--stats", "s.json", "-q", "-v",
                 "--namespaces", "all", "--redirects", cwd=mixed.parent)  # fmt: skip
    assert 0 == result.returncode, result.stderr
    s = json.loads(stats.read_text())
    expected: dict[str, int] = {}
    for key, _ in OTHER_FILES.values():
        expected[key] = expected.get(key, 0) + 1
    assert expected == {k: v for k, v in s["skipped"].items() if k.startswith("file:")}
    assert s["pages"] == s["records"] + sum(s["skipped"].values()) + s["errors"]
    titles = [orjson.loads(line)["title"] for line in (mixed.parent / "o.jsonl").open("rb")]
    assert ["Albedo", "Commas"] == titles[:2] and 22 == len(titles)
    skipped = sorted(line for line in result.stderr.splitlines() if "info: skipped" in line)
    assert len(OTHER_FILES) == len(skipped), result.stderr
    assert all(re.search(r"info: skipped in/\S+: is ", line) for line in skipped)
    extracted = run("extract", "in", "--jsonl", cwd=mixed.parent)
    assert (0, "") == (extracted.returncode, extracted.stderr)
    assert titles == [json.loads(line)["title"] for line in extracted.stdout.splitlines()]


@pytest.mark.parametrize("name", ["DUMPS.json", "logo.png", "table.csv"])
def test_another_format_given_by_name_is_one_line_exit_2(name: str, mixed: Path) -> None:
    """Given itself, a file of another format is unusable input: one line, exit 2."""
    for command in ("extract", "dump"):
        result = run(command, f"in/{name}", cwd=mixed.parent)
        assert (2, "") == (result.returncode, result.stdout)
        one_line(result.stderr, name, "not wikitext or a dump")


def test_no_sample_or_corpus_page_is_taken_for_another_format() -> None:
    """Every sample and shared wikitext or dump file passes the sniff the commands make
    of a file (probe_source): none is taken for another format."""
    folders = [SAMPLES, SHARED / "corpus" / "wikitext", SHARED / "corpus" / "dumps"]
    files = [p for folder in folders if folder.is_dir() for p in sorted(folder.rglob("*"))]
    taken = []
    for path in files:
        if path.is_file() and path.suffix != ".json":
            try:
                probe_source(path)
            except NotWikiFile as exc:
                taken.append(str(exc))
            except InputError:
                pass  # unusable for another reason (an index, a sample of damage)
    assert 10 < len(files) and [] == taken


# ------------------------------------------------------------------------ error file


def test_the_error_file_is_made_only_when_there_are_errors(tmp_path: Path) -> None:
    """No error, no OUT.errors.jsonl (and a stale one of an earlier run is gone); pages
    that fail are written to it."""
    shutil.copy(SAMPLES / "Albedo.wiki", tmp_path / "Albedo.wiki")
    errors = tmp_path / "o.errors.jsonl"
    errors.write_text('{"title":"stale","page_id":null,"source":"x","reason":"old"}\n')
    clean = run("dump", "Albedo.wiki", "-o", "o.jsonl", "-q", cwd=tmp_path)
    assert (0, "") == (clean.returncode, clean.stderr)
    assert not errors.exists()
    failing = run("dump", "Albedo.wiki", "-o", "o.jsonl", "-q", "--page-timeout", "0.000001",
                  cwd=tmp_path)  # fmt: skip
    assert 1 == failing.returncode
    (error,) = [json.loads(line) for line in errors.read_text().splitlines()]
    assert ("Albedo", "timeout") == (error["title"], error["reason"].split(":")[0])
    assert "" == (tmp_path / "o.jsonl").read_text()


# ------------------------------------------------------------------------- packaging


def test_the_distribution_has_its_own_name_a_license_and_one_version(tmp_path: Path) -> None:
    """Installed as wikitext-extractor (PyPI's "extractor" is another project), MIT with
    its LICENSE, one version (pyproject's) for the metadata, `__version__` and --version;
    the test extra brings the dev one (linters, stubs) that CI runs."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "wikitext-extractor" == project["name"] == extractor.DISTRIBUTION
    meta = importlib.metadata.metadata("wikitext-extractor")
    assert project["version"] == meta["Version"] == extractor.__version__
    assert "MIT" == project["license"] == meta["License-Expression"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    extras = project["optional-dependencies"]
    assert any(dep.startswith("wikitext-extractor[") and "dev" in dep for dep in extras["test"])
    assert {"ruff", "mypy"} <= {re.split(r"[<>=\[]", dep)[0] for dep in extras["dev"]}
    version = run("--version", cwd=tmp_path)
    assert extractor.__version__ in version.stdout


def test_no_message_says_to_install_the_unrelated_extractor_project() -> None:
    """Messages and docstrings say how to install from the checkout, never
    `pip install 'extractor[…]'` (which installs PyPI's unrelated "extractor")."""
    wrong = re.compile(r"pip install ['\"]?extractor\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "extractor").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if wrong.search(line)
    ]
    assert [] == found


# ---------------------------------------------------------------------- logging, -v/-q


def test_the_library_logs_skipped_files_and_damage(
    mixed: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """extract_file and extract_dump log skipped files (INFO) to the "extractor" logger;
    damage too, before DumpDamaged is raised."""
    with caplog.at_level(logging.INFO, logger="extractor"):
        titles = [article.title for article in extract_file(mixed)]
    assert 22 == len(titles)
    skips = [r for r in caplog.records if r.name == "extractor" and "skipped" in r.message]
    assert len(OTHER_FILES) == len(skips)
    caplog.clear()
    cut = mixed.parent / "cut.xml.bz2"
    data = bz2.compress(dump_xml(PAGES[:100]))
    cut.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.INFO, logger="extractor"), pytest.raises(extractor.DumpDamaged):
        list(extract_dump(cut, jobs=1))
    assert any("cut.xml.bz2" in r.message for r in caplog.records if r.levelno == logging.INFO)


def test_verbose_and_quiet_control_the_log(tmp_path: Path) -> None:
    """Warnings show by default (`extractor: warning: …`, with -q too), -qq hides them
    (--stats still lists them); info lines show with -v only."""
    dump = SHARED / "corpus" / "dumps" / "extraction-framework__minidump_de_wiki.xml.bz2"
    if not dump.exists():
        pytest.skip(f"{dump} is not there")
    (tmp_path / "in").mkdir()
    shutil.copy(dump, tmp_path / "in" / "de.xml.bz2")
    (tmp_path / "in" / "notes.json").write_text('{"about": "de"}\n')
    seen = {}
    for flags in (["-q"], ["-qq"], ["-q", "-v"]):
        result = run("dump", "in", "-o", "o.jsonl", "--stats", "s.json", *flags, cwd=tmp_path)
        assert 0 == result.returncode, result.stderr
        assert json.loads((tmp_path / "s.json").read_text())["warnings"]
        seen[" ".join(flags)] = [line.split(": ")[1] for line in result.stderr.splitlines()]
    # two: the pages call German citation templates and link German categories
    assert ["warning", "warning"] == seen["-q"]
    assert [] == seen["-qq"]
    assert ["info", "warning"] == sorted(set(seen["-q -v"]))


# ---------------------------------------------------------- extract_file / extract_dump


def test_extract_file_reads_every_page_extract_dump_articles_by_default(tmp_path: Path) -> None:
    """extract_file yields every page (talk pages, redirects as articles with `redirect`);
    extract_dump keeps namespace 0 without redirects unless its Options say otherwise, as
    both docstrings say."""
    pages = sample_pages(80, 300)
    (tmp_path / "a.xml").write_bytes(dump_xml(pages))
    (tmp_path / "b.xml").write_bytes(dump_xml(pages[:10], namespace=1))
    every = list(extract_file(tmp_path))
    assert 90 == len(every) and all(isinstance(a, Article) for a in every)
    redirects = sum(a.redirect is not None for a in every)
    assert 0 < sum(a.redirect is not None for a in every[80:]) < redirects
    default = list(extract_dump(tmp_path, jobs=1))
    assert 80 - sum(a.redirect is not None for a in every[:80]) == len(default)
    assert all(isinstance(r, Article) and r.namespace == 0 for r in default)
    everything = list(extract_dump(tmp_path, jobs=1, options=Options(namespaces=frozenset(),
                                                                     redirects=True)))  # fmt: skip
    assert 90 == len(everything)
    assert redirects == sum(isinstance(r, RedirectRecord) for r in everything)
    for function in (extract_file, extract_dump):
        assert "redirect" in (function.__doc__ or "") and "namespace" in (function.__doc__ or "")


def test_extract_file_reads_every_page_in_the_language_it_is_given(tmp_path: Path) -> None:
    """extract_file(lang="de") reads a German page whose dump says nothing of its language
    (a single file) as German: its localized citation template and its German date; an
    unknown code is a LocaleError before any page is read."""
    page = tmp_path / "Berlin.wiki"
    page.write_text(
        "Berlin ist seit dem 3. Oktober 1990 Hauptstadt.<ref>{{Internetquelle |url=https://"
        "berlin.de |titel=Berlin |abruf=2020-05-01}}</ref>\n",
        encoding="utf-8",
    )
    (plain,) = extract_file(page)
    (german,) = extract_file(page, lang="de")
    assert (plain.lang, german.lang) == (None, "de")
    assert german.citations[0].kind == "web" and german.citations[0].access_date == "2020-05-01"
    assert "1990-10-03" in {d.iso for d in german.dates}
    with pytest.raises(LocaleError):
        next(extract_file(page, lang="xx-nonsense"))


# -------------------------------------------------------------------------- progress

PROGRESS = re.compile(
    r"extractor: progress: (\d+)% of ([\d.,]+) MB read, ([\d,]+) pages, ([\d.,]+) MB/s"
    r"(?:, (\d+:\d\d:\d\d) left)?$"
)


def progress_lines(err: str) -> list[tuple[int, float, int]]:
    """(percent, MB in all, pages) of each progress line."""
    out = []
    for line in err.splitlines():
        if line.startswith("extractor: progress: "):
            match = PROGRESS.fullmatch(line)
            assert match, line
            out.append((int(match[1]), float(match[2].replace(",", "")),
                        int(match[3].replace(",", ""))))  # fmt: skip
    return out


def test_progress_after_resume_starts_where_the_journal_ends(
    dump_folder: tuple[Path, bytes],
) -> None:
    """Resumed after 3 units: the first progress line counts their pages and a share of
    the input past 0, and the summary's rate is this run's text over this run's seconds."""
    folder, clean = dump_folder
    assert 130 == stop(folder, signal.SIGINT, group=True, units=3)[0]
    done = json.loads(Path(folder / "o.jsonl.journal").read_text().splitlines()[-1])
    journaled = done["counts"]["pages"]
    result = run("dump", "d.xml", "-o", "o.jsonl", "-j", "2", "--resume", "--stats", "s.json",
                 "--progress-interval", "0", cwd=folder)  # fmt: skip
    assert 0 == result.returncode, result.stderr
    assert clean == (folder / "o.jsonl").read_bytes()
    assert "\r" not in result.stderr
    lines = progress_lines(result.stderr)
    first_percent, total_mb, first_pages = lines[0]
    assert journaled + 64 == first_pages and 0 < first_percent
    assert round((folder / "d.xml").stat().st_size / 1e6, 1) == total_mb
    assert [p for _, _, p in lines] == sorted(p for _, _, p in lines)
    s = json.loads((folder / "s.json").read_text())
    assert (done["unit"] + 1, journaled) == (s["resumed"]["units"], s["resumed"]["pages"])
    this_run_mb = s["text_mb"] - s["resumed"]["text_mb"]
    assert s["mb_per_s"] == pytest.approx(this_run_mb / s["seconds"], rel=0.01, abs=0.002)
    assert s["input_mb_per_s"] * s["seconds"] < s["input_mb"] - 0.5
    assert "done before --resume" in result.stderr.splitlines()[-1]


def test_single_stream_bz2_progress_is_compressed_bytes_with_percent_and_eta(
    tmp_path: Path,
) -> None:
    """A single-stream .bz2 off a terminal: plain lines (no \\r) of compressed bytes read
    out of the file's size, rising through the run, with an ETA and one rate; a pipe, whose
    size is not known, counts pages with pages/s."""
    xml = dump_xml(PAGES[:640])
    (tmp_path / "d.xml.bz2").write_bytes(bz2.compress(xml, 1))
    result = run("dump", "d.xml.bz2", "-o", "o.jsonl", "--progress-interval", "0", cwd=tmp_path)
    assert 0 == result.returncode, result.stderr
    assert "\r" not in result.stderr
    lines = progress_lines(result.stderr)
    size = (tmp_path / "d.xml.bz2").stat().st_size
    assert {round(size / 1e6, 1)} == {mb for _, mb, _ in lines}
    percents = [p for p, _, _ in lines]
    assert percents == sorted(percents) and len({p for p in percents if 0 < p < 100}) >= 4
    assert [64 * n for n in range(1, 11)] == [p for _, _, p in lines]
    assert all(line.count("/s") == 1 for line in result.stderr.splitlines()[:-1])
    assert any(line.endswith(" left") for line in result.stderr.splitlines())
    piped = run("dump", "-", "-o", "p.jsonl", "--progress-interval", "0", cwd=tmp_path,
                stdin=xml)  # fmt: skip
    assert 0 == piped.returncode, piped.stderr
    counted = [line for line in piped.stderr.splitlines() if "progress:" in line]
    assert 10 == len(counted)
    assert all(re.fullmatch(r"extractor: progress: [\d,]+ pages, [\d,]+ pages/s", line)
               for line in counted)  # fmt: skip


def test_cites_straight_from_a_dump_show_progress(tmp_path: Path) -> None:
    """`cites summary|list|report` of a dump (extracted on the fly) show the same progress
    lines as `dump`, rising to all of the file's pages; -q shows none, and a records file
    (read, not extracted) none either."""
    (tmp_path / "d.xml.bz2").write_bytes(bz2.compress(dump_xml(PAGES[:640]), 1))
    size = round((tmp_path / "d.xml.bz2").stat().st_size / 1e6, 1)
    for command, extra in (("summary", ()), ("list", ("-o", "c.csv")),
                           ("report", ("-o", "r.html"))):  # fmt: skip
        result = run("cites", command, "d.xml.bz2", *extra, "--progress-interval", "0",
                     cwd=tmp_path)  # fmt: skip
        assert 0 == result.returncode, result.stderr
        lines = progress_lines(result.stderr)
        assert {size} == {mb for _, mb, _ in lines}, command
        assert [64 * n for n in range(1, 11)] == [pages for _, _, pages in lines], command
    quiet = run("cites", "summary", "d.xml.bz2", "-q", cwd=tmp_path)
    assert 0 == quiet.returncode and "progress" not in quiet.stderr
    assert 0 == run("dump", "d.xml.bz2", "-o", "o.jsonl", "-q", cwd=tmp_path).returncode
    records = run("cites", "summary", "o.jsonl", "--progress-interval", "0", cwd=tmp_path)
    assert 0 == records.returncode and "progress" not in records.stderr


def test_progress_on_a_terminal_is_a_bar_with_one_rate(tmp_path: Path) -> None:
    """With stderr a terminal (a pty): a redrawn bar of bytes with a percentage, one rate
    (B/s) and the pages as a count, then the summary."""
    (tmp_path / "d.xml.bz2").write_bytes(bz2.compress(dump_xml(PAGES[:640]), 1))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    process = subprocess.Popen([*CLI, "dump", "d.xml.bz2", "-o", "o.jsonl"], cwd=tmp_path,
                               stderr=slave, stdout=subprocess.DEVNULL)  # fmt: skip
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert 0 == process.wait(120)
    text = output.decode("utf-8", "replace")
    frames = [frame for frame in re.split(r"[\r\n]", text) if "%" in frame]
    assert frames and "\r" in text
    assert all("pages/s" not in frame for frame in frames)
    assert any(re.search(r"\d+%.*B/s.*[\d,]+ pages", frame) for frame in frames), frames
    assert "640 pages read" in text
