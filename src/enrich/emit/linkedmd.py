"""The reading list given back enriched, as Markdown (`<name>.linked.md`).

The input's own text, line for line: the same headings, order and wording, every line
that is not a matched paper's first line byte for byte. On that line the title as written
becomes a link to the published version (`primary_url`), followed by short links
(` [PDF](…) [arXiv](…) [DBLP](…)`) and, when asked, ` — authors · venue year · N
citations`. Papers not matched are left as written.

Where the title is on the line is found in the line's own Markdown: the title the parser
reports has lost its emphasis, escapes and entities, so the line is read as a sequence of
visible characters that remembers where each came from, and the title is matched against
it (exactly, then ignoring case), markup being skipped; emphasis, code ticks and tags at
its edges are taken into the link when that is what keeps them balanced. Every edit is
then checked by parsing the text before and after with markdown-it (CommonMark + GFM
tables and strikethrough): every character keeps its text and emphasis, the title's
characters now sit in one link to the expected URL (with its HTML tags balanced inside),
and the appended links parse as appended. An edit that does not pass is not made: the line
keeps its text and gets the links at its end, the published version's among them
("[DOI]", "[arXiv]" or "[paper]"), and a line where even that does not parse as expected
is left as it was. When the title is not on the line at all, links are appended only if
the line holds most of the title's words (so a record never edits a line that is not its
paper's). Lines in code blocks, HTML blocks and front matter are never edited.

A title that is already a link keeps the user's link when it is http(s) (the published
version then gets a short link of its own if it differs); a link to anything else
(`javascript:`, a relative path) has its destination replaced by the published version.
Inserted text is escaped: link destinations are percent-encoded where Markdown would read
them (written in <…> when they hold parentheses), details are backslash-escaped.

Re-running over its own output with the same records changes nothing: the title link it
wrote is now an http(s) link the line has, and the short links and details it appended
are recognised at the end of the line and rewritten instead of appended again (a short
link counts as its own when it has one of its labels and one of the record's URLs; any
other link, even "[PDF](…)", is the user's and is kept). Pure and deterministic: the same
records and input give the same bytes.
"""

from __future__ import annotations

import functools
import html.entities
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple
from urllib.parse import quote

from markdown_it import MarkdownIt

from enrich.emit.fields import author_names, primary_url, short_venue, year_of
from enrich.models import EnrichedRecord
from enrich.text import clean_text, normalize_title
from enrich.urls import safe_url

__all__ = ["SHORT_LABELS", "render_linked_markdown"]

SHORT_LABELS = ("DOI", "paper", "PDF", "arXiv", "DBLP", "code")
"""The labels of the short links this module writes, and recognises when it re-runs.

"DOI"/"paper" carry the published version only when the title itself could not be
linked to it; "code" is written only for a record that holds a code link (none does yet).
"""
_SHOWN_AUTHORS = 3
"""Authors shown in the details before "et al."."""
_MIN_WORD_OVERLAP = 0.5
"""Share of the title's words a line must hold for links to be appended when the title
itself is not found on it (a guard against a record pointing at the wrong line)."""

_NEWLINE = re.compile(r"(\r\n|\r|\n)")
"""Line breaks as markdown-it counts them (its `map` line numbers)."""
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_HTML_TAG = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?|/[A-Za-z][A-Za-z0-9-]*\s*|!--.*?--|\?.*?\?|![A-Za-z][^>]*|!\[CDATA\[.*?\]\])>"
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<]*", re.IGNORECASE)
_SHORT_TAIL = re.compile(
    r" \[(" + "|".join(SHORT_LABELS) + r")\]"
    r"\((<[^<>\n]*>|[^\s<>()]*(?:\([^\s<>()]*\)[^\s<>()]*)*)\)$"
)
_DETAILS_TEXT = re.compile(r"(?:\\.|[^\\\[\]])+")
"""What the details can be: no unescaped bracket (so no link)."""
_CITATIONS_PART = re.compile(r"(?:^| · )\d+ citations?$")
_DETAILS_ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")
_DESTINATION_ENCODE = {
    " ": "%20",
    "<": "%3C",
    ">": "%3E",
    "|": "%7C",
    "`": "%60",
    "[": "%5B",
    "]": "%5D",
}
"""Characters a URL cannot hold as they are and that Markdown would read, percent-encoded
as a browser encodes them (so the href markdown-it gives is the URL's own)."""


