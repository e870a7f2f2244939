"""Where citations are used in prose, and the claim each use supports.

A *use* is a place where a citation is cited: a ``<ref>`` with contents, a
``<ref name=x />`` (or ``{{r|x}}``) citing a named ref, a short citation such as
``{{sfn}}`` standing outside refs, or a citation template standing in running prose (the
flattened dialect lost its ``<ref>`` tags).  ``{{rp|pages}}`` right after a use gives its
pages.  Definitions inside a list of references (``<references>...</references>``,
``{{reflist|refs=...}}``) are no uses.

The *claim* of a use is the sentence it follows, read from the page's prose mask: from the
sentence's start up to the use, within its line (a paragraph, list item, table cell, caption),
as a reader sees it: markup, refs and templates left out (an inline template's text too),
apostrophe runs removed, entities decoded.  A sentence ends at ``.``, ``!`` or ``?`` followed
by white space and a word that is not lower case (or at ``。！？``), but not after an initial
(``J. R. R. Tolkien``), an initialism (``U.S.``) or an abbreviation of ``footnotes.json``
(``c.``, ``St.``).  A use inside a template (an infobox), inside another ref or with nothing
before it on its line has no claim.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence

from extractor.facts.sections import section_at
from extractor.facts.shortcites import pages_of
from extractor.locales import Footnotes
from extractor.parse.document import Document, RefNode, TemplateNode, link_kind
from extractor.parse.plaintext import EDGE, ENTITY, LITERAL, decode_entity, unquoted
from extractor.records import Claim, Use

__all__ = ["Uses"]

_CELL = re.compile(r"[ \t]*(?:\|\+?|!)")  # a cell's or a caption's mark
_CELL_STARTS = " \t|!"
#: What opens a block at a line's start (list, table, heading, indented or preformatted
#: text, a blank line), and how many lines at most a claim's paragraph is looked up over.
_BLOCKS = "*#:;|!= \t\n{"
_JOINED = 8
#: The longest claim, in characters: a longer run of text without a sentence end is cut at
#: its start, at a word, so that no use reads further back and a page of one endless
#: sentence with a ref every few words does not repeat thousands of characters per ref
#: (the longest sentence before a ref in the shared corpus has 937: Alabama's list of
#: occupations; 99.9% have under 560).  Such a paragraph is read in stretches of half of
#: it: uses in one stretch share a start, so each one's claim is the one before it, extended.
_LONGEST = 1500
_STRETCH = _LONGEST // 2
#: What stands before a word: white space, an opening bracket or quotation mark.
_BEFORE_WORD = "[\\s(\\[\"'“‘«]"
_NONBLANK = re.compile(r"\S")
_RUN = re.compile("  +")  # markup is blanked to two spaces or more
_SPACE = re.compile(r"\s")
_REF = re.compile(r"<ref\b[^>]*?/>|<ref\b[^>]*>.*?</ref\s*>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"\w")
_QUOTED = re.compile(r"[\s']*")
_WIDE_MARKS = "。！？"
_SEPARATORS = ";,.:"  # left between citations (see _undangled)
_AFTER_SEPARATOR = " \t\n;,.:"
_CLOSERS = "\"'”’»)]"
_CLOSED = ".!?。！？\"'”’»)]"  # what a sentence ends in
#: A claim's first character: not white space nor a separator left between two citations
#: (``property.[tpl]A[/tpl]; [tpl]B[/tpl] Many …``: the next sentence starts at ``Many``).
_FIRST = re.compile(r"[^\s;,:.]")


class Uses:
    """The uses of a page's citations and their claims (see the module docstring).

    ``names`` are the normalized names of ``doc.templates``; ``listed`` tells whether an
    offset stands in a list of references; ``starts`` are the section start offsets.
    """

    def __init__(
        self,
        doc: Document,
        starts: list[int],
        names: Sequence[str],
        listed: Callable[[int], bool],
        fn: Footnotes,
    ) -> None:
        self.doc, self.starts, self.fn, self.listed = doc, starts, fn, listed
        text = doc.wikitext
        self._pages: dict[int, str | None] = {}  # where an {{rp}} follows -> its pages
        self._named: list[TemplateNode] = []  # the {{r}} calls
        blocks: list[tuple[int, int]] = []
        page_templates, ref_templates = fn.page_templates, fn.ref_templates
        for node, name in zip(doc.templates, names, strict=True):
            if name in page_templates:
                at = node.start
                while at > 0 and text[at - 1] in " \t":
                    at -= 1
                named = {p.name: p.value for p in node.params}
                self._pages[at] = pages_of(named, fn.page_template_pages)
            elif name in ref_templates:
                self._named.append(node)
            if not node.nested and node.ref is None:
                blocks.append((node.start, node.end))
        refs = _outermost(doc.refs)
        self._flow = _flowing(doc.prose, *refs)
        self._outside = _merged([*blocks, *zip(*refs, strict=True)])  # no claim in them
        self._files: tuple[list[int], list[int]] | None = None  # file links, when asked for
        self._first: dict[int, Use] | None = None  # see _named_uses
        self._own: dict[int, tuple[Use, ...]] = {}  # an unnamed ref -> its one use
        self._more: dict[int, list[Use]] = {}
        self._tail = (-1, 0)  # the last use a claim was looked for, and where its claim ends
        #: the last claim read: where it starts and ends, its text, whether what a reader
        #: sees of it ends in white space (collapsed away in its text)
        self._growing = (-1, 0, "", False)
        self._claims: dict[int, Claim | None] = {}  # where a claim ends -> the claim
        self._last = (0, 0)  # the last use asked about, and where its paragraph starts
        self._span = doc.span_map.span_to_source
        self._plain = doc.wikitext is doc.source  # spans need no mapping back
        self._end = _sentence_end(fn.sentence_abbreviations)
        prose = doc.prose  # CJK marks may stand in it
        self._wide = not prose.isascii() and any(mark in prose for mark in _WIDE_MARKS)

    # --- uses -----------------------------------------------------------------------------

    def use(self, kind: str, start: int, end: int) -> Use:
        """The use of kind ``kind`` standing at ``[start, end)`` of the wikitext."""
        return self._use(kind, start, end, self._pages.get(end), self.claim(start))

    def in_prose(self, start: int, end: int) -> Use | None:
        """The use of a citation template standing at ``[start, end)`` outside refs: one
        when it follows a claim (it cites in running prose), else None (a bibliography)."""
        claim = self.claim(start)
        if claim is None:
            return None
        return self._use("template", start, end, self._pages.get(end), claim)

    def _use(self, kind: str, start: int, end: int, pages: str | None, claim: Claim | None) -> Use:
        span = (start, end) if self._plain else self._span(start, end)
        return Use(kind, section_at(self.starts, span[0]), span, pages, claim)

    def of_ref(self, index: int) -> tuple[Use, ...]:
        """The uses of the ref ``doc.refs[index]`` that defines a citation: the ref itself
        and every ref or ``{{r}}`` citing its name, in page order; a ref defined in a list
        of references has only the uses of its name."""
        ref = self.doc.refs[index]
        if not ref.name:  # its one use is itself (the same for each template in it)
            found = self._own.get(index)
            if found is None:
                listed = self.listed(ref.start)
                found = () if listed else (self.use("ref", ref.start, ref.end),)
                if ref.templates > 1:  # kept only for the next template in it
                    self._own[index] = found
            return found
        if self._first is None:
            self._first, self._more = self._named_uses()
        more = self._more.get(index)
        if more is not None:
            return tuple(more)
        first = self._first.get(index)
        return () if first is None else (first,)

    def _named_uses(self) -> tuple[dict[int, Use], dict[int, list[Use]]]:
        """The uses of each named ref that defines a citation: the first one, and all of
        them, in page order, when it has more."""
        refs = self.doc.refs
        owner: dict[tuple[str | None, str], int] = {}
        for index, ref in enumerate(refs):
            if ref.name and _filled(ref):
                owner.setdefault((ref.group, ref.name), index)
        first: dict[int, Use] = {}
        more: dict[int, list[Use]] = {}

        def add(at: int, use: Use) -> None:
            if at not in first:
                first[at] = use
            elif at in more:
                more[at].append(use)
            else:
                more[at] = [first[at], use]

        for ref in refs:
            at = owner.get((ref.group, ref.name)) if ref.name else None
            if at is not None and not self.listed(ref.start):
                add(at, self.use("ref" if _filled(ref) else "name", ref.start, ref.end))
        for node in self._named:
            named = {p.name: p.value for p in node.params}
            group = next((named[g].strip() for g in self.fn.ref_template_group if named.get(g)),
                         None)  # fmt: skip
            positional = [p for p in node.params if p.name.isdigit()]
            for i, p in enumerate(positional):
                at = owner.get((group, p.value.strip()))
                if at is None:
                    continue
                pages = pages_of(named, self.fn.ref_template_pages) if i == 0 else None
                pages = self._pages.get(node.end) if pages is None and i == 0 else pages
                add(at, self._use("name", node.start, node.end, pages, self.claim(node.start)))
        for uses in more.values():
            uses.sort(key=_start)
        return first, more

    # --- claims ---------------------------------------------------------------------------

    def claim(self, at: int) -> Claim | None:
        """The claim of a use starting at ``at`` of the wikitext (see the module docstring)."""
        starts, ends = self._outside
        i = bisect.bisect_left(starts, at) - 1
        if i >= 0 and ends[i] > at:  # in a template or another ref
            return None
        flow = self._flow
        line = self._paragraph(flow, at)
        end = at
        if at > line and flow[at - 1].isspace():  # other uses, or spaces, before this one
            before, its_end = self._tail
            if line <= before < at and _NONBLANK.search(flow, before, at) is None:
                end = its_end  # only blanks since the use before: its claim is this one's
            else:
                near = max(line, at - 256)
                end = near + len(flow[near:at].rstrip())
                if end == near:  # a long run of blanks: all of the line
                    end = line + len(flow[line:near].rstrip())
        self._tail = (at, end)
        if end == line:
            return None
        if end in self._claims:  # the same sentence as a use before
            return self._claims[end]
        claim = self._claims[end] = self._read(flow, line, end, at)
        return claim

    def _paragraph(self, flow: str, at: int) -> int:
        """Where the paragraph holding ``at`` starts: its line, and the lines before it that
        MediaWiki joins into one paragraph.  Uses come mostly in page order: a use on the
        line of the one before costs a look at the text between them only."""
        last, line = self._last
        if not last <= at or flow.find("\n", last, at) >= 0:
            line = flow.rfind("\n", 0, at) + 1
            for _ in range(_JOINED):
                before = flow.rfind("\n", 0, line - 1) + 1
                if line == 0 or not self._joined(before, line):
                    break
                line = before
        self._last = (at, line)
        return line

    def _joined(self, before: int, line: int) -> bool:
        """Whether the line starting at ``line`` continues the paragraph of the one starting
        at ``before``: neither opens a block (list, table, heading, indented text) and the
        earlier one holds prose."""
        text, flow = self.doc.wikitext, self._flow
        if text[line] in _BLOCKS or text[before] in _BLOCKS or text.startswith("{|", line):
            return False
        last = flow[line - 2]  # the earlier line's last character (it is no blank line)
        return not last.isspace() or _NONBLANK.search(flow, before, line - 1) is not None

    def _read(self, flow: str, line: int, end: int, at: int) -> Claim | None:
        """The claim ending at ``end`` on the line starting at ``line`` (``at``: the use)."""
        text = self.doc.wikitext
        floor = line  # a paragraph longer than the longest claim is read in stretches:
        if end - line > _LONGEST:  # from the stretch before the one the use stands in
            floor = line + ((end - line) // _STRETCH - 1) * _STRETCH
        mark = _CELL.match(text, line, end) if text[line] in _CELL_STARTS else None
        if mark is not None:  # a table cell or caption: from after its mark
            cell = max(text.rfind("||", floor, end), text.rfind("!!", floor, end))
            if cell >= 0:
                line = floor = cell + 2
            elif floor == line:
                line = floor = mark.end()
        begin = self._sentence_start(flow, floor, end)
        if begin == floor > line:  # no sentence end in the longest claim: from a word on
            space = flow.find(" ", floor, end)
            begin = space + 1 if space >= 0 else floor
        if flow.find("|", begin, end) >= 0:  # perhaps a file's caption: after its options
            if self._files is None:
                files = _merged(
                    [
                        (link.start, link.end)
                        for link in self.doc.links
                        if link.piped and ":" in link.title and link_kind(link.title) == "file"
                    ]
                )
                self._files = files
            starts, ends = self._files
            i = bisect.bisect_left(starts, at) - 1
            if i >= 0 and starts[i] < at < ends[i]:  # in its caption: after its options
                begin = max(begin, flow.rfind("|", starts[i], at) + 1)
            elif i >= 0 and begin < ends[i] <= at:  # a file's box before it: no sentence
                begin = ends[i]
        first = _FIRST.search(flow, begin, end)
        if first is None:
            return None
        start = first.start()
        if flow[end - 1] in _SEPARATORS and flow[end - 2] in _AFTER_SEPARATOR:
            end = _undangled(flow, start, end)
        before, its_end, its_text, spaced = self._growing
        if before == start and its_end < end:  # the sentence of the claim before, further on
            more = self._seen(its_end, end)  # exact: no apostrophe run spans its_end
            tail = " ".join(more.split())
            if not tail:
                claim, spaced = its_text, spaced or more[:1].isspace()
            else:
                gap = " " if its_text and (spaced or more[:1].isspace()) else ""
                claim, spaced = its_text + gap + tail, more[-1:].isspace()
        else:
            seen = self._seen(start, end)
            claim, spaced = " ".join(seen.split()), seen[-1:].isspace()
        self._growing = (start, end, claim, spaced)
        if not claim or not (claim[0].isalnum() or claim[-1].isalnum() or _WORD.search(claim)):
            return None  # no word: punctuation, a bullet's remains
        span = (start, end) if self._plain else self._span(start, end)
        return Claim(claim, section_at(self.starts, span[0]), span)

    def _sentence_start(self, flow: str, line: int, end: int) -> int:
        """Where the sentence ending at ``end`` starts: after the last sentence end before
        it on its line (one with a word after it), or at ``line``.  Read backwards from
        ``end``, mark by mark."""
        before = end - 1
        while True:
            mark = flow.rfind(".", line, before)
            after = max(mark, line)  # other marks only after the last full stop
            mark = max(mark, flow.rfind("!", after, before), flow.rfind("?", after, before))
            if self._wide:
                after = max(mark, line)
                mark = max(mark, *(flow.rfind(m, after, before) for m in _WIDE_MARKS))
            if mark < 0:
                return line
            following = flow[mark + 1]  # (the mark stands before end - 1)
            if not (following.isspace() or following in _CLOSERS or flow[mark] in _WIDE_MARKS):
                before = mark  # within a word or number (1.5, e.g), no end: the regex not asked
                continue
            match = self._end.match(flow, mark, end - 1)
            if match is not None:
                # It ends none when the sentence goes on past apostrophes with a lower-case
                # word or a comma (``Sheep?'', has seen``: the mark ended a title), or when
                # only markup follows it (``''Who Are We?''<ref/>``).
                found = match.end()
                next_word = _QUOTED.match(flow, found).end()  # type: ignore[union-attr]
                goes_on = flow[next_word : next_word + 1]
                if not (goes_on.islower() or goes_on == ",") and _WORD.search(flow, found, end):
                    return found
            before = mark

    def _seen(self, start: int, end: int) -> str:
        """What a reader sees of ``[start, end)``, white space not yet collapsed (callers
        collapse it): the prose, where a run of blanks that was markup is white space when
        the markup holds one outside ref tags (``a [[b]]``, ``[[a]] [[b]]``; not
        ``word<ref name=x/>'s``) and nothing otherwise (``[[A|b]],`` is ``b,``), or the
        entities in it, read; bold and italics go.  Markup read as nothing parts
        apostrophes as MediaWiki's strip markers do:
        ``''<ref/>''`` is an empty italic, not ``''''``; so ``[start, end)`` read in two
        pieces at a use reads as it does whole."""
        flow = self._flow
        first = flow.find("  ", start, end)
        if first < 0:  # no markup in it
            seen = flow[start:end]
            return unquoted(seen) if "''" in seen else seen
        text = self.doc.wikitext
        pieces: list[str] = []
        pos = start
        for run in _RUN.finditer(flow, first, end):
            a, b = run.span()
            source = text[a:b]
            if source.isspace():  # the page's own spaces
                continue
            if "&" in source and ENTITY.search(source):
                lead = " " if source[0].isspace() else ""
                trail = " " if source[-1].isspace() else ""
                found = [_quote_kept(decode_entity(e)) for e in ENTITY.findall(source)]
                pieces += (flow[pos:a], lead, *found, trail)
                pos = b
            elif _SPACE.search(source) and (
                "<" not in source or _SPACE.search(_REF.sub("", source))
            ):
                continue  # a space: the blanks stand for it once white space is collapsed
            else:  # nothing
                pieces.append(flow[pos:a])
                if flow[a - 1] == "'" and flow[b : b + 1] == "'":
                    pieces.append(EDGE)  # apostrophes on both sides: keep them apart
                pos = b
        if pos == start:
            seen = flow[start:end]
            return unquoted(seen) if "''" in seen else seen
        pieces.append(flow[pos:end])
        seen = "".join(pieces)
        return unquoted(seen) if "''" in seen or EDGE in seen or LITERAL in seen else seen


@functools.cache
def _sentence_end(abbreviations: frozenset[str]) -> re.Pattern[str]:
    """A sentence's end: a full stop (not after an initial, in an initialism or after one
    of ``abbreviations`` standing as a word), question or exclamation mark, with the closing
    quotes or brackets after it (blanked markup between), then white space and no lower-case
    ASCII letter (the caller checks the others); or a CJK full stop or mark."""
    by_length: dict[int, list[str]] = {}
    for word in sorted(abbreviations):
        by_length.setdefault(len(word), []).append(re.escape(word))
    behind = "".join(
        rf"(?<!{_BEFORE_WORD}(?i:{'|'.join(words)})\.)(?<!^(?i:{'|'.join(words)})\.)"
        for _, words in sorted(by_length.items())
    )  # (standing as a word: after white space, a bracket or quote, or at the start)
    # an initial: one letter after a space, an opening bracket or quote (J. R. R. Tolkien);
    # an initialism: one letter after a full stop (U.S.)
    initial = rf"(?<!{_BEFORE_WORD}[^\W\d_]\.)(?<!^[^\W\d_]\.)(?<!\.[^\W\d_]\.)"
    return re.compile(
        rf"[.!?。！？](?:(?<=[.!?]){initial}{behind}(?:\s*[\"'”’»)\]])*\s+(?![a-z])|(?<=[。！？])\s*)"
    )


def _undangled(flow: str, start: int, end: int) -> int:
    """Where a claim ending at ``end`` ends without the separators left after its sentence's
    end between citations (``way".[tpl]A[/tpl].[tpl]B`` and ``property.[tpl]A[/tpl];
    [tpl]B``: the claim of B ends at the first full stop): each a run of ``;,.:`` after white
    space, after a mark or a closing quote."""
    while True:
        glued = end
        while glued > start and flow[glued - 1] in ";,.:":
            glued -= 1
        before = glued
        while before > start and flow[before - 1].isspace():
            before -= 1
        if glued == end or before in (glued, start) or flow[before - 1] not in _CLOSED:
            return end
        end = before


def _quote_kept(char: str) -> str:
    """An apostrophe written as an entity is kept: it pairs with no other."""
    return LITERAL if char == "'" else char


def _filled(ref: RefNode) -> bool:
    """Whether a ref has contents (it defines a citation), not only white space."""
    if ref.self_closing or not ref.content_length:
        return False
    start = ref.start + ref.head
    return _NONBLANK.search(ref.page, start, start + ref.content_length) is not None


def _start(use: Use) -> int:
    return use.span[0]


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Where the spans start and end, those overlapping one another as one, in order."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _outermost(refs: list[RefNode]) -> tuple[list[int], list[int]]:
    """Where the refs that stand in no other ref start and end (refs are in page order)."""
    starts: list[int] = []
    ends: list[int] = []
    end = -1
    for ref in refs:
        if ref.start >= end:
            end = ref.start + ref.length
            starts.append(ref.start)
            ends.append(end)
    return starts, ends


def _flowing(prose: str, starts: list[int], ends: list[int]) -> str:
    """The prose mask with the line breaks inside refs (blanked already) as spaces: a ref
    written over several lines breaks no sentence."""
    pieces, pos = [], 0
    for start, end in zip(starts, ends, strict=True):
        if prose.find("\n", start, end) >= 0:
            pieces.append(prose[pos:start])
            pieces.append(prose[start:end].replace("\n", " "))
            pos = end
    if not pieces:
        return prose
    pieces.append(prose[pos:])
    return "".join(pieces)
