"""Build ``extractor/locales/namespaces.json``: namespace names and magic words of every language.

Reads each ``messages/MessagesXx.php`` of a MediaWiki ``languages`` folder (the PHP is tokenized
here, never run) and prints JSON that maps each language code (``MessagesDe_at.php`` ->
``de-at``) to the names and aliases of namespaces 14, 6 and 10 (``category``, ``file``,
``template``) and the magic words ``redirect`` and ``defaultsort`` (without ``#`` and ``:``).
The data of the language's ``$fallback`` chain, ending with English, is merged in as
MediaWiki's LocalisationCache does; the namespace names of the fallbacks become aliases.
Stdlib only::

    python tools/make_namespaces.py /tmp/mwdeb/usr/share/mediawiki/languages \\
        > extractor/locales/namespaces.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

SOURCE = (
    "MediaWiki 1.39 languages/messages (Debian package mediawiki 1:1.39.17-1+deb12u2), "
    "fallbacks merged"
)
NAMESPACES = {
    "NS_CATEGORY": "category",
    "NS_FILE": "file",
    "NS_IMAGE": "file",
    "NS_TEMPLATE": "template",
}
MAGIC_WORDS = ("redirect", "defaultsort")
WANTED = {"$fallback", "$namespaceNames", "$namespaceAliases", "$magicWords"}

_TOKEN = re.compile(
    r"""(?P<skip>\s+|//[^\n]*|\#[^\n]*|/\*.*?\*/)
    |'(?P<single>(?:[^'\\]|\\.)*)'
    |"(?P<double>(?:[^"\\]|\\.)*)"
    |(?P<word>\$?[A-Za-z_]\w*|-?\d+)
    |(?P<punct>=>|[\[\](),;=])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_SINGLE_ESCAPE = re.compile(r"\\([\\'])")
_DOUBLE_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|[nrtvef\\$\"])")
_DOUBLE_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "e": "\x1b", "f": "\f"}


class ParseError(Exception):
    """PHP this script does not understand, with the line it is on."""


@dataclass(frozen=True)
class Const:
    """A bare PHP constant such as ``NS_FILE`` or ``false``."""

    name: str


Scalar: TypeAlias = "str | int | Const"
Value: TypeAlias = "Scalar | list[tuple[Scalar | None, Value]]"


@dataclass(frozen=True)
class Token:
    """One PHP token: ``string`` (unescaped), ``word``, ``punct`` or ``other``, at ``pos``."""

    kind: str
    text: str
    pos: int


@dataclass
class Messages:
    """What one ``MessagesXx.php`` itself defines, by output key (``category``, ``redirect``…)."""

    fallback: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    magic: dict[str, list[str]] = field(default_factory=dict)


def _unescape_double(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] == "u":
        return chr(int(code[2:-1], 16))
    if code[0] == "x":
        return chr(int(code[1:], 16))
    if code[0].isdigit():
        return chr(int(code, 8))
    return _DOUBLE_SIMPLE.get(code, code)


def tokenize(text: str) -> list[Token]:
    """The PHP tokens of ``text`` after ``<?php``, strings unescaped, comments dropped."""
    tokens = []
    start = text.index("<?php") + len("<?php")
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup or "other"
        if kind == "skip":
            continue
        value = match.group(kind)
        if kind == "single":
            value = _SINGLE_ESCAPE.sub(r"\1", value)
        elif kind == "double":
            if re.search(r"\$[A-Za-z_{]", value):
                line = text.count("\n", 0, match.start()) + 1
                raise ParseError(f"line {line}: interpolated string {value!r}")
            value = _DOUBLE_ESCAPE.sub(_unescape_double, value)
        kind = "string" if kind in ("single", "double") else kind
        tokens.append(Token(kind, value, match.start()))
    return tokens


