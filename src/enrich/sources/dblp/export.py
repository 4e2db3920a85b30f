"""DBLP's record export: the complete record of a paper DBLP's search already found.

A search hit names the venue only by its short name ("SOSP") and has no publisher,
series or editors; DBLP's "standard" BibTeX export (`/rec/{key}.bib?param=1`) has them
all, with the proceedings title exactly as DBLP writes it. One request per paper:
the record XML would need a second request for its crossref'd proceedings record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence

import bibtexparser

from enrich.models import Author, Candidate, EntryType, Identifiers
from enrich.sources.dblp.search import (
    arxiv_id_from,
    as_int,
    doi_from,
    is_corr_key,
    without_homonym,
)
from enrich.text import bibtex_names, latex_to_text, page_range

EXPORT_PATH = "/rec/{key}.bib"
STANDARD_FORMAT = {"param": 1}
"""param=0 is DBLP's condensed export (booktitle {SOSP}, no DOI); 1 the standard one."""

_BIBTEX_TYPES: Mapping[str, EntryType] = {
    "inproceedings": "inproceedings",
    "article": "article",
    "book": "book",
    "incollection": "incollection",
}
_ESCAPED = re.compile(r"\\([_%&#$])")


def export_path(key: str) -> str:
    return EXPORT_PATH.format(key=key)


def _verbatim(value: str | None) -> str | None:
    """A DOI or URL as DBLP escapes it ("10.1007/11827405\\_23"), unescaped."""
    if not value:
        return None
    return _ESCAPED.sub(r"\1", value.replace("{", "").replace("}", "")).strip() or None


def _plain(value: str | None) -> str | None:
    if not value:
        return None
    return latex_to_text(value) or None


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(without_homonym(name) for name in bibtex_names(value or ""))


def parse_export(text: str, key: str) -> Candidate | None:
    """The entry `DBLP:{key}` of a standard export as a Candidate; None when it is not there.

    Values come out as plain Unicode (DBLP's {SOSP}, {\\'{e}} and \\_ resolved), pages as
    "a-b", authors without homonym numbers. The export's `url` is DBLP's `ee`: the
    published version's page.
    """
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    wanted = f"DBLP:{key}"
    block = next((e for e in library.entries if e.key == wanted), None)
    if block is None:
        return None
    fields = {field.key.lower(): str(field.value) for field in block.fields}
    plain = {name: _plain(fields.get(name)) for name in _PLAIN_FIELDS}
    ee = _verbatim(fields.get("url"))
    return export_candidate(
        key,
        block.entry_type,
        plain,
        authors=_names(fields.get("author")),
        editors=_names(fields.get("editor")),
        links=(ee,) if ee else (),
        doi=_verbatim(fields.get("doi")),
        eprint=_verbatim(fields.get("eprint")),
    )


_PLAIN_FIELDS = ("title", "journal", "booktitle", "volume", "number", "pages", "publisher")
_PLAIN_FIELDS += ("series", "year")


def export_candidate(
    key: str,
    bibtex_type: str,
    fields: Mapping[str, str | None],
    authors: Sequence[str] = (),
    editors: Sequence[str] = (),
    links: Sequence[str] = (),
    doi: str | None = None,
    eprint: str | None = None,
) -> Candidate | None:
    """The complete record of `key` as a Candidate, from DBLP's export fields as plain text.

    `fields` holds title, journal, booktitle, volume, number, pages, publisher, series and
    year (plain Unicode, no TeX); `authors` and `editors` are names without homonym
    numbers; `links` the export's `url` (DBLP's first `ee`). The one reading of a complete
    record, whether it came from the export (parse_export) or from the local index.
    None without a title.
    """
    title = fields.get("title")
    if not title:
        return None
    journal = fields.get("journal")
    is_preprint = is_corr_key(key) or journal == "CoRR"
    entry_type = "misc" if is_preprint else _BIBTEX_TYPES.get(bibtex_type.lower(), "misc")
    volume = fields.get("volume")
    doi = doi_from(doi, links)
    return Candidate(
        source="dblp",
        title=title.removesuffix("."),
        authors=tuple(Author(name=name) for name in authors),
        year=as_int(fields.get("year")),
        venue="CoRR" if is_preprint else None,
        venue_full=fields.get("booktitle") or journal,
        entry_type=entry_type,
        is_preprint=is_preprint,
        volume=volume,
        number=fields.get("number"),
        pages=page_range(fields.get("pages")),
        publisher=fields.get("publisher"),
        series=fields.get("series"),
        editors=tuple(editors),
        doi=doi,
        ids=Identifiers(dblp=key, arxiv=eprint or arxiv_id_from(volume, links, doi)),
        url=f"https://dblp.org/rec/{key}",
        links=tuple(links),
    )
