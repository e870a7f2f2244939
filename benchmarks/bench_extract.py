"""MB/s of ``extract()`` over real pages, beside ``mwparserfromhell.parse`` alone, same run.

    python benchmarks/bench_extract.py [CORPUS_DIR] [--repeat N]

CORPUS_DIR defaults to ../shared/corpus/wikitext/en (beside the repository).  Speeds are
UTF-8 megabytes of page text per CPU-second on one core (process time, so other load on the
machine does not count), best of N rounds.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell

from extractor import extract
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
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.wiki"))]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} pages, {megabytes:.2f} MB from {args.corpus}")
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


if __name__ == "__main__":
    main()