class Parser:
    """Reads the ``$variable = value;`` statements of a messages file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def fail(self, what: str) -> ParseError:
        pos = self.tokens[self.index].pos if self.index < len(self.tokens) else len(self.text)
        line = self.text.count("\n", 0, pos) + 1
        return ParseError(f"line {line}: {what}")

    def peek(self) -> Token:
        if self.index >= len(self.tokens):
            raise self.fail("unexpected end of file")
        return self.tokens[self.index]

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if text is not None and token.text != text:
            raise self.fail(f"expected {text!r}, found {token.text!r}")
        self.index += 1
        return token

    def statements(self) -> dict[str, Value]:
        """The values assigned to the variables in ``WANTED``; other statements are skipped."""
        found: dict[str, Value] = {}
        while self.index < len(self.tokens):
            if (name := self.peek().text) in WANTED:
                self.take(name)
                self.take("=")
                found[name] = self.value()
                self.take(";")
            else:
                self.skip_statement()
        return found

    def skip_statement(self) -> None:
        depth = 0
        while (token := self.take()).text != ";" or depth:
            if token.text in ("[", "("):
                depth += 1
            elif token.text in ("]", ")"):
                depth -= 1

    def value(self) -> Value:
        token = self.take()
        if token.kind == "string":
            return token.text
        if token.text == "[":
            return self.items("]")
        if token.text.lower() == "array" and self.peek().text == "(":
            self.take("(")
            return self.items(")")
        if token.kind == "word" and not token.text.startswith("$"):
            return int(token.text) if token.text.lstrip("-").isdigit() else Const(token.text)
        raise self.fail(f"unexpected {token.text!r}")

    def items(self, close: str) -> list[tuple[Scalar | None, Value]]:
        pairs: list[tuple[Scalar | None, Value]] = []
        while self.peek().text != close:
            first = self.value()
            if self.peek().text == "=>":
                self.take("=>")
                if isinstance(first, list):
                    raise self.fail("an array as an array key")
                pairs.append((first, self.value()))
            else:
                pairs.append((None, first))
            if self.peek().text != close:
                self.take(",")
        self.take(close)
        return pairs


def _pairs(found: dict[str, Value], name: str) -> list[tuple[Scalar | None, Value]]:
    value = found.get(name, [])
    if not isinstance(value, list):
        raise ParseError(f"{name} is not an array")
    return value


def read_messages(path: Path) -> Messages:
    """The fallbacks, namespace names, aliases and magic words ``path`` defines."""
    found = Parser(path.read_text(encoding="utf-8")).statements()
    messages = Messages()
    fallback = found.get("$fallback", Const("false"))
    if isinstance(fallback, str):
        messages.fallback = [code.strip() for code in fallback.split(",") if code.strip()]
    elif fallback != Const("false"):
        raise ParseError(f"$fallback is {fallback!r}")
    for key, name in _pairs(found, "$namespaceNames"):
        if isinstance(key, Const) and key.name in NAMESPACES and isinstance(name, str):
            messages.names[NAMESPACES[key.name]] = name.replace("_", " ")
    for alias, target in _pairs(found, "$namespaceAliases"):
        if isinstance(target, Const) and target.name in NAMESPACES and isinstance(alias, str):
            messages.aliases.setdefault(NAMESPACES[target.name], []).append(alias.replace("_", " "))
    for word, entry in _pairs(found, "$magicWords"):
        if word in MAGIC_WORDS:
            if not isinstance(entry, list) or not all(isinstance(s, str) for _, s in entry[1:]):
                raise ParseError(f"$magicWords[{word!r}] is not [flag, name, ...]")
            messages.magic[str(word)] = [str(synonym) for _, synonym in entry[1:]]
    return messages


def language_code(path: Path) -> str:
    """``MessagesDe_at.php`` -> ``de-at``."""
    return path.stem.removeprefix("Messages").lower().replace("_", "-")


def merge(code: str, languages: dict[str, Messages]) -> dict[str, list[str]]:
    """The entry of ``code``: its own data, then that of each fallback and of English.

    As LocalisationCache: the namespace name is the first one along the chain, aliases and
    magic-word synonyms are the union along the chain; here the fallbacks' names are aliases too.
    """
    own = languages[code]
    chain = [code, *own.fallback]
    if chain[-1] != "en":
        chain.append("en")
    found = [languages[each] for each in chain if each in languages]
    entry: dict[str, list[str]] = {}
    for key in sorted(set(NAMESPACES.values())):
        names = [next(m.names[key] for m in found if key in m.names)]  # English has them all
        for messages in found:
            names += [messages.names[key]] if key in messages.names else []
            names += messages.aliases.get(key, [])
        entry[key] = list(dict.fromkeys(names))
    for word in MAGIC_WORDS:
        synonyms = [s for m in found for s in m.magic.get(word, [])]
        entry[word] = list(dict.fromkeys(s.removeprefix("#").removesuffix(":") for s in synonyms))
    return entry


def main(argv: list[str] | None = None) -> int:
    """Print the table for the ``languages`` folder given; 1 if a file could not be read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", type=Path, help="MediaWiki's languages/ folder")
    args = parser.parse_args(argv)
    languages: dict[str, Messages] = {}
    failed = False
    for path in sorted((args.languages / "messages").glob("Messages*.php")):
        try:
            languages[language_code(path)] = read_messages(path)
        except (ParseError, UnicodeDecodeError, ValueError) as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            failed = True
    if "en" not in languages:
        print("MessagesEn.php: missing or unreadable", file=sys.stderr)
        return 1
    table: dict[str, object] = {code: merge(code, languages) for code in languages}
    table["_source"] = SOURCE
    text = json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
