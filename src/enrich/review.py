"""The review report: everything a person should look at, with what is needed to settle it.

data/enriched/review.md lists every paper that is not `matched`, every matched paper with a
note (a reworded title, a year or venue that disagrees with the label) and every override
used, each with the candidate records and a ready-to-paste overrides.csv line. Rendering is
pure; the pipeline writes the file and the CLI prints `summarize`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from .models import Alternative, EnrichedRecord

_STATUS_ORDER = ("error", "not_cached", "ambiguous", "unmatched", "matched", "skipped")


NOT_MATCHED, NOTED, OVERRIDDEN = "Not matched", "Matched with notes", "Overrides used"
_SECTIONS = (NOT_MATCHED, NOTED, OVERRIDDEN)


def review_section(record: EnrichedRecord) -> str | None:
    """The review report's section for a record, or None when nobody needs to look at it."""
    match = record.match
    if match.decided_by == "override":
        return OVERRIDDEN
    if match.status not in ("matched", "skipped"):
        return NOT_MATCHED
    if match.status == "matched" and match.notes:
        return NOTED
    return None


def needs_review(record: EnrichedRecord) -> bool:
    """True when a person should look at the record: not matched, a note, or an override."""
    return review_section(record) is not None


def render_review(
    records: Sequence[EnrichedRecord], overrides_path: str = "data/overrides.csv"
) -> str:
    """The review report as Markdown, papers in the list's order within each section."""
    counts = _counts(records)
    lines = [
        "# Review",
        "",
        _papers(len(records)) + ": " + ", ".join(f"{n} {s}" for s, n in counts) + ".",
        "",
        f"Settle a paper by adding its suggested line to `{overrides_path}` (columns "
        "`title,key,dblp_key,doi,s2_id,action`; action `pin` or `skip`) and running again.",
    ]
    sections = [(name, [r for r in records if review_section(r) == name]) for name in _SECTIONS]
    for heading, chosen in sections:
        lines += ["", f"## {heading} ({len(chosen)})"]
        if not chosen:
            lines += ["", "Nothing."]
        for record in sorted(chosen, key=_order):
            lines += ["", *_render_one(record)]
    return "\n".join(lines) + "\n"


def summarize(records: Sequence[EnrichedRecord], review_path: str | None = None) -> str:
    """A few lines for the terminal: counts per status and what to look at."""
    counts = _counts(records)
    text = [_papers(len(records)) + ": " + ", ".join(f"{n} {s}" for s, n in counts)]
    sections = Counter(review_section(r) for r in records)
    if sections[NOTED]:
        text.append(f"{sections[NOTED]} matched with notes (label disagreements, reworded titles)")
    if sections[OVERRIDDEN]:
        text.append(f"{sections[OVERRIDDEN]} decided by overrides")
    unsettled = sorted((r for r in records if review_section(r) == NOT_MATCHED), key=_order)
    for record in unsettled[:10]:
        text.append(f"  {record.match.status:<10} {_where(record)}  {record.entry.title}")
    if len(unsettled) > 10:
        text.append(f"  ... and {len(unsettled) - 10} more")
    if review_path and any(needs_review(r) for r in records):
        text.append(f"details: {review_path}")
    return "\n".join(text)


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


def _counts(records: Sequence[EnrichedRecord]) -> list[tuple[str, int]]:
    counts = Counter(r.match.status for r in records)
    return [(s, counts[s]) for s in _STATUS_ORDER if counts[s]]


def _order(record: EnrichedRecord) -> tuple[int, ...]:
    return record.entry.lines or (0,)


def _where(record: EnrichedRecord) -> str:
    entry = record.entry
    return f"{entry.file}:{entry.lines[0]}" if entry.lines else entry.file


def _render_one(record: EnrichedRecord) -> list[str]:
    entry, match = record.entry, record.match
    label = f"{entry.label} " if entry.label else ""
    score = f", score {match.score:g}" if match.score is not None else ""
    by = f", decided by {match.decided_by}" if match.decided_by else ""
    out = [
        f"### {label}{_md(entry.title)}",
        "",
        f"- list: `{_where(record)}`; status **{match.status}**{score}{by}",
    ]
    if match.status == "matched":
        venue = f"{record.venue or '?'} {record.year or ''}".strip()
        ident = record.ids.dblp or record.doi or record.ids.s2 or "no identifier"
        out.append(f"- chosen: {_md(record.title)} ({venue}; {ident})")
    out += [f"- note: {_md(note)}" for note in match.notes]
    if match.alternatives:
        out.append("- candidates:")
        out += [f"  - {_alternative(a)}" for a in match.alternatives]
    suggestion = _suggestion(record)
    if suggestion:
        if match.status == "matched":
            lead = "- to confirm it, add this line to the overrides file (or pin another record):"
        else:
            lead = "- to settle it, add ONE of these lines to the overrides file:"
        out += [lead, "", "  ```csv"]
        out += [f"  {line}" for line in suggestion]
        out.append("  ```")
    return out


def _alternative(alt: Alternative) -> str:
    idents = [i for i in (alt.dblp_key, f"doi {alt.doi}" if alt.doi else None) if i]
    ident = "; ".join(idents) or alt.source
    return f"{_md(alt.title)} ({alt.venue or '?'} {alt.year or '?'}; {ident}; score {alt.score:g})"


def _suggestion(record: EnrichedRecord) -> list[str]:
    """Ready-to-paste CSV lines: pin each candidate that has an identifier, or skip."""
    if record.match.decided_by == "override":
        return []
    title = record.entry.title
    rows = []
    for alt in record.match.alternatives[:3]:
        if alt.dblp_key or alt.doi:
            rows.append([title, "", alt.dblp_key or "", alt.doi or "", "", "pin"])
    if record.match.status == "matched" and record.match.notes and (record.ids.dblp or record.doi):
        rows.append([title, "", record.ids.dblp or "", record.doi or "", "", "pin"])
    if record.match.status != "matched":
        rows.append([title, "", "", "", "", "skip"])
    return [_csv_line(row) for row in rows]


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _md(text: str) -> str:
    """Text safe inside Markdown prose: no accidental emphasis, links or HTML."""
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text
