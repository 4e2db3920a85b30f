"""The emulator's DBLP corpus as DBLP's XML dump, and synthetic dumps of any size.

`write_dump` writes `dblp.xml.gz` and `dblp.dtd` in the real format (apis.md §1.1 "Bulk
dump"): ISO-8859-1 declared, every character outside ASCII written as a DTD entity
(`&uuml;`) or a character reference (`&#956;`), one element per record with DBLP's
attributes (`key`, `mdate`, `publtype="informal"` on CoRR articles), authors with their
`pid` and homonym number, and one `<proceedings>` record per distinct proceedings the
corpus exports name, crossref'd from its papers. A corpus record's search hit gives the
paper's own fields and its BibTeX export (build_corpus) those of its proceedings
(title, publisher, series, volume, editors), so an index built from the dump answers what
the emulated API answers. Proceedings keys are made up and say so ("conf/sosp/Example2023").

`write_synthetic_dump` writes N made-up records (titles of made-up words, "Ann Example
0001" authors) for the benchmarks, with the same shapes and a proceedings record per
venue and year.
"""

from __future__ import annotations

import gzip
import html.entities
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

from enrich.emulator.services import Corpus
from enrich.sources.dblp.search import HIT_TYPES, INFORMAL_TYPE
from enrich.text import latex_to_text, page_range

XML_HEAD = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n'
MDATE = "2026-01-01"
_KINDS = {
    **{hit_type: kind for kind, hit_type in reversed(HIT_TYPES.items())},  # the first wins
    INFORMAL_TYPE: "article",
    "Informal Publications": "article",
}
"""A corpus hit's `type` -> the element it is written as (CoRR preprints are articles)."""
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_RECORD_TYPES = ("article", "inproceedings", "proceedings", "book", "incollection", "www")


class _Entities:
    """Writes text as DBLP does (ASCII, named entities) and remembers the names it used,
    for the DTD to declare."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def escape(self, text: str) -> str:
        out = []
        for char in text:
            if char in _XML_ESCAPES:
                out.append(_XML_ESCAPES[char])
            elif char.isascii():
                out.append(char)
            elif (name := html.entities.codepoint2name.get(ord(char))) is not None:
                self.used[name] = ord(char)
                out.append(f"&{name};")
            else:
                out.append(f"&#{ord(char)};")
        return "".join(out)

    def dtd(self) -> str:
        """A DTD in the shape of DBLP's: the record elements and the entities used."""
        records = "|".join(_RECORD_TYPES)
        fields = "author|editor|title|booktitle|pages|year|address|journal|volume|number|"
        fields += "month|url|ee|cdrom|cite|publisher|note|crossref|isbn|series|school|"
        fields += "chapter|publnr|stream|rel"
        lines = [
            '<?xml version="1.0" encoding="ISO-8859-1"?>',
            "<!-- dblp.dtd as written by enrich.emulator.dblp_dump: synthetic -->",
            f"<!ELEMENT dblp ({records})*>",
            f'<!ENTITY % field "{fields}">',
        ]
        for record in _RECORD_TYPES:
            lines.append(f"<!ELEMENT {record} (%field;)*>")
            lines.append(
                f"<!ATTLIST {record} key CDATA #REQUIRED mdate CDATA #IMPLIED "
                "publtype CDATA #IMPLIED cdate CDATA #IMPLIED>"
            )
        lines.append("<!ELEMENT i (#PCDATA|sub|sup|i)*>")
        lines.append("<!ELEMENT sub (#PCDATA|sub|sup|i)*>")
        lines.append("<!ELEMENT sup (#PCDATA|sub|sup|i)*>")
        for name, code in sorted(self.used.items()):
            lines.append(f'<!ENTITY {name} "&#{code};">')
        return "\n".join(lines) + "\n"


def _element(
    entities: _Entities,
    kind: str,
    attributes: Mapping[str, str | None],
    fields: Iterable[tuple[str, str | None, Mapping[str, str] | None]],
) -> str:
    attrs = "".join(
        f" {name}={quoteattr(entities.escape(value))}"
        for name, value in attributes.items()
        if value
    )
    lines = [f"<{kind}{attrs}>"]
    for name, value, extra in fields:
        if value:
            more = "".join(
                f" {k}={quoteattr(entities.escape(v))}" for k, v in (extra or {}).items() if v
            )
            lines.append(f"<{name}{more}>{entities.escape(value)}</{name}>")
    lines.append(f"</{kind}>")
    return "".join(lines) + "\n"