def render_linked_markdown(
    records: Sequence[EnrichedRecord], input_text: str, *, details: bool = False
) -> str:
    """The input list with each matched paper's title linked and its short links appended.

    `records` are one list's records (any order); `input_text` is that list's text, whose
    line numbers the records' `entry.lines` name. With `details`, each matched paper's
    line also ends in " — first three authors et al. · venue year · N citations".
    """
    pieces = _NEWLINE.split(input_text)
    lines, endings = pieces[0::2], [*pieces[1::2], ""]
    env: dict[str, Any] = {}
    segments = _segments(lines, env)
    done: set[int] = set()
    for record in records:
        if record.match.status != "matched" or not record.entry.lines:
            continue
        number = record.entry.lines[0]
        if number in done or not 1 <= number <= len(lines) or number not in segments:
            continue
        done.add(number)
        line = lines[number - 1]
        lines[number - 1] = _link_line(line, segments[number], record, details, env)
    return "".join(line + ending for line, ending in zip(lines, endings, strict=True))


# --- where a line's inline text is ------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """One stretch of a line that markdown-it reads as inline text (a paragraph's line,
    a heading's text, a table cell), by offsets in the line."""

    start: int
    end: int
    hard_break: bool = False
    """The line ends the segment with a backslash hard break (not the paragraph's last)."""


