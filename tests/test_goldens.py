"""Golden files: output/ holds the records of samples/, byte for byte, valid per schema.json.

Regenerate after a reviewed change with:  extractor extract samples/ -o output/
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from extractor.cli import cli

ROOT = Path(__file__).parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if not p.name.startswith("."))
SCHEMA = json.loads((ROOT / "extractor" / "schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The records of samples/ made now, the way the documented command makes them."""
    out = tmp_path_factory.mktemp("output")
    result = CliRunner().invoke(cli, ["extract", str(ROOT / "samples"), "-o", f"{out}/"])
    assert 0 == result.exit_code, result.output
    return out


def test_samples_cover_what_the_project_promises() -> None:
    """samples/ holds the two seeds, the 20-page flat file and at least 10 real pages."""
    assert {"Juno_(soundtrack).txt", "Juno_review.txt", "wiki-example.txt"} <= set(SAMPLES)
    assert 10 <= sum(name.endswith(".wiki") for name in SAMPLES)


def test_output_has_exactly_one_golden_per_sample() -> None:
    """No golden is missing and none is left over from a removed sample."""
    goldens = sorted(p.name for p in (ROOT / "output").glob("*.json"))
    assert [f"{name}.json" for name in SAMPLES] == goldens


@pytest.mark.parametrize("name", SAMPLES)
def test_golden_is_up_to_date(name: str, fresh: Path) -> None:
    """The committed golden equals what the code makes now (else: regenerate and review)."""
    committed = (ROOT / "output" / f"{name}.json").read_bytes()
    assert committed == (fresh / f"{name}.json").read_bytes(), (
        "output/ is stale: run `extractor extract samples/ -o output/` and review the diff"
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_golden_validates_against_schema(name: str) -> None:
    """Every golden record is valid under extractor/schema.json."""
    data = json.loads((ROOT / "output" / f"{name}.json").read_text(encoding="utf-8"))
    for record in data if isinstance(data, list) else [data]:
        jsonschema.validate(record, SCHEMA)


@pytest.mark.parametrize("name", SAMPLES)
def test_golden_spans_slice_the_sample(name: str) -> None:
    """Date texts are the sample's characters at their spans (page text for flat files)."""
    text = (ROOT / "samples" / name).read_bytes().decode("utf-8")  # keep CRLF as read
    data = json.loads((ROOT / "output" / f"{name}.json").read_text(encoding="utf-8"))
    for record in data if isinstance(data, list) else [data]:
        base = record["offset"] or 0
        for date in record["dates"]:
            start, end = date["span"]
            assert date["text"] == text[base + start : base + end]
