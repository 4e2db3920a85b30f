"""Stage 4: write the enriched records as BibTeX, CSV, JSON, CSL-JSON, a page to browse and,
for a Markdown list, the list itself with its titles linked.

Outputs are named after the input (mlsys-reading-list.md gives
mlsys-reading-list.bib, .csv, .json, .csl.json, .html, .linked.md), written as one atomic set (all
old or all new, see files.py), and deterministic: the same records give
byte-identical files, in the list's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from enrich.emit.bibtex import to_bibtex
from enrich.emit.csl import to_csl_json
from enrich.emit.csv import to_csv
from enrich.emit.fields import BOOKTITLE_STYLES, BooktitleStyle
from enrich.emit.files import prepare_folder, write_files
from enrich.emit.html import render_html
from enrich.emit.json import load_previous_keys, load_records, to_json
from enrich.emit.keys import assign_keys, keys_by_identity
from enrich.emit.linkedmd import render_linked_markdown
from enrich.models import EnrichedRecord
from enrich.readinglist import named_format

__all__ = [
    "BOOKTITLE_STYLES",
    "BooktitleStyle",
    "assign_keys",
    "keys_by_identity",
    "load_previous_keys",
    "load_records",
    "output_files",
    "output_paths",
    "prepare_folder",
    "render_outputs",
    "write_files",
    "write_outputs",
]


def output_paths(input_path: Path, out_dir: Path) -> dict[str, Path]:
    """Where each output of `input_path` goes: {"bib": ..., "json": ..., "html": ...}."""
    stem = Path(input_path).stem
    out_dir = Path(out_dir)
    paths = {
        "bib": out_dir / f"{stem}.bib",
        "csv": out_dir / f"{stem}.csv",
        "json": out_dir / f"{stem}.json",
        "csl": out_dir / f"{stem}.csl.json",
        "html": out_dir / f"{stem}.html",
    }
    if named_format(Path(input_path)) == "markdown":
        paths["linked"] = out_dir / f"{stem}.linked.md"
    return paths


def render_outputs(
    records: Sequence[EnrichedRecord],
    input_path: Path,
    input_bytes: bytes,
    booktitle: BooktitleStyle = "full",
) -> dict[str, bytes]:
    """Every output's bytes for records that already carry unique keys (no I/O); a Markdown
    list is also given back with its titles linked (`.linked.md`)."""
    rendered = {
        "bib": to_bibtex(records, booktitle).encode("utf-8"),
        "csv": to_csv(records, booktitle=booktitle),
        # A lone surrogate (possible in JSON from a service) is written as its \uXXXX escape.
        "json": to_json(records, Path(input_path).as_posix(), input_bytes).encode(
            "utf-8", "backslashreplace"
        ),
        "csl": to_csl_json(records, booktitle=booktitle).encode("utf-8", "backslashreplace"),
        "html": render_html(records, Path(input_path).stem).encode("utf-8"),
    }
    if named_format(Path(input_path)) == "markdown":
        # plain utf-8, not utf-8-sig: a byte-order mark is given back as it was
        text = input_bytes.decode("utf-8")
        rendered["linked"] = render_linked_markdown(records, text).encode("utf-8")
    return rendered


def output_files(
    records: Sequence[EnrichedRecord],
    input_path: Path,
    input_bytes: bytes,
    out_dir: Path,
    booktitle: BooktitleStyle = "full",
) -> dict[Path, bytes]:
    """Every output of one list, path -> bytes, ready for `write_files` (no I/O)."""
    paths = output_paths(input_path, out_dir)
    rendered = render_outputs(records, input_path, input_bytes, booktitle)
    return {paths[name]: data for name, data in rendered.items()}


def write_outputs(
    records: Sequence[EnrichedRecord],
    input_path: Path,
    out_dir: Path,
    previous_keys: Mapping[str, str] | None = None,
    booktitle: BooktitleStyle = "full",
) -> list[Path]:
    """Give every record its stable key, then write the four outputs; returns their paths.

    `previous_keys` (identity -> key) defaults to the keys in the JSON output
    already in `out_dir`, so a paper keeps its key from run to run. The four are
    rendered, then replaced as one set: a failure leaves all the old files intact.
    """
    if previous_keys is None:
        previous_keys = load_previous_keys(output_paths(input_path, out_dir)["json"])
    keyed = assign_keys(records, previous_keys)
    files = output_files(keyed, input_path, Path(input_path).read_bytes(), out_dir, booktitle)
    write_files(files)
    return list(files)
