"""The review report of one list, `<name>.review.md`: what a person must settle, and how.

Sections come in the order a person can act on them (sections.py). Each paper shows where
the list has it, its title against the record's with the differing words marked, the
record's authors, venue, year and links, and lines to paste into the overrides file as it
is. Unmatched papers with no candidate are one table row each, so a big list gives a
report one can scroll, not a 16,000-line file. Rendering is pure: the pipeline writes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from enrich.match import LABEL_DIFFERS
from enrich.models import Alternative, EnrichedRecord
from enrich.overrides import HEADER, OverridesFile

from .escape import code_block, escape_md
from .fixes import pin_row, pins, skip_row
from .links import alternative_links, markdown_links, record_links, search_links
from .sections import (
    AMBIGUOUS,
    NOT_MATCHED,
    NOTED,
    OVERRIDDEN,
    in_section,
    list_order,
    not_looked_up,
    papers,
    status_counts,
    where,
)
from .titles import differs, marked_titles, title_note

MAX_AUTHORS = 8
"""How match.py starts a note on a label's year or venue that the record contradicts."""
MAX_LINES_NAMED = 20
"""Papers an --only run left out are named by line, up to this many."""


def render_review(
    records: Sequence[EnrichedRecord],
    overrides: OverridesFile,
    source: str = "",
    merges: Sequence[str] = (),
) -> str:
    """The review report of one list as Markdown.

    `source` is the list's file, `merges` the warnings about lines merged as one paper
    (the parser's repeats and the pipeline's same-record merges), `overrides` the file a
    pasted line goes into, as it is now.
    """
    noted, ambiguous = in_section(records, NOTED), in_section(records, AMBIGUOUS)
    unsettled, overridden = in_section(records, NOT_MATCHED), in_section(records, OVERRIDDEN)
    counts = ", ".join(f"{n} {s}" for s, n in status_counts(records))
    todo = (
        f"{len(noted)} matched with notes, {len(ambiguous)} ambiguous, "
        f"{len(unsettled)} not matched, {len(merges)} merged, {len(overridden)} overrides used"
    )
    lines = [
        f"# Review of {escape_md(source)}" if source else "# Review",
        "",
        f"{papers(len(records))}: {counts}. To look at: {todo}.",
        "",
        *_how_to_settle(overrides),
    ]
    lines += _section(NOTED, noted, [b for r in noted for b in ["", *_noted(r, overrides)]])
    body = [b for r in ambiguous for b in ["", *_unsettled(r, overrides)]]
    lines += _section(AMBIGUOUS, ambiguous, body)
    lines += _section(NOT_MATCHED, unsettled, _not_matched(unsettled, overrides))
    lines += _section("Merged lines", merges, ["", *(f"- {escape_md(m)}" for m in merges)])
    lines += _section(OVERRIDDEN, overridden, ["", *(_overridden(r) for r in overridden)])
    return "\n".join(lines) + "\n"


def _how_to_settle(overrides: OverridesFile) -> list[str]:
    path = escape_md(overrides.path)
    lines = [
        f"Settle a paper by adding its line to {path} (an override always wins) and running "
        "`enrich run` again; `enrich review` does it one key press per paper."
    ]
    if overrides.problem is not None:
        lines += ["", f"**{path} cannot be read:** {escape_md(overrides.problem)}; fix it first."]
    elif overrides.columns is None:
        lines += [
            "",
            f"{path} does not exist yet: start it with this header line "
            "(or run `enrich review --init`), then add the lines below it:",
            "",
            *code_block([HEADER], "csv"),
        ]
    return lines


def _section(heading: str, items: Sequence[object], body: list[str]) -> list[str]:
    lines = ["", f"## {heading} ({len(items)})"]
    return [*lines, "", "Nothing."] if not items else [*lines, *body]


def _noted(record: EnrichedRecord, overrides: OverridesFile) -> list[str]:
    """A match with notes: the titles marked, the record, and the two ways to settle it."""
    entry = record.entry
    out = [_heading(record), "", _listed(record)]
    reworded = differs(entry.title, record.title)
    if reworded:
        ours, theirs = marked_titles(entry.title, record.title)
        out += [f"- list's title: {ours}", f"- record's title: {theirs}"]
    out += _about(record)
    out += [f"- note: {escape_md(title_note(note) or note)}" for note in record.match.notes]
    if reworded:
        out.append(
            f"- fix: the list words the title differently; writing the record's title at "
            f"{escape_md(where(record))} settles it, or confirm the record with this line:"
        )
    elif any(note.startswith(LABEL_DIFFERS) for note in record.match.notes):
        out.append(
            f"- fix: if the record is the paper, correct the label at {escape_md(where(record))}"
            ", or confirm the record with this line:"
        )
    else:
        out.append("- fix: to confirm the record, add this line (or pin another record):")
    out += _paste([pin_row(record, p, overrides) for p in pins(record)[:1]], overrides)
    return out


def _unsettled(record: EnrichedRecord, overrides: OverridesFile) -> list[str]:
    """An ambiguous paper, or an unmatched one with near candidates: pick one, or skip."""
    offered = pins(record)
    out = [_heading(record), "", _listed(record), *_about(record)]
    out += [f"- note: {escape_md(note)}" for note in record.match.notes]
    if record.match.alternatives:
        out.append("- candidates:")
        out += [f"  {i}. {_candidate(record, alt)}" for i, alt in _numbered(record)]
    out.append(f"- search: {markdown_links(search_links(record.entry.title))}")
    if record.match.status == "unmatched" and offered:
        out.append(
            "- fix: if a candidate is the paper, pin it, or write its title in the list at "
            f"{escape_md(where(record))}; if none is, skip it. ONE of these lines:"
        )
    else:
        out.append("- fix: add ONE of these lines (a candidate, or skip):")
    rows = [pin_row(record, p, overrides) for p in offered] + [skip_row(record, overrides)]
    return out + _paste(rows, overrides)


