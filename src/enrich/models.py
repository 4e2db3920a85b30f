"""The records that flow between stages.

Data flows one way: the reading list gives `Entry`s, the sources turn each into
`Candidate`s, matching picks among them (`Match`), and merging makes one
`EnrichedRecord` per entry, which the emitters write. Every type is frozen, so a
stage can never change what an earlier stage produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from enrich.text import normalize_title

EntryType = Literal["inproceedings", "article", "book", "incollection", "misc"]
"""The kind of publication, named as BibTeX names it."""

MatchStatus = Literal["matched", "ambiguous", "unmatched", "error", "not_cached", "skipped"]
"""How sure matching is about an entry's record.

matched: one confident record. ambiguous: two or more records too close to call.
unmatched: no record good enough. error: a service failed. not_cached: an offline run
had nothing cached for the entry. skipped: an override asked to leave it alone.
"""

FieldSource = Literal["dblp", "s2", "override", "list"]
"""Where a field of an enriched record came from (its provenance)."""


@dataclass(frozen=True)
class Entry:
    """One paper as the reading list writes it."""

    title: str
    """The title as written, markdown emphasis removed."""
    file: str
    """The input file, as the user named it."""
    lines: tuple[int, ...]
    """1-based line numbers; more than one when the list names the paper twice."""
    sections: tuple[str, ...] = ()
    """Headings the paper sits under, outermost first, in plain text."""
    label: str | None = None
    """The raw label, e.g. "[SOSP '23]"."""
    venue: str | None = None
    """The venue read from the label, e.g. "SOSP"."""
    year: int | None = None
    """The 4-digit year read from the label."""
    url: str | None = None
    """A link the line gave, e.g. from "[Title](url)"."""
    key: str | None = None
    """A citation key the input already had (a .bib), kept on output."""
    authors: tuple[str, ...] = ()
    """Author names where the input gives them (a .bib, an author line)."""
    doi: str | None = None
    """A bare DOI the item links to (doi.org/..., dl.acm.org/doi/...), "10." first."""
    arxiv: str | None = None
    """An arXiv id the item links to (arxiv.org/abs/..., /pdf/...), without version."""

    @property
    def identity(self) -> tuple[str, str]:
        """What tells two entries of one list apart: the input's citation key and the title.

        A .bib may hold different records with one title (a report, a paper, a chapter):
        their keys keep them apart, as the user's `\\cite{}`s need each of them.
        """
        return (self.key or "", normalize_title(self.title))

    def same_paper(self, other: Entry) -> bool:
        """Equal titles, and no two different input keys: the list names one paper twice."""
        if self.key and other.key and self.key != other.key:
            return False
        return normalize_title(self.title) == normalize_title(other.title)


@dataclass(frozen=True)
class Author:
    """One author of a record, with the identifiers each service gives them."""

    name: str
    """The name without DBLP's homonym number ("Wei Wang", not "Wei Wang 0001")."""
    dblp_pid: str | None = None
    s2_id: str | None = None


@dataclass(frozen=True)
class Identifiers:
    """The identifiers a record is known by in each service."""

    dblp: str | None = None
    """DBLP record key, e.g. "conf/sosp/KwonLZ0ZY0ZS23"."""
    s2: str | None = None
    """Semantic Scholar paperId (40 hex digits)."""
    corpus_id: int | None = None
    arxiv: str | None = None
    """arXiv id without version, e.g. "2309.06180"."""


@dataclass(frozen=True)
class Candidate:
    """One record a source offers for an entry, in one shape whatever the source."""

    source: str
    """The source's name, e.g. "dblp" or "s2"."""
    title: str
    """The title as the source gives it (DBLP's trailing period removed)."""
    authors: tuple[Author, ...] = ()
    year: int | None = None
    venue: str | None = None
    """The short venue name the source uses, e.g. "OSDI", "CoRR", "Proc. VLDB Endow."."""
    venue_full: str | None = None
    """The container's full title: DBLP's proceedings title or journal name."""
    entry_type: EntryType = "misc"
    is_preprint: bool = False
    """True for arXiv/CoRR and other informal records."""
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    series: str | None = None
    """The book series of the proceedings, e.g. "Proceedings of Machine Learning Research"."""
    editors: tuple[str, ...] = ()
    """The proceedings' editors, as DBLP's export lists them."""
    doi: str | None = None
    """A bare DOI ("10.1145/..."), never a URL; only values starting with "10."."""
    ids: Identifiers = field(default_factory=Identifiers)
    url: str | None = None
    """The record's page at the source (DBLP record page, S2 paper page)."""
    links: tuple[str, ...] = ()
    """Links to the paper itself that the source lists (DBLP's `ee`: DOI, publisher, arXiv)."""
    pdf_url: str | None = None
    citation_count: int | None = None
    abstract: str | None = None


@dataclass(frozen=True)
class Alternative:
    """A candidate matching did not choose, summarised so a person can settle it."""

    source: str
    title: str
    venue: str | None
    year: int | None
    score: float
    dblp_key: str | None = None
    doi: str | None = None


@dataclass(frozen=True)
class Match:
    """What matching decided for one entry, and why."""

    status: MatchStatus
    score: float | None = None
    """Similarity of the chosen record to the entry, 0-100."""
    decided_by: str | None = None
    """The source (or "override") whose record was chosen."""
    notes: tuple[str, ...] = ()
    """Every disagreement with the list, in words a person can act on."""
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class Urls:
    """Links for a record, each to a different place."""

    doi: str | None = None
    dblp: str | None = None
    """DBLP's record page (metadata, never the paper): `biburl` in the .bib."""
    s2: str | None = None
    arxiv: str | None = None
    pdf: str | None = None
    published: str | None = None
    """The published version's page at its publisher (DBLP's `ee`: USENIX, PMLR, NeurIPS)."""


@dataclass(frozen=True)
class EnrichedRecord:
    """One entry with everything the sources agreed on, and where each field came from."""

    entry: Entry
    """What the list said; kept verbatim so every output can show it."""
    match: Match
    title: str
    key: str = ""
    """The citation key; assigned when the outputs are written, stable across runs."""
    authors: tuple[Author, ...] = ()
    year: int | None = None
    venue: str | None = None
    """The venue's canonical acronym, e.g. "SOSP", "PVLDB" (venues.short_venue)."""
    venue_full: str | None = None
    """The proceedings or journal title, as DBLP's export writes it."""
    entry_type: EntryType = "misc"
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    series: str | None = None
    editors: tuple[str, ...] = ()
    doi: str | None = None
    ids: Identifiers = field(default_factory=Identifiers)
    urls: Urls = field(default_factory=Urls)
    citation_count: int | None = None
    abstract: str | None = None
    provenance: Mapping[str, FieldSource] = field(default_factory=dict)
    """Field name to the source it came from; fields absent here came from nowhere."""
    stale: bool = False
    """True when this run could not refresh the record, or some of its fields, and kept
    what the previous run had."""
    failures: Mapping[str, str] = field(default_factory=dict)
    """The sources that could not answer for this paper in this run, with why; what they
    gave in an earlier run is carried over (lastgood). Not written to the outputs."""
