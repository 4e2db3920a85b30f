"""DBLP without the network: its XML dump built into one local SQLite index.

dump.py reads the dump, build.py writes the index, download.py fetches the dump,
source.py answers `find` and `fetch` from the index, and choice.py decides, from
`--dblp`/`ENRICH_DBLP`, whether a run uses it.
"""

from enrich.sources.dblp.local.build import (
    BuildResult,
    IndexInfo,
    IndexUnusable,
    build_index,
    read_info,
)
from enrich.sources.dblp.local.source import LocalDblpSource

__all__ = [
    "BuildResult",
    "IndexInfo",
    "IndexUnusable",
    "LocalDblpSource",
    "build_index",
    "read_info",
]
