"""Merge the chosen DBLP record, its arXiv companion and the S2 record into one enriched record.

DBLP wins on bibliographic fields (it is curated per venue); Semantic Scholar fills what DBLP
lacks (citation count, open-access PDF, S2 ids, abstract). Every field records where it came
from, so a reader of the outputs can tell a curated value from a filled-in one. An entry
without a confident record still yields a record, from the list's own data.
"""

from __future__ import annotations

from dataclasses import replace

from .evidence import title_similarity
from .match import Decision
from .models import Author, Candidate, EnrichedRecord, Entry, FieldSource, Identifiers, Urls
from .text import fold_to_ascii

ARXIV_DOI_PREFIX = "10.48550/"
"""arXiv's DataCite DOIs: right for the preprint, wrong for the published paper."""
SAME_PAPER = 90.0
"""Title similarity at which an S2 record with no shared identifier is taken as the same paper."""


def merge_record(entry: Entry, decision: Decision, s2: Candidate | None) -> EnrichedRecord:
    """One enriched record from what matching decided and what S2 returned for the chosen paper.

    `s2` is S2's record for the chosen paper (fetched by DBLP key, DOI or arXiv id); it is
    ignored, with a note, when it is evidently another paper.
    """
    match = decision.match
    chosen = decision.chosen
    if (
        s2 is not None
        and chosen is not None
        and chosen.source != "s2"
        and not _same_paper(chosen, s2)
    ):
        match = replace(
            match,
            notes=(
                *match.notes,
                f"Semantic Scholar's record '{s2.title}' was not used: "
                "it does not look like the same paper",
            ),
        )
        s2 = None
    if chosen is None and not (decision.override and s2 and decision.override.pins(s2)):
        s2 = None
    if chosen is not None and chosen.source == "s2":
        s2 = s2 if s2 is not None and _same_record(chosen, s2) else chosen
    fields: dict[str, object] = {}
    provenance: dict[str, FieldSource] = {}

    def put(name: str, value: object, source: FieldSource) -> None:
        if value is not None and value != "" and name not in fields:
            fields[name] = value
            provenance[name] = source

    override = decision.override
    if override is not None and override.action == "pin":
        put("doi", override.doi, "override")
        put("ids.dblp", override.dblp_key, "override")
        s2_id = override.s2_id or ""
        if s2_id.lower().startswith("corpusid:"):
            put("ids.corpus_id", int(s2_id.split(":", 1)[1]), "override")
        else:
            put("ids.s2", s2_id, "override")

    if chosen is not None:
        source = _source(chosen)
        for name in (
            "title",
            "year",
            "venue",
            "venue_full",
            "volume",
            "number",
            "pages",
            "publisher",
            "doi",
        ):
            put(name, getattr(chosen, name), source)
        put("entry_type", chosen.entry_type, source)
        put("ids.dblp", chosen.ids.dblp, source)
        put("ids.arxiv", chosen.ids.arxiv, source)
    if decision.preprint is not None:
        put("ids.arxiv", decision.preprint.ids.arxiv, _source(decision.preprint))
    if s2 is not None:
        for name in ("title", "year", "venue", "volume", "number", "pages", "publisher"):
            put(name, getattr(s2, name), "s2")
        if s2.venue_full or s2.venue != fields.get("venue"):
            put("venue_full", s2.venue_full or s2.venue, "s2")
        if _doi_fits(s2.doi, chosen):
            put("doi", s2.doi, "s2")
        put("ids.dblp", s2.ids.dblp, "s2")
        put("ids.s2", s2.ids.s2, "s2")
        put("ids.corpus_id", s2.ids.corpus_id, "s2")
        put("ids.arxiv", s2.ids.arxiv, "s2")
        put("citation_count", s2.citation_count, "s2")
        put("abstract", s2.abstract, "s2")
        put("pdf", s2.pdf_url, "s2")
    if chosen is not None:
        put("pdf", chosen.pdf_url, _source(chosen))

    put("title", entry.title, "list")
    put("year", entry.year, "list")
    put("venue", entry.venue, "list")

    authors, authors_source = _merge_authors(chosen, s2)
    if authors:
        provenance["authors"] = authors_source
    elif entry.authors:
        authors = tuple(Author(name=n) for n in entry.authors)
        provenance["authors"] = "list"

    urls = _urls(fields, provenance, chosen, s2)
    ids = Identifiers(
        dblp=fields.get("ids.dblp"),  # type: ignore[arg-type]
        s2=fields.get("ids.s2"),  # type: ignore[arg-type]
        corpus_id=fields.get("ids.corpus_id"),  # type: ignore[arg-type]
        arxiv=fields.get("ids.arxiv"),  # type: ignore[arg-type]
    )
    provenance.pop("pdf", None)
    return EnrichedRecord(
        entry=entry,
        match=match,
        title=str(fields["title"]),
        key=entry.key or "",
        authors=authors,
        year=fields.get("year"),  # type: ignore[arg-type]
        venue=fields.get("venue"),  # type: ignore[arg-type]
        venue_full=fields.get("venue_full"),  # type: ignore[arg-type]
        entry_type=fields.get("entry_type", "misc"),  # type: ignore[arg-type]
        volume=fields.get("volume"),  # type: ignore[arg-type]
        number=fields.get("number"),  # type: ignore[arg-type]
        pages=fields.get("pages"),  # type: ignore[arg-type]
        publisher=fields.get("publisher"),  # type: ignore[arg-type]
        doi=fields.get("doi"),  # type: ignore[arg-type]
        ids=ids,
        urls=urls,
        citation_count=fields.get("citation_count"),  # type: ignore[arg-type]
        abstract=fields.get("abstract"),  # type: ignore[arg-type]
        provenance=provenance,
    )


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


