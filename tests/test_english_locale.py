"""English's knowledge is data (``extractor/locales/en.json``): the file is valid, the code
reads every English table from it, and English stays out of the page-language locales."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from importlib import resources
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.facts import cs1, datevalues
from extractor.locales import (
    CS1_KINDS,
    DateTemplate,
    Locale,
    LocaleError,
    _names,
    _parse_english,
    _with_names,
    any_locale,
    check_language,
    english,
    known_languages,
    locale,
    locale_of,
)


def _data() -> dict[str, Any]:
    text = resources.files("extractor.locales").joinpath("en.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_the_file_is_valid_and_sourced() -> None:
    data = _data()
    assert english() == _parse_english("en.json", data)
    sourced = {part.strip() for key in data["sources"] for part in key.split(",")}
    assert data.keys() - {"lang", "name", "sources"} <= sourced


def test_every_cs1_kind_has_an_english_template() -> None:
    kinds = set(english().citation_kinds.values())
    assert CS1_KINDS - {"other"} <= kinds


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(lang="de"), "lang: must be 'en'"),
        (lambda d: d["sources"].pop("seasons"), "must say where 'seasons' comes from"),
        (lambda d: d.update(seasons=["Winter"]), "seasons: must list lower-case words"),
        (lambda d: d.update(counted_words=[]), "counted_words: must list lower-case words"),
        (lambda d: d["months"].pop("may"), "months: must name every month"),
        (lambda d: d["months"].update(smarch=13), "months.smarch: must be"),
        (
            lambda d: d["citation_templates"][0].update(kind="court"),
            "citation_templates[0].kind: 'court' is not a CS1 kind",
        ),
        (
            lambda d: d["source_templates"][0].update(kind="Court"),
            "source_templates[0].kind: must be a lower-case name",
        ),
        (lambda d: d["date_templates"][0].pop("year"), "date_templates[0]: must say where"),
        (
            lambda d: d["date_templates"][4].update(dates=[]),
            "date_templates[4].dates: must list where each date is",
        ),
        (
            lambda d: d["date_templates"][4]["dates"][1].pop("year"),
            "date_templates[4].dates[1]: must say where",
        ),
    ],
)
def test_a_broken_file_is_a_locale_error(change: Any, message: str) -> None:
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(LocaleError, match=r"^locales/en\.json: ") as info:
        _parse_english("en.json", data)
    assert message in str(info.value)


def test_the_code_reads_its_english_tables_from_the_file() -> None:
    en = english()
    assert cs1.CITATION_KINDS is en.citation_kinds
    assert cs1.NOT_CITATIONS is en.not_citations
    assert datevalues._MONTHS is en.months
    assert datevalues._UNDATED is en.undated_words
    assert datevalues._ONGOING is en.ongoing_words
    assert datevalues._QUANTITY_WORDS is en.quantity_words
    assert datevalues._COUNTED is en.counted_words
    assert datevalues._DATE_TEMPLATES is en.date_templates
    assert datevalues._SEASON == "(?:" + "|".join(en.seasons) + ")"
    assert datevalues._CONTEXT_WORDS == "|".join(en.year_words)
    assert "(?i:" + "|".join(en.year_range_words) + ")" in datevalues._YEAR_CHAIN.pattern
    assert "(?i:" + "|".join(en.determiners) + ")" in datevalues._ADJECTIVAL_BEFORE.pattern


def test_the_tables_hold_what_the_code_held() -> None:
    en = english()
    assert 9 == en.months["sept"] and 12 == len(set(en.months.values()))
    assert "web" == cs1.citation_kind("Cite_Web") == en.citation_kinds["web cite"]
    assert "tweet" == en.citation_kinds["cite tweet"]
    assert cs1.citation_kind("citation needed") is None
    assert (
        DateTemplate("death", "1", "2", "3"),
        DateTemplate("birth", "4", "5", "6"),
    ) == en.date_templates["dda"]
    assert (DateTemplate("date", value="1"),) == en.date_templates["date"]


def test_a_word_added_to_the_data_is_recognised() -> None:
    """The modules built again from a changed copy of the data (in a fresh interpreter:
    they read it at import) know the added month, season, words and templates."""
    script = textwrap.dedent(
        """
        import copy, importlib, json
        from importlib import resources
        import extractor.locales as locales
        from extractor.facts import cs1, datevalues

        data = json.loads(resources.files(locales).joinpath("en.json").read_text("utf-8"))
        data = copy.deepcopy(data)
        data["months"]["smarch"] = 3
        data["seasons"].append("monsoon")
        data["year_words"].append("amid")
        data["counted_words"].append("widgets")
        data["not_citations"].append("cite me not")
        data["source_templates"].append({"names": ["Cite sundial"], "kind": "sundial"})
        data["date_templates"].append({"names": ["Founded"], "role": "start", "year": 2})
        changed = locales._parse_english("en.json", data)
        locales.english = lambda: changed
        importlib.reload(datevalues)
        importlib.reload(cs1)

        assert datevalues.parse_date("Smarch 8, 2008").iso == "2008-03-08"
        assert datevalues.parse_date("Monsoon 2008").iso == "2008"
        assert [f.value.iso for f in datevalues.find_prose_dates("built amid 1990.")] == ["1990"]
        assert datevalues.find_prose_dates("since 1990 widgets") == []
        assert datevalues.find_prose_dates("since 1990 things")
        assert cs1.citation_kind("cite sundial") == "sundial"
        assert cs1.citation_kind("cite me not") is None
        found = datevalues.template_dates("founded", [("1", "x"), ("2", "1871")])
        assert [(d.value.iso, d.role) for d in found] == [("1871", "start")]
        print("ok")
        """
    )
    env = {**os.environ, "EXTRACTOR_COMPILED": "0"}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert "ok" == run.stdout.strip(), run.stderr


def test_english_is_no_page_language_locale() -> None:
    """``en`` has a file but no page-language locale: a page said to be English gets
    MediaWiki's names only (no date formats, so no local date finder), ``locale("en")`` is
    unknown as before, and the union for pages of unknown language holds none of it."""
    assert "en" not in known_languages()
    check_language("en")  # known to MediaWiki
    with pytest.raises(LocaleError, match="unknown language 'en'"):
        locale("en")
    en = locale_of("en")
    names_only = _with_names(Locale(lang="en"), _names()["en"])
    assert attrs.astuple(names_only, recurse=False) == attrs.astuple(en, recurse=False)
    assert "Category" in en.category_names
    assert not (en.date_formats or en.months or en.citation_templates or en.date_templates)
    assert not en.year_words and not en.counted_words
    files = [locale(lang) for lang in known_languages()]
    assert set(any_locale().months) == {name for loc in files for name in loc.months}
    templates = {name for loc in files for name in loc.citation_templates}
    assert set(any_locale().citation_templates) == templates


def test_lang_en_on_the_command_line(tmp_path: Any) -> None:
    page = tmp_path / "page.wiki"
    page.write_text(
        "On 5 May 1950 it opened.<ref>{{cite web |url=http://x.org |title=T "
        "|date=n.d. |access-date=Sept. 3, 2008}}</ref>\n{{Start date|1950|5|5}}\n"
        "[[Category:Things]]",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(cli, ["extract", str(page), "--lang", "en", "-o", str(out)])
    assert 0 == result.exit_code, result.output
    record = json.loads((out / "page.wiki.json").read_text(encoding="utf-8"))
    assert "en" == record["lang"]
    assert ["Things"] == [c["name"] for c in record["categories"]]
    dates = {(d["kind"], d["role"], d["iso"]) for d in record["dates"]}
    assert {
        ("prose", None, "1950-05-05"),
        ("template", "start", "1950-05-05"),
        ("citation", "access-date", "2008-09-03"),
    } == dates
