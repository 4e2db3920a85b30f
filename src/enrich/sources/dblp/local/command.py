"""What `enrich index build` and `enrich index info` do; the CLI only parses and prints.

`build_from` takes a local dump (dblp.xml or .xml.gz, its DTD beside it) or a URL: the
dump and its DTD are then downloaded beside the index first (resumably, MD5 checked) and
kept there, so a build interrupted after its download can be rerun from that file's path
without fetching it again (a URL is always fetched anew: DBLP's dump changes monthly).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from enrich.errors import ConfigError, EnrichError
from enrich.sources.dblp.local.build import (
    BuildResult,
    IndexInfo,
    IndexUnusable,
    Progress,
    build_index,
    read_info,
)
from enrich.sources.dblp.local.download import (
    DUMP_URL,
    DownloadError,
    download,
)
from enrich.sources.dblp.local.download import Progress as DownloadProgress

__all__ = ["DUMP_URL", "IndexProblem", "build_from", "describe", "read_info_or_fail"]


class IndexProblem(EnrichError):
    """No usable index, or none could be built: a dump missing, damaged or not downloadable."""


def read_info_or_fail(path: Path) -> IndexInfo:
    """The index's description; IndexProblem (one line, exit 2) when there is none."""
    try:
        return read_info(path)
    except IndexUnusable as error:
        raise IndexProblem(str(error)) from error


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def build_from(
    source: str,
    index: Path,
    progress: Progress | None = None,
    fetching: DownloadProgress | None = None,
) -> BuildResult:
    """Build the index at `index` from `source`, a dump's path or URL."""
    if is_url(source):
        dump = index.with_name(Path(source).name or "dblp.xml.gz")
        dtd_url = source.rsplit("/", 1)[0] + "/dblp.dtd"
        try:
            download(source, dump, fetching)
            download(dtd_url, dump.with_name("dblp.dtd"), check_md5=False)
        except DownloadError as error:
            raise IndexProblem(str(error)) from error
    else:
        dump = Path(source)
        if not dump.is_file():
            raise ConfigError(f"{dump}: no such dump (give dblp.xml.gz's path or a URL)")
    try:
        return build_index(dump, index, progress=progress, source=source)
    except FileNotFoundError as error:
        raise IndexProblem(str(error)) from error
    except etree.XMLSyntaxError as error:
        raise IndexProblem(f"{dump}: not a whole DBLP dump ({error})") from error


def describe(info: IndexInfo) -> list[str]:
    """`enrich index info`: what the index holds, from which dump, how old."""
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in info.kinds.items())
    return [
        f"index: {info.path} ({info.size / 1e6:,.1f} MB)",
        f"dump: {info.dump}",
        f"dump date: {info.dump_date or 'unknown'} ({info.age_days():.0f} days ago)",
        f"built: {info.built}",
        f"records: {info.records:,} ({kinds})",
        f"proceedings and books that papers crossref: {info.proceedings:,}",
    ]
