"""Context from headings: "## 2024", "### OSDI", "## OSDI '22" say what the items under
them do not repeat.

Many lists group papers by year or by venue and never write either on the item itself.
A heading (or a category item) that is only a year, only a venue venues.py knows by its
acronym, or a venue and a year, gives them to every paper under it that lacks its own; any other
heading gives nothing, so a section called "GPU Kernels" never becomes a venue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from enrich.readinglist.labels import read_label
from enrich.readinglist.metadata import EDGE, is_acronym, looks_like_venue
from enrich.venues import canonical_venue

_YEAR_HEADING = re.compile(r"^(?:year\s+)?(?P<year>(?:19|20)\d{2})(?:\s+papers)?$", re.IGNORECASE)
_BRACKETS = "[]()"


@dataclass(frozen=True, slots=True)
class Context:
    """The venue and year a heading gives the items under it."""

    venue: str | None = None
    year: int | None = None

    def within(self, outer: Context) -> Context:
        """This heading's context inside an outer one: "## 2024" then "### OSDI"."""
        if self.venue and outer.venue and self.venue != outer.venue:
            return Context(self.venue, self.year)
        return Context(self.venue or outer.venue, self.year or outer.year)


NO_CONTEXT = Context()


def heading_context(text: str, this_year: int | None = None) -> Context:
    """What a heading's plain text says about the papers under it, if anything."""
    plain = text.strip(EDGE + _BRACKETS)
    if not plain or len(plain) > 40:
        return NO_CONTEXT
    year = _YEAR_HEADING.match(plain)
    if year:
        return Context(year=int(year.group("year")))
    venue, read_year = read_label(plain, this_year)
    if venue is None:
        return NO_CONTEXT
    if read_year is None:
        known = canonical_venue(venue) is not None and is_acronym(venue)
        return Context(venue=venue) if known else NO_CONTEXT
    return Context(venue, read_year) if looks_like_venue(venue) else NO_CONTEXT
