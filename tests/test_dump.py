"""Batch extraction: counts reconcile, -j N equals -j 1, damage, errors, resume, Dask."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from extractor._compiled import build_summary
from extractor.cli import cli
from extractor.records import Article, ErrorRecord, RedirectRecord
from extractor.run.batch import Options
from extractor.run.runner import extract_dump, run_dump
from tests.paths import SAMPLES, require_shared

DUMPS = require_shared() / "corpus" / "dumps"
CATALOGUE = {Path(e["file"]).name: e for e in json.loads((DUMPS / "DUMPS.json").read_text())}
MULTI = DUMPS / "constructed__enwiki-gensim-sample-pages-articles-multistream.xml.bz2"
#: Small real dumps of every format, schema and language, run together in one job.
SMALL = sorted(
    name
    for name, entry in CATALOGUE.items()
    if name.endswith((".xml", ".bz2", ".gz", ".xz"))
    and "index" not in name
    and entry["bytes"] < 200_000
)


def dump(*args: str) -> tuple[int, str]:
    """Exit code and stderr of one in-process `extractor dump` call."""
    result = CliRunner().invoke(cli, ["dump", *args], catch_exceptions=False)
    return result.exit_code, result.stderr


def lines(path: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_every_page_is_a_record_a_skip_or_an_error(tmp_path: Path) -> None:
    """Over all small shared dumps: pages read equals the catalogue and reconciles."""
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    code, err = dump(*(str(DUMPS / n) for n in SMALL), "-o", str(out), "--stats", str(stats),
                     "-j", "2", "-q", "--namespaces", "all", "--redirects")  # fmt: skip
    assert 0 == code, err
    s = json.loads(stats.read_text())
    assert sum(CATALOGUE[n]["pages"] for n in SMALL) == s["pages"]
    assert s["pages"] == s["records"] + sum(s["skipped"].values()) + s["errors"]
    records = lines(out)
    assert s["records"] == len(records)
    redirects = [r for r in records if "sections" not in r]
    assert sum(CATALOGUE[n]["redirects"] for n in SMALL) == len(redirects)
    assert build_summary() == s["build"]  # what the figures ran on: compiled or not


def test_defaults_keep_articles_and_count_skips(tmp_path: Path) -> None:
    """By default namespace 0 is kept, redirects are skipped and counted, ids are carried."""
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    source = DUMPS / "wikipedia2vec__enwiki-pages-articles-sample.xml.bz2"
    code, _ = dump(str(source), "-o", str(out), "--stats", str(stats), "-q")
    s = json.loads(stats.read_text())
    assert (0, 3, 2, {"redirect": 1}) == (code, s["pages"], s["records"], s["skipped"])
    for record in lines(out):
        assert isinstance(record["page_id"], int) and isinstance(record["revision_id"], int)
        assert 0 == record["namespace"] and record["timestamp"]


def test_site_namespace_names_make_localized_categories(tmp_path: Path) -> None:
    """A Bulgarian dump's own category namespace name is honoured."""
    out = tmp_path / "bg.jsonl"
    code, _ = dump(str(DUMPS / "gensim__bgwiki-latest-pages-articles-shortened.xml.bz2"),
                   "-o", str(out), "-q")  # fmt: skip
    assert 0 == code
    assert any(record["categories"] for record in lines(out))


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_parallel_output_is_byte_identical_to_serial(suffix: str, tmp_path: Path) -> None:
    """-j 2 writes exactly the bytes -j 1 writes, plain and gzip, multistream split."""
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}{suffix}"
        code, err = dump(str(MULTI), "-o", str(out), "-j", jobs, "-q")
        assert 0 == code, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    plain = gzip.decompress(outputs[0]) if suffix.endswith(".gz") else outputs[0]
    assert 106 == plain.count(b"\n")


def test_library_extract_dump_yields_the_cli_records_in_order(tmp_path: Path) -> None:
    """extract_dump() follows the CLI's path: same records, same order."""
    source = DUMPS / "json-wikipedia__wikipedia-small-test.xml.bz2"
    out = tmp_path / "o.jsonl"
    dump(str(source), "-o", str(out), "-q")
    records = list(extract_dump(str(source), jobs=2))
    assert all(isinstance(r, Article) for r in records)
    assert out.read_bytes() == b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in records)


