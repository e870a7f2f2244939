"""MB/s of ``extract()`` over real pages, beside ``mwparserfromhell.parse`` alone, same run.

    python benchmarks/bench_extract.py [CORPUS_DIR] [--repeat N] [--interpreted]

CORPUS_DIR defaults to ../shared/corpus/wikitext/en (beside the repository).  Speeds are
UTF-8 megabytes of page text per CPU-second on one core (process time, so other load on the
machine does not count), best of N rounds.  The first line says how the package runs
(compiled or interpreted); ``--interpreted`` also measures extract + JSON with every module
interpreted (``EXTRACTOR_COMPILED=0``, in a child process), rounds alternating with ours.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell

from extractor import extract
from extractor._compiled import build_summary
from extractor.run.batch import tune_gc

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wikitext" / "en"


def _best(texts: list[str], work: Callable[[str], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` rounds of ``work`` over every text."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            work(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    """Measure and print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--interpreted", action="store_true", help="also measure every module interpreted"
    )
    parser.add_argument("--one-round", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.wiki"))]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    if args.one_round:  # the child of --interpreted: a warm-up, then one timed round
        _best(texts, _extract_json, 1)
        print(_best(texts, _extract_json, 1))
        return
    print(f"corpus: {len(texts)} pages, {megabytes:.2f} MB from {args.corpus}")
    print(f"extractor: {build_summary()}")
    steps: list[tuple[str, Callable[[str], object]]] = [
        ("mwparserfromhell.parse (full tree)", mwparserfromhell.parse),
        (
            "extract, reference tree path",
            lambda t: extract(t, dialect="wikitext", reference=True),
        ),
        ("extractor.extract (parse + all facts)", lambda t: extract(t, dialect="wikitext")),
        ("extract + JSON", lambda t: extract(t, dialect="wikitext").to_json()),
    ]
    results = {}
    for name, work in steps:
        seconds = _best(texts, work, args.repeat)
        results[name] = megabytes / seconds
        print(f"{name:42s} {results[name]:6.2f} MB/s per core")
    before = gc.get_threshold()
    tune_gc()  # as in dump workers and the extract command
    name = "extract + JSON, GC as in dump workers"
    results[name] = megabytes / _best(texts, steps[-1][1], args.repeat)
    gc.set_threshold(*before)
    print(f"{name:42s} {results[name]:6.2f} MB/s per core")
    base = results[steps[0][0]]
    print(f"extract + JSON relative to parse alone: {results[steps[-1][0]] / base:.2f}x")
    print(f"  with the workers' GC setting: {results[name] / base:.2f}x")
    if args.interpreted:
        _interpreted(texts, megabytes, args)


def _extract_json(text: str) -> bytes:
    return extract(text, dialect="wikitext").to_json()


def _interpreted(texts: list[str], megabytes: float, args: argparse.Namespace) -> None:
    """Extract + JSON here and in an interpreted child, rounds alternating: the ratio."""
    command = [sys.executable, __file__, str(args.corpus), "--one-round"]
    env = {**os.environ, "EXTRACTOR_COMPILED": "0"}
    ours, theirs = float("inf"), float("inf")
    for _ in range(args.repeat):
        ours = min(ours, _best(texts, _extract_json, 1))
        child = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        theirs = min(theirs, float(child.stdout.split()[-1]))
    name = "extract + JSON, every module interpreted"
    print(f"{name:42s} {megabytes / theirs:6.2f} MB/s per core")
    print(f"this build over the interpreted one, same rounds: {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()
