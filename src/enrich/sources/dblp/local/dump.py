"""DBLP's XML dump (`dblp.xml.gz` and its `dblp.dtd`), read one record at a time.

The dump is one `<dblp>` element holding about 7 million records, a few GB uncompressed,
so it is read with lxml's `iterparse` and every record is dropped once read: memory
stays flat whatever the size. Characters outside ASCII are written as the named entities
DBLP's DTD declares (`&uuml;`), so the DTD is loaded and its entities resolved; it is
looked for beside the XML unless named.

A record is one of DBLP's publication elements (`article`, `inproceedings`,
`proceedings`, `book`, `incollection`, `phdthesis`, `mastersthesis`, `data`); person
pages (`www`) are skipped, as DBLP's publication search never answers them.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

PUBLICATIONS = (
    "article",
    "inproceedings",
    "proceedings",
    "book",
    "incollection",
    "phdthesis",
    "mastersthesis",
    "data",
)
SKIPPED = ("www",)
DTD_NAME = "dblp.dtd"


@dataclass(frozen=True)
class Person:
    """An author or editor as the dump writes them: the name keeps DBLP's homonym number
    ("Wei Wang 0001"), the pid is the `pid` attribute where the dump has one."""

    name: str
    pid: str | None = None


@dataclass(frozen=True)
class DumpRecord:
    """One publication record of the dump, its text with entities and markup resolved."""

    kind: str
    """The element's name: "inproceedings", "article", "proceedings", ..."""
    key: str
    mdate: str | None = None
    publtype: str | None = None
    """DBLP's `publtype` attribute, e.g. "informal" (CoRR), "survey", "withdrawn"."""
    title: str = ""
    """As DBLP writes it, usually with a final period; inline markup (<i>, <sub>) dropped."""
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    venue: str | None = None
    """The short venue: `booktitle` of a paper or proceedings, `journal` of an article."""
    year: int | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    series: str | None = None
    isbn: str | None = None
    ee: tuple[str, ...] = ()
    crossref: str | None = None
    url: str | None = None

    @property
    def is_container(self) -> bool:
        """A record papers crossref: proceedings, or a book its chapters (incollection) name."""
        return self.kind in ("proceedings", "book")


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _year(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def record_of(element: Any) -> DumpRecord:
    """One record element as a DumpRecord (the first of a repeated scalar field wins)."""
    authors: list[Person] = []
    editors: list[Person] = []
    links: list[str] = []
    fields: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment or processing instruction
        text = _text(child)
        if tag in ("author", "editor"):
            if text:
                person = Person(text, child.get("pid") or None)
                (authors if tag == "author" else editors).append(person)
        elif tag == "ee":
            if text:
                links.append(text)
        elif tag in ("journal", "booktitle"):
            fields.setdefault("venue", text)
        elif text:
            fields.setdefault(tag, text)
    return DumpRecord(
        kind=element.tag,
        key=element.get("key", ""),
        mdate=element.get("mdate"),
        publtype=element.get("publtype"),
        title=fields.get("title", ""),
        authors=tuple(authors),
        editors=tuple(editors),
        venue=fields.get("venue") or None,
        year=_year(fields.get("year")),
        volume=fields.get("volume"),
        number=fields.get("number"),
        pages=fields.get("pages"),
        publisher=fields.get("publisher"),
        series=fields.get("series"),
        isbn=fields.get("isbn"),
        ee=tuple(links),
        crossref=fields.get("crossref"),
        url=fields.get("url"),
    )


class _DtdBeside(etree.Resolver):
    """Answers the dump's `SYSTEM "dblp.dtd"` with the DTD file given."""

    def __init__(self, dtd: Path) -> None:
        super().__init__()
        self.dtd = dtd

    def resolve(self, url: str, pubid: str | None, context: Any) -> Any:
        if url and Path(url).name == self.dtd.name:
            return self.resolve_filename(str(self.dtd), context)
        return None


def open_dump(path: Path) -> IO[bytes]:
    """The dump's bytes, decompressed when the file is gzip (by its magic, not its name)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def dtd_for(path: Path, dtd: Path | None = None) -> Path:
    """The DTD to resolve the dump's entities with: `dtd`, else dblp.dtd beside the dump."""
    found = dtd or path.with_name(DTD_NAME)
    if not found.is_file():
        raise FileNotFoundError(
            f"{found}: DBLP's DTD is needed beside the dump to read its entities "
            "(download https://dblp.org/xml/dblp.dtd there)"
        )
    return found


def read_dump(path: Path, dtd: Path | None = None) -> Iterator[DumpRecord]:
    """Every publication record of the dump at `path`, in the dump's order.

    Each element is cleared once read and the ones before it deleted, so memory holds one
    record at a time. Raises FileNotFoundError without the DTD, and lxml's XMLSyntaxError
    on a damaged or truncated dump.
    """
    resolver = _DtdBeside(dtd_for(path, dtd))
    with open_dump(path) as stream:
        parser = etree.iterparse(
            stream,
            events=("end",),
            tag=(*PUBLICATIONS, *SKIPPED),
            load_dtd=True,
            resolve_entities=True,
            no_network=True,
            huge_tree=True,
        )
        parser.resolvers.add(resolver)
        for _, element in parser:
            if element.tag in PUBLICATIONS and element.get("key"):
                yield record_of(element)
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