def test_truncated_dump_keeps_pages_before_damage_and_exits_3(tmp_path: Path) -> None:
    """A .bz2 cut short: the pages before the cut are written, one line says so, exit 3."""
    xml = gzip.decompress((DUMPS / "json-wikipedia__small-dump.xml.gz").read_bytes())
    compressed = bz2.compress(xml)
    cut = tmp_path / "cut.xml.bz2"
    cut.write_bytes(compressed[: len(compressed) // 3])
    out = tmp_path / "out.jsonl"
    code, err = dump(str(cut), "-o", str(out), "-q")
    assert 3 == code
    assert 1 == len(err.strip().splitlines()) and "Traceback" not in err
    assert "cut.xml.bz2" in err
    written = lines(out)
    assert 0 < len(written)
    reference = tmp_path / "ref.jsonl"
    dump(str(DUMPS / "json-wikipedia__small-dump.xml.gz"), "-o", str(reference), "-q")
    assert reference.read_bytes().startswith(out.read_bytes())


def test_failing_pages_become_error_records_and_the_run_goes_on(tmp_path: Path) -> None:
    """Pages past the page timeout are error records with title, id and reason; exit 1."""
    out, errors, stats = tmp_path / "o.jsonl", tmp_path / "e.jsonl", tmp_path / "s.json"
    source = DUMPS / "gensim__enwiki-table-markup.xml.bz2"
    code, _ = dump(str(source), "-o", str(out), "--errors", str(errors), "--stats", str(stats),
                   "--page-timeout", "0.000001", "-q")  # fmt: skip
    s = json.loads(stats.read_text())
    assert 1 == code
    assert 0 < s["errors"] and s["pages"] == s["records"] + sum(s["skipped"].values()) + s["errors"]
    for error in lines(errors):
        assert error["title"] and isinstance(error["page_id"], int)
        assert str(error["reason"]).startswith("timeout")


def test_unreadable_file_in_a_folder_is_an_error_not_a_stop(tmp_path: Path) -> None:
    """A binary file among good ones becomes an error record; the others are extracted."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "Albedo.wiki", folder / "a.wiki")
    (folder / "b.bin").write_bytes(b"\x00\x01" * 64)
    shutil.copy(SAMPLES / "Actrius.wiki", folder / "c.wiki")
    out = tmp_path / "o.jsonl"
    code, _ = dump(str(folder), "-o", str(out), "-q")
    assert 1 == code
    assert ["a", "c"] == [r["title"] for r in lines(out)]
    (error,) = lines(tmp_path / "o.errors.jsonl")
    assert "b.bin" in str(error["source"]) and "binary" in str(error["reason"])


def test_missing_source_is_one_line_exit_2(tmp_path: Path) -> None:
    """A source that does not exist stops before anything is written."""
    code, err = dump(str(tmp_path / "nope.xml.bz2"), "-o", str(tmp_path / "o.jsonl"))
    assert 2 == code and 1 == len(err.strip().splitlines())
    assert not (tmp_path / "o.jsonl").exists()


def test_redirect_records_on_request() -> None:
    """With redirects on, extract_dump yields a RedirectRecord with the target."""
    source = DUMPS / "pywikibot__article-pyrus.xml.bz2"
    (record,) = extract_dump(str(source), jobs=1, options=Options(redirects=True))
    assert isinstance(record, RedirectRecord) and record.redirect


def test_resume_after_kill_9_is_byte_identical(tmp_path: Path) -> None:
    """kill -9 mid-run, then --resume: same bytes as an uninterrupted run, no torn line."""
    reference = tmp_path / "ref.jsonl"
    run_dump([str(MULTI)], str(reference), jobs=2, progress=False)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "extractor", "dump", str(MULTI), "-o", str(out), "-j", "2",
               "-q"]  # fmt: skip
    process = subprocess.Popen(command, start_new_session=True)
    journal = Path(f"{out}.journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (journal.exists() and journal.stat().st_size):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert journal.exists(), "the run ended before it could be interrupted"
    assert out.read_bytes() != reference.read_bytes()
    result = subprocess.run([*command, "--resume"], capture_output=True)
    assert 0 == result.returncode, result.stderr.decode()
    assert reference.read_bytes() == out.read_bytes()
    assert not journal.exists()


def test_error_records_are_in_page_order_from_the_library() -> None:
    """Library errors are ErrorRecord objects standing where their page stood."""
    options = Options(page_timeout=0.000001)
    records = list(extract_dump(str(DUMPS / "gensim__enwiki-table-markup.xml.bz2"), jobs=1,
                                options=options))  # fmt: skip
    assert records and all(isinstance(r, (Article, ErrorRecord)) for r in records)


def test_dask_engine_matches_local_engine(tmp_path: Path) -> None:
    """A real LocalCluster of 2 worker processes writes the local engine's bytes."""
    pytest.importorskip("dask.distributed")
    local, distributed = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_dump([str(MULTI)], str(local), jobs=2, progress=False)
    summary = run_dump([str(MULTI)], str(distributed), jobs=2, engine="dask", progress=False)
    assert 0 == summary.exit_code
    assert local.read_bytes() == distributed.read_bytes()


def test_a_page_that_kills_its_worker_is_an_error_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker dying on one page (a crash in C, the OOM killer) costs that page only."""
    import multiprocessing

    import extractor.run.batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is injected through fork-inherited state")
    real = extractor.run.batch.extract_page

    def crashing(page: object) -> Article:
        if getattr(page, "title", None) == "Boom":
            os._exit(1)
        return real(page)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor.run.batch, "extract_page", crashing)
    source = tmp_path / "pages.txt"
    source.write_text("[[A]]\n\nText.\n\n[[Boom]]\n\nText.\n\n[[C]]\n\nText.\n")
    out = tmp_path / "o.jsonl"
    summary = run_dump([str(source)], str(out), jobs=2, progress=False)
    assert 1 == summary.exit_code
    assert ["A", "C"] == [r["title"] for r in lines(out)]
    (error,) = lines(tmp_path / "o.errors.jsonl")
    assert ("Boom", "crash") == (error["title"], str(error["reason"]).split(":")[0])
    assert 3 == summary.counts["pages"] == summary.counts["records"] + summary.counts["errors"]


def test_a_folder_with_no_pages_is_exit_2(tmp_path: Path) -> None:
    """An empty folder is unusable input: one line, exit 2, as for `extract`."""
    (tmp_path / "empty").mkdir()
    code, err = dump(str(tmp_path / "empty"), "-o", str(tmp_path / "o.jsonl"), "-q")
    assert 2 == code and "no pages" in err and 1 == len(err.strip().splitlines())


def test_extract_dump_takes_paths() -> None:
    """extract_dump() accepts os.PathLike sources, like extract_file()."""
    (record,) = extract_dump(SAMPLES / "Albedo.wiki", jobs=1)
    assert isinstance(record, Article) and "Albedo" == record.title
