"""The command line: outputs, exit codes, one-line errors, help with examples."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli

SAMPLES = Path(__file__).parent.parent / "samples"
JUNO = SAMPLES / "Juno_(soundtrack).txt"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """Exit code, stdout bytes and stderr text of one in-process CLI call."""
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_one_page_prints_one_object() -> None:
    """A one-page file prints one JSON object with the page's title."""
    code, out, _ = run("extract", str(JUNO))
    assert (0, "Juno (soundtrack)") == (code, json.loads(out)["title"])


def test_many_pages_print_an_array_or_jsonl() -> None:
    """A 20-page flat file prints an array, or 20 lines with --jsonl."""
    code, out, _ = run("extract", str(SAMPLES / "wiki-example.txt"))
    assert (0, 20) == (code, len(json.loads(out)))
    code, out, _ = run("extract", str(SAMPLES / "wiki-example.txt"), "--jsonl")
    lines = out.decode().splitlines()
    assert (0, 20) == (code, len(lines))
    assert "BBS" == json.loads(lines[0])["title"]


def test_stdin_with_dialect_and_title() -> None:
    """`-` reads stdin; --dialect and --title apply to it."""
    code, out, _ = run(
        "extract", "-", "--dialect", "wikitext", "--title", "T", stdin=b"[[Category:X]]"
    )
    record = json.loads(out)
    assert (0, "T", "wikitext", "X") == (
        code,
        record["title"],
        record["dialect"],
        record["categories"][0]["name"],
    )


def test_output_file(tmp_path: Path) -> None:
    """-o FILE writes the records there and nothing to stdout."""
    target = tmp_path / "out.jsonl"
    code, out, _ = run("extract", str(JUNO), "--jsonl", "-o", str(target))
    assert (0, b"") == (code, out)
    assert "Juno (soundtrack)" == json.loads(target.read_text())["title"]


def test_output_folder_that_does_not_exist_yet_is_made(tmp_path: Path) -> None:
    """-o NEW/ (a trailing slash: a folder) is created, with one file per input file, as
    for a folder that exists (the README's second command on a clean checkout)."""
    target = tmp_path / "new" / "records"
    code, out, err = run("extract", str(SAMPLES), "-o", f"{target}/")
    assert (0, b"", "") == (code, out, err)
    written = sorted(p.name for p in target.iterdir())
    assert sorted(f"{p.name}.json" for p in SAMPLES.iterdir()) == written


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: d / "missing.wiki", "missing.wiki"),
        (lambda d: _write(d / "empty.wiki", b""), "empty"),
        (lambda d: _write(d / "blob.bin", b"\x00\x01\x02" * 100), "binary"),
        (lambda d: _mkdir(d / "nothing"), "no pages"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(
    make: Callable[[Path], Path], needle: str, tmp_path: Path
) -> None:
    """Missing, empty, binary and page-less inputs: one line on stderr, exit 2."""
    code, out, err = run("extract", str(make(tmp_path)))
    assert (2, b"") == (code, out)
    assert 1 == len(err.strip().splitlines())
    assert needle in err and "Traceback" not in err


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    """Invalid UTF-8 is decoded with replacement and said in the record's problems."""
    path = _write(tmp_path / "bad.wiki", b"Text \xff\xfe more [[Category:A]]")
    code, out, _ = run("extract", str(path))
    record = json.loads(out)
    assert 0 == code
    assert any("UTF-8" in p for p in record["problems"])
    assert ["A"] == [c["name"] for c in record["categories"]]


def test_unterminated_markup_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """An unclosed {{ or [tpl] is reported in problems and extraction goes on."""
    wiki = _write(tmp_path / "a.wiki", b"Lead {{cite web|title=x\n== H ==\n")
    flat = _write(tmp_path / "b.txt", b"[[B]]\n\nCATEGORIES: X\n\nText [tpl]cite web|a=b\n")
    for path, needle in ((wiki, "unterminated '{{'"), (flat, "unterminated [tpl]")):
        code, out, _ = run("extract", str(path))
        assert 0 == code
        assert any(needle in p for p in json.loads(out)["problems"])


def test_every_command_has_an_example_in_its_help() -> None:
    """Each command's --help shows at least one Example."""
    for command in cli.commands:
        code, out, _ = run(command, "--help")
        assert 0 == code and b"Example" in out, command


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m extractor` is the same command."""
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(JUNO)],
        capture_output=True,
        check=True,
    )
    assert "flat" == json.loads(result.stdout)["dialect"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_a_signal_as_a_command_ends_is_still_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Ctrl-C that lands after the command's own handling (click turns it into Abort)
    is exit 130 with the interruption's line, not click's "aborted" and exit 1."""
    import click

    def interrupted(*args: object, **kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise click.Abort() from exc

    monkeypatch.setattr(click.Group, "main", interrupted)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["extract", str(JUNO)])
    assert 130 == stopped.value.code
    assert "extractor: interrupted (SIGINT)\n" == capsys.readouterr().err
