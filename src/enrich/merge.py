"""Merge the chosen DBLP record, its export, its arXiv companion and the S2 record into one.

DBLP wins on bibliographic fields (it is curated per venue), its record export first (the
proceedings title, publisher, series, pages as DBLP's own BibTeX has them); Semantic Scholar
fills what DBLP lacks (citation count, open-access PDF, S2 ids, abstract). Every field records
where it came from, so a reader of the outputs can tell a curated value from a filled-in one.
An entry without a confident record still yields a record, from the list's own data.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from .evidence import title_similarity
from .match import PIN_NOT_FOUND, Decision
from .models import Author, Candidate, EnrichedRecord, Entry, FieldSource, Identifiers, Urls
from .text import fold_to_ascii
from .urls import safe_url, scheme_of
from .venues import short_venue

ARXIV_DOI_PREFIX = "10.48550/"
"""arXiv's DataCite DOIs: right for the preprint, wrong for the published paper."""
SAME_PAPER = 90.0
"""Title similarity at which an S2 record with no shared identifier is taken as the same paper."""


class _Fields:
    """Field values and their provenance; the first source to give a field keeps it."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.provenance: dict[str, FieldSource] = {}

    def put(self, name: str, value: object, source: FieldSource) -> None:
        if value is not None and value != "" and name not in self.values:
            self.values[name] = value
            self.provenance[name] = source

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return str(value) if value is not None else None

    def number(self, name: str) -> int | None:
        value = self.values.get(name)
        return value if isinstance(value, int) else None


def merge_record(
    entry: Entry,
    decision: Decision,
    s2: Candidate | None,
    export: Candidate | None = None,
) -> EnrichedRecord:
    """One enriched record from what matching decided and what S2 returned for the chosen paper.

    `s2` is S2's record for the chosen paper (fetched by DBLP key, DOI or arXiv id); it is
    ignored, with a note, when it is evidently another paper, and ignored when nothing was
    chosen (an unmatched paper must not borrow a record's data). `export` is DBLP's export of
    the chosen paper's DBLP record (the search hit's, S2's `externalIds.DBLP`, or a pinned key).
    """
    match = decision.match
    if decision.chosen is None and export is not None:
        match = replace(match, notes=tuple(n for n in match.notes if n != PIN_NOT_FOUND))
    s2, rejected = _usable_s2(decision, s2)
    chosen = _completed(decision, export)
    if rejected:
        match = replace(match, notes=(*match.notes, rejected))
    fields = _Fields()
    override = decision.override
    if override is not None and override.action == "pin":
        _put_override(fields, override.doi, override.dblp_key, override.s2_id)
    if chosen is not None:
        _put_record(fields, chosen, _source(chosen))
    if decision.preprint is not None:
        fields.put("ids.arxiv", decision.preprint.ids.arxiv, _source(decision.preprint))
    if s2 is not None:
        _put_s2(fields, s2, chosen)
    if chosen is not None:
        fields.put("pdf", chosen.pdf_url, _source(chosen))
        fields.put("published", _publisher_page(chosen.links), _source(chosen))
    fields.put("title", entry.title, "list")
    fields.put("year", entry.year, "list")
    fields.put("venue", entry.venue, "list")
    fields.put("doi", entry.doi if _doi_fits(entry.doi, chosen) else None, "list")
    fields.put("ids.arxiv", entry.arxiv, "list")

    authors, authors_source = _merge_authors(chosen, s2)
    if not authors and entry.authors:
        authors, authors_source = tuple(Author(name=n) for n in entry.authors), "list"
    if authors:
        fields.provenance["authors"] = authors_source
    urls, refused = _urls(fields, s2)
    if refused:
        match = replace(match, notes=(*match.notes, *refused))
    fields.provenance.pop("pdf", None)
    fields.provenance.pop("published", None)
    entry_type = fields.values.get("entry_type", "misc")
    return EnrichedRecord(
        entry=entry,
        match=match,
        title=fields.text("title") or entry.title,
        key=entry.key or "",
        authors=authors,
        year=fields.number("year"),
        venue=_acronym(fields),
        venue_full=fields.text("venue_full"),
        entry_type=entry_type,  # type: ignore[arg-type]
        volume=fields.text("volume"),
        number=fields.text("number"),
        pages=fields.text("pages"),
        publisher=fields.text("publisher"),
        series=fields.text("series"),
        editors=tuple(fields.values.get("editors", ())),  # type: ignore[arg-type]
        doi=fields.text("doi"),
        ids=Identifiers(
            dblp=fields.text("ids.dblp"),
            s2=fields.text("ids.s2"),
            corpus_id=fields.number("ids.corpus_id"),
            arxiv=fields.text("ids.arxiv"),
        ),
        urls=urls,
        citation_count=fields.number("citation_count"),
        abstract=fields.text("abstract"),
        provenance=fields.provenance,
    )


def _acronym(fields: _Fields) -> str | None:
    """A source's venue as its acronym ("Proc. VLDB Endow." is PVLDB); the list's as written."""
    venue = fields.text("venue")
    return venue if fields.provenance.get("venue") == "list" else short_venue(venue)


def _completed(decision: Decision, export: Candidate | None) -> Candidate | None:
    """The chosen record with what DBLP's export of it adds; the export alone for a pin that
    no search returned; for a paper S2 decided, the export of the DBLP record S2 links to,
    when that record has the same title (S2 merges versions: the link may be a workshop's)."""
    chosen = decision.chosen
    if export is None:
        return chosen
    if chosen is None:
        return export
    if chosen.source == "dblp":
        return replace(
            chosen,
            venue_full=export.venue_full or chosen.venue_full,
            entry_type=export.entry_type if not chosen.is_preprint else chosen.entry_type,
            volume=export.volume or chosen.volume,
            number=export.number or chosen.number,
            pages=export.pages or chosen.pages,
            publisher=export.publisher,
            series=export.series,
            editors=export.editors,
            doi=chosen.doi or export.doi,
            links=tuple(dict.fromkeys((*export.links, *chosen.links))),
            authors=chosen.authors or export.authors,
        )
    if export.is_preprint or title_similarity(export.title, chosen.title) < SAME_PAPER:
        return chosen
    return replace(export, venue=chosen.venue, pdf_url=chosen.pdf_url)


def _publisher_page(links: tuple[str, ...]) -> str | None:
    """The first link to the paper at its publisher: not a DOI, arXiv or DBLP link."""
    for link in links:
        host = urlsplit(link).netloc.lower()
        if link.startswith(("https://", "http://")) and not host.endswith(_NOT_PUBLISHERS):
            return link
    return None


def _usable_s2(decision: Decision, s2: Candidate | None) -> tuple[Candidate | None, str | None]:
    """The S2 record to merge (or None) and, when one was refused, the note saying so."""
    chosen = decision.chosen
    if chosen is None:
        pinned = decision.override is not None and s2 is not None and decision.override.pins(s2)
        return (s2 if pinned else None), None
    if chosen.source == "s2":
        return (s2 if s2 is not None and s2.ids.s2 == chosen.ids.s2 else chosen), None
    if s2 is None or _same_paper(chosen, decision.preprint, s2):
        return s2, None
    return None, f"Semantic Scholar's record '{s2.title}' was not used: it is another paper"


def _put_override(
    fields: _Fields, doi: str | None, dblp_key: str | None, s2_id: str | None
) -> None:
    fields.put("doi", doi, "override")
    fields.put("ids.dblp", dblp_key, "override")
    if s2_id and s2_id.lower().startswith("corpusid:"):
        fields.put("ids.corpus_id", int(s2_id.split(":", 1)[1]), "override")
    else:
        fields.put("ids.s2", s2_id, "override")


_BIBLIOGRAPHIC = ("title", "year", "venue", "volume", "number", "pages", "publisher")
_NOT_PUBLISHERS = ("doi.org", "arxiv.org", "dblp.org", "dblp.uni-trier.de", "semanticscholar.org")


def _put_record(fields: _Fields, chosen: Candidate, source: FieldSource) -> None:
    for name in (*_BIBLIOGRAPHIC, "venue_full", "series", "doi", "entry_type"):
        fields.put(name, getattr(chosen, name), source)
    fields.put("editors", chosen.editors or None, source)
    fields.put("ids.dblp", chosen.ids.dblp, source)
    fields.put("ids.s2", chosen.ids.s2, source)
    fields.put("ids.corpus_id", chosen.ids.corpus_id, source)
    fields.put("ids.arxiv", chosen.ids.arxiv, source)
    fields.put("citation_count", chosen.citation_count, source)
    fields.put("abstract", chosen.abstract, source)


def _put_s2(fields: _Fields, s2: Candidate, chosen: Candidate | None) -> None:
    """What S2 adds: what DBLP lacks, its ids and counts; its venue name as the full name."""
    for name in _BIBLIOGRAPHIC:
        fields.put(name, getattr(s2, name), "s2")
    if s2.venue_full or s2.venue != fields.values.get("venue"):
        fields.put("venue_full", s2.venue_full or s2.venue, "s2")
    if _doi_fits(s2.doi, chosen):
        fields.put("doi", s2.doi, "s2")
    fields.put("ids.dblp", s2.ids.dblp, "s2")
    fields.put("ids.s2", s2.ids.s2, "s2")
    fields.put("ids.corpus_id", s2.ids.corpus_id, "s2")
    fields.put("ids.arxiv", s2.ids.arxiv, "s2")
    fields.put("citation_count", s2.citation_count, "s2")
    fields.put("abstract", s2.abstract, "s2")
    fields.put("pdf", s2.pdf_url, "s2")


def _doi_fits(doi: str | None, chosen: Candidate | None) -> bool:
    """S2 merges a paper's versions, so its DOI may be the other version's: an arXiv DOI for
    a published paper, or the venue's DOI for a preprint. Only a DOI of the chosen kind fits."""
    if not doi:
        return False
    is_arxiv_doi = doi.lower().startswith(ARXIV_DOI_PREFIX)
    preprint = chosen is not None and chosen.is_preprint
    return is_arxiv_doi == preprint or chosen is None or chosen.source == "s2"


def _source(candidate: Candidate) -> FieldSource:
    return "s2" if candidate.source == "s2" else "dblp"


def _same_paper(chosen: Candidate, preprint: Candidate | None, s2: Candidate) -> bool:
    """S2's record is the chosen paper: an identifier shared with it or its arXiv companion,
    or, when S2 names no other DBLP record, the same title. S2 merges a paper's versions, so
    its DBLP key is often the CoRR record's."""
    versions = [c for c in (chosen, preprint) if c is not None]
    if s2.ids.dblp and any(s2.ids.dblp == c.ids.dblp for c in versions):
        return True
    if s2.doi and any(c.doi and c.doi.lower() == s2.doi.lower() for c in versions):
        return True
    if s2.ids.arxiv and any(s2.ids.arxiv == c.ids.arxiv for c in versions):
        return True
    return not s2.ids.dblp and title_similarity(chosen.title, s2.title) >= SAME_PAPER


def _name_keys(name: str) -> tuple[str, str, str]:
    """Ways to recognise a person: full name, family name + first initial, family name."""
    parts = fold_to_ascii(name).replace(".", " ").split()
    if not parts:
        return ("", "", "")
    family = parts[-1]
    return (" ".join(parts), f"{family} {parts[0][0]}", family)


def _partner(author: Author, theirs: list[Author]) -> Author | None:
    """The S2 author who is this DBLP author: the first key that names exactly one person.

    Family name alone counts only when one side gives no given name, so "Ann Example" is
    never taken for "Bob Example"."""
    mine = _name_keys(author.name)
    for level in range(3):
        same = [
            t
            for t in theirs
            if mine[level]
            and _name_keys(t.name)[level] == mine[level]
            and (level < 2 or " " not in mine[0] or " " not in _name_keys(t.name)[0])
        ]
        if len(same) == 1:
            return same[0]
    return None


def _merge_authors(
    chosen: Candidate | None, s2: Candidate | None
) -> tuple[tuple[Author, ...], FieldSource]:
    """DBLP's author list, each author given S2's id where S2 lists the same person.

    Authors align by position when both lists have the same length and family names, and by
    name otherwise (full name, then family + initial, then family, each only when it names
    one person); an S2 author who aligns with no one adds nothing.
    """
    if chosen is None or chosen.source == "s2":
        return (s2.authors if s2 else ()), "s2"
    base = chosen.authors
    if not base:
        return (s2.authors if s2 else ()), "s2"
    if s2 is None or not s2.authors:
        return base, "dblp"
    theirs = list(s2.authors)
    same_order = len(theirs) == len(base) and all(
        _name_keys(a.name)[2] == _name_keys(b.name)[2] for a, b in zip(base, theirs, strict=True)
    )
    merged = []
    for position, author in enumerate(base):
        if same_order:
            partner: Author | None = theirs[position]
        else:
            partner = _partner(author, theirs)
            if partner is not None:
                theirs.remove(partner)
        s2_id = author.s2_id or (partner.s2_id if partner else None)
        merged.append(replace(author, s2_id=s2_id))
    return tuple(merged), "dblp"


def _urls(fields: _Fields, s2: Candidate | None) -> tuple[Urls, list[str]]:
    """Links built from the identifiers; each link's provenance is its identifier's.

    Only absolute http(s) links are kept (a service can send `javascript:`); each one
    refused is named in a note, by its kind and source, not repeated.
    """
    doi, dblp_key = fields.text("doi"), fields.text("ids.dblp")
    arxiv, s2_id = fields.text("ids.arxiv"), fields.text("ids.s2")
    s2_url = s2.url if s2 is not None and s2.url else None
    if s2_url is None and s2_id:
        s2_url = f"https://www.semanticscholar.org/paper/{s2_id}"
    urls = Urls(
        doi=f"https://doi.org/{doi}" if doi else None,
        dblp=f"https://dblp.org/rec/{dblp_key}" if dblp_key else None,
        s2=s2_url,
        arxiv=f"https://arxiv.org/abs/{arxiv}" if arxiv else None,
        pdf=fields.text("pdf") or (f"https://arxiv.org/pdf/{arxiv}" if arxiv else None),
        published=fields.text("published"),
    )
    provenance = fields.provenance
    refused = []
    kept = {}
    for name, derived_from in (
        ("doi", "doi"),
        ("dblp", "ids.dblp"),
        ("s2", "ids.s2"),
        ("arxiv", "ids.arxiv"),
        ("pdf", "pdf" if "pdf" in provenance else "ids.arxiv"),
        ("published", "published"),
    ):
        url = getattr(urls, name)
        kept[name] = safe_url(url)
        source = provenance.get(derived_from) or ("s2" if name == "s2" else None)
        if url is not None and kept[name] is None:
            given = f" given by {source}" if source else ""
            refused.append(f"{name} link{given} left out: {scheme_of(url)} link, not http(s)")
        elif kept[name] and derived_from in provenance:
            provenance[f"urls.{name}"] = provenance[derived_from]
    return Urls(**kept), refused
