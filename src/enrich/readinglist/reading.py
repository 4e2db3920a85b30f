"""Where the paper is in an item: its title, and what the rest of the item says about it.

The title is the link text or the bold/italic span when the item has one ("[Title](url)
(NeurIPS 2017)", "**Title**. ICLR 2018"), the quoted part of a citation ("Chen, Tianqi,
et al. "Title." OSDI (2018)"), the sentence after an APA reference's year ("Hinton, G., &
Dean, J. (2015). Title. Venue."), else the text before the trailing metadata. Link words
("[Paper]", "[pdf]", badge images), venue links ("([EuroSys 2024](...))"), nicknames
("(`ByteScheduler`)") and cross-references are read or dropped, never kept in the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from enrich.readinglist.inline import LINK_WORDS
from enrich.readinglist.labels import split_label
from enrich.readinglist.linkids import LinkIds, agreed, identifiers_from_url, identifiers_in_text
from enrich.readinglist.mdtokens import Inline, Link, Piece
from enrich.readinglist.metadata import (
    EDGE,
    Metadata,
    clean_venue,
    peel,
    read_authors,
    read_metadata_line,
    read_venue_year,
)
from enrich.urls import safe_url

TitleSource = Literal["link", "emphasis", "quote", "citation", "text"]

_CHECKBOX = re.compile(r"^\s*\[[ xX]\]\s+")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\[\s*\]|\(\s*\))")
_EMPTY_PAIR = re.compile(r"\[\s*\]|\(\s*\)")
"""Found fast, as it starts with a bracket; `_EMPTY_BRACKETS` then takes the space before it."""
_BADGE_TEXT = re.compile(
    rf"^\s*[\[(]?\s*(?:(?:{LINK_WORDS})[\s/&,+|]*)+[\])]?\s*$|^\s*(?:arxiv:?\s*)?\d{{4}}\.\d{{4,5}}"
    r"(?:v\d+)?\s*$|^\s*(?:doi:?\s*)?10\.\d{4,9}/\S+\s*$|^\s*https?://\S+\s*$",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_GLUED = re.compile(r"^(?:[\w'’\-]|\s*:\s*[^\W\d_])")
_QUOTED = re.compile(r"[\"“”](?P<title>[^\"“”]{3,}?)[\"“”]")
_APA = re.compile(
    r"^(?P<authors>[^()]+?)\s*(?P<label>\((?P<year>(?:19|20)\d{2})[a-z]?(?:,[^()]{1,30})?\))"
    r"\.\s+(?P<rest>\S.*)$"
)
"""An APA reference: authors, "(2015).", then the title and the venue as sentences."""
_SENTENCE_END = re.compile(r"(?<=[^\W_])(?:\.|(?P<kept>[?!]))(?:\s+|$)")
_PAGES = re.compile(r"\s*[,(]?\s*\bpp?\.\s*\d+(?:\s*[-–]+\s*\d+)?\)?")


@dataclass(frozen=True, slots=True)
class ItemReading:
    """What one list item or table cell says: a title (or none) and its metadata."""

    title: str | None
    source: TitleSource | None
    meta: Metadata
    url: str | None
    ids: LinkIds
    links: tuple[Link, ...]
    title_link: Link | None
    """The link whose text is the title, if the title is one."""
    text: str
    """The item's plain text, link words and nicknames removed."""
    metadata_only: bool = False
    """No title, only authors, venue, year or link words: a note on the paper above."""

    @property
    def label(self) -> str | None:
        """The venue and year as written first in the item ("[SOSP '23]", "(2015)")."""
        return self.meta.label


@dataclass(frozen=True, slots=True)
class _Found:
    """A title found in an item, where it came from, and the metadata around it."""

    title: str
    source: TitleSource
    meta: Metadata
    link: int | None = None


