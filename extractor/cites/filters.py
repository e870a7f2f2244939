"""Which citation rows ``extractor cites list`` (and ``report``) keep.

A :class:`Filter` holds the command-line options and is a predicate over rows from
:mod:`extractor.cites.rows`.  Different options combine with AND.  Options naming a value
(``--kind``, ``--template``, ``--domain``, ``--page``, ``--lang``) may repeat and then match
any of their values; ``--has`` may repeat and then needs every kind.  ``--invalid`` alone keeps
citations with any invalid identifier; with ``--has`` it keeps those where one of the
``--has`` kinds is invalid.
"""

from __future__ import annotations

import attrs

from extractor.cites.rows import Row


def _lower(values: frozenset[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


def _langs(values: frozenset[str]) -> frozenset[str]:
    """Language codes as records hold them: lower case, ``-`` between parts."""
    return frozenset(v.lower().replace("_", "-") for v in values)


def _domains(values: frozenset[str]) -> frozenset[str]:
    """Domains as rows hold them: lower case, without ``www.``."""
    return frozenset(v.lower().removeprefix("www.") for v in values)


@attrs.frozen
class Filter:
    """Conditions on a citation row; the empty filter keeps everything.

    Attributes:
        kinds: Citation kinds (``web``, ``journal``, ``bare``, ...), any of them;
            case-insensitive.
        templates: Template names (``cite web``), any of them; case-insensitive.
        domains: URL domains, any of them; a domain also matches its subdomains.
        has: Identifier kinds the citation must all have (``doi``, ``isbn``, ...).
        invalid: Keep only citations with an invalid identifier (of the ``has`` kinds, if
            any are given).
        doi_prefix: The DOI starts with this; a bare registrant (``10.1038``) matches
            its whole prefix (``10.1038/...``), not ``10.10380/...``.  Case-insensitive.
        year_from, year_to: Publication year range, inclusive; citations without a year
            are left out when either is given.
        pages: Page titles, any of them (exact).
        langs: The page's language (its record's ``lang``: ``de``, ``zh-min-nan``), any of
            them; case-insensitive, ``_`` taken for ``-``.  Pages of unknown language are
            left out when any is given.
        problem: Text one of the citation's problems contains (case-insensitive).
    """

    kinds: frozenset[str] = attrs.field(default=frozenset(), converter=_lower)
    templates: frozenset[str] = attrs.field(default=frozenset(), converter=_lower)
    domains: frozenset[str] = attrs.field(default=frozenset(), converter=_domains)
    has: frozenset[str] = frozenset()
    invalid: bool = False
    doi_prefix: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    pages: frozenset[str] = frozenset()
    langs: frozenset[str] = attrs.field(default=frozenset(), converter=_langs)
    problem: str | None = None

    def __call__(self, row: Row) -> bool:
        """Whether ``row`` meets every condition."""
        if self.kinds and (row["kind"] or "").lower() not in self.kinds:
            return False
        if self.templates and (row["template"] or "").lower() not in self.templates:
            return False
        if self.domains and not _in_domains(row["domain"], self.domains):
            return False
        if self.pages and row["page_title"] not in self.pages:
            return False
        if not self.keeps_lang(row["page_lang"]):
            return False
        if (self.has or self.invalid) and not self._identifiers_ok(row):
            return False
        if self.doi_prefix is not None and not _doi_matches(row["doi"], self.doi_prefix):
            return False
        if self.year_from is not None or self.year_to is not None:
            year = row["year"]
            if year is None:
                return False
            if self.year_from is not None and year < self.year_from:
                return False
            if self.year_to is not None and year > self.year_to:
                return False
        if self.problem is not None:
            problems = row["problems"]
            return problems is not None and self.problem.lower() in problems.lower()
        return True

    def keeps_lang(self, lang: str | None) -> bool:
        """Whether pages of language ``lang`` (None: unknown) pass :attr:`langs`."""
        return not self.langs or (lang or "").lower() in self.langs

    def _identifiers_ok(self, row: Row) -> bool:
        kinds = (row["identifier_kinds"] or "").split()
        if not all(kind in kinds for kind in self.has):
            return False
        if not self.invalid:
            return True
        invalid = (row["invalid_kinds"] or "").split()
        return any(kind in invalid for kind in self.has) if self.has else bool(invalid)


def _in_domains(domain: str | None, wanted: frozenset[str]) -> bool:
    if domain is None:
        return False
    return any(domain == w or domain.endswith("." + w) for w in wanted)


def _doi_matches(doi: str | None, prefix: str) -> bool:
    if doi is None:
        return False
    doi, prefix = doi.lower(), prefix.lower()
    if "/" in prefix:
        return doi.startswith(prefix)
    return doi.split("/", 1)[0] == prefix