def _same_record(a: Candidate, b: Candidate) -> bool:
    return bool(a.ids.s2 and a.ids.s2 == b.ids.s2)


def _same_paper(chosen: Candidate, s2: Candidate) -> bool:
    """S2's record is the chosen paper: a shared identifier, or failing that the same title."""
    if chosen.ids.dblp and s2.ids.dblp:
        return chosen.ids.dblp == s2.ids.dblp
    if chosen.doi and s2.doi and chosen.doi.lower() == s2.doi.lower():
        return True
    if chosen.ids.arxiv and chosen.ids.arxiv == s2.ids.arxiv:
        return True
    return title_similarity(chosen.title, s2.title) >= SAME_PAPER


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


def _urls(
    fields: dict[str, object],
    provenance: dict[str, FieldSource],
    chosen: Candidate | None,
    s2: Candidate | None,
) -> Urls:
    doi, dblp_key, arxiv = fields.get("doi"), fields.get("ids.dblp"), fields.get("ids.arxiv")
    s2_id = fields.get("ids.s2")
    s2_url = s2.url if s2 is not None and s2.url else None
    if s2_url is None and s2_id:
        s2_url = f"https://www.semanticscholar.org/paper/{s2_id}"
    pdf = fields.get("pdf") or (f"https://arxiv.org/pdf/{arxiv}" if arxiv else None)
    urls = Urls(
        doi=f"https://doi.org/{doi}" if doi else None,
        dblp=f"https://dblp.org/rec/{dblp_key}" if dblp_key else None,
        s2=s2_url,
        arxiv=f"https://arxiv.org/abs/{arxiv}" if arxiv else None,
        pdf=pdf,  # type: ignore[arg-type]
    )
    for name, derived_from in (
        ("doi", "doi"),
        ("dblp", "ids.dblp"),
        ("s2", "ids.s2"),
        ("arxiv", "ids.arxiv"),
    ):
        if getattr(urls, name) and derived_from in provenance:
            provenance[f"urls.{name}"] = provenance[derived_from]
    if urls.pdf:
        provenance["urls.pdf"] = provenance.get("pdf") or provenance.get("ids.arxiv", "dblp")
    return urls
