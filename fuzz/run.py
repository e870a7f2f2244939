"""Run every fuzz target one after another, each for N inputs or S seconds, with seeds.

    python fuzz/run.py --runs 2000                 # what CI does: a brief run of each target
    python fuzz/run.py --runs 100000               # the long campaign
    python fuzz/run.py --seconds 600 --targets extract-wikitext

Seeds come from ``samples/`` and ``../shared/corpus`` (wikitext pages, flat pages, small
dumps) and the goldens in ``output/`` (records), cut to ``--max-len`` bytes.  Each target
keeps its own growing corpus and its crash artifacts under ``--work`` (default
``fuzz/.work/TARGET/``).  One line per target is printed
(inputs tried, execs/s, peak RSS, crashes), the same figures go to ``WORK/summary.json``, and
the exit code is 1 when any target found a crash (its input is in ``WORK/TARGET/artifacts``:
turn it into a test in ``tests/test_fuzz_regressions.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "corpus"

#: target name -> (script, extra arguments before the libFuzzer options)
TARGETS: dict[str, tuple[str, list[str]]] = {
    "extract-auto": ("fuzz_extract.py", ["auto"]),
    "extract-wikitext": ("fuzz_extract.py", ["wikitext"]),
    "extract-flat": ("fuzz_extract.py", ["flat"]),
    "extract-text": ("fuzz_extract.py", ["text"]),
    "dump-reader": ("fuzz_dump_reader.py", []),
    "cites-records": ("fuzz_records.py", []),
    "resume-journal": ("fuzz_journal.py", []),
}

#: Mode bytes of ``cites-records`` seeds (see ``fuzz_records.MODES``) and how the seed is
#: packed for each: plain as table and as JSONL, gzip bytes as CSV, gzipped by the target
#: as Parquet.
_RECORD_MODES = ((0, bytes), (3, bytes), (8, gzip.compress), (10, bytes))
_STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.MULTILINE)


def _files(*patterns: tuple[Path, str]) -> list[Path]:
    found: list[Path] = []
    for folder, glob in patterns:
        if folder.is_dir():
            found.extend(sorted(p for p in folder.glob(glob) if p.is_file()))
    return found


def _spread(items: list[Path], count: int) -> list[Path]:
    """``count`` items evenly spread over ``items`` (deterministic)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def record_seeds(max_len: int, max_seeds: int) -> list[bytes]:
    """Seeds of ``cites-records``: the goldens (``output/*.json``, the records of
    ``samples/``) as JSONL lines, each with the citations that fit in ``max_len`` (and
    without the fields ``cites`` does not read), and the shortest three with an error
    record; behind each mode byte of :data:`_RECORD_MODES`."""
    records = []
    for path in _files((ROOT / "output", "*.json")):
        value = json.loads(path.read_text())
        records.extend(value if isinstance(value, list) else [value])
    lines = []
    for record in records[:max_seeds]:
        citations = record.pop("citations", [])
        for name in ("categories", "dates"):
            record.pop(name, None)
        record["citations"] = []
        for citation in citations:
            citation.pop("params", None)
            record["citations"].append(citation)
            if len(_json_line(record)) >= max_len - 16:
                record["citations"].pop()
                break
        lines.append(_json_line(record))
    error = {"title": "Broken", "page_id": 7, "source": "x.xml", "reason": "timeout: 10 s"}
    lines.append(_json_line(error) + b"".join(sorted(lines, key=len)[:3]))
    return [bytes([mode]) + pack(line) for line in lines for mode, pack in _RECORD_MODES]