def read_item(inline: Inline, this_year: int | None = None) -> ItemReading:
    """Read one item's inline content; never raises."""
    pieces = _without_checkbox(inline.pieces)
    badges = {index for index, link in enumerate(inline.links) if _is_badge(link, pieces, index)}
    kept = [p for i, p in enumerate(pieces) if p.link not in badges and not _nickname(pieces, i)]
    text = _plain(kept)
    found = _find_title(kept, text, this_year)
    title_link = inline.links[found.link] if found and found.link is not None else None
    own_ids = (
        identifiers_from_url(title_link.href)
        if title_link and followable(title_link)
        else LinkIds()
    )
    ids = own_ids if own_ids.doi or own_ids.arxiv else _item_ids(inline)
    url = best_url(inline.links, title_link)
    line_meta = read_metadata_line(text, this_year) if text and _is_plain(found) else None
    if line_meta is not None or (found is None and not text and inline.links):
        meta = line_meta or Metadata()
        return ItemReading(None, None, meta, url, ids, inline.links, None, text, True)
    if found is None:
        return ItemReading(None, None, Metadata(), url, ids, inline.links, None, text)
    return ItemReading(
        found.title, found.source, found.meta, url, ids, inline.links, title_link, text
    )


def _is_plain(found: _Found | None) -> bool:
    """No title, or only one read from the plain text: it may be a line of metadata."""
    return found is None or found.source == "text"


def _item_ids(inline: Inline) -> LinkIds:
    """The DOI and arXiv id the item's links (and its text) agree on."""
    from_links = [identifiers_from_url(link.href) for link in inline.links if followable(link)]
    in_text = identifiers_in_text(inline.text)
    return agreed([*from_links, in_text]) if from_links else in_text


def _without_checkbox(pieces: tuple[Piece, ...]) -> list[Piece]:
    if pieces and pieces[0].link is None and _CHECKBOX.match(pieces[0].text):
        first = Piece(_CHECKBOX.sub("", pieces[0].text), None, pieces[0].emphasis)
        return [first, *pieces[1:]]
    return list(pieces)


def _is_badge(link: Link, pieces: list[Piece], index: int) -> bool:
    """A link that only points at the paper: "[Paper]", "[pdf]", a badge image, a URL."""
    if link.bare or link.image:
        return True
    text = "".join(piece.text for piece in pieces if piece.link == index)
    return not _HAS_LETTER.search(text) or bool(_BADGE_TEXT.match(text))


def _nickname(pieces: list[Piece], index: int) -> bool:
    """Code in parentheses after a title, "(`ByteScheduler`)": a name, not the title."""
    piece = pieces[index]
    if not piece.code or index == 0 or index + 1 >= len(pieces):
        return False
    opens = pieces[index - 1].text.rstrip().endswith("(")
    return opens and pieces[index + 1].text.lstrip().startswith(")")


def _plain(pieces: list[Piece]) -> str:
    text = "".join(piece.text for piece in pieces)
    if _EMPTY_PAIR.search(text):
        text = _EMPTY_BRACKETS.sub("", text)
    return " ".join(text.split())


def _find_title(pieces: list[Piece], text: str, this_year: int | None) -> _Found | None:
    """A link's or an emphasis's text, else a citation's title, else the text (`text`,
    the pieces' plain text)."""
    for start, end, link in _spans(pieces):
        found = _span_title(pieces, start, end, link, this_year)
        if found is not None:
            return found
    return (
        _quoted_title(text, this_year)
        or _apa_title(text, this_year)
        or _text_title(text, this_year)
    )


def _text_title(text: str, this_year: int | None) -> _Found | None:
    """The text before the trailing metadata, as in "[SOSP '23] Title" or "Title. ICLR 2018"."""
    label, rest = split_label(text, this_year)
    title, meta = peel(rest, this_year)
    if label is not None:
        own = Metadata(label.text, label.venue, label.year)
        meta = own.then(meta) if text.startswith(label.text) else meta.then(own)
    title = title.strip(EDGE)
    return _Found(title, "text", meta) if title else None


def _spans(pieces: list[Piece]) -> list[tuple[int, int, int | None]]:
    """Runs of pieces under one link or one emphasis, in order: (start, end, link index)."""
    spans: list[tuple[int, int, int | None]] = []
    for key in ("link", "emphasis"):
        start = 0
        while start < len(pieces):
            value = getattr(pieces[start], key)
            end = start + 1
            while value is not None and end < len(pieces) and getattr(pieces[end], key) == value:
                end += 1
            if value is not None:
                spans.append((start, end, value if key == "link" else None))
            start = end
    return sorted(spans, key=lambda span: (span[0], span[2] is None))


