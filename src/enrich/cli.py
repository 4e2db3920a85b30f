"""Command line: parses arguments, calls the pipeline, prints. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console

from enrich import __version__
from enrich.console import (
    IndexProgress,
    entry_as_json,
    make_console,
    plain,
    print_lines,
    progress_reporter,
    show_outcomes,
    show_reading_list,
    show_summary,
    show_where_things_went,
)
from enrich.emit import BOOKTITLE_STYLES, BooktitleStyle
from enrich.errors import ConfigError, EnrichError, ExitCode, Interrupted
from enrich.http import HttpConfig
from enrich.http.config import check_base_url
from enrich.pipeline import (
    DEFAULT_INPUT,
    DEFAULT_OUT,
    DEFAULT_OVERRIDES,
    RunOptions,
    RunReport,
    emit_again,
    read_inputs,
    run,
)
from enrich.readinglist import FORMATS, ReadingList
from enrich.review import interactive, summarize
from enrich.sources.dblp import DEFAULT_URL as DBLP_URL
from enrich.sources.dblp.local.choice import DBLP_MODES, DblpChoice, dblp_choice, given_index
from enrich.sources.dblp.local.command import DUMP_URL, build_from, describe, read_info_or_fail
from enrich.sources.s2 import DEFAULT_URL as S2_URL
from enrich.text import clean_text

MAX_JOBS = 32
"""More workers only wait: each service's rate limit spaces the requests anyway."""

EXIT_CODES_HELP = """exit codes:
  0  every paper matched
  1  some papers ambiguous or unmatched (outputs written)
  2  bad input, configuration or output folder; with --strict, any input warning or skip
  3  a service could not be reached (outputs written with what could be had)
  130  interrupted by Ctrl-C (SIGINT); the outputs are all old or all new
  143  stopped by SIGTERM; the outputs are all old or all new

environment:
  S2_API_KEY            Semantic Scholar API key (sent as x-api-key, never stored)
  ENRICH_MAILTO         contact address added to the User-Agent
  ENRICH_CACHE          cache file (default data/cache/http.sqlite)
  ENRICH_CACHE_BACKEND  another requests-cache backend, e.g. redis://host:6379/0
  ENRICH_CACHE_DAYS     cache expiry in days (default 30)
  ENRICH_OFFLINE=1      answer from the cache only; ENRICH_REFRESH=1 revalidate all
  ENRICH_DBLP_URL       DBLP base URL (default https://dblp.org)
  ENRICH_S2_URL         Semantic Scholar base URL (default https://api.semanticscholar.org)
  ENRICH_BOOKTITLE      full (DBLP's proceedings title, default) or short ("SOSP '23")
  ENRICH_RATE_DBLP, ENRICH_RATE_S2   requests per second per service
  ENRICH_HTTP_ATTEMPTS, ENRICH_CONNECT_TIMEOUT, ENRICH_READ_TIMEOUT (seconds per read)
  ENRICH_DEADLINE       seconds for one whole answer (default 30)
  ENRICH_MAX_ANSWER_MB  largest answer read, once decompressed (default 8)
  ENRICH_DBLP           local, api or auto (default): DBLP from the local index or the API
  ENRICH_DBLP_INDEX     local index file (default dblp-index.sqlite beside the cache)
  ENRICH_INDEX_MAX_AGE_DAYS   auto uses an index whose dump is at most this old (default 60)
"""


