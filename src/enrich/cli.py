"""Command line: parses arguments, calls the stages, prints. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from enrich import __version__
from enrich.console import entry_as_json, show_reading_list
from enrich.errors import EnrichError, ExitCode
from enrich.readinglist import FORMATS, ReadingList, read_list

DEFAULT_INPUT = Path("data/raw/mlsys-reading-list.md")

EXIT_CODES_HELP = """exit codes:
  0  every paper matched
  1  some papers ambiguous or unmatched (outputs written)
  2  bad input or configuration; with --strict, any warning about the input
  3  a service could not be reached (outputs written with what could be had)
"""


def build_parser() -> argparse.ArgumentParser:
    """The `enrich` command line and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="enrich",
        description="Turn a hand-kept reading list into a bibliography you can trust.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"enrich {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser(
        "parse",
        help="parse a reading list and show its papers",
        description="Parse a reading list (Markdown, text, CSV or BibTeX) and show its papers.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("input", type=Path, help="the reading list file")
    parse.add_argument("--json", action="store_true", help="print the papers as a JSON array")
    _add_input_options(parse)

    run = commands.add_parser(
        "run",
        help="run every stage: parse, resolve, match and merge, emit",
        description="Run every stage on the reading list and write data/enriched/.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "inputs",
        type=Path,
        nargs="*",
        default=[DEFAULT_INPUT],
        metavar="INPUT",
        help=f"reading list files (default: {DEFAULT_INPUT})",
    )
    _add_input_options(run)
    return parser


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=None,
        help="input format (default: from the file extension)",
    )
    command.add_argument(
        "--strict", action="store_true", help="treat any warning about the input as an error"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `enrich` script and `python -m enrich`."""
    args = build_parser().parse_args(argv)
    stderr = Console(stderr=True, highlight=False)
    try:
        if args.command == "parse":
            return _parse(args, stderr)
        return _run(args, stderr)
    except EnrichError as error:
        stderr.print(f"enrich: error: {error}", markup=False, soft_wrap=True)
        return int(error.exit_code)
    except KeyboardInterrupt:
        stderr.print("enrich: interrupted")
        return 130


def _read(path: Path, args: argparse.Namespace, stderr: Console) -> tuple[ReadingList, bool]:
    """Parse one input and print its warnings; whether --strict turns them into a failure."""
    parsed = read_list(path, args.format)
    for warning in parsed.warnings:
        stderr.print(f"warning: {warning}", markup=False, soft_wrap=True)
    return parsed, bool(args.strict and parsed.warnings)


def _parse(args: argparse.Namespace, stderr: Console) -> int:
    parsed, failed_strict = _read(args.input, args, stderr)
    if args.json:
        papers = [entry_as_json(entry) for entry in parsed.entries]
        sys.stdout.write(json.dumps(papers, ensure_ascii=False, indent=2) + "\n")
    else:
        show_reading_list(parsed, Console(highlight=False))
    return _strict_exit(failed_strict, stderr)


def _run(args: argparse.Namespace, stderr: Console) -> int:
    failed_strict = False
    for path in args.inputs:
        parsed, failed = _read(path, args, stderr)
        failed_strict |= failed
        stderr.print(
            f"{parsed.file}: {len(parsed.entries)} papers in {len(parsed.sections)} sections"
        )
    stderr.print("resolve, match and emit are not built yet: nothing written to data/enriched/")
    return _strict_exit(failed_strict, stderr)


def _strict_exit(failed_strict: bool, stderr: Console) -> int:
    if failed_strict:
        stderr.print("enrich: error: warnings about the input and --strict is set")
        return int(ExitCode.BAD_INPUT)
    return int(ExitCode.OK)
