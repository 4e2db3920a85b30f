"""The bibliographic sources: each one module implementing `Source` (see docs/sources.md)."""

from enrich.sources.base import KnownPaper, Source
from enrich.sources.dblp import DblpSource
from enrich.sources.s2 import S2Source

__all__ = ["DblpSource", "KnownPaper", "S2Source", "Source"]