class _OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (usage is what --help is for)."""

    def error(self, message: str) -> NoReturn:
        self.exit(int(ExitCode.BAD_INPUT), f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The `enrich` command line and its subcommands."""
    parser = _OneLineParser(
        prog="enrich",
        description="Turn a hand-kept reading list into a bibliography you can trust.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"enrich {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = _subcommand(commands, "parse", "parse a reading list and show its papers")
    parse.add_argument("input", type=Path, help="the reading list file")
    parse.add_argument("--json", action="store_true", help="print the papers as a JSON array")
    _add_input_options(parse)

    for name, summary in (
        ("run", "run every stage: parse, resolve, match and merge, write the outputs"),
        ("resolve", "parse and resolve, print each paper's outcome, write nothing"),
    ):
        command = _subcommand(commands, name, summary)
        _add_inputs(command)
        _add_input_options(command)
        _add_lookup_options(command)
    emit = _subcommand(commands, "emit", "rewrite the outputs from the enriched JSON, offline")
    _add_inputs(emit)
    _add_input_options(emit)
    emit.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"(default: {DEFAULT_OUT})")
    emit.add_argument(
        "--overrides", type=Path, default=DEFAULT_OVERRIDES, help="overrides file the reviews name"
    )
    _add_output_options(emit)
    review = _subcommand(
        commands,
        "review",
        "settle the papers the review report flags, one key press each (on a terminal; "
        "otherwise print the report), writing the overrides file",
    )
    _add_inputs(review)
    _add_review_options(review)
    _add_index_command(commands)
    return parser


def _add_index_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`enrich index build [PATH_OR_URL]` and `enrich index info`: the local DBLP index."""
    index = _subcommand(commands, "index", "build the local DBLP index or say what it holds")
    actions = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="build (or refresh) it from DBLP's dump")
    build.add_argument("source", nargs="?", default=DUMP_URL, metavar="PATH_OR_URL",
                       help=f"dblp.xml.gz with dblp.dtd beside it, or a URL (default {DUMP_URL})")  # fmt: skip # noqa: E501
    info = actions.add_parser("info", help="what the index holds, from which dump")
    for action in (build, info):
        add = action.add_argument
        add("--dblp-index", type=Path, default=None, metavar="PATH",
            help="the index (ENRICH_DBLP_INDEX; default beside the cache)")  # fmt: skip
        add("--cache", type=Path, default=None, metavar="PATH",
            help="the HTTP cache file the index sits beside (ENRICH_CACHE)")  # fmt: skip


def _add_review_options(command: argparse.ArgumentParser) -> None:
    add = command.add_argument
    add("--format", choices=sorted(FORMATS), default=None,
        help="input format (default: from the file extension)")  # fmt: skip
    add("--out", type=Path, default=DEFAULT_OUT,
        help=f"the last run's outputs (default: {DEFAULT_OUT})")  # fmt: skip
    add("--overrides", type=Path, default=DEFAULT_OVERRIDES,
        help=f"rows go here (default: {DEFAULT_OVERRIDES})")  # fmt: skip
    add("--init", action="store_true",
        help="only create the overrides file, with its header (never over an old one)")  # fmt: skip


def _add_output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--booktitle",
        choices=BOOKTITLE_STYLES,
        default=None,
        help="conference names in the .bib: DBLP's full proceedings title, or the acronym and "
        "year, e.g. SOSP '23 (ENRICH_BOOKTITLE; default: full)",
    )


def _subcommand(
    commands: argparse._SubParsersAction, name: str, summary: str
) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    return commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_inputs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "inputs",
        type=Path,
        nargs="*",
        default=[DEFAULT_INPUT],
        metavar="INPUT",
        help=f"reading list files (default: {DEFAULT_INPUT})",
    )


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=None,
        help="input format (default: from the file extension)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="treat any warning about the input, or any item skipped as not a paper, as an error",
    )


def _add_lookup_options(command: argparse.ArgumentParser) -> None:
    add = command.add_argument
    add("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    add("--offline", action="store_true", default=None, help="cache only (ENRICH_OFFLINE)")
    add("--refresh", action="store_true", default=None, help="revalidate all (ENRICH_REFRESH)")
    add("--only", action="append", default=[], metavar="TITLE_OR_KEY",
        help="look up only papers whose title has this, or with this key (repeatable)")  # fmt: skip
    add("--limit", type=_positive, default=None, metavar="N", help="look up at most N papers")
    add("--jobs", type=_at_most(MAX_JOBS), default=4, metavar="N",
        help="parallel lookups; each service's rate limit still holds (default: 4)")  # fmt: skip
    add("--abstracts", action="store_true", help="also fetch abstracts from Semantic Scholar")
    add("--overrides", type=Path, default=DEFAULT_OVERRIDES,
        help=f"hand-kept overrides (default: {DEFAULT_OVERRIDES})")  # fmt: skip
    add("--cache", type=Path, default=None, metavar="PATH",
        help="HTTP cache file (ENRICH_CACHE; default data/cache/http.sqlite)")  # fmt: skip
    add("--cache-backend", default=None, metavar="URL",
        help="another cache backend, e.g. redis://host:6379/0 (ENRICH_CACHE_BACKEND)")  # fmt: skip
    add("--cache-days", type=_whole, default=None, metavar="N",
        help="cache expiry in days (ENRICH_CACHE_DAYS; default 30)")  # fmt: skip
    _add_output_options(command)
    add("--dblp-url", default=None, metavar="URL", help=f"ENRICH_DBLP_URL (default {DBLP_URL})")
    add("--s2-url", default=None, metavar="URL", help=f"ENRICH_S2_URL (default {S2_URL})")
    add("--dblp", choices=DBLP_MODES, default=None,
        help="DBLP from the local index, the API, or the index when fresh (ENRICH_DBLP; "
        "default auto)")  # fmt: skip
    add("--dblp-index", type=Path, default=None, metavar="PATH",
        help="local DBLP index (ENRICH_DBLP_INDEX; default beside the cache)")  # fmt: skip
    add("--index-max-age-days", type=int, default=None, metavar="N",
        help="auto uses an index whose dump is at most N days old (default 60)")  # fmt: skip
    add("--no-s2", action="store_true", help="do not ask Semantic Scholar at all")
    verbosity = command.add_mutually_exclusive_group()
    verbosity.add_argument("--quiet", "-q", action="store_true", help="only warnings and errors")
    verbosity.add_argument(
        "--verbose", "-v", action="store_true", help="log every request (never the API key)"
    )


def _booktitle(args: argparse.Namespace) -> BooktitleStyle:
    """--booktitle, else ENRICH_BOOKTITLE, else full; a bad variable is a configuration error."""
    if args.booktitle:
        return args.booktitle
    value = os.environ.get("ENRICH_BOOKTITLE", "").strip().lower() or "full"
    if value not in BOOKTITLE_STYLES:
        raise ConfigError(
            f"ENRICH_BOOKTITLE={value!r} is not one of: {', '.join(BOOKTITLE_STYLES)}"
        )
    return value  # type: ignore[return-value]


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _at_most(high: int) -> Callable[[str], int]:
    def bounded(text: str) -> int:
        value = _positive(text)
        if value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high}, not {value}")
        return value

    return bounded


_STOPPED = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
"""What the one line says when a signal stops a run."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `enrich` script and `python -m enrich`.

    SIGTERM is handled like SIGINT from the first line on: one line, exit 143 (130 for
    SIGINT), never a traceback.
    """
    handlers = _stop_on_signals()
    stderr = make_console(stderr=True)
    try:
        args = build_parser().parse_args(argv)
        _set_up_logging(args, stderr)
        if args.command == "review":
            return _review(args)
        if args.command == "index":
            return _index(args, stderr)
        if args.command != "parse":
            args.booktitle = _booktitle(args)  # a bad setting fails before any work
        if args.command in ("resolve", "run"):
            args.lookup = _lookup_settings(args)
        lists = read_inputs([args.input] if args.command == "parse" else args.inputs, args.format)
        failed_strict = _show_warnings(lists, args.strict, stderr, args.command == "parse")
        if failed_strict:
            stderr.print(
                "enrich: error: warnings or skipped items in the input and --strict is set"
            )
            return int(ExitCode.BAD_INPUT)
        if args.command == "parse":
            return _parse(lists[0], args)
        if args.command == "emit":
            options = RunOptions(
                out_dir=args.out, overrides=args.overrides, booktitle=_booktitle(args)
            )
            report = emit_again(lists, options)
            _show_merges(report, stderr)
            print_lines(stderr, summarize(report.records, str(report.review)))
            return int(report.exit_code)
        return _run(lists, args, stderr)
    except EnrichError as error:
        stderr.print(plain(f"enrich: error: {error}"), soft_wrap=True)
        return int(error.exit_code)
    except KeyboardInterrupt as interrupt:
        stopped = interrupt if isinstance(interrupt, Interrupted) else Interrupted(signal.SIGINT)
        stderr.print(f"enrich: {_STOPPED[stopped.signum]}")
        return int(stopped.exit_code)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def _stop_on_signals() -> dict[int, Any]:
    """Make SIGINT and SIGTERM raise Interrupted (unless whoever started enrich ignores
    them); the handlers they replace, for main to put back."""

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {
        signum: signal.signal(signum, stop)
        for signum in _STOPPED
        if signal.getsignal(signum) is not signal.SIG_IGN
    }


def _set_up_logging(args: argparse.Namespace, stderr: Console) -> None:
    level = logging.INFO
    if getattr(args, "quiet", False):
        level = logging.WARNING
    elif getattr(args, "verbose", False):
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("%(name)s: %(message)s"))
    root = logging.getLogger("enrich")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class _OneLineFormatter(logging.Formatter):
    """Log lines carry services' text: one line each, without control characters."""

    def format(self, record: logging.LogRecord) -> str:
        return clean_text(super().format(record))


def _show_warnings(
    lists: Sequence[ReadingList], strict: bool, stderr: Console, every_skip: bool = False
) -> bool:
    """Print every warning about the inputs and what each list skipped (each item with
    `every_skip`, else counted by reason); whether --strict makes them a failure."""
    warnings = [warning for reading_list in lists for warning in reading_list.warnings]
    for warning in warnings:
        stderr.print(plain(f"warning: {warning}"), soft_wrap=True)
    for reading_list in lists:
        if every_skip:
            for item in reading_list.skipped:
                stderr.print(plain(f"note: {item}"), soft_wrap=True)
        if reading_list.skipped:
            reasons = ", ".join(f"{n} {why}" for why, n in reading_list.skipped_by_reason.items())
            count = len(reading_list.skipped)
            line = f"{reading_list.file}: {count} item{'s' * (count != 1)} skipped, not papers"
            stderr.print(plain(f"note: {line} ({reasons})"), soft_wrap=True)
    skipped = any(reading_list.skipped for reading_list in lists)
    return strict and (bool(warnings) or skipped)


def _show_merges(report: RunReport, stderr: Console) -> None:
    """Lines that the sources showed to be one paper, merged into one entry."""
    for result in report.lists:
        for warning in result.warnings:
            stderr.print(plain(f"warning: {warning}"), soft_wrap=True)


def _review(args: argparse.Namespace) -> int:
    if args.init:
        return interactive.start(args.overrides, sys.stdout.write)
    return interactive.review(args.inputs, args.out, args.overrides, args.format)


def _index(args: argparse.Namespace, stderr: Console) -> int:
    cache = HttpConfig.from_env(cache_path=args.cache).cache_path
    path = DblpChoice(index=given_index(args.dblp_index)).index_path(cache)
    if args.index_command == "info":
        print_lines(make_console(), "\n".join(describe(read_info_or_fail(path))))
        return int(ExitCode.OK)
    with IndexProgress(stderr) as progress:
        result = build_from(args.source, path, progress.records, progress.downloaded)
    stderr.print(
        plain(f"built {result.path}: {result.records:,} records in {result.seconds:,.0f} s "
              f"({result.records_per_second:,.0f} records/s)"),
        soft_wrap=True,
    )  # fmt: skip
    return int(ExitCode.OK)


def _parse(parsed: ReadingList, args: argparse.Namespace) -> int:
    if args.json:
        papers = [entry_as_json(entry) for entry in parsed.entries]
        sys.stdout.write(json.dumps(papers, ensure_ascii=False, indent=2) + "\n")
    else:
        show_reading_list(parsed, make_console())
    return int(ExitCode.OK)


def _lookup_settings(args: argparse.Namespace) -> tuple[HttpConfig, str, str, DblpChoice]:
    """The HTTP configuration, the two base URLs and where DBLP is asked, checked before
    any input is read."""
    http = HttpConfig.from_env(
        cache_path=args.cache,
        cache_backend=args.cache_backend,
        cache_days=args.cache_days,
        refresh=args.refresh,
        offline=args.offline,
    )
    urls = []
    for flag, variable, given, default in (
        ("--dblp-url", "ENRICH_DBLP_URL", args.dblp_url, DBLP_URL),
        ("--s2-url", "ENRICH_S2_URL", args.s2_url, S2_URL),
    ):
        from_env = os.environ.get(variable)
        setting = flag if given is not None else variable
        urls.append(check_base_url(given or from_env or default, setting))
    dblp = dblp_choice(args.dblp, args.dblp_index, args.index_max_age_days)
    return http, urls[0], urls[1], dblp


def _run(lists: Sequence[ReadingList], args: argparse.Namespace, stderr: Console) -> int:
    http, dblp_url, s2_url, dblp = args.lookup
    options = RunOptions(
        out_dir=args.out,
        http=http,
        dblp_url=dblp_url,
        s2_url=s2_url,
        overrides=args.overrides,
        only=tuple(args.only),
        limit=args.limit,
        jobs=args.jobs,
        abstracts=args.abstracts,
        booktitle=_booktitle(args),
        write=args.command == "run",
        dblp=dblp,
        s2=not args.no_s2,
    )
    with progress_reporter(stderr) as progress:
        report = run(lists, options, progress)
    _show_merges(report, stderr)
    if args.quiet:
        show_where_things_went(report, stderr)
    else:
        show_summary(report, stderr)
    if args.command == "resolve":
        show_outcomes(report.records, make_console())
    return int(report.exit_code)