def _json_line(record: dict[str, object]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def seed_inputs(target: str, max_len: int, max_seeds: int) -> list[bytes]:
    """Seed inputs of ``target``: real pages, dumps or records, cut to ``max_len`` bytes."""
    if target == "cites-records":
        return record_seeds(max_len, max_seeds)
    if target == "resume-journal":
        sys.path.insert(0, str(HERE))
        from fuzz_journal import seeds  # real journals, made by the sink itself

        return [seed for seed in seeds() if len(seed) <= max_len]
    if target == "dump-reader":
        dumps = [
            p
            for p in _files((SHARED / "dumps", "*"))
            if p.suffix in (".xml", ".bz2", ".gz", ".xz") and p.stat().st_size <= 64 << 10
        ]
        seeds = []
        for path in _spread(dumps, max_seeds):
            data = path.read_bytes()
            kind = {".bz2": 1, ".gz": 2}.get(path.suffix, 0)  # the mode byte: see MODES
            seeds.append(bytes([kind]) + data[:max_len])
            if path.suffix == ".xml":  # the same XML, compressed by the target itself
                seeds.append(bytes([5]) + data[:max_len])
        return seeds
    if target == "extract-flat":
        files = _files((SHARED / "tpl" / "pages", "*.txt"), (ROOT / "samples", "*.txt"))
    elif target == "extract-text":
        files = _files((ROOT / "samples", "*review*.txt"), (SHARED.parent / "seeds", "*.txt"))
        files += _files((SHARED / "wikitext" / "en", "*.wiki"))  # prose among the markup
    else:
        files = _files((ROOT / "samples", "*.wiki"), (SHARED / "wikitext", "**/*.wiki"))
        files += _files((ROOT / "samples", "*.txt"))
    seeds = []
    for path in _spread(files, max_seeds):
        data = path.read_bytes()
        seeds.append(data[:max_len])
        if len(data) > 2 * max_len:  # and a piece from the middle, where the markup is
            middle = len(data) // 2
            seeds.append(data[middle : middle + max_len])
    return seeds


def _signature(log: str) -> str:
    """What crashed, in one line: the exception and the innermost frame of ``extractor``."""
    if "Timeout" in log or "timeout" in log.split("==")[-1]:
        kind = "timeout"
    elif "out-of-memory" in log:
        kind = "out-of-memory"
    else:
        found = re.findall(r"^(\w+(?:Error|Exception)\b.*)$", log, re.MULTILINE)
        kind = found[-1][:120] if found else "crash"
    frames = re.findall(r'File "[^"]*/(extractor/[^"]+)", line (\d+), in (\w+)', log)
    return f"{kind} at {':'.join(frames[-1])}" if frames else kind


def run_target(target: str, args: argparse.Namespace, work: Path, python: str) -> dict[str, object]:
    """Run one target (restarted after a crash with ``--keep-going``); return its figures."""
    script, extra = TARGETS[target]
    folder = work / target
    seeds, corpus, artifacts = folder / "seeds", folder / "corpus", folder / "artifacts"
    shutil.rmtree(seeds, ignore_errors=True)
    for d in (seeds, corpus, artifacts):
        d.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(seed_inputs(target, args.max_len, args.max_seeds)):
        (seeds / f"seed-{i:04d}").write_bytes(data)
    before = set(os.listdir(artifacts))
    started = time.monotonic()
    inputs, rates, peak, code, attempt = 0, [], 0, 0, 0
    signatures: list[str] = []
    while True:
        if args.seconds is None:
            limit = [f"-runs={args.runs - inputs}"]
        else:
            left = args.seconds - (time.monotonic() - started)
            limit = [f"-max_total_time={max(1, int(left))}"]
        command = [
            python, str(HERE / script), *extra, *limit,
            f"-seed={args.seed + attempt}", f"-max_len={args.max_len}",
            f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_limit_mb}",
            f"-artifact_prefix={artifacts}/", "-print_final_stats=1", str(corpus), str(seeds),
        ]  # fmt: skip
        log = folder / f"log-{attempt}.txt"
        with log.open("wb") as out:
            run = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        code = run.returncode
        text = log.read_text(errors="replace")
        stats = {k: int(v) for k, v in _STAT.findall(text)}
        done = stats.get("number_of_executed_units", 0)
        if not done:  # a crash: libFuzzer prints no final stats; count from its last status
            status = re.findall(r"^#(\d+)\s", text, re.MULTILINE)
            done = int(status[-1]) if status else 0
        inputs += done
        if stats.get("average_exec_per_sec"):
            rates.append((done, stats["average_exec_per_sec"]))
        peak = max(peak, stats.get("peak_rss_mb", 0))
        if code == 0:
            break
        signatures.append(_signature(text))
        attempt += 1
        out_of_time = args.seconds is not None and time.monotonic() - started >= args.seconds
        if not args.keep_going or attempt > args.max_restarts or out_of_time:
            break
        if args.seconds is None and inputs >= args.runs:
            break
    seconds = time.monotonic() - started
    weight = sum(n for n, _ in rates)
    found = sorted(set(os.listdir(artifacts)) - before)
    return {
        "target": target,
        "inputs": inputs,
        "execs_per_s": round(sum(n * r for n, r in rates) / weight) if weight else 0,
        "peak_rss_mb": peak,
        "seconds": round(seconds, 1),
        "corpus": len(os.listdir(corpus)),
        "exit_code": code if not signatures else 1,
        "crashes": [str(artifacts / name) for name in found],
        "signatures": sorted(set(signatures)),
        "log": str(folder / "log-0.txt"),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the targets; 1 when any crashed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000, help="inputs per target")
    parser.add_argument("--seconds", type=int, help="seconds per target (instead of --runs)")
    parser.add_argument("--targets", nargs="+", choices=sorted(TARGETS), default=list(TARGETS))
    parser.add_argument("--max-len", type=int, default=4096, help="longest input in bytes")
    parser.add_argument("--max-seeds", type=int, default=48, help="seed files per target")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=1, help="libFuzzer's random seed")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument(
        "--keep-going", action="store_true", help="restart a target after a crash (campaigns)"
    )
    parser.add_argument("--max-restarts", type=int, default=10)
    args = parser.parse_args(argv)
    results = []
    for target in args.targets:
        result = run_target(target, args, args.work, sys.executable)
        results.append(result)
        crashes, signatures = result["crashes"], result["signatures"]
        assert isinstance(crashes, list) and isinstance(signatures, list)
        status = "ok" if result["exit_code"] == 0 and not crashes else "CRASH"
        print(
            f"fuzz {target:17} {status:5} {result['inputs']:>9,} inputs "
            f"{result['execs_per_s']:>6,} exec/s  {result['seconds']:>7} s  "
            f"peak {result['peak_rss_mb']} MB  corpus {result['corpus']}"
            + "".join(f"\n  crash: {c}" for c in crashes)
            + "".join(f"\n  what: {w}" for w in signatures)
            + (f"\n  log: {result['log']}" if status != "ok" else ""),
            flush=True,
        )
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "summary.json").write_text(json.dumps(results, indent=2) + "\n")
    failed = [r for r in results if r["exit_code"] != 0 or r["crashes"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
