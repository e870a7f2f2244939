"""Categories: links, normalization, sort keys, duplicates, hidden places."""

from __future__ import annotations

import pytest

from extractor import extract
from extractor.facts.categories import extract_categories, normalize_title
from extractor.page import Site
from extractor.parse import parse
from extractor.records import Category

NAMES = Site().category_names()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("foo_bar", "Foo bar"),
        ("  Foo   bar ", "Foo bar"),
        ("Fish &amp; chips", "Fish & chips"),
        ("éclair", "Éclair"),
        ("1909 births", "1909 births"),
    ],
)
def test_normalize_title_like_mediawiki(raw: str, expected: str) -> None:
    """Underscores, runs of spaces, entities and the first letter are normalized."""
    assert expected == normalize_title(raw)


def test_categories_with_sort_keys_and_spans() -> None:
    """Links give name, raw sort key and the span of the link."""
    text = "x [[Category:1909 births|Huxley, Aldous]] [[category:writers]]"
    cats = extract_categories(parse(text, "wikitext"), NAMES, [0])
    assert [
        Category("1909 births", "Huxley, Aldous", 0, (2, 41)),
        Category("Writers", None, 0, (42, 62)),
    ] == list(cats)


def test_duplicates_merge_keeping_first_span_and_last_key() -> None:
    """A category given twice appears once, at its first place, with the last sort key."""
    text = "[[Category:A]] [[Category:a|k]]"
    (cat,) = extract_categories(parse(text, "wikitext"), NAMES, [0])
    assert Category("A", "k", 0, (0, 14)) == cat


def test_no_categories_from_comments_nowiki_or_colon_links() -> None:
    """Commented, nowiki'd and ':'-prefixed category links are not memberships."""
    text = "<!-- [[Category:C]] --> <nowiki>[[Category:N]]</nowiki> [[:Category:L]]"
    assert extract_categories(parse(text, "wikitext"), NAMES, [0]) == ()


def test_localized_namespace_from_site() -> None:
    """A German site's Kategorie links are categories; a site's names are honoured."""
    text = "[[Kategorie:Filmregisseur]]"
    site = Site(dbname="dewiki", lang="de", namespaces={14: ("Kategorie",)})
    (cat,) = extract_categories(parse(text, "wikitext"), site.category_names(), [0])
    assert cat.name == "Filmregisseur"
    english = Site(lang="en", namespaces={14: ("Category",)}).category_names()
    assert extract_categories(parse(text, "wikitext"), english, [0]) == ()


def test_a_later_link_without_key_clears_the_sort_key() -> None:
    """MediaWiki keeps the last sort key, an absent one included."""
    text = "[[Category:Foo|b]] [[Category:Foo]]"
    (cat,) = extract_categories(parse(text, "wikitext"), NAMES, [0])
    assert (None, (0, 18)) == (cat.sort_key, cat.span)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<!--old-->Foo", "Foo"),
        (":Category:Foo", "Category:Foo"),
        ("\u200eFoo\u200f", "Foo"),
        ("ßtraße", "ßtraße"),
    ],
)
def test_normalize_title_drops_comments_marks_and_colon(raw: str, expected: str) -> None:
    """Comments, direction marks and a leading ':' go; 'ß' is not upper-cased to 'SS'."""
    assert expected == normalize_title(raw)


@pytest.mark.parametrize("rows", [100, 2000])
def test_category_after_unclosed_rows_is_recovered_with_a_problem(rows: int) -> None:
    """Past its nesting limit the tokenizer reads the rest of the page as text: a category
    link there still puts the page in the category, and the record says why."""
    text = "<table>" + "<tr><td>x\n" * rows + "[[Category:X|k]]\n[[Category:Y]]"
    for reference in (False, True):
        article = extract(text, reference=reference)
        assert [(c.name, c.sort_key) for c in article.categories] == [("X", "k"), ("Y", None)]
        start, end = article.categories[0].span
        assert text[start:end] == "[[Category:X|k]]"
        assert any("nested too deep" in p for p in article.problems)


def test_literal_category_in_nowiki_is_no_category() -> None:
    """Markup that is text on purpose (nowiki) is not recovered."""
    article = extract("<nowiki>[[Category:Z]]</nowiki> [[Category:W]]")
    assert [c.name for c in article.categories] == ["W"] and not article.problems


def test_category_entities_decode_as_mediawiki_does() -> None:
    """Entities in a category name decode as MediaWiki decodes them: a control character's
    entity is U+FFFD, never the character."""
    assert normalize_title("A&amp;B x&#27;y") == "A&B x\ufffdy"
