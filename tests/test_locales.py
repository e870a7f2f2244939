"""Locale files: each one follows the format, and each language's hand-checked cases
(``tests/data/locales/LANG.json``) come out as written there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.facts.localdates import find_local_dates, read_field_date
from extractor.locales import LocaleError, any_locale, known_languages, locale
from tests.paths import require_shared

CASES = Path(__file__).parent / "data" / "locales"
DUMPS = require_shared() / "corpus" / "dumps"


def cases(kind: str) -> list[Any]:
    """(lang, case) for every case of ``kind`` of every language with a case file."""
    found = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found += [pytest.param(path.stem, case, id=f"{path.stem}-{i}") for i, case in
                  enumerate(data.get(kind, ()))]  # fmt: skip
    return found


@pytest.mark.parametrize("lang", known_languages())
def test_every_locale_file_follows_the_format(lang: str) -> None:
    """Each file loads, names its sources, and has categories, months and date formats."""
    loc = locale(lang)
    assert lang == loc.lang
    assert loc.category_names and loc.date_formats
    assert loc.months or all("MONTH" not in f for f in loc.date_formats)


@pytest.mark.parametrize("lang", known_languages())
def test_every_language_has_its_cases(lang: str) -> None:
    """Adding a language is adding its file and its test cases."""
    assert (CASES / f"{lang}.json").is_file()


def test_unknown_language_is_one_line_listing_the_known() -> None:
    """An unknown language code: LocaleError naming every known language."""
    with pytest.raises(LocaleError) as info:
        locale("xx")
    assert "\n" not in str(info.value)
    assert all(lang in str(info.value) for lang in known_languages())


def test_any_locale_holds_every_language_category_name() -> None:
    """The locale of unknown-language pages accepts every language's names."""
    names = set(any_locale().category_names)
    for lang in known_languages():
        assert set(locale(lang).category_names) <= names


@pytest.mark.parametrize(("lang", "case"), cases("dates"))
def test_prose_dates(lang: str, case: dict[str, Any]) -> None:
    """The dates of a sentence, each as [its text, ISO value]; traps give none."""
    text = case["text"]
    found = [
        [text[f.start : f.end], f.value.iso]
        for f in find_local_dates(text, locale(lang))
        if f.value is not None
    ]
    assert case["dates"] == found


@pytest.mark.parametrize(("lang", "case"), cases("dates"))
def test_a_prose_date_alone_is_a_field_value(lang: str, case: dict[str, Any]) -> None:
    """Each date found in prose, alone, reads as the same value in a citation field
    (there a bare year or year range is read as in English)."""
    for text, iso in case["dates"]:
        value = read_field_date(text, locale(lang))
        assert value is not None and iso == value.iso, text


def _people(people: Any) -> list[list[str | None]]:
    return [[a.last, a.first] for a in people]


@pytest.mark.parametrize(("lang", "case"), cases("citations"))
def test_localized_citation_fields(lang: str, case: dict[str, Any]) -> None:
    """A localized citation template on a page of its language: the CS1 kind and the
    fields its case file expects (title, url, dates as ISO, authors, work, publisher)."""
    article = extract(case["wikitext"], lang=lang, dialect="wikitext")
    (citation,) = [c for c in article.citations if c.template is not None]
    got = {
        key: _people(getattr(citation, key))
        if key in ("authors", "editors")
        else getattr(citation, key)
        for key in case["expect"]
    }
    assert case["expect"] == got


def test_lang_option_reads_a_page_as_its_language(tmp_path: Path) -> None:
    """`extract --lang de`: an Internetquelle's fields and a German prose date; an
    unknown --lang is one line listing the known languages, exit 2 (extract and dump)."""
    page = tmp_path / "p.wiki"
    page.write_text(
        "{{Internetquelle |url=https://x.de/a |titel=Ein Titel |datum=3. Mai 2010 "
        "|abruf=2020-01-02}} Er wurde am 14. Februar 1944 geboren. [[Kategorie:Person]]",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "extractor"]
    result = subprocess.run([*run, "extract", str(page), "--lang", "de"], capture_output=True)
    assert (0, b"") == (result.returncode, result.stderr)
    record = json.loads(result.stdout)
    (citation,) = record["citations"]
    assert ("de", "web", "Ein Titel", "2010-05-03", "2020-01-02") == (
        record["lang"], citation["kind"], citation["title"], citation["date"],
        citation["access_date"],
    )  # fmt: skip
    assert ["Person"] == [c["name"] for c in record["categories"]]
    assert ("14. Februar 1944", "1944-02-14") in {(d["text"], d["iso"]) for d in record["dates"]}
    for command in (["extract", str(page)], ["dump", str(page), "-o", str(tmp_path / "o.jsonl")]):
        result = subprocess.run([*run, *command, "--lang", "xx"], capture_output=True, text=True)
        assert 2 == result.returncode
        assert 1 == len(result.stderr.splitlines()) and "de, es" in result.stderr


