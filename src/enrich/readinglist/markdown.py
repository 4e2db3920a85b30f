"""Reading a Markdown reading list: papers are list items, sections are headings.

Everything that is not a paper is passed over on purpose: YAML front matter, [TOC]
markers, blockquotes, HTML comments, code blocks, rules and prose. A nested item
under a paper is a note about it; a nested item under an unlabelled item whose
children carry labels makes that item a category (a section of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from enrich.models import Entry
from enrich.readinglist.inline import strip_markdown
from enrich.readinglist.labels import split_label
from enrich.readinglist.model import ParsedItems, ParseWarning
from enrich.readinglist.paperline import read_paper_line

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*))?$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TOC = re.compile(r"^\s*(?:\[TOC\]|\[\[_?TOC_?\]\]|\$\{toc\})\s*$", re.IGNORECASE)
_BLOCKQUOTE = re.compile(r"^ {0,3}>")
_FRONT_MATTER_END = ("---", "...")


@dataclass
class _Item:
    """A list item as first read; its role is settled by its parent's and its own label."""

    line: int
    indent: int
    text: str
    section: str | None
    parent: _Item | None
    role: str = "paper"  # "paper", "note" or "category"


def parse_markdown(text: str, file: str, this_year: int | None = None) -> ParsedItems:
    """Every list item that names a paper, in order, with its section."""
    items, empty_bullets = _read_items(text.splitlines())
    warnings = [ParseWarning(file, line, "empty list item") for line in empty_bullets]
    entries: list[Entry] = []
    for item in items:
        _settle_role(item)
    for item in items:
        if item.role != "paper":
            continue
        section = _plain(item.parent.text) if item.parent else item.section
        read = read_paper_line(item.text, file, item.line, section, this_year)
        if isinstance(read, ParseWarning):
            warnings.append(read)
        else:
            entries.append(read)
    warnings.sort(key=lambda warning: warning.line)
    return ParsedItems(tuple(entries), tuple(warnings))


def _read_items(lines: list[str]) -> tuple[list[_Item], list[int]]:
    """First pass: list items with their nesting, continuation lines joined."""
    items: list[_Item] = []
    empty_bullets: list[int] = []
    open_items: list[_Item] = []  # the chain of items the next one may nest under
    section: str | None = None
    fence: str | None = None
    in_comment = False
    continues: _Item | None = None  # the item a following indented line would continue
    previous_paragraph: str | None = None  # a line a setext underline would make a heading
    front_matter = _front_matter_length(lines)
    for number, raw in enumerate(lines, start=1):
        if number <= front_matter:
            continue
        if fence:
            if raw.strip().startswith(fence):
                fence = None
            continue
        line, in_comment = _without_comments(raw, in_comment)
        stripped = line.strip()
        opening = _FENCE.match(line)
        if opening:
            fence, continues, previous_paragraph = opening.group(1)[:3], None, None
            continue
        if not stripped or _TOC.match(line) or _BLOCKQUOTE.match(line):
            continues, previous_paragraph = None, None
            continue
        if previous_paragraph is not None and _SETEXT_UNDERLINE.match(line):
            section, open_items, previous_paragraph = _plain(previous_paragraph), [], None
            continue
        heading = _HEADING.match(line)
        if heading:
            section, open_items, continues = _plain(heading.group("text") or ""), [], None
            previous_paragraph = None
            continue
        if _RULE.match(line):
            continues, previous_paragraph = None, None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            indent = len(bullet.group("indent").expandtabs(4))
            if not (bullet.group("text") or "").strip():
                empty_bullets.append(number)
                continues = None
                continue
            while open_items and open_items[-1].indent >= indent:
                open_items.pop()
            parent = open_items[-1] if open_items else None
            item = _Item(number, indent, bullet.group("text"), section, parent)
            items.append(item)
            open_items.append(item)
            continues, previous_paragraph = item, None
            continue
        indent = len(line[: len(line) - len(line.lstrip())].expandtabs(4))
        if continues is not None and indent > continues.indent:
            continues.text += " " + stripped
            continue
        if indent == 0:
            open_items = []
        continues, previous_paragraph = None, stripped
    return items, empty_bullets


def _settle_role(item: _Item) -> None:
    """Decide whether a nested item is a note, or its parent a category of papers."""
    parent = item.parent
    if parent is None:
        return
    if parent.role == "category":
        item.role = "paper"
    elif parent.role == "paper" and not _has_label(parent.text) and _has_label(item.text):
        parent.role = "category"
        item.role = "paper"
    else:
        item.role = "note"


def _has_label(text: str) -> bool:
    return split_label(strip_markdown(text)[0])[0] is not None


def _plain(heading: str) -> str:
    """A heading in plain text: no #, emphasis, links or trailing colon."""
    return strip_markdown(heading)[0].strip().rstrip(":").strip()


def _front_matter_length(lines: list[str]) -> int:
    """How many leading lines are YAML front matter (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in _FRONT_MATTER_END:
            return number
    return 0


def _without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line with HTML comments removed; whether a comment is still open after it."""
    kept: list[str] = []
    position = 0
    while position < len(line):
        if in_comment:
            end = line.find("-->", position)
            if end < 0:
                return "".join(kept), True
            position, in_comment = end + 3, False
        else:
            start = line.find("<!--", position)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            position, in_comment = start + 4, True
    return "".join(kept), in_comment
