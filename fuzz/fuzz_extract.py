"""Coverage-guided fuzzing of :func:`extractor.extract` in one dialect (atheris/libFuzzer).

    python fuzz/fuzz_extract.py DIALECT [libFuzzer options] [CORPUS_DIR ...]

DIALECT is ``auto``, ``wikitext``, ``flat`` or ``text``.  Each input's bytes are decoded as
UTF-8 with replacement (what every source hands over) and extracted; a crash is any
exception, a span outside the input, a date whose span does not slice to its text, or a
record that does not round-trip through JSON.  Slow inputs are caught by libFuzzer's
``-timeout``.  ``fuzz/run.py`` runs every target with a seed corpus.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["extractor"]):
    import orjson

    from extractor import extract
    from extractor.records import Article

DIALECTS = ("auto", "wikitext", "flat", "text")


def check(text: str, dialect: str) -> Article:
    """Extract ``text`` and assert the record's invariants; return the record."""
    article = extract(text, dialect=dialect)
    spans = [c.span for c in article.categories] + [s.span for s in article.sections]
    spans += [c.span for c in article.citations] + [d.span for d in article.dates]
    for start, end in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
    for date in article.dates:
        assert text[date.span[0] : date.span[1]] == date.text, (date.span, date.text)
    assert article.to_dict() == orjson.loads(article.to_json())
    return article


def main() -> None:
    """Run the fuzzer; the first argument picks the dialect, the rest go to libFuzzer."""
    if len(sys.argv) < 2 or sys.argv[1] not in DIALECTS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(DIALECTS)}}} [libFuzzer options]")
    dialect = sys.argv.pop(1)

    def test_one_input(data: bytes) -> None:
        check(data.decode("utf-8", "replace"), dialect)

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
