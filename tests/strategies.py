"""Shared hypothesis strategies: generated pages whose facts are known in advance."""

from __future__ import annotations

import html

import attrs
from hypothesis import strategies as st

from tests.paths import SAMPLES

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_NAME = st.builds(
    lambda first, rest: (first + " ".join(rest)).strip(),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.lists(_WORD, min_size=1, max_size=4),
)

#: Fragments that exercise the parsers' corners when glued together at random.
MARKUP_FRAGMENTS = [
    "{{", "}}", "[[", "]]", "|", "=", "==", "\n", "<ref>", "</ref>", "<ref name=x/>", "<!--",
    "-->", "<nowiki>", "</nowiki>", "[tpl]", "[/tpl]", "[ref]", "[/ref]", "CATEGORIES: ",
    "[[Category:", "{{cite web|", "url=", "date=", "January 8, 2008", "1997", "''", "'''",
    "[http://x.org a]", "#REDIRECT ", "&amp;", "{|", "|}", "\x00", "\ud7ff", "é",
]  # fmt: skip

markup_soup = st.lists(
    st.one_of(st.sampled_from(MARKUP_FRAGMENTS), st.text(max_size=5)), max_size=40
).map("".join)


@attrs.frozen
class Generated:
    """A generated page and the facts it must yield, with their spans."""

    text: str
    categories: tuple[tuple[str, tuple[int, int]], ...]
    headings: tuple[tuple[int, str, int], ...]
    cites: tuple[tuple[str, tuple[int, int]], ...]


@st.composite
def wikitext_pages(draw: st.DrawFn) -> Generated:
    """A page of prose, headings, category links and cite templates (some inside refs)."""
    parts: list[str] = []
    categories: list[tuple[str, tuple[int, int]]] = []
    headings: list[tuple[int, str, int]] = []
    cites: list[tuple[str, tuple[int, int]]] = []
    seen: set[str] = set()
    pos = 0

    def add(piece: str) -> int:
        nonlocal pos
        start = pos
        parts.append(piece)
        pos += len(piece)
        return start

    for kind in draw(
        st.lists(st.sampled_from(["prose", "head", "cat", "cite", "ref"]), max_size=12)
    ):
        if kind == "prose":
            add(" ".join(draw(st.lists(_WORD, min_size=1, max_size=6))) + ". ")
        elif kind == "head":
            level = draw(st.integers(2, 5))
            title = draw(_NAME)
            add("\n")
            start = add("=" * level + " " + title + " " + "=" * level)
            add("\n")
            headings.append((level, title, start))
        elif kind == "cat":
            name = draw(_NAME)
            piece = f"[[Category:{name}]]"
            start = add(piece)
            if name not in seen:
                seen.add(name)
                categories.append((name, (start, start + len(piece))))
        else:
            title = draw(_NAME)
            piece = f"{{{{cite web|url=http://example.org/{len(cites)}|title={title}}}}}"
            if kind == "ref":
                add("<ref>")
            start = add(piece)
            if kind == "ref":
                add("</ref>")
            cites.append((title, (start, start + len(piece))))
    return Generated("".join(parts), tuple(categories), tuple(headings), tuple(cites))


# --------------------------------------------------------------------- dumps built in tests


def dump_xml(pages: list[tuple[str, str]], *, namespace: int = 0) -> bytes:
    """A MediaWiki XML export (schema 0.10) of ``(title, text)`` pages, ids from 1."""
    parts = [
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" xml:lang="en">\n'
        "<siteinfo><sitename>Wikipedia</sitename><dbname>enwiki</dbname></siteinfo>\n"
    ]
    for i, (title, text) in enumerate(pages, start=1):
        parts.append(
            f"<page><title>{html.escape(title)}</title><ns>{namespace}</ns><id>{i}</id>"
            f"<revision><id>{1000 + i}</id><timestamp>2020-01-01T00:00:00Z</timestamp>"
            f'<text xml:space="preserve">{html.escape(text, quote=False)}</text>'
            "</revision></page>\n"
        )
    parts.append("</mediawiki>\n")
    return "".join(parts).encode()


def sample_pages(count: int, size: int = 4000) -> list[tuple[str, str]]:
    """``count`` pages of real wikitext cut from ``samples/*.wiki``, ``size`` chars each at
    most, titled ``Page N`` (redirect samples stay redirects)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.wiki"))]
    pages = []
    for i in range(count):
        text = texts[i % len(texts)]
        start = 0 if len(text) <= size else (i * 997) % (len(text) - size)
        pages.append((f"Page {i}", text[start : start + size]))
    return pages
