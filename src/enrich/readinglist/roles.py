"""What each list item is: a paper, a note on one, a category of papers, or a skip.

An item alone says what it could be (`own_role`); its place decides what it is
(`settle_roles`). Nested under a paper, an item is a note, and one holding only authors,
venue, year or links is that paper's metadata. An item with no sign of being a paper
(no label, venue, year, authors, identifier or link) whose children are papers is a
category of them, a section of its own; so is one ending in a colon. Under an item
that is not a paper, only items that show they are papers count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from enrich.readinglist.outline import ItemNode
from enrich.readinglist.paperline import title_problem
from enrich.readinglist.reading import ItemReading, followable
from enrich.readinglist.skips import (
    NOT_TEXT,
    QUOTED,
    UNDER_SKIPPED,
    link_kind,
    skip_reason,
)

EMPTY_ITEM = "empty list item"

Role = Literal["paper", "note", "category", "skipped", "warning"]
_Own = Literal["paper", "metadata", "container", "skipped", "warning"]


@dataclass(frozen=True, slots=True)
class Settled:
    """One item's role; for a skip or a warning, why; for a note, whose note it is."""

    role: Role
    reason: str | None = None
    paper: int | None = None
    """For a note: the index of the paper item it belongs to."""
    metadata: bool = False
    """For a note: it holds only authors, venue, year or links, read into its paper."""


@dataclass(frozen=True, slots=True)
class OwnRole:
    """What an item could be on its own."""

    kind: _Own
    reason: str | None = None
    evidence: bool = False
    """It shows it is a paper: a label, venue, year, authors, identifier or paper link."""


def own_role(node: ItemNode | None, reading: ItemReading | None) -> OwnRole:
    """What an item (or a table row, with `node` None) could be by itself."""
    if node is not None and node.shape != "text":
        if node.shape == "list":
            return OwnRole("container")
        return (
            OwnRole("warning", EMPTY_ITEM)
            if node.shape == "empty"
            else OwnRole("skipped", NOT_TEXT)
        )
    if reading is None:
        return OwnRole("warning", EMPTY_ITEM)
    if reading.metadata_only:
        return OwnRole("metadata", _no_title_reason(reading))
    if reading.title is None:
        return OwnRole("warning", _no_title_reason(reading))
    reason = skip_reason(reading)
    if reason is not None:
        return OwnRole("skipped", reason)
    problem = title_problem(reading.title)
    if problem is not None:
        return OwnRole("warning", problem)
    return OwnRole("paper", evidence=has_evidence(reading))


def has_evidence(reading: ItemReading) -> bool:
    """The item shows it is a paper, not just a phrase: what a category never has."""
    meta = reading.meta
    if reading.label or meta.venue or meta.year or meta.authors:
        return True
    if reading.ids.doi or reading.ids.arxiv or reading.source in ("link", "quote", "citation"):
        return True
    return any(followable(link) and link_kind(link) is None for link in reading.links)


def _no_title_reason(reading: ItemReading) -> str:
    if reading.label:
        return "a label but no title"
    if not reading.meta.empty:
        return "only authors, a venue or a year, no title"
    return "only a link, no title" if reading.links else "no title"


def settle_roles(items: tuple[ItemNode, ...], owns: list[OwnRole]) -> list[Settled]:
    """Every item's role, from its own and its place among its parents and children."""
    children: list[list[int]] = [[] for _ in items]
    for index, node in enumerate(items):
        if node.parent is not None:
            children[node.parent].append(index)
    category = [False] * len(items)
    for index in reversed(range(len(items))):
        category[index] = _is_category(items[index], owns[index], children[index], owns, category)
    settled: list[Settled] = []
    for index, node in enumerate(items):
        settled.append(_settle(node, owns[index], category[index], settled))
    return settled


def _is_category(
    node: ItemNode, own: OwnRole, kids: list[int], owns: list[OwnRole], category: list[bool]
) -> bool:
    if not kids or node.quoted:
        return False
    if own.kind == "container":
        return True
    could_be = (own.kind == "paper" and not own.evidence) or own.kind == "metadata"
    if not could_be:
        return False
    if any(category[kid] or (owns[kid].kind == "paper" and owns[kid].evidence) for kid in kids):
        return True
    heading_like = node.inline.text.rstrip().endswith((":", "："))
    return heading_like and any(owns[kid].kind == "paper" for kid in kids)


def _settle(node: ItemNode, own: OwnRole, category: bool, settled: list[Settled]) -> Settled:
    if node.quoted:
        return Settled("skipped", QUOTED)
    index = node.parent
    parent = settled[index] if index is not None else None
    if parent is not None and parent.role == "paper":
        return Settled("note", paper=index, metadata=own.kind == "metadata")
    if parent is not None and parent.role == "note":
        return Settled("note", paper=parent.paper)
    if category:
        return Settled("category")
    under_skip = parent is not None and parent.role in ("skipped", "warning")
    if own.kind == "paper" and (own.evidence or not under_skip):
        return Settled("paper")
    if under_skip and own.kind in ("paper", "metadata", "container"):
        return Settled("skipped", UNDER_SKIPPED)
    if own.kind == "skipped":
        return Settled("skipped", own.reason)
    return Settled("warning", own.reason or EMPTY_ITEM)