def _span_title(
    pieces: list[Piece], start: int, end: int, link: int | None, this_year: int | None
) -> _Found | None:
    """The span's text as the title, if what comes before it is only a label or authors
    and what follows does not continue it ("*Clipper*: A Low-Latency ...")."""
    title = _plain(pieces[start:end]).strip(EDGE)
    if not _HAS_LETTER.search(title) or read_venue_year(title, this_year) is not None:
        return None
    label, rest = split_label(title, this_year)
    if (label is not None and not rest) or _GLUED.match("".join(p.text for p in pieces[end:])):
        return None
    lead, lead_rest = split_label(_plain(pieces[:start]).strip(EDGE), this_year)
    authors = ()
    if _HAS_LETTER.search(lead_rest):
        authors = read_authors(lead_rest, strict=False)
        if not authors:
            return None
    own = Metadata(lead.text, lead.venue, lead.year, authors) if lead else Metadata(authors=authors)
    after = _metadata_after(_plain(pieces[end:]), this_year)
    return _Found(title, "link" if link is not None else "emphasis", own.then(after), link)


def _metadata_after(text: str, this_year: int | None) -> Metadata:
    """What follows a title span: all metadata (". ICLR 2018"), metadata at its end, or
    a label leading a comment ("(NeurIPS 2017) - the transformer paper")."""
    whole = read_metadata_line(text, this_year) if text else None
    if whole is not None:
        return whole
    left, after = peel(text, this_year)
    leading, _ = split_label(left, this_year)
    if leading is not None and after.year is None and after.venue is None:
        return Metadata(leading.text, leading.venue, leading.year, after.authors)
    return after


def _quoted_title(text: str, this_year: int | None) -> _Found | None:
    """A citation's quoted title: `Vaswani, Ashish, et al. "Attention is all you need." ...`."""
    match = _QUOTED.search(text)
    if match is None or len(match.group("title").split()) < 2:
        return None
    before = text[: match.start()].strip()
    authors = read_authors(before, strict=False) if before else ()
    if before and not (authors and before[-1] in ".,"):
        return None
    rest, meta = peel(text[match.end() :], this_year)
    venue = meta.venue or clean_venue(rest)
    title = match.group("title").strip(EDGE)
    return _Found(title, "quote", Metadata(meta.label, venue, meta.year, authors))


def _apa_title(text: str, this_year: int | None) -> _Found | None:
    """An APA reference's title: `Vaswani, A., et al. (2017). Attention is all you need. In
    NeurIPS.`; the venue is what follows it, without pages or an arXiv id."""
    match = _APA.match(text) if ")." in text else None
    authors = read_authors(match.group("authors"), strict=False) if match else ()
    if match is None or not authors:
        return None
    rest = match.group("rest")
    end = _SENTENCE_END.search(rest)
    title = (rest[: end.start()] + (end.group("kept") or "")) if end else rest
    after, meta = peel(_PAGES.sub("", rest[end.end() :]) if end else "", this_year)
    own = Metadata(match.group("label"), None, int(match.group("year")), authors)
    venue = meta.venue or clean_venue(after)
    return _Found(title.strip(EDGE), "citation", own.then(Metadata(venue=venue)))


def followable(link: Link) -> bool:
    """A link out of the list that may be kept: an absolute http(s) URL. A `javascript:`,
    `data:`, `file:` or relative target is never an entry's url, nor read for ids."""
    return safe_url(link.href) is not None


def best_url(links: tuple[Link, ...], title_link: Link | None = None) -> str | None:
    """The link that best names the paper: the title's, else the first giving an id,
    else the first one."""
    if title_link is not None and followable(title_link):
        return title_link.href
    kept = [link for link in links if followable(link)]
    for link in kept:
        ids = identifiers_from_url(link.href)
        if ids.doi or ids.arxiv:
            return link.href
    return kept[0].href if kept else None
