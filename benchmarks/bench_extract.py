"""MB/s of ``extract()`` over real pages, beside ``mwparserfromhell.parse`` alone, same run.

    python benchmarks/bench_extract.py [CORPUS_DIR] [--repeat N] [--interpreted] [--stages]
                                       [--texts FILE.jsonl]

CORPUS_DIR defaults to ../shared/corpus/wikitext/en (beside the repository).  Speeds are
UTF-8 megabytes of page text per CPU-second on one core (process time, so other load on the
machine does not count), best of N rounds.  The first line says how the package runs
(compiled or interpreted); ``--interpreted`` also measures extract + JSON with every module
interpreted (``EXTRACTOR_COMPILED=0``, in a child process), rounds alternating with ours.
``--stages`` also times each stage of the pipeline alone over the same pages (the tokenizer,
the token walk, each extractor, the rest of the record, JSON) and prints its share: where
the time goes, for a profile that needs no profiler.  ``--texts`` reads the pages from a
file of one JSON string a line instead (``bench_dump.py`` writes the dump's page texts to
``WORKDIR/bench-peers-texts.jsonl``), so the stages can be timed on the dump's pages.
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
import orjson
from mwparserfromhell.parser._tokenizer import CTokenizer

from extractor import extract
from extractor._compiled import build_summary
from extractor.facts.citations import extract_citations
from extractor.facts.dates import extract_dates
from extractor.facts.sections import extract_sections, section_starts
from extractor.locales import locale_of
from extractor.parse import parse
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
    parser.add_argument("--stages", action="store_true", help="also time each stage alone")
    parser.add_argument("--texts", type=Path, help="read the pages from a file of JSON strings")
    parser.add_argument("--one-round", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.texts is not None:
        args.corpus = args.texts
        with args.texts.open("rb") as lines:
            texts = [orjson.loads(line) for line in lines if line.strip()]
    else:
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
    if args.stages:
        _stages(texts, args.repeat)


def _extract_json(text: str) -> bytes:
    return extract(text, dialect="wikitext").to_json()


def _stages(texts: list[str], repeat: int) -> None:
    """Each stage alone over every page, with the workers' GC setting: CPU seconds (best of
    ``repeat`` rounds, each running every stage in turn) and share of extract + JSON.  The walk
    is the parse stage less the tokenizer; "the rest" (the record, categories, sections, dialect
    and page checks) is the whole extract less the stages timed.  English pages: the English
    locale.  The documents and records the stages start from are frozen out of the garbage
    collector's reach: alive all along, they would make every full collection, so every stage,
    slower than in a dump."""
    before = gc.get_threshold()
    tune_gc()
    loc = locale_of("en")
    docs = [parse(text, "wikitext") for text in texts]
    starts = [section_starts(extract_sections(doc)) for doc in docs]
    cites = [extract_citations(doc, s, loc) for doc, s in zip(docs, starts, strict=True)]
    records = [extract(text, dialect="wikitext", lang="en") for text in texts]
    pages = list(zip(docs, starts, cites, strict=True))
    gc.collect()
    gc.freeze()  # the inputs kept for the stages: no collection walks them over and over
    stages: dict[str, Callable[[], object]] = {
        "tokenizer": lambda: [CTokenizer().tokenize(t, 0, True) for t in texts],
        "parse": lambda: [parse(t, "wikitext") for t in texts],
        "citations": lambda: [extract_citations(d, s, loc) for d, s, _ in pages],
        "dates": lambda: [extract_dates(d, c, s, loc) for d, s, c in pages],
        "extract": lambda: [extract(t, dialect="wikitext", lang="en") for t in texts],
        "JSON": lambda: [record.to_json() for record in records],
    }
    timed = dict.fromkeys(stages, float("inf"))
    for _ in range(repeat):  # rounds of every stage in turn: a slow spell hits them alike
        for name, work in stages.items():
            start = time.process_time()
            work()
            timed[name] = min(timed[name], time.process_time() - start)
    gc.unfreeze()
    gc.set_threshold(*before)
    shares = {
        "tokenizer (mwparserfromhell, C)": timed["tokenizer"],
        "token walk (parse less tokenizer)": timed["parse"] - timed["tokenizer"],
        "citations (CS1 fields, uses, claims)": timed["citations"],
        "dates (citation, template, prose)": timed["dates"],
        "the rest of the record": timed["extract"]
        - timed["parse"]
        - timed["citations"]
        - timed["dates"],
        "JSON": timed["JSON"],
    }
    total = timed["extract"] + timed["JSON"]
    print(f"stages, each alone ({len(texts)} pages; CPU s, best of {repeat}; share of the whole):")
    for name, seconds in shares.items():
        print(f"  {name:40s} {seconds:6.2f} s  {seconds / total:5.1%}")


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
