"""DBLP's "standard" BibTeX export of one record (`/rec/{key}.bib?param=1`), as text.

A corpus record is a search `hit.info` plus an `export` object (build_corpus): the
fields a hit lacks (booktitle, publisher, series, volume, pages, the TeX title).
The body imitates the real exports (fixtures/real-responses/dblp/
bibtex-dblp_ley_standard_2019.bib, apis.md §1.8) in DBLP's newer layout: names padded
to 12 columns, long values wrapped at spaces with continuation lines under the value,
one author a line joined by " and", LaTeX as DBLP writes it: `{-}` in hyphenated names,
`{\\'{e}}` for accents, all-capital words braced (`{SOSP}`, `{GPU}`), `\\_` in DOIs/URLs.
Clients must parse it, never compare it as text (the layout changed over the years).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

BIBSOURCE = "dblp computer science bibliography, https://dblp.org"
PMLR_SERIES = "Proceedings of Machine Learning Research"
SYNTHETIC_PUBLISHER = "Example Publisher"
_FIELD_WIDTH = 12
_WRAP = 72
_CONTINUATION = " " * (2 + _FIELD_WIDTH + 4)  # under the first character of the value
_HOMONYM = re.compile(r"\s+\d{4}$")
_CAPITALS = re.compile(r"[A-Z0-9/:+\-]*[A-Z][A-Z0-9/:+\-]*")
"""A word DBLP braces: capitals (digits, '/', ':', '-' allowed), e.g. {GPU/CPU}, {LILOG-DB:}.
A word with a lower-case letter, a comma or a parenthesis stays bare ("ON,", "(GI)")."""
_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~",
            "\u0327": "c", "\u030c": "v", "\u0304": "=", "\u0306": "u", "\u030a": "r",
            "\u030b": "H", "\u0328": "k", "\u0307": "."}  # fmt: skip
_SYMBOLS = {"μ": r"{\(\mu\)}", "µ": r"{\(\mu\)}", "&": r"{\&}", "%": r"\%", "$": r"\$",
            "#": r"\#", "_": r"\_", "ß": r"{\ss}", "ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}",
            "Ł": r"{\L}", "–": "{--}", "—": "{---}", "‘": "`", "’": "'", "“": "``",
            "”": "''"}  # fmt: skip
_URL_ESCAPES = {"_": r"\_", "%": r"\%"}  # as seen; a '#' stays bare ("editorial.html#editor")


def _char(char: str) -> str:
    """One character as DBLP's LaTeX: "é" -> {\\'{e}}, "μ" -> {\\(\\mu\\)}, "&" -> {\\&}."""
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char.isascii():
        return char
    base, *marks = unicodedata.normalize("NFD", char)
    if base.isascii() and marks and all(mark in _ACCENTS for mark in marks):
        text = base
        for mark in marks:
            text = f"{{\\{_ACCENTS[mark]}{{{text}}}}}"
        return text
    return char


def tex(text: str) -> str:
    """Plain text (a title, a booktitle, a publisher) as DBLP's BibTeX writes it.

    A single capital opening the value stays bare: styles keep a first letter's case.
    """
    words = []
    for number, word in enumerate(text.split(" ")):
        escaped = "".join(map(_char, word))
        braced = _CAPITALS.fullmatch(word) and not (number == 0 and len(word) == 1)
        words.append(f"{{{escaped}}}" if braced else escaped)
    return " ".join(words)


def tex_name(name: str) -> str:
    """A person as the export writes them: no homonym number, "Gyeong{-}In Yu"."""
    return "".join(map(_char, _HOMONYM.sub("", name.strip()))).replace("-", "{-}")


def tex_pages(pages: str) -> str:
    """ "521-538" (a search hit's range) -> "521--538"; "45:1-45:15" -> "45:1--45:15"."""
    return re.sub(r"(?<!-)-(?!-)", "--", pages)


def _verbatim(value: str) -> str:
    """A URL or DOI: no TeX, only DBLP's escapes ("10.1007/11827405\\_23")."""
    return "".join(_URL_ESCAPES.get(char, char) for char in value)


def entry_type(info: Mapping[str, Any]) -> str:
    """@inproceedings for conference papers, @article for journals and CoRR, else @misc."""
    kind = info.get("type", "")
    if info.get("venue") == "CoRR" or kind == "Journal Articles":
        return "article"
    return "inproceedings" if kind in ("Conference and Workshop Papers", "") else "misc"


def synthetic_booktitle(venue: str, year: str) -> str:
    """The stand-in for a proceedings title no source gives: one per venue and year."""
    return f"Proceedings of the Example Conference, {tex(venue)} {year}".rstrip()


def default_export(info: Mapping[str, Any]) -> dict[str, Any]:
    """The export of a record no fact describes, from its hit alone.

    CoRR and journal records need nothing the hit lacks; a conference paper gets an
    obviously synthetic booktitle and publisher (named in `synthetic`) and no pages.
    """
    kind = entry_type(info)
    title = str(info.get("title", "")).removesuffix(".")
    export: dict[str, Any] = {"type": kind, "title": tex(title)}
    volume = info.get("volume")
    if kind == "article" and info.get("venue") == "CoRR":
        export["journal"] = "CoRR"
        if volume:
            export["volume"] = volume
    elif kind == "article":
        export["journal"] = tex(str(info.get("venue", "")))
        for name in ("volume", "number", "pages"):
            if info.get(name):
                export[name] = tex_pages(info[name]) if name == "pages" else info[name]
    elif kind == "inproceedings":
        export["booktitle"] = synthetic_booktitle(str(info.get("venue", "")), info.get("year", ""))
        export["publisher"] = SYNTHETIC_PUBLISHER
        export["synthetic"] = ["booktitle", "publisher"]
    links = info.get("ee")
    ee = links[0] if isinstance(links, list) and links else links
    if ee:
        export["ee"] = ee
    if isinstance(volume, str) and volume.startswith("abs/"):
        export["eprint"] = volume.removeprefix("abs/")
    return export


def _wrap(value: str) -> str:
    lines: list[str] = []
    for word in value.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= _WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return ("\n" + _CONTINUATION).join(lines)


def _people(names: Sequence[str]) -> str:
    return (" and\n" + _CONTINUATION).join(tex_name(name) for name in names)


def _author_names(info: Mapping[str, Any]) -> list[str]:
    authors = info.get("authors", {}).get("author", [])
    authors = authors if isinstance(authors, list) else [authors]
    return [a["text"] if isinstance(a, dict) else str(a) for a in authors]


def timestamp(year: str) -> str:
    """DBLP stamps each record with its last change; here midnight on the next 1 January."""
    start = int(year) + 1 if str(year).isdigit() else 2000
    return format_datetime(datetime(start, 1, 1, tzinfo=timezone(timedelta(hours=1))))


def render(info: Mapping[str, Any]) -> str:
    """The body DBLP sends for `/rec/{key}.bib?param=1`: one entry, key `DBLP:{key}`.

    Authors, year and DOI are the hit's; everything else the export's, whose values are
    TeX already except `ee` (a URL) and `editors` (plain names, written like authors).
    """
    export = info.get("export") or default_export(info)
    key = info["key"]
    fields: list[tuple[str, str]] = []
    if names := _author_names(info):
        fields.append(("author", _people(names)))
    if export.get("editors"):
        fields.append(("editor", _people(export["editors"])))
    fields.append(("title", _wrap(export["title"])))
    for name in ("booktitle", "journal", "series", "volume", "number", "pages", "publisher"):
        if export.get(name):
            fields.append((name, _wrap(export[name])))
    if info.get("year"):
        fields.append(("year", info["year"]))
    if export.get("ee"):
        fields.append(("url", _verbatim(export["ee"])))
    if info.get("doi"):
        fields.append(("doi", _verbatim(info["doi"])))
    if export.get("eprint"):
        fields += [("eprinttype", "arXiv"), ("eprint", export["eprint"])]
    fields += [
        ("timestamp", timestamp(info.get("year", ""))),
        ("biburl", f"https://dblp.org/rec/{key}.bib"),
        ("bibsource", BIBSOURCE),
    ]
    body = ",\n".join(f"  {name:<{_FIELD_WIDTH}} = {{{value}}}" for name, value in fields)
    return f"@{export['type']}{{DBLP:{key},\n{body}\n}}\n"