@functools.cache
def _markdown() -> MarkdownIt:
    """CommonMark with GFM's tables and strikethrough, as GitHub reads a file.

    Every link destination is accepted: a `javascript:` link is still a link the user
    wrote, to be recognised (and replaced), not text.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _segments(lines: list[str], env: dict[str, Any]) -> dict[int, tuple[_Segment, ...]]:
    """1-based line number -> the inline segments on it; lines with none are never edited
    (code blocks, HTML blocks, front matter, blank lines, a table's delimiter row). `env`
    receives the document's link reference definitions, which decide what "[Title][ref]"
    is."""
    found: dict[int, list[_Segment]] = {}
    in_table = False
    for token in _markdown().parse(_without_front_matter(lines), env):
        if token.type == "table_open":
            in_table = True
        elif token.type == "table_close":
            in_table = False
        elif token.type == "tr_open" and token.map:
            row = token.map[0]
            if row < len(lines):
                found.setdefault(row + 1, []).extend(_cells(lines[row]))
        elif token.type == "inline" and token.map and not in_table:
            parts = token.content.split("\n")
            for offset, part in enumerate(parts):
                row = token.map[0] + offset
                core = part.strip()
                if not core or row >= len(lines):
                    continue
                start = lines[row].rfind(core)
                if start < 0:
                    continue
                hard = offset < len(parts) - 1 and _odd_backslashes(core)
                found.setdefault(row + 1, []).append(_Segment(start, start + len(core), hard))
    return {number: tuple(segments) for number, segments in found.items()}


def _without_front_matter(lines: list[str]) -> str:
    """The document as markdown-it should read it: a byte-order mark dropped and YAML front
    matter ("---" on the first line, to "---" or "...") blanked, line numbers kept, as the
    reading-list parser reads it (its lines are never papers)."""
    source = list(lines)
    if source:
        source[0] = source[0].removeprefix("\ufeff")
    if source and source[0].rstrip() == "---":
        for number, line in enumerate(source[1:], start=2):
            if line.rstrip() in ("---", "..."):
                source[:number] = [""] * number
                break
    return "\n".join(source)


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _cells(line: str) -> list[_Segment]:
    """A GFM table row's cells, split at the pipes no backslash escapes."""
    pipes = [i for i, ch in enumerate(line) if ch == "|" and not _escaped(line, i)]
    bounds = [-1, *pipes, len(line)]
    cells = []
    for left, right in itertools.pairwise(bounds):
        raw = line[left + 1 : right]
        core = raw.strip()
        if core:
            start = left + 1 + (len(raw) - len(raw.lstrip()))
            cells.append(_Segment(start, start + len(core)))
    return cells


def _escaped(text: str, index: int) -> bool:
    slashes = 0
    while index - slashes - 1 >= 0 and text[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


# --- one line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What a matched paper's line should get."""

    title_url: str | None
    """The published version's link (http(s)), or None."""
    title_label: str
    """The short link's label for it when the title itself cannot carry it."""
    short: tuple[tuple[str, str], ...]
    """(label, url) in order: PDF, arXiv, DBLP, code; each http(s)."""
    details: str | None
    """The Markdown of the details, escaped, or None."""
    known: frozenset[str] = field(default_factory=frozenset)
    """The URLs this module links for the record, in every spelling a link of ours has:
    what marks a short link at the end of a line as one an earlier run appended."""
    env: Mapping[str, Any] = field(default_factory=dict)
    """The document's markdown-it environment (its link reference definitions)."""


def _link_line(
    line: str,
    segments: tuple[_Segment, ...],
    record: EnrichedRecord,
    details: bool,
    env: Mapping[str, Any],
) -> str:
    """A matched paper's first line, its title linked and its short links appended."""
    title = " ".join(record.entry.title.split())
    if not title:
        return line
    plan = _plan(record, details, env)
    found = [(segment, _Body(line, segment)) for segment in segments]
    for segment, body in found:
        if _spans(body.stripped(plan), title, record.entry.label):
            return _edit(line, segment, body, plan, title, record.entry.label, spanned=True)
    # The title is on no segment as written: append the links where most of its words are.
    best = max(found, key=lambda item: _overlap(title, item[1].text), default=None)
    if best is None or _overlap(title, best[1].text) < _MIN_WORD_OVERLAP:
        return line
    return _edit(line, best[0], best[1], plan, title, record.entry.label, spanned=False)


class _Body:
    """A segment's text up to where links are appended (before a hard-break backslash)."""

    def __init__(self, line: str, segment: _Segment) -> None:
        end = segment.end - 1 if segment.hard_break else segment.end
        self.text = line[segment.start : end]
        self.tail = line[end : segment.end]

    def stripped(self, plan: _Plan) -> str:
        return _strip_ours(self.text, plan)


def _edit(
    line: str,
    segment: _Segment,
    body: _Body,
    plan: _Plan,
    title: str,
    label: str | None,
    *,
    spanned: bool,
) -> str:
    """The line with its segment rewritten, or the line as it was when no rewrite checks."""
    text = body.stripped(plan)
    old = _flatten(text, plan.env)
    new_text = _rewrite(text, old, plan, title, label) if spanned else None
    if new_text is None:
        new_text = _append_checked(text, old, plan)
    if new_text is None:
        return line
    return line[: segment.start] + new_text + body.tail + line[segment.end :]


def _rewrite(text: str, old: list[_Item], plan: _Plan, title: str, label: str | None) -> str | None:
    """The segment with its title linked (or its link kept) and the links appended."""
    spans = _spans(text, title, label)
    linked = _linked_run(old, title)
    if linked is not None:
        if safe_url(linked):
            return _append_checked(text, old, plan)
        if not plan.title_url:
            return None
        for span in spans:
            link = span.link
            if link is None:
                continue
            candidate = text[: link.dest_start] + f"({_destination(plan.title_url)})"
            candidate += text[link.end :]
            checked = _checked(old, candidate, plan, title)
            if checked is not None:
                return checked
        return None
    if not plan.title_url:
        return None
    for span in spans:
        if span.link is not None:
            continue
        for start, end in span.candidates:
            inner = _escape_brackets(text, start, end, span.brackets)
            candidate = f"{text[:start]}[{inner}]({_destination(plan.title_url)}){text[end:]}"
            checked = _checked(old, candidate, plan, title)
            if checked is not None:
                return checked
    return None


def _append_checked(text: str, old: list[_Item], plan: _Plan) -> str | None:
    """The segment with only the short links (and details) appended, checked."""
    return _checked(old, text, plan, title=None)


def _checked(old: list[_Item], candidate: str, plan: _Plan, title: str | None) -> str | None:
    """`candidate` with the links appended, when markdown-it reads it as intended.

    `title` is given when `candidate` links it to the published version; else that link
    leads the short links (labelled DOI, arXiv or paper) unless the line already has it.
    A link whose URL is already on the line is not repeated.
    """
    title_href = _normalize_link(plan.title_url) if title and plan.title_url else None
    present = {item.href for item in old if item.href}
    if title_href:
        present.add(title_href)
    links = list(plan.short)
    if plan.title_url and not title_href:
        links.insert(0, (plan.title_label, plan.title_url))
    appended: list[tuple[str, str]] = []
    for label, url in links:
        href = _normalize_link(url)
        if href not in present:
            present.add(href)
            appended.append((label, url))
    suffix = "".join(f" [{label}]({_destination(url)})" for label, url in appended)
    expected: list[tuple[str, str | None]] = []
    for label, url in appended:
        expected.append((" ", None))
        expected.extend((ch, _normalize_link(url)) for ch in label)
    if plan.details:
        suffix += f" — {plan.details}"
        expected.extend((ch, None) for ch in " — " + _unescape(plan.details))
    written = candidate + suffix
    if _verify(old, _flatten(written, plan.env), title, title_href, expected):
        return written
    return None


def _linked_run(old: list[_Item], title: str) -> str | None:
    """The href of the link whose text holds the title, if the title is already linked."""
    want = " ".join(title.split()).casefold()
    texts: dict[int, list[str]] = {}
    hrefs: dict[int, str] = {}
    for item in old:
        if item.link >= 0:
            texts.setdefault(item.link, []).append(item.char)
            hrefs[item.link] = item.href or ""
    for link, chars in texts.items():
        if want in " ".join("".join(chars).split()).casefold():
            return hrefs[link]
    return None


# --- finding the title --------------------------------------------------------------------


class _Tok(NamedTuple):
    """One piece of a segment as it shows: a visible character, a space, or markup."""

    kind: str
    """"text", "space", "mark" (emphasis, code ticks: skippable or literal), "html"
    (skippable), "edge" (a link's brackets and destination, an autolink, an image, a
    URL: a title never crosses one)."""
    char: str
    start: int
    end: int
    bracket: bool = False
    """A literal "[" or "]" (to be escaped inside a new link's text)."""
    link: int = -1
    """Index of the inline link whose text holds it, else -1."""


@dataclass(frozen=True)
class _RawLink:
    """An inline link `[text](dest)` by offsets: text is text_start..text_end."""

    start: int
    text_start: int
    text_end: int
    dest_start: int
    end: int


@dataclass(frozen=True)
class _Span:
    """A place the title was found, with the raw ranges to try linking."""

    candidates: tuple[tuple[int, int], ...]
    brackets: tuple[int, ...]
    """Offsets of literal brackets inside the span."""
    link: _RawLink | None
    """The inline link whose text holds the span, if any."""


def _spans(text: str, title: str, label: str | None) -> list[_Span]:
    """Every place the title is in `text`: exact first, then ignoring case; not in the label."""
    tokens, links = _project(text)
    avoid = (-1, -1)
    if label:
        at = text.find(label)
        if at >= 0:
            avoid = (at, at + len(label))
    found: list[_Span] = []
    seen: set[tuple[int, int]] = set()
    for fold in (False, True):
        if fold and found:
            break  # the title as written is there: a case-folded match is not wanted
        for first, token in enumerate(tokens):
            if not _same(token.char, title[0], fold):
                continue
            matched = _match_at(tokens, first, title, fold)
            if matched is None:
                continue
            last = matched
            start, end = tokens[first].start, tokens[last].end
            if (start, end) in seen or (start < avoid[1] and avoid[0] < end):
                continue
            seen.add((start, end))
            inside = {tokens[i].link for i in range(first, last + 1)}
            if len(inside) != 1:
                continue  # part in a link, part not: linking it would nest links
            link = links[inside.pop()] if tokens[first].link >= 0 else None
            found.append(_Span(_widened(tokens, first, last), _brackets(tokens, first, last), link))
    return found


def _match_at(tokens: list[_Tok], first: int, title: str, fold: bool) -> int | None:
    """Index of the last token when the title matches from token `first`, else None."""
    if tokens[first].kind != "text":
        return None
    j, last = first, None
    for ch in title:
        if ch == " ":
            saw_space = False
            while j < len(tokens) and tokens[j].kind in ("space", "mark", "html"):
                saw_space = saw_space or tokens[j].kind == "space"
                j += 1
            if not saw_space:
                return None
            continue
        while j < len(tokens):
            token = tokens[j]
            if token.kind == "text" or (token.kind == "mark" and token.char == ch):
                break
            if token.kind not in ("mark", "html"):
                return None
            j += 1
        if j >= len(tokens) or not _same(tokens[j].char, ch, fold):
            return None
        last, j = j, j + 1
    return last


def _same(a: str, b: str, fold: bool) -> bool:
    return a == b or (fold and a.casefold() == b.casefold())


_WIDENING = ("mark", "html")
"""What a span may take in from its sides: emphasis, code ticks, HTML tags."""


def _widened(tokens: list[_Tok], first: int, last: int) -> tuple[tuple[int, int], ...]:
    """The span as matched, then taking the emphasis, code ticks and tags right before and
    after it (`*HetPipe*: ...` must be linked whole), in the order to try."""
    left, home = first, tokens[first].link
    while left > 0 and tokens[left - 1].kind in _WIDENING and tokens[left - 1].link == home:
        left -= 1
    right = last
    while (
        right + 1 < len(tokens)
        and tokens[right + 1].kind in _WIDENING
        and tokens[right + 1].link == tokens[last].link
    ):
        right += 1
    start, end = tokens[first].start, tokens[last].end
    wide_start, wide_end = tokens[left].start, tokens[right].end
    options = [(start, end), (wide_start, end), (start, wide_end), (wide_start, wide_end)]
    return tuple(dict.fromkeys(options))


def _brackets(tokens: list[_Tok], first: int, last: int) -> tuple[int, ...]:
    return tuple(t.start for t in tokens[first : last + 1] if t.bracket)


def _escape_brackets(text: str, start: int, end: int, brackets: tuple[int, ...]) -> str:
    """text[start:end] with its literal brackets backslash-escaped (link text must not
    hold an unbalanced bracket, nor "[x]" read as a reference)."""
    out, at = [], start
    for index in brackets:
        if start <= index < end:
            out.append(text[at:index] + "\\")
            at = index
    out.append(text[at:end])
    return "".join(out)


def _project(text: str) -> tuple[list[_Tok], list[_RawLink]]:
    """The segment as visible characters and markup, each with its offsets."""
    tokens: list[_Tok] = []
    links: list[_RawLink] = []
    open_links: list[tuple[int, _RawLink]] = []  # (index in links, link) whose text we are in
    i, n = 0, len(text)
    while i < n:
        while open_links and i >= open_links[-1][1].text_end:
            _, link = open_links.pop()
            tokens.append(_Tok("edge", "", link.text_end, link.end, link=_current(open_links)))
            i = link.end
        if i >= n:
            break
        inside = _current(open_links)
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in _ASCII_PUNCTUATION:
            tokens.append(_Tok("text", text[i + 1], i, i + 2, link=inside))
            i += 2
            continue
        if ch == "&" and (entity := _ENTITY.match(text, i)):
            for decoded in _decode_entity(entity):
                kind = "space" if decoded.isspace() else "text"
                tokens.append(_Tok(kind, decoded, i, entity.end(), link=inside))
            i = entity.end()
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = _closing_ticks(text, i + run, run)
            if close is None:
                for k in range(run):
                    tokens.append(_Tok("text", "`", i + k, i + k + 1, link=inside))
                i += run
                continue
            tokens.append(_Tok("mark", "`", i, i + run, link=inside))
            for k in range(i + run, close):
                kind = "space" if text[k].isspace() else "text"
                tokens.append(_Tok(kind, text[k], k, k + 1, link=inside))
            tokens.append(_Tok("mark", "`", close, close + run, link=inside))
            i = close + run
            continue
        if ch in "*_~":
            tokens.append(_Tok("mark", ch, i, i + 1, link=inside))
            i += 1
            continue
        if ch == "<":
            edge = _AUTOLINK.match(text, i)
            if edge:
                tokens.append(_Tok("edge", "", i, edge.end(), link=inside))
                i = edge.end()
                continue
            tag = _HTML_TAG.match(text, i)
            if tag:
                tokens.append(_Tok("html", "", i, tag.end(), link=inside))
                i = tag.end()
                continue
        if ch == "!" and text.startswith("[", i + 1) and (image := _raw_link(text, i + 1)):
            tokens.append(_Tok("edge", "", i, image.end, link=inside))
            i = image.end
            continue
        if ch == "[" and (link := _raw_link(text, i)):
            links.append(link)
            open_links.append((len(links) - 1, link))
            tokens.append(_Tok("edge", "", i, i + 1, link=inside))
            i += 1
            continue
        if (
            ch in "hHwW"
            and (url := _BARE_URL.match(text, i))
            and (i == 0 or not text[i - 1].isalnum())
        ):
            tokens.append(_Tok("edge", "", i, url.end(), link=inside))
            i = url.end()
            continue
        kind = "space" if ch.isspace() else "text"
        tokens.append(_Tok(kind, ch, i, i + 1, bracket=ch in "[]", link=inside))
        i += 1
    while open_links:
        _, link = open_links.pop()
        tokens.append(_Tok("edge", "", link.text_end, link.end, link=_current(open_links)))
    return tokens, links


def _current(open_links: list[tuple[int, _RawLink]]) -> int:
    return open_links[-1][0] if open_links else -1


def _decode_entity(match: re.Match[str]) -> str:
    hex_digits, digits, name = match.groups()
    if name is not None:
        return html.entities.html5.get(name + ";", match.group(0))
    code = int(hex_digits, 16) if hex_digits is not None else int(digits)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _closing_ticks(text: str, start: int, run: int) -> int | None:
    """Where the code span opened by `run` backticks closes (a run of exactly as many)."""
    i = start
    while (i := text.find("`" * run, i)) >= 0:
        length = len(text[i:]) - len(text[i:].lstrip("`"))
        if length == run:
            return i
        i += length
    return None


def _raw_link(text: str, start: int) -> _RawLink | None:
    """The inline link `[text](dest "title")` opening at `start`, if one does."""
    depth, i, n = 0, start, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = _closing_ticks(text, i + run, run)
            i = close + run if close is not None else i + run
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    else:
        return None
    text_end = i
    if not text.startswith("(", text_end + 1):
        return None
    end = _destination_end(text, text_end + 2)
    if end is None:
        return None
    return _RawLink(start, start + 1, text_end, text_end + 1, end)


def _destination_end(text: str, i: int) -> int | None:
    """The offset after the ")" closing a link's destination and title that start at i."""
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == "<":
        i += 1
        while i < n and text[i] != ">":
            if text[i] == "<":
                return None
            i += 2 if text[i] == "\\" else 1
        i += 1
    else:
        depth = 0
        while i < n and not text[i].isspace() and ord(text[i]) >= 0x20:
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] in "\"'(":
        closer = ")" if text[i] == "(" else text[i]
        i += 1
        while i < n and text[i] != closer:
            i += 2 if text[i] == "\\" else 1
        i += 1
        while i < n and text[i] in " \t":
            i += 1
    if i < n and text[i] == ")":
        return i + 1
    return None


def _overlap(title: str, text: str) -> float:
    """The share of the title's words that the text holds."""
    words = set(normalize_title(title).split())
    if not words:
        return 0.0
    return len(words & set(normalize_title(text).split())) / len(words)


# --- checking an edit with markdown-it ------------------------------------------------------


class _Item(NamedTuple):
    """One visible character (or an HTML tag, an image) of parsed inline text."""

    char: str
    style: tuple[int, int, int, bool]
    """(strong depth, emphasis depth, strikethrough depth, in code)."""
    link: int
    """Which link it is in (per parse), -1 for none."""
    href: str | None


def _flatten(text: str, env: Mapping[str, Any]) -> list[_Item]:
    """The inline text as markdown-it reads it: characters with their emphasis and link."""
    parsed = _markdown().parseInline(text, dict(env))
    children = (parsed[0].children or []) if parsed else []
    strong = em = strike = 0
    link, href, links = -1, None, 0
    items: list[_Item] = []
    for token in children:
        kind = token.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "s_open":
            strike += 1
        elif kind == "s_close":
            strike -= 1
        elif kind == "link_open":
            links += 1
            link, href = links, str(token.attrGet("href") or "")
        elif kind == "link_close":
            link, href = -1, None
        elif kind in ("text", "code_inline"):
            style = (strong, em, strike, kind == "code_inline")
            items.extend(_Item(ch, style, link, href) for ch in token.content)
        elif kind in ("softbreak", "hardbreak"):
            items.append(_Item("\n", (strong, em, strike, False), link, href))
        else:
            marker = f"\0{kind}\0{token.content}\0{token.attrGet('src') or ''}"
            items.append(_Item(marker, (strong, em, strike, False), link, href))
    return items


def _verify(
    old: list[_Item],
    new: list[_Item],
    title: str | None,
    title_href: str | None,
    appended: list[tuple[str, str | None]],
) -> bool:
    """True when `new` reads as `old` with only the title's link and the appended links.

    Every old character keeps its place, text and emphasis; the characters whose link
    changed are one run, all in one new link to `title_href`, and hold the title; after
    them come exactly the appended characters, plain, each in its expected link.
    """
    if len(new) != len(old) + len(appended):
        return False
    changed = []
    for index, (before, after) in enumerate(zip(old, new, strict=False)):
        if before.char != after.char or before.style != after.style:
            return False
        if before.href != after.href or (before.link < 0) != (after.link < 0):
            changed.append(index)
    if title_href is None:
        if changed:
            return False
    else:
        if not changed or changed[-1] - changed[0] + 1 != len(changed):
            return False
        link = new[changed[0]].link
        if link < 0 or any(new[i].link != link or new[i].href != title_href for i in changed):
            return False
        run = range(changed[0], changed[-1] + 1)
        if any(item.link == link for i, item in enumerate(new) if i not in run):
            return False
        chars = [new[i].char for i in changed]
        shown = " ".join("".join(c for c in chars if not c.startswith("\0")).split())
        if title is None or " ".join(title.split()).casefold() not in shown.casefold():
            return False
        if not _balanced_tags(c for c in chars if c.startswith("\0html_inline\0")):
            return False
    plain = (0, 0, 0, False)
    links_seen: dict[int, str | None] = {}
    for item, (char, href) in zip(new[len(old) :], appended, strict=True):
        if item.char != char or item.href != href or item.style != plain:
            return False
        if item.link >= 0 and links_seen.setdefault(item.link, href) != href:
            return False
    return True


def _balanced_tags(markers: Iterable[str]) -> bool:
    """True when the HTML tags among a link's text open and close inside it."""
    stack: list[str] = []
    for marker in markers:
        tag = _TAG_NAME.match(marker.split("\0")[2])
        if not tag or tag.group(0).endswith("/>") or tag.group(2).lower() in _VOID_TAGS:
            continue
        name = tag.group(2).lower()
        if not tag.group(1):
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


# --- what to write ----------------------------------------------------------------------------


def _plan(record: EnrichedRecord, details: bool, env: Mapping[str, Any]) -> _Plan:
    """What the record's line gets. The title's link is the published version; the list's
    own link (`entry.url`, which `primary_url` falls back to) stays where the list has it,
    never copied onto the title: a re-run over this output, whose first link after a plain
    title is a short link, would otherwise move that link onto the title."""
    title_url = safe_url(primary_url(replace(record, entry=replace(record.entry, url=None))))
    if title_url is None and record.doi:
        title_url = safe_url(f"https://doi.org/{quote(record.doi)}")
    arxiv = safe_url(record.urls.arxiv) or (
        safe_url(f"https://arxiv.org/abs/{quote(record.ids.arxiv)}") if record.ids.arxiv else None
    )
    short = [
        ("PDF", safe_url(record.urls.pdf)),
        ("arXiv", arxiv),
        ("DBLP", safe_url(record.urls.dblp)),
    ]
    if title_url and (record.doi and title_url == _doi_url(record)):
        title_label = "DOI"
    elif title_url and title_url == arxiv:
        title_label = "arXiv"
    else:
        title_label = "paper"
    every = [title_url, *(url for _, url in short)]
    known = frozenset(
        form for url in every if url for form in (url, _encoded(url), _normalize_link(url))
    )
    return _Plan(
        title_url=title_url,
        title_label=title_label,
        short=tuple((label, url) for label, url in short if url),
        details=_details(record) if details else None,
        known=known,
        env=env,
    )


def _doi_url(record: EnrichedRecord) -> str | None:
    return safe_url(record.urls.doi) or (
        safe_url(f"https://doi.org/{quote(record.doi)}") if record.doi else None
    )


def _details(record: EnrichedRecord) -> str | None:
    """ "A, B, C et al. · SOSP 2023 · 123 citations", Markdown-escaped; None when empty."""
    parts = []
    names = [name for name in (clean_text(a) for a in author_names(record)) if name]
    if names:
        shown = ", ".join(names[:_SHOWN_AUTHORS])
        parts.append(shown + (" et al." if len(names) > _SHOWN_AUTHORS else ""))
    venue = clean_text(short_venue(record) or "")
    year = year_of(record)
    where = " ".join(part for part in (venue, str(year) if year is not None else "") if part)
    if where:
        parts.append(where)
    if record.citation_count is not None:
        count = record.citation_count
        parts.append(f"{count} citation" + ("" if count == 1 else "s"))
    if not parts:
        return None
    return _escape_text(" · ".join(parts))


def _escape_text(text: str) -> str:
    """Text that reads as itself in Markdown: its markup characters backslash-escaped, and
    "&" before what would read as an entity."""
    text = _DETAILS_ESCAPE.sub(r"\\\1", text)
    return _ENTITY.sub(lambda m: "\\" + m.group(0), text)


def _unescape(markdown: str) -> str:
    """What `_escape_text`'s output shows."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _destination(url: str) -> str:
    """A link destination that reads back as `url` on GitHub and in any CommonMark parser.

    Characters a URL may not hold unencoded and that Markdown would read ("<", ">", "|" of
    a table, backticks, brackets) are percent-encoded as a browser would; "&" before what
    reads as an entity is written "&amp;"; a URL with parentheses is written in <…>.
    """
    url = _encoded(url)
    return f"<{url}>" if "(" in url or ")" in url else url


def _encoded(url: str) -> str:
    for ch, encoded in _DESTINATION_ENCODE.items():
        url = url.replace(ch, encoded)
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", url)


@functools.lru_cache(maxsize=256)  # a few records' links: a long list must not stay in memory
def _normalize_link(url: str) -> str:
    """The href markdown-it (and so GitHub) gives a link written with `_destination(url)`."""
    return _markdown().normalizeLink(url)


# --- re-running over its own output -----------------------------------------------------------


def _strip_ours(text: str, plan: _Plan) -> str:
    """The segment without the details and short links an earlier run appended."""
    at = text.rfind(" — ")
    if at >= 0 and _DETAILS_TEXT.fullmatch(tail := text[at + 3 :]):
        rest = text[:at]
        if (
            (plan.details is not None and tail == plan.details)
            or _CITATIONS_PART.search(_unescape(tail))
            or _ours_at_end(rest, plan) is not None
        ):
            text = rest
    while (shorter := _ours_at_end(text, plan)) is not None:
        text = shorter
    return text


def _ours_at_end(text: str, plan: _Plan) -> str | None:
    """The text without its last short link, when it is one this module writes for this
    record (one of its labels, to one of the record's links): a link the user wrote, even
    labelled "PDF", is kept."""
    match = _SHORT_TAIL.search(text)
    if not match:
        return None
    written = match.group(2)
    url = written[1:-1] if written.startswith("<") else written
    return text[: match.start()] if url in plan.known else None
