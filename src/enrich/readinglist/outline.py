"""The shape of a Markdown list: its list items and table rows, where each sits.

One pass over markdown-it's block tokens gives every list item (at any depth, with its
parent), every table, and for each the heading it sits under (its section) and what the
headings above it say about venue and year. What an item's text means is read later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token

from enrich.readinglist.headings import NO_CONTEXT, Context, heading_context
from enrich.readinglist.mdtokens import Inline, block_chunks, read_inline

ItemShape = Literal["text", "empty", "list", "other"]
"""What an item starts with: text, nothing, a nested list, or a block that is not text."""


@dataclass(frozen=True, slots=True)
class ItemNode:
    """One list item, in document order."""

    line: int
    parent: int | None
    """Index of the item this one is nested in."""
    shape: ItemShape
    inline: Inline
    """The item's own text (its first paragraph); empty unless shape is "text"."""
    section: str | None
    context: Context
    quoted: bool
    """Inside a blockquote."""


@dataclass(frozen=True, slots=True)
class TableRow:
    line: int
    cells: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class TableNode:
    """One table: its header cells and body rows."""

    header: tuple[Inline, ...]
    rows: tuple[TableRow, ...]
    section: str | None
    context: Context
    quoted: bool


@dataclass(frozen=True, slots=True)
class Outline:
    items: tuple[ItemNode, ...]
    tables: tuple[TableNode, ...]


_TEXT_BLOCKS = ("paragraph_open", "heading_open")
_LISTS = ("bullet_list_open", "ordered_list_open")


def read_outline(text: str, this_year: int | None = None) -> Outline:
    """Every list item and table of a Markdown document, with their headings."""
    reader = _OutlineReader(this_year)
    for offset, tokens in block_chunks(text):
        reader.read(tokens, offset)
    return Outline(tuple(reader.items), tuple(reader.tables))


class _OutlineReader:
    """The walk over the block tokens; headings carry over from one chunk to the next."""

    def __init__(self, this_year: int | None) -> None:
        self.this_year = this_year
        self.items: list[ItemNode] = []
        self.tables: list[TableNode] = []
        self.headings: list[tuple[int, str, Context]] = []
        self.place: tuple[str | None, Context] = (None, NO_CONTEXT)
        """The section and context of the open headings, for every item until the next."""

    def read(self, tokens: list[Token], offset: int) -> None:
        open_items: list[int] = []
        quotes = 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "blockquote_open":
                quotes += 1
            elif kind == "blockquote_close":
                quotes -= 1
            elif kind == "heading_open" and token.level == 0:
                self._heading(int(token.tag[1:]), heading_text(read_inline(tokens[index + 1])))
            elif kind == "list_item_open":
                section, context = self.place
                shape, inline = _item_start(tokens, index)
                parent = open_items[-1] if open_items else None
                line = offset + (token.map or [0])[0] + 1
                node = ItemNode(line, parent, shape, inline, section, context, quotes > 0)
                self.items.append(node)
                open_items.append(len(self.items) - 1)
            elif kind == "list_item_close" and open_items:
                open_items.pop()
            elif kind == "table_open":
                section, context = self.place
                index, header, rows = _read_table(tokens, index, offset)
                self.tables.append(TableNode(header, rows, section, context, quotes > 0))
            index += 1

    def _heading(self, level: int, title: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title, heading_context(title, self.this_year)))
        self.place = _where(self.headings)


def heading_text(inline: Inline) -> str:
    """A heading (or a category item) as a section name: plain text, no trailing colon."""
    return inline.text.strip().rstrip(":：").strip()


def _where(headings: list[tuple[int, str, Context]]) -> tuple[str | None, Context]:
    """The innermost heading's text, and what all the open headings say together."""
    context = NO_CONTEXT
    for _, _, own in headings:
        context = own.within(context)
    return (headings[-1][1] or None) if headings else None, context


def _item_start(tokens: list[Token], index: int) -> tuple[ItemShape, Inline]:
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or following.type == "list_item_close":
        return "empty", read_inline(None)
    if following.type in _TEXT_BLOCKS:
        return "text", read_inline(tokens[index + 2])
    return ("list" if following.type in _LISTS else "other"), read_inline(None)


def _read_table(
    tokens: list[Token], index: int, offset: int
) -> tuple[int, tuple[Inline, ...], tuple[TableRow, ...]]:
    """The table opening at `index`: (index of its close, header cells, body rows)."""
    header: list[Inline] = []
    rows: list[TableRow] = []
    cells: list[Inline] = []
    line = 0
    in_body = False
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            cells, line = [], offset + (token.map or [0])[0] + 1
        elif token.type == "inline":
            cells.append(read_inline(token))
        elif token.type == "tr_close":
            if in_body:
                rows.append(TableRow(line, tuple(cells)))
            else:
                header = cells
        index += 1
    return index, tuple(header), tuple(rows)