def test_dump_lang_overrides_a_siteinfo_of_another_language(tmp_path: Path) -> None:
    """A real minidump whose <siteinfo> says English but whose pages are German: a warning
    (one line, and in --stats) says so; with `dump --lang de` its Internetquelle/Literatur
    citations get titles and its [[Kategorie:…]] links are categories, with no warning."""
    dump = DUMPS / "extraction-framework__minidump_de_wiki.xml.bz2"
    out, stats = tmp_path / "o.jsonl", tmp_path / "s.json"
    run = [sys.executable, "-m", "extractor", "dump", str(dump), "-o", str(out), "-q",
           "--stats", str(stats)]  # fmt: skip
    counts = []
    for extra in ([], ["--lang", "de"]):
        result = subprocess.run([*run, *extra], capture_output=True, text=True)
        assert 0 == result.returncode
        warnings = json.loads(stats.read_text())["warnings"]
        assert [line.removeprefix("extractor: warning: ") for line in
                result.stderr.splitlines()] == warnings  # fmt: skip
        assert (["(en)", "de", "--lang"] if not extra else []) == [
            word for word in ("(en)", "de", "--lang") if warnings and word in warnings[0]
        ]
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        cites = [c for r in records for c in r["citations"] if c["template"]]
        counts.append(
            (sum(c["title"] is not None for c in cites), sum(len(r["categories"]) for r in records))
        )
    (titles_en, categories_en), (titles_de, categories_de) = counts
    assert titles_de > 5 * titles_en and categories_de > categories_en == 0


def test_an_english_field_date_needs_no_locale_regex() -> None:
    """A page of unknown language reads its citation fields with every locale's dates, but
    an English field date is read before any of their regexes is compiled (compiling them
    all cost about a second per process); a field only another language reads compiles
    the field formats, not the prose ones."""
    code = (
        "from extractor.facts.localdates import _reader, read_field_date\n"
        "from extractor.locales import any_locale\n"
        "value = read_field_date('May 3, 2010', any_locale())\n"
        "compiled = lambda: sorted(set(vars(_reader(any_locale()))) & {'formats', 'whole',"
        " 'year_words'})\n"
        "print(value.iso, compiled())\n"
        "value = read_field_date('3. Mai 2010', any_locale())\n"
        "print(value.iso, compiled())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["2010-05-03 []", "2010-05-03 ['whole']"], result.stderr


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("#REDIRECT [[Berlin]]", "Berlin"),
        ("#WEITERLEITUNG [[Berlin]]", "Berlin"),
        ("#перенаправление [[Берлин]]", "Берлин"),
        ("#転送 [[東京]]", "東京"),
        ("＃転送 [[東京]]", "東京"),  # jawiki's own words begin with a full-width number sign
        ("＃リダイレクト[[東京]]", "東京"),
        ("＃REDIRECT [[東京]]", None),  # no language lists this spelling
        ("転送 [[東京]]", None),
        ("REDIRECT [[Berlin]]", None),
    ],
)
def test_redirect_words_of_every_language(text: str, target: str | None) -> None:
    """The REDIRECT magic word in any language MediaWiki ships, as its message files spell
    it (namespaces.json), the full-width ``＃`` of Japanese among them."""
    assert extract(text).redirect == target


def test_a_dump_said_english_whose_pages_call_another_languages_citation_templates(
    tmp_path: Path,
) -> None:
    """<siteinfo> says English; pages with categories of their own but only German and
    Polish citation templates: one warning line per language set (and in --stats) naming
    them and --lang; a page with an English citation beside them, or the same run with
    --lang, gives none."""
    from tests.strategies import dump_xml

    german = "Text.<ref>{{Internetquelle |url=https://a.de |titel=A |abruf=2020-01-01}}</ref>\n"
    polish = "Tekst.<ref>{{Cytuj stronę |url=https://a.pl |tytuł=B}}</ref>\n"
    english = german + "More.<ref>{{cite web |url=https://b.org |title=C}}</ref>\n"
    category = "[[Category:Things]]\n"
    pages = [(f"P{i}", text + category) for i, text in enumerate([german, german, polish])]
    (tmp_path / "d.xml").write_bytes(dump_xml([*pages, ("E", english + category)]))
    run = [sys.executable, "-m", "extractor", "dump", "d.xml", "-o", "o.jsonl", "-q",
           "--stats", "s.json", "--force"]  # fmt: skip
    result = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert 0 == result.returncode, result.stderr
    warnings = json.loads((tmp_path / "s.json").read_text())["warnings"]
    assert warnings == [line.removeprefix("extractor: warning: ")
                        for line in result.stderr.splitlines()]  # fmt: skip
    assert 2 == len(warnings)
    assert warnings[0].startswith("2 page(s) without a citation of the <siteinfo>'s language (en)")
    assert "citation templates of de: give --lang" in warnings[0]
    assert "citation templates of pl: give --lang" in warnings[1]
    quiet = subprocess.run([*run, "--lang", "de"], capture_output=True, text=True, cwd=tmp_path)
    assert 0 == quiet.returncode and "" == quiet.stderr
    assert [] == json.loads((tmp_path / "s.json").read_text())["warnings"]


def test_english_citation_names_are_no_foreign_templates() -> None:
    """{{Web cite}} is an English CS1 redirect that a Turkish file lists too: on an English
    page it is no sign of another language; {{Internetquelle}} is (found in review)."""
    from extractor.facts.cs1 import citation_kind
    from extractor.locales import foreign_template_languages

    def english(name: str) -> bool:
        return citation_kind(name) is not None

    assert () == foreign_template_languages("{{Web cite |url=x}}", "en", english)
    assert ("de",) == foreign_template_languages("{{Internetquelle |url=x}}", "en", english)