def _people(info: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    authors = info.get("authors", {}).get("author", [])
    authors = authors if isinstance(authors, list) else [authors]
    return [(a["text"], a.get("@pid")) if isinstance(a, dict) else (str(a), None) for a in authors]


def _plain(value: Any) -> str | None:
    return latex_to_text(str(value)) or None if value else None


def _stream(key: str) -> str:
    return "/".join(key.split("/")[:2])


class _Proceedings:
    """One proceedings record per distinct (stream, year, title, publisher, series, volume,
    editors), keyed "conf/sosp/Example2023" (then ...b, ...c)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[Any, ...], str] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def key_for(self, info: Mapping[str, Any], export: Mapping[str, Any]) -> str | None:
        title = _plain(export.get("booktitle"))
        if not title:
            return None
        volume = None if info.get("volume") else export.get("volume")
        editors = tuple(export.get("editors") or ())
        stream = _stream(str(info["key"]))
        year = str(info.get("year", ""))
        identity = (stream, year, title, _plain(export.get("publisher")),
                    _plain(export.get("series")), volume, editors)  # fmt: skip
        if identity not in self.keys:
            base = f"{stream}/Example{year}"
            key, letter = base, ord("b")
            while key in self.records:
                key, letter = f"{base}{chr(letter)}", letter + 1
            self.keys[identity] = key
            self.records[key] = {
                "key": key, "title": title, "venue": info.get("venue"), "year": year,
                "publisher": identity[3], "series": identity[4], "volume": volume,
                "editors": editors,
            }  # fmt: skip
        return self.keys[identity]


def corpus_records(corpus: Corpus, entities: _Entities, mdate: str = MDATE) -> Iterator[str]:
    """The corpus's DBLP records as dump elements, then the proceedings they crossref."""
    proceedings = _Proceedings()
    for info in corpus.dblp:
        export = info.get("export") or {}
        kind = _KINDS.get(str(info.get("type", "")), "inproceedings")
        informal = str(info.get("type", "")).startswith("Informal")
        venue = info.get("venue")
        venue = " and ".join(venue) if isinstance(venue, list) else venue
        links = info.get("ee") or export.get("ee")
        links = links if isinstance(links, list) else [links] if links else []
        crossref = proceedings.key_for(info, export) if kind == "inproceedings" else None
        key = str(info["key"])
        fields: list[tuple[str, str | None, Mapping[str, str] | None]] = [
            ("author", name, {"pid": pid} if pid else None) for name, pid in _people(info)
        ]
        fields += [
            ("title", str(info.get("title", "")), None),
            ("pages", info.get("pages") or page_range(export.get("pages")), None),
            ("year", str(info.get("year", "")), None),
            ("volume", info.get("volume"), None),
            ("journal" if kind == "article" else "booktitle", venue, None),
            ("number", info.get("number"), None),
        ]
        fields += [("ee", link, None) for link in links]
        fields += [
            ("crossref", crossref, None),
            ("url", f"db/{_stream(key)}/index.html#{key.rsplit('/', 1)[-1]}", None),
        ]
        attributes = {"mdate": mdate, "key": key, "publtype": "informal" if informal else None}
        yield _element(entities, kind, attributes, fields)
    for record in proceedings.records.values():
        fields = [("editor", name, None) for name in record["editors"]]
        fields += [
            ("title", record["title"], None),
            ("booktitle", record["venue"], None),
            ("publisher", record["publisher"], None),
            ("series", record["series"], None),
            ("volume", record["volume"], None),
            ("year", record["year"], None),
            ("url", f"db/{_stream(record['key'])}/index.html", None),
        ]
        yield _element(entities, "proceedings", {"mdate": mdate, "key": record["key"]}, fields)


def _write(folder: Path, records: Iterable[str], entities: _Entities, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if name.endswith(".gz"):
        out: TextIO = gzip.open(  # noqa: SIM115
            path, "wt", encoding="ascii", newline="\n", compresslevel=3
        )
    else:
        out = open(path, "w", encoding="ascii", newline="\n")  # noqa: SIM115
    with out as stream:
        stream.write(XML_HEAD + "<dblp>\n")
        for record in records:
            stream.write(record)
        stream.write("</dblp>\n")
    (folder / "dblp.dtd").write_text(entities.dtd(), encoding="ascii")
    return path


def write_dump(
    folder: Path, corpus: Corpus | None = None, name: str = "dblp.xml.gz", mdate: str = MDATE
) -> Path:
    """The corpus (default: the emulator's) as `folder/dblp.xml.gz` beside `folder/dblp.dtd`,
    every record last modified on `mdate` (the index's dump date)."""
    entities = _Entities()
    records = list(corpus_records(corpus or Corpus.load(), entities, mdate))
    return _write(folder, records, entities, name)


_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "ze", "pi", "su", "do", "fe",
              "gu", "ha", "jo", "be", "xi", "wa", "qo", "yu")  # fmt: skip
_COMMON = ("example", "synthetic", "systems", "learning", "for", "of", "the", "and", "with",
           "distributed", "efficient", "scalable", "towards", "on", "data")  # fmt: skip
_VENUES = ("EXCONF", "EXSYS", "EXWORK", "EXML", "EXNET", "EXDB", "EXSEC", "EXARCH")


def synthetic_words(count: int = 6000, seed: int = 7) -> list[str]:
    """Made-up words ("kalomi", "zeruta"), common stand-ins first."""
    rng = random.Random(seed)
    words = dict.fromkeys(_COMMON)
    while len(words) < count:
        words["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))] = None
    return list(words)


def synthetic_title(rng: random.Random, words: Sequence[str], weights: Sequence[float]) -> str:
    chosen = rng.choices(words, weights=weights, k=rng.randint(5, 11))
    return " ".join(word.capitalize() for word in chosen) + "."


def synthetic_records(count: int, seed: int = 1) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(kind, key, fields) of `count` made-up records: papers of the made-up venues (a
    fifth of them CoRR preprints, a few journal articles) and each venue-year's proceedings."""
    rng = random.Random(seed)
    words = synthetic_words()
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(words))]
    proceedings: set[str] = set()
    for number in range(count):
        year = 1990 + number % 36
        venue = _VENUES[number % len(_VENUES)]
        authors = [f"{rng.choice('ABCDEFGH')}nn Example{rng.randint(1, 900)}"
                   + (f" {rng.randint(1, 20):04d}" if rng.random() < 0.1 else "")
                   for _ in range(rng.randint(1, 6))]  # fmt: skip
        fields: dict[str, Any] = {"authors": authors, "title": synthetic_title(rng, words, weights),
                                  "year": str(year)}  # fmt: skip
        if number % 5 == 0:
            fields |= {"journal": "CoRR", "volume": f"abs/{number:010d}",
                       "ee": f"https://arxiv.example/abs/{number}"}  # fmt: skip
            yield "article", f"journals/corr/abs-Example{number}", fields
        elif number % 13 == 0:
            fields |= {"journal": f"{venue} J.", "volume": str(year - 1989),
                       "pages": f"{number % 90 + 1}-{number % 90 + 12}"}  # fmt: skip
            yield "article", f"journals/{venue.lower()}/Example{number}", fields
        else:
            crossref = f"conf/{venue.lower()}/Example{year}"
            fields |= {"booktitle": venue, "crossref": crossref,
                       "pages": f"{number % 900 + 1}-{number % 900 + 14}",
                       "ee": f"https://doi.example/10.0000/example.{number}"}  # fmt: skip
            yield "inproceedings", f"conf/{venue.lower()}/Example{number}", fields
            if crossref not in proceedings:
                proceedings.add(crossref)
                yield "proceedings", crossref, {
                    "editors": ["Ann Example", "Bob Example"],
                    "title": f"Proceedings of the Example Conference {venue} {year}",
                    "booktitle": venue, "publisher": "Example Publisher", "year": str(year),
                }  # fmt: skip


def _synthetic_elements(count: int, seed: int, entities: _Entities) -> Iterator[str]:
    order = ("author", "editor", "title", "pages", "year", "volume", "journal", "booktitle",
             "publisher", "ee", "crossref")  # fmt: skip
    for kind, key, values in synthetic_records(count, seed):
        fields: list[tuple[str, str | None, Mapping[str, str] | None]] = []
        for name in order:
            value = values.get(f"{name}s", values.get(name))
            for item in value if isinstance(value, list) else [value]:
                fields.append((name, item, None))
        publtype = "informal" if values.get("journal") == "CoRR" else None
        yield _element(entities, kind, {"mdate": MDATE, "key": key, "publtype": publtype}, fields)


def write_synthetic_dump(
    folder: Path, count: int, seed: int = 1, name: str = "dblp.xml.gz"
) -> Path:
    """`count` made-up paper records (plus their proceedings) as a dump in `folder`."""
    entities = _Entities()
    return _write(folder, _synthetic_elements(count, seed, entities), entities, name)