def _not_matched(records: Sequence[EnrichedRecord], overrides: OverridesFile) -> list[str]:
    """Papers with near candidates in full; the rest one table row each, their skip lines
    in one block; papers the last run did not look up named by line only."""
    left_out = [r for r in records if not_looked_up(r)]
    looked = [r for r in records if not not_looked_up(r)]
    near = [r for r in looked if pins(r)]
    bare = [r for r in looked if not pins(r)]
    out: list[str] = []
    for record in near:
        out += ["", *_unsettled(record, overrides)]
    if bare:
        out += [
            "",
            f"### No candidate found ({len(bare)})",
            "",
            "Search for the paper; pin it by its DBLP key or DOI, correct its title in the "
            "list, or skip it.",
            "",
            "| line | status | list's title | label | search |",
            "|---|---|---|---|---|",
        ]
        out += [_row(r) for r in bare]
        unmatched = [r for r in bare if r.match.status == "unmatched"]
        if unmatched:
            out += ["", "To leave one out of the bibliography, add its line:"]
            out += _paste([skip_row(r, overrides) for r in unmatched], overrides, indent="")
        if len(unmatched) < len(bare):
            out += ["", "A paper with status error or not_cached: run `enrich run` again."]
    if left_out:
        named = ", ".join(str(list_order(r)[0]) for r in left_out[:MAX_LINES_NAMED])
        extra = len(left_out) - MAX_LINES_NAMED
        more = f" and {extra} more" if extra > 0 else ""
        out += [
            "",
            f"{papers(len(left_out))} not looked up by the last run (--only/--limit): lines "
            f"{named}{more}. Run `enrich run` without --only/--limit to look them up.",
        ]
    return out


def _overridden(record: EnrichedRecord) -> str:
    notes = "; ".join(record.match.notes)
    shown = ""
    if record.match.status == "matched":
        shown = f" → {escape_md(record.title)} ({_venue_year(record)})"
        links = markdown_links(record_links(record))
        shown += f" · {links}" if links else ""
    return (
        f"- {escape_md(where(record))} {escape_md(record.entry.title)}: "
        f"**{record.match.status}**, {escape_md(notes)}{shown}"
    )


def _heading(record: EnrichedRecord) -> str:
    label = f"{record.entry.label} " if record.entry.label else ""
    return f"### {escape_md(label + record.entry.title)}"


def _listed(record: EnrichedRecord) -> str:
    match = record.match
    score = f", score {match.score:g}" if match.score is not None else ""
    by = f" by {escape_md(match.decided_by)}" if match.decided_by else ""
    return f"- list: {escape_md(where(record))}; **{match.status}**{by}{score}"


def _about(record: EnrichedRecord) -> list[str]:
    """The chosen record's authors, venue, year and links; the list's authors otherwise."""
    names = [a.name for a in record.authors] or list(record.entry.authors)
    out = []
    if names:
        more = f" and {len(names) - MAX_AUTHORS} more" if len(names) > MAX_AUTHORS else ""
        shown = ", ".join(escape_md(n) for n in names[:MAX_AUTHORS])
        out.append(f"- authors: {shown}{more}")
    if record.match.status == "matched":
        out.append(f"- record: {_venue_year(record)}")
        links = record_links(record)
        if links:
            out.append(f"- links: {markdown_links(links)}")
    return out


def _venue_year(record: EnrichedRecord) -> str:
    venue = escape_md(record.venue or "no venue")
    return f"{venue} {record.year}" if record.year else venue


def _numbered(record: EnrichedRecord) -> list[tuple[int, Alternative]]:
    return list(enumerate(record.match.alternatives, start=1))


def _candidate(record: EnrichedRecord, alt: Alternative) -> str:
    _, title = marked_titles(record.entry.title, alt.title)
    venue = escape_md(alt.venue or "no venue")
    links = markdown_links(alternative_links(alt))
    ident = f" · {links}" if links else f" · {escape_md(alt.source)} only, no DBLP key or DOI"
    return f"{title} ({venue} {alt.year or '?'}, score {alt.score:g}){ident}"


def _paste(rows: list[dict[str, str]], overrides: OverridesFile, indent: str = "  ") -> list[str]:
    """The rows as one code block of lines to paste; a row the file has no column for is
    named instead, with the column to add to its header."""
    lines, missing = [], set()
    for row in rows:
        line = overrides.line(row)
        if line is None:
            missing.update(overrides.lacks(row) or ["title"])
        else:
            lines.append(line)
    out = ["", *code_block(lines, "csv", indent)] if lines else []
    if missing:
        columns = ", ".join(sorted(missing))
        out += [
            "",
            f"{indent}(more lines need a column {escape_md(overrides.path)} does not have: "
            f"{escape_md(columns)}; add it to its header line)",
        ]
    return out


def _row(record: EnrichedRecord) -> str:
    entry = record.entry
    lines = ", ".join(str(line) for line in entry.lines)
    cells = [
        lines,
        record.match.status,
        escape_md(entry.title),
        escape_md(entry.label or ""),
        markdown_links(search_links(entry.title)),
    ]
    return "| " + " | ".join(cells) + " |"
